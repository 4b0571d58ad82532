"use client";
// Any param or metric against another, one point per run in the run's colour; the choice of axes is the caller's (URL) state.
import { memo, useId, useMemo, useState } from "react";
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { useTranslations } from "next-intl";
import { formatMetricValue } from "@/components/ui/time-format";
import styles from "@/components/ui/ui.module.css";
import { defaultScatterChoice, describeColumns, diffParams, numericScale, scatterData, type ColumnInfo, type ScatterPoint } from "@/lib/compare-values";
import type { Run } from "@/server/tracking/schema";
import compare from "./compare.module.css";
import { RunLabel } from "./run-label";
import { formatDelta } from "./summary-table";
import { valueText } from "./value-text";
import { useRunColors } from "./run-colors-context";

export interface ScatterPlotProps {
  runs: readonly Run[];
  /** Column ids ("params.lr", "metrics.acc"); null, or a column these runs lack, means the default (first differing param, first metric). */
  x: string | null;
  y: string | null;
  onChange: (x: string, y: string) => void;
  /** The pinned baseline run: its point is ringed, and the tooltip gives each run's difference from it. */
  baseline?: string | null;
}

const LABEL_LENGTH = 14;
const shorten = (text: string) => (text.length > LABEL_LENGTH ? `${text.slice(0, LABEL_LENGTH - 1)}…` : text);

export function ScatterPlot({ runs, x, y, onChange, baseline = null }: ScatterPlotProps) {
  const t = useTranslations("compareRuns.scatter");
  const ids = useId();
  const columns = useMemo(() => describeColumns(runs), [runs]);
  // Categorical params make sense as x (one column of points per category); y stays numeric.
  const yColumns = useMemo(() => columns.filter((c) => c.type === "numeric"), [columns]);
  const fallback = useMemo(() => defaultScatterChoice(columns, new Set(diffParams(runs).differing.map((row) => row.key))), [columns, runs]);
  const xColumn = columns.find((c) => c.id === x) ?? columns.find((c) => c.id === fallback.x);
  const yColumn = yColumns.find((c) => c.id === y) ?? yColumns.find((c) => c.id === fallback.y) ?? yColumns[0];
  const data = useMemo(() => (xColumn && yColumn ? scatterData(runs, xColumn.id, yColumn.id) : null), [runs, xColumn, yColumn]);

  if (!runs.length) return <p className={compare.empty}>No runs to compare. Select runs in the runs table and open the comparison.</p>;
  if (!xColumn || !yColumn || !data) {
    return (
      <p className={compare.empty}>
        {columns.length
          ? "These runs logged no numeric param or metric to plot. Log metrics (or numeric params) to see a scatter plot."
          : "These runs logged no params or metrics, so there is nothing to plot yet."}
      </p>
    );
  }

  const captionId = `${ids}-caption`;
  return (
    <figure className={compare.figure} aria-labelledby={captionId}>
      <div className={compare.controls}>
        <div className={styles.field}>
          <label htmlFor={`${ids}-x`}>X axis</label>
          <select id={`${ids}-x`} className={compare.select} value={xColumn.id} onChange={(e) => onChange(e.target.value, yColumn.id)}>
            <ColumnOptions columns={columns} />
          </select>
        </div>
        <div className={styles.field}>
          <label htmlFor={`${ids}-y`}>Y axis</label>
          <select id={`${ids}-y`} className={compare.select} value={yColumn.id} onChange={(e) => onChange(xColumn.id, e.target.value)}>
            <ColumnOptions columns={yColumns} />
          </select>
        </div>
      </div>
      <ScatterCanvas data={data.points} xCategories={data.xCategories} x={xColumn} y={yColumn} baseline={baseline} />
      <figcaption id={captionId} className={compare.caption}>
        {t.rich("caption", {
          strong: (chunks) => <strong>{chunks}</strong>,
          y: yColumn.key,
          yKind: t(yColumn.kind === "params" ? "kind.params" : "kind.metrics"),
          x: xColumn.key,
          xKind: t(xColumn.kind === "params" ? "kind.params" : "kind.metrics"),
          categorical: data.xCategories ? "yes" : "no",
          categories: data.xCategories?.length ?? 0,
          plotted: data.points.length,
          total: runs.length,
          missing: data.missing,
        })}
      </figcaption>
      <PointsTable points={data.points} x={xColumn} y={yColumn} />
    </figure>
  );
}

function ColumnOptions({ columns }: { columns: readonly ColumnInfo[] }) {
  const params = columns.filter((c) => c.kind === "params");
  const metrics = columns.filter((c) => c.kind === "metrics");
  return (
    <>
      {params.length ? (
        <optgroup label="Params">
          {params.map((c) => (
            <option key={c.id} value={c.id}>
              {c.key}
              {c.type === "categorical" ? " (categories)" : ""}
            </option>
          ))}
        </optgroup>
      ) : null}
      {metrics.length ? (
        <optgroup label="Metrics">
          {metrics.map((c) => (
            <option key={c.id} value={c.id}>
              {c.key}
            </option>
          ))}
        </optgroup>
      ) : null}
    </>
  );
}

const tickStyle = { fill: "var(--muted)", fontSize: 11 };

