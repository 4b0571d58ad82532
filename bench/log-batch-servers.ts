// The HTTP servers of bench/log-batch-ceiling.ts (and bench/mlflow's HTTP floor arm), each in a Node process of its
// own, as the studio's server is: `studio` (the direct MLflow endpoints' production handler), `floor` (read the body,
// JSON.parse, bench/mlflow's bare INSERT) and `floor-statement` (the same with log-batch's own all-new statement).
// Run as `node --import tsx bench/log-batch-servers.ts --child <mode>` with DATABASE_URL; prints {"port":…} when ready.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { getDatabase, type Database } from "@/db/client";
import { float8ArrayBinary, int8ArrayBinary, textArrayBinary } from "@/server/tracking/binary-array";

export type ServerMode = "studio" | "floor" | "floor-statement";

/** bench/mlflow's bare INSERT, binary arm: the same points, one statement, nothing else. */
export async function bareInsert(db: Database, runId: string, metrics: { key: string; step: number; timestamp: number; value: number }[]): Promise<void> {
  await db.execute(sql`
    insert into metrics (run_uuid, key, step, timestamp, value)
    select ${runId}, k, s, t, v
    from unnest(${textArrayBinary(metrics.map((m) => m.key))}::text[], ${int8ArrayBinary(metrics.map((m) => m.step))}::int8[],
                ${int8ArrayBinary(metrics.map((m) => m.timestamp))}::int8[], ${float8ArrayBinary(metrics.map((m) => m.value))}::float8[]) as u(k, s, t, v)`);
}

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

export interface ServerProcess {
  process: ChildProcess;
  port: number;
}

/** Starts a server process of `mode` on DATABASE_URL `databaseUrl`; `tree` runs that tree's copy of this file. */
export function startServerProcess(mode: ServerMode, databaseUrl: string, tree = process.cwd()): Promise<ServerProcess> {
  const script = path.join(tree, "bench", "log-batch-servers.ts");
  const cwd = tree;
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

if (process.argv[2] === "--child" && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  serveChild(process.argv[3]).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
