// Which point of a batch is each metric key's latest: the one with the greatest (step, timestamp, value), compared as
// PostgreSQL compares (int8, int8, float8) rows, so that the database's upkeep of latest_metrics can take these few
// points instead of sorting the whole batch itself.

/** float8 order as PostgreSQL sorts it: -Infinity < finite < Infinity < NaN, every NaN equal, -0 equal to 0. */
export function compareFloat8(a: number, b: number): number {
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Parallel arrays of points: index i is (keys[i], steps[i], timestamps[i], values[i]). */
export interface MetricPointArrays {
  keys: readonly string[];
  steps: readonly number[];
  timestamps: readonly number[];
  values: readonly number[];
}

/**
 * Each key's point with the greatest (step, timestamp, value), as parallel arrays in the order keys first appear.
 * Steps and timestamps are safe integers (the API refuses others), so JavaScript compares them exactly.
 */
export function latestPointPerKey(points: MetricPointArrays): { keys: string[]; steps: number[]; timestamps: number[]; values: number[] } {
  const best = new Map<string, number>();
  const { keys, steps, timestamps, values } = points;
  for (let i = 0; i < keys.length; i++) {
    const j = best.get(keys[i]);
    if (
      j === undefined ||
      steps[i] > steps[j] ||
      (steps[i] === steps[j] && (timestamps[i] > timestamps[j] || (timestamps[i] === timestamps[j] && compareFloat8(values[i], values[j]) > 0)))
    ) {
      best.set(keys[i], i);
    }
  }
  const chosen = [...best.values()];
  return {
    keys: chosen.map((i) => keys[i]),
    steps: chosen.map((i) => steps[i]),
    timestamps: chosen.map((i) => timestamps[i]),
    values: chosen.map((i) => values[i]),
  };
}
