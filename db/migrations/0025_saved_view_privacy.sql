DROP INDEX "saved_views_name_uq";--> statement-breakpoint
ALTER TABLE "saved_views" ADD COLUMN "private_to" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_owner_name_uq" ON "saved_views" USING btree ("experiment_id","kind","private_to","name");