-- route_counts: exact per-minute answer and error counts by model, version and route, since the inference log may sample
-- production's answers (error rates read from it were wrong below 100%). webhooks: secrets move to sealed_secret
-- (AES-256-GCM under the studio's key, which SQL does not have): existing rows keep theirs in "secret" until the next
-- start seals them (sealPlainWebhookSecrets); their hint is taken here so lists never read a secret again.
CREATE TABLE "route_counts" (
	"model_id" bigint NOT NULL,
	"version_id" bigint NOT NULL,
	"route" text NOT NULL,
	"minute" bigint NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"rows" bigint DEFAULT 0 NOT NULL,
	"errors" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "route_counts_model_id_version_id_route_minute_pk" PRIMARY KEY("model_id","version_id","route","minute")
);
--> statement-breakpoint
ALTER TABLE "webhooks" ALTER COLUMN "secret" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "sealed_secret" text;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "secret_hint" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "route_counts" ADD CONSTRAINT "route_counts_model_id_registered_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "route_counts" ADD CONSTRAINT "route_counts_version_id_model_versions_version_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("version_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "route_counts_model_minute_idx" ON "route_counts" USING btree ("model_id","minute");--> statement-breakpoint
UPDATE "webhooks" SET "secret_hint" = '…' || right("secret", 4) WHERE "secret" IS NOT NULL;
