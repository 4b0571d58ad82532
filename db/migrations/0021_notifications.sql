CREATE TABLE "notifications" (
	"notification_id" bigserial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"event_id" bigint,
	"type" text NOT NULL,
	"text" text NOT NULL,
	"link" text,
	"created_at" bigint NOT NULL,
	"read_at" bigint
);
--> statement-breakpoint
CREATE TABLE "retention_runs" (
	"run_id" bigserial PRIMARY KEY NOT NULL,
	"model_id" bigint NOT NULL,
	"at" bigint NOT NULL,
	"retention_days" integer NOT NULL,
	"inference_rows_deleted" integer NOT NULL,
	"feedback_rows_deleted" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "studio_events" (
	"event_id" bigserial PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"at" bigint NOT NULL,
	"text" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"fanned_out_at" bigint
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"delivery_id" bigserial PRIMARY KEY NOT NULL,
	"hook_id" bigint NOT NULL,
	"event_id" bigint NOT NULL,
	"event_type" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"last_attempt_at" bigint,
	"response_code" integer,
	"error" text,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"hook_id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"events" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_event_id_studio_events_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."studio_events"("event_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_runs" ADD CONSTRAINT "retention_runs_model_id_registered_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_hook_id_webhooks_hook_id_fk" FOREIGN KEY ("hook_id") REFERENCES "public"."webhooks"("hook_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_studio_events_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."studio_events"("event_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","notification_id");--> statement-breakpoint
CREATE INDEX "retention_runs_model_idx" ON "retention_runs" USING btree ("model_id","at");--> statement-breakpoint
CREATE INDEX "studio_events_pending_idx" ON "studio_events" USING btree ("event_id") WHERE fanned_out_at is null;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE status in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "webhook_deliveries_hook_idx" ON "webhook_deliveries" USING btree ("hook_id","delivery_id");