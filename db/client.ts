// The database client factory: PGlite in the data folder by default, node-postgres when DATABASE_URL is set.
import path from "node:path";
import { mkdirSync } from "node:fs";
import { sql, type SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

export const migrationsFolder = path.join(/* turbopackIgnore: true */ process.cwd(), "db", "migrations");

/** Any fixed number works: it only has to be the same for every instance migrating this database. */
const MIGRATION_LOCK_KEY = 727_401_337;

export function studioDataDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), process.env.STUDIO_DATA_DIR ?? ".studio");
}

/**
 * Opens a database and applies the committed migrations. On PostgreSQL the migration runs under an
 * advisory lock so that several web instances starting together migrate once; PGlite is owned by a
 * single process, so no lock is needed there.
 */
export async function openDatabase(
  /** loadDataDir: an in-memory PGlite starts from this dump (dumpDataDir) instead of an empty cluster (tests). */
  options: { url?: string; dataDir?: string; loadDataDir?: Blob } = {},
): Promise<DatabaseHandle> {
  const url = options.url;
  if (url) {
    const { Pool } = await import("pg");
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    const pool = new Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
    const db = drizzle(pool, { schema });
    const lockClient = await pool.connect();
    try {
      await lockClient.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      await migrate(drizzle(lockClient, { schema }), { migrationsFolder });
    } finally {
      await lockClient.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
      lockClient.release();
    }
    return { db: db as unknown as Database, kind: "postgres", close: () => pool.end() };
  }

  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  let client: InstanceType<typeof PGlite>;
  if (options.dataDir === ":memory:") {
    client = new PGlite(options.loadDataDir ? { loadDataDir: options.loadDataDir } : undefined);
  } else {
    const dir = path.join(options.dataDir ?? studioDataDir(), "pgdata");
    mkdirSync(dir, { recursive: true });
    client = new PGlite(dir);
  }
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return { db: db as unknown as Database, kind: "pglite", close: () => client.close() };
}

const globalForDb = globalThis as unknown as { studioDb?: Promise<DatabaseHandle> };

/** The process-wide database, opened (and migrated) on first use. */
export function getDatabase(): Promise<DatabaseHandle> {
  globalForDb.studioDb ??= openDatabase({ url: process.env.DATABASE_URL || undefined });
  return globalForDb.studioDb;
}

export async function pingDatabase(db: Database): Promise<boolean> {
  await db.execute(sql`select 1`);
  return true;
}

/** Runs raw SQL and returns its rows; both drivers answer `{ rows }`. */
export async function queryRows<Row>(db: Pick<Database, "execute">, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}
