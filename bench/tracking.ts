// bench/tracking: the MLflow tracking API under load, each measure next to a bare-SQL baseline taken
// in the same run on the same database, on PGlite (the embedded default) and PostgreSQL.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type Database, type DatabaseHandle } from "@/db/client";
import { ensureEmbeddedPostgres } from "@/db/embedded-postgres";
import { LocalArtifactStore } from "@/server/artifacts/store";
import { createUserAsSystem } from "@/server/auth/accounts";
import { authenticateRequest } from "@/server/auth/authenticate";
import { createToken } from "@/server/auth/tokens";
import { ensureDefaultExperiment } from "@/server/tracking/experiments";
import { backgroundCompactionSettled, catchUpRollups } from "@/server/tracking/rollup-compaction";
import { dropDatabaseWhenIdle } from "@/server/testing/drop-database";
import { startMlflowServer } from "./http-server";
import type { ContextResolver } from "@/server/http/mlflow-api";
import { formatNumber, percentile, sample, type BenchRow } from "./stats";

export interface TrackingBenchOptions {
  /** Seconds each ingestion phase (studio, then baseline) runs. */
  seconds: number;
  clients: number;
  batchSize: number;
  searchRuns: number;
  searchIterations: number;
  historyPoints: number;
  historyIterations: number;
}

export interface Backend {
  name: "pglite" | "postgres" | "embedded";
  handle: DatabaseHandle;
  dispose(): Promise<void>;
}

export async function openPglite(): Promise<Backend> {
  // On disk, as the studio runs by default: an in-memory PGlite would flatter the numbers.
  const dir = await mkdtemp(path.join(os.tmpdir(), "studio-bench-pglite-"));
  const handle = await openDatabase({ dataDir: dir });
  return { name: "pglite", handle, dispose: async () => { await handle.close(); await rm(dir, { recursive: true, force: true }); } };
}

/** The embedded default: PostgreSQL started from the npm binaries in a throwaway data folder, as `npm start` runs it. */
async function openEmbedded(): Promise<Backend> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "studio-bench-embedded-"));
  await chmod(dir, 0o755); // as root the postmaster runs as 'postgres' and must reach its cluster
  const server = await ensureEmbeddedPostgres(dir);
  const handle = await openDatabase({ url: server.url });
  return { name: "embedded", handle, dispose: async () => { await handle.close(); await server.stop(); await rm(dir, { recursive: true, force: true }); } };
}

/** A throwaway database on the PostgreSQL server named by BENCH_DATABASE_URL / TEST_DATABASE_URL, or null. */
export async function openPostgres(): Promise<Backend | null> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const { Client } = await import("pg");
  const name = `studio_bench_${randomBytes(5).toString("hex")}`;
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch (error) {
    console.log(`[bench] PostgreSQL at ${new URL(adminUrl).host} does not answer (${(error as Error).message}); its rows are skipped.`);
    await admin.end().catch(() => undefined);
    return null;
  }
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  return {
    name: "postgres",
    handle,
    dispose: async () => {
      await handle.close();
      await dropDatabaseWhenIdle(adminUrl, name);
    },
  };
}

/** An editor account with a personal access token: every benchmark request authenticates as MLflow clients do. */
async function benchClient(db: Database, artifactRoot: string) {
  const artifacts = new LocalArtifactStore(artifactRoot);
  const user = await createUserAsSystem(db, { username: "bench", password: "bench-password-0001", role: "editor" });
  const actor = { userId: user.userId, username: user.username, role: user.role, via: "token" as const };
  const { token } = await createToken({ db, artifacts, actor }, { name: "bench" });
  const resolve: ContextResolver = async (request) => ({ db, artifacts, actor: await authenticateRequest(request, db) });
  const server = await startMlflowServer(resolve);
  async function send(method: "GET" | "POST", endpoint: string, body?: unknown): Promise<Response> {
    const init = {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    };
    try {
      return await fetch(`${server.url}/api/2.0/mlflow/${endpoint}`, init);
    } catch (error) {
      // A keep-alive socket the server closed as idle while a long seed blocked the event loop races
      // the next request on it (ECONNRESET before any byte was read): send it again once, on a new socket.
      if ((error as { cause?: { code?: string } }).cause?.code !== "ECONNRESET") throw error;
      return fetch(`${server.url}/api/2.0/mlflow/${endpoint}`, init);
    }
  }
  async function call<T>(method: "GET" | "POST", endpoint: string, body?: unknown): Promise<T> {
    const response = await send(method, endpoint, body);
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${endpoint} → ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }
  return { call, close: server.close };
}

