// Erasure of one data subject: find their rows in the inference log (by a feature's value) and in every table keyed by those rows, count them (dry run), then erase in one transaction.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { inferenceLog } from "@/db/schema";
import { queryRows, type Database } from "@/db/client";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { findRegisteredModel } from "../registry/model-versions";
import type { ServiceContext } from "../service-context";
import { linkedTables, type SubjectRows } from "./linked-tables";
import { zSubjectKey, type ErasureCounts, type SubjectKey } from "./schema";

type Executor = Parameters<typeof findRegisteredModel>[0] & Pick<Database, "execute" | "select">;

interface MatchedEntry {
  logId: number;
  modelId: number;
  modelName: string;
  requestId: string;
  rowCount: number;
  /** Zero-based rows of the entry whose key feature holds the subject's value. */
  rows: number[];
}

/** What the audit log keeps of the key: enough to tell two erasures of one key apart from others, never the key. */
export function subjectKeyHash(key: { column: string; value: string }): string {
  return createHash("sha256").update(`${key.column}\0${key.value}`).digest("hex");
}

async function matchingEntries(tx: Executor, key: SubjectKey, modelId: number | null): Promise<MatchedEntry[]> {
  // The value is compared as text so "42" finds 42 (numbers) and "42" (text) alike; a full scan, as erasure is rare.
  const rows = await queryRows<{ logId: string | number; modelId: string | number; modelName: string; requestId: string; rowCount: number; rows: number[] }>(
    tx,
    sql`select l.log_id as "logId", l.model_id as "modelId", m.name as "modelName", l.request_id as "requestId", l.row_count as "rowCount",
          array_agg((e.i - 1)::int order by e.i) as rows
        from inference_log l
        join registered_models m on m.model_id = l.model_id
        cross join lateral jsonb_array_elements(case when jsonb_typeof(l.inputs -> ${key.column}) = 'array' then l.inputs -> ${key.column} else '[]'::jsonb end)
          with ordinality as e(v, i)
        where l.inputs ? ${key.column} and (e.v #>> '{}') = ${key.value}
          ${modelId === null ? sql`` : sql`and l.model_id = ${modelId}`}
        group by l.log_id, m.name
        order by l.log_id`,
  );
  return rows.map((r) => ({ ...r, logId: Number(r.logId), modelId: Number(r.modelId), rows: r.rows.map(Number) }));
}

