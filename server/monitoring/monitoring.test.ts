// Monitoring end to end on the drift fixture: served rows are logged in batches, drift is judged per window against
// the training split, feedback gives live accuracy, the flag names the shifted features, and rollback works.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import Papa from "papaparse";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { inferenceLog } from "@/db/schema";
import type { Actor } from "../auth/actor";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { registerDatasetVersion } from "../datasets/register-version";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { findRegisteredModel, findVersionByAlias } from "../registry/model-versions";
import { aliasHistory, listDeployments, promoteVersion, rollbackProduction } from "../deployments/deployments";
import { recordFeedback } from "./feedback";
import { flushInferenceLog, loggingSettings, recordInference } from "./inference-log";
import { getMonitoringView, listModelFlags, updateMonitoringSettings } from "./monitoring";
import { defaultMonitoringThresholds } from "./schema";

const fixtures = path.join(import.meta.dirname, "../../fixtures");
const SHIFTED = ["mean_radius", "mean_texture", "worst_concavity"];
const viewer: Actor = { userId: "u-viewer", username: "vera", role: "viewer", via: "session" };
const editor: Actor = { userId: "u-editor", username: "eddie", role: "editor", via: "session" };

async function readCsv(name: string): Promise<{ columns: string[]; rows: Record<string, number>[] }> {
  const parsed = Papa.parse<Record<string, number>>(await readFile(path.join(fixtures, "datasets", name), "utf8"), {
    header: true,
    dynamicTyping: true,
    skipEmptyLines: true,
  });
  return { columns: parsed.meta.fields ?? [], rows: parsed.data };
}

