// Series for the compare charts: every chosen run × metric, reduced on the server to about the
// chart's pixel width without losing spikes, or a zoomed range at full resolution.
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { packChartSeries, type PackedChartSeries } from "@/lib/chart-series-wire";
import { downsampleKeepingExtremes, indicesKeepingExtremes } from "@/lib/downsample";
import type { ServiceContext } from "../service-context";
import { float8RowsFromBinary } from "./binary-array";
import { ROLLUP_WIDTHS, rollupWidthFor } from "./metric-rollups";
import { catchUpRollups } from "./rollup-compaction";

export const zChartSeriesInput = z.object({
  runIds: z.array(z.string().min(1).max(64)).min(1, "Choose at least one run").max(1000, "Compare at most 1000 runs at once"),
  keys: z.array(z.string().min(1).max(250)).min(1, "Choose at least one metric").max(100, "Chart at most 100 metrics at once"),
  /** What the x-axis shows: the step, the wall-clock time of each point, or milliseconds since its run started. */
  xAxis: z.enum(["step", "time", "relative"]).default("step"),
  /** Points per series to aim for: about the chart's width in pixels. */
  maxPoints: z.number().int().min(10).max(10_000).default(1000),
  /** A zoomed range on the x-axis (steps, epoch milliseconds, or milliseconds since run start); inclusive. */
  range: z
    .object({ min: z.number(), max: z.number() })
    .refine((r) => r.min <= r.max, "The range's min must not exceed its max")
    .optional(),
});
export type ChartSeriesInput = z.input<typeof zChartSeriesInput>;

export interface ChartPoint {
  step: number;
  timestamp: number;
  value: number;
}

export interface ChartSeries {
  runId: string;
  key: string;
  /** Finite points in x order; at most maxPoints. */
  points: ChartPoint[];
  /** How many finite points the series has in the range before reduction. */
  total: number;
  downsampled: boolean;
  /** The run's start time (epoch ms): on the relative axis a point's x is its timestamp minus this. */
  runStartTime: number;
}

interface BucketRow {
  run_uuid: string;
  key: string;
  t0: string | number;
  /** Finite points in this bucket. */
  n: string | number;
  // [value, step, timestamp] of the bucket's lowest and highest value, [step, timestamp, value] of its first and last point.
  lo: number[];
  hi: number[];
  first: number[];
  last: number[];
  [column: string]: unknown;
}

interface SeriesRef {
  run_uuid: string;
  key: string;
  t0: number;
}

/**
 * Each series is reduced in the database to per-bucket first, last, lowest and highest points (M4:
 * exact for a line chart that wide). On the step axis long series read the pre-reduced rollups
 * (metric_rollups, kept by every logged batch) instead of their raw points; short series and zoomed
 * ranges read raw points, so zooming in reaches full resolution. The few thousand survivors per series
 * are then reduced with LTTB that keeps each bucket's extremes, so a series' global min and max always
 * survive. NaN and ±Infinity cannot be drawn and are left out (the run page lists them).
 */
