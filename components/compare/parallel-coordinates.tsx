"use client";
// Parallel coordinates: one axis per chosen param and the chosen metric last, one line per run coloured by that metric; a pinned baseline run drawn on top.
import { useTranslations } from "next-intl";
import { memo, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import { formatMetricValue } from "@/components/ui/time-format";
import { useLocaleFormat } from "@/components/ui/use-locale-format";
import type { Locale } from "@/lib/i18n/locales";
import styles from "@/components/ui/ui.module.css";
import {
  METRIC_RAMP,
  buildAxis,
  defaultParallelChoice,
  describeColumns,
  diffParams,
  metricRampColor,
  nearestPolyline,
  parseColumnId,
  polylinePositions,
  runValue,
  type Axis,
} from "@/lib/compare-values";
import type { Run } from "@/server/tracking/schema";
import compare from "./compare.module.css";
import { RunLabel, runDisplayName } from "./run-label";
import { formatDelta } from "./summary-table";
import { valueText } from "./value-text";
import { useRunColors } from "./run-colors-context";

export interface ParallelCoordinatesProps {
  runs: readonly Run[];
  /** Param column ids ("params.lr"), left to right. Empty, or only columns these runs lack, means the default: up to 4 differing params. */
  axes: readonly string[];
  /** A metric column id ("metrics.acc") for the last, colour-scaled axis; null or unknown means the first metric. */
  metric: string | null;
  /** The full new choice; `metric` is null only when the runs logged no metric. */
  onChange: (axes: string[], metric: string | null) => void;
  /** The pinned baseline run's id (the page's `base=`): its line is drawn on top with a halo, and the hover line and table give differences from it. */
  baseline?: string | null;
}

const MARGIN = { top: 44, right: 84, bottom: 16, left: 72 };
const PLOT_HEIGHT = 280;
const MIN_AXIS_GAP = 120;
/** Width used before the container is measured (first paint, tests without layout). */
const FALLBACK_WIDTH = 720;
/** How far (px) from a line the pointer may be and still pick it. */
const HOVER_REACH = 10;
/** NUL cannot occur in a column id (keys are refused with it), so it safely joins ids into a memo key. */
const ID_SEPARATOR = "\u0000";

interface RunLine {
  runId: string;
  name: string;
  /** Pixel y per axis; null where the run lacks a value (the line breaks there). */
  ys: (number | null)[];
  d: string;
  color: string;
  /** The run has no value for the colouring metric: drawn dashed and grey. */
  lacksMetric: boolean;
  /** Cell texts per axis for the hover line and the table. */
  texts: (string | null)[];
  /** Numeric value per axis (null for categories and missing values), for differences from the baseline. */
  numbers: (number | null)[];
  metricValue: number | null;
}

function pathOf(ys: readonly (number | null)[], xs: readonly number[]): string {
  let d = "";
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (y === null) continue;
    const joined = i > 0 && ys[i - 1] !== null;
    const isolated = !joined && (i === ys.length - 1 || ys[i + 1] === null);
    // A value with no neighbour to join is drawn as a short tick across its axis, so it still shows.
    if (isolated) d += `M${xs[i] - 4},${y.toFixed(1)}h8`;
    else d += `${joined ? "L" : "M"}${xs[i]},${y.toFixed(1)}`;
  }
  return d;
}

const shorten = (text: string, length: number) => (text.length > length ? `${text.slice(0, Math.max(1, length - 1))}…` : text);
const axisKey = (axis: Axis) => parseColumnId(axis.id)?.key ?? axis.id;

