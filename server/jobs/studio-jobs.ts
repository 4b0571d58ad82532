// Starting the studio's background work in a process (the web process unless STUDIO_JOBS=off, and `npm run worker`):
// the runner of the shared queue with every kind's handler, the periodic jobs' rows, and the webhook dispatcher.
import type { Database } from "@/db/client";
import { getDatasetRoot } from "../datasets/dataset-store";
import { DATASET_PROFILE_JOB, resumeDatasetJobs } from "../datasets/profile-jobs";
import { GUARD_EVALUATION_JOB } from "../deployments/guards";
import { MONITORING_REFRESH_JOB } from "../monitoring/monitoring";
import { RETENTION_JOB } from "../monitoring/retention";
import { startNotificationDispatcher, stopNotificationDispatcher } from "../notifications/dispatcher";
import { resumeReviewJobs, REVIEW_EVALUATION_JOB } from "../review/review-jobs";
import { getArtifactStore } from "../service-context";
import { schedulePeriodicJob } from "./queue";
import { ensureJobRunner, jobsEnabledHere, stopJobRunners, type JobRunner } from "./runner";

/** Every kind a studio process runs (importing their modules registered their handlers). */
export const STUDIO_JOB_KINDS = [DATASET_PROFILE_JOB, REVIEW_EVALUATION_JOB, MONITORING_REFRESH_JOB.kind, RETENTION_JOB.kind, GUARD_EVALUATION_JOB.kind];

/**
 * Queues what no queue holds yet (work left by a version of the studio from before the shared queue) and the
 * periodic jobs (one row each, whoever starts first), then, unless STUDIO_JOBS=off, runs jobs in this process.
 */
export async function startStudioJobs(db: Database): Promise<{ runner: JobRunner | null; resumedProfiles: number; resumedReviews: { resumed: number; failed: number } }> {
  const datasetRoot = getDatasetRoot();
  const artifacts = getArtifactStore();
  const resumedProfiles = await resumeDatasetJobs(db, datasetRoot);
  const resumedReviews = await resumeReviewJobs({ db, artifacts, datasetRoot });
  for (const periodic of [MONITORING_REFRESH_JOB, RETENTION_JOB, GUARD_EVALUATION_JOB]) {
    await schedulePeriodicJob(db, periodic.kind, periodic.everyMs, periodic.firstDelayMs);
  }
  const runner = ensureJobRunner(db, { artifacts, datasetRoot });
  // Webhook deliveries keep their own outbox claim (SKIP LOCKED with a sending lease, safe with several processes),
  // checked every second: only where jobs run.
  if (jobsEnabledHere()) startNotificationDispatcher(db);
  return { runner, resumedProfiles, resumedReviews };
}

/** STUDIO_JOB_GRACE_MS (10 s): on shutdown, how long running jobs may finish before they are released. */
export function jobGraceMs(): number {
  const value = Number(process.env.STUDIO_JOB_GRACE_MS);
  return process.env.STUDIO_JOB_GRACE_MS && Number.isFinite(value) && value >= 0 ? value : 10_000;
}

/**
 * A process stopping (SIGTERM): no new jobs or deliveries; running jobs get the grace period, then go back to the
 * queue for another process at once (not after their lease). Call it before the database closes.
 */
export async function shutdownStudioJobs(graceMs = jobGraceMs()): Promise<{ finished: number; released: number }> {
  stopNotificationDispatcher();
  return stopJobRunners(graceMs);
}
