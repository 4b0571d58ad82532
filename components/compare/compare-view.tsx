"use client";
// The compare view: the chosen runs' metrics as line charts, with every option in the URL so a
// comparison is a link.
import { useQueries, useQuery } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { useDeferredValue, useMemo, useRef, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import ui from "@/components/ui/ui.module.css";
import { useUrlState } from "@/components/ui/use-url-state";
import { unpackChartSeries, type PackedChartSeries } from "@/lib/chart-series-wire";
import { aggregateSeries, groupRuns, type RunGroup } from "@/lib/compare-aggregate";
import { toPlotSeries, type PlotSeries } from "@/lib/compare-series";
import {
  MAX_SMOOTHING,
  compareChartRequests,
  compareStateToParams,
  parseCompareState,
  sameChartRequest,
  type CompareState,
  type CompareXAxis,
  type EarlyChart,
} from "@/lib/compare-state";
import { isSingleValueMetric } from "@/lib/compare-summary";
import { describeColumns } from "@/lib/compare-values";
import { distinctRunColors } from "@/lib/run-colors";
import type { Run } from "@/server/tracking/schema";
import { CompareBarChart, type ChartBar } from "./compare-bar-chart";
import { SavedViewsMenu } from "@/components/runs/saved-views-menu";
import { viewQueryOf } from "@/lib/saved-view-state";
import { RunColorsProvider } from "./run-colors-context";
import { CompareLineChart, type ChartLine } from "./compare-line-chart";
import { ParallelCoordinates } from "./parallel-coordinates";
import { ParamsDiff } from "./params-diff";
import { RunLegend } from "./run-legend";
import { ScatterPlot } from "./scatter-plot";
import { SummaryTable } from "./summary-table";
import styles from "./compare-charts.module.css";
import { useNearViewport } from "./use-element-width";

/** Charts shown when the link names none: enough to read at a glance; the picker adds the rest. */
const DEFAULT_CHART_COUNT = 12;
/** Answers the page's server component started, each taken by the first query that asks exactly for it, once. */
const adoptedEarly = new WeakSet<Promise<PackedChartSeries | null>>();

async function adoptEarly(early: Promise<PackedChartSeries | null>, ask: () => Promise<PackedChartSeries>): Promise<PackedChartSeries> {
  adoptedEarly.add(early);
  return (await early) ?? ask();
}

const X_AXES: readonly CompareXAxis[] = ["step", "time", "relative"];

export interface RunLabel {
  runId: string;
  name: string;
  color: string;
}

export function CompareView({ experimentId, earlyCharts = {} }: { experimentId: string; earlyCharts?: Record<string, EarlyChart> }) {
  const t = useTranslations("compareRuns");
  const trpc = useTRPC();
  const { params, update } = useUrlState();
  const linked = useMemo(() => parseCompareState(params), [params]);
  // A long comparison's link names a saved selection; its run ids come from the server (they never change).
  const selection = useQuery({
    ...trpc.tracking.compareSelection.queryOptions({ experimentId, selectionId: linked.selection ?? "-" }),
    enabled: linked.selection !== null,
    staleTime: Infinity,
  });
  const selectedRuns = selection.data?.runIds;
  const state = useMemo(() => {
    if (!linked.selection) return linked;
    const runs = selectedRuns ?? [];
    const inSelection = new Set(runs);
    return { ...linked, runs, hidden: linked.hidden.filter((id) => inSelection.has(id)) };
  }, [linked, selectedRuns]);
  const setState = (patch: Partial<CompareState>, history: "push" | "replace" = "replace") =>
    update(compareStateToParams({ ...state, ...patch }), history);

  const experiment = useQuery(trpc.tracking.experiment.queryOptions({ experimentId }));
  const runs = useQuery({
    ...trpc.tracking.runsByIds.queryOptions({ runIds: state.runs.length ? state.runs : ["-"] }),
    enabled: state.runs.length > 0,
  });
  const runList = useMemo(() => runs.data ?? [], [runs.data]);
  // The scatter plot, parallel coordinates and params table render a step behind, in a transition React may
  // interrupt: with 100 runs they cost the main thread hundreds of ms just as the charts' data lands.
  const belowCharts = useDeferredValue(runList);
  // Labels come from the link's run ids at once (names fill in when the runs arrive), so the charts'
  // data is fetched alongside the runs instead of after them.
  const colors = useMemo(() => distinctRunColors(state.runs), [state.runs]);
  const labels = useMemo(() => {
    const byId = new Map(runList.map((run) => [run.info.run_id, run]));
    return state.runs
      .filter((id) => !runs.data || byId.has(id))
      .map((id) => ({ runId: id, name: byId.get(id)?.info.run_name || id, color: colors.get(id)! }));
  }, [runList, runs.data, state.runs, colors]);
  const metricKeys = useMemo(() => [...new Set(runList.flatMap((run) => run.data.metrics.map((m) => m.key)))].sort(), [runList]);
  const charted = state.metrics.length ? state.metrics : metricKeys.slice(0, DEFAULT_CHART_COUNT);

  const breadcrumb = (
    <p className={ui.breadcrumb}>
      <Link href="/experiments">{t("page.experiments")}</Link> / <Link href={`/experiments/${experimentId}`}>{experiment.data?.name ?? t("page.experiment")}</Link> /
    </p>
  );
  if (linked.selection && !selection.data) {
    return (
      <>
        {breadcrumb}
        <h1>{t("page.title")}</h1>
        {selection.error ? <QueryError error={selection.error} onRetry={() => void selection.refetch()} /> : <p role="status">{t("page.loadingSelection")}</p>}
      </>
    );
  }
  if (!state.runs.length) {
    return (
      <>
        {breadcrumb}
        <h1>{t("page.title")}</h1>
        <section className={ui.panel} aria-label={t("page.noneLabel")}>
          <p>{t("page.none")}</p>
          <p>
            <Link href={`/experiments/${experimentId}`}>{t("page.backToRuns")}</Link>
          </p>
        </section>
      </>
    );
  }

  const missing = runs.data ? state.runs.length - runList.length : 0;
  const visible = labels.filter((label) => !state.hidden.includes(label.runId));
  const baseline = state.baseline && labels.some((label) => label.runId === state.baseline) ? state.baseline : null;
  const summaryMetric = state.summaryMetric && metricKeys.includes(state.summaryMetric) ? state.summaryMetric : (charted[0] ?? metricKeys[0] ?? null);
  return (
    <RunColorsProvider colors={colors}>
      {breadcrumb}
      <h1>{t("page.titleCount", { count: state.runs.length })}</h1>
      <SavedViewsMenu
        experimentId={experimentId}
        kind="compare"
        currentState={() => ({ query: viewQueryOf("compare", new URLSearchParams(window.location.search)) })}
        onApply={(view) => window.history.pushState(null, "", `?${new URLSearchParams(view.state.query as Record<string, string>).toString()}`)}
      />
      {runs.error ? <QueryError error={runs.error} onRetry={() => void runs.refetch()} /> : null}
      {missing > 0 ? (
        <p className={ui.muted} role="note">
          {t("page.missing", { count: missing })}
        </p>
      ) : null}
      <ChartControls state={state} setState={setState} metricKeys={metricKeys} charted={charted} runs={runList} labels={labels} />
      <RunLegend labels={labels} hidden={state.hidden} onChange={(hidden) => setState({ hidden })} />
      {runs.isPending && !state.metrics.length ? (
        <p role="status">{t("page.loadingRuns")}</p>
      ) : runList.length && !metricKeys.length ? (
        <p className={ui.panel}>{t("page.noMetrics")}</p>
      ) : (
        <section aria-label={t("page.chartsLabel")} className={styles.grid}>
          {charted.map((key) => (
            <MetricComparison
              key={key}
              metricKey={key}
              early={earlyCharts[key]}
              runs={visible}
              runList={runList}
              baseline={baseline}
              state={state}
              onZoom={(range) => setState({ range }, "push")}
              onResetZoom={() => setState({ range: null }, "push")}
            />
          ))}
        </section>
      )}
      {runList.length && metricKeys.length ? (
        <section className={styles.section} aria-labelledby="compare-summary">
          <h2 id="compare-summary">{t("summary.title")}</h2>
          <SummaryTable runs={labels} metricKeys={metricKeys} metric={summaryMetric} baseline={baseline} onMetricChange={(summaryMetric) => setState({ summaryMetric }, "push")} />
        </section>
      ) : null}
      {belowCharts.length ? (
        <>
          <section className={styles.section} aria-labelledby="compare-scatter">
            <h2 id="compare-scatter">{t("page.scatterTitle")}</h2>
            <ScatterPlot runs={belowCharts} baseline={baseline} x={state.scatter.x} y={state.scatter.y} onChange={(x, y) => setState({ scatter: { x, y } }, "push")} />
          </section>
          <section className={styles.section} aria-labelledby="compare-parallel">
            <h2 id="compare-parallel">{t("page.parallelTitle")}</h2>
            <ParallelCoordinates
              runs={belowCharts}
              baseline={baseline}
              axes={state.parallel.axes}
              metric={state.parallel.metric}
              onChange={(axes, metric) => setState({ parallel: { axes, metric } }, "push")}
            />
          </section>
          <section className={styles.section} aria-labelledby="compare-params">
            <h2 id="compare-params">{t("page.paramsTitle")}</h2>
            <ParamsDiff runs={belowCharts} />
          </section>
        </>
      ) : null}
    </RunColorsProvider>
  );
}

function ChartControls({
  state,
  setState,
  metricKeys,
  charted,
  runs,
  labels,
}: {
  state: CompareState;
  setState: (patch: Partial<CompareState>, history?: "push" | "replace") => void;
  metricKeys: string[];
  charted: string[];
  runs: Run[];
  labels: RunLabel[];
}) {
  const t = useTranslations("compareRuns");
  const groupColumns = useMemo(() => describeColumns(runs, ["params", "tags"]), [runs]);
  const [smoothing, setSmoothing] = useState(state.smoothing);
  const [seenSmoothing, setSeenSmoothing] = useState(state.smoothing);
  // Back/forward or a shared link moves the URL under the slider: the slider follows it.
  if (seenSmoothing !== state.smoothing) {
    setSeenSmoothing(state.smoothing);
    setSmoothing(state.smoothing);
  }
  const fromRef = useRef<HTMLInputElement>(null);
  const toRef = useRef<HTMLInputElement>(null);
  const [rangeError, setRangeError] = useState<string | null>(null);

  function applyRange(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const min = Number(fromRef.current?.value);
    const max = Number(toRef.current?.value);
    if (fromRef.current?.value === "" || toRef.current?.value === "" || !Number.isFinite(min) || !Number.isFinite(max)) {
      setRangeError(t("toolbar.rangeNumbers"));
      return;
    }
    if (min >= max) {
      setRangeError(t("toolbar.rangeOrder"));
      return;
    }
    setRangeError(null);
    setState({ range: { min, max } }, "push");
  }

  return (
    <section className={ui.panel} aria-label={t("toolbar.label")}>
      <div className={styles.toolbar}>
        <div className={styles.control}>
          <label htmlFor="compare-x-axis">{t("toolbar.xAxis")}</label>
          <select
            id="compare-x-axis"
            className={`${ui.input} ${styles.axisSelect}`}
            value={state.x}
            // A zoomed range is in the old axis' unit: it does not carry over.
            onChange={(event) => setState({ x: event.target.value as CompareXAxis, range: null }, "push")}
          >
            {X_AXES.map((axis) => (
              <option key={axis} value={axis}>
                {t(`toolbar.axis.${axis}`)}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.control}>
          <label htmlFor="compare-smoothing">{t("toolbar.smoothing")}</label>
          <div className={styles.inline}>
            <input
              id="compare-smoothing"
              type="range"
              min={0}
              max={MAX_SMOOTHING}
              step={0.01}
              value={smoothing}
              onChange={(event) => setSmoothing(Number(event.target.value))}
              // The URL (and the redraw) follow when the slider is let go, not on every pixel of the drag.
              onPointerUp={() => setState({ smoothing })}
              onKeyUp={() => setState({ smoothing })}
              onBlur={() => smoothing !== state.smoothing && setState({ smoothing })}
              aria-valuetext={smoothing === 0 ? t("toolbar.off") : String(smoothing)}
            />
            <output htmlFor="compare-smoothing" data-testid="smoothing-value">
              {smoothing === 0 ? t("toolbar.off") : smoothing.toFixed(2)}
            </output>
          </div>
        </div>
        <label className={styles.inline}>
          <input type="checkbox" checked={state.logScale} onChange={(event) => setState({ logScale: event.target.checked }, "push")} />
          {t("toolbar.logScale")}
        </label>
        <div className={styles.control}>
          <label htmlFor="compare-group">{t("group.label")}</label>
          <select
            id="compare-group"
            className={`${ui.input} ${styles.axisSelect}`}
            value={state.group ?? ""}
            onChange={(event) => setState({ group: event.target.value || null }, "push")}
          >
            <option value="">{t("group.none")}</option>
            {state.group && !groupColumns.some((c) => c.id === state.group) ? <option value={state.group}>{state.group}</option> : null}
            {groupColumns.map((column) => (
              <option key={column.id} value={column.id}>
                {t(column.kind === "params" ? "group.param" : "group.tag", { key: column.key })}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.control}>
          <label htmlFor="compare-baseline">{t("baseline.label")}</label>
          <select
            id="compare-baseline"
            className={`${ui.input} ${styles.axisSelect}`}
            value={state.baseline ?? ""}
            onChange={(event) => setState({ baseline: event.target.value || null }, "push")}
          >
            <option value="">{t("baseline.none")}</option>
            {labels.map((label) => (
              <option key={label.runId} value={label.runId}>
                {label.name}
              </option>
            ))}
          </select>
        </div>
        <form className={styles.toolbar} onSubmit={applyRange} aria-label={t("toolbar.zoomLabel")} key={`${state.x}:${state.range?.min}:${state.range?.max}`}>
          <div className={styles.control}>
            <label htmlFor="compare-from">{t("toolbar.from", { unit: t(`toolbar.unit.${state.x}`) })}</label>
            <input id="compare-from" ref={fromRef} className={`${ui.input} ${styles.rangeInput}`} inputMode="decimal" defaultValue={state.range?.min ?? ""} />
          </div>
          <div className={styles.control}>
            <label htmlFor="compare-to">{t("toolbar.to")}</label>
            <input id="compare-to" ref={toRef} className={`${ui.input} ${styles.rangeInput}`} inputMode="decimal" defaultValue={state.range?.max ?? ""} />
          </div>
          <button type="submit" className={ui.secondary}>
            {t("toolbar.zoom")}
          </button>
          {state.range ? (
            <button type="button" className={ui.secondary} onClick={() => setState({ range: null }, "push")}>
              {t("toolbar.resetZoom")}
            </button>
          ) : null}
        </form>
      </div>
      {rangeError ? (
        <p className={ui.error} role="alert">
          {rangeError}
        </p>
      ) : (
        <p className={ui.muted}>{t("toolbar.help")}</p>
      )}
      {metricKeys.length ? (
        <details>
          <summary>
            {t("toolbar.metricsCharted", { shown: charted.length, total: metricKeys.length })}
          </summary>
          <div className={styles.metricPicker} role="group" aria-label={t("toolbar.metricsLabel")}>
            {metricKeys.map((key) => (
              <label key={key} className={styles.inline}>
                <input
                  type="checkbox"
                  checked={charted.includes(key)}
                  onChange={(event) => {
                    const next = event.target.checked ? [...charted, key].sort() : charted.filter((k) => k !== key);
                    setState({ metrics: next.length ? next : [] }, "push");
                  }}
                />
                {key}
              </label>
            ))}
          </div>
        </details>
      ) : null}
    </section>
  );
}

/** One metric's chart; its data is fetched once the chart comes near the viewport. */
function MetricComparison({
  metricKey,
  early,
  runs,
  runList,
  baseline,
  state,
  onZoom,
  onResetZoom,
}: {
  metricKey: string;
  /** This chart's data as the server started it with the page, if it did. */
  early: EarlyChart | undefined;
  runs: RunLabel[];
  runList: Run[];
  baseline: string | null;
  state: CompareState;
  onZoom: (range: { min: number; max: number }) => void;
  onResetZoom: () => void;
}) {
  const trpc = useTRPC();
  const frame = useRef<HTMLDivElement>(null);
  const near = useNearViewport(frame);
  const { runs: runIds, x: xAxis, range } = state;
  const requests = useMemo(() => compareChartRequests({ runs: runIds, x: xAxis, range }, metricKey), [runIds, xAxis, range, metricKey]);
  const maxPoints = requests[0]?.maxPoints ?? 0;
  const combined = useQueries({
    queries: requests.map((request) => {
      // Its own request, never batched with the runs or other charts: each chart draws as soon as its data lands.
      const options = trpc.tracking.chartSeries.queryOptions(request, { trpc: { context: { skipBatch: true } } });
      // The answer the server started with the document, for exactly this request, is taken once; a later fetch of
      // the same view (stale, refocused, zoomed back out) asks the server anew.
      const adopt = early && !adoptedEarly.has(early.data) && sameChartRequest(early.request, request) ? early.data : null;
      const ask = options.queryFn;
      return {
        ...options,
        ...(adopt && typeof ask === "function" ? { queryFn: (context: Parameters<typeof ask>[0]) => adoptEarly(adopt, async () => ask(context)) } : {}),
        enabled: near || adopt !== null,
        // Typed-array columns, decoded once per response (a stable function: React Query keeps the result).
        select: unpackChartSeries,
        // Zooming keeps the old lines on screen until the range's points arrive.
        placeholderData: <T,>(previous: T | undefined) => previous,
      };
    }),
    // One stable object for all chunks: it changes only when some chunk's data or status does.
    combine: (results) => ({
      series: results.flatMap((result) => result.data ?? []),
      pending: results.some((result) => result.isPending || result.isPlaceholderData),
      error: results.find((result) => result.error)?.error ?? null,
      refetchFailed: () => results.forEach((result) => result.error && void result.refetch()),
    }),
  });
  const loading = !near || combined.pending;
  const error = combined.error;

  const { series: fetched } = combined;
  const groups = useMemo(() => (state.group ? groupRuns(runList, state.group) : null), [runList, state.group]);
  const t = useTranslations("compareRuns");
  const { lines, bars, summary } = useMemo(
    () => buildChart({ fetched, runs, groups, groupColumn: state.group, baseline, axis: state.x, smoothing: state.smoothing, logScale: state.logScale, width: maxPoints, t }),
    [fetched, runs, groups, state.group, baseline, state.x, state.smoothing, state.logScale, maxPoints, t],
  );

  return (
    <div ref={frame}>
      {error ? (
        <QueryError error={error} onRetry={combined.refetchFailed} />
      ) : !near ? (
        <figure className={styles.figure} data-testid="compare-chart" data-metric={metricKey} data-ready="false">
          <div className={styles.placeholder}>{metricKey}</div>
        </figure>
      ) : bars ? (
        <CompareBarChart metricKey={metricKey} bars={bars} baseline={baseline} loading={loading} summary={summary} />
      ) : (
        <CompareLineChart
          metricKey={metricKey}
          baselineId={baseline}
          lines={lines}
          axis={state.x}
          logScale={state.logScale}
          smoothed={state.smoothing > 0}
          range={state.range}
          loading={loading}
          summary={summary}
          onZoom={onZoom}
          onResetZoom={onResetZoom}
        />
      )}
    </div>
  );
}

/**
 * What one metric's chart draws: a line per visible run, or with grouping a mean line and min–max band per
 * group (plus the baseline run's own line); a metric every run logged once becomes bars.
 */
function buildChart({
  fetched,
  runs,
  groups,
  groupColumn,
  baseline,
  axis,
  smoothing,
  logScale,
  width,
  t,
}: {
  fetched: ReturnType<typeof unpackChartSeries>;
  runs: RunLabel[];
  groups: RunGroup[] | null;
  groupColumn: string | null;
  baseline: string | null;
  axis: CompareXAxis;
  smoothing: number;
  logScale: boolean;
  width: number;
  /** The compare page's messages: group and baseline line names, the chart's caption. */
  t: ReturnType<typeof useTranslations<"compareRuns">>;
}): { lines: ChartLine[]; bars: ChartBar[] | null; summary: string } {
  const byRun = new Map(fetched.map((series) => [series.runId, series]));
  const shown = runs.filter((run) => byRun.has(run.runId));
  const totals = shown.map((run) => byRun.get(run.runId)!.total);
  if (isSingleValueMetric(totals)) {
    const bars = shown.filter((run) => byRun.get(run.runId)!.y.length === 1).map((run) => ({ ...run, value: byRun.get(run.runId)!.y[0] }));
    return { lines: [], bars, summary: t("chart.barsCaption", { count: bars.length }) };
  }
  let drawn = 0;
  let total = 0;
  let downsampled = 0;
  let droppedForLog = 0;
  const plots = new Map<string, PlotSeries>();
  for (const run of shown) {
    const series = byRun.get(run.runId)!;
    const plotted = toPlotSeries(series, { axis, runStartTime: series.runStartTime, smoothing, logScale });
    drawn += plotted.x.length;
    total += series.total;
    if (series.downsampled) downsampled++;
    droppedForLog += plotted.droppedForLog;
    plots.set(run.runId, plotted);
  }
  const built: ChartLine[] = [];
  const parts: string[] = [];
  if (groups && groupColumn) {
    const shownIds = new Set(shown.map((run) => run.runId));
    const key = groupColumn.slice(groupColumn.indexOf(".") + 1);
    const colors = distinctRunColors(groups.map((group) => `group:${group.value ?? ""}`));
    for (const group of groups) {
      const members = group.runIds.filter((id) => shownIds.has(id));
      if (!members.length) continue;
      const curve = aggregateSeries(members.map((id) => plots.get(id)!), width);
      const id = `group:${group.value ?? ""}`;
      built.push({
        runId: id,
        name: t("group.lineName", { key, value: group.value ?? t("group.notSet"), count: members.length }),
        color: colors.get(id)!,
        plot: { x: curve.x, y: curve.mean, raw: curve.mean, droppedForLog: 0 },
        band: members.length > 1 ? { x: curve.x, lo: curve.min, hi: curve.max } : undefined,
      });
    }
    const baselineRun = baseline ? shown.find((run) => run.runId === baseline) : undefined;
    if (baselineRun) built.push({ ...baselineRun, name: t("baseline.lineName", { name: baselineRun.name }), plot: plots.get(baselineRun.runId)! });
    parts.push(t("group.caption", { groups: built.length - (baselineRun ? 1 : 0), runs: shown.length, key }));
  } else {
    for (const run of shown) built.push({ ...run, plot: plots.get(run.runId)! });
    parts.push(t("chart.linesCaption", { count: built.length, drawn, total }));
  }
  if (downsampled) parts.push(t("chart.downsampled", { count: downsampled }));
  if (droppedForLog) parts.push(t("chart.droppedForLog", { count: droppedForLog }));
  return { lines: built, bars: null, summary: t("chart.summary", { parts: parts.join(t("chart.separator")) }) };
}
