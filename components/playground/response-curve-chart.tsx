"use client";
// The response curve's chart (recharts): its own module so the playground loads recharts' ~410 KB only once the model
// is ready, not before the page can score (see ResponseCurve).
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import styles from "./playground.module.css";

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d"];

export interface Curve {
  feature: string;
  series: string[];
  points: Record<string, number>[];
  /** Each series is a class's probability (the axis spans 0–1). */
  probabilities: boolean;
  /** The chart's accessible name, in the reader's language. */
  label: string;
}

export default function ResponseCurveChart({ curve }: { curve: Curve }) {
  return (
    <div className={styles.chart} role="img" aria-label={curve.label}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={curve.points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="x" type="number" domain={["dataMin", "dataMax"]} tickFormatter={(v: number) => v.toPrecision(3)} />
          <YAxis domain={curve.probabilities ? [0, 1] : ["auto", "auto"]} />
          <Tooltip formatter={(v) => (typeof v === "number" ? v.toPrecision(4) : String(v))} labelFormatter={(v) => `${curve.feature} = ${Number(v).toPrecision(4)}`} />
          <Legend />
          {curve.series.map((name, i) => (
            <Line key={name} dataKey={name} stroke={COLORS[i % COLORS.length]} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
