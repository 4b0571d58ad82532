// Which registry version a dataset logged by a run (MLflow log_input) is: by content digest, else by name and source.
import { desc, eq, inArray, sql } from "drizzle-orm";
import { datasets, datasetVersions } from "@/db/schema";
import type { Database } from "@/db/client";
import type { VersionRef } from "./schema";
import { readFile } from "node:fs/promises";
import { mlflowDigestOfCsv } from "@/lib/mlflow-pandas-digest";
import { getDatasetRoot } from "./dataset-store";
import { versionLocalPath } from "./dataset-files";

/** Files past this size are not read to compute MLflow's digest; they still match by SHA-256 or by name and source. */
const MAX_PANDAS_DIGEST_BYTES = 64 * 1024 * 1024;
/** Versions are immutable and content-addressed: their MLflow digest is computed once per process, keyed by SHA-256. */
const pandasDigestCache = new Map<string, Promise<string | null>>();

function pandasDigestOf(row: { digest: string; format: string; storagePath: string; sizeBytes: number }, root: string): Promise<string | null> {
  if (row.format !== "csv" || row.sizeBytes > MAX_PANDAS_DIGEST_BYTES) return Promise.resolve(null);
  let digest = pandasDigestCache.get(row.digest);
  if (!digest) {
    digest = versionLocalPath(root, row.storagePath).then((file) => readFile(file, "utf8")).then(mlflowDigestOfCsv, () => null);
    // A file missing in this store (another root) is not cached, so a later call with the right root computes it.
    void digest.then((value) => value === null && pandasDigestCache.delete(row.digest));
    pandasDigestCache.set(row.digest, digest);
  }
  return digest;
}

/** How a logged dataset was tied to a registry version; the pages say which. */
export type DatasetMatchKind = "content digest" | "name and source";
export type MatchedVersion = VersionRef & { matchedBy: DatasetMatchKind };

export interface LoggedDataset {
  name: string;
  digest: string;
  /** MLflow's source JSON, e.g. {"uri": "/data/train.csv"} or {"url": "https://…/train.csv"}. */
  source: string;
}

type Executor = Pick<Database, "select">;

/** The file name at the end of a logged source's uri, url or path, lower-cased; null when it names no file. */
export function sourceFileName(source: string): string | null {
  let location = source;
  try {
    const parsed: unknown = JSON.parse(source);
    if (parsed && typeof parsed === "object") {
      const fields = parsed as Record<string, unknown>;
      const found = [fields.uri, fields.url, fields.path, fields.source].find((v) => typeof v === "string");
      if (typeof found !== "string") return null;
      location = found;
    }
  } catch {
    // Not JSON: the source is the location itself.
  }
  const withoutQuery = location.split(/[?#]/)[0] ?? "";
  const last = withoutQuery.split(/[\\/]/).filter(Boolean).pop();
  return last && /\.[A-Za-z0-9]+$/.test(last) ? decodeURIComponent(last).toLowerCase() : null;
}

const normalDigest = (digest: string) => digest.trim().toLowerCase();
const isDigest = (digest: string) => /^[0-9a-f]{8,64}$/.test(digest);

/**
 * Each logged dataset's registry version, in input order (null when none matches):
 * 1. content digest: the logged digest is the stored file's SHA-256 (or its first 8+ hex characters), or, for a
 *    same-named CSV version, the digest MLflow computes of `from_pandas(pd.read_csv(file))`;
 * 2. name and source: `mlflow.data.from_pandas(df, source=…, name=…)` digests the DataFrame instead, so a dataset
 *    logged under the registry dataset's name (any case) whose source ends in the file name a version was uploaded
 *    as (or contains the dataset's recorded source) is that version; the latest such version wins.
 */
export async function matchLoggedDatasets(db: Executor, logged: LoggedDataset[], root = getDatasetRoot()): Promise<(MatchedVersion | null)[]> {
  if (!logged.length) return [];
  const digests = [...new Set(logged.map((l) => normalDigest(l.digest)).filter(isDigest))];
  const names = [...new Set(logged.map((l) => l.name.trim().toLowerCase()).filter(Boolean))];
  const columns = {
    datasetName: datasets.name,
    datasetSource: datasets.source,
    version: datasetVersions.version,
    digest: datasetVersions.digest,
    originalFilename: datasetVersions.originalFilename,
    format: datasetVersions.format,
    storagePath: datasetVersions.storagePath,
    sizeBytes: datasetVersions.sizeBytes,
    qualityStatus: datasetVersions.qualityStatus,
    qualityReason: datasetVersions.qualityReason,
  };
  const [byDigest, byName] = await Promise.all([
    digests.length
      ? db
          .select(columns)
          .from(datasetVersions)
          .innerJoin(datasets, eq(datasets.datasetId, datasetVersions.datasetId))
          .where(sql`${datasetVersions.digest} LIKE ANY(${sql`ARRAY[${sql.join(digests.map((d) => sql`${`${d}%`}`), sql`, `)}]::text[]`})`)
      : [],
    names.length
      ? db
          .select(columns)
          .from(datasetVersions)
          .innerJoin(datasets, eq(datasets.datasetId, datasetVersions.datasetId))
          .where(inArray(sql`lower(${datasets.name})`, names))
          .orderBy(desc(datasetVersions.version))
      : [],
  ]);
  type Row = (typeof byName)[number];
  const ref = (row: Row, matchedBy: DatasetMatchKind): MatchedVersion => ({
    datasetName: row.datasetName,
    version: row.version,
    digest: row.digest,
    qualityStatus: row.qualityStatus as VersionRef["qualityStatus"],
    qualityReason: row.qualityReason,
    matchedBy,
  });
  // MLflow digests a DataFrame, not its file: for an 8-character digest, compute that digest of each same-named CSV version.
  const mlflowDigests = new Map<string, string | null>();
  const wantsPandasDigest = logged.some((l) => /^[0-9a-f]{8}$/.test(normalDigest(l.digest)));
  if (wantsPandasDigest) {
    for (const row of byName) if (!mlflowDigests.has(row.digest)) mlflowDigests.set(row.digest, await pandasDigestOf(row, root));
  }
  return logged.map((item) => {
    const digest = normalDigest(item.digest);
    if (isDigest(digest)) {
      const row = byDigest.find((r) => r.digest.startsWith(digest));
      if (row) return ref(row, "content digest");
      const name = item.name.trim().toLowerCase();
      const computed = byName.find((r) => r.datasetName.toLowerCase() === name && mlflowDigests.get(r.digest) === digest);
      if (computed) return ref(computed, "content digest");
    }
    const name = item.name.trim().toLowerCase();
    const fileName = sourceFileName(item.source);
    const source = item.source.toLowerCase();
    const row = byName.find(
      (r) =>
        r.datasetName.toLowerCase() === name &&
        ((fileName !== null && r.originalFilename.toLowerCase() === fileName) || (r.datasetSource.trim() !== "" && source.includes(r.datasetSource.trim().toLowerCase()))),
    );
    return row ? ref(row, "name and source") : null;
  });
}
