// The comparison with production end to end below the pages: the version holding the `production` alias is scored on
// the review's rows; deltas equal two separately computed reports, the disagreement rate equals onnxruntime-node's own
// predictions, relative criteria pass or say they do not apply; fairness gets intervals, proxies and the chosen outcome.
import { createReadStream, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as ort from "onnxruntime-node";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcnemarFromPredictions } from "@/lib/mcnemar";
import type { Actor } from "../auth/actor";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { registerDatasetVersion } from "../datasets/register-version";
import { modelStorePath, sha256Hex } from "../registry/model-store";
import { introspectOnnx } from "../registry/onnx-introspection";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { setModelAlias } from "../registry/registered-models";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { evaluateModel } from "./evaluate";
import { comparisonReport } from "./evaluate-comparison";
import { waitForReviewJobs } from "./review-jobs";
import { getReview, requestReview, reviewFormDefaults } from "./reviews";
import { defaultCriteria, type AcceptanceCriteria, type EvaluationReport } from "./schema";

const fixtures = path.join(import.meta.dirname, "../../fixtures");
const erin: Actor = { userId: "u-erin", username: "erin", role: "editor", via: "session" };
const ada: Actor = { userId: "u-ada", username: "ada", role: "admin", via: "session" };

const modelBytes = (name: string) => new Uint8Array(readFileSync(path.join(fixtures, "models", `${name}.onnx`)));
const sidecar = (name: string) => JSON.parse(readFileSync(path.join(fixtures, "models", `${name}.model.json`), "utf8")) as { feature_columns: string[]; label_column: string };

/** Each row's predicted class straight from onnxruntime-node (argmax of the probabilities), not through the evaluator. */
async function directPredictions(model: string, csv: string): Promise<number[]> {
  const rows = Papa.parse<Record<string, string>>(readFileSync(csv, "utf8"), { header: true, skipEmptyLines: true }).data;
  const features = sidecar(model).feature_columns;
  const data = new Float32Array(rows.length * features.length);
  rows.forEach((row, r) => features.forEach((feature, c) => (data[r * features.length + c] = Number(row[feature]))));
  const session = await ort.InferenceSession.create(modelBytes(model));
  try {
    const output = await session.run({ input: new ort.Tensor("float32", data, [rows.length, features.length]) }, ["probabilities"]);
    const probabilities = output.probabilities.data as Float32Array;
    return rows.map((_, r) => (probabilities[r * 2 + 1] > probabilities[r * 2] ? 1 : 0));
  } finally {
    await session.release();
  }
}

/** Each row's p(class 1) straight from onnxruntime-node. */
async function directPositiveProbabilities(model: string, csv: string): Promise<number[]> {
  const rows = Papa.parse<Record<string, string>>(readFileSync(csv, "utf8"), { header: true, skipEmptyLines: true }).data;
  const features = sidecar(model).feature_columns;
  const data = new Float32Array(rows.length * features.length);
  rows.forEach((row, r) => features.forEach((feature, c) => (data[r * features.length + c] = Number(row[feature]))));
  const session = await ort.InferenceSession.create(modelBytes(model));
  try {
    const output = await session.run({ input: new ort.Tensor("float32", data, [rows.length, features.length]) }, ["probabilities"]);
    const probabilities = output.probabilities.data as Float32Array;
    return rows.map((_, r) => probabilities[r * 2 + 1]);
  } finally {
    await session.release();
  }
}

