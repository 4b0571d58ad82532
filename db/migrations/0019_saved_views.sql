CREATE TABLE "saved_views" (
	"view_id" bigserial PRIMARY KEY NOT NULL,
	"experiment_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"state" jsonb NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_by" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_experiment_id_experiments_experiment_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("experiment_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_name_uq" ON "saved_views" USING btree ("experiment_id","kind","name");--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_default_uq" ON "saved_views" USING btree ("experiment_id","kind") WHERE "saved_views"."is_default";