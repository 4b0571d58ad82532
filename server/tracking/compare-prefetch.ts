// The compare page's first charts, started by its server component so their data streams in with the document.
import { compareChartRequests, type CompareState, type EarlyChart } from "@/lib/compare-state";
import { mayOnlyLabel } from "../auth/permissions";
import type { ServiceContext } from "../service-context";
import { getPackedChartSeries } from "./chart-data";

/** Charts started with the document: the first two rows of the grid, the ones on screen when the page opens. */
export const PREFETCHED_COMPARE_CHARTS = 4;

/**
 * Starts (does not await) the chart-data requests of the first charts a compare link names, exactly as those charts
 * would send them after hydrating: with the link's runs, axis and range and the fixed point count. Only links that
 * name their metrics and carry their runs (one request a chart, up to 100 runs) are started; a saved selection or
 * the default metrics would need the runs read first. The reader must be allowed what `tracking.chartSeries` allows
 * (signed in, not only a labeller); openContext (the reader's session) is called only when something is started. Any failure resolves to null: the chart then sends its own request, whose error
 * it shows as it always did; nothing of it is rendered from here.
 */
export function startCompareChartPrefetch(openContext: () => Promise<ServiceContext | null>, state: CompareState): Record<string, EarlyChart> {
  const early: Record<string, EarlyChart> = {};
  if (state.selection || !state.runs.length || !state.metrics.length) return early;
  const allowed = openContext().then((ctx) => (ctx && !mayOnlyLabel(ctx.actor) ? ctx : null)).catch(() => null);
  for (const metricKey of state.metrics.slice(0, PREFETCHED_COMPARE_CHARTS)) {
    const requests = compareChartRequests(state, metricKey);
    if (requests.length !== 1) continue;
    const [request] = requests;
    const data = allowed.then((ctx) => (ctx ? getPackedChartSeries(ctx, request) : null)).catch(() => null);
    early[metricKey] = { request, data };
  }
  return early;
}
