// Zod contracts of acceptance reviews: the request, the criteria, the evaluation report and what pages read.
// Shared by the evaluator (server/review/evaluate.ts), the review service, the tRPC router and the pages.
import { z } from "zod";
import { zServerSentence } from "@/lib/i18n/server-sentence";
import { zColumnMapping } from "@/lib/feature-names";
import { zExplanations } from "./explanations-schema";
import { fairnessDetailFields, zComparisonReport } from "./comparison-schema";
import { zValueReport, zValueSettings } from "@/lib/business-value-schema";

// ---------------------------------------------------------------- criteria

/** Metrics a threshold can be set on; which apply depends on the task. */
export const classificationMetricNames = ["accuracy", "macro_precision", "macro_recall", "macro_f1", "roc_auc", "log_loss"] as const;
export const regressionMetricNames = ["rmse", "mae", "r2"] as const;
export const zMetricName = z.enum([...classificationMetricNames, ...regressionMetricNames]);
export type MetricName = z.infer<typeof zMetricName>;

export const zMetricThreshold = z.object({
  metric: zMetricName,
  /** "gte": the metric must be at least the threshold (accuracy); "lte": at most (log loss, RMSE). */
  op: z.enum(["gte", "lte"]),
  threshold: z.number().finite(),
});
export type MetricThreshold = z.infer<typeof zMetricThreshold>;

/** "metric no worse than production − tolerance" (for error metrics: no higher than production + tolerance). */
export const zRelativeThreshold = z.object({
  metric: zMetricName,
  tolerance: z.number().min(0).finite(),
});
export type RelativeThreshold = z.infer<typeof zRelativeThreshold>;

export const zAcceptanceCriteria = z.object({
  metricThresholds: z.array(zMetricThreshold).max(20, "At most 20 metric thresholds"),
  /** Thresholds against the production version's value on the same rows; absent in criteria saved before. */
  relativeThresholds: z.array(zRelativeThreshold).max(20, "At most 20 relative thresholds").optional(),
  /**
   * Largest allowed gap in selection rate between the groups of any sensitive attribute (demographic-parity
   * difference, 0–1); null = not checked. Binary classification only.
   */
  maxGroupGap: z.number().min(0).max(1).nullable(),
  /** Largest allowed drop of the primary metric under Gaussian noise of 0.1 std on numeric features; null = not checked. */
  maxNoiseDrop: z.number().min(0).nullable(),
  /** Every edge-case input must be scored without the model failing. */
  edgeCasesMustNotCrash: z.boolean(),
  /** Least expected value per 1,000 decisions (in the review's currency, at its chosen threshold); null/absent = not checked. */
  minExpectedValuePer1000: z.number().finite().nullable().optional(),
  /** Expected value per 1,000 decisions at least the production version's on the same rows; absent = not checked. */
  expectedValueAtLeastProduction: z.boolean().optional(),
});
export type AcceptanceCriteria = z.infer<typeof zAcceptanceCriteria>;

export const zReviewContext = z.object({
  businessGoal: z.string().max(10_000).default(""),
  expectedRoi: z.string().max(10_000).default(""),
  knownLimits: z.string().max(10_000).default(""),
});
export type ReviewContext = z.infer<typeof zReviewContext>;

export const zTask = z.enum(["binary", "multiclass", "regression"]);
export type EvaluationTask = z.infer<typeof zTask>;

/** The criteria a request form starts with, by task. */
export function defaultCriteria(task: EvaluationTask): AcceptanceCriteria {
  if (task === "regression") {
    return { metricThresholds: [{ metric: "r2", op: "gte", threshold: 0.3 }], maxGroupGap: null, maxNoiseDrop: 0.05, edgeCasesMustNotCrash: true };
  }
  return {
    metricThresholds: [
      { metric: "accuracy", op: "gte", threshold: 0.8 },
      ...(task === "binary" ? [{ metric: "roc_auc" as const, op: "gte" as const, threshold: 0.75 }] : []),
    ],
    maxGroupGap: task === "binary" ? 0.1 : null,
    maxNoiseDrop: 0.05,
    edgeCasesMustNotCrash: true,
  };
}

// ---------------------------------------------------------------- evaluation report

const zGroupRates = z.object({
  group: z.string(),
  size: z.number(),
  positives: z.number(),
  negatives: z.number(),
  selectionRate: z.number(),
  accuracy: z.number(),
  truePositiveRate: z.number(),
  falsePositiveRate: z.number(),
});

