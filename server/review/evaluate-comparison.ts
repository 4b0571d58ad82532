// The candidate against the version holding the `production` alias, scored on the same rows: every metric side by
// side with deltas, both models' fairness gaps, how often their predicted labels differ, and McNemar's test.
import { profitCurve, valuePerDecision } from "@/lib/business-value";
import type { ValueReport, ValueSettings } from "@/lib/business-value-schema";
import { accuracy, logLoss, precisionRecallF1, predictedLabels, rocAuc } from "@/lib/classification-metrics";
import { fairnessReport } from "@/lib/fairness";
import { mcnemarFromPredictions } from "@/lib/mcnemar";
import { mae, r2, rmse } from "@/lib/regression-metrics";
import type { OnnxIntrospection } from "../registry/onnx-introspection";
import type { ComparedMetric, ComparedValue, ComparisonReport } from "./comparison-schema";
import type { EvaluationReport, EvaluationTask, MetricName } from "./schema";

/** The production version as the evaluator receives it (bytes verified by the model store). */
export interface ProductionModel {
  version: string;
  onnx: Uint8Array;
  digest: string;
  introspection: OnnxIntrospection;
  trainingColumns: { columns: string[]; labelColumn: string | null } | null;
  /** Set when its bytes could not be loaded (missing or altered in the store): the comparison says so instead. */
  problem?: string | null;
}

/** Metrics the comparison shows, by task, and whether higher is better. */
const comparedMetrics: Record<"classification" | "regression", { metric: MetricName; higherIsBetter: boolean }[]> = {
  classification: [
    { metric: "accuracy", higherIsBetter: true },
    { metric: "macro_precision", higherIsBetter: true },
    { metric: "macro_recall", higherIsBetter: true },
    { metric: "macro_f1", higherIsBetter: true },
    { metric: "roc_auc", higherIsBetter: true },
    { metric: "log_loss", higherIsBetter: false },
  ],
  regression: [
    { metric: "rmse", higherIsBetter: false },
    { metric: "mae", higherIsBetter: false },
    { metric: "r2", higherIsBetter: true },
  ],
};

/** Whether a metric is better higher (accuracy, R²) or lower (log loss, RMSE, MAE). */
export function higherIsBetter(metric: MetricName): boolean {
  return !["log_loss", "rmse", "mae"].includes(metric);
}

/** A classifier's metric values from its probabilities (rows in class order) against class indices. */
export function classificationMetricValues(labels: number[], probabilities: number[][]): Partial<Record<MetricName, number | null>> {
  const scores = precisionRecallF1(labels, probabilities);
  let auc: number | null = null;
  try {
    auc = rocAuc(labels, probabilities);
  } catch {
    auc = null;
  }
  return {
    accuracy: accuracy(labels, probabilities),
    macro_precision: scores.macro.precision,
    macro_recall: scores.macro.recall,
    macro_f1: scores.macro.f1,
    roc_auc: auc,
    log_loss: logLoss(labels, probabilities),
  };
}

export function regressionMetricValues(truths: number[], predicted: number[]): Partial<Record<MetricName, number | null>> {
  return { rmse: rmse(truths, predicted), mae: mae(truths, predicted), r2: r2(truths, predicted) };
}

/** The candidate's metric values as the report states them. */
export function reportMetricValues(report: Pick<EvaluationReport, "classification" | "regression">): Partial<Record<MetricName, number | null>> {
  if (report.classification) {
    const c = report.classification;
    return { accuracy: c.accuracy, macro_precision: c.macro.precision, macro_recall: c.macro.recall, macro_f1: c.macro.f1, roc_auc: c.rocAuc, log_loss: c.logLoss };
  }
  if (report.regression) return { rmse: report.regression.rmse, mae: report.regression.mae, r2: report.regression.r2 };
  return {};
}

