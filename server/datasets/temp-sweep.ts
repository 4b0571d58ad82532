// Removes temp files that a killed process left behind (dataset uploads in `<dataset root>/.tmp`, artifact `*.partial`).
import { lstat, readdir, rm } from "node:fs/promises";
import path from "node:path";

/**
 * How long a temp file may go unwritten before it counts as abandoned. An upload in progress writes its temp
 * file continuously; the longest pause is the masking of the largest Parquet file (4 GiB by DuckDB, tens of
 * minutes on two cores) or a client stalled on a slow link. Six hours is far beyond both, so a file that old
 * belongs to no live upload, even of another studio process sharing the folder.
 */
export const STALE_TEMP_AGE_MS = Number(process.env.STUDIO_STALE_TEMP_HOURS ?? 6) * 3600_000;

/** An artifact being written: `<target>.<uuid>.partial` (LocalArtifactStore.put); user files named *.partial are left alone. */
const ARTIFACT_PARTIAL = /\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.partial$/;

export interface SweepResult {
  files: number;
  bytes: number;
}

async function removeIfStale(file: string, cutoff: number, result: SweepResult): Promise<void> {
  const info = await lstat(file).catch(() => null);
  // lstat, and regular files only: a symlink planted in the folder is not followed anywhere.
  if (!info?.isFile() || info.mtimeMs >= cutoff) return;
  await rm(file, { force: true });
  result.files += 1;
  result.bytes += info.size;
}

/** A download into the read cache (read-cache.ts) that a killed process never renamed into place. */
const CACHE_INCOMING = /^\.incoming-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Every file in `<datasetRoot>/.tmp`, every artifact `*.partial` under `artifactRoot` and every unfinished download in
 * `cacheDir` not written for `maxAgeMs`.
 */
export async function sweepStaleTempFiles(
  roots: { datasetRoot: string; artifactRoot?: string; cacheDir?: string },
  options: { maxAgeMs?: number; now?: number } = {},
): Promise<SweepResult> {
  const cutoff = (options.now ?? Date.now()) - (options.maxAgeMs ?? STALE_TEMP_AGE_MS);
  const result: SweepResult = { files: 0, bytes: 0 };
  const tmp = path.join(roots.datasetRoot, ".tmp");
  for (const entry of await readdir(tmp, { withFileTypes: true }).catch(() => [])) {
    if (entry.isFile()) await removeIfStale(path.join(tmp, entry.name), cutoff, result);
  }
  if (roots.artifactRoot) {
    for (const entry of await readdir(roots.artifactRoot, { recursive: true, withFileTypes: true }).catch(() => [])) {
      if (entry.isFile() && ARTIFACT_PARTIAL.test(entry.name)) await removeIfStale(path.join(entry.parentPath, entry.name), cutoff, result);
    }
  }
  if (roots.cacheDir) {
    for (const entry of await readdir(roots.cacheDir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isFile() && CACHE_INCOMING.test(entry.name)) await removeIfStale(path.join(roots.cacheDir, entry.name), cutoff, result);
    }
  }
  return result;
}

/** "3 files, 314.2 MB" */
export function describeSweep(result: SweepResult): string {
  const mb = result.bytes / 1e6;
  return `${result.files} file${result.files === 1 ? "" : "s"}, ${mb >= 0.1 ? `${mb.toFixed(1)} MB` : `${result.bytes} bytes`}`;
}
