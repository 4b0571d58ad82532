ALTER TABLE "review_criteria_revisions" ADD COLUMN "value_settings" jsonb;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "value_settings" jsonb;