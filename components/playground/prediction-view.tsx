"use client";
// A prediction as text and bars: the label, each class's probability, other output values, and how long it took.
import { useTranslations } from "next-intl";
import { describePrediction, formatProbability, type PredictionDisplay, type RowPrediction } from "./prediction-format";
import styles from "./playground.module.css";

export { formatProbability };

function Bars({ probabilities }: { probabilities: NonNullable<PredictionDisplay["probabilities"]> }) {
  return (
    <ul className={styles.bars}>
      {probabilities.map((p) => (
        <li key={p.name} className={`${styles.bar} ${p.best ? styles.predicted : ""}`}>
          <span>{p.name}</span>
          <span className={styles.track} aria-hidden="true">
            <span className={styles.fill} style={{ display: "block", width: `${p.widthPercent}%` }} />
          </span>
          <span>{p.text}</span>
        </li>
      ))}
    </ul>
  );
}

export function ProbabilityBars({ prediction }: { prediction: RowPrediction }) {
  const { probabilities } = describePrediction(prediction);
  return probabilities ? <Bars probabilities={probabilities} /> : null;
}

export function PredictionSummary({ prediction }: { prediction: RowPrediction }) {
  const t = useTranslations("playground");
  const shown = describePrediction(prediction);
  return (
    <>
      {shown.label !== null ? (
        <p>
          {t("predictedLabel")} <strong data-testid="predicted-label">{shown.label}</strong>
        </p>
      ) : null}
      {shown.probabilities ? <Bars probabilities={shown.probabilities} /> : null}
      {shown.values.map(({ name, text }) => (
        <p key={name}>
          {t("outputName", { name })} <strong>{text}</strong>
        </p>
      ))}
    </>
  );
}