export async function getChartSeries(ctx: ServiceContext, rawInput: ChartSeriesInput): Promise<{ series: ChartSeries[] }> {
  const input = zChartSeriesInput.parse(rawInput);
  // Rollups are caught up with every acknowledged point before anything below reads them (the summary that
  // validates the cache included): log-batch leaves the merge to a background compactor.
  await catchUpRollups(ctx.db, input.runIds);

  if (input.xAxis === "step" && !input.range) return { series: await wholeSeriesOnStepAxis(ctx, input) };

  let rows: BucketRow[];
  if (input.xAxis === "step") {
    // A zoomed range: step bounds per series inside it come straight from the primary-key index.
    const range = input.range ? sql`and m.step between ${input.range.min} and ${input.range.max}` : sql``;
    const bounds = await queryRows<SeriesRef & { lo: string | number; hi: string | number }>(ctx.db, sql`
      select u.run_uuid, k.key, r.start_time as t0, lim.lo, lim.hi
      from unnest(${sql.param(input.runIds)}::text[]) as u(run_uuid)
      join runs r on r.run_uuid = u.run_uuid
      cross join unnest(${sql.param(input.keys)}::text[]) as k(key)
      cross join lateral (
        select min(m.step) as lo, max(m.step) as hi from metrics m where m.run_uuid = u.run_uuid and m.key = k.key ${range}
      ) lim
      where lim.lo is not null`);
    const rolled: (SeriesRef & { width: number })[] = [];
    const raw: SeriesRef[] = [];
    for (const b of bounds) {
      const width = rollupWidthFor(Number(b.hi) - Number(b.lo), input.maxPoints);
      if (width) rolled.push({ ...b, width });
      else raw.push(b);
    }
    rows = [...(await readRollups(ctx, rolled, input.range)), ...(await reduceRawPoints(ctx, input, raw))];
  } else {
    const series = await queryRows<SeriesRef>(ctx.db, sql`
      select u.run_uuid, k.key, r.start_time as t0
      from unnest(${sql.param(input.runIds)}::text[]) as u(run_uuid)
      join runs r on r.run_uuid = u.run_uuid
      cross join unnest(${sql.param(input.keys)}::text[]) as k(key)`);
    rows = await reduceRawPoints(ctx, input, series);
  }

  const bySeries = new Map<string, { runId: string; key: string; total: number; runStartTime: number; points: ChartPoint[] }>();
  for (const row of rows) {
    const id = `${row.run_uuid}\u0000${row.key}`;
    let entry = bySeries.get(id);
    if (!entry) {
      entry = { runId: row.run_uuid, key: row.key, total: 0, runStartTime: Number(row.t0), points: [] };
      bySeries.set(id, entry);
    }
    entry.total += Number(row.n);
    const [loValue, loStep, loTime] = row.lo.map(Number);
    const [hiValue, hiNegStep, hiTime] = row.hi.map(Number);
    const [firstStep, firstTime, firstValue] = row.first.map(Number);
    const [lastStep, lastTime, lastValue] = row.last.map(Number);
    entry.points.push(
      { step: firstStep, timestamp: firstTime, value: firstValue },
      { step: loStep, timestamp: loTime, value: loValue },
      // The highest value's step was negated so that ties pick the earliest step, as for the lowest.
      { step: -hiNegStep, timestamp: hiTime, value: hiValue },
      { step: lastStep, timestamp: lastTime, value: lastValue },
    );
  }

  // The relative axis is the time axis shifted per run, so the time order serves both.
  const xOf = input.xAxis === "step" ? (p: ChartPoint) => p.step : (p: ChartPoint) => p.timestamp;
  const series: ChartSeries[] = [];
  for (const runId of input.runIds) {
    for (const key of input.keys) {
      const entry = bySeries.get(`${runId}\u0000${key}`);
      if (!entry) continue;
      // Rollup buckets at a zoomed range's edges can carry points just outside it.
      const range = input.xAxis === "step" ? input.range : undefined;
      const inRange = range ? entry.points.filter((p) => p.step >= range.min && p.step <= range.max) : entry.points;
      const reduced = reduceToMaxPoints(dedupeSorted(inRange, xOf), input.maxPoints, xOf);
      series.push({
        runId,
        key,
        points: reduced,
        total: entry.total,
        downsampled: reduced.length < entry.total,
        runStartTime: entry.runStartTime,
      });
    }
  }
  return { series };
}

/** The compare page's chart data as it travels: x and value columns per series in one base64 block (lib/chart-series-wire). */
export async function getPackedChartSeries(ctx: ServiceContext, rawInput: ChartSeriesInput): Promise<PackedChartSeries> {
  const { series } = await getChartSeries(ctx, rawInput);
  return packChartSeries(series, rawInput.xAxis ?? "step");
}

function reduceToMaxPoints(points: ChartPoint[], maxPoints: number, xOf: (p: ChartPoint) => number): ChartPoint[] {
  if (points.length <= maxPoints) return points;
  return downsampleKeepingExtremes(
    points.map((point) => ({ x: xOf(point), y: point.value, point })),
    maxPoints,
  ).map((kept) => kept.point);
}

/**
 * Whole series on the step axis, the compare page's first view: one query reads each series' summary
 * from its coarsest rollup (finite point count, first and last step), which picks the rollup level and
 * tells whether the cached reduction is still current; only series that changed (or were never drawn)
 * read their buckets. Short series read their raw points.
 */
