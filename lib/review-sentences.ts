// The evaluation report said in plain sentences, for readers who do not read confusion matrices (the review page and the sign-off sheet).
import type { AcceptanceCriteria, CriterionResult, EvaluationReport, FairnessAttributeReport, MetricName, RobustnessResult } from "@/server/review/schema";

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

/** How a metric is named in sentences and tables. */
export function metricLabel(metric: MetricName): string {
  return metricLabels[metric] ?? metric;
}

/** Metrics on a 0–1 scale, whose changes are said in percentage points; the others (errors, log loss) in their own unit. */
export function isProportionMetric(metric: MetricName): boolean {
  return metric !== "rmse" && metric !== "mae" && metric !== "log_loss";
}

/** Up to `digits` decimals, trailing zeros dropped: 7, 7.5, 0.05. */
export function formatNumber(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toFixed(digits));
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** A 0–1 rate as a whole percentage: 0.306 → "31%". */
export function formatPercent(rate: number): string {
  return `${formatNumber(rate * 100, 0)}%`;
}

/** A 0–1 difference in percentage points, one decimal at most: 0.0712 → "7.1". */
export function formatPoints(difference: number): string {
  return formatNumber(difference * 100, 1);
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}

function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function performanceSentences(report: EvaluationReport): string[] {
  const cases = plural(report.rowCount, "held-out case");
  const sentences: string[] = [];
  const classification = report.classification;
  if (classification) {
    const classes = classification.classes.length;
    sentences.push(
      `On ${cases} the model is right ${formatPercent(classification.accuracy)} of the time${
        report.task === "multiclass" ? ` across ${plural(classes, "class", "classes")}` : ""
      }.`,
    );
    if (classification.rocAuc !== null) {
      // A percentage would round 0.996 up to "100% of the time", which no model earns; the AUC itself is exact enough.
      sentences.push(`Its ROC AUC is ${formatNumber(classification.rocAuc, 3)} (1 separates the classes perfectly, 0.5 is chance).`);
    }
    if (report.task === "multiclass" && classification.perClass.length > 1) {
      const weakest = [...classification.perClass].sort((a, b) => a.recall - b.recall)[0];
      sentences.push(`It finds ${formatPercent(weakest.recall)} of the cases of its weakest class, ${weakest.className} (recall).`);
    }
  }
  const regression = report.regression;
  if (regression) {
    sentences.push(
      `On ${cases} the model's predictions are off by ${formatNumber(regression.mae, 2)} on average (MAE); the root mean squared error is ${formatNumber(regression.rmse, 2)}.`,
    );
    sentences.push(
      regression.r2 >= 0
        ? `It explains ${formatPercent(regression.r2)} of the variation of ${report.labelColumn} (R² ${formatNumber(regression.r2, 3)}).`
        : `It predicts ${report.labelColumn} worse than always guessing the average (R² ${formatNumber(regression.r2, 3)}).`,
    );
  }
  return sentences;
}

/** "For sex, it selects 31% of group F and 24% of group M: a gap of 7 points, within the 10-point limit." */
export function fairnessSentence(attribute: FairnessAttributeReport, maxGroupGap: number | null): string {
  const groups = attribute.groups;
  if (groups.length === 0) return `For ${attribute.attribute}, no group had any case to measure.`;
  const gap = formatPoints(attribute.demographicParityDifference);
  const limit =
    maxGroupGap === null
      ? " (no limit was set)"
      : attribute.demographicParityDifference <= maxGroupGap
        ? `, within the ${formatPoints(maxGroupGap)}-point limit`
        : `, over the ${formatPoints(maxGroupGap)}-point limit`;
  let selects: string;
  if (groups.length <= 3) {
    selects = listInWords(groups.map((group) => `${formatPercent(group.selectionRate)} of group ${group.group}`));
  } else {
    const sorted = [...groups].sort((a, b) => a.selectionRate - b.selectionRate);
    const low = sorted[0];
    const high = sorted[sorted.length - 1];
    selects = `between ${formatPercent(low.selectionRate)} (group ${low.group}) and ${formatPercent(high.selectionRate)} (group ${high.group}) of each of its ${groups.length} groups`;
  }
  return `For ${attribute.attribute}, it selects ${selects}: a gap of ${gap} point${gap === "1" ? "" : "s"}${limit}.`;
}

function noiseLabel(perturbation: string): string {
  const noise = /^noise_([\d.]+)$/.exec(perturbation);
  if (noise) return `Under noise of ${noise[1]} standard deviation`;
  const missing = /^missing_(\d+)pct$/.exec(perturbation);
  if (missing) return `With ${missing[1]}% of the values missing`;
  return `Under ${perturbation}`;
}

