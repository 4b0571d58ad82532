// Background work on a new version: profile it with DuckDB and evaluate the dataset's quality rules,
// reporting progress in its row. A job of the shared queue (server/jobs): claimed by one process, resumed by another
// when the one running it dies (its lease expires).
import { redactErrorForLog } from "../auth/log-redaction";
import { and, eq, inArray, sql } from "drizzle-orm";
import { datasets, datasetVersions, jobs } from "@/db/schema";
import { qualityFailedEvent } from "../notifications/events";
import { emitStudioEvent } from "../notifications/outbox";
import type { Database } from "@/db/client";
import { DomainError } from "../errors";
import { versionLocalPath } from "./dataset-files";
import { profileDatasetFile } from "./profile";
import { enqueueJob } from "../jobs/queue";
import { ensureJobRunner, registerJobHandler, trackEnqueue, waitForJobs } from "../jobs/runner";
import { evaluateQualityRules } from "./quality-rules";
import { listQualityRules } from "./registry";
import type { DatasetFormat, QualityResultOutput, QualityStatus } from "./schema";

/** The queue's kind for profiling a version (server/jobs). */
export const DATASET_PROFILE_JOB = "dataset.profile";

/**
 * Queues a version for profiling and quality checks (once while it waits or runs, however often asked); returns at
 * once. The job is a row of the shared queue: this process runs it unless STUDIO_JOBS=off, else a worker does.
 */
export function enqueueDatasetProfile(db: Database, root: string, versionId: number): void {
  const runner = ensureJobRunner(db, { datasetRoot: root });
  trackEnqueue(
    (async () => {
      const [named] = await db
        .select({ name: datasets.name, version: datasetVersions.version })
        .from(datasetVersions)
        .innerJoin(datasets, eq(datasets.datasetId, datasetVersions.datasetId))
        .where(eq(datasetVersions.versionId, versionId));
      await enqueueJob(db, {
        kind: DATASET_PROFILE_JOB,
        target: named ? `${named.name} v${named.version}` : `dataset version #${versionId}`,
        payload: { versionId },
        dedupeKey: `${DATASET_PROFILE_JOB}:${versionId}`,
      });
      runner?.wake();
    })(),
  );
}

/** Resolves when every queued job of this process has finished (tests, the demo seed); given `db`, also other processes' when this one runs none. */
export async function waitForDatasetJobs(db?: Database): Promise<void> {
  await waitForJobs(db);
}

registerJobHandler(
  DATASET_PROFILE_JOB,
  async ({ db, datasetRoot, job }) => {
    const versionId = Number(job.payload.versionId);
    await processDatasetVersion(db, datasetRoot, versionId);
    // The version row says why for its page; the job fails with the same reason for the Jobs page (and its Retry).
    const [row] = await db.select({ status: datasetVersions.profileStatus, error: datasetVersions.profileError }).from(datasetVersions).where(eq(datasetVersions.versionId, versionId));
    if (row?.status === "failed") throw new DomainError("UNPROCESSABLE_CONTENT", row.error ?? "Profiling failed.");
  },
  {
    onGiveUp: async ({ db, job }, reason) => {
      await db
        .update(datasetVersions)
        .set({ profileStatus: "failed", profileStage: "failed", profileError: reason, qualityStatus: "none" })
        .where(and(eq(datasetVersions.versionId, Number(job.payload.versionId)), inArray(datasetVersions.profileStatus, ["pending", "running"])));
    },
    beforeRetry: async (db, job) => {
      await db
        .update(datasetVersions)
        .set({ profileStatus: "pending", profileStage: "", profileProgress: 0, profileError: null })
        .where(and(eq(datasetVersions.versionId, Number(job.payload.versionId)), eq(datasetVersions.profileStatus, "failed")));
    },
  },
);

