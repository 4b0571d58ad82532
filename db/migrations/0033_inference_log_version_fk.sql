-- inference_log's rows point at their model and version with one foreign key on the pair instead of one per column:
-- every logged row pays for each key's check in the log's PostgreSQL backend. The unique index comes first: the new
-- key needs it (drizzle-kit wrote the two statements the other way round).
CREATE UNIQUE INDEX "model_versions_model_id_version_id_uq" ON "model_versions" USING btree ("model_id","version_id");--> statement-breakpoint
ALTER TABLE "inference_log" DROP CONSTRAINT "inference_log_model_id_registered_models_model_id_fk";
--> statement-breakpoint
ALTER TABLE "inference_log" DROP CONSTRAINT "inference_log_version_id_model_versions_version_id_fk";
--> statement-breakpoint
ALTER TABLE "inference_log" ADD CONSTRAINT "inference_log_version_fk" FOREIGN KEY ("model_id","version_id") REFERENCES "public"."model_versions"("model_id","version_id") ON DELETE cascade ON UPDATE no action;