export function ParallelCoordinates({ runs, axes, metric, onChange, baseline = null }: ParallelCoordinatesProps) {
  const t = useTranslations("compareRuns.parallel");
  const format = useLocaleFormat();
  const colorOf = useRunColors();
  const ids = useId();
  const paramColumns = useMemo(() => describeColumns(runs, ["params"]), [runs]);
  const metricColumns = useMemo(() => describeColumns(runs, ["metrics"]), [runs]);
  const differingKeys = useMemo(() => new Set(diffParams(runs).differing.map((row) => row.key)), [runs]);
  const defaults = useMemo(() => defaultParallelChoice(runs), [runs]);

  // Callers often pass a fresh array per render (parsed from the URL); the joined ids keep the memos below stable.
  const axesKey = axes.join(ID_SEPARATOR);
  const chosenAxes = useMemo(() => {
    const known = new Set(paramColumns.map((c) => c.id));
    const kept = axesKey ? [...new Set(axesKey.split(ID_SEPARATOR))].filter((id) => known.has(id)) : [];
    return kept.length ? kept : defaults.axes;
  }, [axesKey, paramColumns, defaults]);
  const chosenMetric = metric !== null && metricColumns.some((c) => c.id === metric) ? metric : defaults.metric;

  const paramAxes = useMemo(() => chosenAxes.map((id) => buildAxis(runs, id)).filter((a): a is Axis => a !== null), [runs, chosenAxes]);
  const metricAxis = useMemo(() => (chosenMetric ? buildAxis(runs, chosenMetric) : null), [runs, chosenMetric]);
  const allAxes = useMemo(() => (metricAxis ? [...paramAxes, metricAxis] : paramAxes), [paramAxes, metricAxis]);

  const frameRef = useRef<HTMLDivElement>(null);
  const [frameWidth, setFrameWidth] = useState(0);
  useEffect(() => {
    const frame = frameRef.current;
    if (!frame) return;
    const observer = new ResizeObserver((entries) => setFrameWidth(Math.floor(entries[0].contentRect.width)));
    observer.observe(frame);
    return () => observer.disconnect();
  }, []);

  const layout = useMemo(() => {
    const gaps = Math.max(1, allAxes.length - 1);
    const minimum = MARGIN.left + MARGIN.right + gaps * MIN_AXIS_GAP;
    const width = Math.max(minimum, frameWidth || FALLBACK_WIDTH);
    const gap = allAxes.length > 1 ? (width - MARGIN.left - MARGIN.right) / gaps : 0;
    const xs = allAxes.length > 1 ? allAxes.map((_, i) => MARGIN.left + i * gap) : [width / 2];
    return { width, height: MARGIN.top + PLOT_HEIGHT + MARGIN.bottom, xs, gap: allAxes.length > 1 ? gap : width / 2 };
  }, [allAxes, frameWidth]);

  const lines = useMemo<RunLine[]>(() => {
    const metricIndex = metricAxis ? allAxes.length - 1 : -1;
    return runs.map((run) => {
      const positions = polylinePositions(run, allAxes);
      const ys = positions.map((p) => (p === null ? null : MARGIN.top + (1 - p) * PLOT_HEIGHT));
      const metricPosition = metricIndex >= 0 ? positions[metricIndex] : null;
      const lacksMetric = metricIndex >= 0 && metricPosition === null;
      const metricValue = metricAxis ? (runValue(run, metricAxis.id)?.number ?? null) : null;
      return {
        runId: run.info.run_id,
        name: runDisplayName(run),
        ys,
        d: pathOf(ys, layout.xs),
        color: metricIndex < 0 ? colorOf(run.info.run_id) : metricPosition === null ? "var(--muted)" : metricRampColor(metricPosition),
        lacksMetric,
        texts: allAxes.map((axis) => runValue(run, axis.id)?.text ?? null),
        numbers: allAxes.map((axis) => runValue(run, axis.id)?.number ?? null),
        metricValue,
      };
    });
  }, [runs, allAxes, metricAxis, layout.xs, colorOf]);

  // Keyboard order: best metric first (runs lacking it last), so arrowing from the start walks down the ranking.
  const order = useMemo(() => {
    const indices = lines.map((_, i) => i);
    if (!metricAxis) return indices;
    return indices.sort((a, b) => (lines[b].metricValue ?? -Infinity) - (lines[a].metricValue ?? -Infinity) || a - b);
  }, [lines, metricAxis]);

  const baselineLine = baseline ? (lines.find((line) => line.runId === baseline) ?? null) : null;
  const caption = useMemo(() => {
    const described = describeChart(lines, paramAxes, metricAxis ? axisKey(metricAxis) : null, t, format.metricValue);
    if (!baselineLine?.d) return described;
    const about =
      metricAxis && baselineLine.metricValue !== null
        ? t("baselineMetric", { name: baselineLine.name, metric: axisKey(metricAxis), value: format.metricValue(baselineLine.metricValue) })
        : t("baselineCaption", { name: baselineLine.name });
    return `${described} ${about}`;
  }, [lines, paramAxes, metricAxis, baselineLine, t, format]);

  function toggleAxis(id: string) {
    const next = chosenAxes.includes(id) ? chosenAxes.filter((a) => a !== id) : [...chosenAxes, id];
    onChange(next, chosenMetric);
  }

  if (!runs.length) return <p className={compare.empty}>No runs to compare. Select runs in the runs table and open the comparison.</p>;
  if (!paramColumns.length && !metricColumns.length) {
    return <p className={compare.empty}>These runs logged no params or metrics, so there is nothing to draw yet.</p>;
  }

  const gradientId = `${ids.replace(/[^a-zA-Z0-9_-]/g, "")}-metric-ramp`;
  const captionId = `${ids}-caption`;
  return (
    <figure className={compare.figure} aria-labelledby={captionId}>
      <div className={compare.controls}>
        {paramColumns.length ? (
          <fieldset className={compare.axisPicker}>
            <legend>Axes (params)</legend>
            <ul className={compare.axisList}>
              {paramColumns.map((column) => {
                const checked = chosenAxes.includes(column.id);
                const lastOne = checked && chosenAxes.length === 1;
                return (
                  <li key={column.id}>
                    <label title={lastOne ? "At least one param stays on the chart" : column.key}>
                      <input type="checkbox" checked={checked} disabled={lastOne} onChange={() => toggleAxis(column.id)} />
                      <span>{column.key}</span>
                      {runs.length > 1 && !differingKeys.has(column.key) ? <span className={compare.equalHint}>same in all</span> : null}
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        ) : (
          <p className={compare.note}>These runs logged no params; only the metric is drawn.</p>
        )}
        {metricColumns.length ? (
          <div>
            <label className={compare.fieldLabel} htmlFor={`${ids}-metric`}>
              Metric (last axis, line colour)
            </label>
            <select id={`${ids}-metric`} className={compare.select} value={chosenMetric ?? ""} onChange={(e) => onChange(chosenAxes, e.target.value)}>
              {metricColumns.map((column) => (
                <option key={column.id} value={column.id}>
                  {column.key}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <p className={compare.note}>No metric logged: lines take each run&apos;s colour.</p>
        )}
      </div>

      {baselineLine?.d ? (
        <p className={compare.note} data-testid="parallel-baseline">
          <span className={compare.swatch} style={{ background: baselineLine.color }} aria-hidden="true" />
          {t("baselineLegend", { name: baselineLine.name })}
        </p>
      ) : null}
      <div className={compare.pcScroll} ref={frameRef}>
        {allAxes.length ? (
          <ChartBody lines={lines} order={order} axes={allAxes} layout={layout} gradientId={metricAxis ? gradientId : null} captionId={captionId} baseline={baselineLine} />
        ) : (
          <p className={compare.empty}>None of the chosen columns has a value in these runs. Choose other params.</p>
        )}
      </div>

      <figcaption id={captionId} className={compare.caption}>
        {caption}
      </figcaption>
      <ValuesTable lines={lines} order={order} axes={allAxes} baseline={baselineLine} />
    </figure>
  );
}

interface ChartLayout {
  width: number;
  height: number;
  xs: number[];
  gap: number;
}

/**
 * The SVG and the line naming the highlighted run. The highlight is this component's own state, so pointing
 * at lines re-renders only it; the memoised lines and axes inside are not redrawn.
 */
const ChartBody = memo(function ChartBody({
  lines,
  order,
  axes,
  layout,
  gradientId,
  captionId,
  baseline,
}: {
  lines: readonly RunLine[];
  order: readonly number[];
  axes: readonly Axis[];
  layout: ChartLayout;
  gradientId: string | null;
  captionId: string;
  baseline: RunLine | null;
}) {
  const t = useTranslations("compareRuns.parallel");
  const { locale } = useLocaleFormat();
  const hintId = useId();
  // Held by id, so a change of runs or axes never moves the highlight onto another run.
  const [activeRunId, setActiveRunId] = useState<string | null>(null);
  const activeIndex = activeRunId === null ? -1 : lines.findIndex((line) => line.runId === activeRunId);
  const active = activeIndex >= 0 ? lines[activeIndex] : null;
  const highlight = (index: number) => setActiveRunId(index >= 0 ? lines[index].runId : null);
  const linePixels = useMemo(() => lines.map((line) => line.ys), [lines]);

  function pickAt(event: PointerEvent<SVGSVGElement>) {
    const box = event.currentTarget.getBoundingClientRect();
    highlight(nearestPolyline(linePixels, layout.xs, event.clientX - box.left, event.clientY - box.top, HOVER_REACH));
  }

  function step(event: KeyboardEvent<SVGSVGElement>) {
    if (!order.length) return;
    const at = order.indexOf(activeIndex);
    let next: number | null = null;
    if (event.key === "ArrowDown" || event.key === "ArrowRight") next = order[at < 0 ? 0 : Math.min(order.length - 1, at + 1)];
    else if (event.key === "ArrowUp" || event.key === "ArrowLeft") next = order[at < 0 ? 0 : Math.max(0, at - 1)];
    else if (event.key === "Home") next = order[0];
    else if (event.key === "End") next = order[order.length - 1];
    else if (event.key === "Escape") next = -1;
    if (next === null) return;
    event.preventDefault();
    highlight(next);
  }

  return (
    <>
      <p className={compare.hoverInfo} aria-live="polite" id={hintId}>
        {active ? (
          <>
            <RunLabel runId={active.runId} name={active.name} full />
            {active.runId === baseline?.runId ? ` (${t("baselineHover")})` : ""}{" "}
            {axes
              .map((axis, i) => {
                const delta = baseline && active.runId !== baseline.runId ? deltaText(active.numbers[i], baseline.numbers[i], locale) : "";
                return `${axisKey(axis)} ${valueText(axis.id, active.texts[i])}${delta ? ` (Δ ${delta})` : ""}`;
              })
              .join(" · ")}
          </>
        ) : (
          "Point at a line, or focus the chart and use the arrow keys, to see a run."
        )}
      </p>
      <svg
        className={compare.pcSvg}
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="img"
        aria-labelledby={captionId}
        aria-describedby={hintId}
        tabIndex={0}
        onPointerMove={pickAt}
        onPointerLeave={() => setActiveRunId(null)}
        onKeyDown={step}
        onBlur={() => setActiveRunId(null)}
      >
        {gradientId ? (
          <defs>
            <linearGradient id={gradientId} x1="0" y1="1" x2="0" y2="0">
              {METRIC_RAMP.map((color, i) => (
                <stop key={color} offset={i / (METRIC_RAMP.length - 1)} stopColor={color} />
              ))}
            </linearGradient>
          </defs>
        ) : null}
        <g className={active ? `${compare.lines} ${compare.dimmed}` : compare.lines}>
          <RunLines lines={lines} />
        </g>
        {baseline?.d ? (
          <g data-testid="parallel-baseline-line" data-run-id={baseline.runId}>
            <path className={compare.baselineHalo} d={baseline.d} />
            <path className={compare.baselineLine} d={baseline.d} stroke={baseline.color} strokeDasharray={baseline.lacksMetric ? "4 3" : undefined} />
          </g>
        ) : null}
        <AxesLayer axes={axes} xs={layout.xs} gap={layout.gap} metricGradientId={gradientId} />
        {active ? (
          <g>
            <path className={compare.highlightHalo} d={active.d} />
            <path className={compare.highlight} d={active.d} stroke={active.color} strokeDasharray={active.lacksMetric ? "4 3" : undefined} />
          </g>
        ) : null}
      </svg>
    </>
  );
});

/** A run's difference from the baseline on one axis, or "" where either lacks a number (categories, missing values). */
function deltaText(value: number | null, baseline: number | null, locale: Locale): string {
  return value === null || baseline === null ? "" : formatDelta(value, baseline, locale);
}

/** The caption: what is drawn, how it is coloured, the extremes and who is missing, in the reader's language. */
function describeChart(
  lines: readonly RunLine[],
  paramAxes: readonly Axis[],
  metricKey: string | null,
  t: ReturnType<typeof useTranslations<"compareRuns.parallel">>,
  metricValue: (value: number) => string,
): string {
  const drawn = lines.filter((line) => line.d).length;
  const params = paramAxes.map(axisKey);
  const parts = [
    t("describe.drawn", { drawn, total: lines.length, params: params.length, list: params.join(", "), hasMetric: metricKey ? "yes" : "no", metric: metricKey ?? "" }),
  ];
  if (metricKey) {
    const ranked = lines.filter((line) => line.metricValue !== null).sort((a, b) => (b.metricValue as number) - (a.metricValue as number));
    parts.push(t("describe.coloured", { metric: metricKey }));
    if (ranked.length) {
      const top = ranked[0];
      const bottom = ranked[ranked.length - 1];
      parts.push(
        ranked.length > 1
          ? t("describe.extremes", { metric: metricKey, top: top.name, topValue: metricValue(top.metricValue as number), bottom: bottom.name, bottomValue: metricValue(bottom.metricValue as number) })
          : t("describe.single", { name: top.name, metric: metricKey, value: metricValue(top.metricValue as number) }),
      );
    }
    const lacking = lines.filter((line) => line.lacksMetric).length;
    if (lacking) parts.push(t("describe.lacking", { count: lacking, metric: metricKey }));
  } else {
    parts.push(t("describe.runColours"));
  }
  if (drawn < lines.length) parts.push(t("describe.notDrawn", { count: lines.length - drawn }));
  parts.push(t("describe.breaks"));
  return parts.join(" ");
}

/** Every run's path; memoised on the geometry so hovering (which re-renders the chart) leaves hundreds of paths untouched. */
const RunLines = memo(function RunLines({ lines }: { lines: readonly RunLine[] }) {
  return (
    <>
      {lines.map((line) =>
        line.d ? <path key={line.runId} d={line.d} stroke={line.color} className={line.lacksMetric ? compare.noMetric : undefined} /> : null,
      )}
    </>
  );
});

const TICK_LABEL_SPACING = 14;

const AxesLayer = memo(function AxesLayer({
  axes,
  xs,
  gap,
  metricGradientId,
}: {
  axes: readonly Axis[];
  xs: readonly number[];
  gap: number;
  metricGradientId: string | null;
}) {
  const top = MARGIN.top;
  const bottom = MARGIN.top + PLOT_HEIGHT;
  const titleLength = Math.max(6, Math.floor(gap / 7.5));
  return (
    <g>
      {axes.map((axis, i) => {
        const x = xs[i];
        const isMetric = metricGradientId !== null && i === axes.length - 1;
        const key = axisKey(axis);
        const yOf = (position: number) => top + (1 - position) * PLOT_HEIGHT;
        let ticks: { y: number; label: string; full: string }[];
        if (axis.scale.type === "numeric") {
          const { min, max } = axis.scale;
          ticks = axis.scale.ticks.map((t) => ({ y: yOf((t - min) / (max - min)), label: formatMetricValue(t), full: String(t) }));
        } else {
          const categories = axis.scale.categories;
          // Too many categories to label each: every k-th one, so labels never overlap.
          const every = Math.max(1, Math.ceil((categories.length * TICK_LABEL_SPACING) / PLOT_HEIGHT));
          ticks = categories
            .map((c, index) => ({ y: yOf((index + 0.5) / categories.length), label: shorten(c, 12), full: c, index }))
            .filter((t) => t.index % every === 0);
        }
        return (
          <g key={axis.id}>
            {isMetric ? <rect x={x - 3} y={top} width={6} height={PLOT_HEIGHT} fill={`url(#${metricGradientId})`} rx={2} /> : null}
            <line className={compare.axisLine} x1={x} x2={x} y1={top} y2={bottom} />
            <text className={compare.axisTitle} x={x} y={top - 18} textAnchor="middle">
              <title>{isMetric ? `${key} (metric, line colour)` : `${key} (param)`}</title>
              {shorten(key, titleLength)}
            </text>
            {ticks.map((tick) => (
              <g key={`${tick.full}-${tick.y}`}>
                <line className={compare.tickLine} x1={x - 4} x2={x} y1={tick.y} y2={tick.y} />
                <text className={compare.tickText} x={x - 7} y={tick.y} dy="0.32em" textAnchor="end">
                  <title>{tick.full}</title>
                  {tick.label}
                </text>
              </g>
            ))}
          </g>
        );
      })}
    </g>
  );
});

/** The drawn values as a table, in keyboard order; built only when opened, since it may hold hundreds of rows. */
function ValuesTable({ lines, order, axes, baseline }: { lines: readonly RunLine[]; order: readonly number[]; axes: readonly Axis[]; baseline: RunLine | null }) {
  const t = useTranslations("compareRuns.parallel");
  const { locale } = useLocaleFormat();
  const [open, setOpen] = useState(false);
  return (
    <details className={compare.folded} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Show the values as a table</summary>
      {open ? (
        <div className={`${styles.tableWrap} ${compare.valuesTable}`} tabIndex={0} role="region" aria-label="Parallel coordinates values, scrollable">
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Run</th>
                {axes.map((axis) => (
                  <th scope="col" key={axis.id}>
                    {axisKey(axis)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {order.map((index) => {
                const line = lines[index];
                return (
                  <tr key={line.runId}>
                    <th scope="row">
                      <RunLabel runId={line.runId} name={line.name} />
                      {line.runId === baseline?.runId ? ` ${t("baselineRow")}` : null}
                    </th>
                    {line.texts.map((text, i) => {
                      const delta = baseline && line.runId !== baseline.runId ? deltaText(line.numbers[i], baseline.numbers[i], locale) : "";
                      return (
                        <td key={axes[i].id} className={compare.value}>
                          {valueText(axes[i].id, text)}
                          {delta ? (
                            <span className={compare.delta} title={t("deltaTitle")}>
                              {" "}
                              Δ {delta}
                            </span>
                          ) : null}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </details>
  );
}