async function wholeSeriesOnStepAxis(ctx: ServiceContext, input: z.output<typeof zChartSeriesInput>): Promise<ChartSeries[]> {
  // The planner cannot know that a (run, key, width) holds a few hundred buckets and guesses thousands:
  // for 100 series the estimate passes jit_above_cost and JIT compilation alone took 100–270 ms of a
  // query that runs in tens. Off for this read only.
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return wholeSeriesOnStepAxisIn({ ...ctx, db: tx as unknown as ServiceContext["db"] }, input);
  });
}

async function wholeSeriesOnStepAxisIn(ctx: ServiceContext, input: z.output<typeof zChartSeriesInput>): Promise<ChartSeries[]> {
  const coarsest = ROLLUP_WIDTHS[ROLLUP_WIDTHS.length - 1];
  const summaries = await queryRows<{ i: number; run_uuid: string; key: string; t0: string; n: string; lo: number; hi: number }>(ctx.db, sql`
    select (u.i * ${input.keys.length} + k.j)::int4 as i, u.run_uuid, k.key, r.start_time as t0, s.n, s.lo, s.hi
    from unnest(${sql.param(input.runIds)}::text[]) with ordinality as u(run_uuid, i)
    join runs r on r.run_uuid = u.run_uuid
    cross join unnest(${sql.param(input.keys)}::text[]) with ordinality as k(key, j)
    cross join lateral (
      select sum(b.n)::int8 as n, min(b.first[1]) as lo, max(b.last[1]) as hi
      from metric_rollups b where b.run_uuid = u.run_uuid and b.key = k.key and b.width = ${coarsest}
    ) s
    where s.n is not null
    order by 1`);
  const found = new Map<number, ChartSeries>();
  const stale: { i: number; run_uuid: string; key: string; t0: number; total: number; width: number; version: string }[] = [];
  const raw: (SeriesRef & { i: number; version: string })[] = [];
  for (const s of summaries) {
    const t0 = Number(s.t0);
    const total = Number(s.n);
    // Width 0: a short series reduced from its raw points. Every logged point is in the rollups whatever the
    // series' length, so the same summary versions both kinds of reduction.
    const width = rollupWidthFor(Number(s.hi) - Number(s.lo), input.maxPoints);
    // Rollups only grow: a new finite point raises the count, so an unchanged count and span mean unchanged points.
    const version = `${total}:${s.lo}:${s.hi}`;
    const cached = reductionCache.get(s.run_uuid, s.key, width, input.maxPoints, version);
    if (cached) found.set(s.i, { runId: s.run_uuid, key: s.key, points: cached, total, downsampled: cached.length < total, runStartTime: t0 });
    else if (width) stale.push({ i: s.i, run_uuid: s.run_uuid, key: s.key, t0, total, width, version });
    else raw.push({ i: s.i, run_uuid: s.run_uuid, key: s.key, t0, version });
  }

  if (stale.length) {
    // One row per series with its buckets as one two-dimensional float8 array in array_send's binary form (a bytea):
    // the database prints no number and the driver parses none. As JSON (json_build_array of the 12 numbers a
    // bucket, then JSON.parse) 100 series × 390 buckets cost the backend ~95 ms of CPU and Node ~100 ms more.
    const rows = await queryRows<{ i: number; buckets: Uint8Array | null }>(ctx.db, sql`
      select c.i, (
        select array_send(array_agg(b.first || b.lo || b.hi || b.last order by b.bucket))
        from metric_rollups b where b.run_uuid = c.run_uuid and b.key = c.key and b.width = c.w
      ) as buckets
      from unnest(${sql.param(stale.map((s) => s.run_uuid))}::text[], ${sql.param(stale.map((s) => s.key))}::text[],
                  ${sql.param(stale.map((s) => s.width))}::int4[], ${sql.param(stale.map((s) => s.i))}::int4[]) as c(run_uuid, key, w, i)`);
    const candidatesOf = new Map<number, PointColumns>();
    for (const row of rows) {
      candidatesOf.set(row.i, bucketCandidates(row.buckets ? float8RowsFromBinary(row.buckets, BUCKET_FIELDS) : new Float64Array(0)));
    }
    for (const s of stale) {
      const candidates = candidatesOf.get(s.i) ?? bucketCandidates(new Float64Array(0));
      const points = reduceColumnsToMaxPoints(candidates, input.maxPoints);
      reductionCache.set(s.run_uuid, s.key, s.width, input.maxPoints, s.version, points);
      found.set(s.i, { runId: s.run_uuid, key: s.key, points, total: s.total, downsampled: points.length < s.total, runStartTime: s.t0 });
    }
  }

  if (raw.length) {
    // A short series (under 4× maxPoints steps) is read whole, as one JSON array per series, and reduced here:
    // on PGlite grouping 100 × 2,000 points into pixel buckets in SQL took 13–18 s, this read about 1–2 s.
    const finite = sql`m.value <> 'NaN'::float8 and m.value <> 'Infinity'::float8 and m.value <> '-Infinity'::float8`;
    const rows = await queryRows<{ i: number; points: number[][] | null }>(ctx.db, sql`
      select c.i, (
        select json_agg(json_build_array(m.step, m.timestamp, m.value) order by m.step, m.timestamp, m.value)
        from metrics m where m.run_uuid = c.run_uuid and m.key = c.key and ${finite}
      ) as points
      from unnest(${sql.param(raw.map((r) => r.run_uuid))}::text[], ${sql.param(raw.map((r) => r.key))}::text[],
                  ${sql.param(raw.map((r) => r.i))}::int4[]) as c(run_uuid, key, i)`);
    const pointsOf = new Map(rows.map((row) => [row.i, row.points ?? []]));
    for (const r of raw) {
      const logged = pointsOf.get(r.i);
      if (!logged?.length) continue;
      const all = logged.map(([step, timestamp, value]) => ({ step: Number(step), timestamp: Number(timestamp), value: Number(value) }));
      const points = reduceToMaxPoints(all, input.maxPoints, (p) => p.step);
      reductionCache.set(r.run_uuid, r.key, 0, input.maxPoints, r.version, points);
      found.set(r.i, { runId: r.run_uuid, key: r.key, points, total: all.length, downsampled: points.length < all.length, runStartTime: Number(r.t0) });
    }
  }
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([, series]) => series);
}

