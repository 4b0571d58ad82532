CREATE TABLE "model_version_tags" (
	"version_id" bigint NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "model_version_tags_version_id_key_pk" PRIMARY KEY("version_id","key")
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"version_id" bigserial PRIMARY KEY NOT NULL,
	"model_id" bigint NOT NULL,
	"version" integer NOT NULL,
	"creation_timestamp" bigint NOT NULL,
	"last_updated_timestamp" bigint NOT NULL,
	"user_id" text DEFAULT '' NOT NULL,
	"current_stage" text DEFAULT 'None' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"source" text NOT NULL,
	"storage_location" text NOT NULL,
	"run_id" text,
	"run_link" text,
	"logged_model_id" text,
	"status" text DEFAULT 'READY' NOT NULL,
	"status_message" text,
	"onnx_path" text,
	"introspection" jsonb,
	"lineage" jsonb
);
--> statement-breakpoint
CREATE TABLE "registered_model_aliases" (
	"model_id" bigint NOT NULL,
	"alias" text NOT NULL,
	"version_id" bigint NOT NULL,
	CONSTRAINT "registered_model_aliases_model_id_alias_pk" PRIMARY KEY("model_id","alias")
);
--> statement-breakpoint
CREATE TABLE "registered_model_tags" (
	"model_id" bigint NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "registered_model_tags_model_id_key_pk" PRIMARY KEY("model_id","key")
);
--> statement-breakpoint
CREATE TABLE "registered_models" (
	"model_id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"user_id" text DEFAULT '' NOT NULL,
	"creation_timestamp" bigint NOT NULL,
	"last_updated_timestamp" bigint NOT NULL,
	"last_version" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "model_version_tags" ADD CONSTRAINT "model_version_tags_version_id_model_versions_version_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("version_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_model_id_registered_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registered_model_aliases" ADD CONSTRAINT "registered_model_aliases_model_id_registered_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registered_model_aliases" ADD CONSTRAINT "registered_model_aliases_version_id_model_versions_version_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("version_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registered_model_tags" ADD CONSTRAINT "registered_model_tags_model_id_registered_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_model_version_uq" ON "model_versions" USING btree ("model_id","version");--> statement-breakpoint
CREATE INDEX "model_versions_run_idx" ON "model_versions" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "registered_model_aliases_version_idx" ON "registered_model_aliases" USING btree ("version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "registered_models_name_uq" ON "registered_models" USING btree ("name");