// Test support: evaluation reports and reviews shaped like the evaluator's output (binary with fairness, multiclass, regression), validated by the zod contract.
import { defaultCriteria, zEvaluationReport, zReviewDetail, type EvaluationReport, type ReviewDetail } from "@/server/review/schema";

const provenance = {
  modelDigest: "a1".repeat(32),
  datasetDigest: "b2".repeat(32),
  evaluatorVersion: "review-evaluator 1.0.0",
  onnxruntimeVersion: "1.20.1",
  nodeVersion: "v22.11.0",
  seed: 42,
  createdAt: Date.UTC(2026, 10, 20, 10, 0, 0),
};

const edgeCases = (features: string[]) =>
  features.flatMap((feature) =>
    (["min", "max", "far_out_of_range", "zero", "missing"] as const).map((edgeCase) => ({
      feature,
      case: edgeCase,
      input: edgeCase === "missing" ? null : edgeCase === "zero" ? 0 : 1e6,
      ok: true,
      output: "class 1 (p = 0.83)",
      error: null,
    })),
  );

export function binaryReport(overrides: Partial<EvaluationReport> = {}): EvaluationReport {
  const features = ["age", "income", "tenure", "balance"];
  return zEvaluationReport.parse({
    task: "binary",
    rowCount: 143,
    labelColumn: "approved",
    features,
    primaryMetric: { name: "accuracy", value: 0.972 },
    classification: {
      classes: ["0", "1"],
      accuracy: 0.972,
      macro: { precision: 0.97, recall: 0.968, f1: 0.969 },
      perClass: [
        { className: "0", precision: 0.96, recall: 0.96, f1: 0.96, support: 53 },
        { className: "1", precision: 0.98, recall: 0.976, f1: 0.978, support: 90 },
      ],
      rocAuc: 0.9954,
      logLoss: 0.0912,
      confusionMatrix: [
        [51, 2],
        [2, 88],
      ],
      rocCurve: { fpr: [0, 0.02, 0.1, 1], tpr: [0, 0.9, 0.98, 1] },
      calibration: { probTrue: [0.05, 0.5, 0.95], probPred: [0.04, 0.48, 0.97], counts: [50, 10, 83] },
    },
    regression: null,
    fairness: [
      {
        attribute: "sex",
        groups: [
          { group: "F", size: 70, positives: 22, negatives: 48, selectionRate: 0.31, accuracy: 0.97, truePositiveRate: 0.95, falsePositiveRate: 0.02 },
          { group: "M", size: 73, positives: 18, negatives: 55, selectionRate: 0.24, accuracy: 0.975, truePositiveRate: 0.94, falsePositiveRate: 0.03 },
        ],
        demographicParityDifference: 0.07,
        demographicParityRatio: 0.7742,
        equalOpportunityDifference: 0.01,
      },
    ],
    robustness: [
      { perturbation: "noise_0.1", label: "Gaussian noise 0.1 std", metric: "accuracy", value: 0.96, drop: 0.012, error: null },
      { perturbation: "noise_0.3", label: "Gaussian noise 0.3 std", metric: "accuracy", value: 0.93, drop: 0.042, error: null },
      { perturbation: "missing_10pct", label: "10% missing values", metric: "accuracy", value: 0, drop: 0, error: "the model refused NaN inputs" },
    ],
    importance: {
      metric: "accuracy",
      baseline: 0.972,
      repeats: 5,
      seed: 42,
      features: [
        { feature: "income", mean: 0.12, std: 0.01, importances: [0.11, 0.12, 0.13, 0.12, 0.12] },
        { feature: "age", mean: 0.05, std: 0.005, importances: [0.05, 0.05, 0.05, 0.05, 0.05] },
        { feature: "tenure", mean: 0.02, std: 0.004, importances: [0.02, 0.02, 0.02, 0.02, 0.02] },
        { feature: "balance", mean: 0, std: 0, importances: [0, 0, 0, 0, 0] },
      ],
    },
    edgeCases: edgeCases(features),
    timings: { total: 812 },
    provenance,
    notes: ["rows with a missing label were left out: 3"],
    ...overrides,
  });
}

export function multiclassReport(): EvaluationReport {
  return binaryReport({
    task: "multiclass",
    rowCount: 150,
    labelColumn: "species",
    classification: {
      classes: ["setosa", "versicolor", "virginica"],
      accuracy: 0.9533,
      macro: { precision: 0.954, recall: 0.9533, f1: 0.9533 },
      perClass: [
        { className: "setosa", precision: 1, recall: 1, f1: 1, support: 50 },
        { className: "versicolor", precision: 0.94, recall: 0.94, f1: 0.94, support: 50 },
        { className: "virginica", precision: 0.92, recall: 0.92, f1: 0.92, support: 50 },
      ],
      rocAuc: 0.99,
      logLoss: 0.12,
      confusionMatrix: [
        [50, 0, 0],
        [0, 47, 3],
        [0, 4, 46],
      ],
      rocCurve: null,
      calibration: null,
    },
    fairness: [],
  });
}

