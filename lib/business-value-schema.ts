// Zod contracts of what a model is worth: the outcome values a requester enters (and the decision threshold they
// choose) and the value part of the evaluation report. Shared by the request form, the evaluator, serving and pages.
import { z } from "zod";

/** Value of each outcome of one decision, in the review's currency (costs negative). */
export const zOutcomeValues = z.object({
  tp: z.number().finite(),
  fp: z.number().finite(),
  fn: z.number().finite(),
  tn: z.number().finite(),
});
export type OutcomeValues = z.infer<typeof zOutcomeValues>;

/**
 * What the requester says a decision is worth, and the decision threshold they choose. Binary classifiers take
 * `outcomes`; regressors take `costPerUnitError`. The threshold (p(positive) ≥ threshold → positive) is approved
 * with the review and applied by serving.
 */
export const zValueSettings = z.object({
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "Use a three-letter ISO 4217 currency code, e.g. EUR")
    .default("EUR"),
  outcomes: zOutcomeValues.nullable().default(null),
  costPerUnitError: z.number().finite().min(0, "A cost per unit of error is 0 or more").nullable().default(null),
  yearlyVolume: z.number().int("Decisions per year are a whole number").positive("Decisions per year must be more than 0").max(1e12).nullable().default(null),
  threshold: z.number().min(0, "The threshold is between 0 and 1").max(1, "The threshold is between 0 and 1").default(0.5),
});
export type ValueSettings = z.infer<typeof zValueSettings>;
export type ValueSettingsInput = z.input<typeof zValueSettings>;

export const zValueInterval = z.object({ lower: z.number(), upper: z.number(), level: z.number(), resamples: z.number() });

/** Expected value at one threshold: the confusion counts and the value per decision, per 1,000 and per year. */
export const zValueAtThreshold = z.object({
  threshold: z.number(),
  tp: z.number(),
  fp: z.number(),
  fn: z.number(),
  tn: z.number(),
  perDecision: z.number(),
  perThousand: z.number(),
  perYear: z.number().nullable(),
  /** Bootstrap interval of the value per 1,000 decisions (rows resampled). */
  interval: zValueInterval.nullable(),
});
export type ValueAtThreshold = z.infer<typeof zValueAtThreshold>;

const zBaseline = z.object({ perThousand: z.number(), perYear: z.number().nullable() });

export const zBinaryValueReport = z.object({
  /** The class counted as positive (the favourable outcome): the model's second class. */
  positiveClass: z.string(),
  outcomes: zOutcomeValues,
  rowCount: z.number(),
  positives: z.number(),
  negatives: z.number(),
  /** Thresholds ascending with the true and false positives at each (p ≥ threshold → positive); fn and tn follow. */
  curve: z.object({ thresholds: z.array(z.number()), tp: z.array(z.number()), fp: z.array(z.number()), perThousand: z.array(z.number()) }),
  /** At the threshold chosen when the review was evaluated. */
  atThreshold: zValueAtThreshold,
  acceptAll: zBaseline,
  rejectAll: zBaseline,
  best: z.object({ threshold: z.number(), perThousand: z.number(), perYear: z.number().nullable() }),
});
export type BinaryValueReport = z.infer<typeof zBinaryValueReport>;

export const zRegressionValueReport = z.object({
  costPerUnitError: z.number(),
  meanAbsoluteError: z.number(),
  /** Value (a cost: ≤ 0) per decision, per 1,000 and per year, with the bootstrap interval per 1,000. */
  perDecision: z.number(),
  perThousand: z.number(),
  perYear: z.number().nullable(),
  interval: zValueInterval.nullable(),
});
export type RegressionValueReport = z.infer<typeof zRegressionValueReport>;

export const zValueReport = z.object({
  currency: z.string(),
  yearlyVolume: z.number().nullable(),
  /** The decision threshold the report was evaluated at (the review may have chosen another since: see its settings). */
  threshold: z.number(),
  binary: zBinaryValueReport.nullable(),
  regression: zRegressionValueReport.nullable(),
});
export type ValueReport = z.infer<typeof zValueReport>;

/** Monitoring: the value production decisions realised, from feedback, beside what the approved review expected. */
export const zLiveValue = z.object({
  reviewId: z.number(),
  currency: z.string(),
  /** The approved decision threshold serving applied (binary), null for regression. */
  threshold: z.number().nullable(),
  /** Decisions with feedback in the period, and the value they realised per 1,000 (null when none came back). */
  count: z.number(),
  realisedPer1000: z.number().nullable(),
  /** Binary: the outcome counts behind it. */
  counts: z.object({ tp: z.number(), fp: z.number(), fn: z.number(), tn: z.number() }).nullable(),
  /** What the review's report expected per 1,000 decisions at the approved threshold (null if it holds no value). */
  expectedPer1000: z.number().nullable(),
});
export type LiveValue = z.infer<typeof zLiveValue>;
