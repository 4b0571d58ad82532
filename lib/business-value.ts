// What a model is worth: outcome values × confusion counts → expected value per decision, per 1,000 and per year,
// against "accept all" and "reject all", over every decision threshold (the profit curve), with a bootstrap interval.
// Pure: the evaluator, the review page (a threshold picked on the curve) and monitoring (live value) share it.
import { bootstrapInterval, type BootstrapOptions } from "./bootstrap";
import type { BinaryValueReport, OutcomeValues, RegressionValueReport, ValueAtThreshold, ValueSettings } from "./business-value-schema";

export interface ConfusionCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Uniform thresholds 0, 0.01, …, 1 on every curve, so a slider in steps of 0.01 always lands on a curve point. */
export const UNIFORM_THRESHOLD_STEPS = 100;
/** At most this many of the probabilities' distinct cut points join the uniform ones. */
export const MAX_CUT_POINTS = 200;
/** Two thresholds this close are the same point of the curve (float32 probabilities, rounding in JSON). */
const SAME_THRESHOLD = 1e-9;

/** Confusion counts when p(positive) ≥ threshold predicts positive; labels are 1 (positive) or 0. */
export function confusionAt(labels: ArrayLike<number>, probabilities: ArrayLike<number>, threshold: number): ConfusionCounts {
  const counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < labels.length; i++) {
    const predicted = probabilities[i] >= threshold;
    if (labels[i] === 1) {
      if (predicted) counts.tp++;
      else counts.fn++;
    } else if (predicted) counts.fp++;
    else counts.tn++;
  }
  return counts;
}

/** Expected value of one decision: each outcome's value weighted by how often it happens. */
export function valuePerDecision(counts: ConfusionCounts, outcomes: OutcomeValues): number {
  const total = counts.tp + counts.fp + counts.fn + counts.tn;
  if (total === 0) return Number.NaN;
  return (counts.tp * outcomes.tp + counts.fp * outcomes.fp + counts.fn * outcomes.fn + counts.tn * outcomes.tn) / total;
}

export function perYear(perDecision: number, yearlyVolume: number | null): number | null {
  return yearlyVolume === null ? null : perDecision * yearlyVolume;
}

/** Ascending index of the first value ≥ target in an ascending array. */
function lowerBound(sorted: Float64Array, target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The thresholds a profit curve is drawn at: 0, 0.01, …, 1, the distinct probabilities (where the counts change;
 * evenly thinned to MAX_CUT_POINTS) and any extra ones (the chosen threshold), ascending and without duplicates.
 */
export function curveThresholds(probabilities: ArrayLike<number>, extra: readonly number[] = []): number[] {
  // A typed sort then one pass drops duplicates: 100,000 scores take a few milliseconds.
  const sorted = Float64Array.from(probabilities).sort();
  const distinct: number[] = [];
  for (const p of sorted) if (p >= 0 && p <= 1 && p !== distinct[distinct.length - 1]) distinct.push(p);
  const cuts =
    distinct.length <= MAX_CUT_POINTS
      ? distinct
      : Array.from({ length: MAX_CUT_POINTS }, (_, i) => distinct[Math.round((i * (distinct.length - 1)) / (MAX_CUT_POINTS - 1))]);
  const uniform = Array.from({ length: UNIFORM_THRESHOLD_STEPS + 1 }, (_, i) => i / UNIFORM_THRESHOLD_STEPS);
  const all = [...uniform, ...cuts, ...extra.filter((t) => t >= 0 && t <= 1)].sort((a, b) => a - b);
  return all.filter((t, i) => i === 0 || t - all[i - 1] > SAME_THRESHOLD);
}

export interface ProfitCurve {
  thresholds: number[];
  tp: number[];
  fp: number[];
  perThousand: number[];
}

/** True and false positives, and the value per 1,000 decisions, at each threshold (one sort, then a binary search per point). */
export function profitCurve(labels: ArrayLike<number>, probabilities: ArrayLike<number>, outcomes: OutcomeValues, thresholds: readonly number[]): ProfitCurve {
  const positive: number[] = [];
  const negative: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] === 1 ? positive : negative).push(probabilities[i]);
  const sortedPositive = Float64Array.from(positive).sort();
  const sortedNegative = Float64Array.from(negative).sort();
  const curve: ProfitCurve = { thresholds: [...thresholds], tp: [], fp: [], perThousand: [] };
  for (const threshold of thresholds) {
    const tp = sortedPositive.length - lowerBound(sortedPositive, threshold);
    const fp = sortedNegative.length - lowerBound(sortedNegative, threshold);
    curve.tp.push(tp);
    curve.fp.push(fp);
    curve.perThousand.push(1000 * valuePerDecision({ tp, fp, fn: positive.length - tp, tn: negative.length - fp }, outcomes));
  }
  return curve;
}

/** The curve point of highest value (the lowest threshold among equals). */
export function bestThreshold(curve: Pick<ProfitCurve, "thresholds" | "perThousand">): { threshold: number; perThousand: number } {
  let best = 0;
  for (let i = 1; i < curve.thresholds.length; i++) if (curve.perThousand[i] > curve.perThousand[best] + 1e-9) best = i;
  return { threshold: curve.thresholds[best], perThousand: curve.perThousand[best] };
}

/** Index of `threshold` on the curve, or -1 when it is not one of its points. */
export function curveIndexOf(thresholds: readonly number[], threshold: number): number {
  return thresholds.findIndex((t) => Math.abs(t - threshold) <= SAME_THRESHOLD);
}

