// Acceptance reviews: request, evaluate in the background, comment, decide; the production gate reads them.
import { and, desc, eq, inArray, isNull, ne, notExists, sql, type SQL } from "drizzle-orm";
import {
  datasets,
  datasetVersions,
  evaluationReports,
  modelVersions,
  registeredModelAliases,
  registeredModels,
  reviewComments,
  reviewCriteriaRevisions,
  reviewDecisions,
  reviewExceptions,
  reviewJobs,
  reviews,
} from "@/db/schema";
import type { Database } from "@/db/client";
import { evaluateCriteria } from "@/lib/acceptance-criteria";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../auth/audit";
import { authorize, can } from "../auth/permissions";
import { getDatasetRoot } from "../datasets/dataset-store";
import { findVersion } from "../datasets/registry";
import type { DatasetProfileOutput } from "../datasets/schema";
import { DomainError, invalidParameter, notFound } from "../errors";
import type { OnnxIntrospection } from "../registry/onnx-introspection";
import { findModelVersion, type ModelVersionRow } from "../registry/model-versions";
import { zModelLineage } from "../registry/schema";
import type { ServiceContext } from "../service-context";
import { findApprovedReview, PRODUCTION_ALIAS } from "./gate";
import { enqueueReviewJob } from "./review-jobs";
import {
  defaultCriteria,
  zAcceptanceCriteria,
  zReviewContext,
  type AcceptanceCriteria,
  type CriteriaRevision,
  type CriterionResult,
  type DecisionKind,
  type ExceptionJustification,
  type EvaluationReport,
  type EvaluationTask,
  type ProductionGate,
  type ReviewException,
  type RequestReviewInput,
  type ReviewDetail,
  type ReviewFormDefaults,
  type ReviewListFilter,
  type ReviewStatus,
  type ReviewSummary,
} from "./schema";

type ReviewRow = typeof reviews.$inferSelect;
type DatasetVersionRow = typeof datasetVersions.$inferSelect;
type Executor = Pick<Database, "select" | "insert" | "update">;

const waitingStatuses: ReviewStatus[] = ["draft", "evaluating", "ready"];
/** Statuses an evaluation can be started again from (draft: failures recorded before evaluation_failed existed). */
const reevaluableStatuses: ReviewStatus[] = ["evaluation_failed", "draft"];
const decidedStatuses: ReviewStatus[] = ["approved", "rejected", "changes_requested"];
/** Lineage contexts of a run's inputs that are not training data (MLflow's `mlflow.data.context`). */
const heldOutContexts = new Set(["evaluation", "eval", "validation", "test", "testing"]);

// ---------------------------------------------------------------- model and dataset checks

/** Why a version cannot be evaluated on the server, or null when it can. */
function reviewProblem(name: string, row: ModelVersionRow): string | null {
  if (!row.onnxPath || !row.introspection) {
    return `Version ${row.version} of '${name}' has no ONNX file in the studio, so it cannot be evaluated. Register an .onnx file (from a run's artifacts or an upload) as a new version and review that one.`;
  }
  const introspection = row.introspection as OnnxIntrospection;
  if (introspection.usesZipMap || introspection.outputs.some((o) => o.kind !== "tensor")) {
    return `Version ${row.version} of '${name}' returns its probabilities through a ZipMap (a sequence of maps), which onnxruntime cannot return. On the version's page, derive a version without the ZipMap node and review that version.`;
  }
  return null;
}

/** binary / multiclass from the probabilities output's width; any other model is treated as a regressor. */
export function taskFromIntrospection(introspection: OnnxIntrospection): EvaluationTask {
  const probabilities = introspection.outputs.find((o) => o.kind === "tensor" && /prob/i.test(o.name)) ?? null;
  const width = probabilities?.shape?.at(-1);
  if (probabilities && typeof width === "number") return width === 2 ? "binary" : width > 2 ? "multiclass" : "regression";
  if (probabilities) return "multiclass";
  return "regression";
}

/** Registry dataset versions the model's lineage says it was trained on (held-out inputs are left out). */
function trainingDatasetsOf(row: ModelVersionRow): { name: string; version: number }[] {
  const lineage = zModelLineage.safeParse(row.lineage ?? {});
  if (!lineage.success) return [];
  const seen = new Map<string, { name: string; version: number }>();
  for (const input of lineage.data.datasets) {
    if (!input.registry) continue;
    if (input.context && heldOutContexts.has(input.context.trim().toLowerCase())) continue;
    seen.set(`${input.registry.datasetName}\u0000${input.registry.version}`, { name: input.registry.datasetName, version: input.registry.version });
  }
  return [...seen.values()];
}

function trainingOverlapWarning(modelName: string, row: ModelVersionRow, datasetName: string, datasetVersion: number): string | null {
  const trained = trainingDatasetsOf(row).some((d) => d.name === datasetName && d.version === datasetVersion);
  if (!trained) return null;
  return `Version ${row.version} of '${modelName}' was trained on ${datasetName} v${datasetVersion} (its lineage says so): scores on the data a model learnt from are optimistic. Evaluate on a held-out version instead.`;
}

