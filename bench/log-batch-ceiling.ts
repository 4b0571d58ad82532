// Where the gap between runs/log-batch and bench/mlflow's bare-INSERT ceiling goes, measured as the rate and the CPU
// per 1,000-point batch of every process on the two cores, four arms interleaved in the same window on one throwaway
// embedded PostgreSQL 18, bench/mlflow's load (4 clients, Node fetch with keep-alive, bench/mlflow-load.ts's batches):
//
// - studio: the production handler of the direct MLflow endpoints (createDirectMlflowReads with its default context:
//   token authentication, getDatabase() from DATABASE_URL) behind node:http, in a process of its own, as
//   scripts/server.mjs answers runs/log-batch;
// - HTTP + JSON floor: a process of its own that reads the body, JSON.parse-s it and runs bench/mlflow's bare INSERT
//   (binary arrays) on the same kind of pool: the least any HTTP server must do with these requests;
// - HTTP + JSON + statement: the same process, but running log-batch's own all-new statement (insertMetricPoints:
//   run check, latest values, chart rollups) instead of the bare INSERT;
// - bare INSERT in-process: bench/mlflow's ceiling arm (binary arrays), no HTTP, no second process.
//
// The ceiling bench/mlflow reports is the last; studio against the third is what the studio's request code costs
// (auth, validation, the search cache's note, metrics), the third against the second what the statement's latest
// values and rollups cost, and the second against the last is what any HTTP API costs (the load generator's fetch and
// JSON.stringify, the server's HTTP and JSON.parse, a second Node process). Every acknowledged point is counted back.
// BENCH_BASE_TREE=<dir> adds the studio arm run from another tree (a copy of main holding this file and bench/log-batch-servers.ts), for an A/B in
// the same window.
// Usage: npx tsx bench/log-batch-ceiling.ts   (BENCH_SECONDS per arm and round, default 8; BENCH_ROUNDS, default 3;
// BENCH_ARMS=studio,floor to run only those; BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=…" for the servers)
import type { ChildProcess } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readdirSync, readFileSync } from "node:fs";
import { clusterCpuMsSince, clusterCpuNs } from "./cluster-cpu";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type Database } from "@/db/client";
import { ensureEmbeddedPostgres } from "@/db/embedded-postgres";
import { bareInsert, startServerProcess, type ServerMode, type ServerProcess } from "./log-batch-servers";
import { batchPoints, runFor } from "./mlflow-load";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CLIENTS = 4;
const BATCH = 1000;

// ---- CPU of every process --------------------------------------------------------------------------------------

/** CPU ns of a process, all its threads (the main thread, libuv's pool, V8's GC helpers). */
function processCpuNs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return ns;
}

const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// ---- the arms ----------------------------------------------------------------------------------------------------

