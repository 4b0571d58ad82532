// What the compare charts draw: server series (x and value columns) turned into (x, y) for the chosen
// axis, smoothing and scale, and the value of every run at the x under the pointer. Columns, not point
// objects: a 100-run chart holds ~100k points, and typed arrays cost no allocation per point.
import type { CompareXAxis } from "./compare-state";
import { emaSmooth } from "./smoothing";

/** A series as it arrives: x (the step, or the epoch-ms timestamp on the time axes) and the logged value. */
export interface XYColumns {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface PlotSeries {
  /** In ascending order. */
  x: Float64Array;
  /** What is drawn: the smoothed value when smoothing is on. */
  y: Float64Array;
  /** The logged value. */
  raw: Float64Array;
  /** Points left out because the log scale cannot show values ≤ 0. */
  droppedForLog: number;
}

export const EMPTY_PLOT: PlotSeries = { x: new Float64Array(0), y: new Float64Array(0), raw: new Float64Array(0), droppedForLog: 0 };

function isAscending(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] < x[i - 1]) return false;
  return true;
}

/**
 * Points in x order with smoothing applied over the whole series (so zooming does not change the
 * curve's shape); on a log scale, values ≤ 0 are dropped after smoothing and counted. Non-finite values
 * are left out. The relative axis shifts x by the run's start time.
 */
export function toPlotSeries(series: XYColumns, options: { axis: CompareXAxis; runStartTime: number; smoothing: number; logScale: boolean }): PlotSeries {
  const n = series.x.length;
  const shift = options.axis === "relative" ? options.runStartTime : 0;
  let order: number[] | null = null;
  if (!isAscending(series.x)) {
    order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => series.x[a] - series.x[b]);
  }
  const xs = new Float64Array(n);
  const raws = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const from = order ? order[i] : i;
    xs[i] = series.x[from] - shift;
    raws[i] = series.y[from];
  }
  const ys = options.smoothing > 0 ? Float64Array.from(emaSmooth(Array.from(raws), options.smoothing)) : raws;
  let keep = 0;
  let droppedForLog = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(ys[i])) continue;
    if (options.logScale && ys[i] <= 0) droppedForLog++;
    else keep++;
  }
  if (keep === n) return { x: xs, y: ys, raw: raws, droppedForLog: 0 };
  const x = new Float64Array(keep);
  const y = new Float64Array(keep);
  const raw = new Float64Array(keep);
  let at = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(ys[i]) || (options.logScale && ys[i] <= 0)) continue;
    x[at] = xs[i];
    y[at] = ys[i];
    raw[at] = raws[i];
    at++;
  }
  return { x, y, raw, droppedForLog };
}

/**
 * The index of the point nearest to x in a series sorted by x, or -1 when x lies outside the series'
 * span (a run that stopped at step 50 has no value at step 90).
 */
export function pointNearest(xs: ArrayLike<number>, x: number): number {
  const n = xs.length;
  if (!n) return -1;
  const first = xs[0];
  const last = xs[n - 1];
  if (x < first || x > last) {
    // Within half a gap of either end still counts, so the first and last points can be hovered.
    const slack = n > 1 ? (last - first) / (n - 1) / 2 : 0;
    if (x < first - slack || x > last + slack) return -1;
    return x < first ? 0 : n - 1;
  }
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  return x - xs[lo] <= xs[hi] - x ? lo : hi;
}

/** An x value as the axis shows it: steps as integers, wall time as a clock, relative time as a duration. */
export function formatX(x: number, axis: CompareXAxis): string {
  if (axis === "step") return Number.isInteger(x) ? String(x) : x.toFixed(1);
  if (axis === "time") return new Date(x).toISOString().slice(11, 19);
  const seconds = x / 1000;
  if (Math.abs(seconds) < 60) return `${Number(seconds.toFixed(1))}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${Math.round(seconds % 60)}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
