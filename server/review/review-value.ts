// The review's outcome values and chosen decision threshold: checked against the model's task at the request,
// revised on the profit curve (a new criteria revision that voids decisions), and read by serving and monitoring.
import { eq } from "drizzle-orm";
import { evaluationReports, reviews } from "@/db/schema";
import type { Database } from "@/db/client";
import { evaluateCriteria } from "@/lib/acceptance-criteria";
import { curveIndexOf } from "@/lib/business-value";
import { zValueSettings, type ValueSettings, type ValueSettingsInput } from "@/lib/business-value-schema";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { DomainError, invalidParameter } from "../errors";
import type { ServiceContext } from "../service-context";
import { lockReview, requireRequesterOrAdmin, writeCriteriaRevision } from "./review-rules";
import type { AcceptanceCriteria, EvaluationReport, EvaluationTask } from "./schema";

/** Stored settings, or null when absent or unreadable (rows written before outcome values existed). */
export function storedValueSettings(stored: unknown): ValueSettings | null {
  if (stored === null || stored === undefined) return null;
  const parsed = zValueSettings.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/** The request's value settings, refused when they do not fit the model's task (outcome values are for binary classifiers). */
export function checkedValueSettings(input: ValueSettingsInput | null | undefined, task: EvaluationTask): ValueSettings | null {
  if (input === null || input === undefined) return null;
  const settings = zValueSettings.parse(input);
  if (settings.outcomes && task !== "binary") {
    throw invalidParameter(
      `Outcome values (TP, FP, FN, TN) apply to binary classifiers and this model is ${task === "regression" ? "a regressor: give a cost per unit of error instead" : "multiclass: leave them out"}.`,
    );
  }
  if (settings.costPerUnitError !== null && task !== "regression") {
    throw invalidParameter("A cost per unit of error applies to regression models; for a classifier give the value of each outcome (TP, FP, FN, TN).");
  }
  return settings;
}

/**
 * The requester moves the review's decision threshold to another point of the profit curve. Like a criteria edit,
 * after the evaluation this is a new revision: who and when are recorded, the criteria results are read again at
 * the new threshold (from the stored curve, no new evaluation), and every decision taken so far stops counting.
 */
export async function setDecisionThreshold(ctx: ServiceContext, input: { id: number; threshold: number }): Promise<{ criteriaRevision: number }> {
  authorize(ctx.actor, "reviews.request");
  if (!Number.isFinite(input.threshold) || input.threshold < 0 || input.threshold > 1) throw invalidParameter("The threshold is between 0 and 1.");
  return ctx.db.transaction(async (tx) => {
    const review = await lockReview(tx, input.id);
    requireRequesterOrAdmin(ctx.actor, review, "change its decision threshold");
    if (review.status === "approved" || review.status === "rejected") {
      throw new DomainError(
        "INVALID_STATE",
        `Review #${review.reviewId} is ${review.status}: its decision threshold can no longer change. Request a new review of this version with the threshold you want.`,
      );
    }
    if (!review.reportId) throw new DomainError("INVALID_STATE", `Review #${review.reviewId} has no report yet: pick a threshold once the profit curve is ready.`);
    const [stored] = await tx.select({ report: evaluationReports.report }).from(evaluationReports).where(eq(evaluationReports.reportId, review.reportId));
    const report = stored?.report as EvaluationReport | undefined;
    const binary = report?.value?.binary;
    const settings = storedValueSettings(review.valueSettings);
    if (!binary || !settings) throw invalidParameter(`Review #${review.reviewId} has no profit curve (no outcome values for a binary classifier): there is no threshold to pick.`);
    const index = curveIndexOf(binary.curve.thresholds, input.threshold);
    if (index < 0) throw invalidParameter(`${input.threshold} is not a point of the profit curve: pick a threshold on the curve (steps of 0.01, or a point where a score falls).`);
    const threshold = binary.curve.thresholds[index];
    if (Math.abs(threshold - settings.threshold) <= 1e-9) throw invalidParameter(`The decision threshold is already ${threshold}: pick another point, or cancel.`);
    const next: ValueSettings = { ...settings, threshold };
    const criteria = review.criteria as AcceptanceCriteria;
    const criteriaResults = evaluateCriteria(report!, criteria, next);
    const { revision, status, invalidatedDecisionIds } = await writeCriteriaRevision(tx, ctx.actor, review, {
      criteria,
      requiredApprovals: review.requiredApprovals,
      valueSettings: next,
      criteriaResults,
    });
    await recordAudit(tx, ctx.actor, {
      action: "review.threshold",
      targetType: "review",
      targetId: String(review.reviewId),
      before: { status: review.status, threshold: settings.threshold, criteriaRevision: review.criteriaRevision },
      after: { status, threshold, criteriaRevision: revision },
      meta: { invalidatedDecisions: invalidatedDecisionIds },
    });
    return { criteriaRevision: revision };
  });
}

/** The value settings (chosen threshold, outcome values) of an approved review, or null when it has none. */
export async function reviewValueSettings(db: Pick<Database, "select">, reviewId: number): Promise<ValueSettings | null> {
  const [row] = await db.select({ valueSettings: reviews.valueSettings }).from(reviews).where(eq(reviews.reviewId, reviewId));
  return row ? storedValueSettings(row.valueSettings) : null;
}