interface ArmResult {
  pointsPerSecond: number;
  /** ms of CPU per 1,000-point batch */
  loadGenerator: number;
  server: number;
  database: number;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "studio-log-batch-ceiling-"));
  await chmod(dir, 0o755);
  const pg = await ensureEmbeddedPostgres(dir);
  const handle = await openDatabase({ url: pg.url });
  const db = handle.db as Database;
  const postmaster = Number(readFileSync(path.join(dir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
  const children: ChildProcess[] = [];
  try {
    const { ensureDefaultExperiment } = await import("@/server/tracking/experiments");
    const { createUserAsSystem } = await import("@/server/auth/accounts");
    const { createToken } = await import("@/server/auth/tokens");
    const { LocalArtifactStore } = await import("@/server/artifacts/store");
    await ensureDefaultExperiment(db);
    const user = await createUserAsSystem(db, { username: "bench", password: "bench-password-0001", role: "editor" });
    const actor = { userId: user.userId, username: user.username, role: user.role, via: "token" as const };
    const { token } = await createToken({ db, artifacts: new LocalArtifactStore(path.join(dir, "artifacts")), actor }, { name: "bench" });
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };

    const start = async (mode: ServerMode, tree?: string) => {
      const child = await startServerProcess(mode, pg.url, tree);
      children.push(child.process);
      return child;
    };
    const studio = await start("studio");
    const floor = await start("floor");
    const floorStatement = await start("floor-statement");
    const baseTree = process.env.BENCH_BASE_TREE;
    const base = baseTree ? await start("studio", baseTree) : null;

    const newRuns = async () => {
      const ids = Array.from({ length: CLIENTS }, () => randomBytes(16).toString("hex"));
      await db.execute(sql`insert into runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri, lifecycle_stage)
        select id, 0, id, 'bench', 'RUNNING', 1, 'bench', 'active' from unnest(${sql.param(ids)}::text[]) as u(id)`);
      return ids;
    };
    const overHttp = (child: ServerProcess) => async (runId: string, batch: number) => {
      const metrics = batchPoints(batch, BATCH);
      // As bench/mlflow's client: fetch, the body read, the answer parsed.
      const response = await fetch(`http://127.0.0.1:${child.port}/api/2.0/mlflow/runs/log-batch`, { method: "POST", headers, body: JSON.stringify({ run_id: runId, metrics }) });
      const text = await response.text();
      if (!response.ok) throw new Error(`${response.status}: ${text.slice(0, 300)}`);
      JSON.parse(text);
      return metrics.length;
    };
    const arms: { name: string; pid: number | null; work: (runId: string, batch: number) => Promise<number> }[] = [
      { name: "studio (this tree)", pid: studio.process.pid!, work: overHttp(studio) },
      ...(base ? [{ name: `studio (${baseTree})`, pid: base.process.pid!, work: overHttp(base) }] : []),
      { name: "HTTP + JSON.parse + log-batch's statement (latest values, rollups)", pid: floorStatement.process.pid!, work: overHttp(floorStatement) },
      { name: "HTTP + JSON.parse + bare INSERT (floor)", pid: floor.process.pid!, work: overHttp(floor) },
      {
        name: "bare INSERT in-process (bench/mlflow's ceiling, binary)",
        pid: null,
        work: async (runId, batch) => {
          const metrics = batchPoints(batch, BATCH);
          await bareInsert(db, runId, metrics);
          return metrics.length;
        },
      },
    ];
    // BENCH_ARMS=studio,floor: only the arms whose names hold one of these (the in-process ceiling always runs).
    const wanted = process.env.BENCH_ARMS?.split(",");
    if (wanted) arms.splice(0, arms.length, ...arms.filter((a, i) => i === arms.length - 1 || wanted.some((w) => a.name.includes(w))));
    const results = new Map<string, ArmResult[]>();
    for (let round = 0; round <= ROUNDS; round++) {
      // Round 0 warms every arm up (JIT, plans, pools); later rounds rotate the order, so no arm always follows another.
      const order = arms.map((_, i) => arms[(i + round) % arms.length]);
      for (const arm of order) {
        const runIds = await newRuns();
        const seconds = round === 0 ? 2 : SECONDS;
        const own0 = ownCpuMs();
        const server0 = arm.pid ? processCpuNs(arm.pid) : 0;
        const db0 = clusterCpuNs(postmaster);
        const load = await runFor(seconds, CLIENTS, (client, batch) => arm.work(runIds[client], batch));
        const database = clusterCpuMsSince(postmaster, db0);
        const server = arm.pid ? (processCpuNs(arm.pid) - server0) / 1e6 : 0;
        const own = ownCpuMs() - own0;
        if (load.failedBatches) throw new Error(`${arm.name}: ${load.failedBatches} batches failed: ${load.firstError}`);
        const [row] = await queryRows<{ n: string }>(db, sql`select count(*) as n from metrics where run_uuid = any(${sql.param(runIds)}::text[])`);
        if (Number(row.n) !== load.acknowledged) throw new Error(`${arm.name}: ${load.acknowledged} acknowledged, ${row.n} counted back`);
        if (round === 0) continue;
        const batches = load.acknowledged / BATCH;
        const r = { pointsPerSecond: load.acknowledged / load.elapsed, loadGenerator: own / batches, server: server / batches, database: database / batches };
        results.set(arm.name, [...(results.get(arm.name) ?? []), r]);
        console.log(`[bench] round ${round}: ${arm.name}: ${Math.round(r.pointsPerSecond)} points/s; load ${os.loadavg()[0].toFixed(1)}`);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ceiling = median(results.get(arms[arms.length - 1].name)!.map((r) => r.pointsPerSecond));
    console.log(`\nper 1,000-point batch, ${ROUNDS} rounds × ${SECONDS} s per arm, ${CLIENTS} clients; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    console.log("| arm | points/s, each round (median) | of the in-process ceiling | CPU ms per batch: load generator / server / PostgreSQL / all |\n| --- | --- | --- | --- |");
    for (const [name, rs] of results) {
      const m = (pick: (r: ArmResult) => number) => median(rs.map(pick));
      const all = m((r) => r.loadGenerator + r.server + r.database);
      console.log(
        `| ${name} | ${rs.map((r) => Math.round(r.pointsPerSecond).toLocaleString("en-US")).join(" / ")} (${Math.round(m((r) => r.pointsPerSecond)).toLocaleString("en-US")}) | ` +
          `${((m((r) => r.pointsPerSecond) / ceiling) * 100).toFixed(0)}% | ${m((r) => r.loadGenerator).toFixed(2)} / ${m((r) => r.server).toFixed(2)} / ${m((r) => r.database).toFixed(2)} / ${all.toFixed(2)} |`,
      );
    }
  } finally {
    await Promise.all(children.map((child) => new Promise((ok) => (child.once("exit", ok), child.kill("SIGTERM")))));
    await handle.close();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => (process.exitCode = 0),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
