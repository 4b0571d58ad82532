// Acceptance criteria against an evaluation report: each criterion pass/fail with a plain sentence, in the words given
// (English by default: the server stores English; the review page computes them again in the reader's language).
import type { AcceptanceCriteria, CriterionResult, EvaluationReport, MetricName, MetricThreshold, RelativeThreshold } from "@/server/review/schema";
import { curveIndexOf, valueAtThreshold, valuePerDecision } from "./business-value";
import type { ValueSettings } from "./business-value-schema";
import { englishReviewWords, fixedNumber, listInWords, localPercent, upperFirst, type ReviewWords } from "./review-words";

const metricLabel = (metric: MetricName, words: ReviewWords) => words.t(`metrics.${metric}`);
const metricSubject = (metric: MetricName, words: ReviewWords) => words.t(`metricSubjects.${metric}`);
const taskWord = (task: EvaluationReport["task"], words: ReviewWords) => words.t(`tasks.${task}`);

/**
 * `value` rounded for a sentence: two decimals, more (up to six) when two decimals would make it look equal
 * to `reference` while it is not (0.7996 against 0.80 reads "0.7996", not "0.80").
 */
export function formatForComparison(value: number, reference: number, minDigits = 2): string {
  return value.toFixed(comparisonDigits(value, reference, minDigits));
}

/** The decimals formatForComparison shows. */
function comparisonDigits(value: number, reference: number, minDigits = 2): number {
  // Floating-point noise (0.07 × 100 = 7.000000000000001) is not a real difference worth more digits.
  const equal = Math.abs(value - reference) <= 1e-9 * Math.max(1, Math.abs(reference));
  for (let digits = minDigits; digits < 6; digits += 1) {
    if (equal || value.toFixed(digits) !== reference.toFixed(digits)) return digits;
  }
  return 6;
}

/** formatForComparison in the words' locale (0,7996 in French). */
function compared(words: ReviewWords, value: number, reference: number, minDigits = 2): string {
  return fixedNumber(words, value, comparisonDigits(value, reference, minDigits));
}

function formatNumber(value: number, words: ReviewWords, digits = 2): string {
  return fixedNumber(words, value, digits);
}

/** Decimals a limit the user typed needs to read back exactly (at least two, at most six): 0.8 → 2, 0.995 → 3. */
function decimalsOf(limit: number): number {
  for (let digits = 2; digits < 6; digits += 1) if (Number(limit.toFixed(digits)) === limit) return digits;
  return 6;
}

/** A limit as typed, with at least two decimals: "0.80", "0.995". */
function formatLimit(limit: number, words: ReviewWords): string {
  return fixedNumber(words, limit, decimalsOf(limit));
}

/** A metric's value in the report, or why there is none. */
function metricValue(report: EvaluationReport, metric: MetricName, words: ReviewWords): { value: number } | { missing: string } {
  const classification = report.classification;
  const regression = report.regression;
  const label = metricLabel(metric, words);
  const task = taskWord(report.task, words);
  switch (metric) {
    case "accuracy":
    case "macro_precision":
    case "macro_recall":
    case "macro_f1":
    case "roc_auc":
    case "log_loss": {
      if (!classification) return { missing: upperFirst(words.t("criteria.notForClassification", { metric: label, task })) };
      if (metric === "accuracy") return { value: classification.accuracy };
      if (metric === "macro_precision") return { value: classification.macro.precision };
      if (metric === "macro_recall") return { value: classification.macro.recall };
      if (metric === "macro_f1") return { value: classification.macro.f1 };
      if (metric === "log_loss") return { value: classification.logLoss };
      return classification.rocAuc === null
        ? { missing: words.t("criteria.rocAucMissing") }
        : { value: classification.rocAuc };
    }
    case "rmse":
    case "mae":
    case "r2": {
      if (!regression) return { missing: upperFirst(words.t("criteria.notForRegression", { metric: label, task })) };
      return { value: regression[metric] };
    }
  }
}

function metricResult(report: EvaluationReport, threshold: MetricThreshold, words: ReviewWords): CriterionResult {
  const label = metricLabel(threshold.metric, words);
  const limit = formatLimit(threshold.threshold, words);
  const description = words.t("criteria.metricDescription", { metric: label, op: threshold.op === "gte" ? "≥" : "≤", limit });
  const key = `metric:${threshold.metric}`;
  const measured = metricValue(report, threshold.metric, words);
  if ("missing" in measured) return { key, description, passed: false, actual: null, sentence: measured.missing };
  const { value } = measured;
  const values = { metric: metricSubject(threshold.metric, words), value: compared(words, value, threshold.threshold, decimalsOf(threshold.threshold)), limit };
  if (threshold.op === "gte") {
    const passed = value >= threshold.threshold;
    const sentence = upperFirst(words.t(passed ? "criteria.gteMet" : "criteria.gteFailed", values));
    return { key, description, passed, actual: value, sentence };
  }
  const passed = value <= threshold.threshold;
  const sentence = upperFirst(words.t(passed ? "criteria.lteMet" : "criteria.lteFailed", values));
  return { key, description, passed, actual: value, sentence };
}

