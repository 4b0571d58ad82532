// Canary and shadow of a production endpoint, end to end on a real database and real sessions: who may configure them,
// the review gate for canaries, what serving answers and logs (headers, routes, same request ids), monitoring counting
// production only, the live comparison, guards stopping a failing canary and rolling production back, promotion.
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { and, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inferenceLog, servingErrors } from "@/db/schema";
import { queryRows } from "@/db/client";
import type { Actor } from "../auth/actor";
import { createUserAsSystem } from "../auth/accounts";
import { listAuditEntries } from "../auth/audit";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { createToken } from "../auth/tokens";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { registerDatasetVersion } from "../datasets/register-version";
import { flushInferenceLog } from "../monitoring/inference-log";
import { recordFeedback } from "../monitoring/feedback";
import { getMonitoringView } from "../monitoring/monitoring";
import { findModelVersion } from "../registry/model-versions";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { setModelAlias } from "../registry/registered-models";
import { waitForReviewJobs } from "../review/review-jobs";
import { decideReview, getReview, requestReview } from "../review/reviews";
import { defaultCriteria } from "../review/schema";
import { handleServing, type ServingResponse } from "../serving/http";
import * as ort from "onnxruntime-node";
import { runModel } from "../serving/batched-run";
import { ModelServer } from "../serving/model-server";
import { parseMlflowJson } from "../serving/protocols";
import { flushRouteLog } from "../serving/route-log";
import { closeShadowQueue, enqueueShadowCopy, shadowQueueIdle, shadowQueueStatus, shadowQueueTestHooks, type ProductionParse, type ShadowParse } from "../serving/shadow-queue";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { currentThreadId, SCHED_IDLE, SCHED_OTHER, threadName, threadNiceness, threadPolicy } from "../testing/thread-niceness";
import { compareTraffic } from "./comparison";
import { evaluateGuards } from "./guards";
import { configureTraffic, getTrafficConfig, promoteCanary } from "./traffic";
import { handleGetTraffic, handlePutTraffic } from "./http";
import { TRPCClientError } from "@trpc/client";
import { sentenceOfError } from "@/lib/i18n/server-sentence";
import type { AppRouter } from "../root-router";
import { trpcClientThroughHandler } from "../testing/trpc-client";
import { refusalOf, saidIn } from "../testing/said-error";
import { createTranslator } from "next-intl";
import { catalogues } from "@/messages";
import { sentenceText, type SentenceTranslator, type ServerSentence } from "@/lib/i18n/server-sentence";

const fixtures = path.join(import.meta.dirname, "../../fixtures");

/** A stored sentence as the page says it in `locale`, from the shipped catalogues. */
function sayIn(locale: "en" | "fr", message: ServerSentence | null, fallback: string): string {
  return sentenceText(createTranslator({ locale, messages: catalogues[locale], namespace: "sentences" }) as unknown as SentenceTranslator, message, fallback);
}
const MODEL = "bc";

