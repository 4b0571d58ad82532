// Which registered dataset versions hold a data subject's key: DuckDB over the stored (masked) files, a hashed column searched by its salted hash.
import { eq } from "drizzle-orm";
import { datasets, datasetVersions } from "@/db/schema";
import { authorize } from "../auth/permissions";
import { saltedHash } from "../datasets/csv-masker";
import { getDatasetRoot } from "../datasets/dataset-store";
import { versionLocalPath } from "../datasets/dataset-files";
import { describeRelation, queryDatasetTextView, quoteIdentifier, quoteLiteral, withDuckDB, type DatasetFileFormat } from "../datasets/duckdb";
import type { ServiceContext } from "../service-context";
import { zSubjectKey, type DatasetSearch, type SubjectKey } from "./schema";

/**
 * Every version whose file has the column is searched (one DuckDB for all, one thread: this runs beside the web server).
 * A "keep" column is compared as text; a "hash" column by the dataset's salted hash of the value; a dropped,
 * redacted or generalised column cannot hold the key as given, so it is listed with rows = null.
 */
export async function findSubjectInDatasets(ctx: ServiceContext, input: SubjectKey, root = getDatasetRoot()): Promise<DatasetSearch> {
  authorize(ctx.actor, "data.erase");
  const key = zSubjectKey.parse(input);
  const versions = await ctx.db
    .select({
      dataset: datasets.name,
      salt: datasets.hashSalt,
      version: datasetVersions.version,
      format: datasetVersions.format,
      storagePath: datasetVersions.storagePath,
      masking: datasetVersions.maskingPolicy,
    })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.datasetId, datasetVersions.datasetId))
    .orderBy(datasets.name, datasetVersions.version);
  const result: DatasetSearch = { matches: [], searchedVersions: 0, unreadable: [] };
  await withDuckDB(
    async (connection) => {
      for (const v of versions) {
        const label = `${v.dataset} v${v.version}`;
        try {
          await queryDatasetTextView(connection, await versionLocalPath(root, v.storagePath), v.format as DatasetFileFormat, async () => {
            const columns = await describeRelation(connection, "t");
            const action = (v.masking[key.column] as { action?: string } | undefined)?.action ?? "keep";
            if (action === "drop") {
              result.matches.push({ dataset: v.dataset, version: v.version, rows: null, columnMasking: action });
              return;
            }
            if (!columns.some((c) => c.name === key.column)) return;
            result.searchedVersions++;
            if (action !== "keep" && action !== "hash") {
              result.matches.push({ dataset: v.dataset, version: v.version, rows: null, columnMasking: action });
              return;
            }
            const needle = action === "hash" ? saltedHash(v.salt, key.value) : key.value;
            const reader = await connection.runAndReadAll(`SELECT count(*) AS n FROM t WHERE CAST(${quoteIdentifier(key.column)} AS VARCHAR) = ${quoteLiteral(needle)}`);
            const n = Number(reader.getRowObjectsJS()[0].n);
            if (n > 0) result.matches.push({ dataset: v.dataset, version: v.version, rows: n, columnMasking: action });
          });
        } catch {
          // A missing or damaged file must not hide the other versions: it is named so someone can look at it.
          result.unreadable.push(label);
        }
      }
    },
    { threads: 1 },
  );
  return result;
}
