// A production deployment's traffic beyond its production version: starting, changing and stopping a canary (approved
// versions only, like a promotion) or a shadow (any version), its guard rules, and promoting the canary through the
// review gate. Stored in deployment_routes; serving replicas follow within ALIAS_CACHE_MS (server/serving/traffic-routing.ts).
import { and, eq } from "drizzle-orm";
import { deploymentRoutes, modelVersions, registeredModelAliases } from "@/db/schema";
import type { Database } from "@/db/client";
import type { ServiceContext } from "../service-context";
import type { Actor } from "../auth/actor";
import { authorize } from "../auth/permissions";
import { recordAudit } from "../auth/audit";
import { saidError } from "../errors";
import { findModelVersion, findRegisteredModel, type Executor } from "../registry/model-versions";
import { findApprovedReview, PRODUCTION_ALIAS } from "../review/gate";
import { invalidateServingModel } from "../serving/hooks";
import { promoteVersion } from "./deployments";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";
import { defaultGuardRules, zConfigureTrafficInput, zGuardRules, type ConfigureTrafficInput, type GuardRules, type TrafficConfig } from "./schema";

type RouteRow = typeof deploymentRoutes.$inferSelect;

export function guardRulesOf(row: Pick<RouteRow, "guards"> | undefined): GuardRules {
  const parsed = zGuardRules.safeParse(row?.guards ?? {});
  return parsed.success ? parsed.data : defaultGuardRules;
}

async function productionOf(db: Pick<Database, "select">, modelId: number): Promise<{ versionId: number; version: number } | null> {
  const [row] = await db
    .select({ versionId: modelVersions.versionId, version: modelVersions.version })
    .from(registeredModelAliases)
    .innerJoin(modelVersions, eq(modelVersions.versionId, registeredModelAliases.versionId))
    .where(and(eq(registeredModelAliases.modelId, modelId), eq(registeredModelAliases.alias, PRODUCTION_ALIAS)));
  return row ?? null;
}

async function versionNumberOf(db: Pick<Database, "select">, versionId: number | null): Promise<string | null> {
  if (versionId === null) return null;
  const [row] = await db.select({ version: modelVersions.version }).from(modelVersions).where(eq(modelVersions.versionId, versionId));
  return row ? String(row.version) : null;
}

async function routeRowOf(db: Pick<Database, "select">, modelId: number): Promise<RouteRow | undefined> {
  const [row] = await db.select().from(deploymentRoutes).where(eq(deploymentRoutes.modelId, modelId));
  return row;
}

async function toTrafficConfig(db: Database, modelName: string, modelId: number, row: RouteRow | undefined): Promise<TrafficConfig> {
  const production = await productionOf(db, modelId);
  const canaryVersion = await versionNumberOf(db, row?.canaryVersionId ?? null);
  const shadowVersion = await versionNumberOf(db, row?.shadowVersionId ?? null);
  return {
    modelName,
    productionVersion: production ? String(production.version) : null,
    canary:
      row && canaryVersion !== null && row.canaryVersionId !== null
        ? { version: canaryVersion, share: row.canaryShare, since: row.canarySince, approved: Boolean(await findApprovedReview(db, row.canaryVersionId)) }
        : null,
    shadow: row && shadowVersion !== null ? { version: shadowVersion, since: row.shadowSince } : null,
    guards: guardRulesOf(row),
    lastGuardAction: row?.lastGuardAction ?? null,
    lastGuardActionMessage: row?.lastGuardActionMessage ?? null,
    lastGuardCheckAt: row?.lastGuardCheckAt ?? null,
  };
}

export async function getTrafficConfig(ctx: ServiceContext, input: { name: string }): Promise<TrafficConfig> {
  authorize(ctx.actor, "studio.read");
  const model = await findRegisteredModel(ctx.db, input.name);
  return toTrafficConfig(ctx.db, model.name, model.modelId, await routeRowOf(ctx.db, model.modelId));
}

/**
 * Starts, changes or stops the canary and the shadow of a model's production endpoint and sets its guard rules. A
 * canary must hold an approved review of its current bytes (the same gate as a promotion, without override: a canary
 * answers real callers); a shadow may run any version, since its answers are never returned.
 */
