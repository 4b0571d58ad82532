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
// BENCH_BASE_TREE=<dir> adds the studio arm run from another tree (a copy of main holding this file), for an A/B in
// the same window.
// Usage: npx tsx bench/log-batch-ceiling.ts   (BENCH_SECONDS per arm and round, default 8; BENCH_ROUNDS, default 3;
// BENCH_ARMS=studio,floor to run only those; BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=…" for the servers)
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { getDatabase, openDatabase, queryRows, type Database } from "@/db/client";
import { ensureEmbeddedPostgres } from "@/db/embedded-postgres";
import { float8ArrayBinary, int8ArrayBinary, textArrayBinary } from "@/server/tracking/binary-array";
import { batchPoints, runFor } from "./mlflow-load";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CLIENTS = 4;
const BATCH = 1000;

/** bench/mlflow's bare INSERT, binary arm: the same points, one statement, nothing else. */
async function bareInsert(db: Database, runId: string, metrics: { key: string; step: number; timestamp: number; value: number }[]): Promise<void> {
  await db.execute(sql`
    insert into metrics (run_uuid, key, step, timestamp, value)
    select ${runId}, k, s, t, v
    from unnest(${textArrayBinary(metrics.map((m) => m.key))}::text[], ${int8ArrayBinary(metrics.map((m) => m.step))}::int8[],
                ${int8ArrayBinary(metrics.map((m) => m.timestamp))}::int8[], ${float8ArrayBinary(metrics.map((m) => m.value))}::float8[]) as u(k, s, t, v)`);
}

// ---- the server processes --------------------------------------------------------------------------------------

async function serveChild(mode: string): Promise<void> {
  let handler: http.RequestListener;
  if (mode === "studio") {
    const { createDirectMlflowReads } = await import("@/server/http/direct-mlflow-reads");
    const direct = createDirectMlflowReads();
    handler = (req, res) => {
      if (!direct(req, res)) res.writeHead(404).end();
    };
  } else if (mode === "floor" || mode === "floor-statement") {
    const { db } = await getDatabase();
    const { insertMetricPoints } = await import("@/server/tracking/metric-rollups");
    // floor-statement: log-batch's own all-new statement (latest values, rollups) instead of the bare INSERT.
    const write = (runId: string, metrics: Parameters<typeof bareInsert>[2]) =>
      mode === "floor"
        ? bareInsert(db, runId, metrics)
        : insertMetricPoints(db, runId, { keys: metrics.map((m) => m.key), steps: metrics.map((m) => m.step), timestamps: metrics.map((m) => m.timestamp), values: metrics.map((m) => m.value) }, true);
    handler = (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { run_id: string; metrics: Parameters<typeof bareInsert>[2] };
        write(body.run_id, body.metrics).then(
          () => res.writeHead(200, { "content-type": "application/json" }).end("{}"),
          (error: Error) => res.writeHead(500).end(error.message),
        );
      });
    };
  } else throw new Error(`unknown child mode ${mode}`);
  // Opened before listening, so that no arm pays the first connection's start-up.
  await getDatabase();
  const server = http.createServer(handler);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  // A clean exit on SIGTERM, so that a --cpu-prof given in BENCH_SERVER_NODE_ARGS is written.
  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close();
    void getDatabase().then((handle) => handle.close());
  });
  process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port }) + "\n");
}

interface Child {
  process: ChildProcess;
  port: number;
}

function startChild(script: string, cwd: string, mode: string, databaseUrl: string): Promise<Child> {
  return new Promise((resolve, reject) => {
    const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script, "--child", mode], {
      cwd,
      env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout!.on("data", (data: Buffer) => {
      output += data.toString();
      const line = output.split("\n").find((l) => l.startsWith('{"port"'));
      if (line) resolve({ process: child, port: (JSON.parse(line) as { port: number }).port });
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`the ${mode} server exited (${code}): ${output.slice(-500)}`)));
  });
}

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

/** CPU ns of the postmaster and each of its children (backends, WAL writer, checkpointer, autovacuum), by pid. */
function clusterCpuNs(postmaster: number): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (Number(entry) !== postmaster && ppid !== postmaster) continue;
      byPid.set(Number(entry), Number(readFileSync(`/proc/${entry}/schedstat`, "utf8").split(" ")[0]));
    } catch {
      // a process that ended meanwhile
    }
  }
  return byPid;
}

function clusterCpuMsSince(postmaster: number, before: Map<number, number>): number {
  let ns = 0;
  for (const [pid, now] of clusterCpuNs(postmaster)) ns += now - (before.get(pid) ?? 0);
  return ns / 1e6;
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

    const self = fileURLToPath(import.meta.url);
    const start = async (script: string, cwd: string, mode: string) => {
      const child = await startChild(script, cwd, mode, pg.url);
      children.push(child.process);
      return child;
    };
    const studio = await start(self, process.cwd(), "studio");
    const floor = await start(self, process.cwd(), "floor");
    const floorStatement = await start(self, process.cwd(), "floor-statement");
    const baseTree = process.env.BENCH_BASE_TREE;
    const base = baseTree ? await start(path.join(baseTree, "bench", "log-batch-ceiling.ts"), baseTree, "studio") : null;

    const newRuns = async () => {
      const ids = Array.from({ length: CLIENTS }, () => randomBytes(16).toString("hex"));
      await db.execute(sql`insert into runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri, lifecycle_stage)
        select id, 0, id, 'bench', 'RUNNING', 1, 'bench', 'active' from unnest(${sql.param(ids)}::text[]) as u(id)`);
      return ids;
    };
    const overHttp = (child: Child) => async (runId: string, batch: number) => {
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

if (process.argv[2] === "--child") {
  serveChild(process.argv[3]).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  main().then(
    () => (process.exitCode = 0),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
