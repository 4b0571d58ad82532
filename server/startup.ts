// What the studio does once when a server process starts: migrate, the Default experiment, the secret key (webhook secrets sealed), background jobs (server/jobs), the first admin, the demo seed and its users.
import { getDatabase } from "@/db/client";
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
  const storageAnswers = await checkObjectStorage();
  const { db, kind, description } = await getDatabase();
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
