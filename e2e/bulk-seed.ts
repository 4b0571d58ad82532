// Seeds many runs straight into the database of the studio under test, set-based, for journeys about what the pages do
// with a thousand runs: logging them through the MLflow API is two requests a run (e2e/mlflow-api.ts), minutes of setup.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { embeddedPostgresPaths, runningPostmaster } from "../db/embedded-postgres";
import { rebuildMetricRollups } from "../server/tracking/metric-rollups";
import { E2E_ADMIN_USERNAME, E2E_SERVER_INDEX, e2eDataDir } from "./credentials";
import type { LoggedRun } from "./mlflow-api";

/** The connection URL of this worker's studio's embedded PostgreSQL, which the studio started; never printed (it holds the password). */
function studioDatabaseUrl(): string {
  const paths = embeddedPostgresPaths(e2eDataDir(E2E_SERVER_INDEX));
  const postmaster = runningPostmaster(paths.cluster);
  if (!postmaster || postmaster.status !== "ready") throw new Error(`The studio's PostgreSQL in ${paths.cluster} is not running: bulk seeds go to the database of a running studio.`);
  const password = readFileSync(paths.password, "utf8").trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${postmaster.port}/postgres`;
}

/**
 * Writes the rows that runs/create and one runs/log-batch per run leave for `runs` (as logRuns logs them: started a
 * minute ago, still RUNNING, owned by the authenticated admin, one point per step a second apart): the run, its name and
 * user tags, params, metric history, latest values and chart rollups (the service's own rebuildMetricRollups), in one
 * transaction. No audit entries: the journeys that read the audit log make their own changes through the pages.
 * Returns the run ids in the order of `runs`.
 */
export async function seedRunsInBulk(experimentId: string, runs: LoggedRun[]): Promise<string[]> {
  const started = Date.now() - 60_000;
  const ids = runs.map(() => randomBytes(16).toString("hex"));
  const perRun = <T>(pick: (run: LoggedRun, id: string) => T[]) => runs.flatMap((run, i) => pick(run, ids[i]!));
  const tags = perRun((run, id) => [
    { id, key: "mlflow.runName", value: run.runName },
    { id, key: "mlflow.user", value: E2E_ADMIN_USERNAME },
  ]);
  const params = perRun((run, id) => Object.entries(run.params).map(([key, value]) => ({ id, key, value })));
  const points = perRun((run, id) =>
    Object.entries(run.metrics).flatMap(([key, values]) => values.map((value, step) => ({ id, key, step, timestamp: started + step * 1000, value }))),
  );

  const client = new pg.Client({ connectionString: studioDatabaseUrl() });
  await client.connect();
  try {
    const db = drizzle(client);
    await db.transaction(async (tx) => {
      const created = await tx.execute(sql`
        insert into runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri)
        select u.id, e.experiment_id, u.name, ${E2E_ADMIN_USERNAME}, 'RUNNING', ${started}::int8, rtrim(e.artifact_location, '/') || '/' || u.id || '/artifacts'
        from unnest(${sql.param(ids)}::text[], ${sql.param(runs.map((run) => run.runName))}::text[]) as u(id, name)
        join experiments e on e.experiment_id = ${Number(experimentId)} and e.lifecycle_stage = 'active'`);
      if (created.rowCount !== runs.length) throw new Error(`No active experiment ${experimentId} to seed runs into.`);
      for (const [table, rows] of [
        [sql`tags`, tags],
        [sql`params`, params],
      ] as const) {
        if (!rows.length) continue;
        await tx.execute(sql`
          insert into ${table} (run_uuid, key, value)
          select * from unnest(${sql.param(rows.map((r) => r.id))}::text[], ${sql.param(rows.map((r) => r.key))}::text[], ${sql.param(rows.map((r) => r.value))}::text[])`);
      }
      if (!points.length) return;
      await tx.execute(sql`
        insert into metrics (run_uuid, key, step, timestamp, value)
        select * from unnest(${sql.param(points.map((p) => p.id))}::text[], ${sql.param(points.map((p) => p.key))}::text[], ${sql.param(points.map((p) => p.step))}::int8[],
                             ${sql.param(points.map((p) => p.timestamp))}::int8[], ${sql.param(points.map((p) => p.value))}::float8[])`);
      await tx.execute(sql`
        insert into latest_metrics (run_uuid, key, step, timestamp, value)
        select distinct on (run_uuid, key) run_uuid, key, step, timestamp, value from metrics
        where run_uuid = any(${sql.param(ids)}::text[])
        order by run_uuid, key, step desc, timestamp desc, value desc`);
      await rebuildMetricRollups(tx, ids);
    });
  } finally {
    await client.end();
  }
  return ids;
}
