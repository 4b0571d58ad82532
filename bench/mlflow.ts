// bench/mlflow: the real MLflow 2.9 server (sqlite, 2 gunicorn workers) beside the studio started as the README
// says (`node scripts/start.mjs`, embedded default, fresh data folder), both driven by the same Node `fetch` load
// with the same payloads, one server at a time: ingestion, runs/search and a 100,000-point metric history (issue 18).
// Needs the MLflow Python client (../shared/tools/mlflow-python/) and the production build; without either it
// prints one line saying why and returns no rows.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { batchPoints, runFor, type LoadResult } from "./mlflow-load";
import { formatNumber, percentile, sample, timeIt } from "./stats";
import { freePort } from "./studio-server";

export interface MlflowBenchOptions {
  /** Seconds of each ingestion phase (MLflow, studio, bare INSERT). */
  seconds: number;
  clients: number;
  batchSize: number;
  searchRuns: number;
  searchIterations: number;
  historyPoints: number;
  historyIterations: number;
}

/** One row of the issue's table: MLflow, the studio, how many times better the studio is, and the goal. */
export interface MlflowRow {
  measure: string;
  mlflow: string;
  studio: string;
  ratio: string;
  goal: string;
  verdict: string;
}

const ADMIN_PASSWORD = "bench-mlflow-admin-0001";
/** The mlflow client reads a metric's history in pages of this many points (GET_METRIC_HISTORY_MAX_RESULTS). */
const CLIENT_HISTORY_PAGE = 25_000;
const SEARCH = { filter: "metrics.m0 > 0.5 and params.p1 = 'v3'", order_by: ["metrics.m1 DESC"], max_results: 100 };

interface TrackingServer {
  name: string;
  baseUrl: string;
  headers: Record<string, string>;
  stop(): Promise<void>;
}

interface Api {
  call<T>(method: "GET" | "POST", endpoint: string, body?: unknown): Promise<T>;
}

function apiOf(server: TrackingServer): Api {
  return {
    async call<T>(method: "GET" | "POST", endpoint: string, body?: unknown): Promise<T> {
      const response = await fetch(`${server.baseUrl}/api/2.0/mlflow/${endpoint}`, {
        method,
        headers: { ...server.headers, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${server.name}: ${method} ${endpoint.split("?")[0]} → ${response.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as T;
    },
  };
}

// ---- processes -------------------------------------------------------------------------------------------------

/** A child in its own process group, so stopping it stops what it forked (gunicorn workers, the Next server). */
function spawnGroup(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise((ok) => child.once("exit", ok));
    process.kill(-child.pid, "SIGTERM");
    const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((ok) => setTimeout(() => ok(true), 15_000))]);
    if (timedOut) {
      process.kill(-child.pid, "SIGKILL");
      await exited;
    }
  };
  return { child, log: () => output, stop };
}

async function waitUntil(url: string, child: ChildProcess, log: () => string, name: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log()}`);
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((ok) => setTimeout(ok, 500));
  }
  throw new Error(`${name} did not answer ${url} within ${seconds} s:\n${log()}`);
}

function mlflowPython(): { envSh: string; python: string; version: string } | { skipped: string } {
  const dir = process.env.MLFLOW_PY_DIR ?? path.join(os.homedir(), ".mlflow-py");
  const envSh = path.join(dir, "env.sh");
  const python = process.env.MLFLOW_PYTHON ?? "/usr/bin/python3";
  if (!existsSync(envSh)) return { skipped: `${envSh} is missing (install MLflow with ../shared/tools/mlflow-python/setup.sh)` };
  const probe = spawnSync("bash", ["-c", `source "$0" && exec "$1" -c 'import mlflow; print(mlflow.__version__)'`, envSh, python], { encoding: "utf8", timeout: 120_000 });
  if (probe.status !== 0) return { skipped: `\`import mlflow\` fails under ${envSh}: ${(probe.stderr || probe.error?.message || "").trim().split("\n").pop()}` };
  return { envSh, python, version: probe.stdout.trim() };
}

