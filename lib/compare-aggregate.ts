// Grouped runs in the compare charts: runs sharing a param's or tag's value become one curve, the mean of
// their values with a band from the lowest to the highest. Runs are sampled on a common grid of x values
// (each run is logged and downsampled at its own steps), by linear interpolation between its points;
// a run counts at an x only inside its own span, so a run that stopped early does not pull the mean.
import type { Run } from "@/server/tracking/schema";
import { runValue } from "./compare-values";

export interface AggregateCurve {
  x: Float64Array;
  mean: Float64Array;
  min: Float64Array;
  max: Float64Array;
  /** How many runs have a value at each x. */
  runs: Int32Array;
}

interface Columns {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** The mean and min–max of the series at `gridSize` evenly spaced x values over their joint span (x ascending in each). */
export function aggregateSeries(series: readonly Columns[], gridSize: number): AggregateCurve {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    if (!s.x.length) continue;
    lo = Math.min(lo, s.x[0]);
    hi = Math.max(hi, s.x[s.x.length - 1]);
  }
  if (!Number.isFinite(lo)) return { x: new Float64Array(0), mean: new Float64Array(0), min: new Float64Array(0), max: new Float64Array(0), runs: new Int32Array(0) };
  const n = hi > lo ? Math.max(2, gridSize) : 1;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1);
  const sum = new Float64Array(n);
  const min = new Float64Array(n).fill(Infinity);
  const max = new Float64Array(n).fill(-Infinity);
  const runs = new Int32Array(n);
  for (const s of series) {
    const m = s.x.length;
    if (!m) continue;
    let j = 0;
    for (let i = 0; i < n; i++) {
      const at = x[i];
      if (at < s.x[0] || at > s.x[m - 1]) continue;
      while (j < m - 1 && s.x[j + 1] < at) j++;
      // s.x[j] ≤ at ≤ s.x[j + 1] (or at is the single point).
      let value: number;
      if (j === m - 1 || s.x[j] === at) value = s.y[j];
      else {
        const x0 = s.x[j];
        const x1 = s.x[j + 1];
        value = x1 === x0 ? s.y[j + 1] : s.y[j] + ((s.y[j + 1] - s.y[j]) * (at - x0)) / (x1 - x0);
      }
      if (!Number.isFinite(value)) continue;
      sum[i] += value;
      if (value < min[i]) min[i] = value;
      if (value > max[i]) max[i] = value;
      runs[i]++;
    }
  }
  // Grid points no run covers (gaps between runs' spans) are dropped, not drawn as zero.
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (runs[i] > 0) keep.push(i);
  const pick = <A extends Float64Array | Int32Array>(make: (length: number) => A, map: (i: number) => number) => {
    const out = make(keep.length);
    keep.forEach((i, k) => (out[k] = map(i)));
    return out;
  };
  const f64 = (length: number) => new Float64Array(length);
  return {
    x: pick(f64, (i) => x[i]),
    mean: pick(f64, (i) => sum[i] / runs[i]),
    min: pick(f64, (i) => min[i]),
    max: pick(f64, (i) => max[i]),
    runs: pick((length) => new Int32Array(length), (i) => runs[i]),
  };
}

export interface RunGroup {
  /** The param's or tag's value; null for runs that do not have it. */
  value: string | null;
  runIds: string[];
}

/** Runs grouped by a param or tag column, groups in the order of their first run; runs without it form the last group. */
export function groupRuns(runs: readonly Run[], columnId: string): RunGroup[] {
  const groups = new Map<string | null, string[]>();
  for (const run of runs) {
    const value = runValue(run, columnId)?.text ?? null;
    const members = groups.get(value);
    if (members) members.push(run.info.run_id);
    else groups.set(value, [run.info.run_id]);
  }
  const ordered = [...groups.entries()].map(([value, runIds]) => ({ value, runIds }));
  return [...ordered.filter((g) => g.value !== null), ...ordered.filter((g) => g.value === null)];
}
