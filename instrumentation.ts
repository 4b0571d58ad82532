// Next.js start-up hook: opens the database (migrations under a lock) and prepares first-run data once.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startStudioOrAwaitDatabase } = await import("./server/startup");
  const { publishDatabaseProbe } = await import("./db/client");
  // scripts/server.mjs asks it whether the database answers before it shows a page (its outage gate).
  publishDatabaseProbe();
  // scripts/server.mjs answers the MLflow API's large reads with this, ahead of Next.js's router (see the module).
  const { publishDirectMlflowReads } = await import("./server/http/direct-mlflow-reads");
  try {
    // An unreachable DATABASE_URL does not stop the process: it answers 503 and starts once the database answers.
    await startStudioOrAwaitDatabase(publishDirectMlflowReads);
  } catch (error) {
    // Any other failure to start cannot be waited out: stop, and say why in one line instead of Next's stack traces
    // (the embedded PostgreSQL, if this process started it, is stopped by its exit hook).
    console.error(`[studio] could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

/**
 * Next.js calls this for an error while rendering a page or running a route: one that says the database is
 * unreachable makes the web server (scripts/server.mjs) answer pages with its 503 page until the database is back.
 */
export async function onRequestError(error: unknown): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { isDatabaseUnavailable, noteDatabaseUnavailable } = await import("./db/availability");
  if (isDatabaseUnavailable(error)) noteDatabaseUnavailable();
}