type Client = Awaited<ReturnType<typeof benchClient>>;

async function createExperiment(client: Client, name: string): Promise<string> {
  const { experiment_id } = await client.call<{ experiment_id: string }>("POST", "experiments/create", { name });
  return experiment_id;
}

async function createRun(client: Client, experimentId: string, name: string): Promise<string> {
  const { run } = await client.call<{ run: { info: { run_id: string } } }>("POST", "runs/create", {
    experiment_id: experimentId,
    run_name: name,
    start_time: Date.now(),
  });
  return run.info.run_id;
}

/** Batch `index` of a client: 10 keys × batchSize/10 consecutive steps, all points new. */
function batchPoints(index: number, batchSize: number) {
  const perKey = batchSize / 10;
  const timestamp = Date.now();
  const metrics = [];
  for (let k = 0; k < 10; k++) {
    for (let s = 0; s < perKey; s++) {
      const step = index * perKey + s;
      metrics.push({ key: `metric_${k}`, value: Math.sin(step / 100 + k) + k, timestamp, step });
    }
  }
  return metrics;
}

async function runFor(seconds: number, clients: number, work: (client: number, batch: number) => Promise<number>): Promise<{ points: number; elapsed: number }> {
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  const counts = await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      let points = 0;
      for (let batch = 0; performance.now() < deadline; batch++) points += await work(client, batch);
      return points;
    }),
  );
  return { points: counts.reduce((a, b) => a + b, 0), elapsed: (performance.now() - start) / 1000 };
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

async function countPoints(db: Database, runIds: string[]): Promise<number> {
  const [row] = await queryRows<{ n: string }>(db, sql`select count(*) as n from metrics where run_uuid = any(${sql.param(runIds)}::text[])`);
  return Number(row.n);
}

