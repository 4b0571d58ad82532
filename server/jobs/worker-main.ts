// `npm run worker`: a process that only runs the studio's background jobs (no web pages, no serving), taking them from
// the shared queue in PostgreSQL alongside any other worker or web instance. STUDIO_WORKER_PORT opens /healthz,
// /readyz and /metrics. SIGTERM (or Ctrl-C): stop claiming, give running jobs STUDIO_JOB_GRACE_MS to finish, then
// release them to the queue so another process takes them at once, and exit.
import http from "node:http";
import { getDatabase } from "@/db/client";
import { livenessAnswer, metricsAnswer, readinessAnswer, type OperationsAnswer } from "../operations/endpoints";
import { ensureDefaultExperiment } from "../tracking/experiments";
import { keepConnectionsAlive } from "../../scripts/keep-alive.mjs";
import { jobRunners } from "./runner";
import { jobGraceMs, shutdownStudioJobs, startStudioJobs } from "./studio-jobs";

function headersOf(request: http.IncomingMessage) {
  return { get: (name: string) => (request.headers[name.toLowerCase()] as string | undefined) ?? null };
}

async function main(): Promise<void> {
  // A worker exists to run jobs: STUDIO_JOBS=off, meant for web instances of the same deployment, does not apply.
  process.env.STUDIO_JOBS = "on";
  const handle = await getDatabase();
  if (handle.kind === "pglite") {
    console.error(
      "[worker] the database is PGlite, which belongs to the one process that opened it: a separate worker needs PostgreSQL (DATABASE_URL, or the embedded PostgreSQL, the default). With PGlite the web process runs the jobs itself.",
    );
    await handle.close();
    process.exit(1);
  }
  await ensureDefaultExperiment(handle.db);
  const { runner } = await startStudioJobs(handle.db);
  console.log(`[worker] running jobs (${runner?.owner ?? "no runner"}) on ${handle.description ?? "PostgreSQL"}`);

  let stopping = false;
  let server: http.Server | null = null;
  const port = process.env.STUDIO_WORKER_PORT;
  if (port) {
    const database = async () => handle.db;
    server = http.createServer((request, response) => {
      const pathname = new URL(request.url ?? "/", "http://worker").pathname;
      let answer: Promise<OperationsAnswer>;
      if (request.method !== "GET") answer = Promise.resolve({ status: 405, headers: { "content-type": "application/json" }, body: JSON.stringify({ message: "Only GET is answered here." }) });
      else if (pathname === "/healthz") answer = Promise.resolve(livenessAnswer());
      else if (pathname === "/readyz") {
        answer = stopping
          ? Promise.resolve({ status: 503, headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "stopping", message: "The worker is shutting down and takes no new jobs." }) })
          : readinessAnswer(database);
      } else if (pathname === "/metrics") answer = metricsAnswer({ method: "GET", headers: headersOf(request) }, database);
      else answer = Promise.resolve({ status: 404, headers: { "content-type": "application/json" }, body: JSON.stringify({ message: "This is a jobs worker: it answers /healthz, /readyz and /metrics only." }) });
      void answer.then((a) => {
        response.writeHead(a.status, { ...a.headers, "x-content-type-options": "nosniff" });
        response.end(a.body);
      });
    });
    keepConnectionsAlive(server);
    const host = process.env.STUDIO_WORKER_HOST ?? "127.0.0.1";
    server.listen(Number(port), host, () => console.log(`[worker] operations endpoints on http://${host}:${port} (/healthz, /readyz, /metrics)`));
  }

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const running = jobRunners().reduce((n, r) => n + r.runningCount(), 0);
    console.log(`[worker] ${signal}: no new jobs; ${running} running job(s) get ${jobGraceMs() / 1000} s to finish`);
    void shutdownStudioJobs()
      .then(({ finished, released }) => console.log(`[worker] ${finished} job(s) finished, ${released} released to the queue`))
      .catch((error: unknown) => console.error(`[worker] could not release jobs: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        server?.close();
        void handle.close().finally(() => process.exit(0));
      });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(`[worker] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
