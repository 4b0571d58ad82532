"use client";
// A horizontal waterfall of feature contributions: from the base value, each feature's bar moves the running total,
// ending at the model's output. Plain SVG (no layout measuring), with the numbers as a table for screen readers.
import { useId } from "react";
import styles from "./charts.module.css";

export interface WaterfallStep {
  label: string;
  /** The feature's value as text, shown beside its name. */
  value: string;
  contribution: number;
}

export interface WaterfallChartProps {
  baseLabel: string;
  outputLabel: string;
  baseValue: number;
  output: number;
  steps: readonly WaterfallStep[];
  format: (value: number) => string;
  caption: string;
  headers: { feature: string; value: string; contribution: string };
}

const ROW = 22;
const LABEL_WIDTH = 230;
const PLOT_WIDTH = 330;
const VALUE_WIDTH = 80;

export function WaterfallChart({ baseLabel, outputLabel, baseValue, output, steps, format, caption, headers }: WaterfallChartProps) {
  const captionId = useId();
  const bars: (WaterfallStep & { start: number; end: number })[] = [];
  for (const step of steps) {
    const start = bars.length > 0 ? bars[bars.length - 1].end : baseValue;
    bars.push({ ...step, start, end: start + step.contribution });
  }
  const points = [baseValue, output, ...bars.flatMap((bar) => [bar.start, bar.end])];
  const low = Math.min(...points);
  const high = Math.max(...points);
  const span = high - low || 1;
  const x = (value: number) => LABEL_WIDTH + ((value - low) / span) * PLOT_WIDTH;
  const height = (steps.length + 2) * ROW + 6;
  const width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH;
  const rows = [
    { label: baseLabel, start: low, end: baseValue, kind: "total" as const, text: format(baseValue) },
    ...bars.map((bar) => ({ label: bar.value ? `${bar.label} = ${bar.value}` : bar.label, start: bar.start, end: bar.end, kind: bar.contribution >= 0 ? ("up" as const) : ("down" as const), text: `${bar.contribution >= 0 ? "+" : "−"}${format(Math.abs(bar.contribution))}` })),
    { label: outputLabel, start: low, end: output, kind: "total" as const, text: format(output) },
  ];
  const fill = { total: "var(--muted)", up: "var(--danger)", down: "var(--accent)" };
  return (
    <figure className={`${styles.figure} ${styles.figureRelative}`} aria-labelledby={captionId} data-testid="waterfall-chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="presentation" aria-hidden="true" style={{ maxWidth: `${width}px`, display: "block" }}>
        {rows.map((row, index) => {
          const y = index * ROW + 3;
          // A total at the axis's low end would have no length: it keeps a 3-unit stub ending at its value.
          const barWidth = Math.max(3, Math.abs(x(row.end) - x(row.start)));
          const left = row.kind === "total" ? x(row.end) - barWidth : Math.min(x(row.start), x(row.end));
          return (
            <g key={index}>
              <text x={LABEL_WIDTH - 6} y={y + ROW / 2 + 4} textAnchor="end" fontSize="11" fill="var(--text)">
                {row.label.length > 38 ? `${row.label.slice(0, 37)}…` : row.label}
              </text>
              <rect x={left} y={y + 3} width={barWidth} height={ROW - 6} fill={fill[row.kind]} rx="2" />
              <text x={LABEL_WIDTH + PLOT_WIDTH + 4} y={y + ROW / 2 + 4} fontSize="11" fill="var(--muted)">
                {row.text}
              </text>
            </g>
          );
        })}
        <line x1={x(baseValue)} x2={x(baseValue)} y1={0} y2={height} stroke="var(--border)" strokeDasharray="3 3" />
      </svg>
      <figcaption id={captionId} className={styles.caption}>
        {caption}
      </figcaption>
      <table className={styles.srOnly}>
        <thead>
          <tr>
            <th scope="col">{headers.feature}</th>
            <th scope="col">{headers.value}</th>
            <th scope="col">{headers.contribution}</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step) => (
            <tr key={step.label}>
              <th scope="row">{step.label}</th>
              <td>{step.value}</td>
              <td>{format(step.contribution)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