async function benchIngestion(backend: Backend, client: Client, o: TrackingBenchOptions): Promise<BenchRow[]> {
  const { db } = backend.handle;
  const experimentId = await createExperiment(client, "bench ingestion");
  const studioRuns = await Promise.all(Array.from({ length: o.clients }, (_, i) => createRun(client, experimentId, `studio-${i}`)));
  // CPU time of this process (HTTP client, studio handler, driver) per batch: on a loaded machine the
  // rates above swing with the neighbours, CPU per batch much less.
  const studioCpu = process.cpuUsage();
  const studio = await runFor(o.seconds, o.clients, async (c, batch) => {
    const metrics = batchPoints(batch, o.batchSize);
    await client.call("POST", "runs/log-batch", { run_id: studioRuns[c], metrics });
    return metrics.length;
  });
  const studioCpuMs = cpuMs(process.cpuUsage(studioCpu));
  const stored = await countPoints(db, studioRuns);
  if (stored !== studio.points) throw new Error(`ingestion lost points: sent ${studio.points}, stored ${stored}`);
  // The chart rollups are folded off the request: time what is left to fold when the clients stop
  // (what a chart read right then would wait for), so the rate below is not flattered by a backlog.
  const drainStart = performance.now();
  await backgroundCompactionSettled(db);
  await catchUpRollups(db, studioRuns);
  const drain = (performance.now() - drainStart) / 1000;

  // Baseline: the same points inserted by a bare multi-row INSERT through the same driver: no HTTP,
  // no JSON, no auth, no validation, no latest-metrics upkeep, no idempotency check.
  const baselineRuns = await Promise.all(Array.from({ length: o.clients }, (_, i) => createRun(client, experimentId, `baseline-${i}`)));
  const baselineCpu = process.cpuUsage();
  const baseline = await runFor(o.seconds, o.clients, async (c, batch) => {
    const metrics = batchPoints(batch, o.batchSize);
    await db.execute(sql`
      insert into metrics (run_uuid, key, step, timestamp, value)
      select ${baselineRuns[c]}, k, s, t, v
      from unnest(${sql.param(metrics.map((m) => m.key))}::text[], ${sql.param(metrics.map((m) => m.step))}::int8[],
                  ${sql.param(metrics.map((m) => m.timestamp))}::int8[], ${sql.param(metrics.map((m) => m.value))}::float8[]) as u(k, s, t, v)`);
    return metrics.length;
  });
  const baselineCpuMs = cpuMs(process.cpuUsage(baselineCpu));
  const studioRate = studio.points / studio.elapsed;
  const baselineRate = baseline.points / baseline.elapsed;
  const foldedRate = studio.points / (studio.elapsed + drain);
  const target = backend.name === "postgres" ? 200_000 : null;
  const ingestion: BenchRow = {
    backend: backend.name,
    measure: `log-batch ingestion, ${o.clients} clients × ${o.batchSize} metrics, ${o.seconds} s (points/s)`,
    studio: formatNumber(studioRate),
    baseline: formatNumber(baselineRate),
    ratio: `${(studioRate / baselineRate).toFixed(2)}×`,
    target: target ? `≥ ${formatNumber(target)}` : "—",
    verdict: target ? (studioRate >= target ? "met" : "MISSED") : "—",
  };
  const withFold: BenchRow = {
    backend: backend.name,
    measure: `  … counting the rollup fold left when the clients stopped (${drain.toFixed(1)} s) (points/s)`,
    studio: formatNumber(foldedRate),
    baseline: formatNumber(baselineRate),
    ratio: `${(foldedRate / baselineRate).toFixed(2)}×`,
    target: "—",
    verdict: "—",
  };
  const studioCpuPerBatch = studioCpuMs / (studio.points / o.batchSize);
  const baselineCpuPerBatch = baselineCpuMs / (baseline.points / o.batchSize);
  const cpu: BenchRow = {
    backend: backend.name,
    measure: `  … CPU of the Node process per batch (ms; client, server and driver in one process)`,
    studio: studioCpuPerBatch.toFixed(2),
    baseline: baselineCpuPerBatch.toFixed(2),
    ratio: `${(studioCpuPerBatch / baselineCpuPerBatch).toFixed(1)}×`,
    target: "—",
    verdict: "—",
  };
  return [ingestion, withFold, cpu];
}

export async function seedSearchRuns(db: Database, experimentId: string, count: number): Promise<void> {
  const t0 = Date.now() - count * 1000;
  await db.execute(sql`
    insert into runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri)
    select md5('bench-run-' || g), ${Number(experimentId)}, 'run-' || g, 'bench', 'FINISHED', ${t0}::int8 + g * 1000, ${t0}::int8 + g * 1000 + 500, 'active', 'mlflow-artifacts:/bench/' || g
    from generate_series(1, ${count}) g`);
  await db.execute(sql`
    insert into params (run_uuid, key, value)
    select md5('bench-run-' || g), 'p' || k, 'v' || ((g * 7 + k * 13) % 10)
    from generate_series(1, ${count}) g, generate_series(0, 9) k`);
  await db.execute(sql`
    insert into tags (run_uuid, key, value)
    select md5('bench-run-' || g), t.key, t.value || (g % 5)
    from generate_series(1, ${count}) g, (values ('mlflow.runName', 'run-'), ('team', 'team-'), ('model', 'model-')) as t(key, value)`);
  for (const table of [sql`metrics`, sql`latest_metrics`]) {
    await db.execute(sql`
      insert into ${table} (run_uuid, key, step, timestamp, value)
      select md5('bench-run-' || g), 'm' || k, 100, ${t0}::int8 + g * 1000, abs(sin(g * 12.9898 + k * 78.233))
      from generate_series(1, ${count}) g, generate_series(0, 9) k`);
  }
  await db.execute(sql`analyze`);
}

