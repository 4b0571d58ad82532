// How the review pages name and link reviews, and the acceptance-criteria form's text state ↔ the criteria the server takes.
import type { ValueSettings } from "@/lib/business-value-schema";
import {
  classificationMetricNames,
  regressionMetricNames,
  type AcceptanceCriteria,
  type DecisionKind,
  type EvaluationTask,
  type MetricName,
  type ReviewListFilter,
  type ReviewStatus,
} from "@/server/review/schema";
import { englishReviewWords, fixedNumber, type ReviewWords } from "@/lib/review-words";

export const reviewHref = (id: number) => `/reviews/${id}`;
export const signOffHref = (id: number) => `/reviews/${id}/sign-off`;
export const requestReviewHref = (modelName: string, modelVersion: string) =>
  `/reviews/new?model=${encodeURIComponent(modelName)}&version=${encodeURIComponent(modelVersion)}`;

// The English labels below stay for callers outside the review pages; the pages show the "reviews" catalogue's
// `filters.<value>`, `status.<status>` and `decisions.<kind>` in the reader's language.
export const reviewFilters: readonly { value: ReviewListFilter; label: string; empty: string }[] = [
  { value: "all", label: "All", empty: "No reviews yet. Request one from a model version's page, or with the button above." },
  { value: "mine_to_review", label: "Mine to review", empty: "Nothing waits for your decision. Reviews others requested appear here once evaluated." },
  { value: "waiting", label: "Waiting", empty: "No review is waiting for a decision." },
  { value: "decided", label: "Decided", empty: "No review has been approved, rejected or sent back yet." },
  { value: "requested_by_me", label: "Requested by me", empty: "You have not requested a review. Request one to have a model version signed off." },
];

export function parseReviewFilter(value: string | null): ReviewListFilter {
  return reviewFilters.find((filter) => filter.value === value)?.value ?? "all";
}

export const reviewStatusLabels: Record<ReviewStatus, string> = {
  draft: "Queued",
  evaluating: "Evaluating",
  evaluation_failed: "Evaluation failed",
  ready: "Waiting for decision",
  approved: "Approved",
  rejected: "Rejected",
  changes_requested: "Changes requested",
};

export const decisionLabels: Record<DecisionKind, string> = {
  approve: "Approved",
  reject: "Rejected",
  request_changes: "Requested changes",
};

export function metricsForTask(task: EvaluationTask | null): readonly MetricName[] {
  if (task === "regression") return regressionMetricNames;
  if (task === "binary" || task === "multiclass") return classificationMetricNames;
  return [...classificationMetricNames, ...regressionMetricNames];
}

/** Errors and log loss are better when low, so their threshold is a ceiling. */
export function defaultOpFor(metric: MetricName): "gte" | "lte" {
  return metric === "log_loss" || metric === "rmse" || metric === "mae" ? "lte" : "gte";
}

export const opSymbol = { gte: "≥", lte: "≤" } as const;

/** The criteria as the form edits them: text fields (so a half-typed number is kept), the group gap in points. */
export interface CriteriaFormState {
  thresholds: { metric: MetricName; op: "gte" | "lte"; value: string }[];
  /** Percentage points; "" = not checked. */
  maxGroupGapPoints: string;
  /** In the primary metric's unit; "" = not checked. */
  maxNoiseDrop: string;
  edgeCasesMustNotCrash: boolean;
  /** "metric no worse than production − tolerance" rows; tolerance as typed. */
  relative?: { metric: MetricName; tolerance: string }[];
  /** Least expected value per 1,000 decisions; "" = not checked. */
  minExpectedValuePer1000?: string;
  /** "Expected value ≥ production's". */
  expectedValueAtLeastProduction?: boolean;
}

const trimNumber = (value: number) => String(Number(value.toPrecision(10)));

