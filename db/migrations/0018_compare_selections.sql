CREATE TABLE "compare_selections" (
	"selection_id" text PRIMARY KEY NOT NULL,
	"experiment_id" bigint NOT NULL,
	"run_ids" text[] NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "compare_selections" ADD CONSTRAINT "compare_selections_experiment_id_experiments_experiment_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("experiment_id") ON DELETE cascade ON UPDATE no action;