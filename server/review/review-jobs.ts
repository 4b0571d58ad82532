// The background evaluation of reviews: score the model on the dataset version (or reuse the stored report for the
// same inputs), check the criteria, and move the review to ready. A job of the shared queue (server/jobs): claimed by
// one process, taken up by another when the one running it dies.
import { redactErrorForLog } from "../auth/log-redaction";
import { createHash } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { datasetVersions, evaluationReports, jobs, modelVersions, registeredModelAliases, registeredModels, reviewJobs, reviews } from "@/db/schema";
import type { Database } from "@/db/client";
import { evaluateCriteria } from "@/lib/acceptance-criteria";
import type { ArtifactStore } from "../artifacts/store";
import { systemActor } from "../auth/actor";
import { recordAudit } from "../auth/audit";
import { versionLocalPath } from "../datasets/dataset-files";
import { trainingDatasetFileOf } from "../datasets/training-columns";
import { DomainError } from "../errors";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";
import type { OnnxIntrospection } from "../registry/onnx-introspection";
import { loadVersionModelBytes } from "../registry/model-store";
import { zColumnMapping } from "@/lib/feature-names";
import { trainingColumnsOf } from "./column-mapping";
import type { ValueSettings } from "@/lib/business-value-schema";
import { EVALUATOR_VERSION, evaluateModel } from "./evaluate";
import type { ProductionModel } from "./evaluate-comparison";
import { storedValueSettings } from "./review-value";
import { enqueueJob } from "../jobs/queue";
import { ensureJobRunner, registerJobHandler, trackEnqueue, waitForJobs } from "../jobs/runner";
import type { AcceptanceCriteria, EvaluationReport } from "./schema";

/** What a job needs besides its id: the database, the artifact store (ONNX files) and the dataset store's root. */
export interface ReviewJobDeps {
  db: Database;
  artifacts: ArtifactStore;
  datasetRoot: string;
}

/** Seed of noise, missing values and shuffles: fixed, so the same inputs give the same report. */
export const EVALUATION_SEED = 42;
/** A job interrupted this many times (the process stopped while it ran) is marked failed instead of resumed. */
export const MAX_REVIEW_JOB_ATTEMPTS = 3;

/** The queue's kind for evaluating a review (server/jobs). */
export const REVIEW_EVALUATION_JOB = "review.evaluate";

/** The shared queue's row for a review job; in the caller's transaction when given one, so both land or neither. */
export async function enqueueReviewJobRow(db: Pick<Database, "execute">, jobId: number, reviewId?: number): Promise<void> {
  await enqueueJob(db, {
    kind: REVIEW_EVALUATION_JOB,
    target: reviewId ? `review #${reviewId}` : `review job #${jobId}`,
    payload: { jobId },
    dedupeKey: `${REVIEW_EVALUATION_JOB}:${jobId}`,
    // One more than the review's own limit, so the handler sees the last interruption and fails the review itself.
    maxAttempts: MAX_REVIEW_JOB_ATTEMPTS + 1,
  });
}

/** Queues a job (once while it waits or runs, however often asked); returns at once. */
export function enqueueReviewJob(deps: ReviewJobDeps, jobId: number): void {
  const runner = ensureJobRunner(deps.db, { artifacts: deps.artifacts, datasetRoot: deps.datasetRoot });
  trackEnqueue(enqueueReviewJobRow(deps.db, jobId).then(() => runner?.wake()));
}

/** Resolves when every queued job of this process has finished (tests, the demo seed); given `db`, also other processes' when this one runs none. */
export async function waitForReviewJobs(db?: Database): Promise<void> {
  await waitForJobs(db);
}

registerJobHandler(
  REVIEW_EVALUATION_JOB,
  async ({ db, artifacts, datasetRoot, job }) => {
    const jobId = Number(job.payload.jobId);
    const [row] = await db.select({ status: reviewJobs.status, attempts: reviewJobs.attempts, reviewId: reviewJobs.reviewId }).from(reviewJobs).where(eq(reviewJobs.jobId, jobId));
    if (row?.status === "running" && row.attempts >= MAX_REVIEW_JOB_ATTEMPTS) {
      await failReviewJob(db, jobId, row.reviewId, interruptedTooOften(row.attempts));
      return;
    }
    await processReviewJob({ db, artifacts, datasetRoot }, jobId);
  },
  {
    onGiveUp: async ({ db, job }, reason) => {
      const jobId = Number(job.payload.jobId);
      const [row] = await db.select({ reviewId: reviewJobs.reviewId, status: reviewJobs.status }).from(reviewJobs).where(eq(reviewJobs.jobId, jobId));
      if (row && (row.status === "pending" || row.status === "running")) await failReviewJob(db, jobId, row.reviewId, { message: reason, sentence: null });
    },
  },
);

