// The database client factory: node-postgres when DATABASE_URL is set; otherwise the embedded PostgreSQL in the
// data folder (db/embedded-postgres.ts), or PGlite there when asked for (STUDIO_DATABASE=pglite) or when the folder
// already holds a PGlite database from before the embedded PostgreSQL became the default.
import path from "node:path";
import { existsSync, mkdirSync } from "node:fs";
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";
import { onProcessShutdown, SHUTDOWN_ORDER } from "@/server/process-shutdown";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  /** What the start-up line says this database is, e.g. "embedded PostgreSQL in .studio/postgres". */
  description?: string;
  /** The embedded PostgreSQL's connection URL (holds its password: never print it), for worker processes to share it. */
  embeddedUrl?: string;
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
    // A connect attempt gives up after DATABASE_CONNECT_TIMEOUT_MS (default 5 s): an unreachable server then fails the
    // query (503, see db/availability.ts) instead of holding the request; the pool reconnects on the next query.
    const pool = new Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10), connectionTimeoutMillis: Number(process.env.DATABASE_CONNECT_TIMEOUT_MS) || 5_000 });
    // An idle connection the server closes (a restart; the embedded PostgreSQL's fast shutdown as the studio stops)
    // is an 'error' event on the pool: unhandled, it ended the process as an uncaught exception. The pool drops
    // that connection and opens another on the next query.
    pool.on("error", (error: Error & { code?: string }) => {
      if (error.code !== "57P01") console.warn(`[studio] an idle database connection failed and was dropped: ${error.message}`);
    });
    const db = drizzle(pool, { schema });
    try {
      const lockClient = await pool.connect();
      try {
        await lockClient.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        await migrate(drizzle(lockClient, { schema }), { migrationsFolder });
      } finally {
        await lockClient.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
        lockClient.release();
      }
    } catch (error) {
      // An unreachable server: the caller opens another pool when it tries again, so this one must not linger.
      await pool.end().catch(() => undefined);
      throw error;
    }
    return { db: db as unknown as Database, kind: "postgres", close: () => closeWithHooks(db as unknown as Database, () => pool.end()) };
  }

  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const extensions = await pgliteExtensions();
  let client: InstanceType<typeof PGlite>;
  if (options.dataDir === ":memory:") {
    client = new PGlite({ loadDataDir: options.loadDataDir, extensions });
  } else {
    const dir = path.join(options.dataDir ?? studioDataDir(), "pgdata");
    mkdirSync(dir, { recursive: true });
    client = new PGlite(dir, { extensions });
  }
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return { db: db as unknown as Database, kind: "pglite", close: () => closeWithHooks(db as unknown as Database, () => client.close()) };
}

/**
 * The contrib extensions every PGlite of the studio loads: pg_trgm, whose trigram GIN indexes serve the command
 * palette's search (migration 0021). A database with those indexes needs the extension loaded to write those tables,
 * so anything that opens a studio PGlite database passes these.
 */
export async function pgliteExtensions() {
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  return { pg_trgm };
}

/** What else holds a connection of a database (e.g. a LISTEN connection), to end before its pool closes. */
const closeHooks = new WeakMap<object, (() => Promise<void>)[]>();

export function onDatabaseClose(db: Database, hook: () => Promise<void>): void {
  closeHooks.set(db, [...(closeHooks.get(db) ?? []), hook]);
}

async function closeWithHooks(db: Database, close: () => Promise<void>): Promise<void> {
  const hooks = closeHooks.get(db) ?? [];
  closeHooks.delete(db);
  await Promise.all(hooks.map((hook) => hook().catch(() => undefined)));
  await close();
}

/** The data folder as the console shows it: relative inside the working directory, absolute elsewhere. */
function shownPath(dataDir: string): string {
  const relative = path.relative(process.cwd(), dataDir);
  return relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? dataDir : relative;
}

const StudioDatabaseChoice = z.enum(["postgres", "pglite"], {
  error: (issue) => `STUDIO_DATABASE must be 'postgres' (the embedded PostgreSQL, the default) or 'pglite' (WebAssembly PostgreSQL in the process); got '${String(issue.input)}'.`,
});

