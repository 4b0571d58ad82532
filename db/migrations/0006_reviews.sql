CREATE TABLE "evaluation_reports" (
	"report_id" bigserial PRIMARY KEY NOT NULL,
	"model_digest" text NOT NULL,
	"dataset_digest" text NOT NULL,
	"config_digest" text NOT NULL,
	"evaluator_version" text NOT NULL,
	"runtime_version" text NOT NULL,
	"report" jsonb NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_comments" (
	"comment_id" bigserial PRIMARY KEY NOT NULL,
	"review_id" bigint NOT NULL,
	"author_id" text NOT NULL,
	"author" text NOT NULL,
	"body" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_decisions" (
	"decision_id" bigserial PRIMARY KEY NOT NULL,
	"review_id" bigint NOT NULL,
	"reviewer_id" text NOT NULL,
	"reviewer" text NOT NULL,
	"decision" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"criteria_revision" integer NOT NULL,
	"created_at" bigint NOT NULL,
	"invalidated_at" bigint
);
--> statement-breakpoint
CREATE TABLE "review_jobs" (
	"job_id" bigserial PRIMARY KEY NOT NULL,
	"review_id" bigint NOT NULL,
	"status" text NOT NULL,
	"progress" double precision DEFAULT 0 NOT NULL,
	"stage" text DEFAULT 'queued' NOT NULL,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" bigint NOT NULL,
	"started_at" bigint,
	"finished_at" bigint
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"review_id" bigserial PRIMARY KEY NOT NULL,
	"model_version_id" bigint NOT NULL,
	"dataset_version_id" bigint NOT NULL,
	"label_column" text NOT NULL,
	"sensitive_attributes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"criteria" jsonb NOT NULL,
	"criteria_revision" integer DEFAULT 1 NOT NULL,
	"required_approvals" integer DEFAULT 1 NOT NULL,
	"context" jsonb NOT NULL,
	"status" text NOT NULL,
	"requested_by_id" text NOT NULL,
	"requested_by" text NOT NULL,
	"report_id" bigint,
	"criteria_results" jsonb,
	"evaluation_error" text,
	"training_overlap" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"decided_at" bigint
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "scopes" jsonb DEFAULT '["all"]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "review_comments" ADD CONSTRAINT "review_comments_review_id_reviews_review_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("review_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_review_id_reviews_review_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("review_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_jobs" ADD CONSTRAINT "review_jobs_review_id_reviews_review_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("review_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_model_version_id_model_versions_version_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("version_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_dataset_version_id_dataset_versions_version_id_fk" FOREIGN KEY ("dataset_version_id") REFERENCES "public"."dataset_versions"("version_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_report_id_evaluation_reports_report_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."evaluation_reports"("report_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_reports_key_uq" ON "evaluation_reports" USING btree ("model_digest","dataset_digest","config_digest");--> statement-breakpoint
CREATE INDEX "review_comments_review_idx" ON "review_comments" USING btree ("review_id");--> statement-breakpoint
CREATE INDEX "review_decisions_review_idx" ON "review_decisions" USING btree ("review_id");--> statement-breakpoint
CREATE INDEX "review_jobs_review_idx" ON "review_jobs" USING btree ("review_id");--> statement-breakpoint
CREATE INDEX "review_jobs_status_idx" ON "review_jobs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "reviews_model_version_idx" ON "reviews" USING btree ("model_version_id");--> statement-breakpoint
CREATE INDEX "reviews_status_idx" ON "reviews" USING btree ("status");--> statement-breakpoint
-- An evaluation report is evidence for a sign-off: once stored, the database refuses to change or remove it.
CREATE OR REPLACE FUNCTION evaluation_reports_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'evaluation_reports are immutable: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER evaluation_reports_no_update_delete BEFORE UPDATE OR DELETE ON evaluation_reports
  FOR EACH ROW EXECUTE FUNCTION evaluation_reports_refuse_change();