/** Summarises failing rules as the reason shown wherever the version is used. */
export function qualityVerdict(results: QualityResultOutput[]): { status: QualityStatus; reason: string | null } {
  if (!results.length) return { status: "none", reason: null };
  const failing = results.filter((r) => !r.passed);
  if (!failing.length) return { status: "passed", reason: null };
  return { status: "failed", reason: failing.map((r) => r.message).join("; ") };
}

export async function evaluateVersionQuality(db: Database, root: string, row: typeof datasetVersions.$inferSelect): Promise<QualityResultOutput[]> {
  const rules = await listQualityRules(db, row.datasetId);
  if (!rules.length) return [];
  return evaluateQualityRules(await versionLocalPath(root, row.storagePath), row.format as DatasetFormat, rules.map((r) => ({ ...r, id: r.ruleId })));
}

export async function processDatasetVersion(db: Database, root: string, versionId: number): Promise<void> {
  const [row] = await db
    .update(datasetVersions)
    .set({ profileStatus: "running", profileProgress: 0, profileStage: "starting", profileError: null })
    .where(and(eq(datasetVersions.versionId, versionId), inArray(datasetVersions.profileStatus, ["pending", "running"])))
    .returning();
  if (!row) return;
  let lastWrite = 0;
  try {
    const profile = await profileDatasetFile(await versionLocalPath(root, row.storagePath), row.format as DatasetFormat, {
      onProgress: (fraction, stage) => {
        const now = Date.now();
        if (now - lastWrite < 250) return;
        lastWrite = now;
        void db
          .update(datasetVersions)
          .set({ profileProgress: Math.min(0.9, fraction * 0.9), profileStage: stage })
          .where(eq(datasetVersions.versionId, versionId))
          .catch(() => undefined);
      },
    });
    await db.update(datasetVersions).set({ profileProgress: 0.9, profileStage: "quality rules" }).where(eq(datasetVersions.versionId, versionId));
    const results = await evaluateVersionQuality(db, root, row);
    const verdict = qualityVerdict(results);
    await db.transaction(async (tx) => {
      await tx
      .update(datasetVersions)
      .set({
        profile,
        rowCount: profile.rowCount,
        profileStatus: "done",
        profileProgress: 1,
        profileStage: "done",
        qualityResults: results,
        qualityStatus: verdict.status,
        qualityReason: verdict.reason,
      })
      .where(eq(datasetVersions.versionId, versionId));
      if (verdict.status === "failed") {
        const [dataset] = await tx.select({ name: datasets.name }).from(datasets).where(eq(datasets.datasetId, row.datasetId));
        if (dataset) await emitStudioEvent(tx, qualityFailedEvent(dataset.name, row.version, verdict.reason));
      }
    });
  } catch (error) {
    const message =
      error instanceof DomainError
        ? error.message
        : "Profiling failed on the server. The stored file is intact: re-check the version, or upload it again if the problem persists.";
    if (!(error instanceof DomainError)) console.error(`[studio] profiling dataset version ${versionId} failed`, redactErrorForLog(error));
    await db
      .update(datasetVersions)
      .set({ profileStatus: "failed", profileStage: "failed", profileError: message, qualityStatus: "none" })
      .where(eq(datasetVersions.versionId, versionId));
  }
}

/**
 * At start-up: versions waiting for profiling with no job (queued before the queue was in the database, or whose
 * enqueue was lost) are queued; those with a job keep it (the dedupe key).
 */
export async function resumeDatasetJobs(db: Database, root: string): Promise<number> {
  const rows = await db
    .select({ versionId: datasetVersions.versionId })
    .from(datasetVersions)
    .where(
      and(
        inArray(datasetVersions.profileStatus, ["pending", "running"]),
        sql`not exists (select 1 from ${jobs} where ${jobs.dedupeKey} = ${`${DATASET_PROFILE_JOB}:`} || ${datasetVersions.versionId}::text and ${jobs.state} in ('queued', 'running'))`,
      ),
    );
  for (const row of rows) enqueueDatasetProfile(db, root, row.versionId);
  return rows.length;
}
