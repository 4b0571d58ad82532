// Fresh databases for tests: an in-memory PGlite always, and a throwaway PostgreSQL database when TEST_DATABASE_URL is set.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { openDatabase, type DatabaseHandle } from "@/db/client";
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

async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const { Client } = await import("pg");
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `studio_test_${randomBytes(6).toString("hex")}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => dropDatabaseWhenIdle(adminUrl, name),
  };
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
    handle = await openDatabase({ dataDir: ":memory:" });
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
