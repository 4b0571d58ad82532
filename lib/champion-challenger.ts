// Champion vs challenger on the same labelled rows: how often the two agree, each one's metrics, and where they differ.
// Pure: the caller has scored both models and matched the labels to class indices (or numbers for a regressor).
import { accuracy, precisionRecallF1, predictedLabels } from "./classification-metrics";
import { mae, r2, rmse } from "./regression-metrics";

/** Regressors "agree" on a row when their predictions differ by at most this share of the labels' range. */
export const REGRESSION_AGREEMENT_SHARE = 0.01;

export type ComparedTask = "binary" | "multiclass" | "regression";

export interface SideMetrics {
  /** accuracy and macro_f1 for classifiers; rmse, mae and r2 for regressors. */
  metrics: { name: "accuracy" | "macro_f1" | "rmse" | "mae" | "r2"; value: number }[];
  /** Per row: the predicted class index, or the predicted value. */
  predictions: number[];
}

export interface PairComparison {
  champion: SideMetrics;
  challenger: SideMetrics;
  agreeing: number;
  compared: number;
  agreementRate: number;
  /** How agreement was decided, in a sentence. */
  agreementRule: string;
  /** Indexes (into the compared rows) where the two disagree, worst first for regressors, in row order for classifiers. */
  disagreements: number[];
}

function rowsOf(flat: Float64Array, width: number): number[][] {
  const rows: number[][] = [];
  for (let start = 0; start < flat.length; start += width) rows.push(Array.from(flat.subarray(start, start + width)));
  return rows;
}

export function compareClassifiers(labels: number[], champion: Float64Array, challenger: Float64Array, classCount: number): PairComparison {
  const side = (outputs: Float64Array): SideMetrics => {
    const probabilities = rowsOf(outputs, classCount);
    return {
      metrics: [
        { name: "accuracy", value: accuracy(labels, probabilities) },
        { name: "macro_f1", value: precisionRecallF1(labels, probabilities).macro.f1 },
      ],
      predictions: predictedLabels(probabilities),
    };
  };
  const a = side(champion);
  const b = side(challenger);
  const disagreements = a.predictions.flatMap((prediction, row) => (prediction === b.predictions[row] ? [] : [row]));
  return {
    champion: a,
    challenger: b,
    agreeing: labels.length - disagreements.length,
    compared: labels.length,
    agreementRate: labels.length ? (labels.length - disagreements.length) / labels.length : 0,
    agreementRule: "Both predict the same class.",
    disagreements,
  };
}

export function compareRegressors(truths: number[], champion: Float64Array, challenger: Float64Array): PairComparison {
  const side = (outputs: Float64Array): SideMetrics => {
    const predictions = Array.from(outputs);
    return {
      metrics: [
        { name: "rmse", value: rmse(truths, predictions) },
        { name: "mae", value: mae(truths, predictions) },
        { name: "r2", value: r2(truths, predictions) },
      ],
      predictions,
    };
  };
  const a = side(champion);
  const b = side(challenger);
  let low = Infinity;
  let high = -Infinity;
  for (const truth of truths) {
    low = Math.min(low, truth);
    high = Math.max(high, truth);
  }
  const tolerance = REGRESSION_AGREEMENT_SHARE * (high - low);
  const gaps = a.predictions.map((prediction, row) => Math.abs(prediction - b.predictions[row]));
  const disagreements = gaps.flatMap((gap, row) => (gap > tolerance ? [row] : [])).sort((x, y) => gaps[y] - gaps[x] || x - y);
  return {
    champion: a,
    challenger: b,
    agreeing: truths.length - disagreements.length,
    compared: truths.length,
    agreementRate: truths.length ? (truths.length - disagreements.length) / truths.length : 0,
    agreementRule: `The predictions differ by at most ${REGRESSION_AGREEMENT_SHARE * 100}% of the labels' range (${Number(tolerance.toPrecision(4))}).`,
    disagreements,
  };
}
