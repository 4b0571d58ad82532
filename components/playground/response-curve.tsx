"use client";
// Response curve: one numeric feature swept over 50 points of its range, the others held, each class's probability charted.
import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";
import { useEffect, useId, useState } from "react";
import { feedsFromRows, type InputPlan, type InputRow, type ModelInputInfo } from "@/lib/model-inputs";
import ui from "@/components/ui/ui.module.css";
import { readPredictions, sweepPoints, sweepRange } from "./prediction-format";
import type { Curve } from "./response-curve-chart";
import type { ScoringClient } from "./scoring-client";
import { useModelInputErrorText } from "./model-input-error-text";
import { useNumberCells } from "./number-cells";
import styles from "./playground.module.css";

const POINTS = 50;

// recharts is ~410 KB of the page's JS: parsed and run before hydration, it delayed the model's load (the page's
// first target). It is fetched once the model is ready (below), so a curve drawn after that finds it there.
const loadChart = () => import("./response-curve-chart");
const ResponseCurveChart = dynamic(loadChart, { ssr: false, loading: () => <div className={styles.chart} /> });

export function ResponseCurve({
  client,
  plan,
  inputs,
  readRow,
  feature,
  onFeature,
}: {
  client: ScoringClient | null;
  plan: InputPlan;
  inputs: readonly ModelInputInfo[];
  /** The form's row as it is now, read when the tool runs. */
  readRow: () => InputRow;
  feature: string | null;
  onFeature: (feature: string) => void;
}) {
  const t = useTranslations("playground.tools.curve");
  const cells = useNumberCells();
  const errorText = useModelInputErrorText();
  const id = useId();
  const numeric = plan.fields.filter((field) => field.valueType === "number");
  const chosen = numeric.find((field) => field.key === feature) ?? numeric[0] ?? null;
  const [curve, setCurve] = useState<Curve | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Once the model is ready, in the browser's next idle moment: the first Predict (and the batch worker's own start)
  // come first. A failed fetch is left for the chart's own load, when a curve is drawn, to try again.
  useEffect(() => {
    if (!client) return;
    const fetchChart = () => void loadChart().catch(() => undefined);
    if (typeof window.requestIdleCallback !== "function") {
      const timer = window.setTimeout(fetchChart, 1_000);
      return () => window.clearTimeout(timer);
    }
    const idle = window.requestIdleCallback(fetchChart, { timeout: 5_000 });
    return () => window.cancelIdleCallback(idle);
  }, [client]);

  async function draw() {
    if (!client || !chosen) return;
    setError(null);
    try {
      const row = readRow();
      const current = row[chosen.key];
      const range = sweepRange(chosen, typeof current === "number" && Number.isFinite(current) ? current : 0);
      const xs = sweepPoints(range.min, range.max, POINTS);
      const rows = xs.map((x) => ({ ...row, [chosen.key]: x }));
      const { outputs } = await client.run("main", feedsFromRows(plan, inputs, rows));
      const predictions = readPredictions(outputs);
      const first = predictions[0];
      const series = first.probabilities
        ? first.probabilities.map((_, i) => t("classN", { index: i }))
        : Object.entries(first.values).flatMap(([name, value]) => (typeof value === "number" ? [name] : []));
      const points = xs.map((x, i) => {
        const point: Record<string, number> = { x };
        const prediction = predictions[i];
        series.forEach((name, s) => {
          point[name] = prediction.probabilities ? prediction.probabilities[s] : (prediction.values[name] as number);
        });
        return point;
      });
      setCurve({ feature: chosen.key, series, points, probabilities: first.probabilities !== null, label: t("chartLabel", { series: series.join(", "), feature: chosen.key }) });
    } catch (caught) {
      setError(errorText(caught));
    }
  }

  if (numeric.length === 0) return null;
  return (
    <section className={ui.panel} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className={ui.panelTitle}>
        {t("title")}
      </h2>
      <div className={ui.toolbar}>
        <div className={ui.field}>
          <label htmlFor={`${id}-feature`}>{t("feature")}</label>
          <select id={`${id}-feature`} className={ui.input} value={chosen?.key ?? ""} onChange={(event) => onFeature(event.target.value)}>
            {numeric.map((field) => (
              <option key={field.key} value={field.key}>
                {field.key}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className={ui.button} onClick={draw} disabled={!client}>
          {t("draw")}
        </button>
      </div>
      <p className={styles.hint}>{t("hint", { points: POINTS, range: chosen && chosen.min !== null && chosen.max !== null ? "training" : "value" })}</p>
      {error ? (
        <p className={ui.error} role="alert">
          {error}
        </p>
      ) : null}
      {curve ? (
        <>
          <ResponseCurveChart curve={curve} />
          <details>
            <summary>{t("table")}</summary>
            <table className={ui.table} aria-label={t("tableLabel")}>
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
                    <td className={ui.num}>{cells.significant(point.x, 4)}</td>
                    {curve.series.map((name) => (
                      <td key={name} className={ui.num}>
                        {cells.significant(point[name], 4)}
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