export async function configureTraffic(ctx: ServiceContext, rawInput: ConfigureTrafficInput): Promise<TrafficConfig> {
  authorize(ctx.actor, "deployments.promote");
  const input = zConfigureTrafficInput.parse(rawInput);
  const config = await ctx.db.transaction(async (tx) => {
    const model = await findRegisteredModel(tx, input.name, { lock: true });
    const production = await productionOf(tx, model.modelId);
    const before = await routeRowOf(tx, model.modelId);
    const now = Date.now();
    const next = {
      canaryVersionId: before?.canaryVersionId ?? null,
      canaryShare: before?.canaryShare ?? 0,
      canarySince: before?.canarySince ?? null,
      shadowVersionId: before?.shadowVersionId ?? null,
      shadowSince: before?.shadowSince ?? null,
      guards: input.guards ?? guardRulesOf(before),
    };
    const audits: Parameters<typeof recordAudit>[2][] = [];
    const target = { targetType: "registered_model", targetId: model.name } as const;

    if (input.canary !== undefined) {
      const wasRunning = next.canaryVersionId !== null && next.canaryShare > 0;
      const previous = wasRunning ? { version: await versionNumberOf(tx, next.canaryVersionId), share: next.canaryShare } : null;
      if (input.canary === null || input.canary.share === 0) {
        if (wasRunning) audits.push({ action: "deployment.canary.stop", ...target, before: previous, after: { model: model.name, version: previous?.version, share: 0 }, meta: { model: model.name, version: previous?.version } });
        next.canaryShare = 0;
        if (input.canary === null) next.canaryVersionId = null;
        else next.canaryVersionId = (await findModelVersion(tx, model.name, input.canary.version)).row.versionId;
      } else {
        if (!production) {
          throw saidError("INVALID_STATE", `Model '${model.name}' has no production version: promote one before starting a canary beside it.`, sentence("error.traffic.canary_without_production", { model: model.name }));
        }
        const { row } = await findModelVersion(tx, model.name, input.canary.version);
        if (row.versionId === production.versionId) {
          throw saidError(
            "INVALID_PARAMETER_VALUE",
            `Version ${row.version} of '${model.name}' already holds production: choose another version for the canary.`,
            sentence("error.traffic.canary_is_production", { version: String(row.version), model: model.name }),
          );
        }
        if (!(await findApprovedReview(tx, row.versionId))) {
          throw saidError(
            "INVALID_STATE",
            `Version ${row.version} of '${model.name}' has no approved acceptance review of its current bytes, and a canary answers real callers: get its review approved first (a shadow may run it meanwhile).`,
            sentence("error.traffic.canary_not_approved", { version: String(row.version), model: model.name }),
          );
        }
        const changed = !wasRunning || next.canaryVersionId !== row.versionId || next.canaryShare !== input.canary.share;
        if (changed) {
          const action = wasRunning && next.canaryVersionId === row.versionId ? "deployment.canary.update" : "deployment.canary.start";
          audits.push({ action, ...target, before: previous, after: { model: model.name, version: String(row.version), share: input.canary.share }, meta: { model: model.name, version: String(row.version) } });
        }
        if (!wasRunning || next.canaryVersionId !== row.versionId) next.canarySince = now;
        next.canaryVersionId = row.versionId;
        next.canaryShare = input.canary.share;
      }
    }

    if (input.shadow !== undefined) {
      const previous = await versionNumberOf(tx, next.shadowVersionId);
      if (input.shadow === null) {
        if (previous !== null) audits.push({ action: "deployment.shadow.stop", ...target, before: { version: previous }, after: { model: model.name, version: previous }, meta: { model: model.name, version: previous } });
        next.shadowVersionId = null;
        next.shadowSince = null;
      } else {
        if (!production) {
          throw saidError("INVALID_STATE", `Model '${model.name}' has no production version: promote one before shadowing it.`, sentence("error.traffic.shadow_without_production", { model: model.name }));
        }
        const { row } = await findModelVersion(tx, model.name, input.shadow.version);
        if (row.versionId === production.versionId) {
          throw saidError(
            "INVALID_PARAMETER_VALUE",
            `Version ${row.version} of '${model.name}' already holds production: a shadow runs another version beside it.`,
            sentence("error.traffic.shadow_is_production", { version: String(row.version), model: model.name }),
          );
        }
        if (row.versionId !== next.shadowVersionId) {
          audits.push({
            action: "deployment.shadow.start",
            ...target,
            before: previous === null ? null : { version: previous },
            after: { model: model.name, version: String(row.version) },
            meta: { model: model.name, version: String(row.version) },
          });
          next.shadowVersionId = row.versionId;
          next.shadowSince = now;
        }
      }
    }

    if (input.guards !== undefined && JSON.stringify(input.guards) !== JSON.stringify(guardRulesOf(before))) {
      audits.push({ action: "deployment.guards.update", ...target, before: guardRulesOf(before), after: { model: model.name, ...input.guards }, meta: { model: model.name } });
    }

    const values = { ...next, updatedAt: now, updatedBy: ctx.actor.username };
    await tx.insert(deploymentRoutes).values({ modelId: model.modelId, ...values }).onConflictDoUpdate({ target: deploymentRoutes.modelId, set: values });
    for (const audit of audits) await recordAudit(tx, ctx.actor, audit);
    return { name: model.name, modelId: model.modelId };
  });
  // This process's serving follows at once; other replicas within ALIAS_CACHE_MS.
  invalidateServingModel(config.name);
  return toTrafficConfig(ctx.db, config.name, config.modelId, await routeRowOf(ctx.db, config.modelId));
}

