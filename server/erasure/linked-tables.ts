// The one list of tables whose rows belong to a served request row (model, request id, row index): erasure removes the subject's rows from each.
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";

export interface SubjectRows {
  modelIds: number[];
  requestIds: string[];
  rowIndexes: number[];
}

type Executor = Pick<Database, "execute">;

export interface LinkedTable {
  /** Shown in the dry run and the audit entry. */
  table: string;
  count(tx: Executor, rows: SubjectRows): Promise<number>;
  erase(tx: Executor, rows: SubjectRows): Promise<number>;
}

const keyed = (rows: SubjectRows) =>
  sql`(model_id, request_id, row_index) in (select * from unnest(${sql.param(rows.modelIds)}::bigint[], ${sql.param(rows.requestIds)}::text[], ${sql.param(rows.rowIndexes)}::int[]))`;

/** A table with model_id, request_id and row_index columns: every label, current or superseded, goes. */
function requestRowTable(table: string): LinkedTable {
  const name = sql.identifier(table);
  return {
    table,
    count: async (tx, rows) => (await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from ${name} where ${keyed(rows)}`))[0].n,
    erase: async (tx, rows) => (await queryRows<{ n: number }>(tx, sql`with gone as (delete from ${name} where ${keyed(rows)} returning 1) select count(*)::int as n from gone`))[0].n,
  };
}

/**
 * Every table holding rows of served requests by (model_id, request_id, row_index), found in the catalogue so that a
 * table added later (the labelling queue's labels and items) is erased too without a change here: today
 * inference_feedback. The log itself is matched on its inputs instead (see service.ts).
 */
export async function linkedTables(tx: Executor): Promise<LinkedTable[]> {
  const rows = await queryRows<{ table: string }>(
    tx,
    sql`select table_name as "table" from information_schema.columns
        where table_schema = current_schema() and column_name in ('model_id', 'request_id', 'row_index') and table_name <> 'inference_log'
        group by table_name having count(distinct column_name) = 3 order by table_name`,
  );
  return rows.map((r) => requestRowTable(r.table));
}
