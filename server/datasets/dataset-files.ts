// Where dataset version files are kept: the local dataset folder, or the object storage with a local read cache.
// Every reader and writer of version files goes through this, so neither knows which one is configured.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import type { ArtifactStore } from "../artifacts/store";
import type { ReadCache } from "../artifacts/read-cache";
import { notFound } from "../errors";
import { hasErrorCode } from "../registry/model-store-path";
import { getObjectStorage, getReadCache } from "../service-context";
import { eq } from "drizzle-orm";
import { isDatabaseUnavailable } from "@/db/availability";
import type { Database } from "@/db/client";
import { datasetVersions } from "@/db/schema";
import { absoluteVersionPath, moveIntoPlace, removeQuietly, removeVersionFile } from "./dataset-store";

export interface DatasetFileStore {
  /** A file on this machine holding the version's bytes (DuckDB reads files): the stored file, or a cached copy. */
  localPath(storagePath: string): Promise<string>;
  /** The version's bytes as a stream, for downloads (no cached copy needed). */
  open(storagePath: string): Promise<{ stream: Readable; size: number }>;
  /** Puts a finished temp file (from newTempPath) under its content-addressed path; the temp file is gone afterwards. */
  putFromTempFile(tempPath: string, storagePath: string): Promise<void>;
  /** Removes a version's file; an absent one is no error. */
  delete(storagePath: string): Promise<void>;
}

/** The dataset folder itself: files are read where they are, no copies. */
export class LocalDatasetFileStore implements DatasetFileStore {
  constructor(readonly root: string) {}

  async localPath(storagePath: string): Promise<string> {
    return absoluteVersionPath(this.root, storagePath);
  }

  async open(storagePath: string) {
    const file = absoluteVersionPath(this.root, storagePath);
    const { size } = await stat(file);
    return { stream: createReadStream(file), size };
  }

  putFromTempFile(tempPath: string, storagePath: string): Promise<void> {
    return moveIntoPlace(this.root, tempPath, storagePath);
  }

  delete(storagePath: string): Promise<void> {
    return removeVersionFile(this.root, storagePath);
  }
}

/** Version files in an object store (keys as the local paths: `<dataset id>/<sha256>.<fmt>`), read through the cache. */
export class ObjectDatasetFileStore implements DatasetFileStore {
  constructor(
    private readonly store: ArtifactStore,
    private readonly cache: ReadCache,
  ) {}

  localPath(storagePath: string): Promise<string> {
    // The file name is the content's SHA-256: the cache is keyed by it and checks it.
    return this.cache.file(path.posix.basename(storagePath), async () => (await this.open(storagePath)).stream);
  }

  async open(storagePath: string) {
    try {
      return await this.store.get(storagePath);
    } catch (error) {
      if (hasErrorCode(error, "RESOURCE_DOES_NOT_EXIST")) throw notFound(`The file of this dataset version (${storagePath}) is missing from the object storage.`);
      throw error;
    }
  }

  async putFromTempFile(tempPath: string, storagePath: string): Promise<void> {
    try {
      await this.store.put(storagePath, createReadStream(tempPath));
    } finally {
      await removeQuietly(tempPath);
    }
  }

  async delete(storagePath: string): Promise<void> {
    await this.store.delete(storagePath);
    // A deleted version may be an erased person's data: no copy of it stays on this machine either.
    await this.cache.forget(path.posix.basename(storagePath));
  }
}

/**
 * Stores a finished temp file (gone afterwards) under `storagePath` (newVersionFilePath: this upload's own key) before
 * the row that names it exists, then runs `commit`, the transaction that records it. So the upload (minutes, for a
 * large file to the object storage) holds no transaction, row lock or connection, and a commit that fails leaves no
 * file: the stored one is removed, as it is when the commit answers without using it (`usesFile`: the same bytes were
 * registered meanwhile). One doubt remains: a connection lost while committing may have committed all the same. Then
 * the database is asked whether a version names the file; if it cannot say, the file is kept (removing it could break
 * a committed version) and the log names it.
 */
export async function storeThenCommit<T>(
  db: Pick<Database, "select">,
  files: DatasetFileStore,
  tempPath: string,
  storagePath: string,
  steps: { commit: () => Promise<T>; usesFile: (result: T) => boolean },
): Promise<T> {
  await files.putFromTempFile(tempPath, storagePath);
  let result: T;
  try {
    result = await steps.commit();
  } catch (error) {
    const committed = isDatabaseUnavailable(error) ? await versionNames(db, storagePath).catch(() => null) : false;
    if (committed === false) await files.delete(storagePath);
    else if (committed === null) {
      console.warn(`[studio] kept dataset file ${storagePath}: its registration failed as the database went away, and whether it was committed is unknown; remove the file if no version names it`);
    }
    throw error;
  }
  if (!steps.usesFile(result)) await files.delete(storagePath);
  return result;
}

async function versionNames(db: Pick<Database, "select">, storagePath: string): Promise<boolean> {
  const rows = await db.select({ id: datasetVersions.versionId }).from(datasetVersions).where(eq(datasetVersions.storagePath, storagePath)).limit(1);
  return rows.length > 0;
}

const overrides = new Map<string, DatasetFileStore>();

/**
 * The version files of the dataset folder `root` (which also holds the temp files of uploads in progress): the
 * object storage when STUDIO_ARTIFACTS is s3://..., else the folder itself. Tests attach a store to their own
 * folder with useDatasetFileStore.
 */
export function datasetFilesAt(root: string): DatasetFileStore {
  const attached = overrides.get(path.resolve(root));
  if (attached) return attached;
  const objects = getObjectStorage();
  return objects ? new ObjectDatasetFileStore(objects.datasets, getReadCache()) : new LocalDatasetFileStore(root);
}

/** Makes `datasetFilesAt(root)` answer `files` until the returned function is called. */
export function useDatasetFileStore(root: string, files: DatasetFileStore): () => void {
  const key = path.resolve(root);
  const previous = overrides.get(key);
  overrides.set(key, files);
  // Detaching puts back the store it replaced (a test's narrower store inside a wider one).
  return () => {
    if (overrides.get(key) !== files) return;
    if (previous) overrides.set(key, previous);
    else overrides.delete(key);
  };
}

/** Shorthand for the commonest use: the local file DuckDB reads for a version. */
export function versionLocalPath(root: string, storagePath: string): Promise<string> {
  return datasetFilesAt(root).localPath(storagePath);
}
