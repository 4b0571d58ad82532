// Guard rules of a production deployment, evaluated each window by a background job (and on demand): a canary that
// crosses one is stopped (share 0); production crossing one, with auto-rollback on, returns to the previous approved
// version. Both act as the system actor and are audited (deployment.canary.auto-stop, deployment.rollback.auto).
import { eq, gt, isNotNull, or } from "drizzle-orm";
import { deploymentRoutes, modelVersions, registeredModels } from "@/db/schema";
import type { Database } from "@/db/client";
import { systemActor, type Actor } from "../auth/actor";
import { authorize } from "../auth/permissions";
import { recordAudit } from "../auth/audit";
import { isDomainError } from "../errors";
import { registerJobHandler } from "../jobs/runner";
import type { ServiceContext } from "../service-context";
import type { ArtifactStore } from "../artifacts/store";
import { findRegisteredModel, findVersionByAlias } from "../registry/model-versions";
import { getMonitoringView, taskOfIntrospection } from "../monitoring/monitoring";
import { rollbackProduction } from "./deployments";
import { routeStats, type RouteWindow } from "./comparison";
import { autoStopCanary, guardRulesOf, markGuardCheck } from "./traffic";
import type { GuardOutcome, GuardRules, RouteStats } from "./schema";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";

/** The window guards judge: the last 10 minutes (STUDIO_GUARD_WINDOW_MS). */
export const GUARD_WINDOW_MS = Number(process.env.STUDIO_GUARD_WINDOW_MS) || 10 * 60_000;
/** How often the background job evaluates every guarded deployment (STUDIO_GUARD_EVERY_MS). */
const GUARD_EVERY_MS = Number(process.env.STUDIO_GUARD_EVERY_MS) || 60_000;

function pct(value: number): string {
  return `${Number((value * 100).toFixed(1))}%`;
}

/** A crossed rule, in English (audit, webhook payloads, API answers) and as a catalogue code with its numbers (pages). */
export interface GuardReason {
  text: string;
  message: ServerSentence;
}

/** The rules a route's stats cross (error rate, p99 latency, live metric drop against `baseline`). */
export function crossedRules(stats: RouteStats, rules: GuardRules, baseline: RouteStats["liveMetric"]): GuardReason[] {
  const reasons: GuardReason[] = [];
  const who = `${stats.route} v${stats.version}`;
  const route = { route: stats.route, version: stats.version };
  const answered = stats.requests + stats.errors;
  if (rules.maxErrorRate !== null && answered >= rules.minRequests && stats.errorRate !== null && stats.errorRate >= rules.maxErrorRate) {
    reasons.push({
      text: `${who} failed ${stats.errors} of ${answered} requests (${pct(stats.errorRate)}), at or above the ${pct(rules.maxErrorRate)} limit`,
      message: sentence("guard.error_rate", { ...route, errors: stats.errors, answered, rate: stats.errorRate, limit: rules.maxErrorRate }),
    });
  }
  if (rules.maxP99Ms !== null && stats.requests >= rules.minRequests && stats.latencyP99 !== null && stats.latencyP99 >= rules.maxP99Ms) {
    reasons.push({
      text: `${who} p99 latency is ${stats.latencyP99.toFixed(1)} ms, at or above the ${rules.maxP99Ms} ms limit`,
      message: sentence("guard.p99_latency", { ...route, p99: stats.latencyP99, limit: rules.maxP99Ms }),
    });
  }
  const live = stats.liveMetric;
  if (rules.maxLiveMetricDrop !== null && live && baseline && live.count >= rules.minRequests && baseline.count >= rules.minRequests) {
    const drop = live.name === "rmse" ? live.value - baseline.value : baseline.value - live.value;
    if (drop >= rules.maxLiveMetricDrop) {
      reasons.push({
        text: `${who} live ${live.name} is ${live.value.toFixed(3)} against ${baseline.value.toFixed(3)} (worse by ${drop.toFixed(3)}, limit ${rules.maxLiveMetricDrop})`,
        message: sentence("guard.live_metric", { ...route, metric: live.name, value: live.value, baseline: baseline.value, drop, limit: rules.maxLiveMetricDrop }),
      });
    }
  }
  return reasons;
}

const textsOf = (reasons: GuardReason[]) => reasons.map((r) => r.text);
const messagesOf = (reasons: GuardReason[]) => reasons.map((r) => r.message);

/**
 * Evaluates a model's guard rules on the last GUARD_WINDOW_MS and acts on them. The canary's live metric is judged
 * against production's in the same window; production's against its own in the 24 hours before the window.
 */