interface SearchCase {
  label: string;
  body: { filter: string; order_by: string[]; max_results: number };
  bareSql: (experimentId: number) => ReturnType<typeof sql>;
}

const searchCases: SearchCase[] = [
  {
    label: "metric + param filter, order by a metric",
    body: { filter: "metrics.m0 > 0.5 and params.p1 = 'v3'", order_by: ["metrics.m1 DESC"], max_results: 100 },
    bareSql: (e) => sql`
      select r.run_uuid from runs r
      join latest_metrics m0 on m0.run_uuid = r.run_uuid and m0.key = 'm0'
      join params p1 on p1.run_uuid = r.run_uuid and p1.key = 'p1'
      left join latest_metrics m1 on m1.run_uuid = r.run_uuid and m1.key = 'm1'
      where r.experiment_id = ${e} and r.lifecycle_stage = 'active' and m0.value > 0.5 and p1.value = 'v3'
      order by m1.value desc nulls last limit 100`,
  },
  {
    label: "tag LIKE + status, order by param then start_time",
    body: { filter: "tags.team LIKE 'team-%' and attributes.status = 'FINISHED'", order_by: ["params.p2 ASC", "start_time DESC"], max_results: 100 },
    bareSql: (e) => sql`
      select r.run_uuid from runs r
      join tags t on t.run_uuid = r.run_uuid and t.key = 'team'
      left join params p2 on p2.run_uuid = r.run_uuid and p2.key = 'p2'
      where r.experiment_id = ${e} and r.lifecycle_stage = 'active' and t.value like 'team-%' and r.status = 'FINISHED'
      order by p2.value asc nulls last, r.start_time desc limit 100`,
  },
];

async function benchSearch(backend: Backend, client: Client, o: TrackingBenchOptions): Promise<BenchRow[]> {
  const { db } = backend.handle;
  const experimentId = await createExperiment(client, "bench search");
  await seedSearchRuns(db, experimentId, o.searchRuns);
  const rows: BenchRow[] = [];
  for (const c of searchCases) {
    const request = { experiment_ids: [experimentId], ...c.body };
    const probe = await client.call<{ runs: unknown[] }>("POST", "runs/search", request);
    const bare = await queryRows<{ run_uuid: string }>(db, c.bareSql(Number(experimentId)));
    if (probe.runs.length !== bare.length) throw new Error(`search '${c.label}': studio returned ${probe.runs.length} runs, bare SQL ${bare.length}`);
    const studio = await sample(() => client.call("POST", "runs/search", request), o.searchIterations);
    const baseline = await sample(() => queryRows(db, c.bareSql(Number(experimentId))), o.searchIterations);
    const p50 = percentile(studio, 50);
    rows.push({
      backend: backend.name,
      measure: `runs/search ${formatNumber(o.searchRuns)} runs: ${c.label} → ${probe.runs.length} runs (p50 / p95 ms)`,
      studio: `${formatNumber(p50)} / ${formatNumber(percentile(studio, 95))}`,
      baseline: `${formatNumber(percentile(baseline, 50))} / ${formatNumber(percentile(baseline, 95))}`,
      ratio: `${(p50 / percentile(baseline, 50)).toFixed(1)}×`,
      target: "p50 ≤ 20",
      verdict: p50 <= 20 ? "met" : "MISSED",
    });
  }
  return rows;
}

