// bench/serving: the serving endpoints under autocannon — through the Next.js production server and through the
// standalone serving process (`npm run serve`) — next to two same-run baselines on the same model: onnxruntime-node
// in-process (the compute limit) and a bare node:http server that parses JSON and runs the same session (the
// transport limit). Batch 1 and 100 rows; then a fixed 1,000 req/s rate for p99. Model: breast-cancer-rf-v1.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { openDatabase } from "@/db/client";
import { latencySummary } from "@/lib/percentile";
import { pacedLoad } from "./paced-load";
import { LocalArtifactStore } from "@/server/artifacts/store";
import { systemActor } from "@/server/auth/actor";
import { createUserAsSystem } from "@/server/auth/accounts";
import { zCreateToken, zCreateUser } from "@/server/auth/schema";
import { createToken } from "@/server/auth/tokens";
import { registerOnnxUpload } from "@/server/registry/onnx-versions";
import { setModelAlias } from "@/server/registry/registered-models";
import { servingSessionOptions } from "@/server/serving/model-server";
import { formatNumber, type BenchRow } from "./stats";
import { freePort, startStudio } from "./studio-server";
import { meterCpu, nodeProcessOf, type CpuPerRequest } from "./serving-cpu";

const MODEL_FILE = "fixtures/models/breast-cancer-rf-v1.onnx";
const MODEL = "breast-cancer-rf-v1";
const CONNECTIONS = 10;
const FIXED_RATE = 1000;

interface AutocannonResult {
  requests: { average: number; total: number };
  "2xx": number;
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

interface Load {
  reqPerSec: number;
  p50: number;
  p99: number;
  failed: number;
  /** Requests answered 2xx. */
  answered: number;
  /** CPU time per request of the serving process (and PostgreSQL), when metered. */
  cpu?: CpuPerRequest;
}

/** The serving process to meter (its pid) and the bench database, for CPU time per request. */
interface Meter {
  pid: number;
  databaseUrl: string | null;
}

async function load(url: string, body: string, headers: Record<string, string>, seconds: number, rate?: number, meter?: Meter): Promise<Load> {
  const stopMeter = meter ? await meterCpu(meter.pid, meter.databaseUrl) : null;
  if (rate) {
    // A fixed rate is paced evenly (bench/paced-load.ts): autocannon's overallRate sends each connection's share of a
    // second back to back, so its p99 measured 10 concurrent requests draining rather than a server at that rate.
    const paced = await pacedLoad({ url, body, rate, seconds, headers: () => ({ "content-type": "application/json", ...headers }) });
    const cpu = stopMeter ? await stopMeter(paced.sent) : undefined;
    // Answers over the time they took: a server that fell behind answered fewer than `rate` per second.
    return { reqPerSec: paced.answered / paced.elapsedSeconds, p50: paced.p50, p99: paced.p99, failed: paced.failed, answered: paced.answered, cpu };
  }
  const result = await autocannon({
    url,
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
    connections: CONNECTIONS,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
  });
  const cpu = stopMeter ? await stopMeter(result.requests.total) : undefined;
  return { reqPerSec: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failed: result.non2xx + result.errors + result.timeouts, answered: result["2xx"], cpu };
}

/** The compute limit: session.run on ready tensors, sequentially, in this process. */
async function inProcess(rows: number[][], iterations: number): Promise<{ runsPerSec: number; p50: number; p99: number }> {
  const session = await ort.InferenceSession.create(new Uint8Array(await readFile(MODEL_FILE)), servingSessionOptions());
  const tensor = new ort.Tensor("float32", Float32Array.from(rows.flat()), [rows.length, 30]);
  for (let i = 0; i < 200; i++) await session.run({ input: tensor });
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await session.run({ input: tensor });
    times.push(performance.now() - t);
  }
  const elapsed = performance.now() - start;
  await session.release();
  const summary = latencySummary(times);
  return { runsPerSec: (iterations * 1000) / elapsed, p50: summary.p50, p99: summary.p99 };
}

