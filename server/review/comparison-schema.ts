// Zod contracts of the review's comparison with the production version and of the fairness details (intervals,
// small groups, proxies). Kept out of schema.ts so that shared file only gains the optional fields pointing here.
import { z } from "zod";

const zMetricKey = z.enum(["accuracy", "macro_precision", "macro_recall", "macro_f1", "roc_auc", "log_loss", "rmse", "mae", "r2"]);

export const zComparedMetric = z.object({
  metric: zMetricKey,
  candidate: z.number().nullable(),
  production: z.number().nullable(),
  /** candidate − production; null when either is missing. */
  delta: z.number().nullable(),
  higherIsBetter: z.boolean(),
  /** Which side the delta favours ("same" within 1e-9). */
  verdict: z.enum(["better", "worse", "same", "unknown"]),
});
export type ComparedMetric = z.infer<typeof zComparedMetric>;

export const zComparedFairness = z.object({
  attribute: z.string(),
  candidateParityGap: z.number(),
  productionParityGap: z.number(),
  candidateOpportunityGap: z.number(),
  productionOpportunityGap: z.number(),
});

export const zMcNemar = z.object({
  candidateOnlyCorrect: z.number(),
  otherOnlyCorrect: z.number(),
  method: z.enum(["exact", "chi_square"]),
  statistic: z.number().nullable(),
  pValue: z.number(),
});

/**
 * Production's expected value on the same rows with the review's outcome values (binary classifiers). Its true and
 * false positives are kept at every threshold of the candidate's profit curve, so when the review moves its chosen
 * threshold along the curve, production's value at the new threshold is read without running the model again.
 */
export const zComparedValue = z.object({
  currency: z.string(),
  /** The threshold the figures below were computed at (the review's chosen threshold at evaluation). */
  threshold: z.number(),
  candidatePer1000: z.number(),
  productionPer1000: z.number(),
  /** candidate − production. */
  delta: z.number(),
  /** Production's true and false positives at each threshold of the candidate's curve (same order). */
  productionCurve: z.object({ tp: z.array(z.number()), fp: z.array(z.number()) }),
});
export type ComparedValue = z.infer<typeof zComparedValue>;

export const zComparisonReport = z.object({
  productionVersion: z.string(),
  productionDigest: z.string(),
  /** Set when the production version could not be scored on these rows (then the figures below are empty). */
  problem: z.string().nullable(),
  metrics: z.array(zComparedMetric),
  fairness: z.array(zComparedFairness),
  /** Classification: share of rows whose predicted labels differ; null for regression. */
  disagreementRate: z.number().nullable(),
  disagreements: z.number().nullable(),
  /** Classification only. */
  mcnemar: zMcNemar.nullable(),
  /** Both models' expected value per 1,000 decisions; null/absent without outcome values (or stored before). */
  expectedValue: zComparedValue.nullable().optional(),
});
export type ComparisonReport = z.infer<typeof zComparisonReport>;

const zInterval = z.object({ lower: z.number(), upper: z.number() });

export const zFairnessIntervals = z.object({
  level: z.number(),
  resamples: z.number(),
  seed: z.number(),
  groups: z.array(z.object({ group: z.string(), selectionRate: zInterval, accuracy: zInterval, truePositiveRate: zInterval.nullable() })),
  demographicParityDifference: zInterval,
  equalOpportunityDifference: zInterval,
});
export type FairnessIntervalsReport = z.infer<typeof zFairnessIntervals>;

export const zProxyFlag = z.object({
  feature: z.string(),
  measure: z.enum(["direct", "cramers_v", "correlation_ratio"]),
  strength: z.number(),
});
export type ProxyFlagReport = z.infer<typeof zProxyFlag>;

/** Added to each fairness entry of the report; optional so reports stored before still parse. */
export const fairnessDetailFields = {
  /** The class counted as the favourable (selected) outcome, as named in the model's classes. */
  favourableOutcome: z.string().optional(),
  intervals: zFairnessIntervals.optional(),
  /** Groups under 30 rows. */
  smallGroups: z.array(z.string()).optional(),
  /** Model inputs that are the attribute itself or strongly associated with it (threshold in proxyThreshold). */
  proxies: z.array(zProxyFlag).optional(),
  proxyThreshold: z.number().optional(),
};