export const zClassificationReport = z.object({
  /** Class names in the model's output order (from the ONNX classifier's labels, else "0", "1", …). */
  classes: z.array(z.string()),
  accuracy: z.number(),
  macro: z.object({ precision: z.number(), recall: z.number(), f1: z.number() }),
  perClass: z.array(z.object({ className: z.string(), precision: z.number(), recall: z.number(), f1: z.number(), support: z.number() })),
  /** Binary: AUC of the positive class; multiclass: macro one-vs-rest; null when a class is absent from the labels. */
  rocAuc: z.number().nullable(),
  logLoss: z.number(),
  /** matrix[true class][predicted class]. */
  confusionMatrix: z.array(z.array(z.number())),
  /** Binary only (positive class = classes[1]); at most ~200 points. */
  rocCurve: z.object({ fpr: z.array(z.number()), tpr: z.array(z.number()) }).nullable(),
  /** Binary only, 10 uniform bins. */
  calibration: z.object({ probTrue: z.array(z.number()), probPred: z.array(z.number()), counts: z.array(z.number()) }).nullable(),
});
export type ClassificationReport = z.infer<typeof zClassificationReport>;

export const zRegressionReport = z.object({
  rmse: z.number(),
  mae: z.number(),
  r2: z.number(),
  /** A sample (≤ 2,000 points) of predicted value vs residual (truth − prediction) for the residual plot. */
  residuals: z.object({ predicted: z.array(z.number()), residual: z.array(z.number()) }),
});
export type RegressionReport = z.infer<typeof zRegressionReport>;

export const zFairnessReport = z.object({
  attribute: z.string(),
  groups: z.array(zGroupRates),
  demographicParityDifference: z.number(),
  demographicParityRatio: z.number(),
  equalOpportunityDifference: z.number(),
  ...fairnessDetailFields,
});
export type FairnessAttributeReport = z.infer<typeof zFairnessReport>;

export const zRobustnessResult = z.object({
  /** "noise_0.1", "noise_0.3" (Gaussian, in each numeric feature's std), "missing_10pct". */
  perturbation: z.string(),
  label: z.string(),
  metric: zMetricName,
  value: z.number(),
  /** Baseline value − perturbed value for higher-is-better metrics; perturbed − baseline for errors (so positive = worse). */
  drop: z.number(),
  /** Set when the model could not score the perturbed rows (e.g. NaN refused). */
  error: z.string().nullable(),
});
export type RobustnessResult = z.infer<typeof zRobustnessResult>;

export const zFeatureImportance = z.object({ feature: z.string(), mean: z.number(), std: z.number(), importances: z.array(z.number()) });

export const zEdgeCase = z.object({
  feature: z.string(),
  /** min | max | far_out_of_range | zero | missing | wrong_category */
  case: z.string(),
  /** The value fed (null = missing). */
  input: z.union([z.number(), z.string(), z.null()]),
  ok: z.boolean(),
  /** Output in words, e.g. "class 1 (p = 0.83)" or "212.4"; null when it failed. */
  output: z.string().nullable(),
  error: z.string().nullable(),
});
export type EdgeCase = z.infer<typeof zEdgeCase>;

export const zEvaluationReport = z.object({
  task: zTask,
  rowCount: z.number(),
  labelColumn: z.string(),
  features: z.array(z.string()),
  primaryMetric: z.object({ name: zMetricName, value: z.number() }),
  classification: zClassificationReport.nullable(),
  regression: zRegressionReport.nullable(),
  /** One entry per sensitive attribute (binary classification); empty otherwise. */
  fairness: z.array(zFairnessReport),
  robustness: z.array(zRobustnessResult),
  importance: z.object({ metric: zMetricName, baseline: z.number(), repeats: z.number(), seed: z.number(), features: z.array(zFeatureImportance) }),
  edgeCases: z.array(zEdgeCase),
  /** Why it decided: contributions for a sample of decisions and the global view; absent in reports made before, null when they failed. */
  explanations: zExplanations.nullable().optional(),
  /** Milliseconds per part: load, predict, metrics, fairness, robustness, importance, edge_cases, total. */
  timings: z.record(z.string(), z.number()),
  provenance: z.object({
    modelDigest: z.string(),
    datasetDigest: z.string(),
    evaluatorVersion: z.string(),
    onnxruntimeVersion: z.string(),
    nodeVersion: z.string(),
    seed: z.number(),
    createdAt: z.number(),
  }),
  /** Things a reader must know (e.g. "rows with a missing label were left out: 3"). */
  notes: z.array(z.string()),
  /** The same rows scored by the version holding the `production` alias; null when there is none (or for old reports). */
  comparison: zComparisonReport.nullable().optional(),
  /** What the model is worth, when the request gave outcome values (null on reports stored before). */
  value: zValueReport.nullable().optional(),
});
export type EvaluationReport = z.infer<typeof zEvaluationReport>;

