// The review's "why it decided": contributions (lib/shapley) for a fixed-size sample of decisions, the worst errors
// first, a counterfactual for each decision of a binary classifier (lib/counterfactual), and the global mean
// |contribution| per feature. Every part runs on a fixed number of rows, so its cost does not grow with the dataset.
import { findCounterfactual, type FeatureRange } from "@/lib/counterfactual";
import { backgroundMeans } from "@/lib/explanation-sentence";
import type { ColumnTable } from "@/lib/permutation-importance";
import { seededSample } from "@/lib/seeded-random";
import { SHAPLEY_SUM_TOLERANCE, meanAbsoluteContributions, shapleyValues, type BatchPredict, type FeatureBatch, type FeatureValue } from "@/lib/shapley";
import type { ExplainedDecision, Explanations } from "./explanations-schema";

export const EXPLAINED_WORST_ERRORS = 5;
export const EXPLAINED_DECISIONS = 10;
export const BACKGROUND_ROWS = 100;
export const GLOBAL_ROWS = 100;
/** Model rows per sampled decision: 30 features → 480 coalitions × 41 background rows (~0.1 s for a 100-tree forest). */
const DECISION_MAX_MODEL_ROWS = 20_000;
/** Background rows and model rows per explanation of the global view: ~200 coalitions of 10 rows each. */
const GLOBAL_BACKGROUND_ROWS = 10;
const GLOBAL_MAX_MODEL_ROWS = 2_000;
/** Feature pairs a counterfactual tries when no single feature flips the decision (64 rows each). */
const COUNTERFACTUAL_MAX_PAIRS = 100;
const DECISION_THRESHOLD = 0.5;

export interface ExplainInput {
  /** Model features, in the order the report lists them. */
  features: string[];
  /** The evaluation rows' feature values, converted for the model. */
  table: ColumnTable;
  /** File row number (1-based) of each table row. */
  rowNumbers: readonly number[];
  /** The scorer: probabilities row-major [N,k] for classifiers, one value per row for regressors. */
  predict: (table: ColumnTable) => Promise<Float64Array>;
  output: { task: "binary" | "multiclass"; classes: string[]; classCount: number } | { task: "regression" };
  /** The evaluation's predictions (same layout as predict's). */
  predictions: Float64Array;
  /** Class index per row (classifiers) or true value per row (regressors). */
  classLabels: readonly number[];
  truths: readonly number[];
  /** Background candidates from the training dataset version (same features, converted alike); null = use the evaluation rows. */
  training: ColumnTable | null;
  seed: number;
}

function rowOf(table: ColumnTable, features: readonly string[], row: number): FeatureValue[] {
  return features.map((feature) => table[feature][row] as FeatureValue);
}

function tableRowCount(table: ColumnTable, features: readonly string[]): number {
  return (table[features[0]] ?? []).length;
}

/** Min, max and std of each numeric feature and the categories of each text feature, over a whole table. */
function featureRanges(table: ColumnTable, features: readonly string[]): (FeatureRange | null)[] {
  return features.map((feature) => {
    const values = table[feature];
    if (values.length > 0 && typeof values[0] === "string") {
      const categories = [...new Set(values as readonly string[])].filter((value) => value !== "").slice(0, 50);
      return categories.length > 0 ? { kind: "categorical", categories } : null;
    }
    let count = 0;
    let sum = 0;
    let sumSquares = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const value of values as readonly number[]) {
      if (!Number.isFinite(value)) continue;
      count += 1;
      sum += value;
      sumSquares += value * value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    if (count === 0) return null;
    const mean = sum / count;
    return { kind: "numeric", min, max, scale: Math.sqrt(Math.max(0, sumSquares / count - mean * mean)) };
  });
}

/** JSON cannot hold NaN: a missing number is stored as null. */
function storedValue(value: FeatureValue): number | string | null {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}