/**
 * Stops a canary as the studio itself (a guard rule crossed), recording why. `actor` is the system actor in the
 * background job; the audit action is `deployment.canary.auto-stop`, with the model, version and reason.
 */
export async function autoStopCanary(
  db: Database,
  actor: Actor,
  input: { modelName: string; modelId: number; reason: string; reasonMessages: ServerSentence[] },
): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await routeRowOf(tx, input.modelId);
    if (!row || row.canaryVersionId === null || row.canaryShare === 0) return;
    const version = await versionNumberOf(tx, row.canaryVersionId);
    const now = Date.now();
    await tx
      .update(deploymentRoutes)
      .set({
        canaryShare: 0,
        lastGuardAction: `Canary v${version} stopped: ${input.reason}`,
        lastGuardActionMessage: sentence("guard_action.canary_stopped", { version: version ?? "?", reasons: input.reasonMessages }),
        updatedAt: now,
        updatedBy: actor.username,
      })
      .where(eq(deploymentRoutes.modelId, input.modelId));
    await recordAudit(tx, actor, {
      action: "deployment.canary.auto-stop",
      targetType: "registered_model",
      targetId: input.modelName,
      before: { version, share: row.canaryShare },
      after: { model: input.modelName, version, share: 0 },
      meta: { model: input.modelName, version, reason: input.reason },
      reasonMessages: input.reasonMessages,
    });
  });
  invalidateServingModel(input.modelName);
}

/** Records when guards were last evaluated, and what they did (null keeps the last action). */
export async function markGuardCheck(db: Executor, modelId: number, action: { text: string; message: ServerSentence } | null): Promise<void> {
  await db
    .update(deploymentRoutes)
    .set(action === null ? { lastGuardCheckAt: Date.now() } : { lastGuardCheckAt: Date.now(), lastGuardAction: action.text, lastGuardActionMessage: action.message })
    .where(eq(deploymentRoutes.modelId, modelId));
}

/**
 * Makes the canary production through the review gate (promoteVersion, so the same checks and audit apply), then
 * clears the canary: it is production now. Audited as `deployment.canary.promote`.
 */
export async function promoteCanary(ctx: ServiceContext, input: { name: string }): Promise<TrafficConfig> {
  authorize(ctx.actor, "deployments.promote");
  const model = await findRegisteredModel(ctx.db, input.name);
  const row = await routeRowOf(ctx.db, model.modelId);
  const version = await versionNumberOf(ctx.db, row?.canaryVersionId ?? null);
  if (!row || version === null) {
    throw saidError("INVALID_STATE", `Model '${model.name}' has no canary to promote: start a canary first.`, sentence("error.traffic.no_canary_to_promote", { model: model.name }));
  }
  const previous = await productionOf(ctx.db, model.modelId);
  await promoteVersion(ctx, { name: model.name, version });
  await ctx.db.transaction(async (tx) => {
    await tx.update(deploymentRoutes).set({ canaryVersionId: null, canaryShare: 0, canarySince: null, updatedAt: Date.now(), updatedBy: ctx.actor.username }).where(eq(deploymentRoutes.modelId, model.modelId));
    await recordAudit(tx, ctx.actor, {
      action: "deployment.canary.promote",
      targetType: "registered_model",
      targetId: model.name,
      before: { productionVersion: previous ? String(previous.version) : null, canaryShare: row.canaryShare },
      after: { model: model.name, version },
      meta: { model: model.name, version },
    });
  });
  invalidateServingModel(model.name);
  return toTrafficConfig(ctx.db, model.name, model.modelId, await routeRowOf(ctx.db, model.modelId));
}
