-- Sentences the server makes for people, kept also as a catalogue code and its values (lib/i18n/server-sentence.ts) so
-- pages say them in the reader's language: an event's wording (beside its data, which webhook bodies send unchanged),
-- a delivery's error, a deployment's last guard action. Null on older rows, whose English text is shown as before.
ALTER TABLE "studio_events" ADD COLUMN "message" jsonb;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "error_message" jsonb;--> statement-breakpoint
ALTER TABLE "deployment_routes" ADD COLUMN "last_guard_action_message" jsonb;
