// What a process must do on its way out, after its HTTP server stopped (scripts/graceful-shutdown.mjs runs these on
// SIGTERM/SIGINT): score the shadow's queued copies, write the inference log's backlog, then close the database. A registry on globalThis because
// Next.js bundles each route separately and the web server (plain JavaScript, outside the bundle) runs the hooks.

interface ShutdownHook {
  /** Lower runs first. */
  order: number;
  run: () => Promise<void>;
}

const holder = globalThis as unknown as { studioShutdownHooks?: Map<string, ShutdownHook> };

/**
 * Order of the known steps: running jobs are finished or released, the shadow's queued copies scored (their answers go
 * to the log) and the log written while the database is open.
 */
export const SHUTDOWN_ORDER = { startRetries: 0, jobs: 5, shadow: 8, inferenceLog: 10, database: 100 } as const;

/** Registers (or replaces) the shutdown step `name`. */
export function onProcessShutdown(name: string, order: number, run: () => Promise<void>): void {
  holder.studioShutdownHooks ??= new Map();
  holder.studioShutdownHooks.set(name, { order, run });
}