/** Every (model, request, row) of the subject: a whole entry's rows when it goes, else only the matched ones. */
function subjectRowsOf(entries: MatchedEntry[]): SubjectRows {
  const out: SubjectRows = { modelIds: [], requestIds: [], rowIndexes: [] };
  const seen = new Set<string>();
  for (const entry of entries) {
    const rows = entry.rows.length >= entry.rowCount ? Array.from({ length: entry.rowCount }, (_, i) => i) : entry.rows;
    for (const row of rows) {
      // Shadow and production entries share a request id: one row key each.
      const id = `${entry.modelId}\0${entry.requestId}\0${row}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.modelIds.push(entry.modelId);
      out.requestIds.push(entry.requestId);
      out.rowIndexes.push(row);
    }
  }
  return out;
}

async function countsOf(tx: Executor, key: SubjectKey, entries: MatchedEntry[], linked: { table: string; rows: number }[]): Promise<ErasureCounts> {
  return {
    keyHash: subjectKeyHash(key),
    inferenceEntriesDeleted: entries.filter((e) => e.rows.length >= e.rowCount).length,
    inferenceEntriesRedacted: entries.filter((e) => e.rows.length < e.rowCount).length,
    inferenceRows: entries.reduce((sum, e) => sum + e.rows.length, 0),
    linkedRows: linked,
    models: [...new Set(entries.map((e) => e.modelName))].sort(),
  };
}

async function scopeModelId(tx: Executor, key: SubjectKey): Promise<number | null> {
  return key.modelName ? (await findRegisteredModel(tx, key.modelName)).modelId : null;
}

/** The dry run: what an erasure of this key would remove, changing nothing. */
export async function planErasure(ctx: ServiceContext, input: SubjectKey): Promise<ErasureCounts> {
  authorize(ctx.actor, "data.erase");
  const key = zSubjectKey.parse(input);
  const entries = await matchingEntries(ctx.db, key, await scopeModelId(ctx.db, key));
  const rows = subjectRowsOf(entries);
  const linked = [];
  for (const table of await linkedTables(ctx.db)) linked.push({ table: table.table, rows: rows.modelIds.length ? await table.count(ctx.db, rows) : 0 });
  return countsOf(ctx.db, key, entries, linked);
}

/**
 * Erases in one transaction: linked rows (feedback, labels), then log entries that are wholly the subject's, and in
 * batch entries the subject's rows are blanked (every feature null) so other people's rows and row numbers stay.
 * The audit entry has the counts and the key's hash, never the key or what was erased.
 */
export async function eraseSubject(ctx: ServiceContext, input: SubjectKey): Promise<ErasureCounts> {
  authorize(ctx.actor, "data.erase");
  const key = zSubjectKey.parse(input);
  return ctx.db.transaction(async (tx) => {
    const entries = await matchingEntries(tx, key, await scopeModelId(tx, key));
    // Lock what will change, so a concurrent feedback post cannot land between counting and deleting.
    if (entries.length) await queryRows(tx, sql`select 1 from inference_log where log_id = any(${sql.param(entries.map((e) => e.logId))}::bigint[]) for update`);
    const rows = subjectRowsOf(entries);
    const linked = [];
    for (const table of await linkedTables(tx)) linked.push({ table: table.table, rows: rows.modelIds.length ? await table.erase(tx, rows) : 0 });
    const whole = entries.filter((e) => e.rows.length >= e.rowCount).map((e) => e.logId);
    if (whole.length) await tx.execute(sql`delete from inference_log where log_id = any(${sql.param(whole)}::bigint[])`);
    const partial = entries.filter((e) => e.rows.length < e.rowCount);
    if (partial.length) {
      const stored = await tx
        .select({ logId: inferenceLog.logId, inputs: inferenceLog.inputs })
        .from(inferenceLog)
        .where(sql`${inferenceLog.logId} = any(${sql.param(partial.map((e) => e.logId))}::bigint[])`);
      const blankRows = new Map(partial.map((e) => [e.logId, new Set(e.rows)]));
      const redacted = stored.map(({ logId, inputs }) => {
        const blank = blankRows.get(logId)!;
        return {
          logId,
          inputs: Object.fromEntries(Object.entries(inputs).map(([feature, values]) => [feature, Array.isArray(values) ? values.map((v, i) => (blank.has(i) ? null : v)) : values])),
        };
      });
      await tx.execute(
        sql`update inference_log l set inputs = r.inputs
            from (select unnest(${sql.param(redacted.map((r) => r.logId))}::bigint[]) as log_id, unnest(${sql.param(redacted.map((r) => JSON.stringify(r.inputs)))}::jsonb[]) as inputs) r
            where l.log_id = r.log_id`,
      );
    }
    const counts = await countsOf(tx, key, entries, linked);
    await recordAudit(tx, ctx.actor, {
      action: "data.erase",
      targetType: "data_subject",
      targetId: counts.keyHash,
      after: {
        inferenceEntriesDeleted: counts.inferenceEntriesDeleted,
        inferenceEntriesRedacted: counts.inferenceEntriesRedacted,
        inferenceRows: counts.inferenceRows,
        linkedRows: counts.linkedRows,
        models: counts.models,
      },
      meta: key.modelName ? { scope: key.modelName } : {},
    });
    return counts;
  });
}

/** For tests and the page: whether the log still has any of the subject's values (after an erasure: none). */
export async function subjectStillLogged(db: Executor, key: SubjectKey): Promise<boolean> {
  const model = key.modelName ? await findRegisteredModel(db, key.modelName) : null;
  return (await matchingEntries(db, key, model?.modelId ?? null)).length > 0;
}