/** "Under noise of 0.1 standard deviation accuracy drops by 1.2 points." Errors (RMSE) "rise", in their own unit. */
export function robustnessSentence(result: RobustnessResult, maxNoiseDrop: number | null = null): string {
  const lead = noiseLabel(result.perturbation);
  const name = metricLabel(result.metric);
  if (result.error) return `${lead} the model could not score the rows: ${result.error}`;
  const proportion = isProportionMetric(result.metric);
  const amount = proportion ? `${formatPoints(Math.abs(result.drop))} points` : formatNumber(Math.abs(result.drop), 3);
  // Errors and log loss are better when lower, so their "drop" (positive = worse) is a rise.
  const higherIsWorse = !proportion;
  let change: string;
  if (Math.abs(result.drop) < 1e-9) change = `${name} does not change`;
  else if (result.drop > 0) change = higherIsWorse ? `${name} worsens by ${amount} (to ${formatNumber(result.value, 3)})` : `${name} drops by ${amount}`;
  else change = higherIsWorse ? `${name} improves by ${amount} (to ${formatNumber(result.value, 3)})` : `${name} rises by ${amount}`;
  let limit = "";
  if (maxNoiseDrop !== null && result.perturbation === "noise_0.1") {
    const allowed = proportion ? `${formatPoints(maxNoiseDrop)}-point` : formatNumber(maxNoiseDrop, 3);
    limit = result.drop <= maxNoiseDrop ? `, within the ${allowed} limit` : `, over the ${allowed} limit`;
  }
  return `${lead} ${change}${limit}.`;
}

/** "All 120 edge-case inputs were scored without error." or which ones failed. */
export function edgeCaseSentence(edgeCases: EvaluationReport["edgeCases"]): string {
  if (edgeCases.length === 0) return "No edge-case inputs were tried.";
  const failed = edgeCases.filter((edge) => !edge.ok);
  if (failed.length === 0) return `All ${plural(edgeCases.length, "edge-case input")} were scored without error.`;
  const named = failed.slice(0, 3).map((edge) => `${edge.feature} ${edge.case.replaceAll("_", " ")}`);
  const more = failed.length > named.length ? ` and ${failed.length - named.length} more` : "";
  return `${failed.length} of ${plural(edgeCases.length, "edge-case input")} made the model fail (${named.join(", ")}${more}).`;
}

function importanceSentence(report: EvaluationReport): string | null {
  const top = [...report.importance.features]
    .filter((feature) => feature.mean > 0)
    .sort((a, b) => b.mean - a.mean)
    .slice(0, 3)
    .map((feature) => feature.feature);
  if (top.length === 0) return null;
  return `Shuffling ${listInWords(top)} hurts ${metricLabel(report.importance.metric)} the most: ${top.length === 1 ? "it is" : "they are"} what the model relies on.`;
}

/** "It passes 4 of 5 acceptance criteria." */
export function criteriaSentence(results: readonly CriterionResult[]): string | null {
  if (results.length === 0) return null;
  const passed = results.filter((result) => result.passed).length;
  if (passed === results.length) return `It passes all ${plural(results.length, "acceptance criterion", "acceptance criteria")}.`;
  return `It passes ${passed} of ${plural(results.length, "acceptance criterion", "acceptance criteria")}; it fails ${listInWords(
    results.filter((result) => !result.passed).map((result) => result.description),
  )}.`;
}

/** The report's summary, one sentence per finding, in reading order: performance, fairness, robustness, importance, edge cases, criteria. */
export function reviewSummarySentences(
  report: EvaluationReport,
  criteria: Pick<AcceptanceCriteria, "maxGroupGap" | "maxNoiseDrop"> | null,
  criteriaResults: readonly CriterionResult[] | null = null,
): string[] {
  const sentences = performanceSentences(report);
  for (const attribute of report.fairness) sentences.push(fairnessSentence(attribute, criteria?.maxGroupGap ?? null));
  const noise = report.robustness.find((result) => result.perturbation === "noise_0.1");
  if (noise) sentences.push(robustnessSentence(noise, criteria?.maxNoiseDrop ?? null));
  const importance = importanceSentence(report);
  if (importance) sentences.push(importance);
  sentences.push(edgeCaseSentence(report.edgeCases));
  const verdict = criteriaResults ? criteriaSentence(criteriaResults) : null;
  if (verdict) sentences.push(verdict);
  return sentences;
}
