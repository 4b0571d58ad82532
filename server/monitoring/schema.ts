// Zod contracts of production monitoring (drift per window, live metrics from feedback, settings) and deployments.
import { z } from "zod";
import { zLiveValue } from "@/lib/business-value-schema";
import { zServerSentence } from "@/lib/i18n/server-sentence";

export const zMonitoringThresholds = z.object({
  /** Numeric feature drifts when the KS p-value is below this (reference ≤ 1,000 rows). */
  ksPValue: z.number().gt(0).lt(1).default(0.05),
  /** Numeric feature drifts when the normalised Wasserstein distance reaches this (larger references). */
  wasserstein: z.number().positive().default(0.1),
  /** Categorical feature drifts when the chi-square p-value is below this (small samples). */
  chiSquarePValue: z.number().gt(0).lt(1).default(0.05),
  /** Categorical feature drifts when the Jensen–Shannon distance reaches this (larger samples). */
  jensenShannon: z.number().positive().max(1).default(0.1),
  /** Dataset drift when at least this share of features drifted. */
  datasetDriftShare: z.number().gt(0).max(1).default(0.5),
  /** Classifiers: flag when live accuracy falls below; regression: flag when live RMSE rises above. null = not checked. */
  liveMetric: z.number().nonnegative().nullable().default(null),
});
export type MonitoringThresholds = z.infer<typeof zMonitoringThresholds>;
export const defaultMonitoringThresholds: MonitoringThresholds = zMonitoringThresholds.parse({});

export const zWindowSize = z.enum(["hour", "day"]);
export type WindowSize = z.infer<typeof zWindowSize>;

export const zFeatureDrift = z.object({
  feature: z.string(),
  kind: z.enum(["numeric", "categorical"]),
  test: z.enum(["ks", "wasserstein", "chi-square", "jensen-shannon"]),
  score: z.number(),
  threshold: z.number(),
  drifted: z.boolean(),
  psi: z.number(),
  psiBand: z.enum(["stable", "moderate", "significant"]),
  /** Rows of the window that had a value for the feature. */
  count: z.number(),
});
export type FeatureDrift = z.infer<typeof zFeatureDrift>;

export const zMonitoringWindow = z.object({
  start: z.number(),
  end: z.number(),
  requests: z.number(),
  rows: z.number(),
  latencyP50: z.number().nullable(),
  latencyP95: z.number().nullable(),
  latencyP99: z.number().nullable(),
  /** Share of features that drifted in this window (null when no rows). */
  driftShare: z.number().nullable(),
  datasetDrifted: z.boolean(),
  /** Drift of the predictions against the model's predictions on the reference data. */
  predictionDrift: zFeatureDrift.nullable(),
  /** accuracy (classifiers) or rmse (regression) on rows whose feedback arrived. */
  liveMetric: z
    .object({
      name: z.enum(["accuracy", "f1", "rmse"]),
      value: z.number(),
      count: z.number(),
      /** Binary classifiers with 0/1 labels: F1 of class 1 on the same rows (null when no row is or is predicted 1). */
      f1: z.number().nullable().optional(),
    })
    .nullable(),
  /** Per-feature drift of this window. */
  features: z.array(zFeatureDrift),
});
export type MonitoringWindow = z.infer<typeof zMonitoringWindow>;

