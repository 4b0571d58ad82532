// Live comparison of a production deployment with its canary or shadow over the same period (for a shadow, the same
// requests): volume, errors, latency, agreement, prediction drift, the live metric and value from feedback, and a
// test of whether the live metrics differ with the sample size still needed to tell.
import { and, eq, sql } from "drizzle-orm";
import { deploymentRoutes, modelVersions } from "@/db/schema";
import { queryRows, type Database } from "@/db/client";
import { categoricalDrift, numericDrift, type CategoryCounts } from "@/lib/drift";
import { mcnemarTest } from "@/lib/mcnemar";
import { mcnemarSampleSize, twoProportionSampleSize, twoProportionZTest } from "@/lib/canary-stats";
import type { ServiceContext } from "../service-context";
import { authorize } from "../auth/permissions";
import { findRegisteredModel, findVersionByAlias } from "../registry/model-versions";
import { taskOfIntrospection } from "../monitoring/monitoring";
import { liveValueOf } from "../monitoring/live-value";
import { defaultMonitoringThresholds } from "../monitoring/schema";
import { shadowQueueStatus } from "../serving/shadow-queue";
import { countMinuteOf, routeVolume } from "../serving/route-counts";
import type { RouteStats, TrafficComparison } from "./schema";

type Route = RouteStats["route"];
type Task = "binary" | "multiclass" | "regression";
/** Predictions read per route for the drift test at most (the latest). */
const MAX_DRIFT_ENTRIES = 2_000;
const SIGNIFICANCE = 0.05;

export interface RouteWindow {
  modelId: number;
  versionId: number;
  version: string;
  route: Route;
  from: number;
  to: number;
}

/**
 * Volume, errors, latency and live metric of one route's answers in a period. Volume and errors are exact counts
 * (route_counts, whole minutes); latency and the live metric come from the inference log, which may hold a sample.
 */
export async function routeStats(db: Database, w: RouteWindow, task: Task | null): Promise<RouteStats> {
  const [latency] = await queryRows<{ p50: number | null; p99: number | null }>(
    db,
    sql`select percentile_disc(0.5) within group (order by latency_ms) as p50,
          percentile_disc(0.99) within group (order by latency_ms) as p99
        from inference_log where model_id = ${w.modelId} and version_id = ${w.versionId} and route = ${w.route} and at >= ${w.from} and at < ${w.to}`,
  );
  const { requests, rows, errors } = await routeVolume(db, w);
  const truth = sql`(f.label #>> '{}')`;
  const predicted = sql`(l.predictions -> f.row_index #>> '{}')`;
  const joined = sql`from inference_feedback f join inference_log l on l.model_id = f.model_id and l.request_id = f.request_id
    where l.model_id = ${w.modelId} and l.version_id = ${w.versionId} and l.route = ${w.route} and l.at >= ${w.from} and l.at < ${w.to}
      and (l.predictions -> f.row_index) is not null and f.superseded_at is null`;
  let liveMetric: RouteStats["liveMetric"] = null;
  if (task === "regression") {
    const [r] = await queryRows<{ n: string | number; sse: number | null }>(
      db,
      sql`select count(*) as n, sum((${truth}::float8 - ${predicted}::float8) ^ 2) as sse ${joined}
          and jsonb_typeof(f.label) = 'number' and jsonb_typeof(l.predictions -> f.row_index) = 'number'`,
    );
    const n = Number(r?.n ?? 0);
    if (n > 0) liveMetric = { name: "rmse", value: Math.sqrt(Number(r!.sse) / n), count: n };
  } else {
    const [r] = await queryRows<{ n: string | number; correct: string | number }>(db, sql`select count(*) as n, count(*) filter (where ${truth} = ${predicted}) as correct ${joined}`);
    const n = Number(r?.n ?? 0);
    if (n > 0) liveMetric = { name: "accuracy", value: Number(r!.correct) / n, count: n };
  }
  const value = await liveValueOf(db, w.modelId, w.versionId, w.from, w.route).catch(() => null);
  return {
    route: w.route,
    version: w.version,
    requests,
    rows,
    errors,
    errorRate: requests + errors > 0 ? errors / (requests + errors) : null,
    latencyP50: latency?.p50 ?? null,
    latencyP99: latency?.p99 ?? null,
    liveMetric,
    realisedPer1000: value?.realisedPer1000 ?? null,
    expectedPer1000: value?.expectedPer1000 ?? null,
  };
}

