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
import { getMonitoringView, listModelFlags, MAX_DRIFT_ENTRIES_PER_WINDOW, refreshModelFlag, updateMonitoringSettings } from "./monitoring";
import { defaultMonitoringThresholds } from "./schema";
import { handleServing } from "../serving/http";
import { ModelServer } from "../serving/model-server";
import { createToken } from "../auth/tokens";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { createUserAsSystem } from "../auth/accounts";
import { createTranslator } from "next-intl";
import { sentenceText, type SentenceTranslator, type ServerSentence } from "@/lib/i18n/server-sentence";
import { catalogues } from "@/messages";

/** A stored reason as a page in `locale` says it (components/ui/use-server-sentence). */
function sayIn(locale: "en" | "fr", message: ServerSentence): string {
  return sentenceText(createTranslator({ locale, messages: catalogues[locale], namespace: "sentences" }) as unknown as SentenceTranslator, message, "(no wording)");
}

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
    // The same reasons kept as catalogue codes, one for one, for the pages: English word for word, French in French.
    expect(view.flag.reasonMessages).toHaveLength(view.flag.reasons.length);
    view.flag.reasons.forEach((reason, i) => expect(sayIn("en", view.flag.reasonMessages[i]!)).toBe(reason));
    expect(sayIn("fr", view.flag.reasonMessages[0]!)).toMatch(/^Dérive de variables\u00a0: 3 variables sur 30 ont dérivé dans la fenêtre commençant le .* UTC \(.*mean_radius, mean_texture, worst_concavity/);
    expect((await listModelFlags(studio)).bc).toEqual({ reasons: view.flag.reasons, reasonMessages: view.flag.reasonMessages });
    // What the studio recomputes by itself a minute after new traffic is logged.
    const model = await findRegisteredModel(studio.db, "bc");
    expect(await refreshModelFlag(studio.db, model.modelId)).toEqual(view.flag.reasons);

    // Ground truth arrives for the drifted window: live accuracy is the share of logged predictions that were right.
    const result = await recordFeedback(studio, {
      name: "bc",
      body: { feedback: drifted.requestIds.map((id, r) => ({ request_id: id, label: drifted.labels[r] })) },
    });
    expect(result).toEqual({ accepted: 143, superseded: [] });
    const withFeedback = await getMonitoringView(studio, { name: "bc", window: "hour" });
    const expected = drifted.labels.filter((label, r) => label === drifted.predictions[r]).length / drifted.labels.length;
    const tp = drifted.labels.filter((label, r) => label === 1 && drifted.predictions[r] === 1).length;
    const predictedPositive = drifted.predictions.filter((p) => p === 1).length;
    const actualPositive = drifted.labels.filter((l) => l === 1).length;
    expect(withFeedback.windows.at(-1)?.liveMetric).toEqual({
      name: "accuracy",
      value: expected,
      count: 143,
      f1: (2 * tp) / (predictedPositive + actualPositive),
    });
  });

  it("logs what the serving endpoint scored, names a feature matrix's columns after the reference, and takes feedback over HTTP", async () => {
    const server = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `ops-${backend}`, password: "ops-password-123", role: "editor" }));
    const owner: Actor = { userId: user.userId, username: user.username, role: "editor", via: "session" };
    const token = (await createToken(studio.as(owner), zCreateToken.parse({ name: "serve", scope: "serve" }))).token;
    const post = async (pathname: string, body: unknown) => {
      const answer = await handleServing(
        { method: "POST", pathname, headers: new Headers({ authorization: `Bearer ${token}`, "content-type": "application/json" }), text: async () => JSON.stringify(body) },
        server,
      );
      return { status: answer.status, requestId: answer.headers["x-request-id"]!, json: JSON.parse(answer.body) as Record<string, unknown> };
    };
    try {
      const { columns, rows } = await readCsv("breast_cancer.production-drifted.csv");
      const features = columns.filter((c) => c !== "malignant");
      const requestIds: string[] = [];
      for (let start = 0; start < rows.length; start += 50) {
        const batch = rows.slice(start, start + 50);
        const answer = await post("/api/serve/bc/invocations", { dataframe_split: { columns: features, data: batch.map((row) => features.map((f) => row[f])) } });
        expect(answer.status).toBe(200);
        requestIds.push(answer.requestId);
      }
      await flushInferenceLog();
      const model = await findRegisteredModel(studio.db, "bc");
      const logged = await studio.db.select().from(inferenceLog).where(eq(inferenceLog.requestId, requestIds[0]!));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ modelId: model.modelId, rowCount: 50, protocol: "mlflow" });
      // The model has no MLmodel signature: its 30 columns are logged by position…
      expect(Object.keys(logged[0]!.inputs)).toHaveLength(30);
      // A batch keeps every prediction (feedback joins them) and 16 evenly spaced input rows (enough for drift).
      expect(logged[0]!.predictions).toHaveLength(50);
      expect(logged[0]!.inputs.x0).toHaveLength(16);
      expect(logged[0]!.inputs.x0![1]).toBeCloseTo(rows[3]!.mean_radius!, 4);
      expect(logged[0]!.inputs.x0![0]).toBeCloseTo(rows[0]!.mean_radius!, 4);

      const feedback = await post("/api/serve/bc/feedback", { request_id: requestIds[0], labels: rows.slice(0, 50).map((row) => row.malignant) });
      expect(feedback).toMatchObject({ status: 200, json: { accepted: 50, superseded: [] } });
      const refused = await post("/api/serve/bc/feedback", { feedback: [] });
      expect(refused.status).toBe(400);
      expect(String(refused.json.message)).toMatch(/feedback/);

      // …and monitoring names them after the reference's columns, so the drift lands on the shifted features.
      const view = await getMonitoringView(studio, { name: "bc", window: "hour" });
      const latest = view.windows.at(-1)!;
      expect(latest.rows).toBeGreaterThanOrEqual(143);
      expect(latest.features.map((f) => f.feature)).toContain("mean_radius");
      // (This hour now also holds the first test's replay of the same rows, so only the shifted ones are asserted.)
      expect(latest.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual(expect.arrayContaining(SHIFTED));
      expect(latest.liveMetric?.count).toBeGreaterThanOrEqual(50);
    } finally {
      await server.close();
    }
  });

  it("counts every request of a busy window but tests drift on its latest 2,000", async () => {
    const model = await findRegisteredModel(studio.db, "bc");
    const production = await findVersionByAlias(studio.db, "bc", "production");
    const { columns, rows } = await readCsv("breast_cancer.production-stable.csv");
    const features = columns.filter((c) => c !== "malignant");
    const hour = 3_600_000;
    const start = Math.floor(Date.now() / hour) * hour - 3 * hour;
    const entries = Array.from({ length: MAX_DRIFT_ENTRIES_PER_WINDOW + 100 }, (_, i) => {
      const row = rows[i % rows.length]!;
      return {
        modelId: model.modelId,
        versionId: production.versionId,
        requestId: `busy-${i}`,
        at: start + i,
        latencyMs: i % 10,
        rowCount: 1,
        inputs: Object.fromEntries(features.map((f) => [f, [row[f]!]])),
        predictions: [0],
        protocol: "mlflow",
      };
    });
    for (let i = 0; i < entries.length; i += 500) await studio.db.insert(inferenceLog).values(entries.slice(i, i + 500));
    const view = await getMonitoringView(studio, { name: "bc", window: "hour" });
    const busy = view.windows.find((w) => w.start === start)!;
    expect(busy.requests).toBe(MAX_DRIFT_ENTRIES_PER_WINDOW + 100);
    expect(busy.rows).toBe(MAX_DRIFT_ENTRIES_PER_WINDOW + 100);
    expect(busy.latencyP50).toBe(4);
    expect(busy.features.every((f) => f.count === MAX_DRIFT_ENTRIES_PER_WINDOW)).toBe(true);
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