/**
 * Which embedded database a data folder uses. A folder with a PGlite database (pgdata/) and no embedded
 * PostgreSQL cluster keeps PGlite unless STUDIO_DATABASE says otherwise: switching silently would show an empty
 * studio, and moving the data is the user's call (README: "Where the data lives").
 */
export function chooseEmbeddedDatabase(dataDir: string, requested: string | undefined): { kind: "postgres" | "pglite"; notice?: string } {
  if (requested) {
    const parsed = StudioDatabaseChoice.safeParse(requested);
    if (!parsed.success) throw new Error(parsed.error.issues[0]!.message);
    return { kind: parsed.data };
  }
  // pgdata/ is openDatabase's PGlite folder, postgres/ the embedded PostgreSQL's cluster (db/embedded-postgres.ts).
  if (existsSync(path.join(dataDir, "pgdata")) && !existsSync(path.join(dataDir, "postgres"))) {
    const shown = shownPath(dataDir);
    return {
      kind: "pglite",
      notice:
        `[studio] ${shown}/pgdata holds a PGlite database from an earlier version: the studio keeps using it. ` +
        `The embedded PostgreSQL (the default now, faster) starts with STUDIO_DATABASE=postgres, in ${shown}/postgres, empty: ` +
        `the PGlite data stays where it is, and STUDIO_DATABASE=pglite goes back to it.`,
    };
  }
  return { kind: "postgres" };
}

/** DATABASE_URL's server, or the data folder's embedded database (PostgreSQL by default, started here or attached to). */
export async function openDefaultDatabase(env: Record<string, string | undefined> = process.env): Promise<DatabaseHandle> {
  if (env.DATABASE_URL) return openDatabase({ url: env.DATABASE_URL });
  const dataDir = studioDataDir();
  const shown = shownPath(dataDir);
  const choice = chooseEmbeddedDatabase(dataDir, env.STUDIO_DATABASE || undefined);
  if (choice.notice) console.log(choice.notice);
  if (choice.kind === "pglite") {
    const handle = await openDatabase({ dataDir });
    return { ...handle, description: `embedded PGlite in ${shown}/pgdata` };
  }
  const { ensureEmbeddedPostgres } = await import("./embedded-postgres");
  const server = await ensureEmbeddedPostgres(dataDir);
  const handle = await openDatabase({ url: server.url });
  return {
    ...handle,
    description: `embedded PostgreSQL in ${shown}/postgres, 127.0.0.1:${server.port}${server.owner ? "" : ", shared with the studio process that started it"}`,
    embeddedUrl: server.url,
    close: async () => {
      await handle.close();
      await server.stop();
    },
  };
}

const globalForDb = globalThis as unknown as { studioDb?: Promise<DatabaseHandle> };

/**
 * The process-wide database, opened (and migrated) on first use. An opening that fails is forgotten once it has
 * failed, so the next call tries again: a web instance started while its database was unreachable answers 503 until
 * the database answers, then opens it (see instrumentation.ts), instead of keeping the first failure for good.
 */
export function getDatabase(): Promise<DatabaseHandle> {
  if (!globalForDb.studioDb) {
    const opening = openDefaultDatabase();
    globalForDb.studioDb = opening;
    opening.catch(() => {
      if (globalForDb.studioDb === opening) globalForDb.studioDb = undefined;
    });
    // Graceful shutdown closes it last (scripts/graceful-shutdown.mjs; the order is server/process-shutdown.ts's).
    onProcessShutdown("database", SHUTDOWN_ORDER.database, async () => {
      const handle = await opening.catch(() => null);
      if (globalForDb.studioDb === opening) globalForDb.studioDb = undefined;
      await handle?.close();
    });
  }
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

/** Where the web server (scripts/server.mjs, outside Next.js's bundles) finds publishDatabaseProbe's check. */
const DATABASE_PROBE_KEY = Symbol.for("modelops-studio.databaseProbe");

/**
 * Publishes a check that the process-wide database answers `select 1`, opening it first if it never was: the web
 * server's outage gate asks it, so a process started while its database was unreachable finds out when it is back.
 */
export function publishDatabaseProbe(): void {
  (globalThis as Record<symbol, unknown>)[DATABASE_PROBE_KEY] = async () => {
    await pingDatabase((await getDatabase()).db);
  };
}