function groupGapResults(report: EvaluationReport, maxGap: number, words: ReviewWords): CriterionResult[] {
  // 0.07 × 100 is 7.000000000000001 in floating point: round to a tenth of a point before showing it.
  const points = Math.round(maxGap * 1000) / 10;
  const limitPoints = Number.isInteger(points) ? fixedNumber(words, points, 0) : fixedNumber(words, points, 1);
  const description = words.t("criteria.groupGapDescription", { limit: limitPoints });
  if (report.task !== "binary") {
    return [
      {
        key: "group_gap",
        description,
        passed: false,
        actual: null,
        sentence: words.t("criteria.groupGapNotBinary", { task: taskWord(report.task, words) }),
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
        sentence: words.t("criteria.groupGapNoAttribute"),
      },
    ];
  }
  return report.fairness.map((attribute) => {
    const gap = attribute.demographicParityDifference;
    const passed = gap <= maxGap;
    const rates = attribute.groups.map((group) => words.t("criteria.groupRate", { rate: localPercent(words, group.selectionRate), group: group.group }));
    const values = { attribute: attribute.attribute, rates: listInWords(words, rates), gap: compared(words, gap * 100, points, 0), limit: limitPoints };
    return {
      key: `group_gap:${attribute.attribute}`,
      description: words.t("criteria.groupGapDescriptionFor", { limit: limitPoints, attribute: attribute.attribute }),
      passed,
      actual: gap,
      sentence: words.t(passed ? "criteria.groupGapWithin" : "criteria.groupGapOver", values),
    };
  });
}

function noiseDropResult(report: EvaluationReport, maxDrop: number, words: ReviewWords): CriterionResult {
  const label = metricLabel(report.primaryMetric.name, words);
  const limit = formatLimit(maxDrop, words);
  const key = "noise_drop";
  const description = words.t("criteria.noiseDescription", { metric: label, limit });
  const noise = report.robustness.find((result) => result.perturbation === "noise_0.1");
  if (!noise) return { key, description, passed: false, actual: null, sentence: words.t("criteria.noiseMissing") };
  if (noise.error !== null) {
    return { key, description, passed: false, actual: null, sentence: words.t("criteria.noiseError", { error: noise.error }) };
  }
  const passed = noise.drop <= maxDrop;
  const before = formatNumber(report.primaryMetric.value, words);
  const after = formatNumber(noise.value, words);
  const movement =
    noise.drop > 0
      ? words.t("criteria.noiseFalls", { before, after, drop: compared(words, noise.drop, maxDrop, decimalsOf(maxDrop)) })
      : words.t("criteria.noiseNoDrop", { before, after });
  const verdict = words.t(passed ? "criteria.noiseWithin" : "criteria.noiseOver", { limit });
  return { key, description, passed, actual: noise.drop, sentence: words.t("criteria.noise", { metric: metricSubject(report.primaryMetric.name, words), movement, verdict }) };
}

function edgeCaseResult(report: EvaluationReport, words: ReviewWords): CriterionResult {
  const failed = report.edgeCases.filter((edgeCase) => !edgeCase.ok);
  const total = report.edgeCases.length;
  const description = words.t("criteria.edgeDescription");
  if (failed.length === 0) {
    return { key: "edge_cases", description, passed: true, actual: 0, sentence: words.t("criteria.edgeAllOk", { count: total }) };
  }
  const shown = failed.slice(0, 3).map((edgeCase) => {
    const caseKey = `edgeCases.${edgeCase.case}` as "edgeCases.min";
    const name = words.t.has(caseKey) ? words.t(caseKey) : edgeCase.case.replaceAll("_", " ");
    return words.t("criteria.edgeShown", { feature: edgeCase.feature, case: name, error: edgeCase.error ?? words.t("criteria.edgeUnknownError") });
  });
  const more = failed.length > 3 ? words.t("criteria.edgeMore", { count: failed.length - 3 }) : "";
  return {
    key: "edge_cases",
    description,
    passed: false,
    actual: failed.length,
    sentence: words.t("criteria.edgeFailed", { failed: failed.length, count: total, shown: shown.join("; "), more }),
  };
}

const lowerIsBetter = new Set<MetricName>(["log_loss", "rmse", "mae"]);

/**
 * "metric no worse than production − tolerance" (error metrics: no higher than production + tolerance). Without a
 * production version the criterion is not applicable and passes, saying so: a first model of its name has nothing to
 * be compared with, and its absolute thresholds still apply. A production version that could not be scored fails it.
 */
