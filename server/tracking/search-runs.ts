// Run search: MLflow's filter grammar and order_by compiled to parameterised SQL, with page tokens.
import { sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { queryRowsPrepared } from "@/db/prepared-reads";
import {
  parseOrderBy,
  parseSearchFilter,
  SearchFilterError,
  type FilterClause,
  type OrderByClause,
} from "@/lib/search-filter";
import { invalidParameter } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import type { ServiceContext } from "../service-context";
import { decodePageToken, encodePageToken } from "./page-token";
import { PreEncodedJson } from "../http/mlflow-wire";
import { parseRunsJson, runJsonSql, type RunColumnSelection } from "./runs";
import { readThroughSnapshotCache, SNAPSHOT_SQL } from "./snapshot-cache";
import type { Run, zSearchRuns } from "./schema";

export const SEARCH_MAX_RESULTS_DEFAULT = 1000;

const attributeColumns: Record<string, SQL> = {
  run_id: sql`r.run_uuid`,
  run_name: sql`r.name`,
  status: sql`r.status`,
  user_id: sql`r.user_id`,
  artifact_uri: sql`r.artifact_uri`,
  lifecycle_stage: sql`r.lifecycle_stage`,
  start_time: sql`r.start_time`,
  end_time: sql`r.end_time`,
};

function comparison(column: SQL, clause: FilterClause): SQL {
  const { op } = clause;
  // Numbers are bound as float8 so that 1.5 against an int8 column compares instead of failing to cast.
  const value = typeof clause.value === "number" ? sql`${clause.value}::float8` : sql`${clause.value}`;
  switch (op) {
    case "=": return sql`${column} = ${value}`;
    case "!=": return sql`${column} <> ${value}`;
    case "<": return sql`${column} < ${value}`;
    case "<=": return sql`${column} <= ${value}`;
    case ">": return sql`${column} > ${value}`;
    case ">=": return sql`${column} >= ${value}`;
    case "LIKE": return sql`${column} like ${value}`;
    case "ILIKE": return sql`${column} ilike ${value}`;
    case "IN": return sql`${column} = any(${sql.param(clause.value as string[])}::text[])`;
    case "NOT IN": return sql`${column} <> all(${sql.param(clause.value as string[])}::text[])`;
    case "IS NULL": return sql`${column} is null`;
    case "IS NOT NULL": return sql`${column} is not null`;
  }
}

/** One filter clause as a SQL condition on the runs row `r`; every user value is a bound parameter. */
export function clauseToSql(clause: FilterClause): SQL {
  const { entity, key, op } = clause;
  if (entity === "attribute") {
    const column = attributeColumns[key];
    if (!column) throw invalidParameter(`Invalid attribute key '${key}' in the search filter.`, sentence("error.search.attribute_invalid", { key }));
    return comparison(column, clause);
  }
  if (entity === "dataset") {
    const condition =
      key === "context"
        ? sql`exists (select 1 from jsonb_array_elements(ri.tags) t where t->>'key' = 'mlflow.data.context' and ${comparison(sql`t->>'value'`, clause)})`
        : comparison(key === "digest" ? sql`d.digest` : sql`d.name`, clause);
    return sql`exists (select 1 from run_inputs ri join tracked_datasets d on d.dataset_uuid = ri.dataset_uuid where ri.run_uuid = r.run_uuid and ${condition})`;
  }
  const table = entity === "metric" ? sql`latest_metrics` : entity === "param" ? sql`params` : sql`tags`;
  if (op === "IS NULL") return sql`not exists (select 1 from ${table} e where e.run_uuid = r.run_uuid and e.key = ${key})`;
  if (op === "IS NOT NULL") return sql`exists (select 1 from ${table} e where e.run_uuid = r.run_uuid and e.key = ${key})`;
  return sql`exists (select 1 from ${table} e where e.run_uuid = r.run_uuid and e.key = ${key} and ${comparison(sql`e.value`, clause)})`;
}

const numericAttributes = new Set(["start_time", "end_time"]);

interface OrderSql {
  /** A left join bringing the ordered value in, for params, metrics and tags. */
  join?: SQL;
  term: SQL;
}

// Strings sort by code point whatever the database's collation, so that PGlite and every PostgreSQL
// server return the same order (and the same pages) for one query. Params, metrics and tags are
// joined rather than looked up per row: (run_uuid, key) is their primary key, so the join yields at
// most one row per run, and the planner can hash it instead of probing once per candidate run.
function orderToSql(order: OrderByClause, index: number, required: Set<string>): OrderSql {
  const direction = order.ascending ? sql`asc` : sql`desc`;
  if (order.entity === "attribute") {
    const column = attributeColumns[order.key];
    if (!column) throw invalidParameter(`Invalid order_by attribute '${order.key}'.`, sentence("error.search.order_by_attribute", { key: order.key }));
    const sortable = numericAttributes.has(order.key) ? column : sql`${column} collate "C"`;
    return { term: sql`${sortable} ${direction} nulls last` };
  }
  if (order.entity === "dataset") throw invalidParameter("Runs cannot be ordered by dataset fields.", sentence("error.search.order_by_dataset"));
  const table = order.entity === "metric" ? sql`latest_metrics` : order.entity === "param" ? sql`params` : sql`tags`;
  const alias = sql.raw(`o${index}`);
  const value = sql`${alias}.value`;
  if (required.has(entityKey(order))) {
    // The filter already drops runs without this key, so an inner join loses none, and a metric's
    // plain asc/desc (no nulls can occur) is the order of the (key, value) index: the planner can walk
    // it from the best value and stop after one page instead of sorting every matching run.
    return {
      join: sql`join ${table} ${alias} on ${alias}.run_uuid = r.run_uuid and ${alias}.key = ${order.key}`,
      term: order.entity === "metric" ? sql`${value} ${direction}` : sql`${value} collate "C" ${direction}`,
    };
  }
  return {
    join: sql`left join ${table} ${alias} on ${alias}.run_uuid = r.run_uuid and ${alias}.key = ${order.key}`,
    // Runs without the key sort last in both directions, as in MLflow.
    term: sql`${order.entity === "metric" ? value : sql`${value} collate "C"`} ${direction} nulls last`,
  };
}

function entityKey(item: { entity: string; key: string }): string {
  return `${item.entity}\u0000${item.key}`;
}

/** Metrics, params and tags every matching run must have: those a filter clause compares (clauses are ANDed). */
function requiredKeys(clauses: FilterClause[]): Set<string> {
  return new Set(
    clauses
      .filter((c) => (c.entity === "metric" || c.entity === "param" || c.entity === "tag") && c.op !== "IS NULL")
      .map(entityKey),
  );
}

function withFilterErrors<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof SearchFilterError) throw invalidParameter(error.message, error.sentence);
    throw error;
  }
}

