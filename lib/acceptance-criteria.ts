// Acceptance criteria against an evaluation report: each criterion pass/fail with a plain-English sentence.
import type { AcceptanceCriteria, CriterionResult, EvaluationReport, MetricName, MetricThreshold, RelativeThreshold } from "@/server/review/schema";
import { valueAtThreshold } from "./business-value";
import type { ValueSettings } from "./business-value-schema";

const metricLabels: Record<MetricName, string> = {
  accuracy: "accuracy",
  macro_precision: "macro precision",
  macro_recall: "macro recall",
  macro_f1: "macro F1",
  roc_auc: "ROC AUC",
  log_loss: "log loss",
  rmse: "RMSE",
  mae: "MAE",
  r2: "R²",
};

const taskWords = { binary: "a binary classifier", multiclass: "a multiclass classifier", regression: "a regression model" } as const;

/**
 * `value` rounded for a sentence: two decimals, more (up to six) when two decimals would make it look equal
 * to `reference` while it is not (0.7996 against 0.80 reads "0.7996", not "0.80").
 */
export function formatForComparison(value: number, reference: number, minDigits = 2): string {
  // Floating-point noise (0.07 × 100 = 7.000000000000001) is not a real difference worth more digits.
  const equal = Math.abs(value - reference) <= 1e-9 * Math.max(1, Math.abs(reference));
  for (let digits = minDigits; digits < 6; digits += 1) {
    if (equal || value.toFixed(digits) !== reference.toFixed(digits)) return value.toFixed(digits);
  }
  return value.toFixed(6);
}

function formatNumber(value: number, digits = 2): string {
  return value.toFixed(digits);
}

/** Decimals a limit the user typed needs to read back exactly (at least two, at most six): 0.8 → 2, 0.995 → 3. */
function decimalsOf(limit: number): number {
  for (let digits = 2; digits < 6; digits += 1) if (Number(limit.toFixed(digits)) === limit) return digits;
  return 6;
}

/** A limit as typed, with at least two decimals: "0.80", "0.995". */
function formatLimit(limit: number): string {
  return limit.toFixed(decimalsOf(limit));
}

function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

/** A metric's value in the report, or why there is none. */
function metricValue(report: EvaluationReport, metric: MetricName): { value: number } | { missing: string } {
  const classification = report.classification;
  const regression = report.regression;
  const label = metricLabels[metric];
  switch (metric) {
    case "accuracy":
    case "macro_precision":
    case "macro_recall":
    case "macro_f1":
    case "roc_auc":
    case "log_loss": {
      if (!classification) return { missing: `${label} does not apply to ${taskWords[report.task]}; remove this threshold or use RMSE, MAE or R².` };
      if (metric === "accuracy") return { value: classification.accuracy };
      if (metric === "macro_precision") return { value: classification.macro.precision };
      if (metric === "macro_recall") return { value: classification.macro.recall };
      if (metric === "macro_f1") return { value: classification.macro.f1 };
      if (metric === "log_loss") return { value: classification.logLoss };
      return classification.rocAuc === null
        ? { missing: "ROC AUC could not be computed: some class never occurs in the evaluation labels; evaluate on a dataset holding every class." }
        : { value: classification.rocAuc };
    }
    case "rmse":
    case "mae":
    case "r2": {
      if (!regression) return { missing: `${label} does not apply to ${taskWords[report.task]}; remove this threshold or use a classification metric.` };
      return { value: regression[metric] };
    }
  }
}

