// What the studio does once when a server process starts: migrate, the Default experiment, the secret key (webhook secrets sealed), background jobs (server/jobs), the first admin, the demo seed and its users.
import { getDatabase } from "@/db/client";
import { isDatabaseUnavailable, noteDatabaseUnavailable, unavailabilityReason } from "@/db/availability";
import { authDisabled } from "./auth/actor";
import { ensureAdminAccount } from "./auth/accounts";
import { ensureDefaultExperiment } from "./tracking/experiments";
import { seedDemoOnFirstStart } from "./seed/demo";
import { seedDemoUsers } from "./seed/demo-users";
import { getArtifactStore, getObjectStorage, getReadCache } from "./service-context";
import { getDatasetRoot } from "./datasets/dataset-store";
import { describeSweep, STALE_TEMP_AGE_MS, sweepStaleTempFiles } from "./datasets/temp-sweep";
import { LocalArtifactStore } from "./artifacts/store";
import { shutdownStudioJobs, startStudioJobs } from "./jobs/studio-jobs";
import { onProcessShutdown, SHUTDOWN_ORDER } from "./process-shutdown";
import { jobsEnabledHere } from "./jobs/runner";
import { sealPlainWebhookSecrets } from "./notifications/webhooks";
import { studioSecretKey } from "./auth/secret-box";

/** Temp files of uploads a killed process never finished (kill -9 skips every cleanup): removed once they are stale. */
async function sweepTempFiles(): Promise<void> {
  const artifacts = getArtifactStore();
  try {
    const swept = await sweepStaleTempFiles({
      datasetRoot: getDatasetRoot(),
      artifactRoot: artifacts instanceof LocalArtifactStore ? artifacts.root : undefined,
      cacheDir: getObjectStorage() ? getReadCache().dir : undefined,
    });
    if (swept.files) {
      console.log(`[studio] removed ${describeSweep(swept)} of temp files left by interrupted uploads (untouched for over ${STALE_TEMP_AGE_MS / 3600_000} h)`);
    }
  } catch (error) {
    // A folder the studio cannot read must not stop it from starting; the next start tries again.
    console.warn("[studio] could not sweep stale upload temp files:", error instanceof Error ? error.message : error);
  }
}

/**
 * With STUDIO_ARTIFACTS=s3://..., whether the bucket answers: a clear line in the log when it does not (the process
 * still starts, /readyz answers 503 until it does). A malformed setting throws: no start can fix it.
 */
async function checkObjectStorage(): Promise<boolean> {
  const storage = getObjectStorage();
  if (!storage) return true;
  const problem = await storage.problem();
  if (problem) console.error(`[studio] ${problem} Not ready until it answers (see /readyz).`);
  else console.log(`[studio] artifacts, model bytes and dataset versions in s3://${storage.config.bucket}/${storage.config.prefix}${storage.config.endpoint ? ` at ${storage.config.endpoint}` : ""}`);
  return !problem;
}

