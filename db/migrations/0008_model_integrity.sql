ALTER TABLE "model_versions" ADD COLUMN "model_digest" text;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "integrity_failure" text;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "integrity_failed_at" bigint;--> statement-breakpoint
CREATE TABLE "alias_events" (
	"event_id" bigserial PRIMARY KEY NOT NULL,
	"model_id" bigint NOT NULL,
	"alias" text NOT NULL,
	"kind" text NOT NULL,
	"version_id" bigint,
	"version" integer,
	"model_digest" text,
	"previous_version_id" bigint,
	"previous_version" integer,
	"review_id" bigint,
	"reason" text,
	"actor_username" text NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alias_events" ADD CONSTRAINT "alias_events_model_id_registered_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alias_events" ADD CONSTRAINT "alias_events_version_id_model_versions_version_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("version_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alias_events" ADD CONSTRAINT "alias_events_previous_version_id_model_versions_version_id_fk" FOREIGN KEY ("previous_version_id") REFERENCES "public"."model_versions"("version_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alias_events_model_alias_idx" ON "alias_events" USING btree ("model_id","alias","event_id");--> statement-breakpoint
INSERT INTO "alias_events" ("model_id", "alias", "kind", "version_id", "version", "reason", "actor_username", "at")
SELECT a."model_id", a."alias", 'upgrade', a."version_id", v."version", 'pointed here when alias history started', 'system', (extract(epoch from now()) * 1000)::bigint
FROM "registered_model_aliases" a JOIN "model_versions" v ON v."version_id" = a."version_id";