export function compareMetrics(
  task: EvaluationTask,
  candidate: Partial<Record<MetricName, number | null>>,
  production: Partial<Record<MetricName, number | null>>,
): ComparedMetric[] {
  return comparedMetrics[task === "regression" ? "regression" : "classification"].map(({ metric, higherIsBetter }) => {
    const a = candidate[metric] ?? null;
    const b = production[metric] ?? null;
    const delta = a === null || b === null ? null : a - b;
    const verdict =
      delta === null ? "unknown"
      : Math.abs(delta) <= 1e-9 ? "same"
      : (delta > 0) === higherIsBetter ? "better"
      : "worse";
    return { metric, candidate: a, production: b, delta, higherIsBetter, verdict };
  });
}

export interface CandidateScores {
  task: EvaluationTask;
  /** Candidate's class names in output order (classifiers). */
  classes: string[];
  /** True class indices (classifiers) or values (regression), on the evaluated rows. */
  classLabels: number[];
  truths: number[];
  /** Candidate's predicted class indices (classifiers) or values (regression). */
  predictedClasses: number[];
  predictedValues: number[];
  metrics: Partial<Record<MetricName, number | null>>;
  fairness: EvaluationReport["fairness"];
  /** Each sensitive attribute's value on the evaluated rows. */
  groupsByAttribute: Map<string, (string | null)[]>;
  favourableIndex: number;
  /** The review's outcome values and the candidate's value report: production's expected value is computed alike. */
  valueSettings?: ValueSettings | null;
  value?: ValueReport | null;
}

/** What scoring the production model on the evaluated rows gave: its classes and raw outputs. */
export interface ProductionScores {
  task: EvaluationTask;
  classes: string[];
  /** Row-major [N,k] probabilities for classifiers, one value per row for regressors. */
  outputs: Float64Array;
}

/** Builds the comparison from both models' outputs on the same rows (pure: scoring happens in the caller). */
export function comparisonReport(production: Pick<ProductionModel, "version" | "digest">, candidate: CandidateScores, scored: ProductionScores): ComparisonReport {
  const empty = { productionVersion: production.version, productionDigest: production.digest, metrics: [], fairness: [], disagreementRate: null, disagreements: null, mcnemar: null };
  if ((scored.task === "regression") !== (candidate.task === "regression")) {
    return { ...empty, problem: `The production version ${production.version} is a ${scored.task === "regression" ? "regression model" : "classifier"} and this version is not: their metrics cannot be compared.` };
  }
  if (candidate.task === "regression") {
    const predicted = Array.from(scored.outputs);
    return {
      ...empty,
      problem: null,
      metrics: compareMetrics("regression", candidate.metrics, regressionMetricValues(candidate.truths, predicted)),
      expectedValue: comparedRegressionValue(candidate, predicted),
    };
  }
  // Production's classes may come in another order: its probability columns are put in the candidate's order by name.
  const k = candidate.classes.length;
  const columnOf = candidate.classes.map((name) => scored.classes.indexOf(name));
  if (scored.classes.length !== k || columnOf.some((index) => index < 0)) {
    return {
      ...empty,
      problem: `The production version ${production.version} predicts the classes ${scored.classes.join(", ")}, this version ${candidate.classes.join(", ")}: they cannot be compared row by row.`,
    };
  }
  const rows = scored.outputs.length / k;
  const probabilities = new Array<number[]>(rows);
  for (let row = 0; row < rows; row += 1) probabilities[row] = columnOf.map((column) => scored.outputs[row * k + column]);
  const productionPredicted = predictedLabels(probabilities);
  let disagreements = 0;
  for (let row = 0; row < rows; row += 1) if (productionPredicted[row] !== candidate.predictedClasses[row]) disagreements += 1;
  const fairness = candidate.fairness.map((attribute) => {
    const groups = candidate.groupsByAttribute.get(attribute.attribute) ?? [];
    const favourable = (classes: number[]) => classes.map((index) => (index === candidate.favourableIndex ? 1 : 0));
    const other = fairnessReport(favourable(candidate.classLabels), favourable(productionPredicted), groups);
    return {
      attribute: attribute.attribute,
      candidateParityGap: attribute.demographicParityDifference,
      productionParityGap: other.demographicParityDifference,
      candidateOpportunityGap: attribute.equalOpportunityDifference,
      productionOpportunityGap: other.equalOpportunityDifference,
    };
  });
  return {
    productionVersion: production.version,
    productionDigest: production.digest,
    problem: null,
    expectedValue: comparedValue(candidate, probabilities),
    metrics: compareMetrics(candidate.task, candidate.metrics, classificationMetricValues(candidate.classLabels, probabilities)),
    fairness,
    disagreementRate: rows === 0 ? 0 : disagreements / rows,
    disagreements,
    mcnemar: mcnemarFromPredictions(candidate.classLabels, candidate.predictedClasses, productionPredicted),
  };
}