export async function startStudio(): Promise<void> {
  // The database first: a start that meets it unreachable is tried again (instrumentation.ts), and the storage's line
  // is then printed once, by the attempt that gets past it.
  const { db, kind, description } = await getDatabase();
  const storageAnswers = await checkObjectStorage();
  await ensureDefaultExperiment(db);
  // The key is read (or made) now: a malformed STUDIO_SECRET_KEY stops the start with its reason, not a later delivery.
  studioSecretKey();
  const sealed = await sealPlainWebhookSecrets(db);
  if (sealed) console.log(`[studio] encrypted ${sealed} webhook secret(s) stored in plain text by an earlier version`);
  await sweepTempFiles();
  const jobs = await startStudioJobs(db);
  if (jobs.resumedProfiles) console.log(`[studio] queued the profiling of ${jobs.resumedProfiles} dataset version(s) left waiting by the last stop`);
  if (jobs.resumedReviews.resumed) console.log(`[studio] queued ${jobs.resumedReviews.resumed} review evaluation(s) left waiting by the last stop`);
  if (jobs.resumedReviews.failed) console.warn(`[studio] ${jobs.resumedReviews.failed} review evaluation(s) were interrupted too often and are marked failed`);
  // On SIGTERM a web process that runs jobs lets them finish (STUDIO_JOB_GRACE_MS) or releases them, as the worker does.
  if (jobsEnabledHere()) onProcessShutdown("background jobs", SHUTDOWN_ORDER.jobs, async () => void (await shutdownStudioJobs()));
  else console.log("[studio] STUDIO_JOBS=off: this process runs no background jobs; a worker (npm run worker) or another instance takes them.");
  // The demo's files go to the object storage: without it, seeding waits for a start where the bucket answers.
  const seeded = storageAnswers ? await seedDemoOnFirstStart(db, getArtifactStore()) : ({ status: "skipped" } as const);
  const admin = await ensureAdminAccount(db);
  if (seeded.status === "seeded" && admin.created && !authDisabled()) {
    const users = await seedDemoUsers(db);
    // Printed once, like the admin's password: only their hashes are stored.
    console.log(`[studio] Demo users (sign in at /sign-in): ${users.map((u) => `${u.username} (${u.role}) / ${u.password}`).join(", ")}`);
  }
  if (admin.created && admin.generated) {
    // Printed once, on the first start only; the hash is all the database keeps.
    console.log(`\n[studio] Created the 'admin' account. One-time password: ${admin.password}\n[studio] Sign in at /sign-in and keep it somewhere safe; it will not be shown again.\n`);
  } else if (admin.created) {
    console.log("[studio] Created the 'admin' account with the password from STUDIO_ADMIN_PASSWORD.");
  }
  if (authDisabled()) {
    console.warn("[studio] STUDIO_AUTH=off: accounts are switched off and every request acts as an admin. Use this only on a single-user machine.");
  }
  console.log(`[studio] database ready (${description ?? (kind === "pglite" ? "embedded PGlite" : "PostgreSQL")})`);
}

/** How often a start that met its database unreachable tries again. */
const START_RETRY_MS = Number(process.env.STUDIO_START_RETRY_MS) || 2_000;

/**
 * Starts the studio, then calls `onStarted`. When the database of DATABASE_URL cannot be reached (refused, timed out
 * after DATABASE_CONNECT_TIMEOUT_MS, restarting), the process stays up instead: it resolves at once, so the web server
 * listens and answers 503 (the outage page, JSON 503s) from its very first request, and the start is tried again every
 * START_RETRY_MS until the database answers. A team's instances thus come up in any order, and one whose database
 * restarts at the wrong moment recovers by itself. Anything else is thrown: no wait fixes a wrong password or a bad
 * setting. The embedded database is this process's own: if it does not start, neither does the studio.
 */
export async function startStudioOrAwaitDatabase(onStarted: () => void): Promise<void> {
  try {
    await startStudio();
    onStarted();
    return;
  } catch (error) {
    if (!process.env.DATABASE_URL || !isDatabaseUnavailable(error)) throw error;
    noteDatabaseUnavailable();
    console.error(
      `[studio] the database is unreachable (${unavailabilityReason(error)}): pages and the API answer 503 until it answers; trying again every ${START_RETRY_MS / 1000} s`,
    );
  }
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = async () => {
    try {
      await startStudio();
    } catch (error) {
      if (stopped) return;
      if (isDatabaseUnavailable(error)) {
        timer = setTimeout(() => void attempt(), START_RETRY_MS);
        return;
      }
      console.error(`[studio] could not start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
    console.log("[studio] the database answers: started");
    onStarted();
  };
  timer = setTimeout(() => void attempt(), START_RETRY_MS);
  // A process told to stop while it waits stops waiting (the database step then has nothing to close).
  onProcessShutdown("start retries", SHUTDOWN_ORDER.startRetries, async () => {
    stopped = true;
    clearTimeout(timer);
  });
}
