// Chart rollups of metric history (table metric_rollups): how they are written and which one a chart reads.
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { onNodePostgresPool, queryRowsPrepared } from "@/db/prepared-reads";
import { latestPointPerKey } from "@/lib/latest-metric-points";
import { rollupBucketsOf } from "@/lib/metric-rollup-buckets";
import { numberArrayLiteral, textArrayLiteral } from "./array-literal";
import { arrayParameters, type ArrayParameters } from "./binary-array";
import { CURRENT_XID_SQL } from "./snapshot-cache";

type Executor = Pick<Database, "execute">;

/** Bucket widths in steps, finest first: each level is a quarter the size of the one below, ~8% extra rows in all. */
export const ROLLUP_WIDTHS = [16, 64, 256, 1024] as const;

/**
 * The coarsest rollup whose buckets still give the chart its points (each bucket brings up to four:
 * first, lowest, highest, last), or 0 when the span is short enough to read the raw points.
 */
export function rollupWidthFor(stepSpan: number, maxPoints: number): number {
  for (let i = ROLLUP_WIDTHS.length - 1; i >= 0; i--) {
    if (stepSpan / ROLLUP_WIDTHS[i] >= maxPoints / 4) return ROLLUP_WIDTHS[i];
  }
  return 0;
}

const FINITE = sql`v <> 'NaN'::float8 and v <> 'Infinity'::float8 and v <> '-Infinity'::float8`;

/**
 * Merges points(run_uuid, k, s, t, v) into the rollups. Points are grouped once into the finest
 * buckets; the coarser levels are grouped from those few rows, not from the points again. Min/max of
 * the point arrays are idempotent, so a re-sent point changes nothing but the count; callers pass
 * only newly inserted points (the backlog holds only those).
 */
function mergeRollups(points: SQL, leadingCtes: SQL = sql``, tail?: SQL): SQL {
  const [finestWidth, ...coarser] = ROLLUP_WIDTHS;
  // A literal, not a parameter: the same expression must appear in select and group by.
  const finest = sql.raw(String(finestWidth));
  return sql`
    with ${leadingCtes} finest as (
      select run_uuid, k, floor(s::float8 / ${finest})::int8 as b, count(*) as n,
        min(array[v, s::float8, t::float8]) as lo, max(array[v, -s::float8, t::float8]) as hi,
        min(array[s::float8, t::float8, v]) as first, max(array[s::float8, t::float8, v]) as last
      from (${points}) p
      where ${FINITE}
      group by run_uuid, k, floor(s::float8 / ${finest})
    ), levels as (
      select run_uuid, k, ${finest}::int4 as w, b, n, lo, hi, first, last from finest
      union all
      select run_uuid, k, w, floor((b * ${finest})::float8 / w)::int8, sum(n)::int8, min(lo), max(hi), min(first), max(last)
      from finest cross join unnest(${sql.param([...coarser])}::int4[]) as widths(w)
      group by run_uuid, k, w, floor((b * ${finest})::float8 / w)
    )
    ${tail ? sql`, merged as (` : sql``}
    insert into metric_rollups (run_uuid, key, width, bucket, n, lo, hi, first, last)
    select run_uuid, k, w, b, n, lo, hi, first, last from levels
    order by run_uuid, k, w, b
    ${MERGE_INTO_STORED}
    ${tail ? sql`) ${tail}` : sql``}`;
}

/** How a rollup row meets the stored one of its bucket: counts add up, the extreme points are the extremes of both. */
const MERGE_INTO_STORED = sql`
    on conflict (run_uuid, key, width, bucket) do update set
      n = metric_rollups.n + excluded.n,
      lo = least(metric_rollups.lo, excluded.lo),
      hi = greatest(metric_rollups.hi, excluded.hi),
      first = least(metric_rollups.first, excluded.first),
      last = greatest(metric_rollups.last, excluded.last)`;

/**
 * A statement (for a CTE) merging a batch of all-new points into the rollups from the rows grouped in Node
 * (rollupBucketsOf): ~120 rows for a 1,000-point batch of 10 keys, every level at once. The arrays are built here as
 * the database builds them from points (`-step` included, so that step 0 gives -0 as there), so the rows equal what
 * mergeRollups would write. `active` is the condition that the run may take points. Its 16 arrays go as `arrays`
 * sends them: in binary on node-postgres, where as literals they cost ~1,900 numbers printed by Node and parsed back
 * by float8in/int8in per batch.
 */
