// The evaluation report said in plain sentences, for readers who do not read confusion matrices (the review page and the sign-off sheet).
// Every function takes the reader's words (lib/review-words.ts: the "reviewSentences" catalogue and the locale's number
// format); English when none are given.
import type { AcceptanceCriteria, CriterionResult, EvaluationReport, FairnessAttributeReport, MetricName, RobustnessResult } from "@/server/review/schema";
import { englishReviewWords, listInWords as listWith, localNumber, localPercent, type ReviewWords } from "./review-words";

/** How a metric is named in sentences and tables. */
export function metricLabel(metric: MetricName, words: ReviewWords = englishReviewWords): string {
  return words.t.has(`metrics.${metric}`) ? words.t(`metrics.${metric}`) : metric;
}

/** A metric as the subject of a sentence ("l'exactitude" in French). */
export function metricSubject(metric: MetricName, words: ReviewWords = englishReviewWords): string {
  return words.t.has(`metricSubjects.${metric}`) ? words.t(`metricSubjects.${metric}`) : metric;
}

/** Metrics on a 0–1 scale, whose changes are said in percentage points; the others (errors, log loss) in their own unit. */
export function isProportionMetric(metric: MetricName): boolean {
  return metric !== "rmse" && metric !== "mae" && metric !== "log_loss";
}

/** Up to `digits` decimals, trailing zeros dropped: 7, 7.5, 0.05 (in the words' locale: 7,5). */
export function formatNumber(value: number, digits = 1, words: ReviewWords = englishReviewWords): string {
  return localNumber(words, value, digits);
}

/** A 0–1 rate as a whole percentage: 0.306 → "31%" ("31 %" in French). */
export function formatPercent(rate: number, words: ReviewWords = englishReviewWords): string {
  return localPercent(words, rate);
}

/** A 0–1 difference in percentage points, one decimal at most: 0.0712 → "7.1". */
export function formatPoints(difference: number, words: ReviewWords = englishReviewWords): string {
  return localNumber(words, difference * 100, 1);
}

/** Points rounded as they are shown, for plural agreement ("1 point", "7 points"). */
const shownPoints = (difference: number) => Math.abs(Number((difference * 100).toFixed(1)));

function performanceSentences(report: EvaluationReport, words: ReviewWords): string[] {
  const { t } = words;
  const count = report.rowCount;
  const sentences: string[] = [];
  const classification = report.classification;
  if (classification) {
    const classes = classification.classes.length;
    const accuracy = formatPercent(classification.accuracy, words);
    sentences.push(report.task === "multiclass" ? t("accuracyMulticlass", { count, accuracy, classes }) : t("accuracy", { count, accuracy }));
    if (classification.rocAuc !== null) {
      // A percentage would round 0.996 up to "100% of the time", which no model earns; the AUC itself is exact enough.
      sentences.push(t("rocAuc", { auc: formatNumber(classification.rocAuc, 3, words) }));
    }
    if (report.task === "multiclass" && classification.perClass.length > 1) {
      const weakest = [...classification.perClass].sort((a, b) => a.recall - b.recall)[0];
      sentences.push(t("weakestClass", { recall: formatPercent(weakest.recall, words), className: weakest.className }));
    }
  }
  const regression = report.regression;
  if (regression) {
    sentences.push(t("regressionError", { count, mae: formatNumber(regression.mae, 2, words), rmse: formatNumber(regression.rmse, 2, words) }));
    const r2 = formatNumber(regression.r2, 3, words);
    sentences.push(
      regression.r2 >= 0
        ? t("r2Explains", { percent: formatPercent(regression.r2, words), label: report.labelColumn, r2 })
        : t("r2Worse", { label: report.labelColumn, r2 }),
    );
  }
  return sentences;
}

/** "For sex, it selects 31% of group F and 24% of group M: a gap of 7 points, within the 10-point limit." */
export function fairnessSentence(attribute: FairnessAttributeReport, maxGroupGap: number | null, words: ReviewWords = englishReviewWords): string {
  const { t } = words;
  const groups = attribute.groups;
  if (groups.length === 0) return t("fairnessNoGroups", { attribute: attribute.attribute });
  const gap = formatPoints(attribute.demographicParityDifference, words);
  let selects: string;
  if (groups.length <= 3) {
    selects = listWith(words, groups.map((group) => t("fairnessGroupRate", { rate: formatPercent(group.selectionRate, words), group: group.group })));
  } else {
    const sorted = [...groups].sort((a, b) => a.selectionRate - b.selectionRate);
    const low = sorted[0];
    const high = sorted[sorted.length - 1];
    selects = t("fairnessRange", {
      low: formatPercent(low.selectionRate, words),
      lowGroup: low.group,
      high: formatPercent(high.selectionRate, words),
      highGroup: high.group,
      count: groups.length,
    });
  }
  const values = { attribute: attribute.attribute, selects, gap, points: shownPoints(attribute.demographicParityDifference) };
  if (maxGroupGap === null) return t("fairnessNoLimit", values);
  const limit = formatPoints(maxGroupGap, words);
  return attribute.demographicParityDifference <= maxGroupGap ? t("fairnessWithin", { ...values, limit }) : t("fairnessOver", { ...values, limit });
}

