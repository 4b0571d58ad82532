// What the model is worth, end to end below the pages: a review requested with outcome values on the real
// breast-cancer forest is evaluated, its report's value equals a direct computation from onnxruntime-node's
// outputs, the expected-value criterion reads it, and moving the threshold on the curve is a new revision.
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { listAuditEntries } from "../auth/audit";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { registerDatasetVersion } from "../datasets/register-version";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { createUserAsSystem } from "../auth/accounts";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { clearTokenGrantCache, createToken } from "../auth/tokens";
import { promoteVersion } from "../deployments/deployments";
import { recordFeedback } from "../monitoring/feedback";
import { flushInferenceLog } from "../monitoring/inference-log";
import { getMonitoringView } from "../monitoring/monitoring";
import { handleServing } from "../serving/http";
import { ModelServer } from "../serving/model-server";
import { evaluationSessionOptions } from "./evaluate";
import { waitForReviewJobs } from "./review-jobs";
import { decideReview, getReview, requestReview, setDecisionThreshold } from "./reviews";
import { defaultCriteria } from "./schema";

const fixtures = path.join(import.meta.dirname, "../../fixtures");
const erin: Actor = { userId: "u-erin", username: "erin", role: "editor", via: "session" };
const rita: Actor = { userId: "u-rita", username: "rita", role: "reviewer", via: "session" };
const rob: Actor = { userId: "u-rob", username: "rob", role: "reviewer", via: "session" };
const ada: Actor = { userId: "u-ada", username: "ada", role: "admin", via: "session" };
const outcomes = { tp: 800, fp: -150, fn: -3000, tn: 20 };

/** The forest's p(malignant) and the labels of the test split, straight from onnxruntime-node. */
async function directScores(): Promise<{ labels: number[]; positive: number[]; features: string[]; rows: number[][] }> {
  const sidecar = JSON.parse(await readFile(path.join(fixtures, "models/breast-cancer-rf-v1.model.json"), "utf8")) as { feature_columns: string[] };
  // A numbers-only file: commas and newlines are all the parsing it needs.
  const table = (await readFile(path.join(fixtures, "datasets/breast_cancer.test.csv"), "utf8")).trim().split("\n").map((line) => line.split(","));
  const header = table[0]!;
  const rows = table.slice(1).filter((row) => row.length === header.length);
  const columns = sidecar.feature_columns.map((name) => header.indexOf(name));
  const data = Float32Array.from(rows.flatMap((row) => columns.map((c) => Number(row[c]))));
  // The evaluation's own session options: ORT's default pool has one thread per physical core, and a forest summed on
  // two threads differs from one thread's sum in the 7th digit, enough to move a row across a threshold.
  const session = await ort.InferenceSession.create(path.join(fixtures, "models/breast-cancer-rf-v1.onnx"), evaluationSessionOptions);
  const output = await session.run({ input: new ort.Tensor("float32", data, [rows.length, columns.length]) });
  const probabilities = output.probabilities!.data as Float32Array;
  await session.release();
  const label = header.indexOf("malignant");
  return {
    labels: rows.map((row) => Number(row[label])),
    positive: rows.map((_, i) => Math.min(1, Math.max(0, probabilities[i * 2 + 1]!))),
    features: sidecar.feature_columns,
    rows: rows.map((row) => columns.map((c) => Number(row[c]))),
  };
}

function directValuePer1000(labels: number[], positive: number[], threshold: number): number {
  let sum = 0;
  labels.forEach((label, i) => {
    const predicted = positive[i]! >= threshold;
    sum += label === 1 ? (predicted ? outcomes.tp : outcomes.fn) : predicted ? outcomes.fp : outcomes.tn;
  });
  return (1000 * sum) / labels.length;
}

