-- The metrics → runs foreign key checked every inserted point on its own: a lookup of the run per row, 1,000 per
-- log-batch, which was about half of a batch's insert cost (backend CPU on one connection, 1,000-point batches: a bare
-- INSERT 8.3 ms with the key, 5.1 ms with the check below). The same guarantees, checked once per statement: an
-- insert (or an update of run_uuid) is refused with foreign_key_violation when any run it names does not exist, and
-- the runs it names are locked FOR KEY SHARE as the foreign key locks them, so a run cannot be deleted under it.
-- Deleting a run still deletes its points (the key's ON DELETE CASCADE), and a run's id cannot change while it
-- has points (the key's ON UPDATE NO ACTION).
ALTER TABLE "metrics" DROP CONSTRAINT "metrics_run_uuid_runs_run_uuid_fk";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION studio_metrics_runs_exist() RETURNS trigger AS $$
DECLARE
  named integer;
  locked integer;
BEGIN
  SELECT count(DISTINCT run_uuid) INTO named FROM new_points;
  SELECT count(*) INTO locked FROM (
    SELECT 1 FROM runs WHERE run_uuid IN (SELECT run_uuid FROM new_points) FOR KEY SHARE
  ) AS existing;
  IF locked < named THEN
    RAISE foreign_key_violation USING
      MESSAGE = 'insert or update on table "metrics" names a run that does not exist',
      TABLE = 'metrics', CONSTRAINT = 'metrics_run_uuid_runs_run_uuid_fk';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER metrics_insert_runs_exist AFTER INSERT ON "metrics"
  REFERENCING NEW TABLE AS new_points FOR EACH STATEMENT EXECUTE FUNCTION studio_metrics_runs_exist();
--> statement-breakpoint
CREATE TRIGGER metrics_update_runs_exist AFTER UPDATE ON "metrics"
  REFERENCING NEW TABLE AS new_points FOR EACH STATEMENT EXECUTE FUNCTION studio_metrics_runs_exist();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION studio_runs_delete_metrics() RETURNS trigger AS $$
BEGIN
  DELETE FROM metrics WHERE run_uuid IN (SELECT run_uuid FROM gone_runs);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER runs_delete_metrics AFTER DELETE ON "runs"
  REFERENCING OLD TABLE AS gone_runs FOR EACH STATEMENT EXECUTE FUNCTION studio_runs_delete_metrics();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION studio_runs_keep_metric_ids() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM metrics WHERE run_uuid = OLD.run_uuid) THEN
    RAISE foreign_key_violation USING
      MESSAGE = format('run %s has metric points: its id cannot change', OLD.run_uuid),
      TABLE = 'runs', CONSTRAINT = 'metrics_run_uuid_runs_run_uuid_fk';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER runs_keep_metric_ids BEFORE UPDATE OF run_uuid ON "runs"
  FOR EACH ROW WHEN (OLD.run_uuid IS DISTINCT FROM NEW.run_uuid) EXECUTE FUNCTION studio_runs_keep_metric_ids();