/** MLflow's tag naming a nested run's parent (`mlflow.start_run(nested=True)` sets it). */
export const PARENT_RUN_TAG = "mlflow.parentRunId";

export interface SearchScope {
  /**
   * Leave out runs nested under a run this search can show (an active run of the same experiments): the runs
   * table's collapsed tree. A run whose parent is deleted or elsewhere stays, so no run is unreachable.
   */
  topLevelOnly?: boolean;
  /** Conditions ANDed to the filter's, built by the studio rather than typed (one group of the grouped table). */
  extraClauses?: FilterClause[];
}

/** The matching runs as conditions on the runs row `r`: experiments, lifecycle, the filter and the scope. */
export function runConditions(
  input: Pick<z.output<typeof zSearchRuns>, "experiment_ids" | "filter" | "run_view_type">,
  scope: SearchScope = {},
): { conditions: SQL[]; clauses: FilterClause[] } {
  const clauses = [...withFilterErrors(() => parseSearchFilter(input.filter)), ...(scope.extraClauses ?? [])];
  const viewType = input.run_view_type ?? "ACTIVE_ONLY";
  const experimentIds = input.experiment_ids.map(Number);
  const conditions: SQL[] = [sql`r.experiment_id = any(${sql.param(experimentIds)}::int8[])`];
  if (viewType === "ACTIVE_ONLY") conditions.push(sql`r.lifecycle_stage = 'active'`);
  if (viewType === "DELETED_ONLY") conditions.push(sql`r.lifecycle_stage = 'deleted'`);
  for (const clause of clauses) conditions.push(clauseToSql(clause));
  if (scope.topLevelOnly) {
    conditions.push(sql`not exists (
      select 1 from tags pt join runs p on p.run_uuid = pt.value
      where pt.run_uuid = r.run_uuid and pt.key = ${PARENT_RUN_TAG}
        and p.lifecycle_stage = 'active' and p.experiment_id = any(${sql.param(experimentIds)}::int8[]))`);
  }
  return { conditions, clauses };
}

interface SearchPage {
  /** The page's runs as MLflow's JSON array, built by the database. */
  runsJson: string;
  nextPageToken?: string;
  /** The snapshot cache's object for this page: the same object while the page is kept (see searchRunsWire). */
  kept?: object;
}

