// The production gate: the `production` alias (and MLflow's legacy Production stage) only for versions with an approved review.
import { and, desc, eq, sql } from "drizzle-orm";
import { auditLog, reviews } from "@/db/schema";
import type { Database } from "@/db/client";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../auth/audit";
import { DomainError } from "../errors";

type Executor = Pick<Database, "select" | "insert">;

export const PRODUCTION_ALIAS = "production";

/** Aliases are case-sensitive in MLflow, but `Production` must not become a way round the gate. */
export function isProductionAlias(alias: string): boolean {
  return alias.trim().toLowerCase() === PRODUCTION_ALIAS;
}

/** The most recent approved review of a model version, if any. */
export async function findApprovedReview(db: Pick<Database, "select">, modelVersionId: number): Promise<{ reviewId: number; decidedAt: number | null } | null> {
  const [row] = await db
    .select({ reviewId: reviews.reviewId, decidedAt: reviews.decidedAt })
    .from(reviews)
    .where(and(eq(reviews.modelVersionId, modelVersionId), eq(reviews.status, "approved")))
    .orderBy(desc(reviews.decidedAt), desc(reviews.reviewId))
    .limit(1);
  return row ?? null;
}

export interface GateTarget {
  modelName: string;
  version: number;
  modelVersionId: number;
  /** What is being set, for the messages and the audit entry: `alias production` or `stage Production`. */
  what: string;
}

/**
 * Throws INVALID_STATE unless the version has an approved review; an admin may pass with a non-empty
 * reason, which is audited (inside the caller's transaction) as `registered_model.alias.production_override`.
 */
export async function enforceProductionGate(tx: Executor, actor: Actor, target: GateTarget, overrideReason?: string): Promise<void> {
  const approved = await findApprovedReview(tx, target.modelVersionId);
  if (approved) return;
  const reason = overrideReason?.trim() ?? "";
  const label = `version ${target.version} of '${target.modelName}'`;
  if (!reason) {
    throw new DomainError(
      "INVALID_STATE",
      `Cannot set ${target.what} on ${label}: it has no approved acceptance review. Request a review of this version and get it approved by a reviewer first` +
        (actor.role === "admin" ? ", or override the gate with a reason (recorded in the audit log)." : "."),
    );
  }
  if (actor.role !== "admin") {
    throw new DomainError(
      "INVALID_STATE",
      `Cannot set ${target.what} on ${label}: it has no approved acceptance review, and only an admin may override the gate with a reason. Get the version's review approved first.`,
    );
  }
  await recordAudit(tx, actor, {
    action: "registered_model.alias.production_override",
    targetType: "registered_model",
    targetId: target.modelName,
    after: { version: String(target.version), what: target.what },
    meta: { reason },
  });
}

/**
 * Whether the alias pointed at this version before (an audited set): a rollback to such a version does not pass
 * the gate again, since the version passed it when it was promoted (approved review or audited override).
 */
export async function aliasHeldVersionBefore(db: Pick<Database, "select">, modelName: string, alias: string, version: number): Promise<boolean> {
  const [row] = await db
    .select({ auditId: auditLog.auditId })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.targetType, "registered_model"),
        eq(auditLog.targetId, modelName),
        eq(auditLog.action, "registered_model.alias.set"),
        sql`${auditLog.after}->>'alias' = ${alias}`,
        sql`${auditLog.after}->>'version' = ${String(version)}`,
      ),
    )
    .limit(1);
  return Boolean(row);
}
