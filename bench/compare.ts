// bench/compare: the compare charts' series and the runs table's search over seeded long training runs,
// each next to a bare-SQL baseline from the same run, on PostgreSQL (kept seed) and PGlite (smaller seed).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { LocalArtifactStore } from "@/server/artifacts/store";
import { systemActor } from "@/server/auth/actor";
import type { ServiceContext } from "@/server/service-context";
import { clearChartSeriesCache, getChartSeries } from "@/server/tracking/chart-data";
import { zSearchRuns } from "@/server/tracking/schema";
import { searchRuns } from "@/server/tracking/search-runs";
import { benchCompareBrowser } from "./compare-browser";
import { benchCompareWire } from "./compare-wire";
import { openComparePglite, openComparePostgres, type CompareBackend } from "./compare-database";
import type { CompareSeedShape } from "./compare-seed";
import { formatNumber, percentile, sample, type BenchRow } from "./stats";

export interface CompareBenchOptions {
  postgres: CompareSeedShape;
  pglite: CompareSeedShape;
  /** The metric charted for every run. */
  chartKey: string;
  maxPoints: number;
  chartIterations: number;
  tableIterations: number;
  browserNavigations: number;
}

const CHART_TARGET_MS = 150;
const TABLE_TARGET_MS = 100;

function timingRow(backend: string, measure: string, studio: number[], baseline: number[], target: number | null): BenchRow {
  const p50 = percentile(studio, 50);
  const b50 = percentile(baseline, 50);
  return {
    backend,
    measure,
    studio: `${formatNumber(p50)} / ${formatNumber(percentile(studio, 95))}`,
    baseline: `${formatNumber(b50)} / ${formatNumber(percentile(baseline, 95))}`,
    ratio: `${(p50 / b50).toFixed(1)}×`,
    target: target === null ? "—" : `p50 ≤ ${target}`,
    verdict: target === null ? "—" : p50 <= target ? "met" : "MISSED",
  };
}

/**
 * (a) tracking.chartSeries for every seeded run × one metric, against one bare pass over the same points:
 * as a page shows it again (the reduction cached and checked current against the rollups), and as it is
 * drawn the first time (the cache cleared before every call).
 */
async function benchChart(backend: CompareBackend, ctx: ServiceContext, o: CompareBenchOptions): Promise<BenchRow[]> {
  const { runs, steps } = backend.shape;
  const runIds = backend.seed.compareRunIds;
  const request = { runIds, keys: [o.chartKey], xAxis: "step" as const, maxPoints: o.maxPoints };
  clearChartSeriesCache();
  const probe = await getChartSeries(ctx, request);
  if (probe.series.length !== runs) throw new Error(`chartSeries returned ${probe.series.length} of ${runs} series`);
  for (const s of probe.series) {
    if (s.total !== steps || s.points.length > o.maxPoints) throw new Error(`chartSeries of ${s.runId}: ${s.points.length} points of ${s.total}, expected ≤ ${o.maxPoints} of ${steps}`);
  }
  // What the cache serves must equal what a cold call computes.
  if (JSON.stringify(await getChartSeries(ctx, request)) !== JSON.stringify(probe)) throw new Error("chartSeries from its cache differs from a cold call");
  // Baseline: the least any exact reduction has to do, read every point of every series once.
  const bare = () => queryRows(backend.handle.db, sql`
    select run_uuid, count(*), min(value), max(value) from metrics
    where run_uuid = any(${sql.param(runIds)}::text[]) and key = ${o.chartKey}
    group by run_uuid`);
  // One warm-up each: on the full seed a call reads 10M points for seconds, and the first one warms the cache for both.
  const baseline = await sample(bare, o.chartIterations, 1);
  const repeated = await sample(() => getChartSeries(ctx, request), o.chartIterations, 1);
  const first = await sample(
    async () => {
      clearChartSeriesCache();
      await getChartSeries(ctx, request);
    },
    o.chartIterations,
    1,
  );
  const fullSize = runs >= 100 && steps >= 100_000;
  const shape = `${runs} runs × 1 metric × ${formatNumber(steps)} steps → ≤ ${o.maxPoints} points each`;
  return [
    timingRow(backend.name, `chartSeries ${shape}, view shown again (reduction cached, checked current) (p50 / p95 ms)`, repeated, baseline, fullSize ? CHART_TARGET_MS : null),
    timingRow(backend.name, `chartSeries ${shape}, first view (cache cleared before each call) (p50 / p95 ms)`, first, baseline, null),
  ];
}