export async function explainEvaluation(input: ExplainInput): Promise<Explanations> {
  const { features, output, predictions, seed } = input;
  const rowCount = tableRowCount(input.table, features);
  const width = output.task === "regression" ? 1 : output.classCount;

  // The background: a seeded sample of the training rows when the lineage names them, else of the evaluation rows.
  const source = input.training ?? input.table;
  const sourceRows = tableRowCount(source, features);
  const background = seededSample(sourceRows, BACKGROUND_ROWS, seed + 11).map((row) => rowOf(source, features, row));

  // Loss per row: log loss of the true class, or |residual|.
  const loss = new Float64Array(rowCount);
  const predictedClass = new Int32Array(rowCount);
  for (let row = 0; row < rowCount; row += 1) {
    if (output.task === "regression") loss[row] = Math.abs(input.truths[row] - predictions[row]);
    else {
      let best = 0;
      for (let k = 1; k < width; k += 1) if (predictions[row * width + k] > predictions[row * width + best]) best = k;
      predictedClass[row] = best;
      loss[row] = -Math.log(Math.max(1e-15, predictions[row * width + input.classLabels[row]]));
    }
  }
  const byLoss = Array.from({ length: rowCount }, (_, row) => row).sort((a, b) => loss[b] - loss[a] || a - b);
  const worst = byLoss.slice(0, Math.min(EXPLAINED_WORST_ERRORS, rowCount));
  const worstSet = new Set(worst);
  const others = seededSample(rowCount, Math.min(rowCount, EXPLAINED_DECISIONS + EXPLAINED_WORST_ERRORS), seed + 12)
    .filter((row) => !worstSet.has(row))
    .slice(0, EXPLAINED_DECISIONS - worst.length);

  /** The explained output of a batch: the given class's probability, or the regression value. */
  const predictOutput =
    (classIndex: number | null): BatchPredict =>
    async (batch: FeatureBatch) => {
      // The scorer indexes columns by row, so typed arrays pass as they are.
      const table: ColumnTable = Object.fromEntries(features.map((feature, j) => [feature, batch.columns[j] as unknown as readonly unknown[]]));
      const scored = await input.predict(table);
      if (classIndex === null) return scored;
      const values = new Float64Array(batch.rowCount);
      for (let row = 0; row < batch.rowCount; row += 1) values[row] = scored[row * width + classIndex];
      return values;
    };

  const ranges = output.task === "binary" ? featureRanges(source, features) : null;
  const allFeatures = features.map((_, index) => index);
  const decisions: ExplainedDecision[] = [];
  let backgroundUsed = 0;
  for (const [rank, row] of [...worst, ...others].entries()) {
    const values = rowOf(input.table, features, row);
    // Binary: the positive class's probability (what the threshold reads); multiclass: the predicted class's.
    const classIndex = output.task === "regression" ? null : output.task === "binary" ? 1 : predictedClass[row];
    const result = await shapleyValues(values, { background, predict: predictOutput(classIndex), maxModelRows: DECISION_MAX_MODEL_ROWS, seed: seed + 13 + rank });
    backgroundUsed = Math.max(backgroundUsed, result.backgroundRows);
    let counterfactual: ExplainedDecision["counterfactual"] = null;
    if (ranges) {
      const found = await findCounterfactual(values, { predict: predictOutput(1), actionable: allFeatures, ranges, threshold: DECISION_THRESHOLD, maxPairs: COUNTERFACTUAL_MAX_PAIRS });
      counterfactual = found.found
        ? { found: true, output: found.output, changes: found.changes.map((change) => ({ feature: features[change.feature], from: storedValue(change.from), to: storedValue(change.to) })) }
        : { found: false, output: found.output, changes: [] };
    }
    const classes = output.task === "regression" ? null : output.classes;
    decisions.push({
      rowNumber: input.rowNumbers[row],
      reason: worstSet.has(row) ? "worst_error" : "sample",
      values: values.map(storedValue),
      truth: classes ? classes[input.classLabels[row]] : String(input.truths[row]),
      predicted: classes ? classes[predictedClass[row]] : String(predictions[row]),
      loss: loss[row],
      explainedClass: classes && classIndex !== null ? classes[classIndex] : null,
      output: result.output,
      baseValue: result.baseValue,
      contributions: result.contributions,
      method: result.method,
      counterfactual,
    });
  }

  // Global: mean |contribution| over a seeded sample, each row explained on a small budget.
  const globalRows = seededSample(rowCount, GLOBAL_ROWS, seed + 14);
  const globalBackground = background.slice(0, GLOBAL_BACKGROUND_ROWS);
  const globalResults = [];
  for (const row of globalRows) {
    const classIndex = output.task === "regression" ? null : output.task === "binary" ? 1 : predictedClass[row];
    globalResults.push(
      await shapleyValues(rowOf(input.table, features, row), { background: globalBackground, predict: predictOutput(classIndex), maxModelRows: GLOBAL_MAX_MODEL_ROWS, seed: seed + 15 }),
    );
  }

  return {
    features,
    backgroundSource: input.training ? "training" : "evaluation",
    backgroundRows: backgroundUsed,
    backgroundMeans: backgroundMeans(background).map((mean) => (mean === null || !Number.isFinite(mean) ? null : mean)),
    sumTolerance: SHAPLEY_SUM_TOLERANCE,
    threshold: output.task === "binary" ? DECISION_THRESHOLD : null,
    decisions,
    global: { rows: globalRows.length, meanAbsContribution: meanAbsoluteContributions(globalResults) },
  };
}
