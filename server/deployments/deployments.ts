// Deployments: what each alias points at and since when (from the audit log), promotion through the review gate,
// and one-click rollback of `production` to the version it held before.
import { and, desc, eq, like } from "drizzle-orm";
import { auditLog, modelMonitoring, modelVersions, registeredModelAliases, registeredModels } from "@/db/schema";
import type { ServiceContext } from "../service-context";
import type { Database } from "@/db/client";
import { authorize } from "../auth/permissions";
import { DomainError } from "../errors";
import { findRegisteredModel } from "../registry/model-versions";
import { setModelAlias } from "../registry/registered-models";
import { PRODUCTION_ALIAS } from "../review/gate";
import { reviewFlagsOfVersions } from "../review/reviews";
import type { AliasEvent, Deployment } from "../monitoring/schema";


function textOf(value: unknown): string | null {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : null;
}

/** An audit entry of an alias change as an event; null for entries that are not about aliases. */
function toAliasEvent(entry: typeof auditLog.$inferSelect): AliasEvent | null {
  const before = (entry.before ?? {}) as Record<string, unknown>;
  const after = (entry.after ?? {}) as Record<string, unknown>;
  const meta = (entry.meta ?? {}) as Record<string, unknown>;
  const alias = textOf(after.alias) ?? textOf(before.alias);
  if (!alias) return null;
  const kind = entry.action.endsWith(".delete")
    ? "delete"
    : entry.action.endsWith("override") || meta.override === true
      ? "override"
      : entry.action.endsWith("rollback") || meta.rollback === true
        ? "rollback"
        : "set";
  return {
    at: entry.at,
    by: entry.actorUsername,
    alias,
    version: kind === "delete" ? null : textOf(after.version),
    previousVersion: textOf(before.version),
    kind,
    reason: textOf(meta.reason) ?? textOf(after.reason),
  };
}

async function aliasEvents(db: Pick<Database, "select">, modelName: string, limit = 500): Promise<AliasEvent[]> {
  const entries = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, "registered_model"), eq(auditLog.targetId, modelName), like(auditLog.action, "registered_model.alias%")))
    .orderBy(desc(auditLog.auditId))
    .limit(limit);
  // An admin's override is its own audit entry, written just before the alias change it allowed.
  const overrides = entries.filter((entry) => entry.action === "registered_model.alias.production_override");
  return entries
    .map(toAliasEvent)
    .filter((event): event is AliasEvent => event !== null)
    .map((event) => {
      if (event.kind !== "set") return event;
      const override = overrides.find(
        (entry) => textOf((entry.after as Record<string, unknown> | null)?.version) === event.version && Math.abs(entry.at - event.at) < 5_000 && event.by === entry.actorUsername,
      );
      return override ? { ...event, kind: "override", reason: textOf((override.meta as Record<string, unknown> | null)?.reason) } : event;
    });
}

export async function aliasHistory(ctx: ServiceContext, input: { name: string }): Promise<AliasEvent[]> {
  authorize(ctx.actor, "studio.read");
  const model = await findRegisteredModel(ctx.db, input.name);
  return aliasEvents(ctx.db, model.name);
}

export async function listDeployments(ctx: ServiceContext): Promise<Deployment[]> {
  authorize(ctx.actor, "studio.read");
  const rows = await ctx.db
    .select({ modelName: registeredModels.name, alias: registeredModelAliases.alias, version: modelVersions.version, versionId: modelVersions.versionId, flagReasons: modelMonitoring.flagReasons })
    .from(registeredModelAliases)
    .innerJoin(registeredModels, eq(registeredModels.modelId, registeredModelAliases.modelId))
    .innerJoin(modelVersions, eq(modelVersions.versionId, registeredModelAliases.versionId))
    .leftJoin(modelMonitoring, eq(modelMonitoring.modelId, registeredModelAliases.modelId))
    .orderBy(registeredModels.name, registeredModelAliases.alias);
  // A withdrawn approval flags the production version beside monitoring's health reasons, next to the rollback.
  const reviewFlags = await reviewFlagsOfVersions(ctx.db, rows.filter((row) => row.alias === PRODUCTION_ALIAS).map((row) => row.versionId));
  const historyByModel = new Map<string, AliasEvent[]>();
  const deployments: Deployment[] = [];
  for (const row of rows) {
    let history = historyByModel.get(row.modelName);
    if (!history) historyByModel.set(row.modelName, (history = await aliasEvents(ctx.db, row.modelName)));
    const version = String(row.version);
    const latest = history.find((event) => event.alias === row.alias && event.version === version);
    deployments.push({
      modelName: row.modelName,
      alias: row.alias,
      version,
      since: latest?.at ?? null,
      by: latest?.by ?? null,
      previousVersion: row.alias === PRODUCTION_ALIAS ? previousProductionVersion(history, version) : null,
      flagReasons: row.alias === PRODUCTION_ALIAS ? [...(reviewFlags.has(row.versionId) ? [reviewFlags.get(row.versionId)!] : []), ...(row.flagReasons ?? [])] : [],
    });
  }
  return deployments;
}

/** The version production held just before it moved to `current` (the rollback target), from the newest such move. */
export function previousProductionVersion(history: readonly AliasEvent[], current: string): string | null {
  const arrival = history.find((event) => event.alias === PRODUCTION_ALIAS && event.version === current && event.kind !== "delete");
  return arrival?.previousVersion && arrival.previousVersion !== current ? arrival.previousVersion : null;
}

/** Points `production` at the version through the review gate; an admin may override with a reason (audited). */
export async function promoteVersion(ctx: ServiceContext, input: { name: string; version: string; overrideReason?: string }): Promise<void> {
  authorize(ctx.actor, "deployments.promote");
  await setModelAlias(ctx, { name: input.name, version: input.version, alias: PRODUCTION_ALIAS, overrideReason: input.overrideReason || undefined });
}

/**
 * Points `production` back at the version it held before. That version passed the gate when it was promoted
 * (approved review or audited override), so the rollback does not ask again: in an incident, one click must do.
 */
export async function rollbackProduction(ctx: ServiceContext, input: { name: string }): Promise<{ version: string }> {
  authorize(ctx.actor, "deployments.promote");
  const model = await findRegisteredModel(ctx.db, input.name);
  const [current] = await ctx.db
    .select({ version: modelVersions.version })
    .from(registeredModelAliases)
    .innerJoin(modelVersions, eq(modelVersions.versionId, registeredModelAliases.versionId))
    .where(and(eq(registeredModelAliases.modelId, model.modelId), eq(registeredModelAliases.alias, PRODUCTION_ALIAS)));
  if (!current) throw new DomainError("INVALID_STATE", `Model '${model.name}' has no production version to roll back.`);
  const target = previousProductionVersion(await aliasEvents(ctx.db, model.name), String(current.version));
  if (!target) {
    throw new DomainError("INVALID_STATE", `Model '${model.name}' v${current.version} is the first production version on record: there is no earlier version to roll back to.`);
  }
  await setModelAlias(ctx, { name: model.name, version: target, alias: PRODUCTION_ALIAS, rollbackFrom: String(current.version) });
  return { version: target };
}
