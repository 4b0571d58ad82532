// The inference log's writer thread, on both databases: rows written from packed numbers equal the object form's,
// served requests arrive after a flush, retention still deletes old entries, a writer that falls behind makes the log
// drop and count entries (requests never wait), and shutdown — closeInferenceLog or a bare process.exit — writes
// everything that was accepted.
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray, like } from "drizzle-orm";
import { inferenceLog } from "@/db/schema";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { currentThreadId, SCHED_IDLE, SCHED_OTHER, threadName, threadNiceness, threadPolicy } from "../testing/thread-niceness";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { deleteModelVersion, findModelVersion, findRegisteredModel, findVersionByAlias } from "../registry/model-versions";
import { deleteRegisteredModel, setModelAlias } from "../registry/registered-models";
import { systemActor } from "../auth/actor";
import { createUserAsSystem } from "../auth/accounts";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { createToken } from "../auth/tokens";
import { handleServing } from "../serving/http";
import { ModelServer } from "../serving/model-server";
import {
  closeInferenceLog,
  flushInferenceLog,
  inferenceLogStatus,
  inferenceLogTestHooks,
  invalidateLoggingSettings,
  loggingSettings,
  recordCompactBatch,
  recordCompactInference,
  recordInference,
  type InferenceLogEntry,
} from "./inference-log";
import { updateMonitoringSettings } from "./monitoring";
import { defaultMonitoringThresholds } from "./schema";

const RF = "fixtures/models/breast-cancer-rf-v1.onnx";
const DAY_MS = 86_400_000;