export function criteriaToForm(criteria: AcceptanceCriteria): CriteriaFormState {
  return {
    thresholds: criteria.metricThresholds.map((row) => ({ metric: row.metric, op: row.op, value: trimNumber(row.threshold) })),
    maxGroupGapPoints: criteria.maxGroupGap === null ? "" : trimNumber(criteria.maxGroupGap * 100),
    maxNoiseDrop: criteria.maxNoiseDrop === null ? "" : trimNumber(criteria.maxNoiseDrop),
    edgeCasesMustNotCrash: criteria.edgeCasesMustNotCrash,
    relative: (criteria.relativeThresholds ?? []).map((row) => ({ metric: row.metric, tolerance: trimNumber(row.tolerance) })),
    minExpectedValuePer1000: criteria.minExpectedValuePer1000 === null || criteria.minExpectedValuePer1000 === undefined ? "" : trimNumber(criteria.minExpectedValuePer1000),
    expectedValueAtLeastProduction: criteria.expectedValueAtLeastProduction ?? false,
  };
}

export type CriteriaFormErrors = Partial<Record<"maxGroupGapPoints" | "maxNoiseDrop" | "minExpectedValuePer1000" | `threshold.${number}` | `relative.${number}`, string>>;

/** What formToCriteria says about a field to fix; the form passes them in the reader's language. */
export interface CriteriaFormMessages {
  number: string;
  gapPoints: string;
  noiseDrop: string;
}

const englishFormMessages: CriteriaFormMessages = {
  number: "Enter a number, e.g. 0.8",
  gapPoints: "Enter points between 0 and 100, or leave empty not to check the gap",
  noiseDrop: "Enter a drop of 0 or more, or leave empty not to check robustness",
};

function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  // A decimal comma ("0,8", as French readers type it) reads as a decimal point.
  const value = Number(/^-?\d*,\d+$/.test(trimmed) ? trimmed.replace(",", ".") : trimmed);
  return Number.isFinite(value) ? value : Number.NaN;
}

/** The criteria to send, or what to fix in which field. */
export function formToCriteria(
  form: CriteriaFormState,
  messages: CriteriaFormMessages = englishFormMessages,
): { criteria: AcceptanceCriteria; errors: null } | { criteria: null; errors: CriteriaFormErrors } {
  const errors: CriteriaFormErrors = {};
  const metricThresholds = form.thresholds.map((row, index) => {
    const threshold = parseNumber(row.value);
    if (threshold === null || Number.isNaN(threshold)) errors[`threshold.${index}`] = messages.number;
    return { metric: row.metric, op: row.op, threshold: threshold ?? 0 };
  });
  const relativeThresholds = (form.relative ?? []).map((row, index) => {
    const tolerance = parseNumber(row.tolerance);
    if (tolerance === null || Number.isNaN(tolerance) || tolerance < 0) errors[`relative.${index}`] = "Enter a tolerance of 0 or more, e.g. 0.01";
    return { metric: row.metric, tolerance: tolerance ?? 0 };
  });
  const gapPoints = parseNumber(form.maxGroupGapPoints);
  if (gapPoints !== null && (Number.isNaN(gapPoints) || gapPoints < 0 || gapPoints > 100)) {
    errors.maxGroupGapPoints = messages.gapPoints;
  }
  const noiseDrop = parseNumber(form.maxNoiseDrop);
  if (noiseDrop !== null && (Number.isNaN(noiseDrop) || noiseDrop < 0)) {
    errors.maxNoiseDrop = messages.noiseDrop;
  }
  const minValue = parseNumber(form.minExpectedValuePer1000 ?? "");
  if (Number.isNaN(minValue)) errors.minExpectedValuePer1000 = "Enter a number, or leave empty not to check the expected value";
  if (Object.keys(errors).length) return { criteria: null, errors };
  return {
    criteria: {
      metricThresholds,
      maxGroupGap: gapPoints === null ? null : Number((gapPoints / 100).toPrecision(10)),
      maxNoiseDrop: noiseDrop,
      edgeCasesMustNotCrash: form.edgeCasesMustNotCrash,
      ...(relativeThresholds.length > 0 ? { relativeThresholds } : {}),
      ...(minValue !== null ? { minExpectedValuePer1000: minValue } : {}),
      ...(form.expectedValueAtLeastProduction ? { expectedValueAtLeastProduction: true } : {}),
    },
    errors: null,
  };
}