const tableQuery = {
  filter: "metrics.acc > 0.5 and params.model = 'rf'",
  order_by: ["metrics.acc DESC"],
  max_results: 50,
};

/** (b) the runs table's first page: searchRuns with a metric + param filter ordered by a metric, against bare SQL returning the same ids. */
async function benchTable(backend: CompareBackend, ctx: ServiceContext, o: CompareBenchOptions): Promise<BenchRow> {
  const experimentId = backend.seed.tableExperimentId;
  const input = zSearchRuns.parse({ experiment_ids: [experimentId], ...tableQuery });
  const bareSql = sql`
    select r.run_uuid from runs r
    join latest_metrics acc on acc.run_uuid = r.run_uuid and acc.key = 'acc'
    join params model on model.run_uuid = r.run_uuid and model.key = 'model'
    where r.experiment_id = ${Number(experimentId)} and r.lifecycle_stage = 'active' and acc.value > 0.5 and model.value = 'rf'
    order by acc.value desc, r.start_time desc limit 50`;
  const probe = await searchRuns(ctx, input);
  const bare = await queryRows<{ run_uuid: string }>(backend.handle.db, bareSql);
  const studioIds = probe.runs.map((r) => r.info.run_id).join();
  if (studioIds !== bare.map((r) => r.run_uuid).join() || bare.length !== 50) {
    throw new Error(`runs table query: searchRuns returned ${probe.runs.length} runs, bare SQL ${bare.length}, or in another order`);
  }
  const baseline = await sample(() => queryRows(backend.handle.db, bareSql), o.tableIterations);
  const studio = await sample(() => searchRuns(ctx, input), o.tableIterations);
  return timingRow(
    backend.name,
    `searchRuns over ${formatNumber(backend.shape.tableRuns)} runs: ${tableQuery.filter}, order by ${tableQuery.order_by[0]}, page of 50 (p50 / p95 ms)`,
    studio,
    baseline,
    backend.shape.tableRuns >= 100_000 ? TABLE_TARGET_MS : null,
  );
}

export async function benchCompare(o: CompareBenchOptions, only?: string[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const parts = process.env.BENCH_COMPARE_PARTS?.split(",").map((p) => p.trim()) ?? ["wire", "chart", "table", "browser"];
  if (parts.includes("wire")) {
    console.log("[bench] compare: chart response on the wire…");
    rows.push(...(await benchCompareWire()));
  }
  const openers = [() => openComparePglite(o.pglite), () => openComparePostgres(o.postgres)].filter((_, i) => !only || only.includes(["pglite", "postgres"][i]));
  for (const open of openers) {
    const backend = await open();
    if (!backend) continue;
    console.log(`[bench] compare on ${backend.name}: seed ${backend.seedNote}`);
    const { runs, metricKeys, steps, tableRuns } = backend.shape;
    rows.push({
      backend: backend.name,
      measure: `seed: ${runs} runs × ${metricKeys.length} metric${metricKeys.length > 1 ? "s" : ""} × ${formatNumber(steps)} steps (${formatNumber(runs * metricKeys.length * steps)} points) + ${formatNumber(tableRuns)} table runs`,
      studio: backend.seedNote,
      baseline: "—",
      ratio: "—",
      target: "—",
      verdict: "—",
    });
    const artifactRoot = await mkdtemp(path.join(os.tmpdir(), "studio-bench-artifacts-"));
    const ctx: ServiceContext = { db: backend.handle.db, artifacts: new LocalArtifactStore(artifactRoot), actor: systemActor };
    // BENCH_COMPARE_PARTS=browser times the page alone (e.g. one build against another on a loaded machine).
    try {
      if (parts.includes("chart")) {
        console.log(`[bench] compare on ${backend.name}: chart series…`);
        rows.push(...(await benchChart(backend, ctx, o)));
      }
      if (parts.includes("table")) {
        console.log(`[bench] compare on ${backend.name}: runs table query…`);
        rows.push(await benchTable(backend, ctx, o));
      }
      // Last: on PGlite the studio server takes over the data folder (one process at a time).
      if (parts.includes("browser")) {
        console.log(`[bench] compare on ${backend.name}: compare page in Chromium…`);
        rows.push(await benchCompareBrowser(backend, o.browserNavigations));
      }
    } finally {
      await backend.dispose();
      await rm(artifactRoot, { recursive: true, force: true });
    }
  }
  return rows;
}
