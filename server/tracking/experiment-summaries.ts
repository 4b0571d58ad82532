// The experiments page's list: each experiment with its run count and last activity, in one query.
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import type { ServiceContext } from "../service-context";
import type { ViewType } from "./schema";

export interface ExperimentSummary {
  experimentId: string;
  name: string;
  lifecycleStage: "active" | "deleted";
  runCount: number;
  lastActivity: number;
  creationTime: number;
}

export async function listExperimentSummaries(
  ctx: ServiceContext,
  input: { search?: string; viewType?: ViewType },
): Promise<ExperimentSummary[]> {
  const view = input.viewType ?? "ACTIVE_ONLY";
  const stage = view === "ALL" ? sql`true` : view === "DELETED_ONLY" ? sql`e.lifecycle_stage = 'deleted'` : sql`e.lifecycle_stage = 'active'`;
  const search = input.search?.trim() ? sql`and e.name ilike ${`%${input.search.trim().replace(/[\\%_]/g, "\\$&")}%`}` : sql``;
  const rows = await queryRows<{
    experiment_id: string | number;
    name: string;
    lifecycle_stage: "active" | "deleted";
    run_count: string | number;
    last_activity: string | number;
    creation_time: string | number;
  }>(ctx.db, sql`
    select e.experiment_id, e.name, e.lifecycle_stage, e.creation_time,
           count(r.run_uuid) filter (where r.lifecycle_stage = 'active') as run_count,
           greatest(e.last_update_time, coalesce(max(coalesce(r.end_time, r.start_time)), 0)) as last_activity
    from experiments e left join runs r on r.experiment_id = e.experiment_id
    where ${stage} ${search}
    group by e.experiment_id
    order by last_activity desc, e.experiment_id`);
  return rows.map((r) => ({
    experimentId: String(r.experiment_id),
    name: r.name,
    lifecycleStage: r.lifecycle_stage,
    runCount: Number(r.run_count),
    lastActivity: Number(r.last_activity),
    creationTime: Number(r.creation_time),
  }));
}
