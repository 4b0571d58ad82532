// Graceful shutdown of an HTTP process (scripts/server.mjs, the web; server/serving/standalone.ts, serving), plain
// JavaScript so that both can use it. On SIGTERM/SIGINT: stop accepting connections, close idle keep-alive ones,
// answer the requests in flight (each with Connection: close) for up to a grace period (STUDIO_SHUTDOWN_GRACE_MS,
// default 10 s), then cut what is left, run the process's shutdown hooks (the inference log's flush, then the
// database; see server/process-shutdown.ts, which fills the registry read here) and exit 0. A second signal (a second
// or more later) exits at once.

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 };

/** The shutdown grace period in ms (STUDIO_SHUTDOWN_GRACE_MS, default 10 s). */
export function shutdownGraceMs() {
  const configured = Number(process.env.STUDIO_SHUTDOWN_GRACE_MS);
  return Number.isFinite(configured) && configured >= 0 && process.env.STUDIO_SHUTDOWN_GRACE_MS ? configured : 10_000;
}

/**
 * Runs the hooks registered on globalThis.studioShutdownHooks (server/process-shutdown.ts), lowest order first,
 * each bounded by what is left of `timeoutMs`: a database that does not answer cannot hold the exit.
 * @param {number} timeoutMs
 */
export async function runShutdownHooks(timeoutMs) {
  /** @type {Map<string, { order: number, run: () => Promise<void> }> | undefined} */
  const hooks = globalThis.studioShutdownHooks;
  if (!hooks) return;
  const deadline = Date.now() + timeoutMs;
  for (const [name, hook] of [...hooks.entries()].sort((a, b) => a[1].order - b[1].order)) {
    const left = Math.max(0, deadline - Date.now());
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve("timeout"), left)));
    const outcome = await Promise.race([hook.run().then(() => "done", (error) => `failed: ${error instanceof Error ? error.message : String(error)}`), timeout]);
    clearTimeout(timer);
    if (outcome !== "done") console.warn(`[studio] shutdown step '${name}' ${outcome === "timeout" ? "did not finish in time" : outcome}`);
  }
}

/**
 * Installs the SIGTERM/SIGINT handlers for `server`.
 * @param {import("node:http").Server} server
 * @param {{ name: string, graceMs?: number, exit?: (code: number) => void }} options
 * @returns {(signal: "SIGTERM" | "SIGINT") => Promise<void>} the shutdown itself (tests call it)
 */
export function installGracefulShutdown(server, options) {
  const graceMs = options.graceMs ?? shutdownGraceMs();
  const exit = options.exit ?? ((code) => process.exit(code));
  let stopping = false;
  let stoppingSince = 0;
  // Requests still arriving on open keep-alive connections are answered, and told the connection closes after.
  server.on("request", (_request, response) => {
    if (stopping && !response.headersSent) response.setHeader("connection", "close");
  });
  /** @param {"SIGTERM" | "SIGINT"} signal */
  const shutDown = async (signal) => {
    if (stopping) {
      // The same signal twice at once (to the process group and passed on by a cluster primary) is one request;
      // a second one a moment later is someone insisting.
      if (Date.now() - stoppingSince < 1_000) return;
      console.warn(`[${options.name}] ${signal} again: exiting now`);
      exit(SIGNAL_EXIT_CODES[signal]);
      return;
    }
    stopping = true;
    stoppingSince = Date.now();
    console.log(`[${options.name}] ${signal}: no new connections; finishing the requests in flight (up to ${graceMs / 1000} s)`);
    const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
    // A connection goes idle once its response is written: close those as they appear.
    server.closeIdleConnections();
    const sweeper = setInterval(() => server.closeIdleConnections(), 100);
    let timer;
    const graceOver = new Promise((resolve) => (timer = setTimeout(() => resolve("grace over"), graceMs)));
    const outcome = await Promise.race([closed, graceOver]);
    clearInterval(sweeper);
    clearTimeout(timer);
    if (outcome === "grace over") {
      console.warn(`[${options.name}] requests still running after ${graceMs / 1000} s were cut`);
      server.closeAllConnections();
    }
    await runShutdownHooks(Math.max(5_000, graceMs));
    console.log(`[${options.name}] stopped`);
    exit(0);
  };
  for (const signal of /** @type {const} */ (["SIGTERM", "SIGINT"])) process.on(signal, (s) => void shutDown(s));
  return shutDown;
}
