// The shadow's log rows on a connection of their own (STUDIO_SHADOW_LOG_BACKEND_POLICY, inference-log-worker.mjs):
// every row of every route is written and counted exactly once, the shadow's (packed by its scoring thread, and as
// objects) through their own PostgreSQL backend, which runs in SCHED_IDLE on a server on this machine, while
// production's and the canary's rows keep a backend at normal priority. On PGlite (written by the main thread) the
// setting changes nothing: every row is written as before.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { like, sql } from "drizzle-orm";
import { inferenceLog } from "@/db/schema";
import { createTestStudio, type TestStudio } from "../testing/test-database";
import { systemActor } from "../auth/actor";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { findModelVersion, findRegisteredModel } from "../registry/model-versions";
import { backendSchedPolicy, hostOf, isLocalHost, shadowLogBackendPolicy } from "./inference-log-backend.mjs";

// Read by the writer thread (its copy of the environment is taken when it starts): set before the first entry.
process.env.STUDIO_SHADOW_LOG_BACKEND_POLICY = "idle";
delete process.env.STUDIO_LOG_BACKEND_POLICY; // production's rows at normal priority (the default)
const { flushInferenceLog, inferenceLogStatus, inferenceLogTestHooks, recordCompactBatch, recordInference } = await import("./inference-log");

const SHADOW_ROUTE = 2;

let studio: TestStudio | undefined;
afterEach(async () => {
  await flushInferenceLog();
  await studio?.close();
  studio = undefined;
});

/** Logs 20 production, 5 canary and 13 shadow answers (10 packed as the scoring thread packs them, 3 as objects). */
async function logEveryRoute(open: TestStudio, prefix: string): Promise<void> {
  await registerOnnxUpload(open.as(systemActor), { name: "bc", bytes: new Uint8Array(await readFile("fixtures/models/breast-cancer-rf-v1.onnx")) });
  const { modelId } = await findRegisteredModel(open.db, "bc");
  const { versionId } = (await findModelVersion(open.db, "bc", "1")).row;
  const at = Date.now();
  for (let i = 0; i < 20; i++) recordInference(open.db, { modelId, versionId, requestId: `${prefix}-p-${i}`, at, latencyMs: 1, inputs: { x0: [i] }, predictions: [0], protocol: "v2" }, { sampled: false });
  for (let i = 0; i < 5; i++) recordInference(open.db, { modelId, versionId, requestId: `${prefix}-c-${i}`, at, latencyMs: 1, inputs: { x0: [i] }, predictions: [1], protocol: "v2", route: "canary" });
  // Compact entries: an 8-slot header (slot 0 set by the log), one sampled row of input x0, one prediction.
  const numbers = new Float64Array(10 * 10);
  for (let i = 0; i < 10; i++) numbers.set([0, modelId, versionId, at, 0.5, 0 + 2 * SHADOW_ROUTE, 1, 1, 100 + i, 1], i * 10);
  expect(recordCompactBatch(open.db, { keys: ["x0"], numbers, used: numbers.length, requestIds: Array.from({ length: 10 }, (_, i) => `${prefix}-s-${i}`) })).toBe(10);
  for (let i = 0; i < 3; i++) recordInference(open.db, { modelId, versionId, requestId: `${prefix}-so-${i}`, at, latencyMs: 1, inputs: { x0: [i] }, predictions: ["yes"], protocol: "mlflow", route: "shadow" }, { sampled: false });
  await flushInferenceLog();
}

async function routesOf(open: TestStudio, prefix: string): Promise<Record<string, number>> {
  const rows = await open.db.select({ route: inferenceLog.route, requestId: inferenceLog.requestId, inputs: inferenceLog.inputs }).from(inferenceLog).where(like(inferenceLog.requestId, `${prefix}-%`));
  expect(new Set(rows.map((r) => r.requestId)).size).toBe(rows.length); // none twice
  // A packed shadow entry is logged with its own input cell.
  expect(rows.find((r) => r.requestId === `${prefix}-s-7`)?.inputs).toEqual({ x0: [107] });
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.route] = (counts[r.route] ?? 0) + 1;
  return counts;
}

describe("the shadow's log rows written apart", () => {
  it("takes 'same' (the default), 'auto', 'idle' and 'normal', and names them when given anything else", () => {
    const saved = process.env.STUDIO_SHADOW_LOG_BACKEND_POLICY;
    try {
      delete process.env.STUDIO_SHADOW_LOG_BACKEND_POLICY;
      expect(shadowLogBackendPolicy()).toBe("same");
      process.env.STUDIO_SHADOW_LOG_BACKEND_POLICY = "idle";
      expect(shadowLogBackendPolicy()).toBe("idle");
      process.env.STUDIO_SHADOW_LOG_BACKEND_POLICY = "low";
      expect(() => shadowLogBackendPolicy()).toThrow(/'same', 'auto', 'idle' or 'normal', got 'low'/);
    } finally {
      process.env.STUDIO_SHADOW_LOG_BACKEND_POLICY = saved;
    }
  });

  it("on PGlite: every route written once, as before (the main thread writes it)", async () => {
    studio = await createTestStudio("pglite");
    const before = inferenceLogStatus();
    await logEveryRoute(studio, "apart-pglite");
    expect(await routesOf(studio, "apart-pglite")).toEqual({ production: 20, canary: 5, shadow: 13 });
    const after = inferenceLogStatus();
    expect(after.written - before.written).toBe(38);
    expect(after.dropped).toBe(before.dropped);
    expect(after.queued).toBe(0);
    expect(after.routed.queued).toBe(0);
  });
});

