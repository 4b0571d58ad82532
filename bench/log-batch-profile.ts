// Where one runs/log-batch of bench/mlflow's load spends its CPU, stage by stage, on the embedded PostgreSQL 18 (a
// throwaway cluster, as `npm start` runs it): each stage of the request path run on its own over the same payloads,
// with the Node CPU of this process and the database's CPU (every process of the cluster, read from
// /proc/<pid>/schedstat, so a busy machine inflates waits but not these times) per 1,000-point batch. Sequential, one
// caller: the cost of a batch, not the throughput of four.
// Usage: npx tsx bench/log-batch-profile.ts   (BENCH_BATCHES per stage, default 200; BENCH_ROUNDS, default 2)
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readFileSync } from "node:fs";
import { clusterCpuMsSince, clusterCpuNs } from "./cluster-cpu";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { openDatabase, type Database } from "@/db/client";
import { ensureEmbeddedPostgres } from "@/db/embedded-postgres";
import { LocalArtifactStore } from "@/server/artifacts/store";
import { createUserAsSystem } from "@/server/auth/accounts";
import { authenticateRequest } from "@/server/auth/authenticate";
import { createToken } from "@/server/auth/tokens";
import { ensureDefaultExperiment } from "@/server/tracking/experiments";
import { handleMlflowApi, type ContextResolver } from "@/server/http/mlflow-api";
import { createDirectMlflowReads } from "@/server/http/direct-mlflow-reads";
import { parseJsonText } from "@/server/http/request-body";
import { parseLogBatch } from "@/server/tracking/log-batch-input";
import { logBatch } from "@/server/tracking/runs";
import { insertMetricPoints } from "@/server/tracking/metric-rollups";
import type { ServiceContext } from "@/server/service-context";
import { batchPoints } from "./mlflow-load";

