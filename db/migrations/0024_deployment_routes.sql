CREATE TABLE "deployment_routes" (
	"model_id" bigint PRIMARY KEY NOT NULL,
	"canary_version_id" bigint,
	"canary_share" double precision DEFAULT 0 NOT NULL,
	"canary_since" bigint,
	"shadow_version_id" bigint,
	"shadow_since" bigint,
	"guards" jsonb,
	"last_guard_action" text,
	"last_guard_check_at" bigint,
	"updated_at" bigint NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "serving_errors" (
	"error_id" bigserial PRIMARY KEY NOT NULL,
	"model_id" bigint NOT NULL,
	"version_id" bigint NOT NULL,
	"route" text NOT NULL,
	"request_id" text NOT NULL,
	"at" bigint NOT NULL,
	"status" integer NOT NULL,
	"message" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deployment_routes" ADD CONSTRAINT "deployment_routes_model_id_registered_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_routes" ADD CONSTRAINT "deployment_routes_canary_version_id_model_versions_version_id_fk" FOREIGN KEY ("canary_version_id") REFERENCES "public"."model_versions"("version_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_routes" ADD CONSTRAINT "deployment_routes_shadow_version_id_model_versions_version_id_fk" FOREIGN KEY ("shadow_version_id") REFERENCES "public"."model_versions"("version_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "serving_errors" ADD CONSTRAINT "serving_errors_model_id_registered_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "serving_errors" ADD CONSTRAINT "serving_errors_version_id_model_versions_version_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("version_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "serving_errors_model_at_idx" ON "serving_errors" USING btree ("model_id","at");