describe.each(testBackends)("comparison with the production version on %s", (backend) => {
  let studio: TestStudio;
  let root: string;
  let breastVersion: number;
  let creditVersion: number;
  const as = (actor: Actor) => studio.as(actor);
  const breastCsv = path.join(fixtures, "datasets/breast_cancer.test.csv");
  const relative: AcceptanceCriteria = {
    ...defaultCriteria("binary"),
    maxGroupGap: null,
    relativeThresholds: [
      { metric: "accuracy", tolerance: 0.01 },
      { metric: "roc_auc", tolerance: 0 },
    ],
  };

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    root = await mkdtemp(path.join(os.tmpdir(), "studio-comparison-datasets-"));
    const breast = await registerDatasetVersion(as(erin), root, { name: "breast-cancer", format: "csv", masking: {}, labelColumn: "malignant", sensitiveAttributes: [] }, createReadStream(breastCsv));
    const credit = await registerDatasetVersion(
      as(erin),
      root,
      { name: "credit-applications", format: "csv", masking: {}, labelColumn: "approved", sensitiveAttributes: ["sex"] },
      createReadStream(path.join(fixtures, "datasets/credit.test.csv")),
    );
    breastVersion = breast.version.version;
    creditVersion = credit.version.version;
    await waitForDatasetJobs();
    // The champion (v1) holds production by an admin's override; the challenger (v2) is reviewed against it.
    await registerOnnxUpload(as(erin), { name: "breast-cancer-rf", bytes: modelBytes("breast-cancer-rf-v1") });
    await registerOnnxUpload(as(erin), { name: "breast-cancer-rf", bytes: modelBytes("breast-cancer-rf-v2") });
    await setModelAlias(as(ada), { name: "breast-cancer-rf", version: "1", alias: "production", overrideReason: "The champion served before reviews existed" });
    await registerOnnxUpload(as(erin), { name: "credit-logreg", bytes: modelBytes("credit-logreg") });
  });
  afterAll(async () => {
    await waitForReviewJobs();
    await waitForDatasetJobs();
    await studio.close();
    await rm(root, { recursive: true, force: true });
  });

  it("scores the production version on the review's rows: deltas of two separate reports, the direct disagreement rate, McNemar", async () => {
    // Nothing names the matrix input's 30 columns here: the requester confirms them, and production is fed the same.
    const columns = sidecar("breast-cancer-rf-v1").feature_columns;
    const { id } = await requestReview(
      as(erin),
      { modelName: "breast-cancer-rf", modelVersion: "2", datasetName: "breast-cancer", datasetVersion: breastVersion, labelColumn: "malignant", sensitiveAttributes: [], criteria: relative, requiredApprovals: 1, context: { businessGoal: "", expectedRoi: "", knownLimits: "" }, columnOrder: columns },
      root,
    );
    await waitForReviewJobs();
    const review = await getReview(as(erin), id);
    expect(review.status).toBe("ready");
    const comparison = review.report!.comparison!;
    expect(comparison.problem).toBeNull();
    expect(comparison.productionVersion).toBe("1");

    const separately = async (model: string): Promise<EvaluationReport> => {
      const onnx = modelBytes(model);
      return evaluateModel({ onnx, modelDigest: model, introspection: introspectOnnx(onnx), datasetPath: breastCsv, datasetFormat: "csv", datasetDigest: "d", labelColumn: "malignant", sensitiveAttributes: [], columnOrder: columns });
    };
    const [v1, v2] = [await separately("breast-cancer-rf-v1"), await separately("breast-cancer-rf-v2")];
    const value = (report: EvaluationReport, metric: string) =>
      ({ accuracy: report.classification!.accuracy, macro_precision: report.classification!.macro.precision, macro_recall: report.classification!.macro.recall, macro_f1: report.classification!.macro.f1, roc_auc: report.classification!.rocAuc!, log_loss: report.classification!.logLoss })[metric]!;
    expect(comparison.metrics.map((row) => row.metric)).toEqual(["accuracy", "macro_precision", "macro_recall", "macro_f1", "roc_auc", "log_loss"]);
    for (const row of comparison.metrics) {
      expect(row.candidate, row.metric).toBeCloseTo(value(v2, row.metric), 12);
      expect(row.production, row.metric).toBeCloseTo(value(v1, row.metric), 12);
      expect(row.delta, row.metric).toBeCloseTo(value(v2, row.metric) - value(v1, row.metric), 12);
    }
    // The fixtures' README: v1 accuracy 0.972, v2 0.944 — the challenger is worse on accuracy, better on AUC.
    expect(comparison.metrics[0].verdict).toBe("worse");

    const labels = Papa.parse<Record<string, string>>(readFileSync(breastCsv, "utf8"), { header: true, skipEmptyLines: true }).data.map((row) => Number(row.malignant));
    const [p1, p2] = [await directPredictions("breast-cancer-rf-v1", breastCsv), await directPredictions("breast-cancer-rf-v2", breastCsv)];
    const differing = p1.filter((label, row) => label !== p2[row]).length;
    expect(differing).toBeGreaterThan(0);
    expect(comparison.disagreements).toBe(differing);
    expect(comparison.disagreementRate).toBeCloseTo(differing / labels.length, 12);
    expect(comparison.mcnemar).toEqual(mcnemarFromPredictions(labels, p2, p1));

    const results = review.criteriaResults!;
    const accuracyResult = results.find((result) => result.key === "relative:accuracy")!;
    // 0.944 against 0.972: more than the allowed drop of 0.01.
    expect(accuracyResult.passed).toBe(false);
    expect(accuracyResult.sentence).toMatch(/production version 1/);
  });

  it("gives production's expected value at the chosen threshold, equal to a direct count from onnxruntime-node's probabilities, and checks 'expected value ≥ production's'", async () => {
    const columns = sidecar("breast-cancer-rf-v1").feature_columns;
    const outcomes = { tp: 120, fp: -40, fn: -300, tn: 5 };
    const threshold = 0.4;
    const { id } = await requestReview(
      as(erin),
      {
        modelName: "breast-cancer-rf",
        modelVersion: "2",
        datasetName: "breast-cancer",
        datasetVersion: breastVersion,
        labelColumn: "malignant",
        sensitiveAttributes: [],
        criteria: { ...defaultCriteria("binary"), maxGroupGap: null, expectedValueAtLeastProduction: true },
        requiredApprovals: 1,
        context: { businessGoal: "", expectedRoi: "", knownLimits: "" },
        columnOrder: columns,
        value: { currency: "EUR", outcomes, costPerUnitError: null, yearlyVolume: 10_000, threshold },
      },
      root,
    );
    await waitForReviewJobs();
    const review = await getReview(as(erin), id);
    expect(review.status).toBe("ready");
    const compared = review.report!.comparison!.expectedValue!;
    const labels = Papa.parse<Record<string, string>>(readFileSync(breastCsv, "utf8"), { header: true, skipEmptyLines: true }).data.map((row) => Number(row.malignant));
    const direct = (probabilities: number[]) => {
      let sum = 0;
      probabilities.forEach((p, row) => {
        const positive = p >= threshold;
        sum += labels[row] === 1 ? (positive ? outcomes.tp : outcomes.fn) : positive ? outcomes.fp : outcomes.tn;
      });
      return (1000 * sum) / labels.length;
    };
    const production = direct(await directPositiveProbabilities("breast-cancer-rf-v1", breastCsv));
    const candidate = direct(await directPositiveProbabilities("breast-cancer-rf-v2", breastCsv));
    expect(compared).toMatchObject({ currency: "EUR", threshold });
    expect(compared.productionPer1000).toBeCloseTo(production, 9);
    expect(compared.candidatePer1000).toBeCloseTo(candidate, 9);
    expect(compared.delta).toBeCloseTo(candidate - production, 9);
    expect(compared.productionCurve.tp).toHaveLength(review.report!.value!.binary!.curve.thresholds.length);

    const result = review.criteriaResults!.find((row) => row.key === "expected_value_vs_production")!;
    expect(result.passed).toBe(candidate >= production);
    expect(result.notApplicable).toBeUndefined();
    expect(result.sentence).toContain("for production");
  });

  it("offers the label column's values for the favourable outcome in the request form", async () => {
    const defaults = await reviewFormDefaults(as(erin), { modelName: "credit-logreg", modelVersion: "1", datasetName: "credit-applications", datasetVersion: creditVersion });
    expect(defaults.dataset?.columnValues?.approved).toEqual(["0", "1"]);
    expect(defaults.dataset?.columnValues?.sex).toEqual(["F", "M"]);
    expect(defaults.dataset?.columnValues?.income).toBeUndefined();
  });

  it("flags the sensitive attribute that is a model input, gives intervals and small groups, and says relative criteria do not apply without production", async () => {
    const { id } = await requestReview(
      as(erin),
      {
        modelName: "credit-logreg",
        modelVersion: "1",
        datasetName: "credit-applications",
        datasetVersion: creditVersion,
        labelColumn: "approved",
        sensitiveAttributes: ["sex"],
        criteria: relative,
        requiredApprovals: 1,
        context: { businessGoal: "", expectedRoi: "", knownLimits: "" },
        favourableOutcome: "1",
      },
      root,
    );
    await waitForReviewJobs();
    const review = await getReview(as(erin), id);
    expect(review.status).toBe("ready");
    expect(review.favourableOutcome).toBe("1");
    expect(review.report!.comparison).toBeNull();
    const [sex] = review.report!.fairness;
    expect(sex.favourableOutcome).toBe("1");
    expect(sex.proxies![0]).toEqual({ feature: "sex", measure: "direct", strength: 1 });
    expect(sex.proxyThreshold).toBe(0.5);
    expect(sex.smallGroups).toEqual([]);
    for (const group of sex.groups) {
      const interval = sex.intervals!.groups.find((entry) => entry.group === group.group)!;
      expect(interval.selectionRate.lower).toBeLessThanOrEqual(group.selectionRate);
      expect(interval.selectionRate.upper).toBeGreaterThanOrEqual(group.selectionRate);
    }
    expect(sex.intervals!.demographicParityDifference.lower).toBeLessThanOrEqual(sex.demographicParityDifference);
    const relativeResults = review.criteriaResults!.filter((result) => result.key.startsWith("relative:"));
    expect(relativeResults.map((result) => [result.passed, result.notApplicable])).toEqual([
      [true, true],
      [true, true],
    ]);
  });

  it("counts the outcome the requester calls favourable: choosing 0 turns each selection rate into its complement", async () => {
    const onnx = modelBytes("credit-logreg");
    const base = { onnx, modelDigest: "m", introspection: introspectOnnx(onnx), datasetPath: path.join(fixtures, "datasets/credit.test.csv"), datasetFormat: "csv" as const, datasetDigest: "d", labelColumn: "approved", sensitiveAttributes: ["sex"] };
    const approved = await evaluateModel(base);
    const refused = await evaluateModel({ ...base, favourableOutcome: "0" });
    expect(refused.fairness[0].favourableOutcome).toBe("0");
    refused.fairness[0].groups.forEach((group, index) => expect(group.selectionRate).toBeCloseTo(1 - approved.fairness[0].groups[index].selectionRate, 12));
    await expect(evaluateModel({ ...base, favourableOutcome: "maybe" })).rejects.toThrow(/favourable outcome 'maybe' is not one of the model's classes/);
  });

  it("still evaluates when the production version's stored bytes were altered, saying why there is no comparison", async () => {
    const storePath = path.join(studio.artifactRoot, modelStorePath(sha256Hex(modelBytes("breast-cancer-rf-v1"))));
    await writeFile(storePath, modelBytes("breast-cancer-rf-v2"));
    const { id } = await requestReview(
      as(erin),
      { modelName: "breast-cancer-rf", modelVersion: "2", datasetName: "breast-cancer", datasetVersion: breastVersion, labelColumn: "malignant", sensitiveAttributes: [], criteria: relative, requiredApprovals: 1, context: { businessGoal: "", expectedRoi: "", knownLimits: "" }, columnOrder: sidecar("breast-cancer-rf-v1").feature_columns },
      root,
    );
    await waitForReviewJobs();
    const review = await getReview(as(erin), id);
    expect(review.status).toBe("ready");
    expect(review.report!.comparison!.problem).toMatch(/^The production version 1 could not be scored on these rows: .*altered after registration/);
    const accuracyResult = review.criteriaResults!.find((result) => result.key === "relative:accuracy")!;
    expect(accuracyResult.passed).toBe(false);
    expect(accuracyResult.notApplicable).toBeUndefined();
  });
});