export const zCriterionResult = z.object({
  /** Stable key: "metric:accuracy", "group_gap:sex", "noise_drop", "edge_cases", "expected_value". */
  key: z.string(),
  /** The criterion in words: "accuracy ≥ 0.80". */
  description: z.string(),
  passed: z.boolean(),
  /** The measured value, when there is one. */
  actual: z.number().nullable(),
  /** The result in plain words: "accuracy is 0.96, at least 0.80 as required". */
  sentence: z.string(),
  /** Set when the criterion could not apply (a relative one without a production version): it passes, with this said. */
  notApplicable: z.boolean().optional(),
});
export type CriterionResult = z.infer<typeof zCriterionResult>;

// ---------------------------------------------------------------- reviews

/** evaluation_failed: the background evaluation stopped with an error (evaluationError says why); it can be run again. */
export const reviewStatuses = ["draft", "evaluating", "evaluation_failed", "ready", "approved", "rejected", "changes_requested"] as const;
export const zReviewStatus = z.enum(reviewStatuses);
export type ReviewStatus = z.infer<typeof zReviewStatus>;

export const zDecisionKind = z.enum(["approve", "reject", "request_changes"]);
export type DecisionKind = z.infer<typeof zDecisionKind>;

const zModelName = z.string().trim().min(1).max(500);
const zDatasetName = z.string().trim().min(1).max(200);

export const zRequestReviewInput = z.object({
  modelName: zModelName,
  modelVersion: z.string().regex(/^\d+$/, "Model versions are whole numbers"),
  datasetName: zDatasetName,
  datasetVersion: z.number().int().positive(),
  labelColumn: z.string().trim().min(1, "Name the label column").max(300),
  sensitiveAttributes: z.array(z.string().trim().min(1).max(300)).max(20).default([]),
  criteria: zAcceptanceCriteria,
  requiredApprovals: z.number().int().min(1, "At least one approval is required").max(10).default(1),
  context: zReviewContext.default({ businessGoal: "", expectedRoi: "", knownLimits: "" }),
  /** Dataset columns feeding a matrix input whose columns nothing names, in order, as the requester confirmed them. */
  columnOrder: z.array(z.string().min(1).max(300)).max(10_000).optional(),
  /** The label value counted as the favourable outcome in fairness (selection rate); absent = the positive class. */
  favourableOutcome: z.string().trim().min(1).max(300).optional(),
  /** Outcome values and the chosen decision threshold: evaluated, approved with the review and applied by serving. */
  value: zValueSettings.nullable().optional(),
});
export type RequestReviewInput = z.infer<typeof zRequestReviewInput>;

export const zReviewListFilter = z.enum(["all", "mine_to_review", "waiting", "decided", "requested_by_me"]);
export type ReviewListFilter = z.infer<typeof zReviewListFilter>;

export const zReviewSummary = z.object({
  id: z.number(),
  modelName: z.string(),
  modelVersion: z.string(),
  datasetName: z.string(),
  datasetVersion: z.number(),
  status: zReviewStatus,
  requestedBy: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  approvals: z.number(),
  requiredApprovals: z.number(),
  /** Criteria passed / total, once evaluated. */
  criteriaPassed: z.number().nullable(),
  criteriaTotal: z.number().nullable(),
});
export type ReviewSummary = z.infer<typeof zReviewSummary>;

/** An approval's written justification for one failing criterion. */
export const zExceptionJustification = z.object({
  key: z.string().min(1).max(300),
  justification: z.string().trim().min(1, "Write why this failing criterion is acceptable").max(10_000),
});
export type ExceptionJustification = z.infer<typeof zExceptionJustification>;

export const zReviewException = z.object({
  criterionKey: z.string(),
  /** The criterion and its measured result as they stood when the approval was given. */
  criterion: z.string(),
  result: z.string(),
  justification: z.string(),
});
export type ReviewException = z.infer<typeof zReviewException>;

/** One revision of the criteria: who set them and when, with the revision before it (null for the first or an unrecorded one). */
export const zCriteriaRevision = z.object({
  revision: z.number(),
  criteria: zAcceptanceCriteria,
  requiredApprovals: z.number(),
  changedBy: z.string(),
  changedAt: z.number(),
  previous: z.object({ revision: z.number(), criteria: zAcceptanceCriteria, requiredApprovals: z.number(), valueSettings: zValueSettings.nullable().optional() }).nullable(),
  /** Outcome values and decision threshold of this revision (null when the review has none). */
  valueSettings: zValueSettings.nullable().optional(),
});
export type CriteriaRevision = z.infer<typeof zCriteriaRevision>;

export const zReviewDecision = z.object({
  id: z.number(),
  reviewer: z.string(),
  decision: zDecisionKind,
  comment: z.string(),
  createdAt: z.number(),
  criteriaRevision: z.number(),
  /** Set when criteria were edited afterwards: the decision no longer counts. */
  invalidatedAt: z.number().nullable(),
  /** Set when the reviewer withdrew this approval; it no longer counts. */
  withdrawnAt: z.number().nullable(),
  withdrawnBy: z.string().nullable(),
  withdrawalReason: z.string().nullable(),
  /** Failing criteria this approval accepted, each with its justification. */
  exceptions: z.array(zReviewException),
});
export type ReviewDecision = z.infer<typeof zReviewDecision>;

