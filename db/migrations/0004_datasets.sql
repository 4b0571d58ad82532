CREATE TABLE "dataset_quality_rules" (
	"rule_id" bigserial PRIMARY KEY NOT NULL,
	"dataset_id" bigint NOT NULL,
	"rule" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dataset_versions" (
	"version_id" bigserial PRIMARY KEY NOT NULL,
	"dataset_id" bigint NOT NULL,
	"version" integer NOT NULL,
	"digest" text NOT NULL,
	"format" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"storage_path" text NOT NULL,
	"original_filename" text DEFAULT '' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"row_count" bigint,
	"columns" jsonb NOT NULL,
	"masking_policy" jsonb NOT NULL,
	"pii_findings" jsonb NOT NULL,
	"profile_status" text DEFAULT 'pending' NOT NULL,
	"profile_progress" double precision DEFAULT 0 NOT NULL,
	"profile_stage" text DEFAULT '' NOT NULL,
	"profile_error" text,
	"profile" jsonb,
	"quality_status" text DEFAULT 'pending' NOT NULL,
	"quality_results" jsonb,
	"quality_reason" text,
	"created_by" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"dataset_id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"source" text DEFAULT '' NOT NULL,
	"licence" text DEFAULT '' NOT NULL,
	"owner" text NOT NULL,
	"label_column" text,
	"sensitive_attributes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"hash_salt" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dataset_quality_rules" ADD CONSTRAINT "dataset_quality_rules_dataset_id_datasets_dataset_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("dataset_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_dataset_id_datasets_dataset_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("dataset_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dataset_quality_rules_dataset_idx" ON "dataset_quality_rules" USING btree ("dataset_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_versions_dataset_digest_uq" ON "dataset_versions" USING btree ("dataset_id","digest");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_versions_dataset_version_uq" ON "dataset_versions" USING btree ("dataset_id","version");--> statement-breakpoint
CREATE INDEX "dataset_versions_digest_idx" ON "dataset_versions" USING btree ("digest");--> statement-breakpoint
CREATE UNIQUE INDEX "datasets_name_uq" ON "datasets" USING btree ("name");