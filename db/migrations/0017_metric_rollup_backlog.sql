CREATE TABLE "metric_rollup_backlog" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_uuid" text NOT NULL,
	"keys" text[] NOT NULL,
	"steps" bigint[] NOT NULL,
	"times" bigint[] NOT NULL,
	"vals" double precision[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "metric_rollup_backlog" ADD CONSTRAINT "metric_rollup_backlog_run_uuid_runs_run_uuid_fk" FOREIGN KEY ("run_uuid") REFERENCES "public"."runs"("run_uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_rollup_backlog_run_idx" ON "metric_rollup_backlog" USING btree ("run_uuid");