const localPostgres = process.env.TEST_DATABASE_URL && isLocalHost(hostOf({ connectionString: process.env.TEST_DATABASE_URL })) && process.platform === "linux";
if (!localPostgres) console.log("[tests] the shadow's own log backend is checked on a PostgreSQL server on this machine (TEST_DATABASE_URL on a loopback host, Linux): skipped here.");

describe.skipIf(!localPostgres)("the shadow's log rows on a PostgreSQL server on this machine", () => {
  it("are written and counted once each through their own backend, in SCHED_IDLE; production's backend keeps normal priority", async () => {
    studio = await createTestStudio("postgres");
    const before = inferenceLogStatus();
    await logEveryRoute(studio, "apart-pg");
    expect(await routesOf(studio, "apart-pg")).toEqual({ production: 20, canary: 5, shadow: 13 });
    const after = inferenceLogStatus();
    expect(after.written - before.written).toBe(38);
    expect(after.dropped).toBe(before.dropped);
    expect(after.queued).toBe(0);
    expect(after.routed.queued).toBe(0); // the canary's and the shadow's entries each acknowledged once

    const shadowBackend = inferenceLogStatus().shadowWriterBackend;
    expect(shadowBackend).not.toBeNull();
    expect(readFileSync(`/proc/${shadowBackend!.pid}/comm`, "utf8").trim()).toBe("postgres");
    // Production's connection: write once more so that it is surely still open (it closes after an idle second).
    const { modelId } = await findRegisteredModel(studio.db, "bc");
    const { versionId } = (await findModelVersion(studio.db, "bc", "1")).row;
    recordInference(studio.db, { modelId, versionId, requestId: "apart-pg-last", at: Date.now(), latencyMs: 1, inputs: { x0: [1] }, predictions: [0], protocol: "v2" }, { sampled: false });
    await flushInferenceLog();
    const production = await studio.db.execute<{ pid: number }>(sql`select pid from pg_stat_activity where application_name = 'studio inference log' and datname = current_database()`);
    const productionPids = (production as unknown as { rows: { pid: number }[] }).rows.map((r) => Number(r.pid));
    expect(productionPids).toHaveLength(1);
    expect(productionPids[0]).not.toBe(shadowBackend!.pid);
    expect(backendSchedPolicy(productionPids[0]!)).toBe(0);
    if (process.getuid?.() === 0) {
      expect(shadowBackend!.policy).toBe("idle");
      expect(backendSchedPolicy(shadowBackend!.pid)).toBe(5);
    } else {
      expect(shadowBackend!.policy).toBe("normal");
      expect(backendSchedPolicy(shadowBackend!.pid)).toBe(0);
    }
  });

  it("never hold production's rows behind the shadow's: those are written while the shadow's wait, which are written after", async () => {
    studio = await createTestStudio("postgres");
    await registerOnnxUpload(studio.as(systemActor), { name: "bc", bytes: new Uint8Array(await readFile("fixtures/models/breast-cancer-rf-v1.onnx")) });
    const { modelId } = await findRegisteredModel(studio.db, "bc");
    const { versionId } = (await findModelVersion(studio.db, "bc", "1")).row;
    const log = (prefix: string, route: "production" | "shadow", count: number) => {
      for (let i = 0; i < count; i++) recordInference(studio!.db, { modelId, versionId, requestId: `${prefix}-${i}`, at: Date.now(), latencyMs: 1, inputs: { x0: [i] }, predictions: [0], protocol: "v2", route }, { sampled: false });
    };
    log("held-warm", "shadow", 1); // starts the writer thread, which the hold is sent to
    await flushInferenceLog();
    inferenceLogTestHooks.holdShadowWrites();
    const before = inferenceLogStatus();
    log("held-shadow", "shadow", 7);
    log("held-prod", "production", 11);
    const flushed = flushInferenceLog();
    // Production's rows sent after that flush (which waits for the shadow's) are not held behind it either.
    log("held-late", "production", 5);
    const flushedAfter = flushInferenceLog();
    const count = async (prefix: string) => (await studio!.db.select({ id: inferenceLog.requestId }).from(inferenceLog).where(like(inferenceLog.requestId, `${prefix}-%`))).length;
    // Production's rows come in while the shadow's are held (the flush, which waits for both, does not return yet).
    const deadline = Date.now() + 30_000;
    while ((await count("held-prod")) + (await count("held-late")) < 16 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await count("held-prod")).toBe(11);
    expect(await count("held-late")).toBe(5);
    expect(await count("held-shadow")).toBe(0);
    expect(inferenceLogStatus().routed.queued - before.routed.queued).toBe(7); // still counted as waiting: bounded, not lost
    let done = false;
    void flushed.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(done).toBe(false);
    inferenceLogTestHooks.releaseShadowWrites();
    await Promise.all([flushed, flushedAfter]);
    expect(await count("held-shadow")).toBe(7);
    const after = inferenceLogStatus();
    expect(after.written - before.written).toBe(23);
    expect(after.routed.queued).toBe(0);
  });
});
