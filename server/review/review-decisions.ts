// Acceptance reviews after the request: comments, decisions (with exceptions for failing criteria), withdrawals,
// criteria revisions, and the production gate's reading of them.
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { evaluationReports, modelVersions, registeredModelAliases, reviewComments, reviewDecisions, reviewExceptions, reviews } from "@/db/schema";
import type { Database } from "@/db/client";
import { evaluateCriteria } from "@/lib/acceptance-criteria";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { DomainError, invalidParameter, notFound, saidError } from "../errors";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";
import { findModelVersion } from "../registry/model-versions";
import { currentCardRevision } from "../documentation/model-card";
import type { ServiceContext } from "../service-context";
import { findApprovedReview, PRODUCTION_ALIAS } from "./gate";
import { storedValueSettings } from "./review-value";
import { cannotDecideReason, countingDecisions, lockReview, requireAttributeForGroupGap, requireRequesterOrAdmin, writeCriteriaRevision, type ReviewRow } from "./review-rules";
import {
  zAcceptanceCriteria,
  type AcceptanceCriteria,
  type CriterionResult,
  type DecisionKind,
  type EvaluationReport,
  type ExceptionJustification,
  type ProductionGate,
  type ReviewStatus,
} from "./schema";

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
      throw saidError(code, `You cannot decide on review #${review.reviewId}: ${reason.text}`, sentence("error.review.cannot_decide", { reviewId: String(review.reviewId), reason: [reason.message] }));
    }
    const exceptions = exceptionsFor(review, input.decision, input.exceptions ?? []);
    // The model card as the reviewer saw it: an approval freezes this revision; later edits make new ones.
    const cardRevision = await currentCardRevision(tx, review.modelVersionId);
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
        cardRevision,
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
      .set({ status, updatedAt: now, ...(decided ? { decidedAt: now } : {}), ...(status === "approved" ? { approvedCardRevision: cardRevision } : {}) })
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
        cardRevision,
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
      .set({ status, updatedAt: now, ...(status !== review.status ? { decidedAt: null, approvedCardRevision: null } : {}) })
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
export async function reviewFlagsOfVersions(db: Pick<Database, "select">, versionIds: readonly number[]): Promise<Map<number, { text: string; message: ServerSentence }>> {
  const flags = new Map<number, { text: string; message: ServerSentence }>();
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
    flags.set(row.versionId, {
      text: `Approval withdrawn: ${row.withdrawnBy} withdrew the approval of review #${row.reviewId} (${row.reason}). This version no longer has an approved review: roll back, or get it approved again.`,
      message: sentence("flag.approval_withdrawn", { by: row.withdrawnBy ?? "", reviewId: String(row.reviewId), reason: row.reason ?? "" }),
    });
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
      if (stored) criteriaResults = evaluateCriteria(stored.report as EvaluationReport, criteria, storedValueSettings(review.valueSettings));
    }
    const { revision, status, invalidatedDecisionIds } = await writeCriteriaRevision(tx, ctx.actor, review, {
      criteria,
      requiredApprovals: input.requiredApprovals,
      valueSettings: review.valueSettings,
      criteriaResults,
    });
    await recordAudit(tx, ctx.actor, {
      action: "review.criteria",
      targetType: "review",
      targetId: String(review.reviewId),
      before: { status: review.status, criteria: review.criteria, requiredApprovals: review.requiredApprovals, criteriaRevision: review.criteriaRevision },
      after: { status, criteria, requiredApprovals: input.requiredApprovals, criteriaRevision: revision },
      meta: { invalidatedDecisions: invalidatedDecisionIds },
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

/**
 * "accepted by ada, “…”, accepted by rita, “…”" as one sentence: each acceptance carries the rest, so the list is
 * joined with the gate message's own commas rather than the catalogue's separator between reasons.
 */
function acceptancesSentence(acceptances: readonly { approvedBy: string; justification: string }[], first = true): ServerSentence {
  const [head, ...rest] = acceptances;
  return sentence(first ? "gate.accepted_by" : "gate.and_accepted_by", {
    by: head?.approvedBy ?? "",
    justification: head?.justification ?? "",
    more: rest.length ? [acceptancesSentence(rest, false)] : [],
  });
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
    const date = approved.decidedAt ? new Date(approved.decidedAt).toISOString().slice(0, 10) : null;
    const exceptionSentences = criteria.map((c) =>
      sentence("gate.exception", {
        criterion: c,
        acceptances: [acceptancesSentence(exceptions.filter((e) => e.criterion === c))],
      }),
    );
    return {
      approved: true,
      approvedReviewId: approved.reviewId,
      message: `Review #${approved.reviewId} approved version ${row.version}${when}${withExceptions}: it may take the production alias.`,
      // Optional parts are lists of zero or one sentence, so each language places them itself.
      messageSentence: sentence("gate.approved", {
        reviewId: String(approved.reviewId),
        version: String(row.version),
        when: date ? [sentence("gate.on_date", { date })] : [],
        exceptions: criteria.length ? [sentence("gate.with_exceptions", { count: criteria.length, criteria: exceptionSentences })] : [],
      }),
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
    messageSentence: sentence("gate.not_approved", {
      version: String(row.version),
      model: model.name,
      latest: [
        pending
          ? sentence("gate.latest_review", { reviewId: String(pending.reviewId), status: [sentence(`term.review_status.${pending.status}`, {}, pending.status.replace("_", " "))] })
          : sentence("gate.not_reviewed"),
      ],
    }),
    exceptions: [],
  };
}
