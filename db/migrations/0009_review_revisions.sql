CREATE TABLE "review_criteria_revisions" (
	"revision_id" bigserial PRIMARY KEY NOT NULL,
	"review_id" bigint NOT NULL,
	"revision" integer NOT NULL,
	"criteria" jsonb NOT NULL,
	"required_approvals" integer NOT NULL,
	"changed_by_id" text NOT NULL,
	"changed_by" text NOT NULL,
	"changed_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "review_criteria_revisions" ADD CONSTRAINT "review_criteria_revisions_review_id_reviews_review_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("review_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "review_criteria_revisions_uq" ON "review_criteria_revisions" USING btree ("review_id","revision");--> statement-breakpoint
INSERT INTO "review_criteria_revisions" ("review_id", "revision", "criteria", "required_approvals", "changed_by_id", "changed_by", "changed_at")
	SELECT "review_id", "criteria_revision", "criteria", "required_approvals", "requested_by_id", "requested_by",
		CASE WHEN "criteria_revision" = 1 THEN "created_at" ELSE "updated_at" END
	FROM "reviews";--> statement-breakpoint
CREATE TABLE "review_exceptions" (
	"exception_id" bigserial PRIMARY KEY NOT NULL,
	"review_id" bigint NOT NULL,
	"decision_id" bigint NOT NULL,
	"criterion_key" text NOT NULL,
	"criterion" text NOT NULL,
	"result" text NOT NULL,
	"justification" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "review_exceptions" ADD CONSTRAINT "review_exceptions_review_id_reviews_review_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("review_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_exceptions" ADD CONSTRAINT "review_exceptions_decision_id_review_decisions_decision_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."review_decisions"("decision_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_exceptions_review_idx" ON "review_exceptions" USING btree ("review_id");--> statement-breakpoint
ALTER TABLE "review_decisions" ADD COLUMN "withdrawn_at" bigint;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD COLUMN "withdrawn_by" text;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD COLUMN "withdrawal_reason" text;--> statement-breakpoint
UPDATE "reviews" SET "status" = 'evaluation_failed' WHERE "status" = 'draft' AND "evaluation_error" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "inference_feedback" ADD COLUMN "posted_by_id" text;--> statement-breakpoint
ALTER TABLE "inference_feedback" ADD COLUMN "posted_by" text;--> statement-breakpoint
ALTER TABLE "inference_feedback" ADD COLUMN "superseded_at" bigint;--> statement-breakpoint
DROP INDEX "inference_feedback_row_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "inference_feedback_current_uq" ON "inference_feedback" USING btree ("model_id","request_id","row_index") WHERE superseded_at is null;