describe.each(testBackends)("canary and shadow on %s", (kind) => {
  let studio: TestStudio;
  let server: ModelServer;
  let datasetRoot: string;
  let erin: Actor;
  let vera: Actor;
  let rita: Actor;
  let admin: Actor;
  let token: string;
  let columns: string[];
  let rows: number[][];
  let labels: number[];

  async function user(name: string, role: "admin" | "editor" | "reviewer" | "viewer"): Promise<Actor> {
    const created = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `${name}-${kind}`, password: `${name}-password-1`, role }));
    return { userId: created.userId, username: created.username, role, via: "session" };
  }

  async function serve(row: number, headers: Record<string, string> = {}, via: ModelServer = server): Promise<ServingResponse> {
    return handleServing(
      {
        method: "POST",
        pathname: `/api/serve/${MODEL}/invocations`,
        headers: new Headers({ authorization: `Bearer ${token}`, "content-type": "application/json", ...headers }),
        text: async () => JSON.stringify({ dataframe_split: { columns, data: [rows[row % rows.length]] } }),
      },
      via,
    );
  }

  async function settle(): Promise<void> {
    await shadowQueueIdle();
    await flushRouteLog();
    await flushInferenceLog();
  }

  async function audits(action: string) {
    return (await listAuditEntries(studio.db, { action, targetId: MODEL })).filter((e) => e.action === action);
  }

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    server = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    datasetRoot = await mkdtemp(path.join(os.tmpdir(), "studio-traffic-"));
    admin = await user("ada", "admin");
    erin = await user("erin", "editor");
    rita = await user("rita", "reviewer");
    vera = await user("vera", "viewer");
    token = (await createToken(studio.as(erin), zCreateToken.parse({ name: "serve" }))).token;
    await registerOnnxUpload(studio.as(erin), { name: MODEL, bytes: new Uint8Array(await readFile(path.join(fixtures, "models/breast-cancer-rf-v1.onnx"))) });
    await registerOnnxUpload(studio.as(erin), { name: MODEL, bytes: new Uint8Array(await readFile(path.join(fixtures, "models/breast-cancer-rf-v2.onnx"))) });
    await setModelAlias(studio.as(admin), { name: MODEL, alias: "production", version: "1", overrideReason: "traffic test: v1 is the incumbent" });
    const [header, ...lines] = (await readFile(path.join(fixtures, "datasets/breast_cancer.test.csv"), "utf8")).trim().split("\n");
    columns = header!.split(",").slice(0, 30);
    const parsed = lines.map((l) => l.split(",").map(Number));
    rows = parsed.map((r) => r.slice(0, 30));
    labels = parsed.map((r) => r[30]!);
  });
  afterAll(async () => {
    await settle();
    await closeShadowQueue();
    await server.close();
    await studio.close();
    await rm(datasetRoot, { recursive: true, force: true });
    delete process.env.STUDIO_SERVING_TEST_FAULTS;
  });

  it("lets only deployers configure traffic, refuses an unapproved canary, and shadows an unapproved version", async () => {
    await expect(configureTraffic(studio.as(vera), { name: MODEL, shadow: { version: "2" } })).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    const unapproved = await refusalOf(configureTraffic(studio.as(erin), { name: MODEL, canary: { version: "2", share: 0.1 } }));
    expect(unapproved.message).toMatch(/no approved acceptance review.*a shadow may run it/);
    await expect(configureTraffic(studio.as(erin), { name: MODEL, canary: { version: "2", share: 0.6 } })).rejects.toThrow(/at most 0.5/);
    const onProduction = await refusalOf(configureTraffic(studio.as(erin), { name: MODEL, shadow: { version: "1" } }));
    expect(onProduction.message).toMatch(/already holds production/);
    // A page says each refusal in its reader's language: in English word for word what REST clients get, in French in French.
    expect(saidIn("en", unapproved)).toBe(unapproved.message);
    expect(saidIn("fr", unapproved)).toBe(
      `La version 2 de «\u00a0${MODEL}\u00a0» n’a aucune revue d’acceptation approuvée de ses octets actuels, et un canari répond à de vrais appelants\u00a0: faites d’abord approuver sa revue (une ombre peut la faire tourner en attendant).`,
    );
    expect(saidIn("en", onProduction)).toBe(onProduction.message);
    expect(saidIn("fr", onProduction)).toBe(`La version 1 de «\u00a0${MODEL}\u00a0» est déjà en production\u00a0: une ombre fait tourner une autre version à côté d’elle.`);
    // The page gets the code and values through tRPC over HTTP, as the studio's own client reads the error.
    const client = trpcClientThroughHandler(() => studio.as(erin));
    const overHttp = await client.deployments.configureTraffic.mutate({ name: MODEL, canary: { version: "2", share: 0.1 } }).then(
      () => null,
      (error: unknown) => error as TRPCClientError<AppRouter>,
    );
    expect(overHttp).toBeInstanceOf(TRPCClientError);
    expect(overHttp!.message).toBe(unapproved.message);
    expect(sentenceOfError(overHttp!)).toEqual(unapproved.sentence);
    const config = await configureTraffic(studio.as(erin), { name: MODEL, shadow: { version: "2" } });
    expect(config).toMatchObject({ productionVersion: "1", canary: null, shadow: { version: "2" } });
    const [started] = await audits("deployment.shadow.start");
    expect(started).toMatchObject({ actorUsername: erin.username, after: { model: MODEL, version: "2" } });
  });

  it("copies every production request to the shadow off the request path, logs it under the same request id, never returns it", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const answer = await serve(i);
      expect(answer.status, answer.body).toBe(200);
      expect(answer.headers).toMatchObject({ "x-model-version": "1", "x-model-route": "production", "x-shadow": "2" });
      ids.push(answer.headers["x-request-id"]!);
    }
    await settle();
    const logged = await studio.db.select({ requestId: inferenceLog.requestId, route: inferenceLog.route }).from(inferenceLog);
    expect(logged.filter((l) => l.route === "shadow").map((l) => l.requestId).sort()).toEqual([...ids].sort());
    expect(logged.filter((l) => l.route === "production").map((l) => l.requestId).sort()).toEqual([...ids].sort());
    // Monitoring counts production's answers only: 12 requests, not 24.
    const view = await getMonitoringView(studio.as(erin), { name: MODEL, window: "hour", windows: 1 }, datasetRoot);
    expect(view.windows.at(-1)!.requests).toBe(12);
    // Feedback on those requests is about production's answers; the comparison pairs both answers with it.
    await recordFeedback(studio.as(erin), { name: MODEL, body: { feedback: ids.map((id, i) => ({ request_id: id, label: labels[i] })) } });
    const comparison = await compareTraffic(studio.as(vera), { name: MODEL });
    expect(comparison.production).toMatchObject({ route: "production", version: "1", requests: 12, errors: 0 });
    // The counts cover the whole minute the comparison starts in, and the page is told where that minute starts.
    expect(comparison.countsFrom).toBe(comparison.from - (comparison.from % 60_000));
    expect(comparison.challenger).toMatchObject({ route: "shadow", version: "2", requests: 12, errors: 0 });
    expect(comparison.production!.liveMetric).toMatchObject({ name: "accuracy", count: 12 });
    expect(comparison.challenger!.liveMetric).toMatchObject({ name: "accuracy", count: 12 });
    expect(comparison.agreement!.rows).toBe(12);
    expect(comparison.agreement!.rate).toBeGreaterThan(0.8);
    expect(comparison.test?.method).toBe("mcnemar");
    expect(comparison.test!.pValue).toBeGreaterThan(0.05);
  });

  it("scores copies that arrive together in one stacked run, each logged with the shadow's own answer to its request", async () => {
    await settle();
    const before = shadowQueueStatus();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => serve(i)));
    expect(answers.map((a) => a.headers["x-shadow"])).toEqual(answers.map(() => "2"));
    await settle();
    const after = shadowQueueStatus();
    expect(after.scored - before.scored).toBe(20);
    // Fewer runs than copies: the copies that queued while a run was in progress went in together.
    expect(after.batches - before.batches).toBeLessThan(20);
    const ids = answers.map((a) => a.headers["x-request-id"]!);
    const logged = await studio.db.select({ requestId: inferenceLog.requestId, route: inferenceLog.route, predictions: inferenceLog.predictions, inputs: inferenceLog.inputs }).from(inferenceLog);
    const shadowById = new Map(logged.filter((l) => l.route === "shadow" && ids.includes(l.requestId)).map((l) => [l.requestId, l]));
    // What v2 answers each row alone: the stacked run must give every request exactly that, under its own id.
    const v2 = await server.acquire({ name: MODEL, alias: null, version: "2" });
    try {
      for (const [i, id] of ids.entries()) {
        const feeds = parseMlflowJson(v2, { dataframe_split: { columns, data: [rows[i % rows.length]] } }).feeds;
        const alone = await runModel(v2, feeds, v2.outputs.map((o) => o.name));
        const label = Object.values(alone).find((t) => t instanceof ort.Tensor && t.data.length === 1) as ort.Tensor;
        expect(shadowById.get(id)?.predictions).toEqual([Number(label.data[0])]);
        // Its own inputs too (the model takes float32: the log keeps what was scored).
        expect(Object.values(shadowById.get(id)!.inputs)[0]).toEqual([Math.fround(rows[i % rows.length]![0]!)]);
      }
    } finally {
      server.release(v2);
    }
  });

  it.skipIf(process.platform !== "linux")("scores copies on a thread that yields the CPU to serving: SCHED_IDLE and niceness 19 on that thread alone (Linux only: per-thread policy, read from /proc)", async () => {
    await settle();
    const answers = await Promise.all(Array.from({ length: 3 }, (_, i) => serve(i)));
    expect(answers.map((a) => a.headers["x-shadow"])).toEqual(["2", "2", "2"]);
    await settle();
    const scoring = shadowQueueStatus().scoringThread;
    expect(scoring).toMatchObject({ nice: 19, policy: "idle" });
    // What the kernel schedules by, not what the module remembers: the scoring thread at 19 in SCHED_IDLE, named so
    // that `top -H` shows it; serving's thread as it was.
    expect(threadNiceness(scoring!.tid)).toBe(19);
    expect(threadPolicy(scoring!.tid)).toBe(SCHED_IDLE);
    expect(threadName(scoring!.tid)).toBe("studio-shadow");
    expect(scoring!.tid).not.toBe(currentThreadId());
    expect(threadNiceness(currentThreadId())).toBe(os.getPriority());
    expect(threadPolicy(currentThreadId())).toBe(SCHED_OTHER);
  });

  it("keeps no session of the shadowed version on the serving thread: the scoring thread holds its only one", async () => {
    await settle();
    const fresh = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => serve(i, {}, fresh)));
      expect(answers.map((a) => [a.status, a.headers["x-model-version"], a.headers["x-shadow"]])).toEqual(answers.map(() => [200, "1", "2"]));
      await settle();
      const ids = answers.map((a) => a.headers["x-request-id"]!);
      const logged = await studio.db.select({ requestId: inferenceLog.requestId, route: inferenceLog.route, predictions: inferenceLog.predictions }).from(inferenceLog);
      // Every copy scored and logged under its request id, as with the shadow's session on the serving thread...
      const shadowIds = logged.filter((l) => l.route === "shadow" && ids.includes(l.requestId)).map((l) => l.requestId);
      expect(shadowIds.sort()).toEqual([...ids].sort());
      // ...which now holds production's session only.
      expect(fresh.holdsSession((await findModelVersion(studio.db, MODEL, "1")).row.versionId)).toBe(true);
      expect(fresh.holdsSession((await findModelVersion(studio.db, MODEL, "2")).row.versionId)).toBe(false);
    } finally {
      await fresh.close();
    }
  });

  it("feeds a shadow that takes production's inputs with production's own parse, and parses again for one that does not", async () => {
    await settle();
    const before = shadowQueueStatus();
    for (let i = 0; i < 5; i++) expect((await serve(i)).headers["x-shadow"]).toBe("2");
    await settle();
    // v1 and v2 take the same matrix: no copy was parsed a second time.
    expect(shadowQueueStatus().reused - before.reused).toBe(5);
    expect(shadowQueueStatus().parsed - before.parsed).toBe(0);

    // Production's tensors go to the shadow only when the shadow would make the same ones: here they are marked (-1
    // everywhere) to tell them from the request's own values, and a production taking other inputs (named columns)
    // has its copy parsed again from the request.
    const parseRow = (model: Parameters<ShadowParse>[0]) => parseMlflowJson(model, { dataframe_split: { columns, data: [rows[4]] } }).feeds as Record<string, ort.Tensor>;
    const v1 = await server.acquire({ name: MODEL, alias: null, version: "1" });
    try {
      const marked = { [v1.inputs[0]!.name]: new ort.Tensor("float32", new Float32Array(30).fill(-1), [1, 30]) };
      const copy = (requestId: string, production: ProductionParse) => ({ server, db: studio.db, modelName: MODEL, version: "2", requestId, protocol: "mlflow" as const, parse: parseRow, production });
      expect(enqueueShadowCopy(copy("p-same", { model: v1, feeds: marked }))).toBe(true);
      expect(enqueueShadowCopy(copy("p-other", { model: { ...v1, namedColumns: !v1.namedColumns }, feeds: marked }))).toBe(true);
    } finally {
      server.release(v1);
    }
    await settle();
    const logged = await studio.db.select({ requestId: inferenceLog.requestId, inputs: inferenceLog.inputs }).from(inferenceLog).where(eq(inferenceLog.route, "shadow"));
    const firstInput = (id: string) => Object.values(logged.find((l) => l.requestId === id)!.inputs)[0];
    expect(firstInput("p-same")).toEqual([-1]);
    expect(firstInput("p-other")).toEqual([Math.fround(rows[4]![0]!)]);
    expect(shadowQueueStatus().parsed - before.parsed).toBe(1);
  });

  it("copies a request's cells into the shadow's batch as it is queued, keeping no hold on the request: the same answers logged", async () => {
    await settle();
    // A first copy makes the shadow's description known; the copies after it are stacked as they are queued.
    expect((await serve(0)).headers["x-shadow"]).toBe("2");
    await settle();
    const v1 = await server.acquire({ name: MODEL, alias: null, version: "1" });
    const name = v1.inputs[0]!.name;
    const parseRow = (model: Parameters<ShadowParse>[0]) => parseMlflowJson(model, { dataframe_split: { columns, data: [rows[4]] } }).feeds as Record<string, ort.Tensor>;
    const enqueue = (requestId: string, cells: Float32Array, rowCount: number) =>
      enqueueShadowCopy({ server, db: studio.db, modelName: MODEL, version: "2", requestId, protocol: "mlflow", parse: parseRow, production: { model: v1, feeds: { [name]: new ort.Tensor("float32", cells, [rowCount, 30]) } } });
    const logged = async (id: string) => (await studio.db.select({ inputs: inferenceLog.inputs, rowCount: inferenceLog.rowCount }).from(inferenceLog).where(and(eq(inferenceLog.route, "shadow"), eq(inferenceLog.requestId, id))))[0];
    try {
      for (const copyAt of ["enqueue", "send"] as const) {
        shadowQueueTestHooks.copyAt(copyAt);
        const before = shadowQueueStatus();
        // Two copies queued together, of one and two rows; production's cells are then overwritten, as memory the
        // request no longer needs may be: a copy stacked when queued has its own cells, one stacked when sent does not.
        const one = Float32Array.from(rows[1]!);
        const two = Float32Array.from([...rows[2]!, ...rows[3]!]);
        expect(enqueue(`pack-${copyAt}-1`, one, 1)).toBe(true);
        expect(enqueue(`pack-${copyAt}-2`, two, 2)).toBe(true);
        one.fill(-1);
        two.fill(-1);
        await settle();
        expect(shadowQueueStatus().packed - before.packed).toBe(copyAt === "enqueue" ? 2 : 0);
        expect(shadowQueueStatus().reused - before.reused).toBe(2);
        const first = await logged(`pack-${copyAt}-1`);
        const second = await logged(`pack-${copyAt}-2`);
        expect([first?.rowCount, second?.rowCount]).toEqual([1, 2]);
        const firstCells = Object.values(first!.inputs)[0];
        const secondCells = Object.values(second!.inputs)[0];
        if (copyAt === "enqueue") {
          expect(firstCells).toEqual([Math.fround(rows[1]![0]!)]);
          expect(secondCells).toEqual([Math.fround(rows[2]![0]!), Math.fround(rows[3]![0]!)]);
        } else {
          expect(firstCells).toEqual([-1]);
          expect(secondCells).toEqual([-1, -1]);
        }
      }
    } finally {
      shadowQueueTestHooks.copyAt("enqueue");
      server.release(v1);
    }
    // And served requests: every copy after the first stacked as queued, each logged under its own request id.
    const before = shadowQueueStatus();
    const ids = (await Promise.all(Array.from({ length: 6 }, (_, i) => serve(i)))).map((a) => a.headers["x-request-id"]!);
    await settle();
    expect(shadowQueueStatus().packed - before.packed).toBe(6);
    expect(shadowQueueStatus().scored - before.scored).toBe(6);
    const shadowIds = (await studio.db.select({ requestId: inferenceLog.requestId }).from(inferenceLog).where(eq(inferenceLog.route, "shadow"))).map((l) => l.requestId);
    expect(shadowIds.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
  });

  it("records the error of a copy the shadow refuses, for the guards, and still scores the copies queued with it", async () => {
    await settle();
    const good = (i: number) => (model: Parameters<ShadowParse>[0]) => parseMlflowJson(model, { dataframe_split: { columns, data: [rows[i]] } }).feeds as Record<string, ort.Tensor>;
    // A copy the shadow cannot use (the shadow may take other inputs than production): three columns instead of 30.
    const refused = (model: Parameters<ShadowParse>[0]) => ({ [model.inputs[0]!.name]: new ort.Tensor("float32", Float32Array.from([1, 2, 3]), [1, 3]) });
    const copy = (requestId: string, parse: ShadowParse) => ({ server, db: studio.db, modelName: MODEL, version: "2", requestId, protocol: "mlflow" as const, parse });
    for (const [id, parse] of [["q-1", good(1)], ["q-bad", refused], ["q-2", good(2)], ["q-3", good(3)]] as const) expect(enqueueShadowCopy(copy(id, parse))).toBe(true);
    await settle();
    const logged = await studio.db.select({ requestId: inferenceLog.requestId }).from(inferenceLog).where(eq(inferenceLog.route, "shadow"));
    expect(logged.map((l) => l.requestId).filter((id) => id.startsWith("q-")).sort()).toEqual(["q-1", "q-2", "q-3"]);
    const errors = await studio.db.select({ requestId: servingErrors.requestId, route: servingErrors.route, status: servingErrors.status, message: servingErrors.message }).from(servingErrors).where(like(servingErrors.requestId, "q-%"));
    expect(errors).toEqual([{ requestId: "q-bad", route: "shadow", status: 400, message: expect.stringMatching(/could not score this input/) }]);
  });

  it("scores copies on a thread of its own, logging exactly what scoring them on the serving thread logged", async () => {
    await settle();
    const shadowAnswers = async (scorer: "worker" | "main") => {
      shadowQueueTestHooks.useScorer(scorer);
      try {
        const ids: string[] = [];
        for (let i = 0; i < 8; i++) ids.push((await serve(i)).headers["x-request-id"]!);
        await settle();
        return ids;
      } finally {
        shadowQueueTestHooks.useScorer("worker");
      }
    };
    const onThread = await shadowAnswers("worker");
    const onServingThread = await shadowAnswers("main");
    const logged = await studio.db
      .select({ requestId: inferenceLog.requestId, versionId: inferenceLog.versionId, inputs: inferenceLog.inputs, predictions: inferenceLog.predictions, protocol: inferenceLog.protocol, rowCount: inferenceLog.rowCount })
      .from(inferenceLog)
      .where(eq(inferenceLog.route, "shadow"));
    const byId = new Map(logged.map(({ requestId, ...row }) => [requestId, row]));
    for (let i = 0; i < 8; i++) {
      expect(byId.get(onThread[i]!), `request ${i}`).toBeDefined();
      expect(byId.get(onThread[i]!)).toEqual(byId.get(onServingThread[i]!));
    }
  });

  it("loses only the copies a scoring thread that dies was holding, counted as dropped, and starts another for the next", async () => {
    await settle();
    const before = shadowQueueStatus();
    // The thread holds what it is given, as a shadow that fell behind would: production answers all the same.
    shadowQueueTestHooks.holdScoring();
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => serve(i)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    await expect.poll(() => shadowQueueTestHooks.handedToThread()).toBeGreaterThan(0);
    const held = shadowQueueTestHooks.handedToThread();
    expect(shadowQueueStatus().scored).toBe(before.scored);
    await shadowQueueTestHooks.scoringThread()!.terminate();
    await settle();
    expect(shadowQueueStatus().dropped - before.dropped).toBe(held);
    // Copies still queued when it died, and new ones, go to a new thread.
    const next = await Promise.all(Array.from({ length: 5 }, (_, i) => serve(i)));
    await settle();
    expect(shadowQueueStatus().scored - before.scored).toBe(5 - held + 5);
    const ids = next.map((a) => a.headers["x-request-id"]!);
    const logged = await studio.db.select({ requestId: inferenceLog.requestId }).from(inferenceLog).where(eq(inferenceLog.route, "shadow"));
    expect(logged.filter((l) => ids.includes(l.requestId))).toHaveLength(5);
  });

  it("scores the queued copies before a graceful shutdown ends the scoring thread", async () => {
    await settle();
    const ids = (await Promise.all(Array.from({ length: 6 }, (_, i) => serve(i)))).map((a) => a.headers["x-request-id"]!);
    await closeShadowQueue();
    expect(shadowQueueTestHooks.scoringThread()).toBeNull();
    await settle();
    const logged = await studio.db.select({ requestId: inferenceLog.requestId }).from(inferenceLog).where(eq(inferenceLog.route, "shadow"));
    expect(logged.filter((l) => ids.includes(l.requestId))).toHaveLength(6);
  });

  it("drops shadow copies, and counts them, when the shadow falls behind; production answers all the same", async () => {
    const before = shadowQueueStatus().dropped;
    shadowQueueTestHooks.setMaxQueued(0);
    try {
      for (let i = 0; i < 5; i++) {
        const answer = await serve(i);
        expect(answer.status).toBe(200);
        expect(answer.headers["x-shadow"]).toBeUndefined();
      }
    } finally {
      shadowQueueTestHooks.reset();
    }
    expect(shadowQueueStatus().dropped - before).toBe(5);
    expect((await compareTraffic(studio.as(erin), { name: MODEL })).shadowDropped).toBeGreaterThanOrEqual(5);
  });

  it("takes the same settings over REST, and says what to fix in bad input", async () => {
    const as = (actor: Actor) => async () => studio.as(actor);
    const put = (body: string, actor: Actor = erin) =>
      handlePutTraffic(new Request(`http://studio.test/api/deployments/${MODEL}/traffic`, { method: "PUT", body }), MODEL, as(actor));
    const bad = await put(JSON.stringify({ canary: { version: "2", share: 0.9 } }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/at most 0.5/);
    expect((await put("{not json")).status).toBe(400);
    expect((await put(JSON.stringify({ guards: { maxErrorRate: 0.3 } }), vera)).status).toBe(403);
    const ok = await put(JSON.stringify({ guards: { maxErrorRate: 0.3, minRequests: 10 } }));
    expect(ok.status, await ok.clone().text()).toBe(200);
    const got = await handleGetTraffic(new Request(`http://studio.test/api/deployments/${MODEL}/traffic`), MODEL, as(vera));
    expect(await got.json()).toMatchObject({ modelName: MODEL, shadow: { version: "2" }, guards: { maxErrorRate: 0.3, minRequests: 10, autoRollback: false } });
  });

  it("runs an approved canary for its share of callers, sticky per caller key, and stops it when it fails", async () => {
    // v2 gets its review approved, like any version bound for callers.
    const test = await registerDatasetVersion(
      studio.as(erin),
      datasetRoot,
      { name: "bc-test", format: "csv", masking: {}, labelColumn: "malignant", sensitiveAttributes: [] },
      createReadStream(path.join(fixtures, "datasets/breast_cancer.test.csv")),
    );
    await waitForDatasetJobs();
    const { id } = await requestReview(
      studio.as(erin),
      {
        modelName: MODEL,
        modelVersion: "2",
        datasetName: "bc-test",
        datasetVersion: test.version.version,
        labelColumn: "malignant",
        sensitiveAttributes: [],
        criteria: { ...defaultCriteria("binary"), maxGroupGap: null },
        requiredApprovals: 1,
        context: { businessGoal: "Canary of the retrained forest", expectedRoi: "", knownLimits: "" },
        columnOrder: columns,
      },
      datasetRoot,
    );
    await waitForReviewJobs();
    const evaluated = await getReview(studio.as(erin), id);
    const exceptions = (evaluated.criteriaResults ?? []).filter((r) => !r.passed).map((r) => ({ key: r.key, justification: "Accepted for the canary test." }));
    await decideReview(studio.as(rita), { id, decision: "approve", comment: "Approved for a canary, with any documented exception.", exceptions });

    await configureTraffic(studio.as(erin), {
      name: MODEL,
      canary: { version: "2", share: 0.5 },
      guards: { maxErrorRate: 0.2, maxP99Ms: null, maxLiveMetricDrop: null, maxDriftShare: null, autoRollback: false, minRequests: 5 },
    });
    expect((await audits("deployment.canary.start"))[0]).toMatchObject({ after: { model: MODEL, version: "2", share: 0.5 } });
    const routeOf = new Map<string, string>();
    for (let i = 0; i < 40; i++) {
      const answer = await serve(i, { "x-caller-key": `customer-${i % 20}` });
      expect(answer.status).toBe(200);
      const route = answer.headers["x-model-route"]!;
      expect(answer.headers["x-model-version"]).toBe(route === "canary" ? "2" : "1");
      // A canary's answer is not copied to the shadow; production's are.
      expect(answer.headers["x-shadow"]).toBe(route === "canary" ? undefined : "2");
      if (routeOf.has(`customer-${i % 20}`)) expect(route).toBe(routeOf.get(`customer-${i % 20}`));
      routeOf.set(`customer-${i % 20}`, route);
    }
    const canaryCallers = [...routeOf.values()].filter((r) => r === "canary").length;
    expect(canaryCallers).toBeGreaterThan(2);
    expect(canaryCallers).toBeLessThan(18);
    await settle();
    expect((await evaluateGuards(studio.as(erin), { name: MODEL })).action).toBe("none");
    expect((await compareTraffic(studio.as(erin), { name: MODEL })).challenger).toMatchObject({ route: "canary", version: "2", errors: 0 });

    // The canary breaks: every answer it gives fails.
    process.env.STUDIO_SERVING_TEST_FAULTS = "1";
    let failed = 0;
    for (let i = 0; i < 40; i++) {
      const answer = await serve(i, { "x-caller-key": `customer-${i % 20}`, "x-test-fail-version": "2" });
      if (answer.status !== 200) failed++;
    }
    expect(failed).toBeGreaterThan(5);
    await settle();
    await expect(evaluateGuards(studio.as(vera), { name: MODEL })).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    const outcome = await evaluateGuards(studio.as(erin), { name: MODEL });
    expect(outcome.action).toBe("canary-stopped");
    expect(outcome.reasons[0]).toMatch(/canary v2 failed \d+ of \d+ requests/);
    const [stopped] = await audits("deployment.canary.auto-stop");
    expect(stopped).toMatchObject({ actorUsername: "system", after: { model: MODEL, version: "2", share: 0 } });
    expect((stopped!.meta as { reason: string }).reason).toMatch(/at or above the 20% limit/);
    const afterStop = await getTrafficConfig(studio.as(vera), { name: MODEL });
    expect(afterStop.canary).toMatchObject({ version: "2", share: 0 });
    // The page says why in the reader's language: the stop is stored as a code with its numbers, beside the English text.
    const [errors, answered] = outcome.reasons[0]!.match(/failed (\d+) of (\d+) requests/)!.slice(1).map(Number);
    expect(afterStop.lastGuardActionMessage).toEqual({
      code: "guard_action.canary_stopped",
      params: { version: "2", reasons: [{ code: "guard.error_rate", params: { route: "canary", version: "2", errors, answered, rate: errors! / answered!, limit: 0.2 } }] },
    });
    expect(outcome.reasonMessages).toEqual((afterStop.lastGuardActionMessage!.params.reasons as unknown[]).slice(0, 1));
    const percent = (locale: string, share: number) => new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(share);
    expect(sayIn("en", afterStop.lastGuardActionMessage, afterStop.lastGuardAction!)).toBe(
      `Canary v2 stopped: canary v2 failed ${errors} of ${answered} requests (${percent("en", errors! / answered!)}), at or above the 20% limit`,
    );
    expect(sayIn("fr", afterStop.lastGuardActionMessage, afterStop.lastGuardAction!)).toBe(
      `Canari v2 arrêté\u00a0: canari v2\u00a0: ${errors} requêtes sur ${answered} en échec (${percent("fr", errors! / answered!)}), à la limite de ${percent("fr", 0.2)} ou au-delà`,
    );
    // Scripts reading the REST answer get it as before: the English sentence, no catalogue code.
    const rest = (await (await handleGetTraffic(new Request(`http://studio.test/api/deployments/${MODEL}/traffic`), MODEL, async () => studio.as(vera))).json()) as Record<string, unknown>;
    expect(rest.lastGuardAction).toBe(afterStop.lastGuardAction);
    expect(rest).not.toHaveProperty("lastGuardActionMessage");
    // Stopped means stopped: every caller gets production again, at once in this process.
    for (let i = 0; i < 20; i++) expect((await serve(i, { "x-caller-key": `customer-${i}`, "x-test-fail-version": "2" })).headers["x-model-route"]).toBe("production");
    delete process.env.STUDIO_SERVING_TEST_FAULTS;
  });

  it("promotes the canary through the review gate, and rolls production back automatically when it fails", async () => {
    await configureTraffic(studio.as(erin), { name: MODEL, canary: { version: "2", share: 0.1 }, shadow: null });
    expect(await audits("deployment.shadow.stop")).toHaveLength(1);
    const promoted = await promoteCanary(studio.as(erin), { name: MODEL });
    expect(promoted).toMatchObject({ productionVersion: "2", canary: null });
    expect((await audits("deployment.canary.promote"))[0]).toMatchObject({ after: { model: MODEL, version: "2" } });

    await configureTraffic(studio.as(erin), {
      name: MODEL,
      guards: { maxErrorRate: 0.5, maxP99Ms: null, maxLiveMetricDrop: null, maxDriftShare: null, autoRollback: true, minRequests: 5 },
    });
    process.env.STUDIO_SERVING_TEST_FAULTS = "1";
    for (let i = 0; i < 10; i++) expect((await serve(i, { "x-test-fail-version": "2" })).status).toBe(500);
    delete process.env.STUDIO_SERVING_TEST_FAULTS;
    await settle();
    const outcome = await evaluateGuards(studio.as(erin), { name: MODEL });
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ action: "rolled-back" });
    const [production] = await queryRows<{ version: number }>(
      studio.db,
      sql`select v.version from registered_model_aliases a join model_versions v on v.version_id = a.version_id where a.alias = 'production'`,
    );
    expect(Number(production!.version)).toBe(1);
    const [rolled] = await audits("deployment.rollback.auto");
    expect(rolled).toMatchObject({ actorUsername: "system", after: { model: MODEL, version: "1", from: "2" } });
    const afterRollback = await getTrafficConfig(studio.as(erin), { name: MODEL });
    const [errors, answered] = outcome.reasons[0]!.match(/failed (\d+) of (\d+) requests/)!.slice(1).map(Number);
    expect(afterRollback.lastGuardActionMessage).toEqual({
      code: "guard_action.rolled_back",
      params: { from: "2", to: "1", reasons: [{ code: "guard.error_rate", params: { route: "production", version: "2", errors, answered, rate: errors! / answered!, limit: 0.5 } }] },
    });
    const percent = (share: number) => new Intl.NumberFormat("fr", { style: "percent", maximumFractionDigits: 1 }).format(share);
    expect(sayIn("fr", afterRollback.lastGuardActionMessage, afterRollback.lastGuardAction!)).toBe(
      `Production ramenée de v2 à v1\u00a0: production v2\u00a0: ${errors} requêtes sur ${answered} en échec (${percent(errors! / answered!)}), à la limite de ${percent(0.5)} ou au-delà`,
    );
    expect((await serve(0)).headers["x-model-version"]).toBe("1");
  });
});
