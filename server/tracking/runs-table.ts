// The runs table's pages: a run search narrowed to the chosen columns, as a tree of nested runs (MLflow's
// mlflow.parentRunId tag) when no filter is applied, each run carrying how many nested runs it has.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { zGroupMember, type GroupMember } from "@/lib/run-groups";
import type { FilterClause } from "@/lib/search-filter";
import type { ServiceContext } from "../service-context";
import { zSearchRuns, type Run } from "./schema";
import { PARENT_RUN_TAG, searchRuns } from "./search-runs";

const zColumnKeys = z.array(z.string().min(1).max(250)).max(500, "Choose at most 500 columns of a kind");

export const zRunsTableInput = zSearchRuns.extend({
  columns: z.object({ metrics: zColumnKeys, params: zColumnKeys, tags: zColumnKeys }),
  /**
   * "top-level": only runs not nested under another shown run (the collapsed tree); "all": every matching run,
   * flat (a filter, or one parent's children).
   */
  nesting: z.enum(["top-level", "all"]).default("all"),
  /** Only the runs of one group of the grouped table (its param's or tag's value, or null for runs without it). */
  group: zGroupMember.optional(),
});

export interface RunsTablePage {
  runs: Run[];
  next_page_token?: string;
  /** For each run of the page that has nested runs: how many (active ones, in the searched experiments). */
  child_counts: Record<string, number>;
}

export async function listRunsTable(ctx: ServiceContext, input: z.input<typeof zRunsTableInput>): Promise<RunsTablePage> {
  const { columns, nesting, group, ...search } = zRunsTableInput.parse(input);
  // The parent tag always comes along: the table indents and links a nested run it finds by a filter.
  const withParent = { ...columns, tags: columns.tags.includes(PARENT_RUN_TAG) ? columns.tags : [...columns.tags, PARENT_RUN_TAG] };
  const extraClauses = group ? [groupClause(group)] : [];
  const page = await searchRuns(ctx, search, withParent, { topLevelOnly: nesting === "top-level", extraClauses });
  return { ...page, child_counts: await countChildRuns(ctx, search.experiment_ids, page.runs.map((run) => run.info.run_id)) };
}

/** The group as a filter clause: the key equal to the value, or (the "(none)" group) absent. */
function groupClause(group: GroupMember): FilterClause {
  const entity = group.kind;
  return group.value === null
    ? { entity, key: group.key, op: "IS NULL", value: null, position: 0 }
    : { entity, key: group.key, op: "=", value: group.value, position: 0 };
}

async function countChildRuns(ctx: ServiceContext, experimentIds: string[], runIds: string[]): Promise<Record<string, number>> {
  if (!runIds.length) return {};
  const rows = await queryRows<{ parent: string; n: string | number }>(ctx.db, sql`
    select t.value as parent, count(*) as n
    from tags t join runs c on c.run_uuid = t.run_uuid
    where t.key = ${PARENT_RUN_TAG} and t.value = any(${sql.param(runIds)}::text[])
      and c.lifecycle_stage = 'active' and c.experiment_id = any(${sql.param(experimentIds.map(Number))}::int8[])
    group by t.value`);
  return Object.fromEntries(rows.map((row) => [row.parent, Number(row.n)]));
}
