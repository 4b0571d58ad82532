"use client";
// One monitoring measure over time windows (x = window start): lines, an optional threshold line, a one-sentence
// summary, and the values as a table for screen readers and exact reading.
import { useTranslations } from "next-intl";
import { useId } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatWindowStart, formatWindowTick, isolatedPointIndexes, seriesSummary, windowChartDomain } from "@/lib/monitoring-view";
import type { WindowSize } from "@/server/monitoring/schema";
import styles from "./monitoring.module.css";

export interface WindowSeries {
  key: string;
  name: string;
  color: string;
  dashed?: boolean;
}

export type WindowChartRow = { start: number } & Record<string, number | null>;

const AXIS_TICK = { fill: "var(--muted)", fontSize: 11 };

export function WindowChart({
  title,
  rows,
  series,
  size,
  format,
  threshold,
}: {
  title: string;
  rows: readonly WindowChartRow[];
  series: readonly WindowSeries[];
  size: WindowSize;
  format: (value: number) => string;
  threshold?: { value: number; label: string } | null;
}) {
  const ids = useId();
  const t = useTranslations("monitoring.chart");
  const summaries = series.map((line) => ({ line, summary: seriesSummary(rows.map((row) => row[line.key] ?? null)) }));
  const domain = windowChartDomain(
    rows.map((row) => row.start),
    size,
  );
  return (
    <section className={styles.chartSection} aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>{title}</h3>
      <figure className={styles.figure} aria-describedby={`${ids}-caption`}>
        <div className={styles.plot} aria-hidden="true">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows as WindowChartRow[]} accessibilityLayer={false} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis
                dataKey="start"
                type="number"
                domain={domain ?? ["dataMin", "dataMax"]}
                tick={AXIS_TICK}
                stroke="var(--border)"
                tickFormatter={(start: number) => formatWindowTick(start, size)}
              />
              <YAxis width={56} tick={AXIS_TICK} stroke="var(--border)" tickFormatter={(value: number) => format(value)} />
              <Tooltip
                contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" }}
                labelFormatter={(start) => formatWindowStart(Number(start), size)}
                formatter={(value, name) => [typeof value === "number" ? format(value) : String(value), String(name)]}
              />
              {threshold ? (
                <ReferenceLine
                  y={threshold.value}
                  stroke="var(--danger)"
                  strokeDasharray="6 3"
                  label={{ value: threshold.label, fill: "var(--danger)", fontSize: 11, position: "insideTopRight" }}
                />
              ) : null}
              {series.map((line) => {
                const isolated = isolatedPointIndexes(rows.map((row) => row[line.key]));
                return (
                <Line
                  key={line.key}
                  type="monotone"
                  dataKey={line.key}
                  name={line.name}
                  stroke={line.color}
                  strokeDasharray={line.dashed ? "4 2" : undefined}
                  dot={(props: { cx?: number; cy?: number; index?: number }) =>
                    props.index !== undefined && isolated.has(props.index) && props.cx !== undefined && props.cy !== undefined ? (
                      <circle key={props.index} cx={props.cx} cy={props.cy} r={3} fill={line.color} stroke={line.color} data-isolated-point="" />
                    ) : (
                      <g key={props.index} />
                    )
                  }
                  connectNulls={false}
                  isAnimationActive={false}
                  strokeWidth={1.5}
                />
                );
              })}
            </LineChart>
          </ResponsiveContainer>
        </div>
        <figcaption id={`${ids}-caption`} className={styles.caption}>
          {summaries.map(({ line, summary }, index) => (
            <span key={line.key}>
              {index > 0 ? t("separator") : ""}
              <strong>{line.name}</strong>
              {summary ? t("summary", { min: format(summary.min), max: format(summary.max), last: format(summary.last) }) : t("noValues")}
            </span>
          ))}
          {threshold ? t("threshold", { value: format(threshold.value) }) : ""}
          {t("windows", { count: rows.length })}
        </figcaption>
      </figure>
      <details className={styles.dataTable}>
        <summary>{t("asTable", { title })}</summary>
        {/* Focusable so keyboard users can scroll a wide table (axe: scrollable-region-focusable). */}
        <div className={styles.tableScroll} tabIndex={0} role="region" aria-label={t("scrollable", { title })}>
          <table className={styles.valuesTable} aria-label={t("perWindow", { title })}>
            <thead>
              <tr>
                <th scope="col">{t("window")}</th>
                {series.map((line) => (
                  <th key={line.key} scope="col">
                    {line.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.start}>
                  <th scope="row">{formatWindowStart(row.start, size)}</th>
                  {series.map((line) => {
                    const value = row[line.key];
                    return <td key={line.key}>{value === null || value === undefined ? "—" : format(value)}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