export async function evaluateGuardsOf(deps: { db: Database; artifacts: ArtifactStore }, actor: Actor, modelName: string, now = Date.now()): Promise<GuardOutcome> {
  const { db, artifacts } = deps;
  const model = await findRegisteredModel(db, modelName);
  const [row] = await db.select().from(deploymentRoutes).where(eq(deploymentRoutes.modelId, model.modelId));
  const none: GuardOutcome = { modelName: model.name, action: "none", reasons: [], productionWarnings: [], reasonMessages: [], warningMessages: [] };
  const production = await findVersionByAlias(db, model.name, "production").catch(() => null);
  if (!row || !production) return none;
  const rules = guardRulesOf(row);
  const task = taskOfIntrospection(production.introspection);
  const from = now - GUARD_WINDOW_MS;
  const productionWindow: RouteWindow = { modelId: model.modelId, versionId: production.versionId, version: String(production.version), route: "production", from, to: now + 1 };
  const productionStats = await routeStats(db, productionWindow, task);

  if (row.canaryVersionId !== null && row.canaryShare > 0) {
    const canaryFrom = Math.max(from, row.canarySince ?? 0);
    const canary = await routeStats(db, { ...productionWindow, versionId: row.canaryVersionId, version: "", route: "canary", from: canaryFrom }, task);
    const version = await versionOf(db, row.canaryVersionId);
    const reasons = crossedRules({ ...canary, version }, rules, productionStats.liveMetric);
    if (reasons.length) {
      await autoStopCanary(db, actor, { modelName: model.name, modelId: model.modelId, reason: textsOf(reasons).join("; "), reasonMessages: messagesOf(reasons) });
      await markGuardCheck(db, model.modelId, null);
      return { ...none, action: "canary-stopped", reasons: textsOf(reasons), reasonMessages: messagesOf(reasons) };
    }
  }

  const baseline = await routeStats(db, { ...productionWindow, from: from - 86_400_000, to: from }, task);
  const productionReasons = crossedRules(productionStats, rules, baseline.liveMetric);
  if (rules.maxDriftShare !== null) {
    const view = await getMonitoringView({ db, artifacts, actor }, { name: model.name, window: "hour", windows: 1 }).catch(() => null);
    const latest = view?.windows.at(-1);
    if (latest?.driftShare != null && latest.driftShare >= rules.maxDriftShare) {
      productionReasons.push({
        text: `production v${production.version}: ${pct(latest.driftShare)} of features drifted this hour, at or above the ${pct(rules.maxDriftShare)} limit`,
        message: sentence("guard.drift_share", { version: String(production.version), share: latest.driftShare, limit: rules.maxDriftShare }),
      });
    }
  }
  if (!productionReasons.length) {
    await markGuardCheck(db, model.modelId, null);
    return none;
  }
  if (!rules.autoRollback) {
    await markGuardCheck(db, model.modelId, null);
    return { ...none, productionWarnings: textsOf(productionReasons), warningMessages: messagesOf(productionReasons) };
  }
  const reason = textsOf(productionReasons).join("; ");
  try {
    const { version } = await rollbackProduction({ db, artifacts, actor }, { name: model.name });
    const previous = String(production.version);
    await recordAudit(db, actor, {
      action: "deployment.rollback.auto",
      targetType: "registered_model",
      targetId: model.name,
      before: { version: previous },
      after: { model: model.name, version, from: previous },
      meta: { model: model.name, version, from: previous, reason },
      reasonMessages: messagesOf(productionReasons),
    });
    await markGuardCheck(db, model.modelId, {
      text: `Production rolled back from v${previous} to v${version}: ${reason}`,
      message: sentence("guard_action.rolled_back", { from: previous, to: version, reasons: messagesOf(productionReasons) }),
    });
    return { ...none, action: "rolled-back", reasons: textsOf(productionReasons), reasonMessages: messagesOf(productionReasons) };
  } catch (error) {
    // Nowhere to roll back to (first production version, target deleted): the warning says so, nothing moves.
    await markGuardCheck(db, model.modelId, null);
    const notRun = rollbackNotRun(error);
    return { ...none, productionWarnings: textsOf([...productionReasons, notRun]), warningMessages: messagesOf([...productionReasons, notRun]) };
  }
}

async function versionOf(db: Database, versionId: number): Promise<string> {
  const [row] = await db.select({ version: modelVersions.version }).from(modelVersions).where(eq(modelVersions.versionId, versionId));
  return row ? String(row.version) : "?";
}

/** On demand (the Deployments page's button, tests): evaluates now, as the studio acting on its own rules. */
export async function evaluateGuards(ctx: ServiceContext, input: { name: string }): Promise<GuardOutcome> {
  authorize(ctx.actor, "deployments.promote");
  return evaluateGuardsOf(ctx, systemActor, input.name);
}

/** The guards of every deployment with a canary or guard rules, as the studio acting on its own rules. */
export async function evaluateAllGuards(deps: { db: Database; artifacts: ArtifactStore }): Promise<void> {
  const guarded = await deps.db
    .select({ name: registeredModels.name })
    .from(deploymentRoutes)
    .innerJoin(registeredModels, eq(registeredModels.modelId, deploymentRoutes.modelId))
    .where(or(gt(deploymentRoutes.canaryShare, 0), isNotNull(deploymentRoutes.guards)));
  for (const { name } of guarded) await evaluateGuardsOf(deps, systemActor, name);
}

/** Every GUARD_EVERY_MS, in one process of all those sharing the database (a periodic job of the shared queue). */
export const GUARD_EVALUATION_JOB = { kind: "deployments.guards", everyMs: GUARD_EVERY_MS, firstDelayMs: GUARD_EVERY_MS } as const;

registerJobHandler(GUARD_EVALUATION_JOB.kind, ({ db, artifacts }) => evaluateAllGuards({ db, artifacts }));

/**
 * Why the automatic rollback did not run, as a warning: the refusal's own code when it has one, so a French page says
 * the whole warning in French (its English text kept inside as the fallback); an error without one is quoted as it is.
 */
export function rollbackNotRun(error: unknown): GuardReason {
  const why = error instanceof Error ? error.message : String(error);
  const said = isDomainError(error) && error.sentence ? [{ ...error.sentence, text: why }] : why;
  return { text: `auto-rollback did not run: ${why}`, message: sentence("guard.rollback_not_run", { why: said }) };
}
