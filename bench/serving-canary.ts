// bench/serving-canary: what a shadow and a canary cost production's callers. One standalone serving process on
// PostgreSQL answers MLflow /invocations (batch 1) at a fixed 1,000 req/s: first production alone (the same-run
// baseline), then with a shadow of v2 receiving a copy of every request.
// Target: p99 with a shadow within +1 ms of the baseline. Also counted: shadow copies scored and logged, and the CPU the
// serving process spent per 1,000 requests (steadier than p99 on a shared, loaded machine).
import { createRequire } from "node:module";
import { chmod, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/db/client";
import { LocalArtifactStore } from "@/server/artifacts/store";
import { systemActor } from "@/server/auth/actor";
import { registerOnnxUpload } from "@/server/registry/onnx-versions";
import { formatNumber, type BenchRow } from "./stats";
import { prepareDataDir, spawnTsx, throwawayPostgres } from "./serving";
import { freePort } from "./studio-server";

const MODEL = "breast-cancer-rf-v1";
const RATE = 1000;
const CONNECTIONS = 10;

interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
const autocannon = createRequire(import.meta.url)("autocannon") as (options: Record<string, unknown>) => Promise<AutocannonResult>;

async function fixedRate(url: string, body: string, token: string, seconds: number) {
  const result = await autocannon({
    url,
    method: "POST",
    body,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    connections: CONNECTIONS,
    duration: seconds,
    overallRate: RATE,
  });
  return { total: result.requests.total, p50: result.latency.p50, p99: result.latency.p99, failed: result.non2xx + result.errors + result.timeouts };
}

/** CPU time (user + system, ms) of every process in a process group so far: the standalone runs under tsx's launcher. */
async function groupCpuMs(pgid: number): Promise<number> {
  let ticks = 0;
  for (const pid of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    // Fields after the command name (which may hold spaces): state is 3rd, pgrp 5th, utime 14th, stime 15th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

async function withCpu<T extends { total: number }>(pgid: number | undefined, run: () => Promise<T>): Promise<T & { cpuPer1k: number | null }> {
  const before = pgid ? await groupCpuMs(pgid) : 0;
  const result = await run();
  const cpuPer1k = pgid && result.total ? (((await groupCpuMs(pgid)) - before) / result.total) * 1000 : null;
  return { ...result, cpuPer1k };
}

async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function benchServingCanary(): Promise<BenchRow[]> {
  const seconds = Number(process.env.BENCH_SERVING_SECONDS ?? 5);
  const postgres = await throwawayPostgres();
  if (!postgres) return [{ backend: "standalone", measure: "canary/shadow at 1,000 req/s", studio: "skipped: needs PostgreSQL", baseline: "—", ratio: "—", target: "—", verdict: "skipped" }];
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "studio-bench-canary-"));
  await chmod(dataDir, 0o755);
  const rows: BenchRow[] = [];
  try {
    const token = await prepareDataDir(dataDir, postgres.url);
    const handle = await openDatabase({ url: postgres.url, dataDir });
    try {
      const ctx = { db: handle.db, artifacts: new LocalArtifactStore(path.join(dataDir, "artifacts")), actor: systemActor };
      await registerOnnxUpload(ctx, { name: MODEL, bytes: new Uint8Array(await readFile("fixtures/models/breast-cancer-rf-v2.onnx")) });
    } finally {
      await handle.close();
    }
    const row = (await readFile("fixtures/datasets/breast_cancer.test.csv", "utf8")).trim().split("\n")[1]!.split(",").slice(0, 30).map(Number);
    const body = JSON.stringify({ inputs: [row] });
    const port = await freePort();
    const standalone = await spawnTsx("server/serving/standalone.ts", { STUDIO_DATA_DIR: dataDir, DATABASE_URL: postgres.url, STUDIO_SERVING_PORT: String(port) }, /\[serving\] listening/);
    // The traffic table as the Deployments page writes it (the process follows within a second).
    const setShadow = (shadow: boolean, canaryShare = 0) =>
      sql(
        postgres.url,
        `insert into deployment_routes (model_id, canary_version_id, canary_share, shadow_version_id, updated_at, updated_by)
         select m.model_id, case when $3 > 0 then v.version_id end, $3, case when $2 then v.version_id end, $4, 'bench'
         from registered_models m join model_versions v on v.model_id = m.model_id and v.version = 2 where m.name = $1
         on conflict (model_id) do update set canary_version_id = excluded.canary_version_id, canary_share = excluded.canary_share,
           shadow_version_id = excluded.shadow_version_id`,
        [MODEL, shadow, canaryShare, Date.now()],
      );
    try {
      const url = `http://127.0.0.1:${port}/api/serve/${MODEL}/invocations`;
      // Warm-up long enough for the session, the JIT and the log's writer to settle.
      const warm = await fixedRate(url, body, token, 5);
      console.log("[bench] serving-canary: production alone…");
      const pgid = standalone.child.pid;
      const alone = await withCpu(pgid, () => fixedRate(url, body, token, seconds));
      await setShadow(true);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const settle = await fixedRate(url, body, token, 1);
      const shadowBefore = Number((await sql<{ n: string }>(postgres.url, `select count(*) as n from inference_log where route = 'shadow'`))[0]!.n);
      console.log("[bench] serving-canary: with a shadow of v2…");
      const shadowed = await withCpu(pgid, () => fixedRate(url, body, token, seconds));
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const shadowAfter = Number((await sql<{ n: string }>(postgres.url, `select count(*) as n from inference_log where route = 'shadow'`))[0]!.n);
      // Production alone once more, after the shadow: the baseline is the better of the two runs around it.
      await setShadow(false);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      console.log("[bench] serving-canary: production alone again…");
      const aloneAgain = await withCpu(pgid, () => fixedRate(url, body, token, seconds));
      // Every answer counted exactly (route_counts, flushed each second), against what autocannon saw answered: its
      // count stops with up to CONNECTIONS requests still in flight at the end of each of the five runs.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const answered = [warm, alone, settle, shadowed, aloneAgain].reduce((sum, r) => sum + r.total - r.failed, 0);
      const counted = Number((await sql<{ n: string }>(postgres.url, `select coalesce(sum(requests), 0) as n from route_counts where route = 'production'`))[0]!.n);
      const ms = (v: number) => `${v.toFixed(2)} ms`;
      const describe = (r: typeof alone) =>
        `p50 ${ms(r.p50)} / p99 ${ms(r.p99)}${r.cpuPer1k !== null ? ` · CPU ${formatNumber(r.cpuPer1k, 0)} ms per 1,000 req` : ""}${r.failed ? ` · ${r.failed} failed` : ""}`;
      rows.push({ backend: "standalone (PostgreSQL)", measure: `${RATE} req/s, batch 1, production alone (before)`, studio: describe(alone), baseline: "—", ratio: "—", target: "—", verdict: "baseline" });
      rows.push({ backend: "standalone (PostgreSQL)", measure: `${RATE} req/s, batch 1, production alone (after)`, studio: describe(aloneAgain), baseline: "—", ratio: "—", target: "—", verdict: "baseline" });
      const baseline = Math.min(alone.p99, aloneAgain.p99);
      const extra = shadowed.p99 - baseline;
      rows.push({
        backend: "standalone (PostgreSQL)",
        measure: `${RATE} req/s, batch 1, shadow of v2 on every request`,
        studio: `${describe(shadowed)} · ${formatNumber(shadowAfter - shadowBefore, 0)} of ${formatNumber(shadowed.total, 0)} copies scored and logged`,
        baseline: `p99 ${ms(baseline)}`,
        ratio: `${extra >= 0 ? "+" : ""}${extra.toFixed(2)} ms`,
        target: "p99 ≤ +1 ms",
        verdict: extra <= 1 ? "met" : "missed",
      });
      rows.push({
        backend: "standalone (PostgreSQL)",
        measure: "production answers counted in route_counts (all five runs)",
        studio: formatNumber(counted, 0),
        baseline: `${formatNumber(answered, 0)} answered (autocannon)`,
        ratio: `${counted - answered >= 0 ? "+" : ""}${counted - answered}`,
        target: `0 to +${5 * CONNECTIONS} (in flight)`,
        verdict: counted >= answered && counted <= answered + 5 * CONNECTIONS ? "met" : "missed",
      });
    } finally {
      await standalone.stop();
    }
  } finally {
    await postgres.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return rows;
}