/** A series' candidate points as columns, in step order (then time, then value), each point once. */
interface PointColumns {
  steps: Float64Array;
  timestamps: Float64Array;
  values: Float64Array;
}

/** Numbers a bucket (first || lo || hi || last): [first step, time, value], [lowest value, step, time], [highest value, -step, time], [last step, time, value]. */
const BUCKET_FIELDS = 12;

/**
 * The first, lowest, highest and last points of rollup buckets (12 numbers each, in bucket order), in step order and
 * each once. A bucket's first point is its least by (step, time, value) and its last its greatest, so only the lowest
 * and highest need ordering between them; buckets cover disjoint step ranges, so the series comes out sorted with no
 * sort over all its points (reduceColumnsToMaxPoints checks, and sorts if ever not). Columns, not objects: a first
 * view of 100 series handles ~156,000 of these points, and an object for each, sorted per bucket, cost more than the
 * database's read (a CPU profile of 100 runs × 390 buckets: ~130 ms in the per-bucket objects and their sort, ~145 ms
 * in garbage collection).
 */
function bucketCandidates(buckets: Float64Array): PointColumns {
  const capacity = (buckets.length / BUCKET_FIELDS) * 4;
  const steps = new Float64Array(capacity);
  const timestamps = new Float64Array(capacity);
  const values = new Float64Array(capacity);
  let n = 0;
  // Appends a point unless it equals the last one appended.
  const append = (step: number, timestamp: number, value: number) => {
    if (n > 0 && steps[n - 1] === step && timestamps[n - 1] === timestamp && values[n - 1] === value) return;
    steps[n] = step;
    timestamps[n] = timestamp;
    values[n] = value;
    n++;
  };
  for (let o = 0; o < buckets.length; o += BUCKET_FIELDS) {
    const loStep = buckets[o + 4];
    const loTime = buckets[o + 5];
    const loValue = buckets[o + 3];
    // The highest value's step was negated so that ties pick the earliest step, as for the lowest.
    const hiStep = -buckets[o + 7];
    const hiTime = buckets[o + 8];
    const hiValue = buckets[o + 6];
    const hiFirst = hiStep < loStep || (hiStep === loStep && (hiTime < loTime || (hiTime === loTime && hiValue < loValue)));
    append(buckets[o], buckets[o + 1], buckets[o + 2]);
    if (hiFirst) {
      append(hiStep, hiTime, hiValue);
      append(loStep, loTime, loValue);
    } else {
      append(loStep, loTime, loValue);
      append(hiStep, hiTime, hiValue);
    }
    append(buckets[o + 9], buckets[o + 10], buckets[o + 11]);
  }
  return { steps: steps.subarray(0, n), timestamps: timestamps.subarray(0, n), values: values.subarray(0, n) };
}

