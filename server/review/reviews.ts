// Acceptance reviews: request, evaluate in the background, comment, decide; the production gate reads them.
import { and, desc, eq, inArray, isNull, ne, notExists, sql, type SQL } from "drizzle-orm";
import {
  datasets,
  datasetVersions,
  evaluationReports,
  modelVersions,
  registeredModels,
  reviewComments,
  reviewDecisions,
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
import { zColumnMapping } from "@/lib/feature-names";
import { matrixInputOf, reviewColumnMapping } from "./column-mapping";
import type { ServiceContext } from "../service-context";
import { findApprovedReview } from "./gate";
import { enqueueReviewJob } from "./review-jobs";
import {
  defaultCriteria,
  zAcceptanceCriteria,
  zReviewContext,
  type AcceptanceCriteria,
  type CriterionResult,
  type DecisionKind,
  type EvaluationReport,
  type EvaluationTask,
  type ProductionGate,
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
  const columnMapping = await reviewColumnMapping(ctx.db, ctx.actor, { introspection: row.introspection as OnnxIntrospection, lineage: row.lineage }, input.columnOrder, { columns, labelColumn: input.labelColumn });

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
        columnMapping,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
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
        ...(columnMapping ? { columnMapping } : {}),
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
  authorize(ctx.actor, "reviews.request");
  const jobId = await ctx.db.transaction(async (tx) => {
    const review = await lockReview(tx, input.id);
    requireRequesterOrAdmin(ctx.actor, review, "evaluate it again");
    if (review.status !== "draft") {
      throw new DomainError("INVALID_STATE", `Review #${review.reviewId} is '${review.status}': only a draft (after a failed evaluation) can be evaluated again.`);
    }
    return startEvaluation(tx, ctx.actor, review.reviewId, "draft");
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
  approvals: sql<number>`(select count(*)::int from ${reviewDecisions} d where d.review_id = ${reviews.reviewId} and d.decision = 'approve' and d.invalidated_at is null and d.criteria_revision = ${reviews.criteriaRevision})`,
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
  const [decisions, comments, [job], [report]] = await Promise.all([
    ctx.db.select().from(reviewDecisions).where(eq(reviewDecisions.reviewId, id)).orderBy(reviewDecisions.createdAt, reviewDecisions.decisionId),
    ctx.db.select().from(reviewComments).where(eq(reviewComments.reviewId, id)).orderBy(reviewComments.createdAt, reviewComments.commentId),
    ctx.db.select().from(reviewJobs).where(eq(reviewJobs.reviewId, id)).orderBy(desc(reviewJobs.jobId)).limit(1),
    review.reportId
      ? ctx.db.select({ report: evaluationReports.report, modelDigest: evaluationReports.modelDigest }).from(evaluationReports).where(eq(evaluationReports.reportId, review.reportId))
      : Promise.resolve([] as { report: unknown; modelDigest: string }[]),
  ]);
  const alreadyDecided = decisions.some((d) => d.reviewerId === ctx.actor.userId && d.invalidatedAt === null && d.criteriaRevision === review.criteriaRevision);
  const reason = cannotDecideReason(ctx.actor, review, row.modelOwner, alreadyDecided);
  const isOwnerOrAdmin = ctx.actor.role === "admin" || ctx.actor.userId === review.requestedById;
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
    columnMapping: zColumnMapping.nullable().catch(null).parse(review.columnMapping ?? null),
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
    })),
    comments: comments.map((c) => ({ id: c.commentId, author: c.author, body: c.body, createdAt: c.createdAt })),
    decidedAt: review.decidedAt,
    permissions: {
      canDecide: reason === null,
      cannotDecideReason: reason,
      canEditCriteria: isOwnerOrAdmin && review.status !== "rejected",
      canComment: can(ctx.actor, "studio.read"),
      canReevaluate: isOwnerOrAdmin && review.status === "draft",
    },
  };
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
  const matrix = problem ? null : await matrixInputOf(ctx.db, row.introspection as OnnxIntrospection, row.lineage);
  const matrixInput = matrix ? { inputName: matrix.inputName, width: matrix.width, names: matrix.names?.names ?? null } : null;
  return { task, problem, criteria: defaultCriteria(task ?? "binary"), trainingDatasets: trainingDatasetsOf(row), matrixInput, dataset };
}

// ---------------------------------------------------------------- comments and decisions