function profiledColumns(name: string, row: DatasetVersionRow): string[] {
  if (row.profileStatus !== "done" || !row.profile) {
    const why =
      row.profileStatus === "failed"
        ? `its profiling failed${row.profileError ? ` (${row.profileError})` : ""}; fix the file and register it again`
        : "it is still being profiled; wait for the profile to finish (the version's page shows its progress)";
    throw new DomainError("INVALID_STATE", `Dataset '${name}' v${row.version} cannot be used for a review yet: ${why}.`);
  }
  return (row.profile as DatasetProfileOutput).columns.map((c) => c.name);
}

function requireColumns(datasetName: string, version: number, columns: string[], labelColumn: string, sensitive: string[]): void {
  if (!columns.includes(labelColumn)) {
    throw invalidParameter(`The label column '${labelColumn}' is not a column of ${datasetName} v${version}. Its columns are: ${columns.join(", ")}.`);
  }
  const missing = sensitive.filter((c) => !columns.includes(c));
  if (missing.length) {
    throw invalidParameter(`Sensitive attribute${missing.length > 1 ? "s" : ""} ${missing.map((c) => `'${c}'`).join(", ")} not in ${datasetName} v${version}. Its columns are: ${columns.join(", ")}.`);
  }
  if (sensitive.includes(labelColumn)) throw invalidParameter(`'${labelColumn}' is the label column; it cannot also be a sensitive attribute.`);
}

// ---------------------------------------------------------------- request and evaluate