/** Whether each point sorts strictly after the one before (step, then time, then value). */
function isSortedByStep({ steps, timestamps, values }: PointColumns): boolean {
  for (let i = 1; i < steps.length; i++) {
    const d = steps[i] - steps[i - 1] || timestamps[i] - timestamps[i - 1] || values[i] - values[i - 1];
    if (!(d > 0)) return false;
  }
  return true;
}

/** reduceToMaxPoints for a series held as columns: objects are built for the kept points only. */
function reduceColumnsToMaxPoints(columns: PointColumns, maxPoints: number): ChartPoint[] {
  const { steps, timestamps, values } = columns;
  // Buckets arrive in bucket order; the check guards the reduction's assumption all the same.
  if (!isSortedByStep(columns)) {
    const points = Array.from(steps, (step, i) => ({ step, timestamp: timestamps[i], value: values[i] }));
    return reduceToMaxPoints(dedupeSorted(points, (p) => p.step), maxPoints, (p) => p.step);
  }
  return indicesKeepingExtremes(steps, values, maxPoints).map((i) => ({ step: steps[i], timestamp: timestamps[i], value: values[i] }));
}

/**
 * Reduced whole series by (run, key, rollup width, maxPoints), each with the version (finite count and
 * step span) it was computed from; least recently used dropped past MAX_CACHED_POINTS. Per process: a
 * second process checks the same versions against the same database, so it can never serve stale lines.
 */
// About 24 MB of points (~40 bytes each): six 100-run charts at 1,000 px.
const MAX_CACHED_POINTS = 600_000;

class ReductionCache {
  private entries = new Map<string, { version: string; points: ChartPoint[] }>();
  private points = 0;

  get(runId: string, key: string, width: number, maxPoints: number, version: string): ChartPoint[] | null {
    const id = `${runId}\u0000${key}\u0000${width}\u0000${maxPoints}`;
    const entry = this.entries.get(id);
    if (!entry || entry.version !== version) return null;
    // Re-inserted: a Map iterates in insertion order, so the first entry is the least recently used.
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.points;
  }

  set(runId: string, key: string, width: number, maxPoints: number, version: string, points: ChartPoint[]): void {
    const id = `${runId}\u0000${key}\u0000${width}\u0000${maxPoints}`;
    const old = this.entries.get(id);
    if (old) {
      this.points -= old.points.length;
      this.entries.delete(id);
    }
    this.entries.set(id, { version, points });
    this.points += points.length;
    for (const [oldest, entry] of this.entries) {
      if (this.points <= MAX_CACHED_POINTS) break;
      this.entries.delete(oldest);
      this.points -= entry.points.length;
    }
  }

  clear(): void {
    this.entries.clear();
    this.points = 0;
  }
}

const reductionCache = new ReductionCache();

/** Forgets every cached reduction: for benchmarks of the first view and for tests. */
export function clearChartSeriesCache(): void {
  reductionCache.clear();
}

/** Points sorted by x (then step, time), each (step, timestamp, value) once. */
function dedupeSorted(points: ChartPoint[], xOf: (p: ChartPoint) => number): ChartPoint[] {
  points.sort((a, b) => xOf(a) - xOf(b) || a.step - b.step || a.timestamp - b.timestamp || a.value - b.value);
  const out: ChartPoint[] = [];
  for (const p of points) {
    const prev = out[out.length - 1];
    if (prev && prev.step === p.step && prev.timestamp === p.timestamp && prev.value === p.value) continue;
    out.push(p);
  }
  return out;
}

