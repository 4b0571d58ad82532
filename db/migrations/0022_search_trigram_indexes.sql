-- Trigram GIN indexes let the command palette's `name ILIKE '%text%'` (server/navigation/studio-search.ts) read an index
-- instead of scanning every experiment, run, dataset and model. pg_trgm ships with PostgreSQL's contrib, the embedded
-- PostgreSQL and PGlite (db/client.ts loads it there); a server without it, or a role that may not add it, keeps the
-- same answers from a scan, so its absence is a notice, not a failed migration. fastupdate off: names are written one
-- at a time and rarely, and a pending list of new names made the planner cost the index above a scan until the next vacuum.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX IF NOT EXISTS experiments_name_trgm_idx ON experiments USING gin (name gin_trgm_ops) WITH (fastupdate = off);
  CREATE INDEX IF NOT EXISTS runs_name_trgm_idx ON runs USING gin (name gin_trgm_ops) WITH (fastupdate = off);
  CREATE INDEX IF NOT EXISTS datasets_name_trgm_idx ON datasets USING gin (name gin_trgm_ops) WITH (fastupdate = off);
  CREATE INDEX IF NOT EXISTS registered_models_name_trgm_idx ON registered_models USING gin (name gin_trgm_ops) WITH (fastupdate = off);
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm is not available (%): the command palette search scans names instead of using trigram indexes', SQLERRM;
END $$;