function mergeBatchRollups(runId: string, points: PointArrays, active: SQL, arrays: ArrayParameters): SQL {
  const r = rollupBucketsOf(points, ROLLUP_WIDTHS);
  const column = (chosen: number[], of: readonly number[]) => {
    const picked = new Array<number>(chosen.length);
    for (let i = 0; i < chosen.length; i++) picked[i] = of[chosen[i]];
    return arrays.float8(picked);
  };
  const { steps, timestamps, values } = points;
  return sql`
      insert into metric_rollups (run_uuid, key, width, bucket, n, lo, hi, first, last)
      select ${runId}, k, w, b, n, array[lo_v, lo_s, lo_t], array[hi_v, -hi_s, hi_t], array[first_s, first_t, first_v], array[last_s, last_t, last_v]
      from unnest(${arrays.text(r.keys)}::text[], ${arrays.int4(r.widths)}::int4[], ${arrays.int8(r.buckets)}::int8[],
                  ${arrays.int8(r.counts)}::int8[],
                  ${column(r.lo, values)}::float8[], ${column(r.lo, steps)}::float8[], ${column(r.lo, timestamps)}::float8[],
                  ${column(r.hi, values)}::float8[], ${column(r.hi, steps)}::float8[], ${column(r.hi, timestamps)}::float8[],
                  ${column(r.first, steps)}::float8[], ${column(r.first, timestamps)}::float8[], ${column(r.first, values)}::float8[],
                  ${column(r.last, steps)}::float8[], ${column(r.last, timestamps)}::float8[], ${column(r.last, values)}::float8[])
           as u(k, w, b, n, lo_v, lo_s, lo_t, hi_v, hi_s, hi_t, first_s, first_t, first_v, last_s, last_t, last_v)
      where ${active}
      -- The order every statement writing metric_rollups uses, so concurrent writers wait instead of deadlocking.
      order by k, w, b
      ${MERGE_INTO_STORED}`;
}

type PointArrays = { keys: string[]; steps: number[]; timestamps: number[]; values: number[] };
/**
 * `queued`: new points were left in metric_rollup_backlog for compaction to fold (rollup-compaction.ts).
 * `xid`/`experimentId`: the statement's transaction and the run's experiment, for the search cache's write log.
 */
type InsertedPoints = { lifecycleStage: string | null; inserted: number; queued: boolean; xid: string; experimentId: number | null };

/** PostgreSQL's unique_violation and deadlock_detected: a batch holding points already stored (or being stored). */
const RETRY_IDEMPOTENT = new Set(["23505", "40P01"]);

function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string") return e.code;
  }
  return undefined;
}

/**
 * Inserts a batch of one run's points into the history in one statement that also keeps the latest values and the
 * chart rollups: no transaction, no separate round trips. Nothing is written unless the run is active; its lifecycle
 * stage comes back (null when it does not exist).
 *
 * Almost every batch is new points. It is first inserted as such, with a plain INSERT whose points feed the latest
 * values straight from the request's arrays, and whose rollup rows are grouped in Node (mergeBatchRollups): no
 * per-point `on conflict` check, no RETURNING of a thousand rows to aggregate them again, nothing left to fold later.
 * A batch holding a point already stored (a client re-sending after a timeout) fails that statement as a whole,
 * which writes nothing, and is inserted again point by point (insertNewMetricPoints); only the database knows which of
 * its points were new, so those are queued in metric_rollup_backlog for compaction to fold. `outsideTransaction` must
 * be true for the first try: inside a transaction the failed statement would abort the transaction, so there only the
 * point-by-point statement is used.
 */
export async function insertMetricPoints(db: Executor, runId: string, points: PointArrays, outsideTransaction = false): Promise<InsertedPoints> {
  if (outsideTransaction) {
    try {
      return await insertAllMetricPoints(db, runId, points);
    } catch (error) {
      if (!RETRY_IDEMPOTENT.has(sqlState(error) ?? "")) throw error;
    }
  }
  return insertNewMetricPoints(db, runId, points);
}

