// The database's CPU per 1,000-point log-batch on each write path, on one connection, read from the backend's
// /proc/<pid>/schedstat so that a busy machine does not distort it (the backend must run on this machine):
// the all-new statement (points, latest values and rollups merged from rows grouped in Node), the point-by-point
// statement that queues its new points, each with the compaction that folds what it queued, and a bare INSERT.
// Rounds interleave the paths, each on fresh runs; every round checks the rollups equal a rebuild.
// Usage: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/rollup-write-cpu.ts
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { Client } from "pg";
import { queryRows, type Database } from "@/db/client";
import { createTestStudio } from "@/server/testing/test-database";
import { numberArrayLiteral, textArrayLiteral } from "@/server/tracking/array-literal";
import { insertMetricPoints, rebuildMetricRollups } from "@/server/tracking/metric-rollups";
import { compactRollupBacklog } from "@/server/tracking/rollup-compaction";
import { batchPoints } from "./mlflow-load";

const RUNS = 4;
const BATCHES_PER_RUN = Number(process.env.BENCH_BATCHES ?? 64);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const cpuNs = (pid: number) => Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]);

function pointArrays(batch: number) {
  const m = batchPoints(batch, 1000);
  return { keys: m.map((p) => p.key), steps: m.map((p) => p.step), timestamps: m.map((p) => p.timestamp), values: m.map((p) => p.value) };
}

async function main(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) throw new Error("Set TEST_DATABASE_URL to a PostgreSQL server on this machine.");
  const studio = await createTestStudio("postgres");
  const [{ db: dbName }] = await queryRows<{ db: string }>(studio.db, sql`select current_database() as db`);
  const url = new URL(process.env.TEST_DATABASE_URL);
  url.pathname = `/${dbName}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  const db = drizzle(client) as unknown as Database;
  const [{ pid }] = await queryRows<{ pid: number }>(db, sql`select pg_backend_pid() as pid`);
  const newRuns = async () => {
    const ids = Array.from({ length: RUNS }, () => randomBytes(16).toString("hex"));
    await db.execute(sql`insert into runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri, lifecycle_stage)
      select id, 0, id, 'bench', 'RUNNING', 1, 'bench', 'active' from unnest(${sql.param(ids)}::text[]) as u(id)`);
    return ids;
  };
  /** Backend CPU per batch of `write` over every batch of fresh runs, then of `after` (the fold), in ms. */
  const measure = async (write: (runId: string, batch: number) => Promise<unknown>, after?: () => Promise<void>) => {
    const runIds = await newRuns();
    let start = cpuNs(pid);
    for (let b = 0; b < BATCHES_PER_RUN; b++) for (const runId of runIds) await write(runId, b);
    const writeMs = (cpuNs(pid) - start) / 1e6 / (RUNS * BATCHES_PER_RUN);
    start = cpuNs(pid);
    await after?.();
    const afterMs = (cpuNs(pid) - start) / 1e6 / (RUNS * BATCHES_PER_RUN);
    return { runIds, writeMs, afterMs };
  };
  const rollupsText = async (runIds: string[]) =>
    (await queryRows<{ r: string | null }>(db, sql`
      select string_agg(concat_ws('|', run_uuid, key, width, bucket, n, lo::text, hi::text, first::text, last::text), ';' order by run_uuid, key, width, bucket) as r
      from metric_rollups where run_uuid = any(${sql.param(runIds)}::text[])`))[0].r;
  const checkRollups = async (path: string, runIds: string[]) => {
    const kept = await rollupsText(runIds);
    await rebuildMetricRollups(db, runIds);
    if (!kept || kept !== (await rollupsText(runIds))) throw new Error(`${path}: the rollups differ from a rebuild`);
  };

  const foldBacklog = async () => {
    while ((await compactRollupBacklog(db)) > 0) {
      // fold until the backlog is empty
    }
  };
  const rows: Record<string, number[]> = {};
  const note = (name: string, ms: number) => (rows[name] ??= []).push(ms);
  for (let round = 0; round < ROUNDS; round++) {
    const allNew = await measure((runId, b) => insertMetricPoints(db, runId, pointArrays(b), true), foldBacklog);
    await checkRollups("all-new statement", allNew.runIds);
    note("all-new statement", allNew.writeMs);
    note("all-new: fold of what it queued", allNew.afterMs);

    const queued = await measure((runId, b) => insertMetricPoints(db, runId, pointArrays(b), false), foldBacklog);
    await checkRollups("point-by-point statement", queued.runIds);
    note("point-by-point statement, queuing", queued.writeMs);
    note("point-by-point: fold of what it queued", queued.afterMs);

    const bare = await measure(async (runId, b) => {
      const p = pointArrays(b);
      await db.execute(sql`
        insert into metrics (run_uuid, key, step, timestamp, value)
        select ${runId}, k, s, t, v from unnest(${textArrayLiteral(p.keys)}::text[], ${numberArrayLiteral(p.steps)}::int8[],
               ${numberArrayLiteral(p.timestamps)}::int8[], ${numberArrayLiteral(p.values)}::float8[]) as u(k, s, t, v)`);
    });
    note("bare INSERT (no latest values, no rollups)", bare.writeMs);
  }
  console.log(`backend CPU per 1,000-point batch (10 keys × 100 steps), ms; ${RUNS} runs × ${BATCHES_PER_RUN} batches per round`);
  for (const [name, ms] of Object.entries(rows)) console.log(`${name.padEnd(44)} ${ms.map((m) => m.toFixed(2).padStart(6)).join(" ")}`);
  await client.end();
  await studio.close();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
