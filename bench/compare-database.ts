// Databases for bench/compare: a PostgreSQL database kept between runs (its 50M-point seed takes minutes)
// and reseeded only when its recorded seed shape differs, or a throwaway PGlite on disk seeded each run.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type DatabaseHandle } from "@/db/client";
import { findCompareSeed, seedCompareBench, type CompareSeed, type CompareSeedShape } from "./compare-seed";

export const COMPARE_DATABASE = "modelops_bench_compare";

export interface CompareBackend {
  name: "pglite" | "postgres";
  handle: DatabaseHandle;
  /** The PostgreSQL URL of the kept database, for a studio server to run against. */
  url?: string;
  seed: CompareSeed;
  shape: CompareSeedShape;
  /**
   * How a studio server reaches this database: its URL, or (PGlite, one process at a time) the data folder,
   * after this process has closed its own handle.
   */
  studioDatabase(): Promise<{ databaseUrl: string; dataDir?: string; env?: Record<string, string> }>;
  /** "seeded in 312 s" or "reused (seeded 2026-11-25 18:40, 312 s)". */
  seedNote: string;
  dispose(): Promise<void>;
}

function progress(backend: string) {
  return (message: string) => console.log(`[bench] compare seed on ${backend}: ${message}`);
}

export async function openComparePglite(shape: CompareSeedShape): Promise<CompareBackend> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "studio-bench-compare-"));
  const handle = await openDatabase({ dataDir: dir });
  const started = performance.now();
  const seed = await seedCompareBench(handle.db, shape, progress("pglite"));
  let open = true;
  const closeHandle = async () => {
    if (open) await handle.close();
    open = false;
  };
  return {
    name: "pglite",
    handle,
    seed,
    shape,
    seedNote: `seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    studioDatabase: async () => {
      await closeHandle();
      return { databaseUrl: "", dataDir: dir, env: { STUDIO_DATABASE: "pglite" } };
    },
    dispose: async () => {
      await closeHandle();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface SeedMarker {
  /** The shape as JSON text: compared as written, since jsonb would reorder its keys. */
  shape: string;
  seeded_at: string;
  seconds: number;
}

async function readMarker(handle: DatabaseHandle): Promise<SeedMarker | null> {
  const [table] = await queryRows<{ present: boolean }>(handle.db, sql`select to_regclass('public.bench_seed') is not null as present`);
  if (!table.present) return null;
  const [row] = await queryRows<SeedMarker>(handle.db, sql`select shape, to_char(seeded_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI UTC') as seeded_at, seconds from bench_seed`);
  return row ?? null;
}

/**
 * The kept database on the server named by BENCH_DATABASE_URL / TEST_DATABASE_URL (or the local one),
 * or null when no server answers. A marker table records the seed's shape; a missing or different
 * marker (an interrupted or older seed) drops the database and seeds it afresh.
 */
export async function openComparePostgres(shape: CompareSeedShape): Promise<CompareBackend | null> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const { Client } = await import("pg");
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`[bench] PostgreSQL at ${new URL(adminUrl).host} does not answer (${(error as Error).message}); its compare rows are skipped.`);
    await admin.end().catch(() => undefined);
    return null;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${COMPARE_DATABASE}`;
  try {
    const exists = await admin.query("select 1 from pg_database where datname = $1", [COMPARE_DATABASE]);
    if (exists.rowCount) {
      const handle = await openDatabase({ url: url.toString() });
      const marker = await readMarker(handle);
      if (marker && marker.shape === JSON.stringify(shape)) {
        return {
          name: "postgres",
          handle,
          url: url.toString(),
          seed: await findCompareSeed(handle.db),
          shape,
          seedNote: `reused (seeded ${marker.seeded_at} in ${marker.seconds.toFixed(0)} s)`,
          studioDatabase: async () => ({ databaseUrl: url.toString() }),
          dispose: () => handle.close(),
        };
      }
      await handle.close();
      console.log(`[bench] ${COMPARE_DATABASE}: ${marker ? "seeded with another shape" : "no complete seed"}; dropping it to seed afresh.`);
      await admin.query(`drop database ${COMPARE_DATABASE} with (force)`);
    }
    await admin.query(`create database ${COMPARE_DATABASE}`);
  } finally {
    await admin.end();
  }

  const handle = await openDatabase({ url: url.toString() });
  const started = performance.now();
  const seed = await seedCompareBench(handle.db, shape, progress("postgres"));
  const seconds = (performance.now() - started) / 1000;
  await handle.db.execute(sql`create table bench_seed (shape text not null, seeded_at timestamptz not null default now(), seconds float8 not null)`);
  await handle.db.execute(sql`insert into bench_seed (shape, seconds) values (${JSON.stringify(shape)}, ${seconds})`);
  return { name: "postgres", handle, url: url.toString(), seed, shape, seedNote: `seeded in ${seconds.toFixed(0)} s`, studioDatabase: async () => ({ databaseUrl: url.toString() }), dispose: () => handle.close() };
}