export const zReviewComment = z.object({ id: z.number(), author: z.string(), body: z.string(), createdAt: z.number() });

export const zReviewJob = z.object({
  status: z.enum(["pending", "running", "done", "failed"]),
  progress: z.number(),
  stage: z.string(),
  error: z.string().nullable(),
});

export const zReviewDetail = zReviewSummary.extend({
  labelColumn: z.string(),
  sensitiveAttributes: z.array(z.string()),
  criteria: zAcceptanceCriteria,
  criteriaRevision: z.number(),
  context: zReviewContext,
  /** Outcome values and the chosen decision threshold (current revision); null when the request gave none. */
  valueSettings: zValueSettings.nullable().optional(),
  modelDigest: z.string().nullable(),
  datasetDigest: z.string(),
  /** Who registered the model version (cannot approve it). */
  modelOwner: z.string(),
  trainingOverlap: z.string().nullable(),
  /** The confirmed column order, when nothing named the model's columns (printed in the report and sign-off sheet). */
  columnMapping: zColumnMapping.nullable().optional(),
  /** The label value counted as favourable in fairness; null = the positive class. */
  favourableOutcome: z.string().nullable().optional(),
  evaluationError: z.string().nullable(),
  /** evaluationError as a catalogue sentence (null for failures stored before it was kept): the page says it in the reader's language. */
  evaluationErrorSentence: zServerSentence.nullable().optional(),
  job: zReviewJob.nullable(),
  report: zEvaluationReport.nullable(),
  criteriaResults: z.array(zCriterionResult).nullable(),
  decisions: z.array(zReviewDecision),
  /** Every revision of the criteria, oldest first. */
  revisions: z.array(zCriteriaRevision),
  /** Exceptions of the approvals that count now (under the current criteria, not withdrawn). */
  exceptions: z.array(zReviewException.extend({ approvedBy: z.string() })),
  comments: z.array(zReviewComment),
  decidedAt: z.number().nullable(),
  /** What the signed-in user may do here, and why not when they may not (shown next to disabled buttons). */
  permissions: z.object({
    canDecide: z.boolean(),
    cannotDecideReason: z.string().nullable(),
    /** The same reason as a catalogue code, so the page says it in the reader's language (absent: the English text). */
    cannotDecideMessage: zServerSentence.nullable().optional(),
    canEditCriteria: z.boolean(),
    canComment: z.boolean(),
    canReevaluate: z.boolean(),
    /** The signed-in reviewer's own approval that counts now and may be withdrawn; null when there is none. */
    withdrawableDecisionId: z.number().nullable(),
  }),
});
export type ReviewDetail = z.infer<typeof zReviewDetail>;

/** What the request form needs to start: the task, default criteria, the dataset's defaults and the training overlap warning. */
export const zReviewFormDefaults = z.object({
  task: zTask.nullable(),
  /** Why the model cannot be reviewed (no ONNX file, ZipMap output…); null when it can. */
  problem: z.string().nullable(),
  criteria: zAcceptanceCriteria,
  /** Registry dataset versions the model's lineage says it was trained on. */
  trainingDatasets: z.array(z.object({ name: z.string(), version: z.number() })),
  /** The model's single matrix input, and its column names when known; without names the form asks for the column order. */
  matrixInput: z.object({ inputName: z.string(), width: z.number().nullable(), names: z.array(z.string()).nullable() }).nullable().optional(),
  /** Present when a dataset version was given. */
  dataset: z
    .object({
      name: z.string(),
      version: z.number(),
      columns: z.array(z.string()),
      labelColumn: z.string().nullable(),
      sensitiveAttributes: z.array(z.string()),
      trainingOverlap: z.string().nullable(),
      /** Distinct values of the columns with few of them (from the profile), to pick the favourable label value. */
      columnValues: z.record(z.string(), z.array(z.string())).optional(),
    })
    .nullable(),
});
export type ReviewFormDefaults = z.infer<typeof zReviewFormDefaults>;

/** Whether a version may take the `production` alias, for the alias editor. */
export const zProductionGate = z.object({
  approved: z.boolean(),
  approvedReviewId: z.number().nullable(),
  message: z.string(),
  /** `message` as a catalogue code and values, so the page says it in the reader's language (English `message` unchanged). */
  messageSentence: zServerSentence.optional(),
  /** Failing criteria the approval accepted ("approved with 2 exceptions"). */
  exceptions: z.array(zReviewException.extend({ approvedBy: z.string() })).optional(),
});
export type ProductionGate = z.infer<typeof zProductionGate>;
