// Deployments: what each alias points at and since when (from alias_events, keyed by ids and digests), promotion
// through the review gate, and one-click rollback of `production` to the version and bytes it held before.
import { and, desc, eq, inArray } from "drizzle-orm";
import { aliasEvents, modelMonitoring, modelVersions, registeredModelAliases, registeredModels } from "@/db/schema";
import type { ServiceContext } from "../service-context";
import type { Database } from "@/db/client";
import { authorize } from "../auth/permissions";
import { saidError } from "../errors";
import { sentence, sentencesOneForOne, type ServerSentence } from "@/lib/i18n/server-sentence";
import { findRegisteredModel } from "../registry/model-versions";
import { setModelAlias } from "../registry/registered-models";
import { integrityFailureSentence } from "../registry/model-store";
import { findApprovedReview, PRODUCTION_ALIAS } from "../review/gate";
import { reviewFlagsOfVersions } from "../review/reviews";
import type { AliasEvent, Deployment } from "../monitoring/schema";

type AliasEventRow = typeof aliasEvents.$inferSelect;

function toAliasEvent(row: AliasEventRow): AliasEvent {
  return {
    at: row.at,
    by: row.actorUsername,
    alias: row.alias,
    version: row.kind === "delete" || row.version === null ? null : String(row.version),
    previousVersion: row.previousVersion === null ? null : String(row.previousVersion),
    kind: row.kind,
    reason: row.reason,
    modelDigest: row.modelDigest,
    reviewId: row.reviewId,
  };
}

async function aliasEventRows(db: Pick<Database, "select">, modelIds: number[], limit = 500): Promise<AliasEventRow[]> {
  if (!modelIds.length) return [];
  return db.select().from(aliasEvents).where(inArray(aliasEvents.modelId, modelIds)).orderBy(desc(aliasEvents.eventId)).limit(limit * modelIds.length);
}

export async function aliasHistory(ctx: ServiceContext, input: { name: string }): Promise<AliasEvent[]> {
  authorize(ctx.actor, "studio.read");
  const model = await findRegisteredModel(ctx.db, input.name);
  return (await aliasEventRows(ctx.db, [model.modelId])).map(toAliasEvent);
}

export async function listDeployments(ctx: ServiceContext): Promise<Deployment[]> {
  authorize(ctx.actor, "studio.read");
  const rows = await ctx.db
    .select({
      modelId: registeredModels.modelId,
      modelName: registeredModels.name,
      alias: registeredModelAliases.alias,
      versionId: modelVersions.versionId,
      version: modelVersions.version,
      modelDigest: modelVersions.modelDigest,
      integrityFailure: modelVersions.integrityFailure,
      flagReasons: modelMonitoring.flagReasons,
      flagReasonMessages: modelMonitoring.flagReasonMessages,
    })
    .from(registeredModelAliases)
    .innerJoin(registeredModels, eq(registeredModels.modelId, registeredModelAliases.modelId))
    .innerJoin(modelVersions, eq(modelVersions.versionId, registeredModelAliases.versionId))
    .leftJoin(modelMonitoring, eq(modelMonitoring.modelId, registeredModelAliases.modelId))
    .orderBy(registeredModels.name, registeredModelAliases.alias);
  const events = await aliasEventRows(ctx.db, [...new Set(rows.map((r) => r.modelId))]);
  // A withdrawn approval flags the production version beside monitoring's health reasons, next to the rollback.
  const reviewFlags = await reviewFlagsOfVersions(ctx.db, rows.filter((row) => row.alias === PRODUCTION_ALIAS).map((row) => row.versionId));
  const deployments: Deployment[] = [];
  for (const row of rows) {
    const history = events.filter((e) => e.modelId === row.modelId);
    const latest = history.find((e) => e.alias === row.alias && e.versionId === row.versionId);
    const approved = await findApprovedReview(ctx.db, row.versionId);
    const monitored = row.alias === PRODUCTION_ALIAS ? (row.flagReasons ?? []) : [];
    const flags = [...monitored];
    const messages: (ServerSentence | null)[] = sentencesOneForOne(monitored, row.flagReasonMessages) ?? monitored.map(() => null);
    const withdrawn = reviewFlags.get(row.versionId);
    if (row.alias === PRODUCTION_ALIAS && withdrawn) {
      flags.unshift(withdrawn.text);
      messages.unshift(withdrawn.message);
    }
    if (row.integrityFailure) {
      flags.unshift(`Integrity: ${row.integrityFailure}`);
      const failure = integrityFailureSentence(row.integrityFailure);
      messages.unshift(failure ? sentence("flag.integrity.flag", { failure: [failure] }) : null);
    }
    deployments.push({
      modelName: row.modelName,
      alias: row.alias,
      version: String(row.version),
      since: latest?.at ?? null,
      by: latest?.actorUsername ?? null,
      previousVersion: row.alias === PRODUCTION_ALIAS ? (previousProduction(history, row.versionId)?.version ?? null) : null,
      flagReasons: flags,
      flagMessages: messages,
      modelDigest: row.modelDigest,
      reviewId: approved?.reviewId ?? null,
    });
  }
  return deployments;
}