describe.each(testBackends)("monitoring on %s", (backend) => {
  let studio: TestStudio;
  let root: string;
  let session: ort.InferenceSession;
  const previousRoot = process.env.STUDIO_DATASET_ROOT;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    root = await mkdtemp(path.join(os.tmpdir(), "studio-monitoring-"));
    process.env.STUDIO_DATASET_ROOT = root;
    const train = await readFile(path.join(fixtures, "datasets/breast_cancer.train.csv"));
    await registerDatasetVersion(
      studio,
      root,
      { name: "bc-train", format: "csv", description: "", source: "", licence: "", note: "", labelColumn: "malignant", masking: {} },
      Readable.from([train]),
    );
    await waitForDatasetJobs();
    const bytes = new Uint8Array(await readFile(path.join(fixtures, "models/breast-cancer-rf-v1.onnx")));
    await registerOnnxUpload(studio, { name: "bc", bytes });
    await registerOnnxUpload(studio, { name: "bc", bytes });
    session = await ort.InferenceSession.create(bytes);
  });
  afterAll(async () => {
    await flushInferenceLog();
    await studio.close();
    await rm(root, { recursive: true, force: true });
    process.env.STUDIO_DATASET_ROOT = previousRoot;
  });

  /** Serves the file's rows through the model as single-row requests, logged as the endpoints log them. */
  async function replay(file: string, at: number, prefix: string): Promise<{ requestIds: string[]; labels: number[]; predictions: number[] }> {
    const model = await findRegisteredModel(studio.db, "bc");
    const production = await findVersionByAlias(studio.db, "bc", "production");
    const { columns, rows } = await readCsv(file);
    const features = columns.filter((c) => c !== "malignant");
    const input = new Float32Array(rows.length * features.length);
    rows.forEach((row, r) => features.forEach((f, c) => (input[r * features.length + c] = row[f])));
    const out = await session.run({ input: new ort.Tensor("float32", input, [rows.length, features.length]) });
    const predicted = Array.from(out.label.data as BigInt64Array, Number);
    const requestIds = rows.map((_, r) => `${prefix}-${r}`);
    rows.forEach((row, r) =>
      recordInference(studio.db, {
        modelId: model.modelId,
        versionId: production.versionId,
        requestId: requestIds[r],
        at: at + r,
        latencyMs: 1 + (r % 5),
        inputs: Object.fromEntries(features.map((f) => [f, [row[f]]])),
        predictions: [predicted[r]],
        protocol: "mlflow",
      }),
    );
    await flushInferenceLog();
    return { requestIds, labels: rows.map((row) => row.malignant), predictions: predicted };
  }

  it("promotes, and serving traffic from the drifted file flags exactly the shifted features", async () => {
    await promoteVersion(studio, { name: "bc", version: "1", overrideReason: "monitoring test: no review needed" });
    await updateMonitoringSettings(studio, {
      name: "bc",
      sampleRate: 1,
      retentionDays: 30,
      thresholds: defaultMonitoringThresholds,
      reference: { datasetName: "bc-train", version: 1 },
    });
    const hour = 3_600_000;
    const thisHour = Math.floor(Date.now() / hour) * hour;
    await replay("breast_cancer.production-stable.csv", thisHour - hour, "stable");
    const drifted = await replay("breast_cancer.production-drifted.csv", thisHour, "drifted");

    const view = await getMonitoringView(studio, { name: "bc", window: "hour" });
    expect(view.reference).toMatchObject({ datasetName: "bc-train", version: 1, rowCount: 426, source: "chosen" });
    const [previous, latest] = view.windows.slice(-2);
    expect(previous.requests).toBe(143);
    expect(previous.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual([]);
    expect(latest.requests).toBe(143);
    expect(latest.features).toHaveLength(30);
    // 426-row reference ≤ 1,000: numeric features use the KS p-value.
    expect(latest.features.every((f) => f.test === "ks")).toBe(true);
    expect(latest.features.filter((f) => f.drifted).map((f) => f.feature).sort()).toEqual([...SHIFTED].sort());
    expect(latest.driftShare).toBeCloseTo(3 / 30, 10);
    expect(latest.datasetDrifted).toBe(false);
    expect(latest.latencyP50).toBe(3);
    expect(view.flag.flagged).toBe(true);
    expect(view.flag.reasons.join(" ")).toMatch(/3 of 30 features drifted .*mean_radius, mean_texture, worst_concavity/);
    expect(await listModelFlags(studio)).toHaveProperty("bc");

    // Ground truth arrives for the drifted window: live accuracy is the share of logged predictions that were right.
    const result = await recordFeedback(studio, {
      name: "bc",
      body: { feedback: drifted.requestIds.map((id, r) => ({ request_id: id, label: drifted.labels[r] })).concat([{ request_id: "never-served", label: 1 }]) },
    });
    expect(result).toEqual({ accepted: 144, unmatchedRequestIds: ["never-served"] });
    const withFeedback = await getMonitoringView(studio, { name: "bc", window: "hour" });
    const expected = drifted.labels.filter((label, r) => label === drifted.predictions[r]).length / drifted.labels.length;
    expect(withFeedback.windows.at(-1)?.liveMetric).toEqual({ name: "accuracy", value: expected, count: 143 });
  });

  it("refuses bad feedback with a message that says what to fix, and stores nothing", async () => {
    await expect(recordFeedback(studio, { name: "bc", body: { feedback: [{ request_id: "x" }] } })).rejects.toThrow(/either 'label'/);
    await expect(recordFeedback(studio, { name: "nope", body: { request_id: "x", label: 1 } })).rejects.toThrow(/nope/);
  });

  it("logs nothing for a model whose sampling rate is 0", async () => {
    await updateMonitoringSettings(studio, { name: "bc", sampleRate: 0, retentionDays: 30, thresholds: defaultMonitoringThresholds, reference: null });
    const model = await findRegisteredModel(studio.db, "bc");
    await loggingSettings(studio.db, model.modelId);
    const before = (await studio.db.select().from(inferenceLog).where(eq(inferenceLog.modelId, model.modelId))).length;
    await replay("breast_cancer.production-stable.csv", Date.now(), "sampled-out");
    const after = (await studio.db.select().from(inferenceLog).where(eq(inferenceLog.modelId, model.modelId))).length;
    expect(after).toBe(before);
    await updateMonitoringSettings(studio, { name: "bc", sampleRate: 1, retentionDays: 30, thresholds: defaultMonitoringThresholds, reference: null });
  });

  it("rolls production back to the version it held before, in one call, audited", async () => {
    await promoteVersion(studio, { name: "bc", version: "2", overrideReason: "monitoring test" });
    const deployments = await listDeployments(studio);
    expect(deployments.find((d) => d.modelName === "bc" && d.alias === "production")).toMatchObject({ version: "2", previousVersion: "1" });
    await expect(rollbackProduction(studio.as(viewer), { name: "bc" })).rejects.toThrow(/Permission denied/);
    // v1 reached production by an admin's override; an editor may still roll back to it (it passed the gate once)…
    expect(await rollbackProduction(studio.as(editor), { name: "bc" })).toEqual({ version: "1" });
    expect((await findVersionByAlias(studio.db, "bc", "production")).version).toBe(1);
    const history = await aliasHistory(studio, { name: "bc" });
    expect(history[0]).toMatchObject({ alias: "production", version: "1", previousVersion: "2", kind: "rollback", by: "eddie" });
    expect(history[1]).toMatchObject({ alias: "production", version: "2", previousVersion: "1", kind: "override", reason: "monitoring test" });
    // …but cannot promote an unreviewed version: the gate still stands for anything new.
    await expect(promoteVersion(studio.as(editor), { name: "bc", version: "2" })).rejects.toThrow(/no approved acceptance review/);
  });
});
