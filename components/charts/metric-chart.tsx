"use client";
// A small line chart of one metric over steps, with its min, max and last value as the text alternative.
import { useId, useMemo } from "react";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMetricValue } from "@/components/ui/time-format";
import styles from "./charts.module.css";

export interface MetricPoint {
  step: number;
  value: number;
}

/** More points than pixels only slows the browser; a stride keeps the shape, and the caption keeps the exact extremes. */
const MAX_DRAWN_POINTS = 1000;

function thin(points: MetricPoint[]): MetricPoint[] {
  if (points.length <= MAX_DRAWN_POINTS) return points;
  const stride = Math.ceil(points.length / MAX_DRAWN_POINTS);
  const kept = points.filter((_, i) => i % stride === 0);
  if (kept[kept.length - 1] !== points[points.length - 1]) kept.push(points[points.length - 1]);
  return kept;
}

export function summariseMetric(points: MetricPoint[]): { min: number; max: number; last: MetricPoint } | null {
  if (!points.length) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const point of points) {
    if (point.value < min) min = point.value;
    if (point.value > max) max = point.value;
  }
  return { min, max, last: points[points.length - 1] };
}

export function MetricChart({ metricKey, points }: { metricKey: string; points: MetricPoint[] }) {
  const captionId = useId();
  const drawn = useMemo(() => thin(points.filter((p) => Number.isFinite(p.value))), [points]);
  const summary = summariseMetric(points);
  return (
    <figure className={styles.figure} aria-labelledby={captionId}>
      <div className={styles.plot}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={drawn} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis dataKey="step" type="number" domain={["dataMin", "dataMax"]} tick={{ fill: "var(--muted)", fontSize: 11 }} stroke="var(--border)" />
            <YAxis domain={["auto", "auto"]} width={56} tick={{ fill: "var(--muted)", fontSize: 11 }} stroke="var(--border)" tickFormatter={(v: number) => formatMetricValue(v)} />
            <Tooltip
              contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" }}
              labelFormatter={(step) => `step ${String(step)}`}
              formatter={(value) => [typeof value === "number" ? formatMetricValue(value) : String(value), metricKey]}
            />
            <Line type="monotone" dataKey="value" stroke="var(--accent)" dot={drawn.length === 1} isAnimationActive={false} strokeWidth={1.5} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption id={captionId} className={styles.caption}>
        <strong>{metricKey}</strong>
        {summary
          ? ` — min ${formatMetricValue(summary.min)}, max ${formatMetricValue(summary.max)}, last ${formatMetricValue(summary.last.value)} at step ${summary.last.step} (${points.length} point${points.length === 1 ? "" : "s"})`
          : " — no points logged"}
      </figcaption>
    </figure>
  );
}