describe.each(testBackends)("inference log writer on %s", (kind) => {
  let studio: TestStudio;
  let server: ModelServer;
  let token: string;
  let modelId: number;
  let versionId: number;

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    server = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    const admin = studio.as(systemActor);
    const bytes = new Uint8Array(await readFile(RF));
    await registerOnnxUpload(admin, { name: "bc", bytes });
    await setModelAlias(admin, { name: "bc", alias: "production", version: "1", overrideReason: "inference log test: no review needed" });
    await registerOnnxUpload(admin, { name: "kept-briefly", bytes });
    modelId = (await findRegisteredModel(studio.db, "bc")).modelId;
    versionId = (await findVersionByAlias(studio.db, "bc", "production")).versionId;
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `logan-${kind}`, password: "viewer-password-1", role: "viewer" }));
    token = (await createToken(studio.as({ userId: user.userId, username: user.username, role: "viewer", via: "session" }), zCreateToken.parse({ name: "serve", scope: "serve" }))).token;
  });
  afterEach(() => {
    inferenceLogTestHooks.releaseWrites();
    inferenceLogTestHooks.resetMaxQueued();
    inferenceLogTestHooks.useWriter("worker");
  });
  afterAll(async () => {
    await flushInferenceLog();
    await server.close();
    await studio.close();
  });

  const rowsOf = (prefix: string) =>
    studio.db
      .select()
      .from(inferenceLog)
      .where(like(inferenceLog.requestId, `${prefix}-%`))
      .then((rows) => new Map(rows.map((row) => [row.requestId, row])));

  it("deletes entries older than the model's retention when it writes (the setting as it is in the database now)", async () => {
    const briefly = await findRegisteredModel(studio.db, "kept-briefly");
    const version = (await findModelVersion(studio.db, "kept-briefly", "1")).row.versionId;
    await updateMonitoringSettings(studio, { name: "kept-briefly", sampleRate: 1, retentionDays: 1, thresholds: defaultMonitoringThresholds, reference: null });
    const now = Date.now();
    const old = { modelId: briefly.modelId, versionId: version, latencyMs: 1, rowCount: 1, inputs: {}, predictions: [0], protocol: "v2" };
    await studio.db.insert(inferenceLog).values([
      { ...old, requestId: "retention-2-days", at: now - 2 * DAY_MS },
      { ...old, requestId: "retention-12-hours", at: now - DAY_MS / 2 },
      // Another model's old entry follows that model's retention (30 days by default), not this one's.
      { ...old, modelId, versionId, requestId: "retention-other-model", at: now - 2 * DAY_MS },
    ]);
    recordCompactInference(studio.db, { modelId: briefly.modelId, versionId: version, requestId: "retention-new", at: now, latencyMs: 1, protocol: "v2", keys: ["a"], sampledRows: 1, values: Float64Array.of(1, 0), predictionCount: 1 });
    await flushInferenceLog();
    expect([...(await rowsOf("retention")).keys()].sort()).toEqual(["retention-12-hours", "retention-new", "retention-other-model"]);
  });

  it.each(["worker", "main"] as const)("writes packed entries exactly as the object form (%s thread): nulls, negative zero, float32 values, several rows", async (writer) => {
    inferenceLogTestHooks.useWriter(writer);
    const keys = ["mean radius", 'a "quoted" key', "x0"];
    const float32 = Math.fround(17.99);
    const cases: { name: string; values: number[]; sampledRows: number; predictions: number[] }[] = [
      { name: "one-row", values: [float32, -0, 1e21], sampledRows: 1, predictions: [1] },
      { name: "nulls", values: [Number.NaN, 2.5, -3], sampledRows: 1, predictions: [Number.NaN] },
      { name: "two-rows", values: [1, 2, 3, 4, 5.000001, 6], sampledRows: 2, predictions: [0, 1, 1] },
      { name: "no-prediction", values: [1, 2, 3], sampledRows: 1, predictions: [] },
    ];
    const at = Date.now();
    for (const [i, c] of cases.entries()) {
      recordCompactInference(studio.db, {
        modelId, versionId, requestId: `packed${writer}-${c.name}`, at: at + i, latencyMs: 0.123456789 + i, protocol: i % 2 ? "mlflow" : "v2",
        keys, sampledRows: c.sampledRows, values: Float64Array.from([...c.values, ...c.predictions]), predictionCount: c.predictions.length,
      });
      const inputs: InferenceLogEntry["inputs"] = {};
      keys.forEach((key, k) => (inputs[key] = c.values.slice(k * c.sampledRows, (k + 1) * c.sampledRows).map((v) => (Number.isFinite(v) ? v : null))));
      recordInference(studio.db, {
        modelId, versionId, requestId: `object${writer}-${c.name}`, at: at + i, latencyMs: 0.123456789 + i, protocol: i % 2 ? "mlflow" : "v2",
        inputs, predictions: c.predictions.map((p) => (Number.isFinite(p) ? p : (null as unknown as number))),
      });
    }
    await flushInferenceLog();
    const packed = new Map([...(await rowsOf(`packed${writer}`))].map(([id, row]) => [id.replace(writer, ""), row]));
    const objects = new Map([...(await rowsOf(`object${writer}`))].map(([id, row]) => [id.replace(writer, ""), row]));
    expect(packed.size).toBe(cases.length);
    for (const c of cases) {
      // Everything but the row's own id and request id.
      const content = (row: typeof inferenceLog.$inferSelect) => ({ ...row, logId: 0, requestId: "" });
      expect(content(packed.get(`packed-${c.name}`)!)).toEqual(content(objects.get(`object-${c.name}`)!));
    }
    expect(packed.get("packed-one-row")).toMatchObject({ rowCount: 1, inputs: { "mean radius": [float32], 'a "quoted" key': [0], x0: [1e21] }, predictions: [1], protocol: "v2" });
    expect(packed.get("packed-nulls")!.inputs["mean radius"]).toEqual([null]);
    expect(packed.get("packed-nulls")!.predictions).toEqual([null]);
  });

  it("writes text that COPY's format gives a meaning to (backslash, tab, newline, \\N) exactly as the main thread's JSON insert does", async () => {
    // On PostgreSQL the writer thread sends COPY lines and the main thread a JSON document: the rows must not differ.
    const keys = ["back\\slash", "tab\there", 'quote"d', "x0"];
    const texts = ["C:\\temp\\new", "a\tb", "line\nbreak\r\n", "\\N", "\\.", '{"json":"\\u0041"}', "émoji 🎉", ""];
    const at = Date.now();
    const writers = ["worker", "main"] as const;
    for (const writer of writers) {
      inferenceLogTestHooks.useWriter(writer);
      for (const [i, text] of texts.entries()) {
        const requestId = `escapes${writer}-${i}\t\\${text}`;
        recordInference(studio.db, {
          modelId, versionId, requestId, at: at + i, latencyMs: 0.5 + i, protocol: "mlflow", route: i % 2 ? "canary" : "production",
          inputs: { [keys[0]!]: [text, null], [keys[1]!]: [i, -0], [keys[2]!]: [`${text}${text}`, 1e-7], x0: [Number.MAX_VALUE, 0.1] },
          predictions: [text, i],
        });
        recordCompactInference(studio.db, {
          modelId, versionId, requestId: `${requestId}-packed`, at: at + i, latencyMs: 0.25 + i, protocol: "v2", keys,
          sampledRows: 1, values: Float64Array.of(i, Number.NaN, -0, Math.fround(0.1), 1), predictionCount: 1,
        });
      }
      await flushInferenceLog();
    }
    const [worker, main] = await Promise.all(writers.map(async (writer) => new Map([...(await rowsOf(`escapes${writer}`))].map(([id, row]) => [id.replace(writer, ""), row]))));
    expect(worker!.size).toBe(texts.length * 2);
    for (const [id, row] of main!) expect({ ...worker!.get(id), logId: 0, requestId: id }).toEqual({ ...row, logId: 0, requestId: id });
    const first = worker!.get(`escapes-0\t\\${texts[0]}`)!;
    expect(first).toMatchObject({ inputs: { "back\\slash": ["C:\\temp\\new", null], 'quote"d': ["C:\\temp\\newC:\\temp\\new", 1e-7] }, predictions: ["C:\\temp\\new", 0], route: "production" });
    expect(worker!.get(`escapes-2\t\\${texts[2]}-packed`)).toMatchObject({ inputs: { "back\\slash": [2], "tab\there": [null], x0: [Math.fround(0.1)] }, predictions: [1], rowCount: 1, route: "production" });
    expect(worker!.get(`escapes-3\t\\\\N`)).toMatchObject({ predictions: ["\\N", 3], route: "canary" });
  });

  it("keeps rows of a version of their own model only: deleting the version or its model deletes its rows; another model's version is refused", async () => {
    // Since migration 0033 one foreign key on (model_id, version_id) stands for the two there were.
    const admin = studio.as(systemActor);
    const bytes = new Uint8Array(await readFile(RF));
    await registerOnnxUpload(admin, { name: "doomed", bytes });
    await registerOnnxUpload(admin, { name: "doomed", bytes });
    const doomed = (await findRegisteredModel(studio.db, "doomed")).modelId;
    const [v1, v2] = await Promise.all(["1", "2"].map(async (v) => (await findModelVersion(studio.db, "doomed", v)).row.versionId));
    const row = { modelId: doomed, at: Date.now(), latencyMs: 1, rowCount: 1, inputs: { x0: [1] }, predictions: [0], protocol: "v2" };
    await studio.db.insert(inferenceLog).values([
      { ...row, versionId: v1!, requestId: "doomed-v1" },
      { ...row, versionId: v2!, requestId: "doomed-v2" },
    ]);
    const refused = await studio.db
      .insert(inferenceLog)
      .values({ ...row, versionId, requestId: "doomed-other-models-version" })
      .then(() => null, (error: { code?: string; cause?: { code?: string } }) => error.cause?.code ?? error.code);
    expect(refused).toBe("23503"); // foreign_key_violation
    await deleteModelVersion(admin, "doomed", "1");
    expect([...(await rowsOf("doomed")).keys()]).toEqual(["doomed-v2"]);
    await deleteRegisteredModel(admin, "doomed");
    expect((await rowsOf("doomed")).size).toBe(0);
  });

  it("logs served requests, which arrive after a flush with what the model saw and said", async () => {
    const rows = (await readFile("fixtures/datasets/breast_cancer.test.csv", "utf8")).trim().split("\n").slice(1, 41).map((line) => line.split(",").slice(0, 30).map(Number));
    const serve = async (requestId: string, batch: number[][]) => {
      const answer = await handleServing(
        {
          method: "POST",
          pathname: "/v2/models/bc/infer",
          headers: new Headers({ authorization: `Bearer ${token}`, "content-type": "application/json", "x-request-id": requestId }),
          text: async () => JSON.stringify({ inputs: [{ name: "input", shape: [batch.length, 30], datatype: "FP32", data: batch.flat() }] }),
        },
        server,
      );
      expect(answer.status).toBe(200);
      return (JSON.parse(answer.body) as { outputs: { name: string; data: number[] }[] }).outputs.find((o) => o.name === "label")!.data;
    };
    const single = await serve("served-single", rows.slice(0, 1));
    const batch = await serve("served-batch", rows);
    await flushInferenceLog();
    const logged = await rowsOf("served");
    expect(logged.get("served-single")).toMatchObject({ modelId, versionId, rowCount: 1, protocol: "v2", predictions: single });
    expect(logged.get("served-single")!.inputs.x0).toEqual([Math.fround(rows[0]![0]!)]);
    // 40 rows: every prediction, and 16 evenly spaced input rows (row floor(i × 40/16)).
    const entry = logged.get("served-batch")!;
    expect(entry).toMatchObject({ rowCount: 40, predictions: batch });
    expect(Object.keys(entry.inputs)).toHaveLength(30);
    expect(entry.inputs.x29).toEqual(Array.from({ length: 16 }, (_, i) => Math.fround(rows[Math.floor((i * 40) / 16)]![29]!)));
    expect(entry.latencyMs).toBeGreaterThan(0);
  });

  it.skipIf(process.platform !== "linux")("writes on a thread that yields the CPU to serving: SCHED_IDLE and niceness 19 on that thread alone (Linux only: per-thread policy, read from /proc)", async () => {
    recordInference(studio.db, { modelId, versionId, requestId: "niceness-1", at: Date.now(), latencyMs: 1, inputs: { x0: [1] }, predictions: [0], protocol: "v2" });
    await flushInferenceLog();
    expect((await rowsOf("niceness")).size).toBe(1);
    const writer = inferenceLogStatus().writerThread;
    expect(writer).toMatchObject({ nice: 19, policy: "idle" });
    expect(threadNiceness(writer!.tid)).toBe(19);
    expect(threadPolicy(writer!.tid)).toBe(SCHED_IDLE);
    expect(threadName(writer!.tid)).toBe("studio-logwrite");
    expect(writer!.tid).not.toBe(currentThreadId());
    expect(threadNiceness(currentThreadId())).toBe(os.getPriority());
    expect(threadPolicy(currentThreadId())).toBe(SCHED_OTHER);
  });

  it("drops and counts entries when the writer falls behind, and never makes a request wait", async () => {
    const before = inferenceLogStatus();
    expect(before.queued).toBe(0);
    inferenceLogTestHooks.setMaxQueued(10);
    inferenceLogTestHooks.holdWrites();
    const started = performance.now();
    for (let i = 0; i < 25; i++) {
      recordCompactInference(studio.db, { modelId, versionId, requestId: `behind-${i}`, at: Date.now(), latencyMs: 1, protocol: "v2", keys: ["a"], sampledRows: 1, values: Float64Array.of(i, 1), predictionCount: 1 });
    }
    const recordMs = performance.now() - started;
    // Well past the flush delay: the batches sit in the held writer, not here.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(inferenceLogStatus()).toMatchObject({ queued: 10, dropped: before.dropped + 15 });
    // A served request is answered while its log entry is dropped.
    const answer = await handleServing(
      {
        method: "POST",
        pathname: "/v2/models/bc/infer",
        headers: new Headers({ authorization: `Bearer ${token}`, "content-type": "application/json", "x-request-id": "behind-served" }),
        text: async () => JSON.stringify({ inputs: [{ name: "input", shape: [1, 30], datatype: "FP32", data: Array.from({ length: 30 }, () => 1) }] }),
      },
      server,
    );
    expect(answer.status).toBe(200);
    expect(inferenceLogStatus().dropped).toBe(before.dropped + 16);
    expect(recordMs).toBeLessThan(100);
    expect((await rowsOf("behind")).size).toBe(0);
    inferenceLogTestHooks.releaseWrites();
    await flushInferenceLog();
    const written = await rowsOf("behind");
    expect([...written.keys()].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `behind-${i}`).sort());
    expect(inferenceLogStatus()).toMatchObject({ queued: 0, written: before.written + 10, dropped: before.dropped + 16 });
  });

  it("keeps production's room however many canary and shadow entries wait: they have a bound of their own", async () => {
    const before = inferenceLogStatus();
    inferenceLogTestHooks.setMaxQueued(10);
    inferenceLogTestHooks.setMaxRoutedQueued(5);
    inferenceLogTestHooks.holdWrites();
    const shadowEntry = (i: number): InferenceLogEntry => ({ modelId, versionId, requestId: `room-shadow-${i}`, at: Date.now(), latencyMs: 1, inputs: { a: [i] }, predictions: [1], protocol: "v2", route: "shadow" });
    const production = (i: number) =>
      recordCompactInference(studio.db, { modelId, versionId, requestId: `room-prod-${i}`, at: Date.now(), latencyMs: 1, protocol: "v2", keys: ["a"], sampledRows: 1, values: Float64Array.of(i, 1), predictionCount: 1 });
    // A shadow's copies arrive faster than the writer takes them: past their own bound they are dropped.
    const accepted = Array.from({ length: 20 }, (_, i) => recordInference(studio.db, shadowEntry(i), { sampled: false }));
    expect(accepted.filter(Boolean)).toHaveLength(5);
    // Production's entries still find all of their room, and no more.
    for (let i = 0; i < 11; i++) production(i);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(inferenceLogStatus()).toMatchObject({ queued: 15, dropped: before.dropped + 16, routed: { queued: 5, dropped: before.routed.dropped + 15, maxQueued: 5 } });
    inferenceLogTestHooks.releaseWrites();
    await flushInferenceLog();
    const written = await rowsOf("room");
    expect([...written.keys()].sort()).toEqual([...Array.from({ length: 5 }, (_, i) => `room-shadow-${i}`), ...Array.from({ length: 10 }, (_, i) => `room-prod-${i}`)].sort());
    expect(written.get("room-shadow-0")!.route).toBe("shadow");
    expect(written.get("room-prod-0")!.route).toBe("production");
    expect(inferenceLogStatus()).toMatchObject({ queued: 0, written: before.written + 15, routed: { queued: 0 } });
  });

  it("takes shadow answers another thread packed, each against the canary and shadow entries' bound, under their request ids", async () => {
    const before = inferenceLogStatus();
    inferenceLogTestHooks.setMaxRoutedQueued(3);
    // The layout shadow-worker.mjs writes: an 8-slot header (slot 0 set by the log), the inputs key after key, the predictions.
    const entry = (i: number) => [0, modelId, versionId, Date.now(), 3, 0 + 2 * 2, 2, 2, i, i + 0.5, -i, Number.NaN, 1, 0];
    const numbers = Float64Array.from([0, 1, 2, 3].flatMap(entry));
    try {
      const queued = recordCompactBatch(studio.db, { keys: ["a", "b"], numbers, used: numbers.length, requestIds: [0, 1, 2, 3].map((i) => `packed-${i}`) });
      expect(queued).toBe(3);
      expect(inferenceLogStatus().routed.dropped - before.routed.dropped).toBe(1);
    } finally {
      inferenceLogTestHooks.resetMaxQueued();
    }
    await flushInferenceLog();
    const written = await rowsOf("packed");
    expect([...written.keys()].sort()).toEqual(["packed-0", "packed-1", "packed-2"]);
    expect(written.get("packed-2")).toMatchObject({ route: "shadow", protocol: "mlflow", rowCount: 2, inputs: { a: [2, 2.5], b: [-2, null] }, predictions: [1, 0] });
  });

  it("packs a canary's and a shadow's numeric answers with their route, and never samples them out", async () => {
    await updateMonitoringSettings(studio, { name: "bc", sampleRate: 0, retentionDays: 30, thresholds: defaultMonitoringThresholds, reference: null });
    try {
      await loggingSettings(studio.db, modelId);
      const packed = (requestId: string, route?: "canary" | "shadow") =>
        recordCompactInference(studio.db, { modelId, versionId, requestId, at: Date.now(), latencyMs: 2, protocol: "mlflow", route, keys: ["a", "b"], sampledRows: 1, values: Float64Array.of(1.5, Number.NaN, 0), predictionCount: 1 });
      expect(packed("routes-production")).toBe(false);
      expect(packed("routes-canary", "canary")).toBe(true);
      expect(packed("routes-shadow", "shadow")).toBe(true);
      await flushInferenceLog();
      const written = await rowsOf("routes");
      expect([...written.keys()].sort()).toEqual(["routes-canary", "routes-shadow"]);
      for (const route of ["canary", "shadow"] as const) {
        expect(written.get(`routes-${route}`)).toMatchObject({ route, protocol: "mlflow", rowCount: 1, inputs: { a: [1.5], b: [null] }, predictions: [0] });
      }
    } finally {
      await updateMonitoringSettings(studio, { name: "bc", sampleRate: 1, retentionDays: 30, thresholds: defaultMonitoringThresholds, reference: null });
      invalidateLoggingSettings(modelId);
    }
  });

  it("reads a model's sampling settings once for all the requests that find them stale meanwhile", async () => {
    invalidateLoggingSettings(modelId);
    const reads = Array.from({ length: 20 }, () => loggingSettings(studio.db, modelId));
    expect(new Set(reads).size).toBe(1);
    expect(await reads[0]).toMatchObject({ sampleRate: 1, retentionDays: 30 });
    // Once read, the settings are answered from memory.
    expect(await loggingSettings(studio.db, modelId)).toBe(await reads[0]);
  });

  it("writes everything accepted when it is closed, and starts again on the next entry", async () => {
    for (let i = 0; i < 300; i++) {
      recordCompactInference(studio.db, { modelId, versionId, requestId: `closing-${i}`, at: Date.now(), latencyMs: 1, protocol: "v2", keys: ["a"], sampledRows: 1, values: Float64Array.of(i, 0), predictionCount: 1 });
    }
    await closeInferenceLog();
    expect((await rowsOf("closing")).size).toBe(300);
    recordCompactInference(studio.db, { modelId, versionId, requestId: "reopened-0", at: Date.now(), latencyMs: 1, protocol: "v2", keys: ["a"], sampledRows: 1, values: Float64Array.of(0, 0), predictionCount: 1 });
    await flushInferenceLog();
    expect((await rowsOf("reopened")).size).toBe(1);
  });

  it.runIf(kind === "postgres")("writes what a process accepted before it exited with process.exit (no flush called)", async () => {
    const url = ((studio.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString);
    const child = spawnSync(process.execPath, ["--import", "tsx", path.join("server", "monitoring", "inference-log-exit-child.ts"), url, String(modelId), String(versionId), "exited", "700"], {
      encoding: "utf8",
      timeout: 60_000,
      // The writer thread starts with the first entry (its module compiled by tsx here) and must then connect: on a
      // busy machine that alone took over the 5 s an exiting process waits by default, so no row arrived. The wait
      // still ends as soon as the rows are written.
      env: { ...process.env, STUDIO_INFERENCE_LOG_EXIT_FLUSH_MS: "45000" },
    });
    expect(child.status, child.stderr).toBe(0);
    const rows = await studio.db.select({ requestId: inferenceLog.requestId }).from(inferenceLog).where(and(eq(inferenceLog.modelId, modelId), like(inferenceLog.requestId, "exited-%")));
    expect(rows).toHaveLength(700);
    const sample = await studio.db.select().from(inferenceLog).where(inArray(inferenceLog.requestId, ["exited-3"]));
    expect(sample[0]).toMatchObject({ inputs: { a: [3], b: [1.5] }, predictions: [1], rowCount: 1 });
  });
});