function interruptedTooOften(attempts: number): { message: string; sentence: ServerSentence } {
  return {
    message: `The evaluation was interrupted ${attempts} times (the server stopped while it ran) and was given up. Evaluate again; if it keeps stopping, the model or dataset may be too large for this server.`,
    sentence: sentence("error.evaluation.interrupted", { attempts }),
  };
}

/** SHA-256 of the canonical JSON (sorted keys) of the settings that change a report's numbers. */
export function evaluationConfigDigest(config: {
  labelColumn: string;
  sensitiveAttributes: string[];
  seed: number;
  evaluatorVersion: string;
  /** A confirmed column order feeds other columns: another report. Left out when absent, so other digests stay. */
  columnOrder?: string[] | null;
  /** The production version compared with (its digest): another production, another report. Left out when none. */
  productionDigest?: string | null;
  /** The favourable label value chosen for fairness; left out when it is the default (the positive class). */
  favourableOutcome?: string | null;
  /** Outcome values and threshold change the value part: another report. Left out when absent. */
  value?: ValueSettings | null;
}): string {
  const canonical = JSON.stringify({
    ...(config.columnOrder?.length ? { columnOrder: config.columnOrder } : {}),
    ...(config.favourableOutcome ? { favourableOutcome: config.favourableOutcome } : {}),
    ...(config.value ? { value: canonicalValueSettings(config.value) } : {}),
    evaluatorVersion: config.evaluatorVersion,
    labelColumn: config.labelColumn,
    ...(config.productionDigest ? { productionDigest: config.productionDigest } : {}),
    seed: config.seed,
    sensitiveAttributes: config.sensitiveAttributes,
  });
  return createHash("sha256").update(canonical).digest("hex");
}

/** Value settings with sorted keys, so the digest does not depend on the order they were written in. */
function canonicalValueSettings(value: ValueSettings): unknown {
  const { currency, outcomes, costPerUnitError, yearlyVolume, threshold } = value;
  return { costPerUnitError, currency, outcomes: outcomes ? { fn: outcomes.fn, fp: outcomes.fp, tn: outcomes.tn, tp: outcomes.tp } : null, threshold, yearlyVolume };
}

/** Why an evaluation failed, in English (stored as it was) and as a sentence for the review page when there is one. */
function userFacingMessage(error: unknown): { message: string; sentence: ServerSentence | null } {
  if (error instanceof DomainError) return { message: error.message, sentence: error.sentence ?? null };
  return {
    message: "The evaluation failed on the server (the details are in the server log). Check that the model accepts the dataset's columns, then evaluate again.",
    sentence: sentence("error.evaluation.server_failure"),
  };
}