/**
 * The batch as all-new points; fails (writing nothing) when any is already stored or repeated in the batch.
 *
 * The rollups are merged in the same statement from the batch's rows grouped in Node. Queuing the points for a
 * background fold instead cost more database CPU in all: on one connection, 1,000-point batches of 10 keys, the
 * insert with its backlog row 10.3 ms of backend CPU per batch and the fold 3.6 ms more, against 11.8 ms for this
 * statement with ~120 rollup rows and no fold (bench/rollup-write-cpu.ts).
 *
 * Each key's latest point is picked here (latestPointPerKey, the database's row order) and only those few go to
 * latest_metrics: when the database picked them itself, the thousand points were materialised once more and sorted
 * per key, which cost about as much backend CPU as the whole latest-value upkeep (measured on one connection: this
 * statement 10.1 ms of backend CPU per 1,000-point batch against 11.3 before, a bare INSERT of the same points 9.1).
 * Every point is new here, so the batch's own latest per key is all the upkeep must consider.
 *
 * Sent as a named prepared statement (db/prepared-reads.ts): PostgreSQL planned this statement of four writing CTEs and
 * some thirty parameters anew for every batch, ~1–2 ms of the backend's ~10 ms per 1,000-point batch. On node-postgres
 * the batch's four 1,000-element arrays go in binary (binary-array.ts), which spares Node printing a thousand doubles
 * and PostgreSQL parsing them (measured on one connection, 4 rounds: backend CPU 10.4–11.0 ms per batch before, 8.2–10.0
 * after; a bare INSERT of the same points 5.8–7.3; bench/README.md, issue 18, i18-ingest third pass).
 */
async function insertAllMetricPoints(db: Executor, runId: string, points: PointArrays): Promise<InsertedPoints> {
  const latest = latestPointPerKey(points);
  // Every array in binary where the driver sends them so (node-postgres), as literals on PGlite.
  const arrays = arrayParameters(onNodePostgresPool(db as Database));
  const ks = arrays.text(points.keys);
  const ss = arrays.int8(points.steps);
  const ts = arrays.int8(points.timestamps);
  const vs = arrays.float8(points.values);
  const rows = await queryRowsPrepared<{ lifecycle_stage: string | null; experiment_id: string | number | null; xid: string }>(db as Database, sql`
    with run as (
      select lifecycle_stage, experiment_id from runs where run_uuid = ${runId}
    ), batch as (
      select ${ks}::text[] as ks, ${ss}::int8[] as ss, ${ts}::int8[] as ts, ${vs}::float8[] as vs
    ), inserted as (
      -- Sorted, so that two batches sharing points wait on each other instead of deadlocking.
      insert into metrics (run_uuid, key, step, timestamp, value)
      select ${runId}, k, s, t, v from batch, unnest(ks, ss, ts, vs) as u(k, s, t, v)
      where (select lifecycle_stage from run) = 'active'
      order by k, s, t, v
    ), latest as (
      insert into latest_metrics (run_uuid, key, step, timestamp, value)
      select ${runId}, k, s, t, v
      from unnest(${arrays.text(latest.keys)}::text[], ${arrays.int8(latest.steps)}::int8[],
                  ${arrays.int8(latest.timestamps)}::int8[], ${arrays.float8(latest.values)}::float8[]) as u(k, s, t, v)
      where (select lifecycle_stage from run) = 'active'
      -- In key order, as every statement writing latest_metrics does: concurrent batches of one run then lock its
      -- rows in the same order and wait on each other instead of deadlocking.
      order by k
      on conflict (run_uuid, key) do update
        set step = excluded.step, timestamp = excluded.timestamp, value = excluded.value
        where (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)
    ), rolled as (${mergeBatchRollups(runId, points, sql`(select lifecycle_stage from run) = 'active'`, arrays)}
    )
    select (select lifecycle_stage from run) as lifecycle_stage, (select experiment_id from run) as experiment_id, ${CURRENT_XID_SQL} as xid`);
  const [row] = rows;
  // The statement either inserted every point or failed: all of them when the run is active, none otherwise.
  return {
    lifecycleStage: row.lifecycle_stage,
    inserted: row.lifecycle_stage === "active" ? points.keys.length : 0,
    queued: false,
    xid: row.xid,
    experimentId: row.experiment_id === null ? null : Number(row.experiment_id),
  };
}