export async function requestReview(ctx: ServiceContext, input: RequestReviewInput, datasetRoot = getDatasetRoot()): Promise<{ id: number }> {
  authorize(ctx.actor, "reviews.request");
  const { model, row } = await findModelVersion(ctx.db, input.modelName, input.modelVersion);
  const problem = reviewProblem(model.name, row);
  if (problem) throw new DomainError("INVALID_STATE", problem);
  const dataset = await findVersion(ctx.db, input.datasetName, input.datasetVersion);
  const columns = profiledColumns(dataset.dataset.name, dataset.row);
  const sensitiveAttributes = [...new Set(input.sensitiveAttributes)];
  requireColumns(dataset.dataset.name, dataset.row.version, columns, input.labelColumn, sensitiveAttributes);
  const criteria = zAcceptanceCriteria.parse(input.criteria);
  requireAttributeForGroupGap(criteria, sensitiveAttributes);
  const context = zReviewContext.parse(input.context ?? {});
  const trainingOverlap = trainingOverlapWarning(model.name, row, dataset.dataset.name, dataset.row.version);

  const { reviewId, jobId } = await ctx.db.transaction(async (tx) => {
    const now = Date.now();
    const [created] = await tx
      .insert(reviews)
      .values({
        modelVersionId: row.versionId,
        datasetVersionId: dataset.row.versionId,
        labelColumn: input.labelColumn,
        sensitiveAttributes,
        criteria,
        requiredApprovals: input.requiredApprovals ?? 1,
        context,
        status: "draft",
        requestedById: ctx.actor.userId,
        requestedBy: ctx.actor.username,
        trainingOverlap,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(reviewCriteriaRevisions).values({
      reviewId: created.reviewId,
      revision: 1,
      criteria,
      requiredApprovals: created.requiredApprovals,
      changedById: ctx.actor.userId,
      changedBy: ctx.actor.username,
      changedAt: now,
    });
    const target = { targetType: "review", targetId: String(created.reviewId) };
    await recordAudit(tx, ctx.actor, {
      action: "review.request",
      ...target,
      after: {
        status: "draft",
        model: `${model.name}/${row.version}`,
        dataset: `${dataset.dataset.name}/${dataset.row.version}`,
        labelColumn: input.labelColumn,
        sensitiveAttributes,
        criteria,
        requiredApprovals: created.requiredApprovals,
      },
      meta: trainingOverlap ? { trainingOverlap } : {},
    });
    const jobId = await startEvaluation(tx, ctx.actor, created.reviewId, "draft");
    return { reviewId: created.reviewId, jobId };
  });
  enqueueReviewJob({ db: ctx.db, artifacts: ctx.artifacts, datasetRoot }, jobId);
  return { id: reviewId };
}

/** draft → evaluating with a pending job, audited in the caller's transaction; returns the job's id. */
async function startEvaluation(tx: Executor, actor: Actor, reviewId: number, from: ReviewStatus): Promise<number> {
  const now = Date.now();
  await tx.update(reviews).set({ status: "evaluating", evaluationError: null, updatedAt: now }).where(eq(reviews.reviewId, reviewId));
  const [job] = await tx.insert(reviewJobs).values({ reviewId, status: "pending", createdAt: now }).returning({ jobId: reviewJobs.jobId });
  await recordAudit(tx, actor, {
    action: "review.status",
    targetType: "review",
    targetId: String(reviewId),
    before: { status: from },
    after: { status: "evaluating" },
    meta: { jobId: job.jobId },
  });
  return job.jobId;
}

/** Queues the evaluation again (after a failure, or a draft). */
export async function reevaluateReview(ctx: ServiceContext, input: { id: number }, datasetRoot = getDatasetRoot()): Promise<void> {
  authorize(ctx.actor, "studio.read");
  const jobId = await ctx.db.transaction(async (tx) => {
    const review = await lockReview(tx, input.id);
    requireRequesterOrAdmin(ctx.actor, review, "evaluate it again");
    if (!reevaluableStatuses.includes(review.status as ReviewStatus)) {
      throw new DomainError("INVALID_STATE", `Review #${review.reviewId} is '${review.status.replace("_", " ")}': only a review whose evaluation failed can be evaluated again.`);
    }
    return startEvaluation(tx, ctx.actor, review.reviewId, review.status as ReviewStatus);
  });
  enqueueReviewJob({ db: ctx.db, artifacts: ctx.artifacts, datasetRoot }, jobId);
}

// ---------------------------------------------------------------- reading

async function lockReview(tx: Pick<Database, "select">, id: number): Promise<ReviewRow> {
  const [row] = await tx.select().from(reviews).where(eq(reviews.reviewId, id)).for("update");
  if (!row) throw notFound(`Review #${id} does not exist.`);
  return row;
}

function requireRequesterOrAdmin(actor: Actor, review: ReviewRow, what: string): void {
  if (actor.role === "admin" || actor.userId === review.requestedById) return;
  throw new DomainError("PERMISSION_DENIED", `Only the requester of review #${review.reviewId} (${review.requestedBy}) or an admin can ${what}.`);
}

/** Why the actor may not decide on this review now, or null when they may. */
function cannotDecideReason(actor: Actor, review: ReviewRow, modelOwner: string, alreadyDecided: boolean): string | null {
  if (!can(actor, "reviews.decide")) return `Your role (${actor.role}) cannot decide on reviews: only reviewers and admins can.`;
  if (modelOwner && actor.username === modelOwner) return "You registered this model version: someone else must review it.";
  if (actor.userId === review.requestedById) return "You requested this review: someone else must decide on it.";
  if (review.status !== "ready") {
    if (review.status === "evaluation_failed") return "The evaluation failed: decisions open once it has been run again and the report is ready.";
    return review.status === "draft" || review.status === "evaluating"
      ? "The evaluation has not finished: decisions open once the report is ready."
      : `The review is already decided (${review.status.replace("_", " ")}).`;
  }
  if (alreadyDecided) return "You have already decided under the current criteria.";
  return null;
}

function countsOf(results: unknown): { passed: number | null; total: number | null } {
  if (!Array.isArray(results)) return { passed: null, total: null };
  const list = results as CriterionResult[];
  return { passed: list.filter((r) => r.passed).length, total: list.length };
}

const summaryColumns = {
  review: reviews,
  modelName: registeredModels.name,
  modelVersion: modelVersions.version,
  modelOwner: modelVersions.userId,
  datasetName: datasets.name,
  datasetVersion: datasetVersions.version,
  datasetDigest: datasetVersions.digest,
  approvals: sql<number>`(select count(*)::int from ${reviewDecisions} d where d.review_id = ${reviews.reviewId} and d.decision = 'approve' and d.invalidated_at is null and d.withdrawn_at is null and d.criteria_revision = ${reviews.criteriaRevision})`,
};

function summaryQuery(db: Pick<Database, "select">) {
  return db
    .select(summaryColumns)
    .from(reviews)
    .innerJoin(modelVersions, eq(modelVersions.versionId, reviews.modelVersionId))
    .innerJoin(registeredModels, eq(registeredModels.modelId, modelVersions.modelId))
    .innerJoin(datasetVersions, eq(datasetVersions.versionId, reviews.datasetVersionId))
    .innerJoin(datasets, eq(datasets.datasetId, datasetVersions.datasetId));
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>["where"]>>[number];

function toSummary(row: SummaryRow): ReviewSummary {
  const counts = countsOf(row.review.criteriaResults);
  return {
    id: row.review.reviewId,
    modelName: row.modelName,
    modelVersion: String(row.modelVersion),
    datasetName: row.datasetName,
    datasetVersion: row.datasetVersion,
    status: row.review.status as ReviewStatus,
    requestedBy: row.review.requestedBy,
    createdAt: row.review.createdAt,
    updatedAt: row.review.updatedAt,
    approvals: row.approvals,
    requiredApprovals: row.review.requiredApprovals,
    criteriaPassed: counts.passed,
    criteriaTotal: counts.total,
  };
}

export async function getReview(ctx: ServiceContext, id: number): Promise<ReviewDetail> {
  authorize(ctx.actor, "studio.read");
  const [row] = await summaryQuery(ctx.db).where(eq(reviews.reviewId, id));
  if (!row) throw notFound(`Review #${id} does not exist.`);
  const review = row.review;
  const [decisions, comments, [job], [report], revisionRows, exceptionRows] = await Promise.all([
    ctx.db.select().from(reviewDecisions).where(eq(reviewDecisions.reviewId, id)).orderBy(reviewDecisions.createdAt, reviewDecisions.decisionId),
    ctx.db.select().from(reviewComments).where(eq(reviewComments.reviewId, id)).orderBy(reviewComments.createdAt, reviewComments.commentId),
    ctx.db.select().from(reviewJobs).where(eq(reviewJobs.reviewId, id)).orderBy(desc(reviewJobs.jobId)).limit(1),
    review.reportId
      ? ctx.db.select({ report: evaluationReports.report, modelDigest: evaluationReports.modelDigest }).from(evaluationReports).where(eq(evaluationReports.reportId, review.reportId))
      : Promise.resolve([] as { report: unknown; modelDigest: string }[]),
    ctx.db.select().from(reviewCriteriaRevisions).where(eq(reviewCriteriaRevisions.reviewId, id)).orderBy(reviewCriteriaRevisions.revision),
    ctx.db.select().from(reviewExceptions).where(eq(reviewExceptions.reviewId, id)).orderBy(reviewExceptions.exceptionId),
  ]);
  const counting = (d: (typeof decisions)[number]) => d.invalidatedAt === null && d.withdrawnAt === null && d.criteriaRevision === review.criteriaRevision;
  const alreadyDecided = decisions.some((d) => d.reviewerId === ctx.actor.userId && counting(d));
  const reason = cannotDecideReason(ctx.actor, review, row.modelOwner, alreadyDecided);
  const isOwnerOrAdmin = ctx.actor.role === "admin" || ctx.actor.userId === review.requestedById;
  const exceptionsOf = (decisionId: number): ReviewException[] =>
    exceptionRows
      .filter((e) => e.decisionId === decisionId)
      .map((e) => ({ criterionKey: e.criterionKey, criterion: e.criterion, result: e.result, justification: e.justification }));
  const withdrawable = decisions.find(
    (d) => d.decision === "approve" && d.reviewerId === ctx.actor.userId && counting(d) && can(ctx.actor, "reviews.decide") && (review.status === "ready" || review.status === "approved"),
  );
  return {
    ...toSummary(row),
    labelColumn: review.labelColumn,
    sensitiveAttributes: review.sensitiveAttributes ?? [],
    criteria: review.criteria as AcceptanceCriteria,
    criteriaRevision: review.criteriaRevision,
    context: zReviewContext.parse(review.context ?? {}),
    modelDigest: report?.modelDigest ?? null,
    datasetDigest: row.datasetDigest,
    modelOwner: row.modelOwner,
    trainingOverlap: review.trainingOverlap,
    evaluationError: review.evaluationError,
    job: job ? { status: job.status as "pending" | "running" | "done" | "failed", progress: job.progress, stage: job.stage, error: job.error } : null,
    report: (report?.report as EvaluationReport | undefined) ?? null,
    criteriaResults: (review.criteriaResults as CriterionResult[] | null) ?? null,
    decisions: decisions.map((d) => ({
      id: d.decisionId,
      reviewer: d.reviewer,
      decision: d.decision as DecisionKind,
      comment: d.comment,
      createdAt: d.createdAt,
      criteriaRevision: d.criteriaRevision,
      invalidatedAt: d.invalidatedAt,
      withdrawnAt: d.withdrawnAt,
      withdrawnBy: d.withdrawnBy,
      withdrawalReason: d.withdrawalReason,
      exceptions: exceptionsOf(d.decisionId),
    })),
    revisions: toRevisions(revisionRows),
    exceptions: decisions.filter((d) => d.decision === "approve" && counting(d)).flatMap((d) => exceptionsOf(d.decisionId).map((e) => ({ ...e, approvedBy: d.reviewer }))),
    comments: comments.map((c) => ({ id: c.commentId, author: c.author, body: c.body, createdAt: c.createdAt })),
    decidedAt: review.decidedAt,
    permissions: {
      canDecide: reason === null,
      cannotDecideReason: reason,
      canEditCriteria: isOwnerOrAdmin && review.status !== "rejected" && review.status !== "approved",
      canComment: can(ctx.actor, "reviews.comment"),
      canReevaluate: isOwnerOrAdmin && reevaluableStatuses.includes(review.status as ReviewStatus),
      withdrawableDecisionId: withdrawable?.decisionId ?? null,
    },
  };
}

/** Revision rows, oldest first, each paired with the one before it (when that one was recorded). */
function toRevisions(rows: (typeof reviewCriteriaRevisions.$inferSelect)[]): CriteriaRevision[] {
  return rows.map((r, index) => {
    const before = index > 0 && rows[index - 1]!.revision === r.revision - 1 ? rows[index - 1]! : null;
    return {
      revision: r.revision,
      criteria: r.criteria as AcceptanceCriteria,
      requiredApprovals: r.requiredApprovals,
      changedBy: r.changedBy,
      changedAt: r.changedAt,
      previous: before ? { revision: before.revision, criteria: before.criteria as AcceptanceCriteria, requiredApprovals: before.requiredApprovals } : null,
    };
  });
}

export async function listReviews(
  ctx: ServiceContext,
  input: { filter: ReviewListFilter; modelName?: string; modelVersion?: string },
): Promise<ReviewSummary[]> {
  authorize(ctx.actor, "studio.read");
  const conditions: SQL[] = [];
  if (input.modelName) conditions.push(eq(registeredModels.name, input.modelName));
  if (input.modelVersion) conditions.push(eq(modelVersions.version, Number(input.modelVersion)));
  switch (input.filter) {
    case "mine_to_review":
      if (!can(ctx.actor, "reviews.decide")) return [];
      conditions.push(
        eq(reviews.status, "ready"),
        ne(modelVersions.userId, ctx.actor.username),
        ne(reviews.requestedById, ctx.actor.userId),
        notExists(
          ctx.db
            .select({ one: sql`1` })
            .from(reviewDecisions)
            .where(
              and(
                eq(reviewDecisions.reviewId, reviews.reviewId),
                eq(reviewDecisions.reviewerId, ctx.actor.userId),
                eq(reviewDecisions.criteriaRevision, reviews.criteriaRevision),
                isNull(reviewDecisions.invalidatedAt),
                isNull(reviewDecisions.withdrawnAt),
              ),
            ),
        ),
      );
      break;
    case "waiting":
      conditions.push(inArray(reviews.status, waitingStatuses));
      break;
    case "decided":
      conditions.push(inArray(reviews.status, decidedStatuses));
      break;
    case "requested_by_me":
      conditions.push(eq(reviews.requestedById, ctx.actor.userId));
      break;
    case "all":
      break;
  }
  const rows = await summaryQuery(ctx.db)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(reviews.updatedAt), desc(reviews.reviewId))
    .limit(500);
  return rows.map(toSummary);
}

export async function reviewFormDefaults(
  ctx: ServiceContext,
  input: { modelName: string; modelVersion: string; datasetName?: string; datasetVersion?: number },
): Promise<ReviewFormDefaults> {
  authorize(ctx.actor, "studio.read");
  const { model, row } = await findModelVersion(ctx.db, input.modelName, input.modelVersion);
  const problem = reviewProblem(model.name, row);
  const task = problem ? null : taskFromIntrospection(row.introspection as OnnxIntrospection);
  let dataset: ReviewFormDefaults["dataset"] = null;
  if (input.datasetName && input.datasetVersion !== undefined) {
    const found = await findVersion(ctx.db, input.datasetName, input.datasetVersion);
    const profile = found.row.profile as DatasetProfileOutput | null;
    const columns = profile?.columns.map((c) => c.name) ?? found.row.columns;
    dataset = {
      name: found.dataset.name,
      version: found.row.version,
      columns,
      labelColumn: found.dataset.labelColumn && columns.includes(found.dataset.labelColumn) ? found.dataset.labelColumn : null,
      sensitiveAttributes: (found.dataset.sensitiveAttributes ?? []).filter((c) => columns.includes(c)),
      trainingOverlap: trainingOverlapWarning(model.name, row, found.dataset.name, found.row.version),
    };
  }
  return { task, problem, criteria: defaultCriteria(task ?? "binary"), trainingDatasets: trainingDatasetsOf(row), dataset };
}

// ---------------------------------------------------------------- comments and decisions

export async function addReviewComment(ctx: ServiceContext, input: { id: number; body: string }): Promise<void> {
  authorize(ctx.actor, "reviews.comment");
  const body = input.body.trim();
  if (!body) throw invalidParameter("Write a comment before sending it.");
  await ctx.db.transaction(async (tx) => {
    const [review] = await tx.select({ reviewId: reviews.reviewId }).from(reviews).where(eq(reviews.reviewId, input.id));
    if (!review) throw notFound(`Review #${input.id} does not exist.`);
    const [comment] = await tx
      .insert(reviewComments)
      .values({ reviewId: input.id, authorId: ctx.actor.userId, author: ctx.actor.username, body, createdAt: Date.now() })
      .returning({ commentId: reviewComments.commentId });
    await recordAudit(tx, ctx.actor, { action: "review.comment", targetType: "review", targetId: String(input.id), after: { commentId: comment.commentId, body } });
  });
}

const decisionStatus: Record<Exclude<DecisionKind, "approve">, ReviewStatus> = { reject: "rejected", request_changes: "changes_requested" };

/** Decisions that count: under the current criteria, not invalidated, not withdrawn. */
function countingDecisions(review: ReviewRow) {
  return and(
    eq(reviewDecisions.reviewId, review.reviewId),
    eq(reviewDecisions.criteriaRevision, review.criteriaRevision),
    isNull(reviewDecisions.invalidatedAt),
    isNull(reviewDecisions.withdrawnAt),
  );
}

/**
 * An approval while criteria fail needs one written justification per failing criterion (recorded as exceptions);
 * justifications for criteria that pass, or unknown ones, are refused so nothing is recorded that was not needed.
 */
function exceptionsFor(review: ReviewRow, decision: DecisionKind, given: readonly ExceptionJustification[]): { key: string; criterion: string; result: string; justification: string }[] {
  const byKey = new Map<string, string>();
  for (const entry of given) {
    const justification = entry.justification.trim();
    if (byKey.has(entry.key)) throw invalidParameter(`Criterion '${entry.key}' has two justifications: give one per failing criterion.`);
    byKey.set(entry.key, justification);
  }
  if (decision !== "approve") {
    if (byKey.size) throw invalidParameter("Exceptions are written only with an approval: leave them out to reject or request changes.");
    return [];
  }
  const results = (review.criteriaResults as CriterionResult[] | null) ?? [];
  const failing = results.filter((r) => !r.passed);
  const extra = [...byKey.keys()].filter((key) => !failing.some((r) => r.key === key));
  if (extra.length) {
    throw invalidParameter(`No exception is needed for ${extra.map((k) => `'${k}'`).join(", ")}: only failing criteria take one (failing now: ${failing.map((r) => r.description).join(", ") || "none"}).`);
  }
  const missing = failing.filter((r) => !byKey.get(r.key));
  if (missing.length) {
    throw invalidParameter(
      `${missing.length} criteri${missing.length === 1 ? "on fails" : "a fail"} (${missing.map((r) => r.description).join("; ")}): approving anyway needs a written justification for each, recorded as an exception. Write one, or reject or request changes.`,
    );
  }
  return failing.map((r) => ({ key: r.key, criterion: r.description, result: r.sentence, justification: byKey.get(r.key)! }));
}

export async function decideReview(
  ctx: ServiceContext,
  input: { id: number; decision: DecisionKind; comment: string; exceptions?: ExceptionJustification[] },
): Promise<void> {
  authorize(ctx.actor, "reviews.decide");
  const comment = (input.comment ?? "").trim();
  if (input.decision !== "approve" && !comment) {
    throw invalidParameter(
      input.decision === "reject"
        ? "Say why you reject this model version: a comment is required with a rejection."
        : "Say what must change: a comment is required when requesting changes.",
    );
  }
  await ctx.db.transaction(async (tx) => {
    const review = await lockReview(tx, input.id);
    const [version] = await tx.select({ userId: modelVersions.userId }).from(modelVersions).where(eq(modelVersions.versionId, review.modelVersionId));
    const [previous] = await tx
      .select({ decisionId: reviewDecisions.decisionId })
      .from(reviewDecisions)
      .where(and(countingDecisions(review), eq(reviewDecisions.reviewerId, ctx.actor.userId)));
    const reason = cannotDecideReason(ctx.actor, review, version?.userId ?? "", Boolean(previous));
    if (reason) {
      const code = review.status !== "ready" || previous ? "INVALID_STATE" : "PERMISSION_DENIED";
      throw new DomainError(code, `You cannot decide on review #${review.reviewId}: ${reason}`);
    }
    const exceptions = exceptionsFor(review, input.decision, input.exceptions ?? []);
    const now = Date.now();
    const [decision] = await tx
      .insert(reviewDecisions)
      .values({
        reviewId: review.reviewId,
        reviewerId: ctx.actor.userId,
        reviewer: ctx.actor.username,
        decision: input.decision,
        comment,
        criteriaRevision: review.criteriaRevision,
        createdAt: now,
      })
      .returning({ decisionId: reviewDecisions.decisionId });
    if (exceptions.length) {
      await tx.insert(reviewExceptions).values(
        exceptions.map((e) => ({
          reviewId: review.reviewId,
          decisionId: decision.decisionId,
          criterionKey: e.key,
          criterion: e.criterion,
          result: e.result,
          justification: e.justification,
          createdAt: now,
        })),
      );
    }
    let status: ReviewStatus = "ready";
    if (input.decision === "approve") {
      const [{ approvals }] = await tx
        .select({ approvals: sql<number>`count(*)::int` })
        .from(reviewDecisions)
        .where(and(countingDecisions(review), eq(reviewDecisions.decision, "approve")));
      if (approvals >= review.requiredApprovals) status = "approved";
    } else {
      status = decisionStatus[input.decision];
    }
    const decided = status !== "ready";
    await tx
      .update(reviews)
      .set({ status, updatedAt: now, ...(decided ? { decidedAt: now } : {}) })
      .where(eq(reviews.reviewId, review.reviewId));
    await recordAudit(tx, ctx.actor, {
      action: "review.decide",
      targetType: "review",
      targetId: String(review.reviewId),
      before: { status: review.status },
      after: { status },
      meta: {
        decision: input.decision,
        comment,
        criteriaRevision: review.criteriaRevision,
        ...(exceptions.length ? { exceptions: exceptions.map((e) => ({ criterion: e.key, result: e.result, justification: e.justification })) } : {}),
      },
    });
  });
}

/**
 * A reviewer takes back their own approval, saying why. The review leaves `approved` when too few approvals remain,
 * so the version loses its pass through the production gate; if it serves production, the Deployments page flags it
 * and offers the rollback (see reviewFlagsOfVersions).
 */
export async function withdrawApproval(ctx: ServiceContext, input: { id: number; reason: string }): Promise<{ status: ReviewStatus; holdsProduction: boolean }> {
  authorize(ctx.actor, "reviews.decide");
  const reason = (input.reason ?? "").trim();
  if (!reason) throw invalidParameter("Say why you withdraw your approval: a reason is required, and reviewers and the requester will read it.");
  return ctx.db.transaction(async (tx) => {
    const review = await lockReview(tx, input.id);
    const [approval] = await tx
      .select({ decisionId: reviewDecisions.decisionId })
      .from(reviewDecisions)
      .where(and(countingDecisions(review), eq(reviewDecisions.reviewerId, ctx.actor.userId), eq(reviewDecisions.decision, "approve")));
    if (!approval || (review.status !== "approved" && review.status !== "ready")) {
      throw new DomainError("INVALID_STATE", `You have no approval on review #${review.reviewId} that counts now, so there is nothing to withdraw.`);
    }
    const now = Date.now();
    await tx
      .update(reviewDecisions)
      .set({ withdrawnAt: now, withdrawnBy: ctx.actor.username, withdrawalReason: reason })
      .where(eq(reviewDecisions.decisionId, approval.decisionId));
    const [{ approvals }] = await tx
      .select({ approvals: sql<number>`count(*)::int` })
      .from(reviewDecisions)
      .where(and(countingDecisions(review), eq(reviewDecisions.decision, "approve")));
    const status: ReviewStatus = review.status === "approved" && approvals < review.requiredApprovals ? "ready" : (review.status as ReviewStatus);
    await tx
      .update(reviews)
      .set({ status, updatedAt: now, ...(status !== review.status ? { decidedAt: null } : {}) })
      .where(eq(reviews.reviewId, review.reviewId));
    const [production] = await tx
      .select({ versionId: registeredModelAliases.versionId })
      .from(registeredModelAliases)
      .where(and(eq(registeredModelAliases.versionId, review.modelVersionId), eq(registeredModelAliases.alias, PRODUCTION_ALIAS)));
    const holdsProduction = Boolean(production);
    await recordAudit(tx, ctx.actor, {
      action: "review.withdraw",
      targetType: "review",
      targetId: String(review.reviewId),
      before: { status: review.status, approvals: approvals + 1 },
      after: { status, approvals },
      meta: { decisionId: approval.decisionId, reason, holdsProduction },
    });
    return { status, holdsProduction };
  });
}

/**
 * Production versions whose approval was withdrawn and that have no approved review left: the reason to flag them,
 * by model version id (the Deployments page shows it next to the rollback).
 */
export async function reviewFlagsOfVersions(db: Pick<Database, "select">, versionIds: readonly number[]): Promise<Map<number, string>> {
  const flags = new Map<number, string>();
  if (versionIds.length === 0) return flags;
  const rows = await db
    .select({
      versionId: reviews.modelVersionId,
      reviewId: reviews.reviewId,
      status: reviews.status,
      withdrawnAt: reviewDecisions.withdrawnAt,
      withdrawnBy: reviewDecisions.withdrawnBy,
      reason: reviewDecisions.withdrawalReason,
    })
    .from(reviews)
    .leftJoin(reviewDecisions, and(eq(reviewDecisions.reviewId, reviews.reviewId), sql`${reviewDecisions.withdrawnAt} is not null`))
    .where(inArray(reviews.modelVersionId, [...versionIds]))
    .orderBy(desc(reviewDecisions.withdrawnAt));
  const approved = new Set(rows.filter((r) => r.status === "approved").map((r) => r.versionId));
  for (const row of rows) {
    if (row.withdrawnAt === null || approved.has(row.versionId) || flags.has(row.versionId)) continue;
    flags.set(
      row.versionId,
      `Approval withdrawn: ${row.withdrawnBy} withdrew the approval of review #${row.reviewId} (${row.reason}). This version no longer has an approved review: roll back, or get it approved again.`,
    );
  }
  return flags;
}

function sameCriteria(a: unknown, b: unknown): boolean {
  return JSON.stringify(zAcceptanceCriteria.parse(a)) === JSON.stringify(zAcceptanceCriteria.parse(b));
}

/**
 * Criteria are frozen once the evaluation has started (at the request): a change makes a new revision, recorded
 * with who and when, and every decision taken so far stops counting. After an approval nothing changes: a new
 * review is needed.
 */
export async function updateReviewCriteria(
  ctx: ServiceContext,
  input: { id: number; criteria: AcceptanceCriteria; requiredApprovals: number },
): Promise<void> {
  authorize(ctx.actor, "studio.read");
  const criteria = zAcceptanceCriteria.parse(input.criteria);
  if (!Number.isInteger(input.requiredApprovals) || input.requiredApprovals < 1) throw invalidParameter("At least one approval is required.");
  await ctx.db.transaction(async (tx) => {
    const review = await lockReview(tx, input.id);
    requireAttributeForGroupGap(criteria, review.sensitiveAttributes ?? []);
    requireRequesterOrAdmin(ctx.actor, review, "edit its criteria");
    if (review.status === "rejected") {
      throw new DomainError("INVALID_STATE", `Review #${review.reviewId} was rejected: its criteria can no longer change. Request a new review instead.`);
    }
    if (review.status === "approved") {
      throw new DomainError(
        "INVALID_STATE",
        `Review #${review.reviewId} is approved: its criteria can no longer change. Request a new review of this version with the criteria you want.`,
      );
    }
    if (sameCriteria(review.criteria, criteria) && review.requiredApprovals === input.requiredApprovals) {
      throw invalidParameter("These are the current criteria and number of approvals: change something, or cancel.");
    }
    let criteriaResults: CriterionResult[] | null = null;
    if (review.reportId) {
      const [stored] = await tx.select({ report: evaluationReports.report }).from(evaluationReports).where(eq(evaluationReports.reportId, review.reportId));
      if (stored) criteriaResults = evaluateCriteria(stored.report as EvaluationReport, criteria);
    }
    const now = Date.now();
    const revision = review.criteriaRevision + 1;
    const status: ReviewStatus = review.status === "changes_requested" ? "ready" : (review.status as ReviewStatus);
    const invalidated = await tx
      .update(reviewDecisions)
      .set({ invalidatedAt: now })
      .where(and(eq(reviewDecisions.reviewId, review.reviewId), isNull(reviewDecisions.invalidatedAt)))
      .returning({ decisionId: reviewDecisions.decisionId });
    await tx
      .update(reviews)
      .set({
        criteria,
        requiredApprovals: input.requiredApprovals,
        criteriaRevision: revision,
        criteriaResults: criteriaResults ?? review.criteriaResults,
        status,
        updatedAt: now,
        ...(status === "ready" ? { decidedAt: null } : {}),
      })
      .where(eq(reviews.reviewId, review.reviewId));
    await tx.insert(reviewCriteriaRevisions).values({
      reviewId: review.reviewId,
      revision,
      criteria,
      requiredApprovals: input.requiredApprovals,
      changedById: ctx.actor.userId,
      changedBy: ctx.actor.username,
      changedAt: now,
    });
    await recordAudit(tx, ctx.actor, {
      action: "review.criteria",
      targetType: "review",
      targetId: String(review.reviewId),
      before: { status: review.status, criteria: review.criteria, requiredApprovals: review.requiredApprovals, criteriaRevision: review.criteriaRevision },
      after: { status, criteria, requiredApprovals: input.requiredApprovals, criteriaRevision: revision },
      meta: { invalidatedDecisions: invalidated.map((d) => d.decisionId) },
    });
  });
}

// ---------------------------------------------------------------- production gate

/** Exceptions of the approvals that count on a review ("approved with 2 exceptions"). */
async function approvedExceptions(db: Pick<Database, "select">, reviewId: number): Promise<NonNullable<ProductionGate["exceptions"]>> {
  const rows = await db
    .select({ exception: reviewExceptions, approvedBy: reviewDecisions.reviewer })
    .from(reviewExceptions)
    .innerJoin(reviewDecisions, eq(reviewDecisions.decisionId, reviewExceptions.decisionId))
    .innerJoin(reviews, eq(reviews.reviewId, reviewExceptions.reviewId))
    .where(
      and(
        eq(reviewExceptions.reviewId, reviewId),
        eq(reviewDecisions.criteriaRevision, reviews.criteriaRevision),
        isNull(reviewDecisions.invalidatedAt),
        isNull(reviewDecisions.withdrawnAt),
      ),
    )
    .orderBy(reviewExceptions.exceptionId);
  return rows.map(({ exception: e, approvedBy }) => ({ criterionKey: e.criterionKey, criterion: e.criterion, result: e.result, justification: e.justification, approvedBy }));
}

export async function productionGate(ctx: ServiceContext, input: { name: string; version: string }): Promise<ProductionGate> {
  authorize(ctx.actor, "studio.read");
  const { model, row } = await findModelVersion(ctx.db, input.name, input.version);
  const approved = await findApprovedReview(ctx.db, row.versionId);
  if (approved) {
    const when = approved.decidedAt ? ` on ${new Date(approved.decidedAt).toISOString().slice(0, 10)}` : "";
    const exceptions = await approvedExceptions(ctx.db, approved.reviewId);
    // One exception per failing criterion accepted, whoever many approvers justified it.
    const criteria = [...new Set(exceptions.map((e) => e.criterion))];
    const withExceptions = criteria.length
      ? ` with ${criteria.length} exception${criteria.length === 1 ? "" : "s"} (${criteria
          .map((c) => `${c}: ${exceptions.filter((e) => e.criterion === c).map((e) => `accepted by ${e.approvedBy}, “${e.justification}”`).join(", ")}`)
          .join("; ")})`
      : "";
    return {
      approved: true,
      approvedReviewId: approved.reviewId,
      message: `Review #${approved.reviewId} approved version ${row.version}${when}${withExceptions}: it may take the production alias.`,
      exceptions,
    };
  }
  const [pending] = await ctx.db
    .select({ reviewId: reviews.reviewId, status: reviews.status })
    .from(reviews)
    .where(eq(reviews.modelVersionId, row.versionId))
    .orderBy(desc(reviews.reviewId))
    .limit(1);
  const latest = pending ? ` Its latest review, #${pending.reviewId}, is '${pending.status.replace("_", " ")}'.` : " It has not been reviewed yet.";
  return {
    approved: false,
    approvedReviewId: null,
    message: `Version ${row.version} of '${model.name}' has no approved acceptance review, so it cannot take the production alias.${latest} Get a review approved first; an admin may override with a reason, which is audited.`,
    exceptions: [],
  };
}

/** A group-gap limit with no sensitive attribute could only fail: say so before anything is evaluated. */
function requireAttributeForGroupGap(criteria: AcceptanceCriteria, sensitiveAttributes: readonly string[]): void {
  if (criteria.maxGroupGap !== null && sensitiveAttributes.length === 0) {
    throw invalidParameter(
      "The criteria limit the gap between groups, but no sensitive attribute is named: name one (e.g. sex) or clear the group-gap limit.",
    );
  }
}