/**
 * Resamples of the value's bootstrap for a number of rows: 1,000 up to 20,000 rows, then fewer (at least 200) so the
 * bootstrap stays near 2·10⁷ row draws (~0.3 s): on many rows the interval is narrow and its bounds move little.
 */
export function valueResamplesFor(rowCount: number): number {
  return rowCount <= 20_000 ? 1000 : Math.max(200, Math.round(2e7 / rowCount));
}

/**
 * Bootstrap interval of the value per 1,000 decisions at fixed counts. At a fixed threshold each row's value depends
 * only on its cell (TP, FP, FN, TN), so resampling rows is resampling cells: the counts are all it needs.
 */
export function valueIntervalFromCounts(counts: ConfusionCounts, outcomes: OutcomeValues, options: BootstrapOptions = {}) {
  const cells = [
    [counts.tp, outcomes.tp],
    [counts.fp, outcomes.fp],
    [counts.fn, outcomes.fn],
    [counts.tn, outcomes.tn],
  ] as const;
  const rowValues = new Float64Array(counts.tp + counts.fp + counts.fn + counts.tn);
  let at = 0;
  for (const [count, value] of cells) rowValues.fill(value, at, (at += count));
  const interval = bootstrapInterval(
    rowValues.length,
    (rows) => {
      let sum = 0;
      for (let i = 0; i < rows.length; i++) sum += rowValues[rows[i]];
      return (1000 * sum) / rows.length;
    },
    { ...options, resamples: options.resamples ?? valueResamplesFor(rowValues.length) },
  );
  return { lower: interval.lower, upper: interval.upper, level: interval.level, resamples: interval.resamples };
}

/**
 * The value at one of the curve's thresholds, read from the stored counts (no model run): null when the threshold
 * is not a point of the curve. `interval` false skips the bootstrap (criteria only need the estimate).
 */
export function valueAtThreshold(
  report: Pick<BinaryValueReport, "curve" | "outcomes" | "positives" | "negatives">,
  threshold: number,
  yearlyVolume: number | null,
  options: BootstrapOptions & { interval?: boolean } = {},
): ValueAtThreshold | null {
  const index = curveIndexOf(report.curve.thresholds, threshold);
  if (index < 0) return null;
  const tp = report.curve.tp[index];
  const fp = report.curve.fp[index];
  const counts = { tp, fp, fn: report.positives - tp, tn: report.negatives - fp };
  const perDecision = valuePerDecision(counts, report.outcomes);
  return {
    threshold: report.curve.thresholds[index],
    ...counts,
    perDecision,
    perThousand: 1000 * perDecision,
    perYear: perYear(perDecision, yearlyVolume),
    interval: options.interval === false ? null : valueIntervalFromCounts(counts, report.outcomes, options),
  };
}

/** Everything the report says about a binary classifier's value, from labels (1 = positive) and p(positive). */
export function binaryValueReport(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  settings: Pick<ValueSettings, "threshold" | "yearlyVolume"> & { outcomes: OutcomeValues },
  positiveClass: string,
  options: BootstrapOptions = {},
): BinaryValueReport {
  const thresholds = curveThresholds(probabilities, [settings.threshold]);
  const curve = profitCurve(labels, probabilities, settings.outcomes, thresholds);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) positives++;
  const negatives = labels.length - positives;
  const base = { curve, outcomes: settings.outcomes, positives, negatives };
  const atThreshold = valueAtThreshold(base, settings.threshold, settings.yearlyVolume, options)!;
  const acceptAll = valuePerDecision({ tp: positives, fp: negatives, fn: 0, tn: 0 }, settings.outcomes);
  const rejectAll = valuePerDecision({ tp: 0, fp: 0, fn: positives, tn: negatives }, settings.outcomes);
  const best = bestThreshold(curve);
  return {
    positiveClass,
    outcomes: settings.outcomes,
    rowCount: labels.length,
    positives,
    negatives,
    curve,
    atThreshold,
    acceptAll: { perThousand: 1000 * acceptAll, perYear: perYear(acceptAll, settings.yearlyVolume) },
    rejectAll: { perThousand: 1000 * rejectAll, perYear: perYear(rejectAll, settings.yearlyVolume) },
    best: { ...best, perYear: perYear(best.perThousand / 1000, settings.yearlyVolume) },
  };
}

/** A regressor's value: each decision costs `costPerUnitError` per unit of absolute error (so the value is ≤ 0). */
export function regressionValueReport(
  truths: ArrayLike<number>,
  predictions: ArrayLike<number>,
  costPerUnitError: number,
  yearlyVolume: number | null,
  options: BootstrapOptions = {},
): RegressionValueReport {
  const errors = Float64Array.from({ length: truths.length }, (_, i) => Math.abs(truths[i] - predictions[i]));
  const meanOf = (rows: ArrayLike<number>) => {
    let sum = 0;
    for (let i = 0; i < rows.length; i++) sum += errors[rows[i]];
    return sum / rows.length;
  };
  const identity = Int32Array.from({ length: errors.length }, (_, i) => i);
  const meanAbsoluteError = meanOf(identity);
  const perDecision = -costPerUnitError * meanAbsoluteError;
  const interval = bootstrapInterval(errors.length, (rows) => -1000 * costPerUnitError * meanOf(rows), {
    ...options,
    resamples: options.resamples ?? valueResamplesFor(errors.length),
  });
  return {
    costPerUnitError,
    meanAbsoluteError,
    perDecision,
    perThousand: 1000 * perDecision,
    perYear: perYear(perDecision, yearlyVolume),
    interval: { lower: interval.lower, upper: interval.upper, level: interval.level, resamples: interval.resamples },
  };
}
