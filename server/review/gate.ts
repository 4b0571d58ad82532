// The production gate: the `production` alias (and MLflow's legacy Production stage) only for versions with an approved
// review of their very bytes (the review's report digest = the version's model digest), keyed by ids, never by names.
import { and, desc, eq, inArray, isNull, or } from "drizzle-orm";
import { aliasEvents, evaluationReports, modelVersions, reviews } from "@/db/schema";
import type { Database } from "@/db/client";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../auth/audit";
import { sentence } from "@/lib/i18n/server-sentence";
import { saidError } from "../errors";

type Executor = Pick<Database, "select" | "insert">;

export const PRODUCTION_ALIAS = "production";

/** Aliases are case-sensitive in MLflow, but `Production` must not become a way round the gate. */
export function isProductionAlias(alias: string): boolean {
  return alias.trim().toLowerCase() === PRODUCTION_ALIAS;
}

/**
 * The most recent approved review of a model version whose report was computed on the bytes the version holds now.
 * A version registered before digests were kept (digest not yet pinned) matches any approved review of its id until
 * its first load pins the digest.
 */
export async function findApprovedReview(db: Pick<Database, "select">, modelVersionId: number): Promise<{ reviewId: number; decidedAt: number | null } | null> {
  const [row] = await db
    .select({ reviewId: reviews.reviewId, decidedAt: reviews.decidedAt })
    .from(reviews)
    .innerJoin(modelVersions, eq(modelVersions.versionId, reviews.modelVersionId))
    .innerJoin(evaluationReports, eq(evaluationReports.reportId, reviews.reportId))
    .where(
      and(
        eq(reviews.modelVersionId, modelVersionId),
        eq(reviews.status, "approved"),
        or(isNull(modelVersions.modelDigest), eq(evaluationReports.modelDigest, modelVersions.modelDigest)),
      ),
    )
    .orderBy(desc(reviews.decidedAt), desc(reviews.reviewId))
    .limit(1);
  return row ?? null;
}

export interface GateTarget {
  modelName: string;
  version: number;
  modelVersionId: number;
  /** What is being set, for the messages and the audit entry: `the 'production' alias` or `the Production stage`. */
  what: string;
  /** The alias being set as spelled (`production`, `Production`), or null for MLflow's Production stage: `what` said in any language. */
  alias: string | null;
}

/** How a version passed the gate: its approved review, or an admin's audited override (reason). */
export type GatePass = { reviewId: number; override: null } | { reviewId: null; override: string };

/**
 * Throws INVALID_STATE unless the version has an approved review; an admin may pass with a non-empty
 * reason, which is audited (inside the caller's transaction) as `registered_model.alias.production_override`.
 */
export async function enforceProductionGate(tx: Executor, actor: Actor, target: GateTarget, overrideReason?: string): Promise<GatePass> {
  const approved = await findApprovedReview(tx, target.modelVersionId);
  if (approved) return { reviewId: approved.reviewId, override: null };
  const reason = overrideReason?.trim() ?? "";
  const label = `version ${target.version} of '${target.modelName}'`;
  const values = {
    what: [target.alias === null ? sentence("term.gate_target.stage") : sentence("term.gate_target.alias", { alias: target.alias })],
    version: String(target.version),
    model: target.modelName,
  };
  if (!reason) {
    const admin = actor.role === "admin";
    throw saidError(
      "INVALID_STATE",
      `Cannot set ${target.what} on ${label}: it has no approved acceptance review of its current bytes. Request a review of this version and get it approved by a reviewer first` +
        (admin ? ", or override the gate with a reason (recorded in the audit log)." : "."),
      sentence(admin ? "error.gate.no_review_admin" : "error.gate.no_review", values),
    );
  }
  if (actor.role !== "admin") {
    throw saidError(
      "INVALID_STATE",
      `Cannot set ${target.what} on ${label}: it has no approved acceptance review, and only an admin may override the gate with a reason. Get the version's review approved first.`,
      sentence("error.gate.override_admin_only", values),
    );
  }
  await recordAudit(tx, actor, {
    action: "registered_model.alias.production_override",
    targetType: "registered_model",
    targetId: target.modelName,
    after: { version: String(target.version), what: target.what, version_id: target.modelVersionId },
    meta: { reason },
  });
  return { reviewId: null, override: reason };
}

/**
 * Whether the alias pointed at this very version (id) with these very bytes (digest) before, having passed the gate
 * then: a rollback to it does not ask again. Keyed by ids and digest, so renaming a model, deleting and re-creating
 * it, or registering new bytes under the same name can never make an unreviewed version look like a former holder.
 */
export async function aliasHeldVersionBefore(
  db: Pick<Database, "select">,
  target: { modelId: number; alias: string; versionId: number; digest: string | null },
): Promise<boolean> {
  if (!target.digest) return false;
  const [row] = await db
    .select({ eventId: aliasEvents.eventId })
    .from(aliasEvents)
    .where(
      and(
        eq(aliasEvents.modelId, target.modelId),
        eq(aliasEvents.alias, target.alias),
        eq(aliasEvents.versionId, target.versionId),
        eq(aliasEvents.modelDigest, target.digest),
        inArray(aliasEvents.kind, ["set", "override", "rollback"]),
      ),
    )
    .limit(1);
  return Boolean(row);
}