async function startMlflow(py: { envSh: string; python: string }, dir: string): Promise<TrackingServer> {
  const port = Number(process.env.BENCH_MLFLOW_PORT ?? (await freePort()));
  // The flags of `mlflow server` 2.9; gunicorn is started by mlflow as `python -m gunicorn` (sync workers).
  const args = [
    "-m", "mlflow", "server",
    "--backend-store-uri", `sqlite:///${path.join(dir, "mlflow.db")}`,
    "--default-artifact-root", path.join(dir, "artifacts"),
    "--workers", "2",
    "--host", "127.0.0.1",
    "--port", String(port),
  ];
  const server = spawnGroup("bash", ["-c", `source "$0" && exec "$@"`, py.envSh, py.python, ...args], { cwd: dir, env: process.env });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(`${baseUrl}/health`, server.child, server.log, "mlflow server", 180);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { name: "mlflow", baseUrl, headers: {}, stop: server.stop };
}

/** `node scripts/start.mjs` (what `npm start` runs) with PORT and a fresh STUDIO_DATA_DIR, then a personal access token. */
async function startStudio(dataDir: string, extraEnv: Record<string, string>): Promise<TrackingServer> {
  const port = Number(process.env.BENCH_STUDIO_PORT ?? (await freePort()));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), STUDIO_DATA_DIR: dataDir, STUDIO_ADMIN_PASSWORD: ADMIN_PASSWORD, STUDIO_SEED: "none", ...extraEnv };
  // The embedded default, not whatever server the bench's own environment points at.
  delete env.DATABASE_URL;
  const server = spawnGroup(process.execPath, [path.join("scripts", "start.mjs")], { cwd: process.cwd(), env });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    // start.mjs rebuilds first when the build is stale, hence the long wait.
    await waitUntil(`${baseUrl}/sign-in`, server.child, server.log, "studio (scripts/start.mjs)", 900);
    const token = await createStudioToken(baseUrl);
    return { name: "studio", baseUrl, headers: { authorization: `Bearer ${token}` }, stop: server.stop };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** The first admin (STUDIO_ADMIN_PASSWORD) creates a token through tRPC, as the API tokens page does. */