function relativeResult(report: EvaluationReport, relative: RelativeThreshold, words: ReviewWords): CriterionResult {
  const label = metricLabel(relative.metric, words);
  const subject = metricSubject(relative.metric, words);
  const lower = lowerIsBetter.has(relative.metric);
  const tolerance = formatLimit(relative.tolerance, words);
  const key = `relative:${relative.metric}`;
  const description =
    relative.tolerance === 0
      ? words.t("criteria.relativeDescription", { metric: label })
      : words.t("criteria.relativeDescriptionTolerance", { metric: label, sign: lower ? "+" : "−", limit: tolerance });
  const comparison = report.comparison ?? null;
  if (comparison === null) {
    return { key, description, passed: true, notApplicable: true, actual: null, sentence: words.t("criteria.relativeNotApplicable", { metric: subject }) };
  }
  if (comparison.problem !== null) return { key, description, passed: false, actual: null, sentence: comparison.problem };
  const row = comparison.metrics.find((metric) => metric.metric === relative.metric);
  if (!row || row.candidate === null || row.production === null || row.delta === null) {
    const measured = metricValue(report, relative.metric, words);
    const why = "missing" in measured ? measured.missing : upperFirst(words.t("criteria.relativeNotComputed", { metric: subject, version: comparison.productionVersion }));
    return { key, description, passed: false, actual: null, sentence: why };
  }
  const limit = lower ? row.production + relative.tolerance : row.production - relative.tolerance;
  const passed = lower ? row.candidate <= limit + 1e-12 : row.candidate >= limit - 1e-12;
  const values = {
    metric: subject,
    value: compared(words, row.candidate, limit, decimalsOf(relative.tolerance)),
    production: compared(words, row.production, row.candidate),
    version: comparison.productionVersion,
    tolerance,
  };
  const message = passed ? (lower ? "criteria.relativeWithinRise" : "criteria.relativeWithinDrop") : lower ? "criteria.relativeOverRise" : "criteria.relativeOverDrop";
  const sentence = upperFirst(words.t(message, values));
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

function expectedValueResult(report: EvaluationReport, minimum: number, settings: ValueSettings | null | undefined, words: ReviewWords): CriterionResult {
  const currency = report.value?.currency ?? settings?.currency ?? "EUR";
  const key = "expected_value";
  const description = words.t("criteria.expectedValueDescription", { limit: localMoney(words, minimum, currency) });
  const measured = expectedValuePer1000(report, settings);
  if (!measured) return { key, description, passed: false, actual: null, sentence: words.t("criteria.expectedValueNone") };
  const passed = measured.value >= minimum;
  const values = { amount: localMoney(words, measured.value, currency), minimum: localMoney(words, minimum, currency) };
  const sentence =
    measured.threshold === null
      ? words.t(passed ? "criteria.expectedValueMet" : "criteria.expectedValueBelow", values)
      : words.t(passed ? "criteria.expectedValueMetAt" : "criteria.expectedValueBelowAt", { ...values, threshold: fixedNumber(words, measured.threshold, 2) });
  return { key, description, passed, actual: measured.value, sentence };
}

/** An amount of money for a sentence in the words' locale: "12,345.67 EUR" ("12 345,67 EUR" in French). */
function localMoney(words: ReviewWords, amount: number, currency: string): string {
  return `${fixedNumber(words, amount, 2)} ${currency}`;
}

/**
 * "Expected value ≥ production's". `productionPer1000` is the production version's expected value per 1,000
 * decisions on the same rows and outcome values, or null when there is no production version to compare with (the
 * criterion then passes, not applicable: nothing to beat, said in words).
 */
export function expectedValueVsProductionResult(
  candidatePer1000: number | null,
  productionPer1000: number | null,
  currency: string,
  words: ReviewWords = englishReviewWords,
): CriterionResult {
  const key = "expected_value_vs_production";
  const description = words.t("criteria.expectedValueVsProductionDescription");
  if (candidatePer1000 === null) {
    return { key, description, passed: false, actual: null, sentence: words.t("criteria.expectedValueVsProductionNoValue") };
  }
  if (productionPer1000 === null) {
    return {
      key,
      description,
      passed: true,
      notApplicable: true,
      actual: candidatePer1000,
      sentence: words.t("criteria.expectedValueVsProductionNotApplicable", { amount: localMoney(words, candidatePer1000, currency) }),
    };
  }
  const passed = candidatePer1000 >= productionPer1000 - 1e-9;
  const delta = candidatePer1000 - productionPer1000;
  const values = {
    candidate: localMoney(words, candidatePer1000, currency),
    production: localMoney(words, productionPer1000, currency),
    delta: `${delta >= 0 ? "+" : ""}${localMoney(words, delta, currency)}`,
  };
  const sentence = words.t(passed ? "criteria.expectedValueVsProductionMet" : "criteria.expectedValueVsProductionWorse", values);
  return { key, description, passed, actual: delta, sentence };
}

/**
 * Production's expected value per 1,000 decisions at the review's chosen threshold, from the comparison's counts at
 * each point of the candidate's curve; null when the comparison holds none for that threshold.
 */
export function productionExpectedValuePer1000(report: EvaluationReport, settings: ValueSettings | null | undefined): number | null {
  const compared = report.comparison?.expectedValue;
  if (compared && report.value?.regression) return compared.productionPer1000;
  const binary = report.value?.binary;
  if (!compared || !binary) return null;
  const threshold = settings?.threshold ?? report.value!.threshold;
  const index = curveIndexOf(binary.curve.thresholds, threshold);
  if (index < 0 || compared.productionCurve.tp.length !== binary.curve.thresholds.length) return null;
  const tp = compared.productionCurve.tp[index];
  const fp = compared.productionCurve.fp[index];
  return 1000 * valuePerDecision({ tp, fp, fn: binary.positives - tp, tn: binary.negatives - fp }, binary.outcomes);
}

/** The criterion against the report: not applicable without production, failed when production could not be scored. */
function expectedValueVsProduction(report: EvaluationReport, settings: ValueSettings | null | undefined, words: ReviewWords): CriterionResult {
  const currency = report.value?.currency ?? settings?.currency ?? "EUR";
  const candidate = expectedValuePer1000(report, settings)?.value ?? null;
  const comparison = report.comparison ?? null;
  if (candidate === null || comparison === null) return expectedValueVsProductionResult(candidate, null, currency, words);
  const description = words.t("criteria.expectedValueVsProductionDescription");
  const key = "expected_value_vs_production";
  if (comparison.problem !== null) return { key, description, passed: false, actual: null, sentence: comparison.problem };
  const production = productionExpectedValuePer1000(report, settings);
  if (production === null) {
    return { key, description, passed: false, actual: null, sentence: words.t("criteria.expectedValueVsProductionMissing", { version: comparison.productionVersion }) };
  }
  return expectedValueVsProductionResult(candidate, production, currency, words);
}

/**
 * One result per metric threshold, per sensitive attribute (group gap), for the noise drop, the edge cases and the
 * expected value (those set). `valueSettings` carries the review's chosen threshold the expected value is read at.
 */

/**
 * One result per metric threshold, per sensitive attribute (group gap), for the noise drop and the edge cases (those
 * set). `words` gives the language of the descriptions and sentences (English unless the reader's are given).
 */
export function evaluateCriteria(
  report: EvaluationReport,
  criteria: AcceptanceCriteria,
  valueSettings?: ValueSettings | null,
  words: ReviewWords = englishReviewWords,
): CriterionResult[] {
  const results = criteria.metricThresholds.map((threshold) => metricResult(report, threshold, words));
  for (const relative of criteria.relativeThresholds ?? []) results.push(relativeResult(report, relative, words));
  if (criteria.maxGroupGap !== null) results.push(...groupGapResults(report, criteria.maxGroupGap, words));
  if (criteria.maxNoiseDrop !== null) results.push(noiseDropResult(report, criteria.maxNoiseDrop, words));
  if (criteria.edgeCasesMustNotCrash) results.push(edgeCaseResult(report, words));
  if (criteria.minExpectedValuePer1000 !== null && criteria.minExpectedValuePer1000 !== undefined) {
    results.push(expectedValueResult(report, criteria.minExpectedValuePer1000, valueSettings, words));
  }
  if (criteria.expectedValueAtLeastProduction) results.push(expectedValueVsProduction(report, valueSettings, words));
  return results;
}

/**
 * Stored results (English, computed when the review was evaluated or its criteria revised) with their description
 * and sentence in the reader's words: computed again from the same report and criteria, matched by key. Pass/fail
 * stays the stored one; a result the computation does not give again, or gives with another verdict, keeps its text.
 */
export function localizeCriteriaResults(
  results: readonly CriterionResult[],
  report: EvaluationReport | null,
  criteria: AcceptanceCriteria | null,
  words: ReviewWords,
): CriterionResult[] {
  if (!report || !criteria) return [...results];
  let again: CriterionResult[];
  try {
    again = evaluateCriteria(report, criteria, null, words);
  } catch {
    return [...results];
  }
  const byKey = new Map(again.map((result) => [result.key, result]));
  return results.map((result) => {
    const local = byKey.get(result.key);
    // Words that contradict the stored verdict (the evaluator changed since) are not shown: the stored text stays.
    return local && local.passed === result.passed ? { ...result, description: local.description, sentence: local.sentence } : result;
  });
}