/** A data folder with the model registered, `production` pointing at version 1, and a serve-scoped token. */
/** Sets every registered model's inference-log sample rate (0-1) on the studio's PostgreSQL database. */
export async function setLogSampleRate(databaseUrl: string, rate: number): Promise<void> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  await client
    .query(`insert into model_monitoring (model_id, sample_rate, updated_at) select model_id, $1, $2 from registered_models on conflict (model_id) do update set sample_rate = $1`, [rate, Date.now()])
    .finally(() => client.end());
}

export async function prepareDataDir(dataDir: string, databaseUrl: string | null): Promise<string> {
  const handle = await openDatabase(databaseUrl ? { url: databaseUrl, dataDir } : { dataDir });
  try {
    const ctx = { db: handle.db, artifacts: new LocalArtifactStore(path.join(dataDir, "artifacts")), actor: systemActor };
    await registerOnnxUpload(ctx, { name: MODEL, bytes: new Uint8Array(await readFile(MODEL_FILE)) });
    // The admin override, for branches where promotion to production goes through the review gate.
    await setModelAlias(ctx, { name: MODEL, alias: "production", version: "1", overrideReason: "bench/serving: benchmark fixture" });
    const user = await createUserAsSystem(handle.db, zCreateUser.parse({ username: "bench-serving", password: "bench-serving-password-1", role: "viewer" }));
    const { token } = await createToken({ ...ctx, actor: { userId: user.userId, username: user.username, role: "viewer", via: "session" } }, zCreateToken.parse({ name: "bench", scope: "serve" }));
    return token;
  } finally {
    await handle.close();
  }
}

/** A spawned process, and the inference log entries it said it dropped ("shed …", "could not write …") so far. */
interface Spawned {
  child: ChildProcess;
  stop(): Promise<void>;
  logDropped(): number;
}