const BATCHES = Number(process.env.BENCH_BATCHES ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const RUNS = 4;

const nodeCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "studio-log-batch-profile-"));
  await chmod(dir, 0o755);
  const server = await ensureEmbeddedPostgres(dir);
  const handle = await openDatabase({ url: server.url });
  const db = handle.db as Database;
  const postmaster = Number(readFileSync(path.join(dir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
  try {
    await ensureDefaultExperiment(db);
    const artifacts = new LocalArtifactStore(path.join(dir, "artifacts"));
    const user = await createUserAsSystem(db, { username: "bench", password: "bench-password-0001", role: "editor" });
    const actor = { userId: user.userId, username: user.username, role: user.role, via: "token" as const };
    const ctx: ServiceContext = { db, artifacts, actor };
    const { token } = await createToken(ctx, { name: "bench" });
    const resolve: ContextResolver = async (request) => ({ db, artifacts, actor: await authenticateRequest(request, db) });
    const direct = createDirectMlflowReads(resolve);
    const httpServer = http.createServer((req, res) => {
      if (!direct(req, res)) res.writeHead(404).end();
    });
    httpServer.keepAliveTimeout = 60_000;
    await new Promise<void>((ok) => httpServer.listen(0, "127.0.0.1", ok));
    const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/api/2.0/mlflow/runs/log-batch`;

    const newRuns = async () => {
      const ids = Array.from({ length: RUNS }, () => randomBytes(16).toString("hex"));
      await db.execute(sql`insert into runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri, lifecycle_stage)
        select id, 0, id, 'bench', 'RUNNING', 1, 'bench', 'active' from unnest(${sql.param(ids)}::text[]) as u(id)`);
      return ids;
    };
    const bodies = Array.from({ length: BATCHES }, (_, b) => batchPoints(b, 1000));
    const texts = bodies.map((metrics) => JSON.stringify({ run_id: "0".repeat(32), metrics }));
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };

    type Stage = { name: string; run: (runIds: string[]) => Promise<void> };
    // work(run, that run's batch number, the stage's batch number): each run gets consecutive new steps.
    const perBatch = (work: (runId: string, b: number, i: number) => Promise<unknown> | unknown): Stage["run"] => async (runIds) => {
      for (let i = 0; i < BATCHES; i++) await work(runIds[i % RUNS], Math.floor(i / RUNS), i);
    };
    const arrays = (b: number) => {
      const m = batchPoints(b, 1000);
      return { keys: m.map((p) => p.key), steps: m.map((p) => p.step), timestamps: m.map((p) => p.timestamp), values: m.map((p) => p.value) };
    };
    const stages: Stage[] = [
      { name: "client: batch built + JSON.stringify (load generator)", run: perBatch((_r, b) => JSON.stringify({ run_id: "x", metrics: batchPoints(b, 1000) })) },
      { name: "server: bytes → text → parseJsonText", run: perBatch((_r, _b, i) => parseJsonText(Buffer.from(texts[i]).toString("utf8"))) },
      { name: "server: parseLogBatch (hand check)", run: perBatch((_r, _b, i) => parseLogBatch(JSON.parse(texts[i]))) },
      {
        name: "statement: insertMetricPoints (all-new, Node + database)",
        run: perBatch((runId, b) => insertMetricPoints(db, runId, arrays(b), true)),
      },
      {
        name: "service: logBatch (validation + arrays + statement)",
        run: perBatch((runId, b) => logBatch(ctx, { run_id: runId, metrics: batchPoints(b, 1000) })),
      },
      {
        name: "handler: handleMlflowApi(Request) (auth, body, parse, service)",
        run: perBatch(async (runId, b) => {
          const body = JSON.stringify({ run_id: runId, metrics: batchPoints(b, 1000) });
          const response = await handleMlflowApi(new Request(url, { method: "POST", headers, body }), ["runs", "log-batch"], resolve);
          if (response.status !== 200) throw new Error(await response.text());
        }),
      },
      {
        name: "HTTP: fetch → node:http → direct handler (client + server)",
        run: perBatch(async (runId, b) => {
          const response = await fetch(url, { method: "POST", headers, body: JSON.stringify({ run_id: runId, metrics: batchPoints(b, 1000) }) });
          const text = await response.text();
          if (response.status !== 200) throw new Error(text);
        }),
      },
      {
        name: "bare INSERT … unnest (sql.param arrays, as bench/mlflow-bare-insert.ts)",
        run: perBatch(async (runId, b) => {
          const metrics = batchPoints(b, 1000);
          await db.execute(sql`
            insert into metrics (run_uuid, key, step, timestamp, value)
            select ${runId}, k, s, t, v
            from unnest(${sql.param(metrics.map((m) => m.key))}::text[], ${sql.param(metrics.map((m) => m.step))}::int8[],
                        ${sql.param(metrics.map((m) => m.timestamp))}::int8[], ${sql.param(metrics.map((m) => m.value))}::float8[]) as u(k, s, t, v)`);
        }),
      },
    ];
    const only = process.env.BENCH_STAGES?.split(",").map(Number);
    const chosen = only ? stages.filter((_, i) => only.includes(i)) : stages;
    const results = new Map<string, { node: number[]; database: number[]; wall: number[] }>();
    for (let round = 0; round < ROUNDS + 1; round++) {
      for (const stage of chosen) {
        const runIds = await newRuns();
        const node0 = nodeCpuMs();
        const db0 = clusterCpuNs(postmaster);
        const wall0 = performance.now();
        await stage.run(runIds);
        const wall = (performance.now() - wall0) / BATCHES;
        const database = clusterCpuMsSince(postmaster, db0) / BATCHES;
        const node = (nodeCpuMs() - node0) / BATCHES;
        if (round === 0) continue; // warm-up: JIT, plans, caches
        const r = results.get(stage.name) ?? { node: [], database: [], wall: [] };
        r.node.push(node);
        r.database.push(database);
        r.wall.push(wall);
        results.set(stage.name, r);
      }
    }
    console.log(`per 1,000-point batch, ms (rounds: ${ROUNDS}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")})`);
    console.log("| stage | Node CPU | database CPU | wall |\n| --- | --- | --- | --- |");
    const fmt = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(" / ");
    for (const [name, r] of results) console.log(`| ${name} | ${fmt(r.node)} | ${fmt(r.database)} | ${fmt(r.wall)} |`);
    await new Promise<void>((ok) => httpServer.close(() => ok()));
  } finally {
    await handle.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