async function benchHistory(backend: Backend, client: Client, o: TrackingBenchOptions): Promise<BenchRow[]> {
  const { db } = backend.handle;
  const experimentId = await createExperiment(client, "bench history");
  const runId = await createRun(client, experimentId, "long-training");
  await db.execute(sql`
    insert into metrics (run_uuid, key, step, timestamp, value)
    select ${runId}, 'loss', g, 1700000000000 + g * 10, 1.0 / (1 + g * 0.001) + 0.01 * sin(g)
    from generate_series(0, ${o.historyPoints - 1}) g`);
  await db.execute(sql`analyze metrics`);
  const base = `metrics/get-history?run_id=${runId}&metric_key=loss`;
  const whole = await client.call<{ metrics: unknown[] }>("GET", base);
  if (whole.metrics.length !== o.historyPoints) throw new Error(`get-history returned ${whole.metrics.length} of ${o.historyPoints} points`);

  // The mlflow Python client pages get-history by 25,000 points; read it the same way.
  async function paged(): Promise<number> {
    let token: string | undefined;
    let count = 0;
    do {
      const page = await client.call<{ metrics: unknown[]; next_page_token?: string }>(
        "GET",
        `${base}&max_results=25000${token ? `&page_token=${encodeURIComponent(token)}` : ""}`,
      );
      count += page.metrics.length;
      token = page.next_page_token;
    } while (token);
    if (count !== o.historyPoints) throw new Error(`paged get-history returned ${count} points`);
    return count;
  }
  const bare = () => queryRows(db, sql`select step, timestamp, value from metrics where run_uuid = ${runId} and key = 'loss' order by step, timestamp, value`);
  const baseline = await sample(bare, o.historyIterations, 2);
  const b50 = percentile(baseline, 50);
  const rows: BenchRow[] = [];
  for (const [label, fn] of [["one request", () => client.call("GET", base)], ["pages of 25,000 as mlflow does", paged]] as const) {
    const studio = await sample(fn, o.historyIterations, 2);
    const p50 = percentile(studio, 50);
    rows.push({
      backend: backend.name,
      measure: `get-history ${formatNumber(o.historyPoints)} points, ${label} (p50 / p95 ms)`,
      studio: `${formatNumber(p50)} / ${formatNumber(percentile(studio, 95))}`,
      baseline: `${formatNumber(b50)} / ${formatNumber(percentile(baseline, 95))}`,
      ratio: `${(p50 / b50).toFixed(1)}×`,
      target: "≤ 150",
      verdict: p50 <= 150 ? "met" : "MISSED",
    });
  }
  return rows;
}

export async function benchTracking(o: TrackingBenchOptions, only?: string[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // BENCH_TRACKING_PARTS=ingestion,search,history runs only those measures (to time one lever quickly).
  const parts = new Set(process.env.BENCH_TRACKING_PARTS?.split(",").map((s) => s.trim()) ?? ["ingestion", "search", "history"]);
  const openers = [openPglite, openEmbedded, openPostgres].filter((_, i) => !only || only.includes(["pglite", "embedded", "postgres"][i]));
  for (const open of openers) {
    const backend = await open();
    if (!backend) continue;
    const artifactRoot = await mkdtemp(path.join(os.tmpdir(), "studio-bench-artifacts-"));
    const client = await benchClient(backend.handle.db, artifactRoot);
    try {
      await ensureDefaultExperiment(backend.handle.db);
      if (parts.has("ingestion")) {
        console.log(`[bench] tracking on ${backend.name}: ingestion…`);
        rows.push(...(await benchIngestion(backend, client, o)));
      }
      if (parts.has("search")) {
        console.log(`[bench] tracking on ${backend.name}: search over ${o.searchRuns} runs…`);
        rows.push(...(await benchSearch(backend, client, o)));
      }
      if (parts.has("history")) {
        console.log(`[bench] tracking on ${backend.name}: metric history…`);
        rows.push(...(await benchHistory(backend, client, o)));
      }
    } finally {
      await client.close();
      await backend.dispose();
      await rm(artifactRoot, { recursive: true, force: true });
    }
  }
  return rows;
}
