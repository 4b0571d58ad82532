// Hot read statements sent as named prepared statements on node-postgres, optionally planned under transaction-local
// planner switches: the MLflow API's runs/search page and metric history pages, which clients repeat; and the one hot
// write, log-batch's all-new insert (server/tracking/metric-rollups.ts), whose planning cost as much.
import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { queryRows, type Database } from "./client";

/*
 * Why: PostgreSQL plans an unnamed statement on every execution. A runs/search page is one statement with a
 * correlated subquery per run and child table; planning it cost ~1.5 ms of the database's CPU per call (7.8 → 6.3
 * ms on the bench's page), about a fifth of the read. A named statement is planned a few times with its parameters,
 * then by a generic plan kept on the connection when that costs no more (plan_cache_mode auto).
 *
 * Every distinct statement text stays prepared on every pooled connection that ran it, so the number of names is
 * capped: filters are user input and their combinations are unbounded. Past the cap, statements run unnamed as
 * before.
 */
const PREPARED_MAX = 200;
const preparedNames = new Map<string, string>();
const dialect = new PgDialect();

interface PgQueryable {
  query(config: { text: string; values?: unknown[]; name?: string }): Promise<{ rows: unknown[] }>;
}
interface PgPoolLike extends PgQueryable {
  connect(): Promise<PgQueryable & { release(error?: Error | boolean): void }>;
}

/** node-postgres's pool behind a drizzle database, or null (PGlite, where a statement costs no round trip). */
function poolOf(db: Database): PgPoolLike | null {
  const client = (db as unknown as { $client?: unknown }).$client as Partial<PgPoolLike> & { totalCount?: unknown } | undefined;
  return client && typeof client.connect === "function" && typeof client.query === "function" && typeof client.totalCount === "number"
    ? (client as PgPoolLike)
    : null;
}

/**
 * Whether `db` runs on a node-postgres pool, not PGlite: Buffer parameters then go in binary, and statements can run side
 * by side on several connections.
 */
export function onNodePostgresPool(db: Database): boolean {
  return poolOf(db) !== null;
}

function statementOf(query: SQL): { text: string; values: unknown[]; name?: string } {
  const { sql: text, params } = dialect.sqlToQuery(query);
  let name = preparedNames.get(text);
  if (!name && preparedNames.size < PREPARED_MAX) {
    name = `studio_read_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    preparedNames.set(text, name);
  }
  return { text, values: params, ...(name ? { name } : {}) };
}

/** Planner switches a read may turn off for its own statement (never user input: the SQL is written from these). */
export type PlannerSwitch = "enable_sort" | "enable_bitmapscan" | "enable_seqscan";

/**
 * The rows of `query`, run as a named prepared statement on node-postgres (queryRows on PGlite). With `off`, the
 * statement is planned with those planner switches off, in a transaction of its own (set_config(…, true) semantics:
 * nothing outlives it). Node-postgres then needs three round trips where drizzle's transaction took four, and the
 * answer does not wait for the third (the commit of a transaction that wrote nothing): the connection goes back to
 * the pool once it is done.
 */
export async function queryRowsPrepared<Row>(db: Database, query: SQL, off: PlannerSwitch[] = []): Promise<Row[]> {
  const pool = poolOf(db);
  if (!pool) {
    if (!off.length) return queryRows<Row>(db, query);
    return db.transaction(async (tx) => {
      await tx.execute(sql`select ${sql.join(off.map((name) => sql`set_config(${name}, 'off', true)`), sql`, `)}`);
      return queryRows<Row>(tx, query);
    });
  }
  const statement = statementOf(query);
  if (!off.length) return (await pool.query(statement)).rows as Row[];
  const client = await pool.connect();
  try {
    await client.query({ text: `begin; ${off.map((name) => `set local ${name} = off`).join("; ")}` });
    const { rows } = await client.query(statement);
    client.query({ text: "commit" }).then(
      () => client.release(),
      (error: Error) => client.release(error),
    );
    return rows as Row[];
  } catch (error) {
    // The connection is dropped rather than reused in an unknown transaction state.
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}
