// Volumes and error rates of the live comparison and the guards are exact whatever the inference log samples: with
// production logged at 10%, N requests of which k fail read as N-k answers, k errors and a rate of k/N, on both
// databases, through the real serving handler.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inferenceLog } from "@/db/schema";
import type { Actor } from "../auth/actor";
import { createUserAsSystem } from "../auth/accounts";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { createToken } from "../auth/tokens";
import { flushInferenceLog, invalidateLoggingSettings, loggingSettings } from "../monitoring/inference-log";
import { updateMonitoringSettings } from "../monitoring/monitoring";
import { defaultMonitoringThresholds } from "../monitoring/schema";
import { findRegisteredModel } from "../registry/model-versions";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { setModelAlias } from "../registry/registered-models";
import { handleServing } from "../serving/http";
import { ModelServer } from "../serving/model-server";
import { flushRouteLog } from "../serving/route-log";
import { countRouteAnswer } from "../serving/route-counts";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { compareTraffic } from "./comparison";
import { evaluateGuards } from "./guards";
import { configureTraffic } from "./traffic";

const fixtures = path.join(import.meta.dirname, "../../fixtures");
const MODEL = "bc-sampled";
const REQUESTS = 60;
const FAILING = 7;

describe.each(testBackends)("exact error rates under a sampled inference log on %s", (kind) => {
  let studio: TestStudio;
  let server: ModelServer;
  let erin: Actor;
  let token: string;
  let columns: string[];
  let rows: number[][];

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    server = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    const created = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `erin-${kind}`, password: "erin-password-1", role: "admin" }));
    erin = { userId: created.userId, username: created.username, role: "admin", via: "session" };
    token = (await createToken(studio.as(erin), zCreateToken.parse({ name: "serve" }))).token;
    await registerOnnxUpload(studio.as(erin), { name: MODEL, bytes: new Uint8Array(await readFile(path.join(fixtures, "models/breast-cancer-rf-v1.onnx"))) });
    await setModelAlias(studio.as(erin), { name: MODEL, alias: "production", version: "1", overrideReason: "exact-rates test: the only version" });
    const [header, ...lines] = (await readFile(path.join(fixtures, "datasets/breast_cancer.test.csv"), "utf8")).trim().split("\n");
    columns = header!.split(",").slice(0, 30);
    rows = lines.map((l) => l.split(",").map(Number).slice(0, 30));
  });
  afterAll(async () => {
    delete process.env.STUDIO_SERVING_TEST_FAULTS;
    await flushRouteLog();
    await server.close();
    await studio.close();
  });

  it("counts every answer and every error while the log keeps a 10% sample", async () => {
    const { modelId } = await findRegisteredModel(studio.db, MODEL);
    await updateMonitoringSettings(studio, { name: MODEL, sampleRate: 0.1, retentionDays: 30, thresholds: defaultMonitoringThresholds, reference: null });
    invalidateLoggingSettings(modelId);
    expect(await loggingSettings(studio.db, modelId)).toMatchObject({ sampleRate: 0.1 });
    await configureTraffic(studio.as(erin), {
      name: MODEL,
      guards: { maxErrorRate: 0.1, maxP99Ms: null, maxLiveMetricDrop: null, maxDriftShare: null, autoRollback: false, minRequests: 20 },
    });

    process.env.STUDIO_SERVING_TEST_FAULTS = "1";
    let failed = 0;
    for (let i = 0; i < REQUESTS; i++) {
      // Every so often a request the production version is told to fail: FAILING of them, spread over the run.
      const fail = i % 8 === 3 && failed < FAILING;
      const answer = await handleServing(
        {
          method: "POST",
          pathname: `/api/serve/${MODEL}/invocations`,
          headers: new Headers({ authorization: `Bearer ${token}`, "content-type": "application/json", ...(fail ? { "x-test-fail-version": "1" } : {}) }),
          text: async () => JSON.stringify({ dataframe_split: { columns, data: [rows[i % rows.length]] } }),
        },
        server,
      );
      expect(answer.status, answer.body).toBe(fail ? 500 : 200);
      if (fail) failed++;
    }
    delete process.env.STUDIO_SERVING_TEST_FAULTS;
    expect(failed).toBe(FAILING);
    await flushRouteLog();
    await flushInferenceLog();

    // The log holds a sample only: reading rates from it is what this replaces.
    const logged = await studio.db.select({ id: inferenceLog.logId }).from(inferenceLog).where(and(eq(inferenceLog.modelId, modelId), eq(inferenceLog.route, "production")));
    expect(logged.length).toBeLessThan(REQUESTS - FAILING);

    const comparison = await compareTraffic(studio.as(erin), { name: MODEL });
    expect(comparison.production).toMatchObject({ route: "production", version: "1", requests: REQUESTS - FAILING, rows: REQUESTS - FAILING, errors: FAILING });
    expect(comparison.production!.errorRate).toBe(FAILING / REQUESTS);

    // The guards judge the same exact numbers: 7 of 60 (11.7%) is above the 10% limit.
    const outcome = await evaluateGuards(studio.as(erin), { name: MODEL });
    expect(outcome.productionWarnings).toEqual([expect.stringContaining(`production v1 failed ${FAILING} of ${REQUESTS} requests (11.7%)`)]);
  });

  it("adds each count once, however often the counts are flushed, rows included", async () => {
    const { modelId } = await findRegisteredModel(studio.db, MODEL);
    const [{ versionId }] = await studio.db.select({ versionId: inferenceLog.versionId }).from(inferenceLog).where(eq(inferenceLog.modelId, modelId)).limit(1);
    const before = (await compareTraffic(studio.as(erin), { name: MODEL })).production!;
    for (let i = 0; i < 5; i++) countRouteAnswer(studio.db, { modelId, versionId, route: "production", rows: 2 });
    await Promise.all([flushRouteLog(), flushRouteLog()]);
    await flushRouteLog();
    const after = (await compareTraffic(studio.as(erin), { name: MODEL })).production!;
    expect(after.requests - before.requests).toBe(5);
    expect(after.rows - before.rows).toBe(10);
    expect(after.errors).toBe(before.errors);
  });
});
