// The compare view's state and its query string: a comparison is a link that reopens the same view.
import type { PackedChartSeries } from "./chart-series-wire";
import { decodeUrlList, encodeUrlList } from "./url-list";

export type CompareXAxis = "step" | "time" | "relative";

export interface CompareState {
  /** The compared runs, in the order they were chosen (empty while a saved selection's runs load). */
  runs: string[];
  /**
   * A saved selection's short id (`sel`): set instead of `runs` when a comparison has too many runs for a
   * link; the page loads its run ids from the server.
   */
  selection: string | null;
  /** Metrics charted; empty means every metric the runs logged. */
  metrics: string[];
  x: CompareXAxis;
  /** EMA weight in [0, 0.99]; 0 draws raw values. */
  smoothing: number;
  logScale: boolean;
  /** Runs toggled off in the charts (still listed in the legend and tables). */
  hidden: string[];
  /** Zoomed x range, in the x-axis' unit; null shows everything. */
  range: { min: number; max: number } | null;
  scatter: { x: string | null; y: string | null };
  parallel: { axes: string[]; metric: string | null };
  /** A param or tag column id ("params.model"): runs sharing its value are drawn as one mean line with a min–max band. */
  group: string | null;
  /** The run every chart and the summary table compare to (deltas vs it); null compares to nothing. */
  baseline: string | null;
  /** The metric the summary table shows; null: the first charted one. */
  summaryMetric: string | null;
}

export const DEFAULT_COMPARE_STATE: CompareState = {
  runs: [],
  selection: null,
  metrics: [],
  x: "step",
  smoothing: 0,
  logScale: false,
  hidden: [],
  range: null,
  scatter: { x: null, y: null },
  parallel: { axes: [], metric: null },
  group: null,
  baseline: null,
  summaryMetric: null,
};

export const MAX_SMOOTHING = 0.99;

const X_AXES: readonly CompareXAxis[] = ["step", "time", "relative"];

function finiteNumber(value: string | null): number | null {
  if (value === null || value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/** Reads a query string; anything malformed falls back to its default, so an edited link still opens. */
export function parseCompareState(query: URLSearchParams | string): CompareState {
  const params = typeof query === "string" ? new URLSearchParams(query) : query;
  const x = params.get("x");
  const smoothing = finiteNumber(params.get("smooth"));
  const from = finiteNumber(params.get("from"));
  const to = finiteNumber(params.get("to"));
  const selection = params.get("sel") || null;
  // A saved selection's runs are not in the link: its hidden runs are checked against them once they load.
  const runs = selection ? [] : unique(decodeUrlList(params.get("runs")));
  return {
    runs,
    selection,
    metrics: unique(decodeUrlList(params.get("metrics"))),
    x: X_AXES.includes(x as CompareXAxis) ? (x as CompareXAxis) : "step",
    smoothing: smoothing === null ? 0 : Math.min(MAX_SMOOTHING, Math.max(0, Math.round(smoothing * 100) / 100)),
    logScale: params.get("log") === "1",
    hidden: unique(decodeUrlList(params.get("hidden"))).filter((id) => selection !== null || runs.includes(id)),
    range: from !== null && to !== null && from <= to ? { min: from, max: to } : null,
    scatter: { x: params.get("sx") || null, y: params.get("sy") || null },
    parallel: { axes: unique(decodeUrlList(params.get("axes"))), metric: params.get("pm") || null },
    group: /^(params|tags)\../.test(params.get("group") ?? "") ? params.get("group") : null,
    baseline: params.get("base") || null,
    summaryMetric: params.get("sm") || null,
  };
}

/** Longer lists of runs than this go to a saved selection: 100 ids make a ~3.4 kB link, 1,000 would not fit. */
export const MAX_LINKED_RUNS = 100;

/** The query parameters of a state, defaults left out so links stay short; `null` removes a parameter. */
export function compareStateToParams(state: CompareState): Record<string, string | null> {
  return {
    runs: !state.selection && state.runs.length ? encodeUrlList(state.runs) : null,
    sel: state.selection,
    metrics: state.metrics.length ? encodeUrlList(state.metrics) : null,
    x: state.x === "step" ? null : state.x,
    smooth: state.smoothing > 0 ? String(state.smoothing) : null,
    log: state.logScale ? "1" : null,
    hidden: state.hidden.length ? encodeUrlList(state.hidden) : null,
    from: state.range ? String(state.range.min) : null,
    to: state.range ? String(state.range.max) : null,
    sx: state.scatter.x,
    sy: state.scatter.y,
    axes: state.parallel.axes.length ? encodeUrlList(state.parallel.axes) : null,
    pm: state.parallel.metric,
    group: state.group,
    base: state.baseline,
    sm: state.summaryMetric,
  };
}

/** The canonical query string of a state (parameters in a fixed order, defaults left out). */
export function compareStateToQuery(state: CompareState): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(compareStateToParams(state))) if (value !== null) params.set(key, value);
  return params.toString();
}

/**
 * Points per series a compare chart asks for, whatever the chart's width: a fixed count lets the page's server
 * component request the first charts with the document (it cannot measure them), and every chart of the grid
 * (~460–1,000 px wide) gets at least a point per pixel and a half. It was the width rounded to 100 px, which the
 * chart knew only after hydrating and measuring itself.
 */
export const COMPARE_CHART_MAX_POINTS = 800;
/** Runs per chart-data request: requests run side by side and no single response grows huge. */
export const COMPARE_RUNS_PER_REQUEST = 100;

export interface CompareChartRequest {
  runIds: string[];
  keys: string[];
  xAxis: CompareXAxis;
  maxPoints: number;
  range?: { min: number; max: number };
}

/**
 * The chart-data requests behind one metric's chart, one per chunk of runs. Hidden runs stay in them, so toggling a
 * run does not refetch the others. The page's server component and the chart build them here alike, so the chart
 * can recognise (and adopt) the answer the server started with the document.
 */
export function compareChartRequests(state: Pick<CompareState, "runs" | "x" | "range">, metricKey: string): CompareChartRequest[] {
  const out: CompareChartRequest[] = [];
  for (let i = 0; i < state.runs.length; i += COMPARE_RUNS_PER_REQUEST) {
    const runIds = state.runs.slice(i, i + COMPARE_RUNS_PER_REQUEST);
    out.push({ runIds, keys: [metricKey], xAxis: state.x, maxPoints: COMPARE_CHART_MAX_POINTS, ...(state.range ? { range: state.range } : {}) });
  }
  return out;
}

/** Whether two chart requests ask for the same data (the early answer is adopted only for the exact request). */
export function sameChartRequest(a: CompareChartRequest, b: CompareChartRequest): boolean {
  return (
    a.xAxis === b.xAxis &&
    a.maxPoints === b.maxPoints &&
    a.keys.length === b.keys.length &&
    a.keys.every((key, i) => key === b.keys[i]) &&
    a.runIds.length === b.runIds.length &&
    a.runIds.every((id, i) => id === b.runIds[i]) &&
    (a.range?.min ?? null) === (b.range?.min ?? null) &&
    (a.range?.max ?? null) === (b.range?.max ?? null)
  );
}

/** A chart's request started by the page's server component, and its answer (null: the chart asks for itself). */
export interface EarlyChart {
  request: CompareChartRequest;
  data: Promise<PackedChartSeries | null>;
}
