// What the compare charts draw: server series turned into (x, y) for the chosen axis, smoothing and
// scale, and the value of every run at the x under the pointer.
import type { CompareXAxis } from "./compare-state";
import { emaSmooth } from "./smoothing";

export interface SeriesPoint {
  step: number;
  timestamp: number;
  value: number;
}

export interface PlotPoint {
  x: number;
  /** What is drawn: the smoothed value when smoothing is on. */
  y: number;
  /** The logged value. */
  raw: number;
}

export interface PlotSeries {
  points: PlotPoint[];
  /** Points left out because the log scale cannot show values ≤ 0. */
  droppedForLog: number;
}

export function xOfPoint(point: SeriesPoint, axis: CompareXAxis, runStartTime: number): number {
  if (axis === "step") return point.step;
  if (axis === "time") return point.timestamp;
  return point.timestamp - runStartTime;
}

/**
 * Points in x order with smoothing applied over the whole series (so zooming does not change the
 * curve's shape); on a log scale, values ≤ 0 are dropped after smoothing and counted.
 */
export function toPlotSeries(
  points: readonly SeriesPoint[],
  options: { axis: CompareXAxis; runStartTime: number; smoothing: number; logScale: boolean },
): PlotSeries {
  const ordered = points
    .map((p) => ({ x: xOfPoint(p, options.axis, options.runStartTime), raw: p.value }))
    .sort((a, b) => a.x - b.x);
  const smoothed = options.smoothing > 0 ? emaSmooth(ordered.map((p) => p.raw), options.smoothing) : null;
  const plotted: PlotPoint[] = [];
  let droppedForLog = 0;
  for (let i = 0; i < ordered.length; i++) {
    const y = smoothed ? smoothed[i] : ordered[i].raw;
    if (!Number.isFinite(y)) continue;
    if (options.logScale && y <= 0) {
      droppedForLog++;
      continue;
    }
    plotted.push({ x: ordered[i].x, y, raw: ordered[i].raw });
  }
  return { points: plotted, droppedForLog };
}

/**
 * The point nearest to x in a series sorted by x, or null when x lies outside the series' span
 * (a run that stopped at step 50 has no value at step 90).
 */
export function pointNearest(points: readonly PlotPoint[], x: number): PlotPoint | null {
  if (!points.length || x < points[0].x || x > points[points.length - 1].x) {
    // Within half a gap of either end still counts, so the first and last points can be hovered.
    if (!points.length) return null;
    const first = points[0];
    const last = points[points.length - 1];
    const slack = points.length > 1 ? (last.x - first.x) / (points.length - 1) / 2 : 0;
    if (x < first.x - slack || x > last.x + slack) return null;
    return x < first.x ? first : last;
  }
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x <= x) lo = mid;
    else hi = mid;
  }
  return x - points[lo].x <= points[hi].x - x ? points[lo] : points[hi];
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
