// The team topology of README "Run it for a team", as processes on this machine (issue 21, "Done when"):
// PostgreSQL, an S3-compatible server, two web instances on two ports (A and B: scripts/server.mjs on the
// production build), one job worker (`npm run worker`) and two serving replicas (`npm run serve`). Nothing is shared
// between them but the database and the bucket: each has its own data folder. Steps, in order, on one topology:
// runs logged through A are read through B; a dataset uploaded through B is profiled once; a worker killed with -9
// during an evaluation has its job finished by another process; a promotion through A reaches both replicas within a
// second with no failed request; every process is scraped; PostgreSQL restarts under serving traffic.
// Needs the production build (.next): scripts/test.mjs runs it after `next build`, with vitest.topology.config.ts.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultCriteria } from "@/server/review/schema";
import { startTestS3Server, type TestS3Server } from "@/server/testing/s3-test-server";
import { freePort, npmScriptCommand, sleep, startProcess, startTopologyPostgres, waitFor, type StudioProcess, type TopologyPostgres } from "./harness";

const ADMIN_PASSWORD = "topology-admin-password-21";
const METRICS_TOKEN = "topology-metrics-token-21";
const adminAuth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}`;
const MODEL = "topology-rf";
/** Short, so a killed worker's job is taken over within seconds (the default is tuned for production). */
const JOB_LEASE_MS = 3_000;

const csvLines = (await readFile("fixtures/datasets/breast_cancer.test.csv", "utf8")).trim().split("\n");
const featureRows = csvLines.slice(1).map((line) => line.split(",").slice(0, 30).map(Number));
const oneRowBody = (i: number) => JSON.stringify({ inputs: [featureRows[i % featureRows.length]] });

interface Topology {
  root: string;
  postgres: TopologyPostgres;
  s3: TestS3Server;
  a: StudioProcess;
  b: StudioProcess;
  worker: StudioProcess;
  /** Starts another worker (as compose's restart policy would after a crash). */
  startWorker(): Promise<StudioProcess>;
  replicas: StudioProcess[];
  serveToken: string;
}

let topology: Topology;
const started: StudioProcess[] = [];

async function trpc<T>(baseUrl: string, procedure: string, input: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { authorization: adminAuth, "content-type": "application/json" },
    body: JSON.stringify({ json: input }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${procedure} answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { result: { data: { json: T } } }).result.data.json;
}

async function mlflow<T>(baseUrl: string, endpoint: string, body: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}/api/2.0/mlflow/${endpoint}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: adminAuth, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${endpoint} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: topology.postgres.url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

interface JobRow {
  job_id: string;
  state: string;
  attempts: number;
  locked_by: string | null;
}

/** The process whose group holds a job: locked_by ends in ':<pid>:<random>', and each process runs in its own group. */
function processHolding(job: Pick<JobRow, "locked_by">): StudioProcess | undefined {
  const pid = /:(\d+):[0-9a-f]+$/.exec(job.locked_by ?? "")?.[1];
  if (!pid) return undefined;
  let group: number;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    group = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  } catch {
    return undefined; // gone (the killed worker)
  }
  return started.find((process) => process.child.pid === group);
}

/** Polls the jobs table every 20 ms for the processes holding a job, until stopped; returns their names. */
function watchHolders(kind: string, target: string): { stop(): Promise<string[]> } {
  const seen = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await query<JobRow>("select job_id, state, attempts, locked_by from jobs where kind = $1 and target = $2 and state = 'running'", [kind, target]).catch(() => []);
      for (const row of rows) seen.add(processHolding(row)?.name ?? row.locked_by ?? "?");
      await sleep(20);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return [...seen];
    },
  };
}

interface Answer {
  replica: number;
  startedAt: number;
  durationMs: number;
  status: number;
  version: string | null;
  requestId: string | null;
  body: string;
}

/** Requests to the replicas from `concurrency` loops (alternating replicas) until stopped; every answer recorded. */
function traffic(concurrency: number, pauseMs = 0): { answers: Answer[]; stop(): Promise<Answer[]> } {
  const answers: Answer[] = [];
  let running = true;
  let counter = 0;
  const loop = async (lane: number) => {
    while (running) {
      const replica = lane % topology.replicas.length;
      const i = counter++;
      const startedAt = Date.now();
      try {
        const response = await fetch(`${topology.replicas[replica]!.baseUrl}/api/serve/${MODEL}/invocations`, {
          method: "POST",
          headers: { authorization: `Bearer ${topology.serveToken}`, "content-type": "application/json" },
          body: oneRowBody(i),
        });
        const body = await response.text();
        answers.push({ replica, startedAt, durationMs: Date.now() - startedAt, status: response.status, version: response.headers.get("x-model-version"), requestId: response.headers.get("x-request-id"), body });
      } catch (error) {
        answers.push({ replica, startedAt, durationMs: Date.now() - startedAt, status: 0, version: null, requestId: null, body: (error as Error).message });
      }
      if (pauseMs) await sleep(pauseMs);
    }
  };
  const lanes = Array.from({ length: concurrency }, (_, lane) => loop(lane));
  return {
    answers,
    stop: async () => {
      running = false;
      await Promise.all(lanes);
      return answers;
    },
  };
}

const failed = (answers: Answer[]) => answers.filter((answer) => answer.status !== 200);
const describeFailures = (answers: Answer[]) =>
  failed(answers)
    .slice(0, 5)
    .map((a) => `replica ${a.replica}: ${a.status} ${a.body.slice(0, 200)}`)
    .join("\n");

/** Logs of every process, printed when a step fails (vitest shows them after the failure). */
function printLogs(): void {
  for (const process of started) console.log(`\n--- ${process.name} (${process.logFile}) ---\n${process.tail(60)}`);
}

describe("team topology: two web instances, a worker and two serving replicas on one PostgreSQL and one bucket", () => {
  beforeAll(async () => {
    if (!existsSync(path.join(".next", "BUILD_ID"))) {
      throw new Error("The topology test runs the production build: run `npx next build` first (npm test does).");
    }
    const root = await mkdtemp(path.join(os.tmpdir(), "studio-topology-"));
    // As root the PostgreSQL runs as 'postgres', which must be able to reach its folder.
    await chmod(root, 0o755);
    const logDir = path.join(root, "logs");
    await mkdir(logDir);
    const postgres = await startTopologyPostgres(path.join(root, "postgres"));
    // A real S3 REST server on loopback (s3rver): artifacts, dataset versions and model bytes go there, so what one
    // process wrote another can only read through the bucket.
    const s3 = await startTestS3Server({ dir: path.join(root, "s3") });
    const common = {
      ...s3.env,
      NODE_ENV: "production",
      DATABASE_URL: postgres.url,
      STUDIO_SEED: "none",
      STUDIO_ADMIN_PASSWORD: ADMIN_PASSWORD,
      STUDIO_METRICS_TOKEN: METRICS_TOKEN,
      // One key for the team: a webhook secret sealed by a web instance is opened by the worker that delivers.
      STUDIO_SECRET_KEY: randomBytes(32).toString("base64"),
      STUDIO_JOB_LEASE_MS: String(JOB_LEASE_MS),
      NEXT_TELEMETRY_DISABLED: "1",
    };
    const web = async (name: string, jobs: "on" | "off") => {
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const process = await startProcess({
        name,
        command: globalThis.process.execPath,
        args: ["scripts/server.mjs", "-p", String(port)],
        env: { ...common, HOSTNAME: "127.0.0.1", STUDIO_DATA_DIR: path.join(root, name), STUDIO_JOBS: jobs },
        logDir,
        baseUrl,
        readyUrl: `${baseUrl}/readyz`,
      });
      started.push(process);
      return process;
    };
    // A first: it runs the migrations and creates the admin; B then starts on a migrated database.
    // A takes jobs too (a web instance does unless STUDIO_JOBS=off), B does not: the worker and A compete for them.
    const a = await web("web-a", "on");
    const b = await web("web-b", "off");
    const serving = async (name: string) => {
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const { command, args } = npmScriptCommand("serve");
      const process = await startProcess({
        name,
        command,
        args,
        env: { ...common, STUDIO_DATA_DIR: path.join(root, name), STUDIO_SERVING_PORT: String(port), STUDIO_SERVING_HOST: "127.0.0.1" },
        logDir,
        baseUrl,
        readyUrl: `${baseUrl}/healthz`,
      });
      started.push(process);
      return process;
    };
    let workers = 0;
    const startWorker = async () => {
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const { command, args } = npmScriptCommand("worker");
      const name = workers++ === 0 ? "worker" : `worker-${workers}`;
      const process = await startProcess({
        name,
        command,
        args,
        env: { ...common, STUDIO_DATA_DIR: path.join(root, name), STUDIO_WORKER_PORT: String(port) },
        logDir,
        baseUrl,
        readyUrl: `${baseUrl}/healthz`,
      });
      started.push(process);
      return process;
    };
    const [worker, replica1, replica2] = await Promise.all([startWorker(), serving("serving-1"), serving("serving-2")]);
    topology = { root, postgres, s3, a, b, worker, startWorker, replicas: [replica1, replica2], serveToken: "" };
    topology.serveToken = (await trpc<{ token: string }>(a.baseUrl!, "auth.createToken", { name: "topology serving", scope: "serve" })).token;
    for (const version of ["v1", "v2"]) {
      const upload = await fetch(`${a.baseUrl}/api/models/upload?name=${MODEL}`, {
        method: "POST",
        headers: { authorization: adminAuth, "content-type": "application/octet-stream" },
        body: await readFile(`fixtures/models/breast-cancer-rf-${version}.onnx`),
      });
      if (upload.status !== 201) throw new Error(`model upload answered ${upload.status}: ${await upload.text()}`);
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(started.map((process) => process.stop(10_000)));
    await topology?.postgres.stop().catch(() => undefined);
    await topology?.s3.stop().catch(() => undefined);
    if (topology?.root) await rm(topology.root, { recursive: true, force: true });
  }, 60_000);

  it("logs a run through A and reads its metrics and artifact through B", async () => {
    const { a, b } = topology;
    try {
      const { experiment_id: experimentId } = await mlflow<{ experiment_id: string }>(a.baseUrl!, "experiments/create", { name: `topology-${Date.now()}` });
      const created = await mlflow<{ run: { info: { run_id: string; artifact_uri: string } } }>(a.baseUrl!, "runs/create", { experiment_id: experimentId, start_time: Date.now() });
      const runId = created.run.info.run_id;
      const metrics = Array.from({ length: 50 }, (_, step) => ({ key: "loss", value: 1 / (step + 1), step, timestamp: Date.now() }));
      await mlflow(a.baseUrl!, "runs/log-batch", { run_id: runId, metrics, params: [{ key: "lr", value: "0.01" }] });
      // The artifact as the mlflow client sends it with the artifact proxy: PUT under the run's artifact URI.
      const artifactPath = created.run.info.artifact_uri.replace(/^mlflow-artifacts:\//, "");
      const bytes = Buffer.from(`weights of ${runId}\n`.repeat(10_000));
      const put = await fetch(`${a.baseUrl}/api/2.0/mlflow-artifacts/artifacts/${artifactPath}/model/weights.txt`, { method: "PUT", headers: { authorization: adminAuth }, body: bytes });
      expect(put.status, await put.text()).toBe(200);

      const run = await mlflow<{ run: { data: { metrics: { key: string; value: number }[]; params: { key: string; value: string }[] } } }>(b.baseUrl!, `runs/get?run_id=${runId}`, undefined);
      expect(run.run.data.params).toEqual([{ key: "lr", value: "0.01" }]);
      expect(run.run.data.metrics).toEqual([expect.objectContaining({ key: "loss", value: 1 / 50 })]);
      const history = await mlflow<{ metrics: unknown[] }>(b.baseUrl!, `metrics/get-history?run_id=${runId}&metric_key=loss`, undefined);
      expect(history.metrics).toHaveLength(50);
      const listed = await mlflow<{ files: { path: string }[] }>(b.baseUrl!, `artifacts/list?run_id=${runId}&path=model`, undefined);
      expect(listed.files.map((f) => f.path)).toEqual(["model/weights.txt"]);
      const read = await fetch(`${b.baseUrl}/api/2.0/mlflow-artifacts/artifacts/${artifactPath}/model/weights.txt`, { headers: { authorization: adminAuth } });
      expect(read.status).toBe(200);
      expect(Buffer.from(await read.arrayBuffer()).equals(bytes)).toBe(true);
    } catch (error) {
      printLogs();
      throw error;
    }
  });

  it("profiles a dataset uploaded through B exactly once", async () => {
    const { b } = topology;
    try {
      const name = `topology-data-${Date.now()}`;
      const meta = encodeURIComponent(JSON.stringify({ name, format: "csv", filename: "cancer.csv", masking: {} }));
      // A finished job no longer names its process (locked_by is cleared): watch it while it runs.
      const holders = watchHolders("dataset.profile", `${name} v1`);
      const upload = await fetch(`${b.baseUrl}/api/datasets/upload?meta=${meta}`, {
        method: "POST",
        headers: { authorization: adminAuth, "content-type": "application/octet-stream" },
        body: csvLines.join("\n") + "\n",
      });
      expect(upload.status, await upload.clone().text()).toBe(201);
      const profile = await waitFor(
        "the profile",
        async () => {
          const response = await fetch(`${b.baseUrl}/api/datasets/${name}/versions/1/profile`, { headers: { authorization: adminAuth } });
          return response.status === 200 ? ((await response.json()) as { profile: { rowCount: number } }) : undefined;
        },
        60_000,
        250,
      );
      expect(profile.profile.rowCount).toBe(csvLines.length - 1);
      const seen = await holders.stop();
      // One job, claimed once (one attempt), by A or the worker (B takes none: STUDIO_JOBS=off).
      const jobs = await query<JobRow>("select job_id, state, attempts, locked_by from jobs where kind = 'dataset.profile' and target = $1", [`${name} v1`]);
      expect(jobs).toEqual([expect.objectContaining({ state: "done", attempts: 1 })]);
      console.log(`[topology] the profile ran in ${seen.length ? seen.join(", ") : "(finished between two looks at the jobs table)"}`);
      expect(seen.length).toBeLessThanOrEqual(1);
      for (const holder of seen) expect([topology.a.name, topology.worker?.name]).toContain(holder);
    } catch (error) {
      printLogs();
      throw error;
    }
  });

  it("kills the worker with -9 during an evaluation: another process takes the job over when its lease expires and finishes it", async () => {
    const { a } = topology;
    try {
      const worker = topology.worker;
      // A labelled dataset big enough that an evaluation lasts a few seconds.
      const name = `topology-eval-${Date.now()}`;
      const rows = csvLines.slice(1);
      const body = [csvLines[0], ...Array.from({ length: 8_000 }, (_, i) => rows[i % rows.length])].join("\n") + "\n";
      const meta = encodeURIComponent(JSON.stringify({ name, format: "csv", filename: "eval.csv", masking: {} }));
      const upload = await fetch(`${a.baseUrl}/api/datasets/upload?meta=${meta}`, { method: "POST", headers: { authorization: adminAuth, "content-type": "application/octet-stream" }, body });
      expect(upload.status, await upload.clone().text()).toBe(201);
      // A review needs the version's profile first.
      await waitFor("the evaluation dataset's profile", async () => ((await fetch(`${a.baseUrl}/api/datasets/${name}/versions/1/profile`, { headers: { authorization: adminAuth } })).status === 200 ? true : undefined), 60_000, 250);
      const requestReview = (modelVersion: string) =>
        trpc<{ id: number }>(a.baseUrl!, "review.request", {
          modelName: MODEL,
          modelVersion,
          datasetName: name,
          datasetVersion: 1,
          labelColumn: "malignant",
          criteria: { ...defaultCriteria("binary"), maxGroupGap: null },
          // The fixture's 30 feature columns, in the order the model takes them.
          columnOrder: csvLines[0]!.split(",").slice(0, 30),
          requiredApprovals: 1,
        });
      const runningEvaluations = () => query<JobRow>("select job_id, state, attempts, locked_by from jobs where kind = 'review.evaluate' and state = 'running'");
      const heldByWorker = async () => (await runningEvaluations()).find((job) => processHolding(job) === worker);
      const reviews = [await requestReview("1")];
      // A runs jobs too: whichever claims first. If A took it, a second evaluation goes to the worker (each runs one at a time).
      const first = await waitFor("an evaluation running", async () => (await runningEvaluations())[0], 60_000, 50);
      if (processHolding(first) !== worker) reviews.push(await requestReview("2"));
      const victim = await waitFor("an evaluation running in the worker", heldByWorker, 60_000, 50);
      await worker.kill9();
      const killedAt = Date.now();
      console.log(`[topology] killed the worker (kill -9) while it evaluated (job ${victim.job_id})`);
      // Who holds it after the kill (a finished job no longer names its process).
      const takenOverBy = new Set<string>();
      let takenOverAt = 0;
      const finished = await waitFor(
        "the killed worker's evaluation finished elsewhere",
        async () => {
          const [job] = await query<JobRow>("select job_id, state, attempts, locked_by from jobs where job_id = $1", [victim.job_id]);
          if (job?.state === "running" && job.locked_by !== victim.locked_by) {
            takenOverAt ||= Date.now();
            takenOverBy.add(processHolding(job)?.name ?? job.locked_by ?? "?");
          }
          return job && job.state !== "running" && job.state !== "queued" ? job : undefined;
        },
        120_000,
        100,
      );
      console.log(
        `[topology] job ${victim.job_id}: taken over ${takenOverAt - killedAt} ms after the kill by ${[...takenOverBy].join(", ")}, ${finished.state} ${Date.now() - killedAt} ms after it, attempt ${finished.attempts}`,
      );
      expect(finished).toMatchObject({ state: "done", attempts: 2 });
      expect([...takenOverBy]).toEqual([a.name]);
      for (const { id } of reviews) {
        const review = await waitFor(`review ${id} evaluated`, async () => {
          const detail = await fetch(`${a.baseUrl}/api/trpc/review.get?input=${encodeURIComponent(JSON.stringify({ json: { id } }))}`, { headers: { authorization: adminAuth } });
          const status = ((await detail.json()) as { result: { data: { json: { status: string } } } }).result.data.json.status;
          return status === "evaluating" ? undefined : status;
        }, 120_000, 500);
        expect(review).toBe("ready");
      }
      // As compose's restart policy would: a new worker for the next steps.
      topology.worker = await topology.startWorker();
    } catch (error) {
      printLogs();
      throw error;
    }
  }, 300_000);

  it("promotes through A: both serving replicas answer the new version within a second, no request fails", async () => {
    const { a, replicas } = topology;
    try {
      const promote = (version: string) => trpc(a.baseUrl!, "registry.setAlias", { name: MODEL, version, alias: "production", overrideReason: "topology test: no review on this fixture" });
      await promote("1");
      // Both replicas serve version 1 (loaded from the store) before the switch.
      for (const replica of replicas) {
        await waitFor(
          `${replica.name} serving version 1`,
          async () => {
            const response = await fetch(`${replica.baseUrl}/api/serve/${MODEL}/invocations`, {
              method: "POST",
              headers: { authorization: `Bearer ${topology.serveToken}`, "content-type": "application/json" },
              body: oneRowBody(0),
            });
            return response.status === 200 && response.headers.get("x-model-version") === "1" ? true : undefined;
          },
          30_000,
        );
      }
      const load = traffic(4);
      await sleep(1_000);
      await promote("2");
      const promotedAt = Date.now();
      await sleep(2_500);
      const answers = await load.stop();
      expect(failed(answers), describeFailures(answers)).toEqual([]);
      for (const [replica, process] of replicas.entries()) {
        const mine = answers.filter((answer) => answer.replica === replica);
        const lastOld = Math.max(...mine.filter((answer) => answer.version === "1").map((answer) => answer.startedAt));
        const followedMs = lastOld - promotedAt;
        console.log(
          `[topology] ${process.name}: last version-1 answer to a request sent ${followedMs} ms after the promotion was acknowledged (${mine.length} requests, slowest ${Math.max(...mine.map((answer) => answer.durationMs))} ms)`,
        );
        const counts: Record<string, number> = {};
        for (const answer of mine) {
          const key = `version ${answer.version}, sent ${answer.startedAt >= promotedAt + 1_000 ? "≥ 1 s after" : "< 1 s after or before"} the promotion`;
          counts[key] = (counts[key] ?? 0) + 1;
        }
        const byVersion = JSON.stringify(counts);
        expect(mine.filter((answer) => answer.startedAt >= promotedAt + 1_000 && answer.version !== "2"), `${process.name}: ${byVersion}`).toEqual([]);
        expect(mine.some((answer) => answer.version === "2"), `${process.name}: ${byVersion}`).toBe(true);
      }
    } catch (error) {
      printLogs();
      throw error;
    }
  });

  it("answers /metrics on every process to the scraper's token", async () => {
    const { a, b, worker, replicas } = topology;
    try {
      const scrape = async (process: StudioProcess) => {
        const response = await fetch(`${process.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
        expect(response.status, `${process.name}: ${response.status}`).toBe(200);
        expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
        return response.text();
      };
      expect(await scrape(a)).toMatch(/studio_http_requests_total\{[^}]*surface="mlflow"/);
      expect(await scrape(b)).toMatch(/studio_http_requests_total\{[^}]*surface="mlflow"/);
      for (const replica of replicas) expect(await scrape(replica)).toMatch(new RegExp(`studio_serving_requests_total\\{[^}]*model="${MODEL}"[^}]*version="2"`));
      expect(await scrape(worker)).toMatch(/studio_background_jobs\{/);
      const refused = await fetch(`${a.baseUrl}/metrics`);
      expect(refused.status).toBe(401);
    } catch (error) {
      printLogs();
      throw error;
    }
  });

  it("restarts PostgreSQL under serving traffic: predictions keep flowing, the inference log catches up, nothing acknowledged is lost, the web tier answers 503 meanwhile", async () => {
    const { a, b, postgres } = topology;
    try {
      const countLog = async () => Number((await query<{ n: string }>("select count(*)::bigint as n from inference_log"))[0]!.n);
      // The log is written off the request path: wait until it has caught up with the earlier steps.
      let settled = -1;
      await waitFor("the inference log to settle", async () => {
        const now = await countLog();
        if (now === settled) return true;
        settled = now;
        return undefined;
      }, 30_000, 1_000);
      const before = settled;

      // Acknowledged writes before the outage: a run through A, feedback through a replica.
      const { experiment_id: experimentId } = await mlflow<{ experiment_id: string }>(a.baseUrl!, "experiments/create", { name: `topology-outage-${Date.now()}` });
      const run = await mlflow<{ run: { info: { run_id: string } } }>(a.baseUrl!, "runs/create", { experiment_id: experimentId, start_time: Date.now() });
      const runId = run.run.info.run_id;
      await mlflow(a.baseUrl!, "runs/log-batch", { run_id: runId, metrics: [{ key: "acc", value: 0.9, step: 0, timestamp: Date.now() }] });

      const load = traffic(2, 5);
      await sleep(1_000);
      // Feedback names a logged request: these were answered before the outage and are in the inference log.
      const loggedRequestIds = await waitFor(
        "requests of this step in the inference log",
        async () => {
          const ids = load.answers.filter((answer) => answer.status === 200 && answer.requestId).map((answer) => answer.requestId!);
          const rows = await query<{ request_id: string }>("select request_id from inference_log where request_id = any($1)", [ids]);
          return rows.length >= 10 ? rows.map((row) => row.request_id) : undefined;
        },
        20_000,
        200,
      );
      const acknowledgedFeedback: string[] = [];
      const feedbackRefusals: string[] = [];
      const sendFeedback = async () => {
        const requestId = loggedRequestIds.pop();
        if (!requestId) return;
        const response = await fetch(`${topology.replicas[0]!.baseUrl}/api/serve/${MODEL}/feedback`, {
          method: "POST",
          headers: { authorization: `Bearer ${topology.serveToken}`, "content-type": "application/json" },
          body: JSON.stringify({ request_id: requestId, label: 1 }),
        });
        const text = await response.text();
        if (response.status === 200) acknowledgedFeedback.push(requestId);
        else feedbackRefusals.push(`${response.status} ${text.slice(0, 200)}`);
      };
      await sendFeedback();
      expect(acknowledgedFeedback, feedbackRefusals.join("\n")).toHaveLength(1);

      const stoppedAt = Date.now();
      await postgres.stop();
      // While it is down: the web tier says so with a message, not a stack trace; serving keeps answering.
      const outageAnswers: { status: number; body: string }[] = [];
      for (let i = 0; i < 6; i++) {
        for (const instance of [a, b]) {
          const response = await fetch(`${instance.baseUrl}/api/2.0/mlflow/experiments/search`, { method: "POST", headers: { authorization: adminAuth, "content-type": "application/json" }, body: "{}" });
          outageAnswers.push({ status: response.status, body: await response.text() });
        }
        await sendFeedback();
        await sleep(300);
      }
      const readiness = await fetch(`${a.baseUrl}/readyz`);
      expect(readiness.status).toBe(503);
      expect(outageAnswers.map((answer) => answer.status)).toEqual(outageAnswers.map(() => 503));
      for (const answer of outageAnswers) {
        expect(answer.body).not.toMatch(/\n\s+at /);
        expect(JSON.parse(answer.body)).toEqual(expect.objectContaining({ message: expect.any(String) }));
      }
      const page = await fetch(`${a.baseUrl}/experiments`, { headers: { authorization: adminAuth } });
      expect(page.status).toBe(503);
      expect(await page.text()).not.toMatch(/\n\s+at /);
      const servedDuringOutage = load.answers.filter((answer) => answer.startedAt > stoppedAt && answer.status === 200).length;

      await postgres.start();
      const restartedAt = Date.now();
      await waitFor("A ready again", async () => ((await fetch(`${a.baseUrl}/readyz`)).status === 200 ? true : undefined), 30_000, 100);
      console.log(`[topology] A ready ${Date.now() - restartedAt} ms after PostgreSQL accepted connections again`);
      await sendFeedback();
      await sleep(1_000);
      const answers = await load.stop();

      expect(servedDuringOutage).toBeGreaterThan(0);
      expect(failed(answers), describeFailures(answers)).toEqual([]);
      // Every answered prediction reaches the inference log once the database is back (the buffer holds them).
      const answered = answers.length;
      const logged = await waitFor("the inference log to catch up", async () => {
        const rows = (await countLog()) - before;
        return rows >= answered ? rows : undefined;
      }, 30_000, 500);
      console.log(`[topology] ${answered} predictions (${servedDuringOutage} while PostgreSQL was down), ${logged} inference log rows written; feedback: ${acknowledgedFeedback.length} acknowledged, refused: ${feedbackRefusals.join(" | ") || "none"}`);
      expect(logged).toBe(answered);
      const feedback = await query<{ request_id: string }>("select request_id from inference_feedback where request_id = any($1)", [acknowledgedFeedback]);
      expect(feedback.map((row) => row.request_id).sort()).toEqual([...acknowledgedFeedback].sort());
      const runAfter = await mlflow<{ run: { data: { metrics: { key: string; value: number }[] } } }>(b.baseUrl!, `runs/get?run_id=${runId}`, undefined);
      expect(runAfter.run.data.metrics).toEqual([expect.objectContaining({ key: "acc", value: 0.9 })]);
    } catch (error) {
      printLogs();
      throw error;
    }
  }, 120_000);
});