function metricResult(report: EvaluationReport, threshold: MetricThreshold): CriterionResult {
  const label = metricLabels[threshold.metric];
  const description = `${label} ${threshold.op === "gte" ? "≥" : "≤"} ${formatLimit(threshold.threshold)}`;
  const key = `metric:${threshold.metric}`;
  const measured = metricValue(report, threshold.metric);
  if ("missing" in measured) return { key, description, passed: false, actual: null, sentence: measured.missing };
  const { value } = measured;
  const shown = formatForComparison(value, threshold.threshold, decimalsOf(threshold.threshold));
  const limit = formatLimit(threshold.threshold);
  if (threshold.op === "gte") {
    const passed = value >= threshold.threshold;
    const sentence = passed ? `${label} is ${shown}, at least ${limit} as required.` : `${label} is ${shown}, below the required ${limit}.`;
    return { key, description, passed, actual: value, sentence };
  }
  const passed = value <= threshold.threshold;
  const sentence = passed ? `${label} is ${shown}, at most ${limit} as allowed.` : `${label} is ${shown}, above the allowed ${limit}.`;
  return { key, description, passed, actual: value, sentence };
}

/** "a, b and c". */
function listInWords(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function groupGapResults(report: EvaluationReport, maxGap: number): CriterionResult[] {
  // 0.07 × 100 is 7.000000000000001 in floating point: round to a tenth of a point before showing it.
  const points = Math.round(maxGap * 1000) / 10;
  const limitPoints = Number.isInteger(points) ? String(points) : points.toFixed(1);
  const description = `selection-rate gap between groups ≤ ${limitPoints} points`;
  if (report.task !== "binary") {
    return [
      {
        key: "group_gap",
        description,
        passed: false,
        actual: null,
        sentence: `The group gap applies to binary classifiers only and this is ${taskWords[report.task]}; remove the group-gap limit.`,
      },
    ];
  }
  if (report.fairness.length === 0) {
    return [
      {
        key: "group_gap",
        description,
        passed: false,
        actual: null,
        sentence: "No sensitive attribute was named, so the group gap could not be checked; name one or remove the group-gap limit.",
      },
    ];
  }
  return report.fairness.map((attribute) => {
    const gap = attribute.demographicParityDifference;
    const passed = gap <= maxGap;
    const rates = attribute.groups.map((group) => `${percent(group.selectionRate)} of group ${group.group}`);
    const gapPoints = formatForComparison(gap * 100, points, 0);
    const verdict = passed ? `within the ${limitPoints}-point limit` : `over the ${limitPoints}-point limit`;
    return {
      key: `group_gap:${attribute.attribute}`,
      description: `${description} for ${attribute.attribute}`,
      passed,
      actual: gap,
      sentence: `For ${attribute.attribute}, the model selects ${listInWords(rates)}: gap ${gapPoints} points, ${verdict}.`,
    };
  });
}

function noiseDropResult(report: EvaluationReport, maxDrop: number): CriterionResult {
  const label = metricLabels[report.primaryMetric.name];
  const limit = formatLimit(maxDrop);
  const key = "noise_drop";
  const description = `${label} drop under noise of 0.1 std ≤ ${limit}`;
  const noise = report.robustness.find((result) => result.perturbation === "noise_0.1");
  if (!noise) return { key, description, passed: false, actual: null, sentence: "The report holds no result under noise of 0.1 std; evaluate the model again." };
  if (noise.error !== null) {
    return { key, description, passed: false, actual: null, sentence: `The model could not score the rows with noise of 0.1 std: ${noise.error}` };
  }
  const passed = noise.drop <= maxDrop;
  const before = formatNumber(report.primaryMetric.value);
  const after = formatNumber(noise.value);
  const movement =
    noise.drop > 0
      ? `falls from ${before} to ${after} (drop ${formatForComparison(noise.drop, maxDrop, decimalsOf(maxDrop))})`
      : `goes from ${before} to ${after} (no drop)`;
  const verdict = passed ? `within the allowed ${limit}` : `over the allowed ${limit}`;
  return { key, description, passed, actual: noise.drop, sentence: `Under Gaussian noise of 0.1 std on numeric features, ${label} ${movement}, ${verdict}.` };
}

function edgeCaseResult(report: EvaluationReport): CriterionResult {
  const failed = report.edgeCases.filter((edgeCase) => !edgeCase.ok);
  const total = report.edgeCases.length;
  const description = "every edge-case input is scored without error";
  if (failed.length === 0) {
    return { key: "edge_cases", description, passed: true, actual: 0, sentence: `All ${total} edge-case inputs were scored without error.` };
  }
  const shown = failed.slice(0, 3).map((edgeCase) => `${edgeCase.feature} ${edgeCase.case.replaceAll("_", " ")} (${edgeCase.error ?? "failed"})`);
  const more = failed.length > 3 ? `; and ${failed.length - 3} more` : "";
  return {
    key: "edge_cases",
    description,
    passed: false,
    actual: failed.length,
    sentence: `${failed.length} of ${total} edge-case inputs failed: ${shown.join("; ")}${more}.`,
  };
}

const lowerIsBetter = new Set<MetricName>(["log_loss", "rmse", "mae"]);

/**
 * "metric no worse than production − tolerance" (error metrics: no higher than production + tolerance). Without a
 * production version the criterion is not applicable and passes, saying so: a first model of its name has nothing to
 * be compared with, and its absolute thresholds still apply. A production version that could not be scored fails it.
 */
function relativeResult(report: EvaluationReport, relative: RelativeThreshold): CriterionResult {
  const label = metricLabels[relative.metric];
  const lower = lowerIsBetter.has(relative.metric);
  const tolerance = formatLimit(relative.tolerance);
  const key = `relative:${relative.metric}`;
  const description =
    relative.tolerance === 0
      ? `${label} no worse than production's`
      : `${label} no worse than production's ${lower ? "+" : "−"} ${tolerance}`;
  const comparison = report.comparison ?? null;
  if (comparison === null) {
    return {
      key,
      description,
      passed: true,
      notApplicable: true,
      actual: null,
      sentence: `Not applicable: no other version of this model holds the production alias, so there is nothing to compare ${label} with.`,
    };
  }
  if (comparison.problem !== null) return { key, description, passed: false, actual: null, sentence: comparison.problem };
  const row = comparison.metrics.find((metric) => metric.metric === relative.metric);
  if (!row || row.candidate === null || row.production === null || row.delta === null) {
    const measured = metricValue(report, relative.metric);
    const why = "missing" in measured ? measured.missing : `${label} could not be computed for the production version ${comparison.productionVersion} on these rows.`;
    return { key, description, passed: false, actual: null, sentence: why };
  }
  const limit = lower ? row.production + relative.tolerance : row.production - relative.tolerance;
  const passed = lower ? row.candidate <= limit + 1e-12 : row.candidate >= limit - 1e-12;
  const shown = formatForComparison(row.candidate, limit, decimalsOf(relative.tolerance));
  const production = formatForComparison(row.production, row.candidate);
  const sentence = passed
    ? `${label} is ${shown} against ${production} for production version ${comparison.productionVersion}: within the allowed ${lower ? "rise" : "drop"} of ${tolerance}.`
    : `${label} is ${shown} against ${production} for production version ${comparison.productionVersion}: ${lower ? "higher" : "lower"} than the ${lower ? "rise" : "drop"} of ${tolerance} allows.`;
  return { key, description, passed, actual: row.delta, sentence };
}

/** An amount of money for a sentence: "12,345.67 EUR". */
export function formatMoney(amount: number, currency: string): string {
  return `${amount.toLocaleString("en-US", { maximumFractionDigits: 2, minimumFractionDigits: 2 })} ${currency}`;
}

/**
 * The expected value per 1,000 decisions the review stands for: at the review's chosen threshold (read from the
 * report's profit curve) for a binary classifier, the cost of errors for a regressor; null when the report has none.
 */
export function expectedValuePer1000(report: EvaluationReport, settings: ValueSettings | null | undefined): { value: number; threshold: number | null } | null {
  const value = report.value;
  if (!value) return null;
  if (value.regression) return { value: value.regression.perThousand, threshold: null };
  if (!value.binary) return null;
  const threshold = settings?.threshold ?? value.threshold;
  const at = valueAtThreshold(value.binary, threshold, null, { interval: false }) ?? value.binary.atThreshold;
  return { value: at.perThousand, threshold: at.threshold };
}

function expectedValueResult(report: EvaluationReport, minimum: number, settings: ValueSettings | null | undefined): CriterionResult {
  const currency = report.value?.currency ?? settings?.currency ?? "EUR";
  const key = "expected_value";
  const description = `expected value per 1,000 decisions ≥ ${formatMoney(minimum, currency)}`;
  const measured = expectedValuePer1000(report, settings);
  if (!measured) {
    return {
      key,
      description,
      passed: false,
      actual: null,
      sentence: "The report holds no expected value: the request gave no outcome values (or the model is multiclass). Request a review with outcome values, or remove this criterion.",
    };
  }
  const passed = measured.value >= minimum;
  const at = measured.threshold === null ? "" : ` at the decision threshold ${measured.threshold.toFixed(2)}`;
  const verdict = passed ? `at least ${formatMoney(minimum, currency)} as required` : `below the required ${formatMoney(minimum, currency)}`;
  return { key, description, passed, actual: measured.value, sentence: `The expected value per 1,000 decisions${at} is ${formatMoney(measured.value, currency)}, ${verdict}.` };
}

/**
 * "Expected value ≥ production's": the hook for the comparison with the production model. `productionPer1000` is
 * the production version's expected value per 1,000 decisions on the same rows and outcome values, or null when
 * there is no production version to compare with (the criterion then passes: nothing to beat, said in words).
 */
export function expectedValueVsProductionResult(candidatePer1000: number | null, productionPer1000: number | null, currency: string): CriterionResult {
  const key = "expected_value_vs_production";
  const description = "expected value per 1,000 decisions ≥ the production model's";
  if (candidatePer1000 === null) {
    return { key, description, passed: false, actual: null, sentence: "The report holds no expected value: request the review with outcome values." };
  }
  if (productionPer1000 === null) {
    return { key, description, passed: true, actual: candidatePer1000, sentence: `No production version to compare with: this version's expected value per 1,000 decisions is ${formatMoney(candidatePer1000, currency)}.` };
  }
  const passed = candidatePer1000 >= productionPer1000;
  const delta = candidatePer1000 - productionPer1000;
  const sentence = `The expected value per 1,000 decisions is ${formatMoney(candidatePer1000, currency)} against ${formatMoney(productionPer1000, currency)} for production (${delta >= 0 ? "+" : ""}${formatMoney(delta, currency)}): ${passed ? "no worse, as required" : "worse than production"}.`;
  return { key, description, passed, actual: candidatePer1000, sentence };
}

/**
 * One result per metric threshold, per sensitive attribute (group gap), for the noise drop, the edge cases and the
 * expected value (those set). `valueSettings` carries the review's chosen threshold the expected value is read at.
 */
/** One result per metric threshold, relative threshold, sensitive attribute (group gap), and for the noise drop, the edge cases and the expected value (those set). */
export function evaluateCriteria(report: EvaluationReport, criteria: AcceptanceCriteria, valueSettings?: ValueSettings | null): CriterionResult[] {
  const results = criteria.metricThresholds.map((threshold) => metricResult(report, threshold));
  for (const relative of criteria.relativeThresholds ?? []) results.push(relativeResult(report, relative));
  if (criteria.maxGroupGap !== null) results.push(...groupGapResults(report, criteria.maxGroupGap));
  if (criteria.maxNoiseDrop !== null) results.push(noiseDropResult(report, criteria.maxNoiseDrop));
  if (criteria.edgeCasesMustNotCrash) results.push(edgeCaseResult(report));
  if (criteria.minExpectedValuePer1000 !== null && criteria.minExpectedValuePer1000 !== undefined) {
    results.push(expectedValueResult(report, criteria.minExpectedValuePer1000, valueSettings));
  }
  return results;
}
