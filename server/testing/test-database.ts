// Fresh databases for tests: an in-memory PGlite always, and a throwaway PostgreSQL database when TEST_DATABASE_URL is set.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { migrationsFolder, openDatabase, pgliteExtensions, type DatabaseHandle } from "@/db/client";
import { LocalArtifactStore } from "../artifacts/store";
import { localActor, type Actor } from "../auth/actor";
import type { ServiceContext } from "../service-context";
import { ensureDefaultExperiment } from "../tracking/experiments";
import { dropDatabaseWhenIdle } from "./drop-database";

export type BackendKind = "pglite" | "postgres";

/** The backends this machine can test: PGlite always, PostgreSQL when TEST_DATABASE_URL answers. */
export const testBackends: BackendKind[] = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

if (!process.env.TEST_DATABASE_URL && !(globalThis as { warnedNoPg?: boolean }).warnedNoPg) {
  (globalThis as { warnedNoPg?: boolean }).warnedNoPg = true;
  console.log("[tests] TEST_DATABASE_URL is not set: PostgreSQL variants of the database tests are skipped; PGlite runs them.");
}

export interface TestStudio extends ServiceContext {
  handle: DatabaseHandle;
  artifactRoot: string;
  as(actor: Actor): ServiceContext;
  close(): Promise<void>;
}

/** Serialises the making of the PostgreSQL template across test processes (an arbitrary, fixed advisory lock key). */
const POSTGRES_TEMPLATE_LOCK = 7_302_118;
let postgresTemplate: Promise<string> | undefined;

/**
 * A database with every migration applied, made once per migration set and copied by CREATE DATABASE … TEMPLATE for
 * each test: a copy is a file copy on the server, where migrating each of the suite's fifty-odd databases replayed
 * every migration. Made under another name and renamed when complete, so no process copies a half-migrated one.
 */
async function ensurePostgresTemplate(adminUrl: string): Promise<string> {
  const { Client } = await import("pg");
  const name = `studio_template_${migrationsKey()}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query("select pg_advisory_lock($1)", [POSTGRES_TEMPLATE_LOCK]);
    const { rowCount } = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) {
      const building = `${name}_building_${process.pid}`;
      await admin.query(`drop database if exists ${building}`);
      await admin.query(`create database ${building}`);
      const url = new URL(adminUrl);
      url.pathname = `/${building}`;
      await (await openDatabase({ url: url.toString() })).close();
      // A closed pool's sockets can linger for a moment, and a database with sessions can be neither renamed nor copied.
      for (let attempt = 0; attempt < 50; attempt++) {
        const { rows } = await admin.query("select count(*)::int as n from pg_stat_activity where datname = $1", [building]);
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await admin.query(`alter database ${building} rename to ${name}`);
    }
  } finally {
    await admin.query("select pg_advisory_unlock($1)", [POSTGRES_TEMPLATE_LOCK]).catch(() => undefined);
    await admin.end();
  }
  return name;
}

async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const { Client } = await import("pg");
  const adminUrl = process.env.TEST_DATABASE_URL!;
  postgresTemplate ??= ensurePostgresTemplate(adminUrl);
  const template = await postgresTemplate;
  const name = `studio_test_${randomBytes(6).toString("hex")}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => dropDatabaseWhenIdle(adminUrl, name),
  };
}

/**
 * A PGlite data directory with every migration applied, dumped once and shared by all test files through a file
 * in the temp folder named after the migrations' content: starting from it takes ~1 s instead of ~3-4 s for
 * initdb plus 13 migrations, and the suite opens a hundred-odd databases. Written then renamed, so a file being
 * written by another test process is never read half-done.
 *
 * The image holds only the `postgres` database the tests use: initdb's template0 and template1 (15 of its 43 MB)
 * are dropped before the dump, since nothing creates a database on PGlite. Every PGlite a test opens unpacks the
 * image, and the slimmer one is ready in about two thirds of the time (bench/README.md, "The test suite's time").
 */
let migratedImage: Promise<Blob> | undefined;

function migrationsKey(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(entry.name).update(readFileSync(full));
    }
  };
  walk(migrationsFolder);
  const pgliteVersion = JSON.parse(readFileSync(path.join(process.cwd(), "node_modules", "@electric-sql", "pglite", "package.json"), "utf8")).version as string;
  return hash.update(pgliteVersion).digest("hex").slice(0, 16);
}

async function buildMigratedImage(): Promise<Blob> {
  // "postgres-only" in the name: an image of the earlier layout (with the templates) left in the temp folder is not reused.
  const file = path.join(os.tmpdir(), `studio-test-pglite-postgres-only-${migrationsKey()}.tar`);
  if (existsSync(file)) return new Blob([await readFile(file)]);
  const { PGlite } = await import("@electric-sql/pglite");
  const client = new PGlite({ extensions: await pgliteExtensions() });
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  await migrate(drizzle(client), { migrationsFolder });
  // template0 refuses connections and neither may be dropped while marked a template.
  await client.exec("UPDATE pg_database SET datistemplate = false, datallowconn = true WHERE datname IN ('template0', 'template1')");
  await client.exec("DROP DATABASE template0");
  await client.exec("DROP DATABASE template1");
  const image = await client.dumpDataDir("none");
  await client.close();
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, Buffer.from(await image.arrayBuffer()));
  await rename(partial, file);
  return image;
}

export async function createTestStudio(kind: BackendKind = "pglite"): Promise<TestStudio> {
  const artifactRoot = await mkdtemp(path.join(os.tmpdir(), "studio-artifacts-"));
  let handle: DatabaseHandle;
  let drop: () => Promise<void> = async () => undefined;
  if (kind === "postgres") {
    const created = await createPostgresDatabase();
    drop = created.drop;
    handle = await openDatabase({ url: created.url });
  } else {
    migratedImage ??= buildMigratedImage();
    handle = await openDatabase({ dataDir: ":memory:", loadDataDir: await migratedImage });
  }
  await ensureDefaultExperiment(handle.db);
  const artifacts = new LocalArtifactStore(artifactRoot);
  return {
    handle,
    db: handle.db,
    artifacts,
    actor: localActor,
    artifactRoot,
    as: (actor) => ({ db: handle.db, artifacts, actor }),
    close: async () => {
      await handle.close();
      await drop();
      await rm(artifactRoot, { recursive: true, force: true });
    },
  };
}
