// The runs table grouped by a param or tag: every matching run falls in the group of its value (or "(none)"),
// and each group carries its run ids and, per metric column, the mean and min–max of its runs' latest values —
// computed by the database in two grouped queries, so 10,000 runs cost what 10 do on the wire.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { orderGroups, zGroupKey, zRunGroup, type MetricAggregate, type RunGroup } from "@/lib/run-groups";
import type { ServiceContext } from "../service-context";
import { zSearchRuns } from "./schema";
import { runConditions } from "./search-runs";

export const zRunGroupsInput = zSearchRuns.pick({ experiment_ids: true, filter: true }).extend({
  group_by: zGroupKey,
  metrics: z.array(z.string().min(1).max(250)).max(500, "Choose at most 500 metric columns"),
});
export const zRunGroupsOutput = z.object({ groups: z.array(zRunGroup) });

export async function listRunGroups(ctx: ServiceContext, input: z.input<typeof zRunGroupsInput>): Promise<z.infer<typeof zRunGroupsOutput>> {
  const { group_by: groupBy, metrics, ...search } = zRunGroupsInput.parse(input);
  if (!search.experiment_ids.length) return { groups: [] };
  const { conditions } = runConditions(search);
  const table = groupBy.kind === "param" ? sql`params` : sql`tags`;
  // Params and tags are keyed by (run_uuid, key): the left join gives each run one value, or null.
  const matched = sql`
    with matched as materialized (
      select r.run_uuid, r.start_time, g.value as group_value
      from runs r left join ${table} g on g.run_uuid = r.run_uuid and g.key = ${groupBy.key}
      where ${sql.join(conditions, sql` and `)}
    )`;
  const counted = await queryRows<{ group_value: string | null; n: string | number; run_ids: string[] | string }>(ctx.db, sql`
    ${matched}
    select group_value, count(*) as n, json_agg(run_uuid order by start_time desc, run_uuid collate "C")::text as run_ids
    from matched group by group_value`);
  // NaN and ±Infinity (MLflow logs them) would make every mean NaN: a group's figures are over its finite values.
  const aggregated = metrics.length
    ? await queryRows<{ group_value: string | null; key: string; mean: number; lo: number; hi: number; n: string | number }>(ctx.db, sql`
        ${matched}
        select m.group_value, lm.key, avg(lm.value) as mean, min(lm.value) as lo, max(lm.value) as hi, count(*) as n
        from matched m join latest_metrics lm on lm.run_uuid = m.run_uuid and lm.key = any(${sql.param(metrics)}::text[])
        where lm.value not in ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)
        group by m.group_value, lm.key`)
    : [];
  const metricsOf = new Map<string | null, Record<string, MetricAggregate>>();
  for (const row of aggregated) {
    const byKey = metricsOf.get(row.group_value) ?? {};
    byKey[row.key] = { mean: Number(row.mean), min: Number(row.lo), max: Number(row.hi), count: Number(row.n) };
    metricsOf.set(row.group_value, byKey);
  }
  const groups: RunGroup[] = counted.map((row) => ({
    value: row.group_value,
    runCount: Number(row.n),
    runIds: typeof row.run_ids === "string" ? (JSON.parse(row.run_ids) as string[]) : row.run_ids,
    metrics: metricsOf.get(row.group_value) ?? {},
  }));
  return { groups: orderGroups(groups) };
}