export function spawnTsx(script: string, env: Record<string, string>, readyPattern: RegExp, nodeArgs: readonly string[] = []): Promise<Spawned> {
  // tsx passes the node options given before the script to the node process it starts (V8 flags such as
  // --single-threaded-gc are refused in NODE_OPTIONS).
  const child = spawn(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), ...nodeArgs, script], {
    env: { ...process.env, NODE_ENV: "production", ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let partialLine = "";
  let dropped = 0;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((ok) => child.once("exit", ok));
    process.kill(-child.pid, "SIGTERM");
    await Promise.race([exited, new Promise((ok) => setTimeout(ok, 10_000))]);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => void stop().then(() => reject(new Error(`${script} did not start:\n${output}`))), 60_000);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      const lines = (partialLine + chunk.toString()).split("\n");
      partialLine = lines.pop()!;
      for (const line of lines) {
        const lost = /inference log shed (\d+) entries|could not write (\d+) inference log entries/.exec(line);
        if (lost) dropped += Number(lost[1] ?? lost[2]);
      }
      if (readyPattern.test(output)) {
        clearTimeout(timer);
        resolve({ child, stop, logDropped: () => dropped });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${output}`));
    });
  });
}

interface TargetRuns {
  name: string;
  byBatch: Map<number, { invocations: Load; infer: Load }>;
  fixed: Load;
  /** Requests answered 2xx in all runs, warm-up included (each one is logged when the log is on). */
  answered: number;
  /** Inference log rows written for them (when counted), once the log caught up, and the entries it dropped. */
  logged?: { rows: number; dropped: number };
}

async function benchTarget(
  name: string,
  baseUrl: string,
  token: string,
  bodies: Map<number, { mlflow: string; oip: string }>,
  seconds: number,
  meter?: Meter,
): Promise<TargetRuns> {
  const headers = { authorization: `Bearer ${token}` };
  const invocationsUrl = `${baseUrl}/api/serve/${MODEL}/invocations`;
  const inferUrl = `${baseUrl}/v2/models/${MODEL}/infer`;
  let answered = 0;
  const counted = (run: Load) => ((answered += run.answered), run);
  // Warm-up: route compilation, session load, JIT.
  counted(await load(invocationsUrl, bodies.get(1)!.mlflow, headers, 2));
  counted(await load(inferUrl, bodies.get(1)!.oip, headers, 1));
  const byBatch = new Map<number, { invocations: Load; infer: Load }>();
  for (const [batch, body] of bodies) {
    console.log(`[bench] serving: ${name}, batch ${batch}…`);
    const invocations = counted(await load(invocationsUrl, body.mlflow, headers, seconds));
    const infer = counted(await load(inferUrl, body.oip, headers, seconds, undefined, batch === 1 ? meter : undefined));
    byBatch.set(batch, { invocations, infer });
  }
  console.log(`[bench] serving: ${name}, ${FIXED_RATE} req/s fixed rate…`);
  const fixed = counted(await load(inferUrl, bodies.get(1)!.oip, headers, seconds, FIXED_RATE, meter));
  return { name, byBatch, fixed, answered };
}

/** Rows in the inference log once it stops growing (the writer catches up within a second or two), or null. */
async function settledLogCount(databaseUrl: string | null): Promise<number | null> {
  if (!databaseUrl) return null;
  const { Client } = await import("pg");
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let last = -1;
    for (let i = 0; i < 30; i++) {
      const count = Number((await client.query("select count(*)::bigint as n from inference_log")).rows[0].n);
      if (count === last) return count;
      last = count;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    return last;
  } finally {
    await client.end();
  }
}

const us = (v: number) => `${formatNumber(v, 0)} µs`;
const describeCpu = (cpu: CpuPerRequest) => `main thread ${us(cpu.mainUs)} · whole process ${us(cpu.processUs)}${cpu.postgresUs === null ? "" : ` · PostgreSQL ${us(cpu.postgresUs)}`}`;

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const describeLoad = (l: Load, batch: number) =>
  `${formatNumber(l.reqPerSec, 0)} req/s · ${formatNumber(l.reqPerSec * batch, 0)} rows/s · p50 ${ms(l.p50)} / p99 ${ms(l.p99)}${l.failed ? ` · ${l.failed} failed` : ""}`;

export async function benchServing(): Promise<BenchRow[]> {
  const seconds = Number(process.env.BENCH_SERVING_SECONDS ?? 5);
  const csv = (await readFile("fixtures/datasets/breast_cancer.test.csv", "utf8")).trim().split("\n").slice(1);
  const allRows = csv.map((line) => line.split(",").slice(0, 30).map(Number));
  const rowsOf = (n: number) => Array.from({ length: n }, (_, i) => allRows[i % allRows.length]!);
  const bodies = new Map<number, { mlflow: string; oip: string }>();
  for (const batch of [1, 100]) {
    const rows = rowsOf(batch);
    bodies.set(batch, {
      mlflow: JSON.stringify({ inputs: rows }),
      oip: JSON.stringify({ inputs: [{ name: "input", shape: [batch, 30], datatype: "FP32", data: rows.flat() }] }),
    });
  }
  const rows: BenchRow[] = [];

  console.log("[bench] serving: onnxruntime-node in-process…");
  for (const batch of [1, 100]) {
    const compute = await inProcess(rowsOf(batch), batch === 1 ? 5000 : 500);
    rows.push({
      backend: "in-process",
      measure: `session.run, batch ${batch} (compute limit)`,
      studio: `${formatNumber(compute.runsPerSec, 0)} runs/s · ${formatNumber(compute.runsPerSec * batch, 0)} rows/s · p50 ${ms(compute.p50)} / p99 ${ms(compute.p99)}`,
      baseline: "—",
      ratio: "—",
      target: "—",
      verdict: "baseline",
    });
  }

  console.log("[bench] serving: bare node:http baseline…");
  const barePort = await freePort();
  const bare = await spawnTsx("bench/serving-bare-server.ts", { BARE_PORT: String(barePort) }, /bare server ready/);
  const bareRuns = new Map<number, Load>();
  let bareFixed: Load;
  try {
    const url = `http://127.0.0.1:${barePort}/`;
    const bareMeter = { pid: nodeProcessOf(bare.child.pid!), databaseUrl: null };
    await load(url, bodies.get(1)!.mlflow, {}, 2);
    for (const [batch, body] of bodies) bareRuns.set(batch, await load(url, body.mlflow, {}, seconds, undefined, batch === 1 ? bareMeter : undefined));
    bareFixed = await load(url, bodies.get(1)!.mlflow, {}, seconds, FIXED_RATE, bareMeter);
  } finally {
    await bare.stop();
  }
  for (const [batch, run] of bareRuns) {
    rows.push({ backend: "bare node:http", measure: `POST JSON, batch ${batch} (transport limit)`, studio: describeLoad(run, batch), baseline: "—", ratio: "—", target: "—", verdict: "baseline" });
  }
  rows.push({ backend: "bare node:http", measure: `${FIXED_RATE} req/s fixed, batch 1`, studio: `p50 ${ms(bareFixed.p50)} / p99 ${ms(bareFixed.p99)}`, baseline: "—", ratio: "—", target: "—", verdict: "baseline" });
  const bareCpu = bareRuns.get(1)!.cpu;
  if (bareCpu) rows.push({ backend: "bare node:http", measure: "CPU per request, batch 1 (as fast as it goes)", studio: describeCpu(bareCpu), baseline: "—", ratio: "—", target: "—", verdict: "baseline" });

  const dataDir = await mkdtemp(path.join(os.tmpdir(), "studio-bench-serving-"));

  await chmod(dataDir, 0o755); // the embedded PostgreSQL runs as 'postgres' under root and must reach its folder
  const targets: TargetRuns[] = [];
  // Production serving runs on PostgreSQL (README): the inference log's writes then happen in the database's own
  // processes, not inside the serving process as with the embedded PGlite.
  const postgres = await throwawayPostgres();
  const databaseUrl = postgres?.url ?? "";
  const backend = postgres ? "PostgreSQL" : "PGlite";
  try {
    const token = await prepareDataDir(dataDir, postgres?.url ?? null);
    if (existsSync(path.join(".next", "BUILD_ID"))) {
      console.log("[bench] serving: starting the studio (next start)…");
      const studio = await startStudio({ databaseUrl, dataDir, seed: false });
      try {
        targets.push(await benchTarget(`next start (${backend})`, studio.baseUrl, token, bodies, seconds));
      } finally {
        await studio.stop();
      }
    } else {
      console.log("[bench] serving: no production build (.next); the Next.js rows are skipped — run `npx next build` first");
    }
    // The log's writer thread against the log written on the serving thread (as before it existed), each in its own
    // standalone process on the same database, one after the other.
    for (const writer of ["worker", "main"] as const) {
      console.log(`[bench] serving: starting the standalone serving process (npm run serve, log written by the ${writer} thread)…`);
      const port = await freePort();
      const standalone = await spawnTsx(
        "server/serving/standalone.ts",
        { STUDIO_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, STUDIO_SERVING_PORT: String(port), STUDIO_INFERENCE_LOG_WRITER: writer },
        /\[serving\] listening/,
      );
      try {
        const meter = { pid: nodeProcessOf(standalone.child.pid!), databaseUrl: postgres?.url ?? null };
        const loggedBefore = await settledLogCount(postgres?.url ?? null);
        const label = writer === "worker" ? "log on (writer thread)" : "log on, written on the serving thread (before)";
        const logOn = await benchTarget(`standalone (npm run serve, ${backend}), ${label}`, `http://127.0.0.1:${port}`, token, bodies, seconds, meter);
        const loggedAfter = await settledLogCount(postgres?.url ?? null);
        // The process reports drops when it hands the next batch to its writer: by now it has.
        if (loggedBefore !== null && loggedAfter !== null) logOn.logged = { rows: loggedAfter - loggedBefore, dropped: standalone.logDropped() };
        targets.push(logOn);
        if (postgres && writer === "worker") {
          // What logging every request costs: the same process with the model's log sampling at 0% (the monitoring
          // page's setting; the process re-reads it within 5 s), then back to 100%.
          const setSampleRate = async (rate: number) => {
            const { Client } = await import("pg");
            const client = new Client({ connectionString: postgres.url });
            await client.connect();
            await client
              .query(
                `insert into model_monitoring (model_id, sample_rate, updated_at) select model_id, $3, $2 from registered_models where name = $1
                 on conflict (model_id) do update set sample_rate = $3`,
                [MODEL, Date.now(), rate],
              )
              .finally(() => client.end());
          };
          await setSampleRate(0);
          await new Promise((resolve) => setTimeout(resolve, 6_000));
          targets.push(await benchTarget(`standalone, log sampling 0% (${backend})`, `http://127.0.0.1:${port}`, token, bodies, seconds, meter));
          await setSampleRate(1);
        }
      } finally {
        await standalone.stop();
      }
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await postgres?.drop();
  }

  for (const target of targets) {
    if (target.logged !== undefined) {
      // autocannon stops counting with requests still in flight (up to its connections per run), so "answered" is a
      // little short; the drops are what the serving process reported.
      const { rows: logged, dropped } = target.logged;
      rows.push({
        backend: target.name,
        measure: "inference log: rows written, entries dropped / requests answered (all runs)",
        studio: `${formatNumber(logged, 0)} rows · ${formatNumber(dropped, 0)} dropped / ~${formatNumber(target.answered, 0)} answered`,
        baseline: "—",
        ratio: `${((100 * logged) / Math.max(1, target.answered)).toFixed(1)}%`,
        target: "every request logged, or its drop counted",
        verdict: dropped === 0 ? "none dropped" : "drops counted",
      });
    }
    const cpu = target.byBatch.get(1)?.infer.cpu;
    if (cpu && bareCpu) {
      rows.push({
        backend: target.name,
        measure: "CPU per request, /v2/…/infer batch 1 (as fast as it goes)",
        studio: describeCpu(cpu),
        baseline: `main thread ${us(bareCpu.mainUs)} (bare)`,
        // The main thread is where requests queue: bare's µs over ours is the share of bare's req/s one core allows.
        ratio: `${Math.round((100 * bareCpu.mainUs) / cpu.mainUs)}%`,
        target: "—",
        verdict: "info",
      });
    }
    if (target.fixed.cpu) {
      rows.push({
        backend: target.name,
        measure: `CPU per request at ${FIXED_RATE} req/s`,
        studio: describeCpu(target.fixed.cpu),
        baseline: bareFixed.cpu ? `main thread ${us(bareFixed.cpu.mainUs)} (bare)` : "—",
        ratio: bareFixed.cpu ? `${Math.round((100 * bareFixed.cpu.mainUs) / target.fixed.cpu.mainUs)}%` : "—",
        target: "—",
        verdict: "info",
      });
    }
    for (const [batch, runs] of target.byBatch) {
      const baseline = bareRuns.get(batch)!;
      for (const [endpoint, run] of [["/invocations", runs.invocations], ["/v2/…/infer", runs.infer]] as const) {
        const ratio = run.reqPerSec / baseline.reqPerSec;
        rows.push({
          backend: target.name,
          measure: `${endpoint}, batch ${batch}`,
          studio: describeLoad(run, batch),
          baseline: `${formatNumber(baseline.reqPerSec, 0)} req/s (bare)`,
          ratio: `${Math.round(ratio * 100)}%`,
          target: batch === 1 ? "≥ 50% of bare req/s" : "—",
          verdict: run.failed > 0 ? "FAILED REQUESTS" : batch === 1 ? (ratio >= 0.5 ? "pass" : "miss") : "info",
        });
      }
    }
    rows.push({
      backend: target.name,
      measure: `/v2/…/infer at ${FIXED_RATE} req/s, batch 1`,
      studio: `${formatNumber(target.fixed.reqPerSec, 0)} req/s · p50 ${ms(target.fixed.p50)} / p99 ${ms(target.fixed.p99)}${target.fixed.failed ? ` · ${target.fixed.failed} failed` : ""}`,
      baseline: `p99 ${ms(bareFixed.p99)} (bare)`,
      ratio: "—",
      target: "p99 ≤ 5 ms",
      verdict: target.fixed.failed > 0 ? "FAILED REQUESTS" : target.fixed.p99 <= 5 ? "pass" : "miss",
    });
  }
  return rows;
}

/** A throwaway database on the PostgreSQL server named by BENCH_DATABASE_URL / TEST_DATABASE_URL, or null. */
export async function throwawayPostgres(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const { Client } = await import("pg");
  const name = `studio_bench_serving_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch (error) {
    console.log(`[bench] serving: PostgreSQL at ${new URL(adminUrl).host} does not answer (${(error as Error).message}); serving runs on PGlite.`);
    return null;
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`).finally(() => client.end());
    },
  };
}