async function predictionsOf(db: Database, w: RouteWindow): Promise<(number | string)[]> {
  const rows = await queryRows<{ predictions: (number | string | null)[] }>(
    db,
    sql`select predictions from inference_log where model_id = ${w.modelId} and version_id = ${w.versionId} and route = ${w.route}
        and at >= ${w.from} and at < ${w.to} order by log_id desc limit ${MAX_DRIFT_ENTRIES}`,
  );
  return rows.flatMap((r) => r.predictions.filter((p): p is number | string => p !== null));
}

function counts(values: readonly (number | string)[]): CategoryCounts {
  const out: CategoryCounts = {};
  for (const value of values) out[String(value)] = (out[String(value)] ?? 0) + 1;
  return out;
}

async function predictionDrift(db: Database, production: RouteWindow, challenger: RouteWindow, task: Task | null): Promise<TrafficComparison["predictionDrift"]> {
  const [a, b] = await Promise.all([predictionsOf(db, production), predictionsOf(db, challenger)]);
  if (a.length < 2 || b.length < 2) return null;
  const t = defaultMonitoringThresholds;
  const drift =
    task === "regression"
      ? numericDrift(a.map(Number), b.map(Number), { ksPValueThreshold: t.ksPValue, wassersteinThreshold: t.wasserstein })
      : categoricalDrift(counts(a), counts(b), { chiSquarePValueThreshold: t.chiSquarePValue, jensenShannonThreshold: t.jensenShannon });
  return { test: drift.test, score: drift.score, threshold: drift.threshold, drifted: drift.drifted };
}

/** Shadow: the rows production and its shadow both answered (same requests), and how many of them agree. */
async function shadowAgreement(db: Database, production: RouteWindow, shadow: RouteWindow) {
  const pairs = sql`from inference_log lp join inference_log ls
      on ls.model_id = lp.model_id and ls.request_id = lp.request_id and ls.route = 'shadow' and ls.version_id = ${shadow.versionId}
    cross join lateral jsonb_array_elements(lp.predictions) with ordinality as p(v, i)
    join lateral jsonb_array_elements(ls.predictions) with ordinality as s(v, i) on s.i = p.i
    where lp.model_id = ${production.modelId} and lp.route = 'production' and lp.version_id = ${production.versionId}
      and lp.at >= ${production.from} and lp.at < ${production.to}`;
  const [agreement] = await queryRows<{ rows: string | number; agree: string | number }>(db, sql`select count(*) as rows, count(*) filter (where p.v = s.v) as agree ${pairs}`);
  return agreement;
}