export async function addReviewComment(ctx: ServiceContext, input: { id: number; body: string }): Promise<void> {
  authorize(ctx.actor, "studio.read");
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

export async function decideReview(ctx: ServiceContext, input: { id: number; decision: DecisionKind; comment: string }): Promise<void> {
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
      .where(
        and(
          eq(reviewDecisions.reviewId, review.reviewId),
          eq(reviewDecisions.reviewerId, ctx.actor.userId),
          eq(reviewDecisions.criteriaRevision, review.criteriaRevision),
          isNull(reviewDecisions.invalidatedAt),
        ),
      );
    const reason = cannotDecideReason(ctx.actor, review, version?.userId ?? "", Boolean(previous));
    if (reason) {
      const code = review.status !== "ready" || previous ? "INVALID_STATE" : "PERMISSION_DENIED";
      throw new DomainError(code, `You cannot decide on review #${review.reviewId}: ${reason}`);
    }
    const now = Date.now();
    await tx.insert(reviewDecisions).values({
      reviewId: review.reviewId,
      reviewerId: ctx.actor.userId,
      reviewer: ctx.actor.username,
      decision: input.decision,
      comment,
      criteriaRevision: review.criteriaRevision,
      createdAt: now,
    });
    let status: ReviewStatus = "ready";
    if (input.decision === "approve") {
      const [{ approvals }] = await tx
        .select({ approvals: sql<number>`count(*)::int` })
        .from(reviewDecisions)
        .where(
          and(
            eq(reviewDecisions.reviewId, review.reviewId),
            eq(reviewDecisions.decision, "approve"),
            eq(reviewDecisions.criteriaRevision, review.criteriaRevision),
            isNull(reviewDecisions.invalidatedAt),
          ),
        );
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
      meta: { decision: input.decision, comment, criteriaRevision: review.criteriaRevision },
    });
  });
}

export async function updateReviewCriteria(
  ctx: ServiceContext,
  input: { id: number; criteria: AcceptanceCriteria; requiredApprovals: number },
): Promise<void> {
  authorize(ctx.actor, "reviews.request");
  const criteria = zAcceptanceCriteria.parse(input.criteria);
  if (!Number.isInteger(input.requiredApprovals) || input.requiredApprovals < 1) throw invalidParameter("At least one approval is required.");
  await ctx.db.transaction(async (tx) => {
    const review = await lockReview(tx, input.id);
    requireAttributeForGroupGap(criteria, review.sensitiveAttributes ?? []);
    requireRequesterOrAdmin(ctx.actor, review, "edit its criteria");
    if (review.status === "rejected") {
      throw new DomainError("INVALID_STATE", `Review #${review.reviewId} was rejected: its criteria can no longer change. Request a new review instead.`);
    }
    let criteriaResults: CriterionResult[] | null = null;
    if (review.reportId) {
      const [stored] = await tx.select({ report: evaluationReports.report }).from(evaluationReports).where(eq(evaluationReports.reportId, review.reportId));
      if (stored) criteriaResults = evaluateCriteria(stored.report as EvaluationReport, criteria);
    }
    const now = Date.now();
    const status: ReviewStatus = review.status === "approved" || review.status === "changes_requested" ? "ready" : (review.status as ReviewStatus);
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
        criteriaRevision: review.criteriaRevision + 1,
        criteriaResults: criteriaResults ?? review.criteriaResults,
        status,
        updatedAt: now,
        ...(status === "ready" ? { decidedAt: null } : {}),
      })
      .where(eq(reviews.reviewId, review.reviewId));
    await recordAudit(tx, ctx.actor, {
      action: "review.criteria",
      targetType: "review",
      targetId: String(review.reviewId),
      before: { status: review.status, criteria: review.criteria, requiredApprovals: review.requiredApprovals, criteriaRevision: review.criteriaRevision },
      after: { status, criteria, requiredApprovals: input.requiredApprovals, criteriaRevision: review.criteriaRevision + 1 },
      meta: { invalidatedDecisions: invalidated.map((d) => d.decisionId) },
    });
  });
}

// ---------------------------------------------------------------- production gate

export async function productionGate(ctx: ServiceContext, input: { name: string; version: string }): Promise<ProductionGate> {
  authorize(ctx.actor, "studio.read");
  const { model, row } = await findModelVersion(ctx.db, input.name, input.version);
  const approved = await findApprovedReview(ctx.db, row.versionId);
  if (approved) {
    const when = approved.decidedAt ? ` on ${new Date(approved.decidedAt).toISOString().slice(0, 10)}` : "";
    return { approved: true, approvedReviewId: approved.reviewId, message: `Review #${approved.reviewId} approved version ${row.version}${when}: it may take the production alias.` };
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