/** The version production held just before it moved to `currentVersionId` (the rollback target), from the newest such move. */
function previousProduction(history: readonly AliasEventRow[], currentVersionId: number): { versionId: number; version: string } | null {
  const arrival = history.find((e) => e.alias === PRODUCTION_ALIAS && e.versionId === currentVersionId && e.kind !== "delete");
  if (!arrival || arrival.previousVersionId === null || arrival.previousVersionId === currentVersionId) return null;
  return { versionId: arrival.previousVersionId, version: String(arrival.previousVersion) };
}

/** Points `production` at the version through the review gate; an admin may override with a reason (audited). */
export async function promoteVersion(ctx: ServiceContext, input: { name: string; version: string; overrideReason?: string }): Promise<void> {
  authorize(ctx.actor, "deployments.promote");
  await setModelAlias(ctx, { name: input.name, version: input.version, alias: PRODUCTION_ALIAS, overrideReason: input.overrideReason || undefined });
}

/**
 * Points `production` back at the version it held before. That version passed the gate when it was promoted
 * (approved review or audited override) with the same bytes, so the rollback does not ask again: in an incident, one
 * click must do. The target is found by version id within this model's own history; setModelAlias checks again that
 * it held production with the digest it has now, otherwise the gate applies as for any promotion.
 */
export async function rollbackProduction(ctx: ServiceContext, input: { name: string }): Promise<{ version: string }> {
  authorize(ctx.actor, "deployments.promote");
  const model = await findRegisteredModel(ctx.db, input.name);
  const [current] = await ctx.db
    .select({ versionId: modelVersions.versionId, version: modelVersions.version })
    .from(registeredModelAliases)
    .innerJoin(modelVersions, eq(modelVersions.versionId, registeredModelAliases.versionId))
    .where(and(eq(registeredModelAliases.modelId, model.modelId), eq(registeredModelAliases.alias, PRODUCTION_ALIAS)));
  if (!current) throw saidError("INVALID_STATE", `Model '${model.name}' has no production version to roll back.`, sentence("error.rollback.no_production", { model: model.name }));
  const target = previousProduction(await aliasEventRows(ctx.db, [model.modelId]), current.versionId);
  if (!target) {
    throw saidError(
      "INVALID_STATE",
      `Model '${model.name}' v${current.version} is the first production version on record: there is no earlier version to roll back to.`,
      sentence("error.rollback.first_version", { model: model.name, version: String(current.version) }),
    );
  }
  const [still] = await ctx.db
    .select({ version: modelVersions.version })
    .from(modelVersions)
    .where(and(eq(modelVersions.versionId, target.versionId), eq(modelVersions.modelId, model.modelId)));
  if (!still) {
    throw saidError(
      "INVALID_STATE",
      `Version ${target.version} of '${model.name}', which production held before, has been deleted: promote a reviewed version instead.`,
      sentence("error.rollback.target_deleted", { version: String(target.version), model: model.name }),
    );
  }
  await setModelAlias(ctx, { name: model.name, version: String(still.version), alias: PRODUCTION_ALIAS, rollbackFrom: String(current.version) });
  return { version: String(still.version) };
}