export async function compareTraffic(ctx: ServiceContext, input: { name: string; minutes?: number }): Promise<TrafficComparison> {
  authorize(ctx.actor, "studio.read");
  const model = await findRegisteredModel(ctx.db, input.name);
  const to = Date.now() + 1;
  const period = (input.minutes ?? 60) * 60_000;
  const [row] = await ctx.db.select().from(deploymentRoutes).where(eq(deploymentRoutes.modelId, model.modelId));
  const production = await findVersionByAlias(ctx.db, model.name, "production").catch(() => null);
  const empty: TrafficComparison = { modelName: model.name, from: to - period, countsFrom: countMinuteOf(to - period), to, production: null, challenger: null, agreement: null, predictionDrift: null, test: null, shadowDropped: shadowQueueStatus().dropped };
  if (!production) return empty;
  // The canary when one runs (it answers callers), else the shadow; each compared from when it started.
  const canaryRunning = row?.canaryVersionId != null && row.canaryShare > 0;
  const route: Route | null = canaryRunning ? "canary" : row?.shadowVersionId != null ? "shadow" : row?.canaryVersionId != null ? "canary" : null;
  const task = taskOfIntrospection(production.introspection);
  const challengerVersionId = route === "canary" ? row!.canaryVersionId! : route === "shadow" ? row!.shadowVersionId! : null;
  const since = route === "canary" ? row!.canarySince : route === "shadow" ? row!.shadowSince : null;
  const from = Math.max(to - period, since ?? 0);
  const productionWindow: RouteWindow = { modelId: model.modelId, versionId: production.versionId, version: String(production.version), route: "production", from, to };
  const productionStats = await routeStats(ctx.db, productionWindow, task);
  if (challengerVersionId === null || route === null) return { ...empty, from, countsFrom: countMinuteOf(from), production: productionStats };
  const [challengerRow] = await ctx.db
    .select({ version: modelVersions.version })
    .from(modelVersions)
    .where(and(eq(modelVersions.versionId, challengerVersionId), eq(modelVersions.modelId, model.modelId)));
  const challengerWindow: RouteWindow = { modelId: model.modelId, versionId: challengerVersionId, version: String(challengerRow?.version ?? "?"), route, from, to };
  const challengerStats = await routeStats(ctx.db, challengerWindow, task);
  const drift = await predictionDrift(ctx.db, productionWindow, challengerWindow, task);

  let agreement: TrafficComparison["agreement"] = null;
  let test: TrafficComparison["test"] = null;
  if (route === "shadow" && task !== "regression") {
    const a = await shadowAgreement(ctx.db, productionWindow, challengerWindow);
    const rows = Number(a?.rows ?? 0);
    agreement = { rows, rate: rows > 0 ? Number(a!.agree) / rows : null };
    const paired = await pairedFeedback(ctx.db, productionWindow, challengerWindow);
    if (paired.n > 0) {
      const result = mcnemarTest(paired.shadowOnly, paired.productionOnly);
      const needed = mcnemarSampleSize(paired.shadowOnly / paired.n, paired.productionOnly / paired.n);
      test = { method: "mcnemar", pValue: result.pValue, significant: result.pValue < SIGNIFICANCE, moreRowsNeeded: needed === null ? null : Math.max(0, needed - paired.n) };
    }
  } else if (route === "canary" && productionStats.liveMetric?.name === "accuracy" && challengerStats.liveMetric?.name === "accuracy") {
    const p = productionStats.liveMetric;
    const c = challengerStats.liveMetric;
    const result = twoProportionZTest(Math.round(c.value * c.count), c.count, Math.round(p.value * p.count), p.count);
    const needed = twoProportionSampleSize(c.value, p.value);
    if (result) test = { method: "two-proportion-z", pValue: result.pValue, significant: result.pValue < SIGNIFICANCE, moreRowsNeeded: needed === null ? null : Math.max(0, needed - Math.min(c.count, p.count)) };
  }
  return { modelName: model.name, from, countsFrom: countMinuteOf(from), to, production: productionStats, challenger: challengerStats, agreement, predictionDrift: drift, test, shadowDropped: shadowQueueStatus().dropped };
}

/** Rows of shared requests whose true label came back: how many, and where only one of the two was right. */
async function pairedFeedback(db: Database, production: RouteWindow, shadow: RouteWindow): Promise<{ n: number; shadowOnly: number; productionOnly: number }> {
  const truth = sql`(f.label #>> '{}')`;
  const byProduction = sql`(lp.predictions -> f.row_index #>> '{}')`;
  const byShadow = sql`(ls.predictions -> f.row_index #>> '{}')`;
  const [r] = await queryRows<{ n: string | number; shadow_only: string | number; production_only: string | number }>(
    db,
    sql`select count(*) as n,
          count(*) filter (where ${truth} = ${byShadow} and ${truth} <> ${byProduction}) as shadow_only,
          count(*) filter (where ${truth} = ${byProduction} and ${truth} <> ${byShadow}) as production_only
        from inference_feedback f
        join inference_log lp on lp.model_id = f.model_id and lp.request_id = f.request_id and lp.route = 'production' and lp.version_id = ${production.versionId}
        join inference_log ls on ls.model_id = f.model_id and ls.request_id = f.request_id and ls.route = 'shadow' and ls.version_id = ${shadow.versionId}
        where f.model_id = ${production.modelId} and f.superseded_at is null and lp.at >= ${production.from} and lp.at < ${production.to}
          and (lp.predictions -> f.row_index) is not null and (ls.predictions -> f.row_index) is not null`,
  );
  return { n: Number(r?.n ?? 0), shadowOnly: Number(r?.shadow_only ?? 0), productionOnly: Number(r?.production_only ?? 0) };
}
