// Where dataset version files live: `<root>/<dataset id>/<digest>.<csv|parquet>`, written through a temp file and a rename.
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { studioDataDir } from "@/db/client";
import type { DatasetFormat } from "./schema";

/** The dataset store's root: STUDIO_DATASET_ROOT, or `<data dir>/datasets`. */
export function getDatasetRoot(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.STUDIO_DATASET_ROOT ?? path.join(studioDataDir(), "datasets"));
}

/** Relative path of a version's file; the digest is hex and the id a number, so it cannot leave the root. */
export function versionFilePath(datasetId: number, digest: string, format: DatasetFormat): string {
  if (!/^[0-9a-f]{64}$/.test(digest)) throw new Error(`Not a SHA-256 digest: ${digest}`);
  return `${datasetId}/${digest}.${format}`;
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