async function createStudioToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/trpc/auth.createToken`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}`, "content-type": "application/json" },
    body: JSON.stringify({ json: { name: "bench-mlflow" } }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`creating the studio token → ${response.status}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { result: { data: { json: { token: string } } } }).result.data.json.token;
}

/** Which embedded database the studio made in its data folder: the folder holding PG_VERSION and that version. */
function describeDataDir(dataDir: string): string {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isFile() && entry.name === "PG_VERSION" && depth > 0) found.push(`PostgreSQL ${readFileSync(full, "utf8").trim()} in ${path.relative(dataDir, dir)}/`);
      else if (entry.isDirectory() && depth < 3 && entry.name !== "artifacts" && entry.name !== "base") walk(full, depth + 1);
    }
  };
  try {
    walk(dataDir, 0);
  } catch {
    return "data folder unreadable";
  }
  return found.join(", ") || "no PG_VERSION found";
}

// ---- the workload, identical for both servers ------------------------------------------------------------------

async function createExperiment(api: Api, name: string): Promise<string> {
  return (await api.call<{ experiment_id: string }>("POST", "experiments/create", { name })).experiment_id;
}

async function createRun(api: Api, experimentId: string, name: string, startTime = Date.now()): Promise<string> {
  const { run } = await api.call<{ run: { info: { run_id: string } } }>("POST", "runs/create", { experiment_id: experimentId, run_name: name, start_time: startTime });
  return run.info.run_id;
}

/** Reads a whole metric history as mlflow's client does: max_results=25000, following next_page_token. */
async function readHistory(api: Api, runId: string, key: string): Promise<number> {
  let token: string | undefined;
  let count = 0;
  do {
    const page = await api.call<{ metrics?: unknown[]; next_page_token?: string }>(
      "GET",
      `metrics/get-history?run_id=${runId}&metric_key=${encodeURIComponent(key)}&max_results=${CLIENT_HISTORY_PAGE}${token ? `&page_token=${encodeURIComponent(token)}` : ""}`,
    );
    count += page.metrics?.length ?? 0;
    token = page.next_page_token || undefined;
  } while (token);
  return count;
}

interface IngestionResult extends LoadResult {
  counted: number;
}

async function ingest(api: Api, experimentId: string, o: MlflowBenchOptions): Promise<IngestionResult> {
  const runIds = await Promise.all(Array.from({ length: o.clients }, (_, i) => createRun(api, experimentId, `ingest-${i}`)));
  const load = await runFor(o.seconds, o.clients, async (client, batch) => {
    const metrics = batchPoints(batch, o.batchSize);
    await api.call("POST", "runs/log-batch", { run_id: runIds[client], metrics });
    return metrics.length;
  });
  // Every acknowledged point counted back through the API itself, the same way on both servers.
  let counted = 0;
  for (const runId of runIds) for (let k = 0; k < 10; k++) counted += await readHistory(api, runId, `metric_${k}`);
  if (counted < load.acknowledged) throw new Error(`ingestion lost points: ${load.acknowledged} acknowledged, ${counted} counted back`);
  return { ...load, counted };
}

/** runs/create + one log-batch (10 params, 10 metrics) per run, 4 at a time; the values depend on the run's number only. */
async function seedSearchRuns(api: Api, experimentId: string, count: number): Promise<void> {
  const t0 = Date.now() - count * 1000;
  let next = 1;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let g = next++; g <= count; g = next++) {
        const runId = await createRun(api, experimentId, `run-${g}`, t0 + g * 1000);
        await api.call("POST", "runs/log-batch", {
          run_id: runId,
          params: Array.from({ length: 10 }, (_, k) => ({ key: `p${k}`, value: `v${(g * 7 + k * 13) % 10}` })),
          metrics: Array.from({ length: 10 }, (_, k) => ({ key: `m${k}`, value: Math.abs(Math.sin(g * 12.9898 + k * 78.233)), timestamp: t0 + g * 1000, step: 0 })),
        });
      }
    }),
  );
}

async function searchOnce(api: Api, experimentId: string): Promise<string[]> {
  const page = await api.call<{ runs?: { info: { run_name: string } }[] }>("POST", "runs/search", { experiment_ids: [experimentId], ...SEARCH });
  return (page.runs ?? []).map((r) => r.info.run_name);
}

/** 100 log-batch calls of 1,000 points to one key; the history read back must hold them all. */
async function seedHistory(api: Api, experimentId: string, points: number): Promise<string> {
  const runId = await createRun(api, experimentId, "long-training");
  for (let from = 0; from < points; from += 1000) {
    const metrics = Array.from({ length: Math.min(1000, points - from) }, (_, i) => {
      const step = from + i;
      return { key: "loss", value: 1 / (1 + step * 0.001) + 0.01 * Math.sin(step), timestamp: 1_700_000_000_000 + step * 10, step };
    });
    await api.call("POST", "runs/log-batch", { run_id: runId, metrics });
  }
  return runId;
}

interface WorkloadResult {
  ingestion: IngestionResult;
  searchRunNames: string[];
  search: number[];
  history: number[];
  /** The same reads, each right after an untimed log-metric to another run: no answer kept from the read before is valid. */
  searchAfterWrite: number[];
  historyAfterWrite: number[];
  /** The history read after a point logged into its first page: no page answered before can be kept. */
  historyAfterOwnWrite: number[];
  /** Runs created for the bare-INSERT baseline (studio only), in the ingestion experiment. */
  baselineRunIds: string[];
}

/** Like sample, with `write` run untimed before every call: what a read costs while someone is logging. */
async function sampleAfterWrite(write: () => Promise<unknown>, fn: () => Promise<unknown>, iterations: number, warmup: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) {
    await write();
    await fn();
  }
  const timings: number[] = [];
  for (let i = 0; i < iterations; i++) {
    await write();
    timings.push(await timeIt(fn));
  }
  return timings;
}

async function runWorkload(server: TrackingServer, o: MlflowBenchOptions, baselineRuns: number): Promise<WorkloadResult> {
  const api = apiOf(server);
  const experimentId = await createExperiment(api, "bench-mlflow");
  console.log(`[bench] mlflow: ${server.name}: ingestion, ${o.clients} clients × ${o.batchSize} metrics for ${o.seconds} s…`);
  const ingestion = await ingest(api, experimentId, o);
  const baselineRunIds = await Promise.all(Array.from({ length: baselineRuns }, (_, i) => createRun(api, experimentId, `bare-insert-${i}`)));

  console.log(`[bench] mlflow: ${server.name}: seeding ${o.searchRuns} runs × 10 params × 10 metrics through log-batch…`);
  const searchExperiment = await createExperiment(api, "bench-mlflow-search");
  await seedSearchRuns(api, searchExperiment, o.searchRuns);
  const searchRunNames = await searchOnce(api, searchExperiment);
  const search = await sample(() => searchOnce(api, searchExperiment), o.searchIterations, 5);
  // A run outside the search experiment, so the searched runs and their order stay the same on both servers.
  const writeRun = await createRun(api, experimentId, "written-between-reads");
  let written = 0;
  const writeBetween = () => api.call("POST", "runs/log-metric", { run_id: writeRun, key: "between", value: written, timestamp: Date.now(), step: written++ });
  const searchAfterWrite = await sampleAfterWrite(writeBetween, () => searchOnce(api, searchExperiment), o.searchIterations, 5);

  console.log(`[bench] mlflow: ${server.name}: seeding and reading a ${o.historyPoints}-point metric…`);
  const historyRun = await seedHistory(api, experimentId, o.historyPoints);
  const read = await readHistory(api, historyRun, "loss");
  if (read !== o.historyPoints) throw new Error(`${server.name}: get-history returned ${read} of ${o.historyPoints} points`);
  const history = await sample(() => readHistory(api, historyRun, "loss"), o.historyIterations, 1);
  const historyAfterWrite = await sampleAfterWrite(writeBetween, () => readHistory(api, historyRun, "loss"), o.historyIterations, 1);
  // Step 0 again with a later timestamp sorts second: every page's contents, and every later page's cursor, move.
  let ownWrites = 0;
  const writeIntoHistory = () => api.call("POST", "runs/log-metric", { run_id: historyRun, key: "loss", value: 2 + ownWrites, timestamp: 1_700_000_000_001 + ownWrites++, step: 0 });
  const historyAfterOwnWrite = await sampleAfterWrite(writeIntoHistory, () => readHistory(api, historyRun, "loss"), o.historyIterations, 1);
  const grown = await readHistory(api, historyRun, "loss");
  if (grown !== o.historyPoints + ownWrites) throw new Error(`${server.name}: get-history returned ${grown} of ${o.historyPoints + ownWrites} points`);
  return { ingestion, searchRunNames, search, history, searchAfterWrite, historyAfterWrite, historyAfterOwnWrite, baselineRunIds };
}

// ---- the bare INSERT baseline on the studio's database ----------------------------------------------------------

/**
 * bench/mlflow-bare-insert.ts's answer: the text-array arm, the binary-array arm, and on PostgreSQL the binary bare
 * INSERT behind HTTP + JSON.parse in a process of its own (counted: every arm's points).
 */
interface BareInsertResult {
  acknowledged: number;
  counted: number;
  elapsed: number;
  kind: string;
  binary: { acknowledged: number; elapsed: number };
  floor: { acknowledged: number; elapsed: number } | null;
}

async function bareInsert(dataDir: string, extraEnv: Record<string, string>, runIds: string[], o: MlflowBenchOptions) {
  const env: NodeJS.ProcessEnv = { ...process.env, STUDIO_DATA_DIR: dataDir, ...extraEnv };
  delete env.DATABASE_URL;
  const args = JSON.stringify({ runIds, seconds: o.seconds, batchSize: o.batchSize });
  const child = spawnSync(path.join("node_modules", ".bin", "tsx"), [path.join("bench", "mlflow-bare-insert.ts"), args], { env, encoding: "utf8", timeout: (3 * o.seconds + 300) * 1000 });
  if (child.status !== 0) throw new Error(`bare INSERT baseline failed (${child.status}): ${(child.stderr || child.stdout).slice(-1000)}`);
  const result = JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as BareInsertResult;
  const inserted = result.acknowledged + result.binary.acknowledged + (result.floor?.acknowledged ?? 0);
  if (result.counted !== inserted) throw new Error(`bare INSERT: ${inserted} inserted, ${result.counted} counted back`);
  return result;
}

// ---- the table --------------------------------------------------------------------------------------------------

const rate = (r: LoadResult) => r.acknowledged / r.elapsed;
// One decimal always, so a ratio printed ×20 is never a missed ×19.6.
const times = (x: number) => `×${x.toFixed(1)}`;
const p50p95 = (t: number[]) => `${formatNumber(percentile(t, 50))} / ${formatNumber(percentile(t, 95))} ms`;

function ingestionNote(r: IngestionResult): string {
  const failed = r.failedBatches > 0 ? `, ${r.failedBatches} batches refused (first: ${r.firstError?.slice(0, 120)})` : "";
  return `${formatNumber(r.counted)} of ${formatNumber(r.acknowledged)} acknowledged counted back${failed}`;
}

function rowsFor(label: string, mlflow: WorkloadResult, studio: WorkloadResult, bare: BareInsertResult, o: MlflowBenchOptions): MlflowRow[] {
  const ingestRatio = rate(studio.ingestion) / rate(mlflow.ingestion);
  const bareRate = bare.acknowledged / bare.elapsed;
  const bareBinaryRate = bare.binary.acknowledged / bare.binary.elapsed;
  const searchRatio = percentile(mlflow.search, 50) / percentile(studio.search, 50);
  const historyRatio = percentile(mlflow.history, 50) / percentile(studio.history, 50);
  const searchAfterWriteRatio = percentile(mlflow.searchAfterWrite, 50) / percentile(studio.searchAfterWrite, 50);
  const historyAfterWriteRatio = percentile(mlflow.historyAfterWrite, 50) / percentile(studio.historyAfterWrite, 50);
  const historyAfterOwnWriteRatio = percentile(mlflow.historyAfterOwnWrite, 50) / percentile(studio.historyAfterOwnWrite, 50);
  const verdict = (ratio: number, goal: number) => (ratio >= goal ? "met" : "MISSED");
  return [
    {
      measure: `${label}: ingestion, ${o.clients} clients × log-batch of ${o.batchSize} for ${o.seconds} s (points/s)`,
      mlflow: formatNumber(rate(mlflow.ingestion)),
      studio: formatNumber(rate(studio.ingestion)),
      ratio: times(ingestRatio),
      goal: "×30",
      verdict: verdict(ingestRatio, 30),
    },
    {
      measure: `${label}: bare INSERT … unnest on the studio's database (${bare.kind}), same points, 4 clients (points/s)`,
      mlflow: formatNumber(rate(mlflow.ingestion)),
      studio: formatNumber(bareRate),
      ratio: times(bareRate / rate(mlflow.ingestion)),
      goal: "ceiling",
      verdict: `studio at ${((rate(studio.ingestion) / bareRate) * 100).toFixed(0)}% of it`,
    },
    {
      measure: `${label}: the same bare INSERT with binary array parameters (log-batch's own encoding on PostgreSQL), after it, same runs (points/s)`,
      mlflow: formatNumber(rate(mlflow.ingestion)),
      studio: formatNumber(bareBinaryRate),
      ratio: times(bareBinaryRate / rate(mlflow.ingestion)),
      goal: "ceiling",
      verdict: `studio at ${((rate(studio.ingestion) / bareBinaryRate) * 100).toFixed(0)}% of it`,
    },
    ...(bare.floor
      ? [
          {
            measure: `${label}: that binary bare INSERT behind HTTP: a Node process reading each body and JSON.parse-ing it, same fetch load (points/s)`,
            mlflow: formatNumber(rate(mlflow.ingestion)),
            studio: formatNumber(bare.floor.acknowledged / bare.floor.elapsed),
            ratio: times(bare.floor.acknowledged / bare.floor.elapsed / rate(mlflow.ingestion)),
            goal: "HTTP floor",
            verdict: `studio at ${((rate(studio.ingestion) / (bare.floor.acknowledged / bare.floor.elapsed)) * 100).toFixed(0)}% of it`,
          },
        ]
      : []),
    {
      measure: `${label}: runs/search p50 / p95, ${o.searchRuns} runs × 10 params × 10 metrics, "${SEARCH.filter}" by ${SEARCH.order_by[0]} → ${studio.searchRunNames.length} runs`,
      mlflow: p50p95(mlflow.search),
      studio: p50p95(studio.search),
      ratio: times(searchRatio),
      goal: "×20",
      verdict: verdict(searchRatio, 20),
    },
    {
      measure: `${label}: runs/search as above, a log-metric to another run (untimed) before each call`,
      mlflow: p50p95(mlflow.searchAfterWrite),
      studio: p50p95(studio.searchAfterWrite),
      ratio: times(searchAfterWriteRatio),
      goal: "×20",
      verdict: verdict(searchAfterWriteRatio, 20),
    },
    {
      measure: `${label}: get-history of ${formatNumber(o.historyPoints)} points, paged as the mlflow client (max_results ${formatNumber(CLIENT_HISTORY_PAGE)}) p50 / p95`,
      mlflow: p50p95(mlflow.history),
      studio: p50p95(studio.history),
      ratio: times(historyRatio),
      goal: "×20",
      verdict: verdict(historyRatio, 20),
    },
    {
      measure: `${label}: get-history as above, a log-metric to another run (untimed) before each read`,
      mlflow: p50p95(mlflow.historyAfterWrite),
      studio: p50p95(studio.historyAfterWrite),
      ratio: times(historyAfterWriteRatio),
      goal: "×20",
      verdict: verdict(historyAfterWriteRatio, 20),
    },
    {
      measure: `${label}: get-history as above, a log-metric into the read metric's first page (step 0, untimed) before each read: every page read anew`,
      mlflow: p50p95(mlflow.historyAfterOwnWrite),
      studio: p50p95(studio.historyAfterOwnWrite),
      ratio: times(historyAfterOwnWriteRatio),
      goal: "×20",
      verdict: verdict(historyAfterOwnWriteRatio, 20),
    },
    {
      measure: `${label}: acknowledged ingestion points counted back via get-history`,
      mlflow: ingestionNote(mlflow.ingestion),
      studio: ingestionNote(studio.ingestion),
      ratio: "—",
      goal: "all",
      verdict: mlflow.ingestion.counted >= mlflow.ingestion.acknowledged && studio.ingestion.counted >= studio.ingestion.acknowledged ? "met" : "MISSED",
    },
  ];
}

