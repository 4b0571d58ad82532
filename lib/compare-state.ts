// The compare view's state and its query string: a comparison is a link that reopens the same view.
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
