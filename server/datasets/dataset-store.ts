// Where dataset version files live: `<root>/<dataset id>/<upload id>/<digest>.<csv|parquet>` (before: without the upload
// folder), written through a temp file and a rename.
import { mkdir, rename, rm, rmdir } from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { studioDataDir } from "@/db/client";
import type { DatasetFormat } from "./schema";

/** The dataset store's root: STUDIO_DATASET_ROOT, or `<data dir>/datasets`. */
export function getDatasetRoot(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.STUDIO_DATASET_ROOT ?? path.join(studioDataDir(), "datasets"));
}

/**
 * Relative path of a new version's file: `<dataset id>/<upload id>/<sha256>.<fmt>`. Named by its content (readers and
 * the read cache check the SHA-256), in a folder of this upload's own: the file is stored before the row that names it
 * is committed (storeThenCommit), and removing it when that commit fails must never take a file that a concurrent
 * registration of the same bytes committed. The id is a number, the upload id a UUID and the digest hex: the path
 * cannot leave the root. Versions stored before this have `<dataset id>/<sha256>.<fmt>`; rows say where each file is.
 */
export function newVersionFilePath(datasetId: number, digest: string, format: DatasetFormat): string {
  if (!/^[0-9a-f]{64}$/.test(digest)) throw new Error(`Not a SHA-256 digest: ${digest}`);
  if (!Number.isSafeInteger(datasetId) || datasetId < 1) throw new Error(`Not a dataset id: ${datasetId}`);
  return `${datasetId}/${randomUUID()}/${digest}.${format}`;
}

export function absoluteVersionPath(root: string, storagePath: string): string {
  const resolved = path.resolve(root, storagePath);
  if (!resolved.startsWith(path.resolve(root) + path.sep)) throw new Error("Dataset path escapes the store's root");
  return resolved;
}

/** A fresh private path for bytes being written; the caller renames it into place or removes it. */
export async function newTempPath(root: string, suffix: string): Promise<string> {
  const dir = path.join(root, ".tmp");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return path.join(dir, `${randomUUID()}${suffix}`);
}

export async function moveIntoPlace(root: string, tempPath: string, storagePath: string): Promise<void> {
  const target = absoluteVersionPath(root, storagePath);
  await mkdir(path.dirname(target), { recursive: true });
  await rename(tempPath, target);
}

export async function removeQuietly(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** Removes a version's file and then its folder if that is left empty (an upload's own folder, or a dataset's). */
export async function removeVersionFile(root: string, storagePath: string): Promise<void> {
  const file = absoluteVersionPath(root, storagePath);
  await removeQuietly(file);
  await rmdir(path.dirname(file)).catch(() => undefined);
}