export function printMlflowTable(title: string, rows: MlflowRow[]): void {
  if (rows.length === 0) return;
  const headers: [keyof MlflowRow, string][] = [["measure", "measure"], ["mlflow", "MLflow 2.9"], ["studio", "studio"], ["ratio", "ratio"], ["goal", "goal"], ["verdict", "verdict"]];
  const widths = headers.map(([key, name]) => Math.max(name.length, ...rows.map((r) => r[key].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(`\n${title}\n`);
  console.log(line(headers.map(([, name]) => name)));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(headers.map(([key]) => row[key])));
}

/** The studio variants to run: the embedded default always; PGlite too when the studio has a STUDIO_DATABASE switch. */
function studioVariants(): { label: string; env: Record<string, string> }[] {
  const variants = [{ label: "studio, embedded default", env: {} as Record<string, string> }];
  const client = path.join(process.cwd(), "db", "client.ts");
  const hasSwitch = existsSync(client) && readFileSync(client, "utf8").includes("STUDIO_DATABASE");
  if (hasSwitch && process.env.BENCH_MLFLOW_PGLITE !== "0") variants.push({ label: "studio, STUDIO_DATABASE=pglite", env: { STUDIO_DATABASE: "pglite" } });
  return variants;
}

export async function benchMlflow(o: MlflowBenchOptions): Promise<MlflowRow[]> {
  const py = mlflowPython();
  if ("skipped" in py) {
    console.log(`[bench] mlflow: skipped: ${py.skipped}.`);
    return [];
  }
  if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    console.log("[bench] mlflow: skipped: no production build (run `npx next build` first).");
    return [];
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "studio-bench-mlflow-"));
  await chmod(dir, 0o755); // the embedded PostgreSQL runs as 'postgres' under root and must reach its folder
  try {
    console.log(`[bench] mlflow: MLflow ${py.version} server (sqlite, 2 workers)…`);
    const mlflowServer = await startMlflow(py, dir);
    let mlflow: WorkloadResult;
    try {
      mlflow = await runWorkload(mlflowServer, o, 0);
    } finally {
      await mlflowServer.stop();
    }
    const rows: MlflowRow[] = [];
    for (const [i, variant] of studioVariants().entries()) {
      const dataDir = path.join(dir, `studio-${i}`);
      console.log(`[bench] mlflow: ${variant.label} (node scripts/start.mjs, STUDIO_DATA_DIR=${dataDir})…`);
      const studioServer = await startStudio(dataDir, variant.env);
      let studio: WorkloadResult;
      try {
        studio = await runWorkload(studioServer, o, o.clients);
      } finally {
        await studioServer.stop();
      }
      if (studio.searchRunNames.join() !== mlflow.searchRunNames.join()) {
        throw new Error(`runs/search differs: MLflow returned ${mlflow.searchRunNames.length} runs (${mlflow.searchRunNames.slice(0, 5).join(", ")}…), the studio ${studio.searchRunNames.length} (${studio.searchRunNames.slice(0, 5).join(", ")}…)`);
      }
      const database = describeDataDir(dataDir);
      console.log(`[bench] mlflow: ${variant.label}: bare INSERT baseline on its database (${database}) after it stopped…`);
      const bare = await bareInsert(dataDir, variant.env, studio.baselineRunIds, o);
      rows.push(...rowsFor(`${variant.label} (${bare.kind}, ${database})`, mlflow, studio, bare, o));
    }
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