/** The criteria in words, one line each, as the defaults hint and the sign-off sheet show them. */
export function describeCriteria(
  criteria: AcceptanceCriteria,
  metricName: (metric: MetricName) => string,
  words: ReviewWords = englishReviewWords,
): string[] {
  const number = (value: number) => trimmedNumber(words, value);
  const lines = criteria.metricThresholds.map((row) =>
    words.t("criteria.metricDescription", { metric: metricName(row.metric), op: opSymbol[row.op], limit: number(row.threshold) }),
  );
  for (const row of criteria.relativeThresholds ?? []) {
    lines.push(
      row.tolerance === 0
        ? words.t("criteria.relativeDescription", { metric: metricName(row.metric) })
        : words.t("criteria.relativeDescriptionTolerance", { metric: metricName(row.metric), sign: defaultOpFor(row.metric) === "lte" ? "+" : "−", limit: number(row.tolerance) }),
    );
  }
  if (criteria.maxGroupGap !== null) lines.push(words.t("criteria.groupGapDescription", { limit: number(criteria.maxGroupGap * 100) }));
  if (criteria.maxNoiseDrop !== null) lines.push(words.t("criteria.anyNoiseDescription", { limit: number(criteria.maxNoiseDrop) }));
  if (criteria.edgeCasesMustNotCrash) lines.push(words.t("criteria.edgeDescription"));
  if (criteria.minExpectedValuePer1000 !== null && criteria.minExpectedValuePer1000 !== undefined) {
    lines.push(words.t("criteria.expectedValueDescription", { limit: number(criteria.minExpectedValuePer1000) }));
  }
  if (criteria.expectedValueAtLeastProduction) lines.push(words.t("criteria.expectedValueVsProductionDescription"));
  return lines;
}

/** trimNumber in the words' locale: 0.8, 7.5 (0,8 and 7,5 in French). */
function trimmedNumber(words: ReviewWords, value: number): string {
  const text = trimNumber(value);
  const decimals = text.includes(".") && !text.includes("e") ? text.split(".")[1].length : 0;
  return fixedNumber(words, Number(text), decimals);
}

/** tRPC field errors ({ field: [message] }) → the first message of a field. */
export function firstFieldError(fieldErrors: unknown, field: string): string | undefined {
  if (!fieldErrors || typeof fieldErrors !== "object") return undefined;
  const messages: unknown = (fieldErrors as Record<string, unknown>)[field];
  return Array.isArray(messages) && typeof messages[0] === "string" ? messages[0] : undefined;
}

/**
 * What a criteria revision changed, in words: the criteria lines that left (before) and came (after), and the number
 * of approvals when it moved. Lines both revisions share are left out so the change reads at a glance.
 */
export function describeCriteriaChange(
  previous: { criteria: AcceptanceCriteria; requiredApprovals: number; valueSettings?: ValueSettings | null } | null,
  next: { criteria: AcceptanceCriteria; requiredApprovals: number; valueSettings?: ValueSettings | null },
  metricName: (metric: MetricName) => string,
  words: ReviewWords = englishReviewWords,
): { before: string[]; after: string[] } | null {
  if (!previous) return null;
  const was = describeCriteria(previous.criteria, metricName, words);
  const now = describeCriteria(next.criteria, metricName, words);
  const before = was.filter((line) => !now.includes(line));
  const after = now.filter((line) => !was.includes(line));
  if (previous.requiredApprovals !== next.requiredApprovals) {
    before.push(words.t("criteria.approvalsRequired", { count: previous.requiredApprovals }));
    after.push(words.t("criteria.approvalsRequired", { count: next.requiredApprovals }));
  }
  const thresholdBefore = previous.valueSettings?.threshold;
  const thresholdAfter = next.valueSettings?.threshold;
  if (thresholdBefore !== undefined && thresholdAfter !== undefined && thresholdBefore !== thresholdAfter) {
    before.push(words.t("criteria.decisionThreshold", { limit: trimmedNumber(words, thresholdBefore) }));
    after.push(words.t("criteria.decisionThreshold", { limit: trimmedNumber(words, thresholdAfter) }));
  }
  return { before, after };
}