/**
 * One query for the whole page: the matching run ids in order, then each page run with its params,
 * latest metrics, tags and inputs as JSON text built by the database. The page is read one run past
 * its end to learn whether another follows; that run is counted, not built.
 */
async function searchRunsPage(
  ctx: ServiceContext,
  input: z.output<typeof zSearchRuns>,
  columns?: RunColumnSelection,
  scope: SearchScope = {},
): Promise<SearchPage> {
  const { conditions, clauses } = runConditions(input, scope);
  const orders = withFilterErrors(() => (input.order_by ?? []).map(parseOrderBy));
  if (!input.experiment_ids.length) return { runsJson: "[]" };
  const limit = input.max_results ?? SEARCH_MAX_RESULTS_DEFAULT;
  const offset = decodePageToken(input.page_token);
  const required = requiredKeys(clauses);
  const ordering = orders.map((order, index) => orderToSql(order, index, required));
  const joins = ordering.flatMap((o) => (o.join ? [o.join] : []));
  const orderSql = [...ordering.map((o) => o.term), sql`r.start_time desc`, sql`r.run_uuid collate "C" asc`];

  // Who asks is part of the key although the answer does not depend on it today: a visibility rule added here
  // later must not serve one user's page to another.
  const key = JSON.stringify(["runs/search", ctx.actor.userId, input, columns ?? null, scope]);
  const page = await readThroughSnapshotCache(ctx.db, key, async (fresh) => {
    // row_number() numbers the materialized page in the order it was sorted; string_agg joins the runs by it
    // again (≤ max_results + 1 rows) rather than trusting an aggregate to keep its input order. `fresh` gates the
    // page: an unchanged snapshot reads no run.
    const query = sql`
      with page as materialized (
        select r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.lifecycle_stage, r.artifact_uri
        from runs r ${sql.join(joins, sql` `)}
        where ${sql.join([...conditions, fresh], sql` and `)}
        order by ${sql.join(orderSql, sql`, `)}
        limit ${limit + 1} offset ${offset}
      ), numbered as (
        select p.*, row_number() over () as ord from page p
      )
      select '[' || string_agg(${runJsonSql(columns)}, ',' order by u.ord) filter (where u.ord <= ${limit}) || ']' as runs,
             count(*) as n, ${fresh} as fresh, ${SNAPSHOT_SQL} as snapshot
      from numbered u`;
    const [row] = await queryRowsPrepared<{ runs: string | null; n: string | number; fresh: boolean; snapshot: string }>(ctx.db, query);
    if (!row.fresh) return { value: undefined, snapshot: row.snapshot };
    const more = Number(row.n) > limit;
    return { value: { text: row.runs ?? "[]", nextPageToken: more ? encodePageToken(offset + limit) : undefined }, snapshot: row.snapshot };
    // The page reads the runs of these experiments and what hangs off them (params, latest metrics, tags, inputs);
    // a parent run the scope looks up is one of them too.
  }, input.experiment_ids.map(Number));
  return { runsJson: page.text, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}), kept: page };
}

/** runs/search as objects (the runs table, exports, the seed); `columns` narrows which keys each run carries. */
export async function searchRuns(
  ctx: ServiceContext,
  input: z.output<typeof zSearchRuns>,
  columns?: RunColumnSelection,
  scope?: SearchScope,
): Promise<{ runs: Run[]; next_page_token?: string }> {
  const page = await searchRunsPage(ctx, input, columns, scope);
  return { runs: parseRunsJson(page.runsJson), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
}

/**
 * The answer's UTF-8 bytes per kept page: a search repeated while its page is kept (a dashboard polling, the bench's
 * repeated and after-a-write-elsewhere searches) writes them as they are, instead of joining and encoding the
 * page's text (tens of KB) again on every call. Weak: the bytes go when the cache drops the page.
 */
const wireOfKeptPage = new WeakMap<object, Buffer>();

/** runs/search as MLflow's response text: the database's JSON is sent as is, never parsed and encoded again. */
export async function searchRunsWire(ctx: ServiceContext, input: z.output<typeof zSearchRuns>): Promise<PreEncodedJson> {
  const page = await searchRunsPage(ctx, input);
  const known = page.kept && wireOfKeptPage.get(page.kept);
  if (known) return new PreEncodedJson(known);
  const token = page.nextPageToken ? `,"next_page_token":${JSON.stringify(page.nextPageToken)}` : "";
  const bytes = Buffer.from(`{"runs":${page.runsJson}${token}}`, "utf8");
  if (page.kept) wireOfKeptPage.set(page.kept, bytes);
  return new PreEncodedJson(bytes);
}