/**
 * Production's expected value with the candidate's outcome values, at the candidate's chosen threshold and at every
 * point of its profit curve; null unless the candidate is a binary classifier whose report holds a value. Positive =
 * class 1 of the candidate's order (as in evaluate-value.ts), probabilities clamped to [0, 1] alike.
 */
export function comparedValue(candidate: CandidateScores, probabilities: number[][]): ComparedValue | null {
  const outcomes = candidate.valueSettings?.outcomes;
  const binary = candidate.value?.binary;
  if (candidate.task !== "binary" || !outcomes || !binary || !candidate.value) return null;
  const labels = Int8Array.from(candidate.classLabels, (index) => (index === 1 ? 1 : 0));
  const positive = Float64Array.from(probabilities, (row) => Math.min(1, Math.max(0, row[1])));
  const curve = profitCurve(labels, positive, binary.outcomes, binary.curve.thresholds);
  const at = binary.atThreshold;
  const index = binary.curve.thresholds.findIndex((threshold) => threshold === at.threshold);
  if (index < 0) return null;
  const tp = curve.tp[index];
  const fp = curve.fp[index];
  const productionPer1000 = 1000 * valuePerDecision({ tp, fp, fn: binary.positives - tp, tn: binary.negatives - fp }, binary.outcomes);
  return {
    currency: candidate.value.currency,
    threshold: at.threshold,
    candidatePer1000: at.perThousand,
    productionPer1000,
    delta: at.perThousand - productionPer1000,
    productionCurve: { tp: curve.tp, fp: curve.fp },
  };
}

/** A regressor's value is the cost of its errors: production's with the same cost per unit of error. */
export function comparedRegressionValue(candidate: CandidateScores, predicted: number[]): ComparedValue | null {
  const regression = candidate.value?.regression;
  if (candidate.task !== "regression" || !regression || !candidate.value || predicted.length === 0) return null;
  let sum = 0;
  for (let row = 0; row < predicted.length; row += 1) sum += Math.abs(candidate.truths[row] - predicted[row]);
  const productionPer1000 = -1000 * regression.costPerUnitError * (sum / predicted.length);
  return {
    currency: candidate.value.currency,
    threshold: candidate.value.threshold,
    candidatePer1000: regression.perThousand,
    productionPer1000,
    delta: regression.perThousand - productionPer1000,
    productionCurve: { tp: [], fp: [] },
  };
}

/**
 * Scores production through `score` (the evaluator's own feed plan and scorer, so columns are matched the same way as
 * for the candidate) and compares. A production version that cannot be scored on these rows gives a comparison
 * stating why, not a failed review: the candidate's own evaluation stands.
 */
export async function compareWithProduction(
  production: ProductionModel,
  candidate: CandidateScores,
  score: (production: ProductionModel) => Promise<ProductionScores>,
): Promise<ComparisonReport> {
  let scored: ProductionScores;
  try {
    if (production.problem) throw new Error(production.problem);
    scored = await score(production);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
    return {
      productionVersion: production.version,
      productionDigest: production.digest,
      problem: `The production version ${production.version} could not be scored on these rows: ${message}`,
      metrics: [],
      fairness: [],
      disagreementRate: null,
      disagreements: null,
      mcnemar: null,
    };
  }
  return comparisonReport(production, candidate, scored);
}