export function regressionReport(): EvaluationReport {
  return binaryReport({
    task: "regression",
    rowCount: 442,
    labelColumn: "progression",
    primaryMetric: { name: "r2", value: 0.452 },
    classification: null,
    regression: { rmse: 53.85, mae: 43.27, r2: 0.452, residuals: { predicted: [100, 150, 200], residual: [-10, 5, 20] } },
    fairness: [],
    robustness: [{ perturbation: "noise_0.1", label: "Gaussian noise 0.1 std", metric: "rmse", value: 56.15, drop: 2.3, error: null }],
    importance: { metric: "r2", baseline: 0.452, repeats: 5, seed: 42, features: [] },
    edgeCases: [],
  });
}

export function sampleReview(overrides: Partial<ReviewDetail> = {}): ReviewDetail {
  const report = overrides.report === undefined ? binaryReport() : overrides.report;
  return zReviewDetail.parse({
    id: 12,
    modelName: "credit-rf",
    modelVersion: "3",
    datasetName: "credit-holdout",
    datasetVersion: 2,
    status: "ready",
    requestedBy: "dana",
    createdAt: Date.UTC(2026, 10, 20, 9, 0, 0),
    updatedAt: Date.UTC(2026, 10, 20, 10, 0, 0),
    approvals: 0,
    requiredApprovals: 2,
    criteriaPassed: 3,
    criteriaTotal: 4,
    labelColumn: "approved",
    sensitiveAttributes: ["sex"],
    criteria: defaultCriteria("binary"),
    criteriaRevision: 1,
    context: { businessGoal: "Approve small loans faster", expectedRoi: "2 FTE", knownLimits: "Trained on 2024 data only" },
    modelDigest: provenance.modelDigest,
    datasetDigest: provenance.datasetDigest,
    modelOwner: "dana",
    trainingOverlap: null,
    evaluationError: null,
    job: { status: "done", progress: 1, stage: "done", error: null },
    report,
    criteriaResults: [
      { key: "metric:accuracy", description: "accuracy ≥ 0.80", passed: true, actual: 0.972, sentence: "accuracy is 0.97, at least 0.80 as required" },
      { key: "metric:roc_auc", description: "ROC AUC ≥ 0.75", passed: true, actual: 0.9954, sentence: "ROC AUC is 0.995, at least 0.75 as required" },
      { key: "group_gap:sex", description: "group gap ≤ 10 points", passed: true, actual: 0.07, sentence: "the gap for sex is 7 points, within 10" },
      { key: "edge_cases", description: "edge cases must not crash", passed: false, actual: null, sentence: "2 edge-case inputs crashed the model" },
    ],
    decisions: [
      { id: 1, reviewer: "rita", decision: "approve", comment: "Looks good", createdAt: Date.UTC(2026, 10, 20, 11, 0, 0), criteriaRevision: 0, invalidatedAt: Date.UTC(2026, 10, 20, 12, 0, 0), withdrawnAt: null, withdrawnBy: null, withdrawalReason: null, exceptions: [] },
      { id: 2, reviewer: "sam", decision: "request_changes", comment: "Check <b>edge</b> cases", createdAt: Date.UTC(2026, 10, 20, 13, 0, 0), criteriaRevision: 1, invalidatedAt: null, withdrawnAt: null, withdrawnBy: null, withdrawalReason: null, exceptions: [] },
    ],
    revisions: [
      { revision: 1, criteria: defaultCriteria("binary"), requiredApprovals: 2, changedBy: "dana", changedAt: Date.UTC(2026, 10, 20, 9, 0, 0), previous: null },
    ],
    exceptions: [],
    comments: [
      { id: 1, author: "rita", body: "First <script>alert(1)</script> comment", createdAt: Date.UTC(2026, 10, 20, 11, 0, 0) },
      { id: 2, author: "dana", body: "Second comment", createdAt: Date.UTC(2026, 10, 20, 12, 0, 0) },
    ],
    decidedAt: null,
    permissions: { canDecide: false, cannotDecideReason: "You registered this model version, so someone else must review it.", canEditCriteria: true, canComment: true, canReevaluate: true, withdrawableDecisionId: null },
    ...overrides,
    ...(overrides.report === undefined ? {} : { report }),
  });
}
