// The value part of an evaluation report: the requester's outcome values applied to the model's scores on the
// evaluation rows (binary: the profit curve over thresholds; regression: the cost of its errors).
import { binaryValueReport, regressionValueReport } from "@/lib/business-value";
import type { ValueReport, ValueSettings } from "@/lib/business-value-schema";
import type { EvaluationTask } from "./schema";

export interface EvaluateValueInput {
  task: EvaluationTask;
  settings: ValueSettings | null | undefined;
  /** Class names in the model's output order; the second is the positive (favourable) class. */
  classes: readonly string[];
  /** Class index of each row's label (classifiers). */
  classLabels: readonly number[];
  /** The model's outputs: [N, k] probabilities flattened (classifiers) or one value per row (regressors). */
  predictions: Float64Array;
  /** Regression labels. */
  truths: readonly number[];
  seed: number;
  notes: string[];
}

export function evaluateValue(input: EvaluateValueInput): ValueReport | null {
  const settings = input.settings;
  if (!settings) return null;
  const common = { currency: settings.currency, yearlyVolume: settings.yearlyVolume, threshold: settings.threshold };
  // Resamples follow the row count (lib/business-value's valueResamplesFor), so the page resamples alike.
  const options = { seed: input.seed };
  if (input.task === "binary") {
    if (!settings.outcomes) return null;
    const rows = input.classLabels.length;
    // float32 outputs can stray a hair outside [0, 1]; thresholds are probabilities.
    const positive = Float64Array.from({ length: rows }, (_, row) => Math.min(1, Math.max(0, input.predictions[row * 2 + 1])));
    const labels = Int8Array.from(input.classLabels, (index) => (index === 1 ? 1 : 0));
    const binary = binaryValueReport(labels, positive, { outcomes: settings.outcomes, threshold: settings.threshold, yearlyVolume: settings.yearlyVolume }, input.classes[1] ?? "1", options);
    return { ...common, binary, regression: null };
  }
  if (input.task === "regression") {
    if (settings.costPerUnitError === null) return null;
    return { ...common, binary: null, regression: regressionValueReport(input.truths, input.predictions, settings.costPerUnitError, settings.yearlyVolume, options) };
  }
  input.notes.push("Expected value is computed for binary classifiers (outcome values) and regressors (cost per unit of error), not for multiclass models.");
  return null;
}
