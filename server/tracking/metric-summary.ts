// The compare page's summary table: per run and metric the last value and the lowest and highest values
// with their steps, read from the coarsest chart rollup (a few hundred buckets per 100k-step series)
// instead of the raw points. Rollups count finite points only, as the charts draw them.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import type { MetricSummary } from "@/lib/compare-summary";
import type { ServiceContext } from "../service-context";
import { ROLLUP_WIDTHS } from "./metric-rollups";
import { catchUpRollups } from "./rollup-compaction";

export const zMetricSummaryInput = z.object({
  runIds: z.array(z.string().min(1).max(64)).min(1, "Choose at least one run").max(5000, "Compare at most 5000 runs at once"),
  keys: z.array(z.string().min(1).max(250)).min(1, "Choose at least one metric").max(500, "Summarise at most 500 metrics at once"),
});
export type MetricSummaryInput = z.input<typeof zMetricSummaryInput>;

/** One row per run and metric that has a finite point, runs in the order given, then keys in the order given. */
export async function getMetricSummaries(ctx: ServiceContext, rawInput: MetricSummaryInput): Promise<MetricSummary[]> {
  const input = zMetricSummaryInput.parse(rawInput);
  await catchUpRollups(ctx.db, input.runIds);
  const coarsest = ROLLUP_WIDTHS[ROLLUP_WIDTHS.length - 1];
  // lo = [value, step, ts] (lowest value, earliest step on ties), hi = [value, -step, ts], last = [step, ts, value].
  const rows = await queryRows<{ run_uuid: string; key: string; n: string; lo: number[]; hi: number[]; last: number[] }>(ctx.db, sql`
    select u.run_uuid, k.key, s.n, s.lo, s.hi, s.last
    from unnest(${sql.param(input.runIds)}::text[]) with ordinality as u(run_uuid, i)
    cross join unnest(${sql.param(input.keys)}::text[]) with ordinality as k(key, j)
    cross join lateral (
      select sum(b.n)::int8 as n, min(b.lo) as lo, max(b.hi) as hi, max(b.last) as last
      from metric_rollups b where b.run_uuid = u.run_uuid and b.key = k.key and b.width = ${coarsest}
    ) s
    where s.n is not null
    order by u.i, k.j`);
  return rows.map((r) => {
    const [minValue, minStep] = r.lo.map(Number);
    const [maxValue, maxNegStep] = r.hi.map(Number);
    const [lastStep, , lastValue] = r.last.map(Number);
    return {
      runId: r.run_uuid,
      key: r.key,
      count: Number(r.n),
      last: lastValue,
      lastStep,
      min: minValue,
      minStep,
      max: maxValue,
      maxStep: -maxNegStep,
    };
  });
}
