// What every domain service receives: the database, the artifact store and the acting user.
import path from "node:path";
import { getDatabase, studioDataDir, type Database } from "@/db/client";
import { LocalArtifactStore, type ArtifactStore } from "./artifacts/store";
import { objectStorageConfig, objectStores, createS3Client, objectStorageProblem, type ObjectStorageConfig } from "./artifacts/object-storage";
import type { S3ArtifactStore } from "./artifacts/s3-store";
import { ReadCache } from "./artifacts/read-cache";
import type { Actor } from "./auth/actor";

export interface ServiceContext {
  db: Database;
  artifacts: ArtifactStore;
  actor: Actor;
}

export interface ObjectStorage {
  config: ObjectStorageConfig;
  artifacts: S3ArtifactStore;
  datasets: S3ArtifactStore;
  /** What is wrong with the bucket right now, or null when it answers. */
  problem(): Promise<string | null>;
}

const globalForArtifacts = globalThis as unknown as {
  studioArtifacts?: ArtifactStore;
  studioObjectStorage?: ObjectStorage | null;
  studioReadCache?: ReadCache;
};

/** The object storage STUDIO_ARTIFACTS selects (s3://bucket/prefix), or null for the local folders. */
export function getObjectStorage(): ObjectStorage | null {
  if (globalForArtifacts.studioObjectStorage === undefined) {
    const config = objectStorageConfig();
    if (!config) globalForArtifacts.studioObjectStorage = null;
    else {
      const client = createS3Client(config);
      globalForArtifacts.studioObjectStorage = { config, ...objectStores(config, client), problem: () => objectStorageProblem(config, client) };
    }
  }
  return globalForArtifacts.studioObjectStorage;
}

/**
 * The process-wide artifact store: the object storage's `<prefix>/artifacts` when STUDIO_ARTIFACTS is s3://...,
 * else the local folder STUDIO_ARTIFACT_ROOT, a local STUDIO_ARTIFACTS path, or `<data dir>/artifacts`.
 */
export function getArtifactStore(): ArtifactStore {
  globalForArtifacts.studioArtifacts ??=
    getObjectStorage()?.artifacts ??
    new LocalArtifactStore(
      path.resolve(
        /* turbopackIgnore: true */ process.env.STUDIO_ARTIFACT_ROOT ?? (process.env.STUDIO_ARTIFACTS?.trim() || path.join(studioDataDir(), "artifacts")),
      ),
    );
  return globalForArtifacts.studioArtifacts;
}

/** Local copies of object-stored files for DuckDB: STUDIO_CACHE_DIR (`<data dir>/cache`), capped at STUDIO_CACHE_MAX_BYTES (2 GiB). */
export function getReadCache(): ReadCache {
  const maxBytes = Number(process.env.STUDIO_CACHE_MAX_BYTES);
  globalForArtifacts.studioReadCache ??= new ReadCache(
    path.resolve(/* turbopackIgnore: true */ process.env.STUDIO_CACHE_DIR ?? path.join(studioDataDir(), "cache")),
    Number.isFinite(maxBytes) && maxBytes > 0 ? maxBytes : 2 * 1024 ** 3,
  );
  return globalForArtifacts.studioReadCache;
}

export async function getServiceContext(actor: Actor): Promise<ServiceContext> {
  const { db } = await getDatabase();
  return { db, artifacts: getArtifactStore(), actor };
}
