// Acceptance reviews: request, evaluate in the background, read and list. Comments, decisions, withdrawals, criteria
// revisions and the production gate live in review-decisions.ts (re-exported here); shared rules in review-rules.ts.
import { and, desc, eq, inArray, isNull, ne, notExists, sql, type SQL } from "drizzle-orm";
import {
  datasets,
  datasetVersions,
  evaluationReports,
  modelVersions,
  registeredModels,
  reviewComments,
  reviewCriteriaRevisions,
  reviewDecisions,
  reviewExceptions,
  reviewJobs,
  reviews,
} from "@/db/schema";
import type { Database } from "@/db/client";
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
import { enqueueReviewJob, enqueueReviewJobRow } from "./review-jobs";
import { checkedValueSettings, storedValueSettings } from "./review-value";
import type { ValueSettings } from "@/lib/business-value-schema";
import { cannotDecideReason, lockReview, reevaluableStatuses, requireAttributeForGroupGap, requireRequesterOrAdmin } from "./review-rules";
import {
  defaultCriteria,
  zAcceptanceCriteria,
  zReviewContext,
  type AcceptanceCriteria,
  type CriteriaRevision,
  type CriterionResult,
  type DecisionKind,
  type EvaluationReport,
  type EvaluationTask,
  type ReviewException,
  type RequestReviewInput,
  type ReviewDetail,
  type ReviewFormDefaults,
  type ReviewListFilter,
  type ReviewStatus,
  type ReviewSummary,
} from "./schema";

type DatasetVersionRow = typeof datasetVersions.$inferSelect;
type Executor = Pick<Database, "select" | "insert" | "update" | "execute">;

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
  const valueSettings = checkedValueSettings(input.value, taskFromIntrospection(row.introspection as OnnxIntrospection));
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
        favourableOutcome: input.favourableOutcome ?? null,
        valueSettings,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(reviewCriteriaRevisions).values({
      reviewId: created.reviewId,
      revision: 1,
      criteria,
      requiredApprovals: created.requiredApprovals,
      valueSettings,
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
        ...(columnMapping ? { columnMapping } : {}),
        ...(input.favourableOutcome ? { favourableOutcome: input.favourableOutcome } : {}),
        ...(valueSettings ? { valueSettings } : {}),
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
  await tx.update(reviews).set({ status: "evaluating", evaluationError: null, evaluationErrorSentence: null, updatedAt: now }).where(eq(reviews.reviewId, reviewId));
  const [job] = await tx.insert(reviewJobs).values({ reviewId, status: "pending", createdAt: now }).returning({ jobId: reviewJobs.jobId });
  await recordAudit(tx, actor, {
    action: "review.status",
    targetType: "review",
    targetId: String(reviewId),
    before: { status: from },
    after: { status: "evaluating" },
    meta: { jobId: job.jobId },
  });
  // In the same transaction: a review evaluating with no queued job would wait for ever if the process stopped here.
  await enqueueReviewJobRow(tx, job.jobId, reviewId);
  return job.jobId;
}

/** Queues the evaluation again (after a failure, or a draft). */
export async function reevaluateReview(ctx: ServiceContext, input: { id: number }, datasetRoot = getDatasetRoot()): Promise<void> {
  authorize(ctx.actor, "reviews.request");
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
    valueSettings: storedValueSettings(review.valueSettings),
    modelDigest: report?.modelDigest ?? null,
    datasetDigest: row.datasetDigest,
    modelOwner: row.modelOwner,
    trainingOverlap: review.trainingOverlap,
    columnMapping: zColumnMapping.nullable().catch(null).parse(review.columnMapping ?? null),
    favourableOutcome: review.favourableOutcome ?? null,
    evaluationError: review.evaluationError,
    evaluationErrorSentence: review.evaluationErrorSentence ?? null,
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
      cannotDecideReason: reason?.text ?? null,
      cannotDecideMessage: reason?.message ?? null,
      canEditCriteria: isOwnerOrAdmin && review.status !== "rejected" && review.status !== "approved",
      canComment: can(ctx.actor, "reviews.comment"),
      canReevaluate: isOwnerOrAdmin && reevaluableStatuses.includes(review.status as ReviewStatus),
      withdrawableDecisionId: withdrawable?.decisionId ?? null,
    },
  };
}

function valueSettingsField(stored: unknown): { valueSettings?: ValueSettings } {
  const valueSettings = storedValueSettings(stored);
  return valueSettings ? { valueSettings } : {};
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
      // Only revisions of a review with outcome values carry them, so revisions without read as before.
      ...valueSettingsField(r.valueSettings),
      previous: before
        ? { revision: before.revision, criteria: before.criteria as AcceptanceCriteria, requiredApprovals: before.requiredApprovals, ...valueSettingsField(before.valueSettings) }
        : null,
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

/** Columns with at most 20 distinct values and their values (from the profile's top values), for the favourable-outcome choice. */
function fewValuedColumns(profile: DatasetProfileOutput | null): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const column of profile?.columns ?? []) {
    if (column.distinct > 20 || !column.topValues) continue;
    const values = column.topValues.map((top) => top.value).filter((value): value is string => value !== null && value.trim() !== "");
    if (values.length > 0) result[column.name] = [...new Set(values)].sort();
  }
  return result;
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
      columnValues: fewValuedColumns(profile),
    };
  }
  const matrix = problem ? null : await matrixInputOf(ctx.db, row.introspection as OnnxIntrospection, row.lineage);
  const matrixInput = matrix ? { inputName: matrix.inputName, width: matrix.width, names: matrix.names?.names ?? null } : null;
  return { task, problem, criteria: defaultCriteria(task ?? "binary"), trainingDatasets: trainingDatasetsOf(row), matrixInput, dataset };
}

export { setDecisionThreshold } from "./review-value";
export {
  addReviewComment,
  decideReview,
  productionGate,
  reviewFlagsOfVersions,
  updateReviewCriteria,
  withdrawApproval,
} from "./review-decisions";
