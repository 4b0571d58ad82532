CREATE TABLE "metric_rollups" (
	"run_uuid" text NOT NULL,
	"key" text NOT NULL,
	"width" integer NOT NULL,
	"bucket" bigint NOT NULL,
	"n" bigint NOT NULL,
	"lo" double precision[] NOT NULL,
	"hi" double precision[] NOT NULL,
	"first" double precision[] NOT NULL,
	"last" double precision[] NOT NULL,
	CONSTRAINT "metric_rollups_run_uuid_key_width_bucket_pk" PRIMARY KEY("run_uuid","key","width","bucket")
);
--> statement-breakpoint
ALTER TABLE "metric_rollups" ADD CONSTRAINT "metric_rollups_run_uuid_runs_run_uuid_fk" FOREIGN KEY ("run_uuid") REFERENCES "public"."runs"("run_uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Existing history gets its rollups once (widths as in server/tracking/metric-rollups.ts).
INSERT INTO "metric_rollups" ("run_uuid", "key", "width", "bucket", "n", "lo", "hi", "first", "last")
SELECT run_uuid, key, w, floor(step::float8 / w)::int8, count(*),
  min(array[value, step::float8, timestamp::float8]), max(array[value, -step::float8, timestamp::float8]),
  min(array[step::float8, timestamp::float8, value]), max(array[step::float8, timestamp::float8, value])
FROM metrics CROSS JOIN unnest(array[16, 64, 256, 1024]) AS widths(w)
WHERE value <> 'NaN'::float8 AND value <> 'Infinity'::float8 AND value <> '-Infinity'::float8
GROUP BY run_uuid, key, w, floor(step::float8 / w);
