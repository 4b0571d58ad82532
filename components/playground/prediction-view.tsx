"use client";
// A prediction as text and bars: the label, each class's probability, other output values, and how long it took.
import type { RowPrediction } from "./prediction-format";
import styles from "./playground.module.css";

export function formatProbability(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

export function ProbabilityBars({ prediction }: { prediction: RowPrediction }) {
  if (!prediction.probabilities) return null;
  const best = prediction.probabilities.indexOf(Math.max(...prediction.probabilities));
  return (
    <ul className={styles.bars}>
      {prediction.probabilities.map((p, i) => (
        <li key={i} className={`${styles.bar} ${i === best ? styles.predicted : ""}`}>
          <span>class {i}</span>
          <span className={styles.track} aria-hidden="true">
            <span className={styles.fill} style={{ display: "block", width: `${Math.max(0, Math.min(1, p)) * 100}%` }} />
          </span>
          <span>{formatProbability(p)}</span>
        </li>
      ))}
    </ul>
  );
}

export function PredictionSummary({ prediction }: { prediction: RowPrediction }) {
  const others = Object.entries(prediction.values).filter(() => prediction.label === null && prediction.probabilities === null);
  return (
    <>
      {prediction.label !== null ? (
        <p>
          Predicted label: <strong data-testid="predicted-label">{String(prediction.label)}</strong>
        </p>
      ) : null}
      <ProbabilityBars prediction={prediction} />
      {others.map(([name, value]) => (
        <p key={name}>
          {name}: <strong>{Array.isArray(value) ? value.map((v) => (typeof v === "number" ? v.toPrecision(6) : v)).join(", ") : typeof value === "number" ? value.toPrecision(6) : value}</strong>
        </p>
      ))}
    </>
  );
}
