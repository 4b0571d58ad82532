"use client";
// Response curve: one numeric feature swept over 50 points of its range, the others held, each class's probability charted.
import { useId, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { feedsFromRows, type InputPlan, type InputRow, type ModelInputInfo } from "@/lib/model-inputs";
import ui from "@/components/ui/ui.module.css";
import { readPredictions, sweepPoints, sweepRange } from "./prediction-format";
import type { ScoringClient } from "./scoring-client";
import styles from "./playground.module.css";

const POINTS = 50;
const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d"];

interface Curve {
  feature: string;
  series: string[];
  points: Record<string, number>[];
}

export function ResponseCurve({
  client,
  plan,
  inputs,
  row,
  feature,
  onFeature,
}: {
  client: ScoringClient | null;
  plan: InputPlan;
  inputs: readonly ModelInputInfo[];
  row: InputRow;
  feature: string | null;
  onFeature: (feature: string) => void;
}) {
  const id = useId();
  const numeric = plan.fields.filter((field) => field.valueType === "number");
  const chosen = numeric.find((field) => field.key === feature) ?? numeric[0] ?? null;
  const [curve, setCurve] = useState<Curve | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function draw() {
    if (!client || !chosen) return;
    setError(null);
    try {
      const current = row[chosen.key];
      const range = sweepRange(chosen, typeof current === "number" && Number.isFinite(current) ? current : 0);
      const xs = sweepPoints(range.min, range.max, POINTS);
      const rows = xs.map((x) => ({ ...row, [chosen.key]: x }));
      const { outputs } = await client.run("main", feedsFromRows(plan, inputs, rows));
      const predictions = readPredictions(outputs);
      const first = predictions[0];
      const series = first.probabilities
        ? first.probabilities.map((_, i) => `class ${i}`)
        : Object.entries(first.values).flatMap(([name, value]) => (typeof value === "number" ? [name] : []));
      const points = xs.map((x, i) => {
        const point: Record<string, number> = { x };
        const prediction = predictions[i];
        series.forEach((name, s) => {
          point[name] = prediction.probabilities ? prediction.probabilities[s] : (prediction.values[name] as number);
        });
        return point;
      });
      setCurve({ feature: chosen.key, series, points });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  if (numeric.length === 0) return null;
  return (
    <section className={ui.panel} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className={ui.panelTitle}>
        Response curve
      </h2>
      <div className={ui.toolbar}>
        <div className={ui.field}>
          <label htmlFor={`${id}-feature`}>Feature to sweep</label>
          <select id={`${id}-feature`} className={ui.input} value={chosen?.key ?? ""} onChange={(event) => onFeature(event.target.value)}>
            {numeric.map((field) => (
              <option key={field.key} value={field.key}>
                {field.key}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className={ui.button} onClick={draw} disabled={!client}>
          Draw curve
        </button>
      </div>
      <p className={styles.hint}>
        {POINTS} points over {chosen && chosen.min !== null && chosen.max !== null ? "the training range" : "±3× the current value (no training profile)"}; the other
        inputs keep their values from the form.
      </p>
      {error ? (
        <p className={ui.error} role="alert">
          {error}
        </p>
      ) : null}
      {curve ? (
        <>
          <div className={styles.chart} role="img" aria-label={`How ${curve.series.join(", ")} change with ${curve.feature}`}>
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={curve.points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="x" type="number" domain={["dataMin", "dataMax"]} tickFormatter={(v: number) => v.toPrecision(3)} />
                <YAxis domain={curve.points[0] && "class 0" in curve.points[0] ? [0, 1] : ["auto", "auto"]} />
                <Tooltip formatter={(v) => (typeof v === "number" ? v.toPrecision(4) : String(v))} labelFormatter={(v) => `${curve.feature} = ${Number(v).toPrecision(4)}`} />
                <Legend />
                {curve.series.map((name, i) => (
                  <Line key={name} dataKey={name} stroke={COLORS[i % COLORS.length]} dot={false} isAnimationActive={false} />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
          <details>
            <summary>The curve as a table</summary>
            <table className={ui.table} aria-label="Response curve values">
              <thead>
                <tr>
                  <th scope="col">{curve.feature}</th>
                  {curve.series.map((name) => (
                    <th key={name} scope="col" className={ui.num}>
                      {name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {curve.points.map((point, i) => (
                  <tr key={i}>
                    <td className={ui.num}>{point.x.toPrecision(4)}</td>
                    {curve.series.map((name) => (
                      <td key={name} className={ui.num}>
                        {point[name].toPrecision(4)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      ) : null}
    </section>
  );
}