/**
 * The batch point by point: `on conflict do nothing` drops points already stored, so a re-sent batch inserts,
 * queues and considers for latest nothing it already did; only newly inserted points move the latest value,
 * which is right because stored ones were considered when they were inserted. Rows are written in sorted order
 * so that concurrent batches sharing points wait on each other's rows in the same order instead of deadlocking.
 */
async function insertNewMetricPoints(db: Executor, runId: string, points: PointArrays): Promise<InsertedPoints> {
  const result = (await db.execute(sql`
    with run as (
      select lifecycle_stage, experiment_id from runs where run_uuid = ${runId}
    ), inserted as (
      insert into metrics (run_uuid, key, step, timestamp, value)
      select ${runId}, k, s, t, v
      from unnest(${textArrayLiteral(points.keys)}::text[], ${numberArrayLiteral(points.steps)}::int8[],
                  ${numberArrayLiteral(points.timestamps)}::int8[], ${numberArrayLiteral(points.values)}::float8[]) as u(k, s, t, v)
      where (select lifecycle_stage from run) = 'active'
      order by k, s, t, v
      on conflict do nothing
      returning key, step, timestamp, value
    ), queued as (
      insert into metric_rollup_backlog (run_uuid, keys, steps, times, vals)
      select ${runId}, array_agg(key), array_agg(step), array_agg(timestamp), array_agg(value) from inserted
      having count(*) > 0
    ), latest as (
      insert into latest_metrics (run_uuid, key, step, timestamp, value)
      select distinct on (key) ${runId}, key, step, timestamp, value from inserted
      order by key, step desc, timestamp desc, value desc
      on conflict (run_uuid, key) do update
        set step = excluded.step, timestamp = excluded.timestamp, value = excluded.value
        where (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)
    )
    select (select lifecycle_stage from run) as lifecycle_stage, (select count(*) from inserted) as inserted,
           (select experiment_id from run) as experiment_id, ${CURRENT_XID_SQL} as xid`)) as unknown as {
    rows: { lifecycle_stage: string | null; inserted: string | number; experiment_id: string | number | null; xid: string }[];
  };
  const [row] = result.rows;
  return {
    lifecycleStage: row.lifecycle_stage,
    inserted: Number(row.inserted),
    queued: Number(row.inserted) > 0,
    xid: row.xid,
    experimentId: row.experiment_id === null ? null : Number(row.experiment_id),
  };
}

/**
 * Folds queued points into the rollups: `claimed` is a CTE (placed before the merge) that deletes
 * backlog rows and returns them; the statement answers how many (`folded`). Deleting and merging in
 * one statement is what makes compaction crash-safe (both or neither) and exactly-once (a row deleted
 * by one compactor is gone for the next).
 */
export function foldBacklog(claimed: SQL): SQL {
  return mergeRollups(
    sql`select c.run_uuid, u.k, u.s, u.t, u.v from claimed c cross join lateral unnest(c.keys, c.steps, c.times, c.vals) as u(k, s, t, v)`,
    sql`claimed as (${claimed}),`,
    sql`select count(*) as folded, ${CURRENT_XID_SQL} as xid from claimed`,
  );
}

/** Recomputes the rollups of some runs from their history: for data written straight into `metrics` (seeds, benchmarks). */
export async function rebuildMetricRollups(db: Executor, runIds: string[]): Promise<void> {
  // Queued points are part of the history the rebuild reads: folding them later would count them twice.
  await db.execute(sql`delete from metric_rollup_backlog where run_uuid = any(${sql.param(runIds)}::text[])`);
  await db.execute(sql`delete from metric_rollups where run_uuid = any(${sql.param(runIds)}::text[])`);
  await db.execute(
    mergeRollups(sql`select run_uuid, key as k, step as s, timestamp as t, value as v from metrics where run_uuid = any(${sql.param(runIds)}::text[])`),
  );
}