describe("comparisonReport (pure)", () => {
  const base = { classLabels: [], truths: [], predictedClasses: [], predictedValues: [], fairness: [], groupsByAttribute: new Map(), favourableIndex: 1 };

  it("compares regressors on their error metrics, lower being better, with no disagreement rate", () => {
    const truths = [1, 2, 3, 4];
    const report = comparisonReport({ version: "4", digest: "p" }, { ...base, task: "regression", classes: [], truths, metrics: { rmse: 0.5, mae: 0.5, r2: 0.8 } }, { task: "regression", classes: [], outputs: Float64Array.from([1, 2, 3, 5]) });
    // Production: errors 0, 0, 0, 1 → RMSE √(1/4) = 0.5, MAE 0.25, R² = 1 − 1/5 = 0.8.
    expect(report.metrics.map((row) => [row.metric, row.production, row.verdict])).toEqual([
      ["rmse", 0.5, "same"],
      ["mae", 0.25, "worse"],
      ["r2", 0.8, "same"],
    ]);
    expect(report.disagreementRate).toBeNull();
    expect(report.mcnemar).toBeNull();
  });

  it("costs production's regression errors at the same cost per unit of error", () => {
    const truths = [1, 2, 3, 4];
    const value = {
      currency: "EUR",
      yearlyVolume: null,
      threshold: 0.5,
      binary: null,
      regression: { costPerUnitError: 10, meanAbsoluteError: 0.5, perDecision: -5, perThousand: -5000, perYear: null, interval: null },
    };
    const report = comparisonReport(
      { version: "4", digest: "p" },
      { ...base, task: "regression", classes: [], truths, metrics: { rmse: 0.5, mae: 0.5, r2: 0.8 }, value },
      { task: "regression", classes: [], outputs: Float64Array.from([1, 2, 3, 5]) },
    );
    // Production's MAE is 0.25: 10 × 0.25 × 1,000 = 2,500 per 1,000 decisions.
    expect(report.expectedValue).toMatchObject({ currency: "EUR", candidatePer1000: -5000, productionPer1000: -2500, delta: -2500 });
  });

  it("puts production's probability columns in the candidate's class order, and refuses other classes", () => {
    const candidate = { ...base, task: "binary" as const, classes: ["no", "yes"], classLabels: [0, 1, 1], predictedClasses: [0, 1, 0], metrics: { accuracy: 2 / 3 } };
    // Production lists "yes" first: its rows [0.2, 0.8] mean p(no) = 0.8.
    const report = comparisonReport({ version: "1", digest: "p" }, candidate, { task: "binary", classes: ["yes", "no"], outputs: Float64Array.from([0.2, 0.8, 0.9, 0.1, 0.7, 0.3]) });
    expect(report.disagreements).toBe(1);
    expect(report.metrics.find((row) => row.metric === "accuracy")).toMatchObject({ production: 1, delta: 2 / 3 - 1, verdict: "worse" });
    const other = comparisonReport({ version: "1", digest: "p" }, candidate, { task: "binary", classes: ["a", "b"], outputs: new Float64Array(6) });
    expect(other.problem).toMatch(/predicts the classes a, b, this version no, yes/);
    expect(other.metrics).toEqual([]);
  });
});