/** The chosen rollup buckets of each series (edge buckets of a range may hold points just outside it; they are dropped later). */
async function readRollups(ctx: ServiceContext, series: (SeriesRef & { width: number })[], range?: { min: number; max: number }): Promise<BucketRow[]> {
  if (!series.length) return [];
  const inRange = range ? sql`and b.bucket between floor(${range.min}::float8 / c.w) and floor(${range.max}::float8 / c.w)` : sql``;
  // Scalars, not arrays: the driver parses a number far faster than an array literal.
  const rows = await queryRows<{ run_uuid: string; key: string; t0: string; n: string; [column: string]: unknown }>(ctx.db, sql`
    select b.run_uuid, b.key, c.t0, b.n,
      b.lo[1] as lo1, b.lo[2] as lo2, b.lo[3] as lo3, b.hi[1] as hi1, b.hi[2] as hi2, b.hi[3] as hi3,
      b.first[1] as f1, b.first[2] as f2, b.first[3] as f3, b.last[1] as l1, b.last[2] as l2, b.last[3] as l3
    from unnest(${sql.param(series.map((s) => s.run_uuid))}::text[], ${sql.param(series.map((s) => s.key))}::text[],
                ${sql.param(series.map((s) => s.width))}::int4[], ${sql.param(series.map((s) => Number(s.t0)))}::int8[]) as c(run_uuid, key, w, t0)
    join metric_rollups b on b.run_uuid = c.run_uuid and b.key = c.key and b.width = c.w ${inRange}`);
  const num = (v: unknown) => Number(v);
  return rows.map((r) => ({
    run_uuid: r.run_uuid,
    key: r.key,
    t0: r.t0,
    n: r.n,
    lo: [num(r.lo1), num(r.lo2), num(r.lo3)],
    hi: [num(r.hi1), num(r.hi2), num(r.hi3)],
    first: [num(r.f1), num(r.f2), num(r.f3)],
    last: [num(r.l1), num(r.l2), num(r.l3)],
  }));
}

/** M4 over raw points: each series bucketed along x into maxPoints buckets in one pass (array min/max, no sort). */
async function reduceRawPoints(ctx: ServiceContext, input: z.output<typeof zChartSeriesInput>, series: SeriesRef[]): Promise<BucketRow[]> {
  if (!series.length) return [];
  // x of a point, written against the alias that carries the run's start time (t0).
  const xOver = (t0: SQL) =>
    input.xAxis === "step" ? sql`m.step` : input.xAxis === "time" ? sql`m.timestamp` : sql`(m.timestamp - ${t0})`;
  const rangeOver = (t0: SQL) => (input.range ? sql`and ${xOver(t0)} between ${input.range.min} and ${input.range.max}` : sql``);
  const finite = sql`m.value <> 'NaN'::float8 and m.value <> 'Infinity'::float8 and m.value <> '-Infinity'::float8`;
  const x = xOver(sql`b.t0`);
  return queryRows<BucketRow>(ctx.db, sql`
    with bounds as materialized (
      select c.run_uuid, c.key, c.t0, lim.lo, lim.hi
      from unnest(${sql.param(series.map((s) => s.run_uuid))}::text[], ${sql.param(series.map((s) => s.key))}::text[],
                  ${sql.param(series.map((s) => Number(s.t0)))}::int8[]) as c(run_uuid, key, t0)
      cross join lateral (
        select min(${xOver(sql`c.t0`)}) as lo, max(${xOver(sql`c.t0`)}) as hi from metrics m
        where m.run_uuid = c.run_uuid and m.key = c.key ${rangeOver(sql`c.t0`)}
      ) lim
      where lim.lo is not null
    )
    select m.run_uuid, m.key, min(b.t0) as t0, count(*) as n,
      min(array[m.value, m.step::float8, m.timestamp::float8]) as lo,
      max(array[m.value, -m.step::float8, m.timestamp::float8]) as hi,
      min(array[m.step::float8, m.timestamp::float8, m.value]) as first,
      max(array[m.step::float8, m.timestamp::float8, m.value]) as last
    from bounds b
    join metrics m on m.run_uuid = b.run_uuid and m.key = b.key
    where ${finite} ${rangeOver(sql`b.t0`)}
    group by m.run_uuid, m.key,
      case when b.hi = b.lo then 0 else floor((${x} - b.lo)::float8 / (b.hi - b.lo) * ${input.maxPoints - 1}) end`);
}
