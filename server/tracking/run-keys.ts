// Every metric, param and tag key logged in some experiments' runs: the runs table's column chooser and
// the filter editor's autocomplete offer them, so a key never has to be typed from memory.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import type { ServiceContext } from "../service-context";
import { zExperimentIdText } from "./schema";

export const zRunKeysInput = z.object({
  experimentIds: z.array(zExperimentIdText).min(1, "Name at least one experiment").max(1000, "At most 1000 experiments at once"),
});

export interface RunKeys {
  metrics: string[];
  params: string[];
  tags: string[];
}

/** Keys of active runs, sorted; MLflow's own system tags (mlflow.*) are kept, the UI decides what to show. */
export async function listRunKeys(ctx: ServiceContext, input: z.input<typeof zRunKeysInput>): Promise<RunKeys> {
  const { experimentIds } = zRunKeysInput.parse(input);
  const ids = sql.param(experimentIds.map(Number));
  const rows = await queryRows<{ kind: "metric" | "param" | "tag"; key: string }>(ctx.db, sql`
    with scoped as (select run_uuid from runs where experiment_id = any(${ids}::int8[]) and lifecycle_stage = 'active')
    select kind, key from (
      select distinct 'metric'::text as kind, c.key from latest_metrics c join scoped s using (run_uuid)
      union all
      select distinct 'param', c.key from params c join scoped s using (run_uuid)
      union all
      select distinct 'tag', c.key from tags c join scoped s using (run_uuid)
    ) k
    order by kind, key collate "C"`);
  const keys: RunKeys = { metrics: [], params: [], tags: [] };
  for (const row of rows) keys[`${row.kind}s`].push(row.key);
  return keys;
}