export const zMonitoringView = z.object({
  modelName: z.string(),
  productionVersion: z.string().nullable(),
  task: z.enum(["binary", "multiclass", "regression"]).nullable(),
  reference: z
    .object({ datasetName: z.string(), version: z.number(), rowCount: z.number(), source: z.enum(["lineage", "chosen"]) })
    .nullable(),
  /** Why drift cannot be computed (no reference, reference lacks the model's features…). */
  referenceProblem: z.string().nullable(),
  /** `referenceProblem` as a sentence code, for the page's language (absent or null: the English text is shown). */
  referenceProblemMessage: zServerSentence.nullable().optional(),
  /**
   * Set when the production version takes one feature matrix whose columns nothing names (no signature, no training
   * dataset in lineage): drift then needs the order a person confirmed, stored with the settings.
   */
  unnamedMatrix: z
    .object({ inputName: z.string(), width: z.number().nullable(), confirmedOrder: z.array(z.string()).nullable(), referenceColumns: z.array(z.string()) })
    .nullable(),
  settings: z.object({ sampleRate: z.number(), retentionDays: z.number(), thresholds: zMonitoringThresholds }),
  window: zWindowSize,
  /** Oldest first. */
  windows: z.array(zMonitoringWindow),
  /** The reasons in English, and the same as catalogue codes one for one (lib/i18n/server-sentence.ts), for the page's language. */
  flag: z.object({ flagged: z.boolean(), reasons: z.array(z.string()), reasonMessages: z.array(zServerSentence) }),
  /** Realised value from feedback beside the review's expected value (production version with approved outcome values). */
  liveValue: zLiveValue.nullable().optional(),
});
export type MonitoringView = z.infer<typeof zMonitoringView>;

export const zMonitoringSettingsInput = z.object({
  name: z.string().min(1).max(500),
  sampleRate: z.number().min(0, "The sampling rate is a share between 0 and 1").max(1, "The sampling rate is a share between 0 and 1"),
  retentionDays: z.number().int().min(1).max(3650),
  thresholds: zMonitoringThresholds,
  /** null = the training dataset version from the production version's lineage. */
  reference: z.object({ datasetName: z.string().min(1).max(200), version: z.number().int().positive() }).nullable(),
  /**
   * For a production version whose feature matrix nothing names: the reference's columns in the model's input order,
   * confirmed by the person saving. Omitted = keep the stored order; null = forget it.
   */
  columnOrder: z.array(z.string().min(1).max(500)).max(100_000).nullable().optional(),
});
export type MonitoringSettingsInput = z.infer<typeof zMonitoringSettingsInput>;

// ---------------------------------------------------------------- deployments

export const zAliasEvent = z.object({
  at: z.number(),
  by: z.string(),
  alias: z.string(),
  /** null when the alias was removed. */
  version: z.string().nullable(),
  previousVersion: z.string().nullable(),
  /** "set", "delete", "override" (admin past the review gate), "rollback". */
  kind: z.string(),
  reason: z.string().nullable(),
  /** SHA-256 of the ONNX bytes the alias took, and the approved review that let them through (production). */
  modelDigest: z.string().nullable().optional(),
  reviewId: z.number().nullable().optional(),
});
export type AliasEvent = z.infer<typeof zAliasEvent>;

export const zDeployment = z.object({
  modelName: z.string(),
  alias: z.string(),
  version: z.string(),
  since: z.number().nullable(),
  by: z.string().nullable(),
  /** The version production pointed at before (rollback target); production only. */
  previousVersion: z.string().nullable(),
  /** Health flags from monitoring (production only), and an integrity failure of the served bytes (any alias). */
  flagReasons: z.array(z.string()),
  /** Each flag reason as a catalogue code, one for one with flagReasons; null where the page shows the English text. */
  flagMessages: z.array(zServerSentence.nullable()),
  /** SHA-256 of the version's ONNX bytes, and the approved review of those bytes (null: none). */
  modelDigest: z.string().nullable().optional(),
  reviewId: z.number().nullable().optional(),
});
export type Deployment = z.infer<typeof zDeployment>;

/** A model's last health check as the models list and model page show it (monitoring.flags). */
export const zModelFlag = z.object({
  reasons: z.array(z.string()),
  /** The reasons as catalogue codes, one for one; null for a flag checked before codes were kept (English shown). */
  reasonMessages: z.array(zServerSentence).nullable(),
});
export type ModelFlag = z.infer<typeof zModelFlag>;