function noiseLabel(perturbation: string, words: ReviewWords): string {
  const noise = /^noise_([\d.]+)$/.exec(perturbation);
  if (noise) return words.t("noiseLead", { sd: formatNumber(Number(noise[1]), 3, words) });
  const missing = /^missing_(\d+)pct$/.exec(perturbation);
  if (missing) return words.t("missingLead", { percent: formatPercent(Number(missing[1]) / 100, words) });
  return words.t("otherLead", { perturbation });
}

/** "Under noise of 0.1 standard deviation accuracy drops by 1.2 points." Errors (RMSE) "rise", in their own unit. */
export function robustnessSentence(result: RobustnessResult, maxNoiseDrop: number | null = null, words: ReviewWords = englishReviewWords): string {
  const { t } = words;
  const lead = noiseLabel(result.perturbation, words);
  const metric = metricSubject(result.metric, words);
  if (result.error) return t("robustnessError", { lead, error: result.error });
  const proportion = isProportionMetric(result.metric);
  const amount = proportion
    ? t("amountPoints", { amount: formatPoints(Math.abs(result.drop), words), value: shownPoints(result.drop) })
    : formatNumber(Math.abs(result.drop), 3, words);
  // Errors and log loss are better when lower, so their "drop" (positive = worse) is a rise.
  const higherIsWorse = !proportion;
  const value = formatNumber(result.value, 3, words);
  let change: string;
  if (Math.abs(result.drop) < 1e-9) change = t("unchanged", { metric });
  else if (result.drop > 0) change = higherIsWorse ? t("worsens", { metric, amount, value }) : t("drops", { metric, amount });
  else change = higherIsWorse ? t("improves", { metric, amount, value }) : t("rises", { metric, amount });
  let limit = "";
  if (maxNoiseDrop !== null && result.perturbation === "noise_0.1") {
    const within = result.drop <= maxNoiseDrop;
    limit = proportion
      ? t(within ? "limitPointsWithin" : "limitPointsOver", { limit: formatPoints(maxNoiseDrop, words) })
      : t(within ? "limitWithin" : "limitOver", { limit: formatNumber(maxNoiseDrop, 3, words) });
  }
  return t("robustness", { lead, change, limit });
}

/** "All 120 edge-case inputs were scored without error." or which ones failed. */
export function edgeCaseSentence(edgeCases: EvaluationReport["edgeCases"], words: ReviewWords = englishReviewWords): string {
  const { t } = words;
  if (edgeCases.length === 0) return t("edgeNone");
  const failed = edgeCases.filter((edge) => !edge.ok);
  if (failed.length === 0) return t("edgeAllOk", { count: edgeCases.length });
  const named = failed.slice(0, 3).map((edge) => t("edgeCase", { feature: edge.feature, case: edgeCaseName(edge.case, words) }));
  const more = failed.length > named.length ? t("edgeMore", { count: failed.length - named.length }) : "";
  return t("edgeFailed", { failed: failed.length, count: edgeCases.length, named: named.join(", "), more });
}

/** An edge case's name in words: "far out of range" ("très hors plage"). */
export function edgeCaseName(edgeCase: string, words: ReviewWords = englishReviewWords): string {
  const key = `edgeCases.${edgeCase}` as "edgeCases.min";
  return words.t.has(key) ? words.t(key) : edgeCase.replaceAll("_", " ");
}

function importanceSentence(report: EvaluationReport, words: ReviewWords): string | null {
  const top = [...report.importance.features]
    .filter((feature) => feature.mean > 0)
    .sort((a, b) => b.mean - a.mean)
    .slice(0, 3)
    .map((feature) => feature.feature);
  if (top.length === 0) return null;
  return words.t("importance", { features: listWith(words, top), metric: metricSubject(report.importance.metric, words), count: top.length });
}

/** "It passes 4 of 5 acceptance criteria." */
export function criteriaSentence(results: readonly CriterionResult[], words: ReviewWords = englishReviewWords): string | null {
  if (results.length === 0) return null;
  const passed = results.filter((result) => result.passed).length;
  if (passed === results.length) return words.t("criteriaAllPass", { count: results.length });
  const failing = listWith(words, results.filter((result) => !result.passed).map((result) => result.description));
  return words.t("criteriaSome", { passed, count: results.length, failing });
}

/** The report's summary, one sentence per finding, in reading order: performance, fairness, robustness, importance, edge cases, criteria. */
export function reviewSummarySentences(
  report: EvaluationReport,
  criteria: Pick<AcceptanceCriteria, "maxGroupGap" | "maxNoiseDrop"> | null,
  criteriaResults: readonly CriterionResult[] | null = null,
  words: ReviewWords = englishReviewWords,
): string[] {
  const sentences = performanceSentences(report, words);
  for (const attribute of report.fairness) sentences.push(fairnessSentence(attribute, criteria?.maxGroupGap ?? null, words));
  const noise = report.robustness.find((result) => result.perturbation === "noise_0.1");
  if (noise) sentences.push(robustnessSentence(noise, criteria?.maxNoiseDrop ?? null, words));
  const importance = importanceSentence(report, words);
  if (importance) sentences.push(importance);
  sentences.push(edgeCaseSentence(report.edgeCases, words));
  const verdict = criteriaResults ? criteriaSentence(criteriaResults, words) : null;
  if (verdict) sentences.push(verdict);
  return sentences;
}