/** Runs one job: pending or interrupted jobs only; a job another process already finished is left alone. */
export async function processReviewJob(deps: ReviewJobDeps, jobId: number): Promise<void> {
  const { db } = deps;
  const now = Date.now();
  const [job] = await db
    .update(reviewJobs)
    .set({ status: "running", attempts: sql`${reviewJobs.attempts} + 1`, startedAt: now, stage: "starting", progress: 0, error: null })
    .where(and(eq(reviewJobs.jobId, jobId), inArray(reviewJobs.status, ["pending", "running"])))
    .returning();
  if (!job) return;
  let lastWrite = 0;
  try {
    const [source] = await db
      .select({ review: reviews, version: modelVersions, modelName: registeredModels.name, dataset: datasetVersions })
      .from(reviews)
      .innerJoin(modelVersions, eq(modelVersions.versionId, reviews.modelVersionId))
      .innerJoin(registeredModels, eq(registeredModels.modelId, modelVersions.modelId))
      .innerJoin(datasetVersions, eq(datasetVersions.versionId, reviews.datasetVersionId))
      .where(eq(reviews.reviewId, job.reviewId));
    if (!source) throw new DomainError("RESOURCE_DOES_NOT_EXIST", "The review or its model version was deleted before it could be evaluated.");
    const { review, version, dataset } = source;
    if (review.status !== "evaluating") {
      await db.update(reviewJobs).set({ status: "failed", stage: "failed", error: `The review is '${review.status}', not evaluating: nothing to do.`, finishedAt: Date.now() }).where(eq(reviewJobs.jobId, jobId));
      return;
    }
    const ctx = { db, artifacts: deps.artifacts, actor: systemActor };
    const onnx = await loadVersionModelBytes(ctx, version.versionId);
    const sensitiveAttributes = review.sensitiveAttributes ?? [];
    const columnOrder = zColumnMapping.nullable().catch(null).parse(review.columnMapping ?? null)?.columns ?? null;
    const production = await productionModelOf(deps, version.modelId, version.versionId);
    const favourableOutcome = review.favourableOutcome ?? null;
    const valueSettings = storedValueSettings(review.valueSettings);
    const configDigest = evaluationConfigDigest({
      labelColumn: review.labelColumn,
      sensitiveAttributes,
      seed: EVALUATION_SEED,
      evaluatorVersion: EVALUATOR_VERSION,
      columnOrder,
      // A production whose bytes could not be loaded gives another key, so restoring them later evaluates again.
      productionDigest: production ? `${production.problem ? "unavailable:" : ""}${production.digest}` : null,
      favourableOutcome,
      value: valueSettings,
    });
    const key = and(
      eq(evaluationReports.modelDigest, onnx.digest),
      eq(evaluationReports.datasetDigest, dataset.digest),
      eq(evaluationReports.configDigest, configDigest),
    );
    let [stored] = await db.select({ reportId: evaluationReports.reportId, report: evaluationReports.report }).from(evaluationReports).where(key);
    if (!stored) {
      const report = await evaluateModel({
        onnx: onnx.bytes,
        modelDigest: onnx.digest,
        introspection: version.introspection as OnnxIntrospection,
        datasetPath: await versionLocalPath(deps.datasetRoot, dataset.storagePath),
        datasetFormat: dataset.format as "csv" | "parquet",
        datasetDigest: dataset.digest,
        labelColumn: review.labelColumn,
        sensitiveAttributes,
        // The training dataset's columns name a matrix input's columns; the confirmed order when nothing does.
        trainingColumns: await trainingColumnsOf(db, version.lineage),
        trainingDataset: await trainingDatasetFileOf(db, deps.datasetRoot, version.lineage),
        columnOrder,
        production,
        favourableOutcome,
        value: valueSettings,
        seed: EVALUATION_SEED,
        onProgress: (fraction, stage) => {
          const at = Date.now();
          if (at - lastWrite < 250) return;
          lastWrite = at;
          void db
            .update(reviewJobs)
            .set({ progress: Math.min(0.95, fraction * 0.95), stage })
            // Only while running: a late write must not pull a finished job's bar back.
            .where(and(eq(reviewJobs.jobId, jobId), eq(reviewJobs.status, "running")))
            .catch(() => undefined);
        },
      });
      // Two reviews of the same inputs may evaluate at once in two processes: the first insert wins, both read it back.
      await db
        .insert(evaluationReports)
        .values({
          modelDigest: onnx.digest,
          datasetDigest: dataset.digest,
          configDigest,
          evaluatorVersion: EVALUATOR_VERSION,
          runtimeVersion: report.provenance?.onnxruntimeVersion ?? "unknown",
          report,
          createdAt: Date.now(),
        })
        .onConflictDoNothing();
      [stored] = await db.select({ reportId: evaluationReports.reportId, report: evaluationReports.report }).from(evaluationReports).where(key);
    }
    const criteriaResults = evaluateCriteria(stored.report as EvaluationReport, review.criteria as AcceptanceCriteria, valueSettings);
    await db.transaction(async (tx) => {
      const finished = Date.now();
      const [moved] = await tx
        .update(reviews)
        .set({ status: "ready", reportId: stored.reportId, criteriaResults, evaluationError: null, evaluationErrorSentence: null, updatedAt: finished })
        .where(and(eq(reviews.reviewId, review.reviewId), eq(reviews.status, "evaluating")))
        .returning({ reviewId: reviews.reviewId });
      await tx.update(reviewJobs).set({ status: "done", progress: 1, stage: "done", finishedAt: finished }).where(eq(reviewJobs.jobId, jobId));
      if (!moved) return;
      await recordAudit(tx, systemActor, {
        action: "review.status",
        targetType: "review",
        targetId: String(review.reviewId),
        before: { status: "evaluating" },
        after: { status: "ready", reportId: stored.reportId },
        meta: { criteriaPassed: criteriaResults.filter((c) => c.passed).length, criteriaTotal: criteriaResults.length },
      });
    });
  } catch (error) {
    if (!(error instanceof DomainError)) console.error(`[studio] evaluating review job ${jobId} failed`, redactErrorForLog(error));
    await failReviewJob(db, jobId, job.reviewId, userFacingMessage(error));
  }
}