describe.each(testBackends)("the value of a review on %s", (backend) => {
  let studio: TestStudio;
  let root: string;
  let direct: Awaited<ReturnType<typeof directScores>>;
  let reviewId: number;
  const as = (actor: Actor) => studio.as(actor);

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    root = await mkdtemp(path.join(os.tmpdir(), "studio-review-value-"));
    direct = await directScores();
    await registerDatasetVersion(
      as(erin),
      root,
      { name: "breast-cancer", format: "csv", masking: {}, labelColumn: "malignant", sensitiveAttributes: [] },
      createReadStream(path.join(fixtures, "datasets/breast_cancer.test.csv")),
    );
    await waitForDatasetJobs();
    await registerOnnxUpload(as(erin), { name: "bc", bytes: new Uint8Array(await readFile(path.join(fixtures, "models/breast-cancer-rf-v1.onnx"))) });
    const created = await requestReview(
      as(erin),
      {
        modelName: "bc",
        modelVersion: "1",
        datasetName: "breast-cancer",
        datasetVersion: 1,
        labelColumn: "malignant",
        sensitiveAttributes: [],
        criteria: { metricThresholds: [], maxGroupGap: null, maxNoiseDrop: null, edgeCasesMustNotCrash: false, minExpectedValuePer1000: 0 },
        requiredApprovals: 1,
        context: { businessGoal: "", expectedRoi: "", knownLimits: "" },
        columnOrder: direct.features,
        value: { currency: "EUR", outcomes, costPerUnitError: null, yearlyVolume: 20_000, threshold: 0.5 },
      },
      root,
    );
    reviewId = created.id;
    await waitForReviewJobs();
  });
  afterAll(async () => {
    await waitForReviewJobs();
    await studio.close();
    await rm(root, { recursive: true, force: true });
  });

  it("reports the expected value at the chosen threshold, the baselines and the best threshold as computed directly", async () => {
    const review = await getReview(as(erin), reviewId);
    expect(review.status).toBe("ready");
    expect(review.valueSettings).toMatchObject({ currency: "EUR", threshold: 0.5, yearlyVolume: 20_000, outcomes });
    const value = review.report!.value!;
    expect(value).toMatchObject({ currency: "EUR", threshold: 0.5, yearlyVolume: 20_000, regression: null });
    const binary = value.binary!;
    const { labels, positive } = direct;
    expect(binary.rowCount).toBe(labels.length);
    expect(binary.positives).toBe(labels.filter((l) => l === 1).length);
    const predicted = positive.map((p) => p >= 0.5);
    expect(binary.atThreshold).toMatchObject({
      threshold: 0.5,
      tp: labels.filter((l, i) => l === 1 && predicted[i]).length,
      fp: labels.filter((l, i) => l === 0 && predicted[i]).length,
      fn: labels.filter((l, i) => l === 1 && !predicted[i]).length,
    });
    expect(binary.atThreshold.perThousand).toBeCloseTo(directValuePer1000(labels, positive, 0.5), 6);
    expect(binary.atThreshold.perYear).toBeCloseTo((directValuePer1000(labels, positive, 0.5) / 1000) * 20_000, 4);
    const interval = binary.atThreshold.interval!;
    expect(interval.lower).toBeLessThan(binary.atThreshold.perThousand);
    expect(interval.upper).toBeGreaterThan(binary.atThreshold.perThousand);
    expect(binary.acceptAll.perThousand).toBeCloseTo(directValuePer1000(labels, positive, 0), 6);
    expect(binary.rejectAll.perThousand).toBeCloseTo(directValuePer1000(labels, positive, 2), 6);
    // Every point of the curve, and the best one, against the direct computation.
    binary.curve.thresholds.forEach((t, i) => expect(binary.curve.perThousand[i]).toBeCloseTo(directValuePer1000(labels, positive, t), 6));
    const bestDirect = Math.max(...binary.curve.thresholds.map((t) => directValuePer1000(labels, positive, t)));
    expect(binary.best.perThousand).toBeCloseTo(bestDirect, 6);
    // A false negative costs far more than a false positive here: the best threshold is below 0.5.
    expect(binary.best.threshold).toBeLessThan(0.5);
    const criterion = review.criteriaResults!.find((c) => c.key === "expected_value")!;
    expect(criterion.passed).toBe(binary.atThreshold.perThousand >= 0);
    expect(criterion.actual).toBeCloseTo(binary.atThreshold.perThousand, 6);
  });

  it("moves the threshold to a point of the curve as a new revision that voids decisions, and reads the value there", async () => {
    await decideReview(as(rita), { id: reviewId, decision: "request_changes", comment: "Use the best threshold" });
    const before = await getReview(as(erin), reviewId);
    // 0.2: a point of every curve (steps of 0.01) and, for this forest, below some malignant-leaning scores under 0.5.
    const best = { threshold: 0.2 };
    await expect(setDecisionThreshold(as(rita), { id: reviewId, threshold: best.threshold })).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    await expect(setDecisionThreshold(as(erin), { id: reviewId, threshold: 0.123456 })).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/not a point of the profit curve/) });
    const { criteriaRevision } = await setDecisionThreshold(as(erin), { id: reviewId, threshold: best.threshold });
    expect(criteriaRevision).toBe(before.criteriaRevision + 1);
    const after = await getReview(as(erin), reviewId);
    expect(after.status).toBe("ready");
    expect(after.valueSettings!.threshold).toBe(best.threshold);
    expect(after.decisions.every((d) => d.invalidatedAt !== null)).toBe(true);
    expect(after.revisions.at(-1)).toMatchObject({ revision: criteriaRevision, changedBy: "erin", valueSettings: { threshold: best.threshold }, previous: { valueSettings: { threshold: 0.5 } } });
    const criterion = after.criteriaResults!.find((c) => c.key === "expected_value")!;
    expect(criterion.actual).toBeCloseTo(directValuePer1000(direct.labels, direct.positive, best.threshold), 6);
    expect(criterion.sentence).toContain(`threshold ${best.threshold.toFixed(2)}`);
    const audit = await listAuditEntries(studio.db, { targetType: "review", targetId: String(reviewId) });
    expect(audit.some((e) => e.action === "review.threshold")).toBe(true);
  });

  it("serves the approved threshold: labels are p(positive) ≥ it, and the answer says which threshold", async () => {
    const review = await getReview(as(erin), reviewId);
    const failing = review.criteriaResults!.filter((c) => !c.passed).map((c) => ({ key: c.key, justification: "accepted for the test" }));
    await decideReview(as(rob), { id: reviewId, decision: "approve", comment: "", exceptions: failing });
    expect((await getReview(as(erin), reviewId)).status).toBe("approved");
    await promoteVersion(as(ada), { name: "bc", version: "1" });
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `svc-${backend}`, password: "serving-password-1", role: "viewer" }));
    const token = (await createToken(studio.as({ userId: user.userId, username: user.username, role: "viewer", via: "session" }), zCreateToken.parse({ name: "serve", scope: "serve" }))).token;
    clearTokenGrantCache();
    const server = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    try {
      // Rows the forest scores between the threshold and 0.5: malignant at 0.2, benign by the most probable class.
      const between = direct.positive.map((p, i) => ({ p, i })).filter(({ p }) => p >= 0.2 && p < 0.5);
      const below = direct.positive.map((p, i) => ({ p, i })).filter(({ p }) => p < 0.2);
      expect(between.length).toBeGreaterThan(0);
      const picked = [...between.slice(0, 3), ...below.slice(0, 2)];
      const rows = picked.map(({ i }) => direct.rows[i]!);
      const post = async (pathname: string, body: unknown, requestId = "value-test") => {
        const answer = await handleServing(
          {
            method: "POST",
            pathname,
            headers: new Headers({ authorization: `Bearer ${token}`, "content-type": "application/json", "x-request-id": requestId }),
            text: async () => JSON.stringify(body),
          },
          server,
        );
        return { ...answer, json: JSON.parse(answer.body) as Record<string, unknown> };
      };
      const mlflow = await post("/api/serve/bc/invocations", { dataframe_split: { columns: direct.features, data: rows } }, "value-mlflow-1");
      expect(mlflow.status, mlflow.body).toBe(200);
      expect(mlflow.headers["x-decision-threshold"]).toBe("0.2");
      expect(mlflow.headers["x-review-id"]).toBe(String(reviewId));
      const predictions = mlflow.json.predictions as { label: number; probabilities: number[] }[];
      expect(predictions.map((p) => p.label)).toEqual(picked.map(({ p }) => (p >= 0.2 ? 1 : 0)));
      // The first row scores under 0.5: the most probable class would be 0, the approved threshold makes it 1.
      expect(picked[0]!.p).toBeLessThan(0.5);
      expect(predictions[0]!.label).toBe(1);
      // The probabilities are the model's own, unchanged; the MLflow shape is unchanged (per-row {label, probabilities}).
      predictions.forEach((p, k) => expect(p.probabilities[1]).toBeCloseTo(picked[k]!.p, 6));
      const oip = await post("/v2/models/bc/infer", { inputs: [{ name: "input", shape: [rows.length, 30], datatype: "FP32", data: rows.flat() }], outputs: [{ name: "label" }] });
      expect(oip.status, oip.body).toBe(200);
      expect(oip.headers["x-decision-threshold"]).toBe("0.2");
      expect(oip.json.parameters).toEqual({ decision_threshold: 0.2 });
      const outputs = oip.json.outputs as { name: string; data: number[] }[];
      expect(outputs.map((o) => o.name)).toEqual(["label"]);
      expect(outputs[0]!.data).toEqual(picked.map(({ p }) => (p >= 0.2 ? 1 : 0)));

      // Monitoring: the true outcomes come back as feedback; the realised value uses the approved outcome values.
      await flushInferenceLog();
      const truths = picked.map(({ i }) => direct.labels[i]!);
      await recordFeedback(as(ada), { name: "bc", body: { request_id: "value-mlflow-1", labels: truths } });
      const view = await getMonitoringView(as(erin), { name: "bc", window: "hour" }, root);
      const served = picked.map(({ p }) => (p >= 0.2 ? 1 : 0));
      const counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
      served.forEach((s, k) => {
        const t = truths[k]!;
        if (t === 1 && s === 1) counts.tp++;
        else if (t === 0 && s === 1) counts.fp++;
        else if (t === 1) counts.fn++;
        else counts.tn++;
      });
      const realised = (1000 * (counts.tp * outcomes.tp + counts.fp * outcomes.fp + counts.fn * outcomes.fn + counts.tn * outcomes.tn)) / picked.length;
      expect(view.liveValue).toMatchObject({ reviewId, currency: "EUR", threshold: 0.2, count: picked.length, counts });
      expect(view.liveValue!.realisedPer1000).toBeCloseTo(realised, 6);
      expect(view.liveValue!.expectedPer1000).toBeCloseTo(directValuePer1000(direct.labels, direct.positive, 0.2), 6);
    } finally {
      await flushInferenceLog();
      await server.close();
    }
  });

  it("refuses outcome values for a model they do not fit", async () => {
    await registerOnnxUpload(as(erin), { name: "diabetes", bytes: new Uint8Array(await readFile(path.join(fixtures, "models/diabetes-ridge.onnx"))) });
    await expect(
      requestReview(
        as(erin),
        {
          modelName: "diabetes",
          modelVersion: "1",
          datasetName: "breast-cancer",
          datasetVersion: 1,
          labelColumn: "malignant",
          sensitiveAttributes: [],
          criteria: defaultCriteria("regression"),
          requiredApprovals: 1,
          context: { businessGoal: "", expectedRoi: "", knownLimits: "" },
          value: { currency: "EUR", outcomes, costPerUnitError: null, yearlyVolume: null, threshold: 0.5 },
        },
        root,
      ),
    ).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/apply to binary classifiers/) });
  });
});
