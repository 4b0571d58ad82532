CREATE TABLE "inference_feedback" (
	"feedback_id" bigserial PRIMARY KEY NOT NULL,
	"model_id" bigint NOT NULL,
	"request_id" text NOT NULL,
	"row_index" integer DEFAULT 0 NOT NULL,
	"label" jsonb NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inference_log" (
	"log_id" bigserial PRIMARY KEY NOT NULL,
	"model_id" bigint NOT NULL,
	"version_id" bigint NOT NULL,
	"request_id" text NOT NULL,
	"at" bigint NOT NULL,
	"latency_ms" double precision NOT NULL,
	"row_count" integer NOT NULL,
	"inputs" jsonb NOT NULL,
	"predictions" jsonb NOT NULL,
	"protocol" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_monitoring" (
	"model_id" bigint PRIMARY KEY NOT NULL,
	"sample_rate" double precision DEFAULT 1 NOT NULL,
	"retention_days" integer DEFAULT 30 NOT NULL,
	"reference_dataset_version_id" bigint,
	"thresholds" jsonb,
	"flag_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"flag_checked_at" bigint,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inference_feedback" ADD CONSTRAINT "inference_feedback_model_id_registered_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inference_log" ADD CONSTRAINT "inference_log_model_id_registered_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inference_log" ADD CONSTRAINT "inference_log_version_id_model_versions_version_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("version_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_monitoring" ADD CONSTRAINT "model_monitoring_model_id_registered_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_monitoring" ADD CONSTRAINT "model_monitoring_reference_dataset_version_id_dataset_versions_version_id_fk" FOREIGN KEY ("reference_dataset_version_id") REFERENCES "public"."dataset_versions"("version_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inference_feedback_row_uq" ON "inference_feedback" USING btree ("model_id","request_id","row_index");--> statement-breakpoint
CREATE INDEX "inference_log_model_at_idx" ON "inference_log" USING btree ("model_id","at");--> statement-breakpoint
CREATE INDEX "inference_log_request_idx" ON "inference_log" USING btree ("request_id");