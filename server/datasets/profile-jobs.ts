// Background work on a new version: profile it with DuckDB and evaluate the dataset's quality rules,
// reporting progress in its row. One queue per process; pending or interrupted work resumes at start-up.
import { redactErrorForLog } from "../auth/log-redaction";
import { and, eq, inArray } from "drizzle-orm";
import { datasets, datasetVersions } from "@/db/schema";
import { qualityFailedEvent } from "../notifications/events";
import { emitStudioEvent } from "../notifications/outbox";
import type { Database } from "@/db/client";
import { DomainError } from "../errors";
import { versionLocalPath } from "./dataset-files";
import { profileDatasetFile } from "./profile";
import { evaluateQualityRules } from "./quality-rules";
import { listQualityRules } from "./registry";
import type { DatasetFormat, QualityResultOutput, QualityStatus } from "./schema";

interface Job {
  db: Database;
  root: string;
  versionId: number;
}

const state = globalThis as unknown as { studioDatasetJobs?: { queue: Job[]; queued: Set<number>; idle: Promise<void> | null } };
const jobs = (state.studioDatasetJobs ??= { queue: [], queued: new Set(), idle: null });

/** Queues a version for profiling and quality checks (once, however often asked); returns at once. */
export function enqueueDatasetProfile(db: Database, root: string, versionId: number): void {
  if (jobs.queued.has(versionId)) return;
  jobs.queued.add(versionId);
  jobs.queue.push({ db, root, versionId });
  jobs.idle ??= drain().finally(() => {
    jobs.idle = null;
  });
}

/** Dataset versions waiting in this process's queue, and being worked on (the metrics read it). */
export function datasetJobsStatus(): { queued: number; running: number } {
  // `queued` holds every job not finished; the one being worked on has left `queue` already.
  return { queued: jobs.queue.length, running: jobs.queued.size - jobs.queue.length };
}

/** Resolves when every queued job has finished (tests, the demo seed). */
export async function waitForDatasetJobs(): Promise<void> {
  while (jobs.idle) await jobs.idle;
}

async function drain(): Promise<void> {
  // One job at a time: DuckDB already uses both cores, and a second profile would double peak memory.
  for (let job = jobs.queue.shift(); job; job = jobs.queue.shift()) {
    try {
      await processDatasetVersion(job.db, job.root, job.versionId);
    } catch (error) {
      console.error(`[studio] dataset version ${job.versionId}: background work failed`, redactErrorForLog(error));
    } finally {
      jobs.queued.delete(job.versionId);
    }
  }
}

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

/** At start-up: versions whose profiling never finished (the process stopped) are queued again. */
export async function resumeDatasetJobs(db: Database, root: string): Promise<number> {
  const rows = await db
    .select({ versionId: datasetVersions.versionId })
    .from(datasetVersions)
    .where(inArray(datasetVersions.profileStatus, ["pending", "running"]));
  for (const row of rows) enqueueDatasetProfile(db, root, row.versionId);
  return rows.length;
}