/**
 * The version holding the model's `production` alias, with its verified bytes and the column names its lineage
 * gives; null when no version holds it or the reviewed version does. Its bytes load through the write-once store:
 * missing or altered bytes flag that version and leave the comparison empty with the reason, never compared blind.
 */
async function productionModelOf(deps: ReviewJobDeps, modelId: number, reviewedVersionId: number): Promise<ProductionModel | null> {
  const [row] = await deps.db
    .select({ versionId: modelVersions.versionId, version: modelVersions.version, digest: modelVersions.modelDigest, introspection: modelVersions.introspection, lineage: modelVersions.lineage })
    .from(registeredModelAliases)
    .innerJoin(modelVersions, eq(modelVersions.versionId, registeredModelAliases.versionId))
    .where(and(eq(registeredModelAliases.modelId, modelId), eq(registeredModelAliases.alias, "production")));
  if (!row || row.versionId === reviewedVersionId || !row.introspection) return null;
  const trainingColumns = await trainingColumnsOf(deps.db, row.lineage);
  let bytes: { bytes: Uint8Array; digest: string };
  try {
    bytes = await loadVersionModelBytes({ db: deps.db, artifacts: deps.artifacts }, row.versionId);
  } catch (error) {
    // A broken production version is exactly when a replacement gets reviewed: the review goes on, saying why there is no comparison.
    if (!(error instanceof DomainError)) throw error;
    return { version: String(row.version), onnx: new Uint8Array(), digest: row.digest ?? "unknown", introspection: row.introspection as OnnxIntrospection, trainingColumns, problem: error.message };
  }
  return {
    version: String(row.version),
    onnx: bytes.bytes,
    digest: bytes.digest,
    introspection: row.introspection as OnnxIntrospection,
    trainingColumns,
  };
}

/** The job fails with a message a user can act on; its review shows as failed (not queued) carrying the same message. */
async function failReviewJob(db: Database, jobId: number, reviewId: number, { message, sentence: said }: { message: string; sentence: ServerSentence | null }): Promise<void> {
  await db.transaction(async (tx) => {
    const finished = Date.now();
    await tx.update(reviewJobs).set({ status: "failed", stage: "failed", error: message, finishedAt: finished }).where(eq(reviewJobs.jobId, jobId));
    const [moved] = await tx
      .update(reviews)
      .set({ status: "evaluation_failed", evaluationError: message, evaluationErrorSentence: said, updatedAt: finished })
      .where(and(eq(reviews.reviewId, reviewId), eq(reviews.status, "evaluating")))
      .returning({ reviewId: reviews.reviewId });
    if (!moved) return;
    await recordAudit(tx, systemActor, {
      action: "review.status",
      targetType: "review",
      targetId: String(reviewId),
      before: { status: "evaluating" },
      after: { status: "evaluation_failed", evaluationError: message },
    });
  });
}

/**
 * At start-up, for jobs the shared queue does not hold (queued before it existed): pending jobs are queued; jobs the last stop interrupted while running are queued again unless they
 * already used their attempts, in which case they fail (and their review shows as failed) so nothing stays stuck.
 */
export async function resumeReviewJobs(deps: ReviewJobDeps): Promise<{ resumed: number; failed: number }> {
  const rows = await deps.db
    .select({ jobId: reviewJobs.jobId, reviewId: reviewJobs.reviewId, status: reviewJobs.status, attempts: reviewJobs.attempts })
    .from(reviewJobs)
    .where(
      and(
        inArray(reviewJobs.status, ["pending", "running"]),
        // One the shared queue holds is its business (it may be running in another process right now).
        sql`not exists (select 1 from ${jobs} where ${jobs.dedupeKey} = ${`${REVIEW_EVALUATION_JOB}:`} || ${reviewJobs.jobId}::text and ${jobs.state} in ('queued', 'running'))`,
      ),
    );
  let resumed = 0;
  let failed = 0;
  for (const row of rows) {
    if (row.status === "running" && row.attempts >= MAX_REVIEW_JOB_ATTEMPTS) {
      await failReviewJob(deps.db, row.jobId, row.reviewId, interruptedTooOften(row.attempts));
      failed++;
    } else {
      enqueueReviewJob(deps, row.jobId);
      resumed++;
    }
  }
  return { resumed, failed };
}
