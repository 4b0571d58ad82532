// `npm run serve`: the serving endpoints (/api/serve/<model>/invocations and /v2/…) in a lean node:http process of
// their own — same code, same database and artifact store as the studio, without the Next.js route layer.
// Port STUDIO_SERVING_PORT (default 8081), host STUDIO_SERVING_HOST (default 127.0.0.1); STUDIO_SERVING_WORKERS=n forks
// n processes sharing the port (node:cluster) — with PostgreSQL (DATABASE_URL) only, as PGlite belongs to one process.
// Scale out further by running more of these behind a load balancer, all on the same DATABASE_URL.
// It answers /healthz, /readyz and /metrics too (each worker its own metrics: scrape each process, not the shared port).
import cluster from "node:cluster";
import http from "node:http";
import { getDatabase } from "@/db/client";
import { handleServing, getModelServer, MAX_SERVING_BODY_BYTES, type ServingRequest } from "./http";
import type { ModelServer } from "./model-server";
import { disableHealthChecks } from "../monitoring/inference-log";
import { installGracefulShutdown } from "../../scripts/graceful-shutdown.mjs";
import { startEventLoopTrace } from "./stall-trace.mjs";
import { livenessAnswer, metricsAnswer, readinessAnswer, type OperationsAnswer } from "../operations/endpoints";

/** A node:http request as handleServing reads it (one object per request, no closures). */
class NodeServingRequest implements ServingRequest {
  readonly method: string;
  readonly pathname: string;
  readonly headers: { get(name: string): string | null };

  constructor(private readonly request: http.IncomingMessage) {
    const url = request.url ?? "/";
    const query = url.indexOf("?");
    this.method = request.method ?? "GET";
    this.pathname = query < 0 ? url : url.slice(0, query);
    this.headers = this;
  }

  get(name: string): string | null {
    const value = this.request.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }

  text(): Promise<string> {
    const request = this.request;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_SERVING_BODY_BYTES) chunks.push(chunk);
      });
      request.on("end", () => {
        if (size > MAX_SERVING_BODY_BYTES) resolve("x".repeat(MAX_SERVING_BODY_BYTES + 1));
        else resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8"));
      });
      request.on("error", reject);
    });
  }
}

/** /healthz, /readyz and /metrics of this process (server/operations/endpoints.ts), or null for a serving path. */
function operationsAnswer(request: NodeServingRequest, server: ModelServer): Promise<OperationsAnswer> | null {
  if (request.method !== "GET") return null;
  const database = async () => (await server.database()).db;
  if (request.pathname === "/healthz") return Promise.resolve(livenessAnswer());
  if (request.pathname === "/readyz") return readinessAnswer(database);
  if (request.pathname === "/metrics") return metricsAnswer(request, database);
  return null;
}

export function createServingServer(server: ModelServer = getModelServer()): http.Server {
  return http.createServer((request, response) => {
    const adapted = new NodeServingRequest(request);
    const operations = operationsAnswer(adapted, server);
    void (operations ?? handleServing(adapted, server)).then((answer) => {
      // Next.js adds this header to its routes (next.config.js); this process has no Next.js in front of it.
      answer.headers["x-content-type-options"] = "nosniff";
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body);
    });
  });
}

async function main(): Promise<void> {
  const port = Number(process.env.STUDIO_SERVING_PORT ?? 8081);
  const host = process.env.STUDIO_SERVING_HOST ?? "127.0.0.1";
  const workers = Number(process.env.STUDIO_SERVING_WORKERS ?? 1);
  if (workers > 1 && cluster.isPrimary) {
    if (!process.env.DATABASE_URL) {
      // The workers share the embedded PostgreSQL this primary starts (or attaches to), and it stops with the primary.
      const { embeddedUrl } = await getDatabase();
      if (!embeddedUrl) throw new Error("STUDIO_SERVING_WORKERS > 1 needs PostgreSQL (DATABASE_URL or the embedded default): PGlite belongs to one process.");
      process.env.DATABASE_URL = embeddedUrl;
    }
    for (let i = 0; i < workers; i++) cluster.fork();
    let stopping = false;
    cluster.on("exit", (worker, code) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
        return;
      }
      console.error(`[serving] worker ${worker.process.pid} exited (${code}); starting another`);
      cluster.fork();
    });
    // Each worker shuts down gracefully on its own (below); the primary passes the signal on and waits for them.
    const stopWorkers = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    };
    process.on("SIGTERM", stopWorkers);
    process.on("SIGINT", stopWorkers);
    return;
  }
  await getDatabase();
  disableHealthChecks();
  // STUDIO_STALL_TRACE=<file>: a diagnostic of this thread's stalls (stall-trace.mjs); off by default.
  startEventLoopTrace();
  const server = createServingServer();
  server.keepAliveTimeout = 65_000;
  server.listen(port, host, () => console.log(`[serving] listening on http://${host}:${port} (pid ${process.pid})`));
  // SIGTERM/SIGINT: stop accepting, answer the requests in flight (STUDIO_SHUTDOWN_GRACE_MS), write the inference
  // log's backlog, close the database, exit.
  installGracefulShutdown(server, { name: "serving" });
}

if (process.argv[1]?.endsWith("standalone.ts") || process.argv[1]?.endsWith("standalone.js")) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
