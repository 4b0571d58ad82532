// Chart rollups of metric history (table metric_rollups): how they are written and which one a chart reads.
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";

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
 * only newly inserted points.
 */
function mergeRollups(points: SQL, leadingCtes: SQL = sql``): SQL {
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
    insert into metric_rollups (run_uuid, key, width, bucket, n, lo, hi, first, last)
    select run_uuid, k, w, b, n, lo, hi, first, last from levels
    order by run_uuid, k, w, b
    on conflict (run_uuid, key, width, bucket) do update set
      n = metric_rollups.n + excluded.n,
      lo = least(metric_rollups.lo, excluded.lo),
      hi = greatest(metric_rollups.hi, excluded.hi),
      first = least(metric_rollups.first, excluded.first),
      last = greatest(metric_rollups.last, excluded.last)`;
}

/**
 * Inserts points into the history and, for those that were new, into the rollups: one statement,
 * so the two never disagree.
 */
export async function insertMetricPoints(
  tx: Executor,
  runId: string,
  points: { keys: string[]; steps: number[]; timestamps: number[]; values: number[] },
): Promise<void> {
  await tx.execute(
    mergeRollups(
      sql`select * from inserted`,
      sql`inserted as (
        insert into metrics (run_uuid, key, step, timestamp, value)
        select ${runId}, k, s, t, v
        from unnest(${sql.param(points.keys)}::text[], ${sql.param(points.steps)}::int8[], ${sql.param(points.timestamps)}::int8[], ${sql.param(points.values)}::float8[]) as u(k, s, t, v)
        order by k, s, t, v
        on conflict do nothing
        returning run_uuid, key as k, step as s, timestamp as t, value as v
      ),`,
    ),
  );
}

/** Recomputes the rollups of some runs from their history: for data written straight into `metrics` (seeds, benchmarks). */
export async function rebuildMetricRollups(db: Executor, runIds: string[]): Promise<void> {
  await db.execute(sql`delete from metric_rollups where run_uuid = any(${sql.param(runIds)}::text[])`);
  await db.execute(
    mergeRollups(sql`select run_uuid, key as k, step as s, timestamp as t, value as v from metrics where run_uuid = any(${sql.param(runIds)}::text[])`),
  );
}
