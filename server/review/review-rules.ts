// Rules every review operation shares: locking a review, who may edit or decide and why not, which decisions count.
import { and, eq, isNull } from "drizzle-orm";
import { reviewCriteriaRevisions, reviewDecisions, reviews } from "@/db/schema";
import type { Database } from "@/db/client";
import type { Actor } from "../auth/actor";
import { can } from "../auth/permissions";
import { DomainError, invalidParameter, notFound } from "../errors";
import { sentence, type SentenceValue, type ServerSentence } from "@/lib/i18n/server-sentence";
import type { AcceptanceCriteria, CriterionResult, ReviewStatus } from "./schema";

export type ReviewRow = typeof reviews.$inferSelect;

/** Statuses an evaluation can be started again from (draft: failures recorded before evaluation_failed existed). */
export const reevaluableStatuses: ReviewStatus[] = ["evaluation_failed", "draft"];

export async function lockReview(tx: Pick<Database, "select">, id: number): Promise<ReviewRow> {
  const [row] = await tx.select().from(reviews).where(eq(reviews.reviewId, id)).for("update");
  if (!row) throw notFound(`Review #${id} does not exist.`);
  return row;
}

export function requireRequesterOrAdmin(actor: Actor, review: ReviewRow, what: string): void {
  if (actor.role === "admin" || actor.userId === review.requestedById) return;
  throw new DomainError("PERMISSION_DENIED", `Only the requester of review #${review.reviewId} (${review.requestedBy}) or an admin can ${what}.`);
}

/** Why the actor may not decide on this review now (in English, and as a catalogue code), or null when they may. */
export function cannotDecideReason(actor: Actor, review: ReviewRow, modelOwner: string, alreadyDecided: boolean): { text: string; message: ServerSentence } | null {
  const why = (text: string, code: string, values: Record<string, SentenceValue> = {}) => ({ text, message: sentence(`review_refusal.${code}`, values) });
  if (!can(actor, "reviews.decide")) return why(`Your role (${actor.role}) cannot decide on reviews: only reviewers and admins can.`, "role", { role: actor.role });
  if (modelOwner && actor.username === modelOwner) return why("You registered this model version: someone else must review it.", "own_version");
  if (actor.userId === review.requestedById) return why("You requested this review: someone else must decide on it.", "own_request");
  if (review.status !== "ready") {
    if (review.status === "evaluation_failed") return why("The evaluation failed: decisions open once it has been run again and the report is ready.", "evaluation_failed");
    return review.status === "draft" || review.status === "evaluating"
      ? why("The evaluation has not finished: decisions open once the report is ready.", "not_evaluated")
      : why(`The review is already decided (${review.status.replace("_", " ")}).`, "already_decided", {
          status: [sentence(`term.status.${review.status}`, {}, review.status.replace("_", " "))],
        });
  }
  if (alreadyDecided) return why("You have already decided under the current criteria.", "decided_before");
  return null;
}

/** Decisions that count: under the current criteria, not invalidated, not withdrawn. */
export function countingDecisions(review: ReviewRow) {
  return and(
    eq(reviewDecisions.reviewId, review.reviewId),
    eq(reviewDecisions.criteriaRevision, review.criteriaRevision),
    isNull(reviewDecisions.invalidatedAt),
    isNull(reviewDecisions.withdrawnAt),
  );
}

/** A group-gap limit with no sensitive attribute could only fail: say so before anything is evaluated. */
export function requireAttributeForGroupGap(criteria: AcceptanceCriteria, sensitiveAttributes: readonly string[]): void {
  if (criteria.maxGroupGap !== null && sensitiveAttributes.length === 0) {
    throw invalidParameter(
      "The criteria limit the gap between groups, but no sensitive attribute is named: name one (e.g. sex) or clear the group-gap limit.",
    );
  }
}

/**
 * A new criteria revision (the criteria, the number of approvals or the decision threshold changed): the decisions
 * made so far stop counting, a review sent back for changes waits for decisions again, and the revision is kept with
 * who made it. The caller has locked the review and writes its own audit entry.
 */
export async function writeCriteriaRevision(
  tx: Pick<Database, "update" | "insert">,
  actor: Actor,
  review: ReviewRow,
  next: { criteria: AcceptanceCriteria; requiredApprovals: number; valueSettings: unknown; criteriaResults: CriterionResult[] | null },
): Promise<{ revision: number; status: ReviewStatus; invalidatedDecisionIds: number[] }> {
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
      criteria: next.criteria,
      requiredApprovals: next.requiredApprovals,
      valueSettings: next.valueSettings ?? null,
      criteriaRevision: revision,
      criteriaResults: next.criteriaResults ?? review.criteriaResults,
      status,
      updatedAt: now,
      ...(status === "ready" ? { decidedAt: null } : {}),
    })
    .where(eq(reviews.reviewId, review.reviewId));
  await tx.insert(reviewCriteriaRevisions).values({
    reviewId: review.reviewId,
    revision,
    criteria: next.criteria,
    requiredApprovals: next.requiredApprovals,
    valueSettings: next.valueSettings ?? null,
    changedById: actor.userId,
    changedBy: actor.username,
    changedAt: now,
  });
  return { revision, status, invalidatedDecisionIds: invalidated.map((d) => d.decisionId) };
}