/** A run's point in its colour; recharts hands the point's pixel centre and its data item. */
function runPoint(props: { cx?: number; cy?: number; payload?: ScatterPoint }, colorOf: (runId: string) => string, baseline: string | null) {
  if (props.cx === undefined || props.cy === undefined || !props.payload) return <g />;
  if (props.payload.runId === baseline) {
    return <circle cx={props.cx} cy={props.cy} r={6.5} fill={colorOf(props.payload.runId)} stroke="var(--text)" strokeWidth={2.5} data-baseline="true" />;
  }
  return <circle cx={props.cx} cy={props.cy} r={4.5} fill={colorOf(props.payload.runId)} stroke="var(--panel)" strokeWidth={1} />;
}

function PointTooltip({
  active,
  payload,
  x,
  y,
  baseline,
  numericX,
}: Pick<TooltipContentProps, "active" | "payload"> & { x: ColumnInfo; y: ColumnInfo; baseline?: ScatterPoint; numericX: boolean }) {
  const point = active ? (payload[0]?.payload as ScatterPoint | undefined) : undefined;
  if (!point) return null;
  const vsBaseline = baseline && baseline.runId !== point.runId ? baseline : null;
  return (
    <div className={compare.tooltip}>
      <RunLabel runId={point.runId} name={point.runName} full />
      <dl>
        <dt>{x.key}</dt>
        <dd>{valueText(x.id, point.xText)}</dd>
        <dt>{y.key}</dt>
        <dd>{valueText(y.id, point.yText)}</dd>
        {vsBaseline && numericX ? (
          <>
            <dt>Δ {x.key}</dt>
            <dd>{formatDelta(point.x, vsBaseline.x)}</dd>
          </>
        ) : null}
        {vsBaseline ? (
          <>
            <dt>Δ {y.key}</dt>
            <dd>{formatDelta(point.y, vsBaseline.y)} vs baseline</dd>
          </>
        ) : null}
        {baseline?.runId === point.runId ? <dd>baseline</dd> : null}
      </dl>
    </div>
  );
}

/** A padded numeric domain with round ticks (the lib's axis scale), so no point sits on the plot's edge. */
function numericAxis(values: readonly number[]) {
  const scale = numericScale(values);
  return scale
    ? { domain: [scale.min, scale.max] as [number, number], ticks: scale.ticks, tickFormatter: (v: number) => formatMetricValue(v) }
    : { domain: [0, 1] as [number, number], ticks: undefined, tickFormatter: (v: number) => formatMetricValue(v) };
}

/** Memoised on its data, so a re-render of the page does not redraw hundreds of points. */
const ScatterCanvas = memo(function ScatterCanvas({
  data,
  xCategories,
  x,
  y,
  baseline,
}: {
  data: ScatterPoint[];
  xCategories: string[] | null;
  x: ColumnInfo;
  y: ColumnInfo;
  baseline: string | null;
}) {
  const colorOf = useRunColors();
  const baselinePoint = baseline ? data.find((point) => point.runId === baseline) : undefined;
  const xAxis = useMemo(
    () =>
      xCategories
        ? {
            domain: [-0.5, xCategories.length - 0.5] as [number, number],
            ticks: xCategories.map((_, i) => i),
            tickFormatter: (i: number) => shorten(xCategories[i] ?? ""),
          }
        : numericAxis(data.map((point) => point.x)),
    [xCategories, data],
  );
  const yAxis = useMemo(() => numericAxis(data.map((point) => point.y)), [data]);
  return (
    <div className={compare.scatterPlot}>
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 8, right: 16, bottom: 20, left: 8 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="x"
            name={x.key}
            domain={xAxis.domain}
            ticks={xAxis.ticks}
            interval={xCategories ? "preserveStartEnd" : undefined}
            tickFormatter={xAxis.tickFormatter}
            tick={tickStyle}
            stroke="var(--border)"
            label={{ value: x.key, position: "insideBottom", offset: -12, fill: "var(--muted)", fontSize: 12 }}
          />
          <YAxis
            type="number"
            dataKey="y"
            name={y.key}
            domain={yAxis.domain}
            ticks={yAxis.ticks}
            width={64}
            tickFormatter={yAxis.tickFormatter}
            tick={tickStyle}
            stroke="var(--border)"
            label={{ value: y.key, angle: -90, position: "insideLeft", fill: "var(--muted)", fontSize: 12 }}
          />
          <Tooltip
            cursor={{ stroke: "var(--muted)", strokeDasharray: "3 3" }}
            content={(props) => <PointTooltip active={props.active} payload={props.payload} x={x} y={y} baseline={baselinePoint} numericX={!xCategories} />}
          />
          <Scatter data={data} shape={(props: { cx?: number; cy?: number; payload?: ScatterPoint }) => runPoint(props, colorOf, baseline)} isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
});

/** The plotted values as a table, built only when opened (a text alternative that costs nothing until read). */
function PointsTable({ points, x, y }: { points: ScatterPoint[]; x: ColumnInfo; y: ColumnInfo }) {
  const [open, setOpen] = useState(false);
  return (
    <details className={compare.folded} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Show the plotted values as a table</summary>
      {open ? (
        <div className={`${styles.tableWrap} ${compare.valuesTable}`} tabIndex={0} role="region" aria-label="Scatter plot values, scrollable">
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">{x.key}</th>
                <th scope="col">{y.key}</th>
              </tr>
            </thead>
            <tbody>
              {points.map((point) => (
                <tr key={point.runId}>
                  <th scope="row">
                    <RunLabel runId={point.runId} name={point.runName} />
                  </th>
                  <td className={compare.value}>{valueText(x.id, point.xText)}</td>
                  <td className={compare.value}>{valueText(y.id, point.yText)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </details>
  );
}
