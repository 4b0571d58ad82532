// A batch's chart rollup rows computed from its points, as the database's merge would group them: per metric key and
// bucket of `width` steps, the count and the lowest, highest, first and last finite points, so that the database
// upserts these few rows instead of grouping the thousand points itself.

/** Parallel arrays of points: index i is (keys[i], steps[i], timestamps[i], values[i]). */
export interface RollupPointArrays {
  keys: readonly string[];
  steps: readonly number[];
  timestamps: readonly number[];
  values: readonly number[];
}

/**
 * The rollup rows of a batch as parallel arrays, sorted by (key, width, bucket). Each bucket's extreme points are given
 * by index into the batch's arrays: `lo` the least (value, step, timestamp), `hi` the greatest (value, -step,
 * timestamp), `first` the least (step, timestamp, value), `last` the greatest. These are the orders of metric_rollups'
 * float8 arrays (server/tracking/metric-rollups.ts), so merging these rows gives what grouping the points gives.
 */
export interface RollupBucketArrays {
  keys: string[];
  widths: number[];
  buckets: number[];
  counts: number[];
  lo: number[];
  hi: number[];
  first: number[];
  last: number[];
}

/** -1, 0 or 1 as a is below, equal to or above b (finite numbers only: NaN and ±Infinity never reach a rollup). */
const cmp = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);

interface Bucket {
  n: number;
  lo: number;
  hi: number;
  first: number;
  last: number;
}

/**
 * Groups the batch's finite points (NaN and ±Infinity are never drawn, so never rolled up) into buckets of each
 * width. Steps and timestamps are safe integers (the API refuses others), so `Math.floor(step / width)` and the
 * comparisons are exactly the database's `floor(step::float8 / width)` and float8 comparisons. Widths must be given
 * finest first, each a multiple of the one before: the coarser levels are merged from the finer buckets.
 */
export function rollupBucketsOf(points: RollupPointArrays, widths: readonly number[]): RollupBucketArrays {
  const { keys, steps, timestamps, values } = points;
  const out: RollupBucketArrays = { keys: [], widths: [], buckets: [], counts: [], lo: [], hi: [], first: [], last: [] };
  if (!widths.length) return out;
  // The arrays' orders: lo/first/last compare their columns ascending, hi compares its step descending ([v, -s, t]).
  const lessLo = (a: number, b: number) => (cmp(values[a], values[b]) || cmp(steps[a], steps[b]) || cmp(timestamps[a], timestamps[b])) < 0;
  const greaterHi = (a: number, b: number) => (cmp(values[a], values[b]) || cmp(steps[b], steps[a]) || cmp(timestamps[a], timestamps[b])) > 0;
  const byTime = (a: number, b: number) => cmp(steps[a], steps[b]) || cmp(timestamps[a], timestamps[b]) || cmp(values[a], values[b]);
  const lessFirst = (a: number, b: number) => byTime(a, b) < 0;
  const greaterLast = (a: number, b: number) => byTime(a, b) > 0;
  const merge = (into: Bucket, from: Bucket) => {
    into.n += from.n;
    if (lessLo(from.lo, into.lo)) into.lo = from.lo;
    if (greaterHi(from.hi, into.hi)) into.hi = from.hi;
    if (lessFirst(from.first, into.first)) into.first = from.first;
    if (greaterLast(from.last, into.last)) into.last = from.last;
  };

  const finestWidth = widths[0];
  const finestByKey = new Map<string, Map<number, Bucket>>();
  for (let i = 0; i < keys.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    let byBucket = finestByKey.get(keys[i]);
    if (!byBucket) finestByKey.set(keys[i], (byBucket = new Map()));
    const b = Math.floor(steps[i] / finestWidth);
    const bucket = byBucket.get(b);
    if (bucket) merge(bucket, { n: 1, lo: i, hi: i, first: i, last: i });
    else byBucket.set(b, { n: 1, lo: i, hi: i, first: i, last: i });
  }

  const sortedKeys = [...finestByKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const key of sortedKeys) {
    let level = finestByKey.get(key)!;
    for (let w = 0; w < widths.length; w++) {
      if (w > 0) {
        const ratio = widths[w] / widths[w - 1];
        const coarser = new Map<number, Bucket>();
        for (const [b, bucket] of level) {
          const cb = Math.floor(b / ratio);
          const into = coarser.get(cb);
          if (into) merge(into, bucket);
          else coarser.set(cb, { ...bucket });
        }
        level = coarser;
      }
      for (const b of [...level.keys()].sort((x, y) => x - y)) {
        const bucket = level.get(b)!;
        out.keys.push(key);
        out.widths.push(widths[w]);
        out.buckets.push(b);
        out.counts.push(bucket.n);
        out.lo.push(bucket.lo);
        out.hi.push(bucket.hi);
        out.first.push(bucket.first);
        out.last.push(bucket.last);
      }
    }
  }
  return out;
}
