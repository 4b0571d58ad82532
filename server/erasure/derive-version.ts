// A new version of a dataset without a data subject's rows: the stored (already masked) file filtered by DuckDB, registered with the same masking record.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { and, eq, sql } from "drizzle-orm";
import { datasets, datasetVersions } from "@/db/schema";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { saltedHash } from "../datasets/csv-masker";
import { getDatasetRoot, newTempPath, newVersionFilePath, removeQuietly } from "../datasets/dataset-store";
import { datasetFilesAt, storeThenCommit } from "../datasets/dataset-files";
import { queryDatasetTextView, quoteIdentifier, quoteLiteral, withDuckDB, type DatasetFileFormat } from "../datasets/duckdb";
import { enqueueDatasetProfile } from "../datasets/profile-jobs";
import { findVersion } from "../datasets/registry";
import { invalidParameter, saidError } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import type { ServiceContext } from "../service-context";
import { zDerivedVersion, zDeriveWithoutSubject, type DerivedVersion, type DeriveWithoutSubject } from "./schema";
import { subjectKeyHash } from "./service";

async function sha256OfFile(file: string): Promise<{ digest: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { digest: hash.digest("hex"), size };
}

/**
 * The stored file is masked already, so it is filtered as it is (never masked twice) and the new version keeps the
 * masking record and PII findings of the one it comes from. The old version stays as it was: the caller retires it.
 */
export async function deriveVersionWithoutSubject(ctx: ServiceContext, input: DeriveWithoutSubject, root = getDatasetRoot()): Promise<DerivedVersion> {
  authorize(ctx.actor, "data.erase");
  authorize(ctx.actor, "datasets.write");
  const request = zDeriveWithoutSubject.parse(input);
  const { dataset, row } = await findVersion(ctx.db, request.dataset, request.version);
  const action = (row.maskingPolicy[request.column] as { action?: string } | undefined)?.action ?? "keep";
  if (action !== "keep" && action !== "hash") {
    throw invalidParameter(
      `Column '${request.column}' of ${request.dataset} v${request.version} is stored ${action === "drop" ? "dropped" : `masked (${action})`}: the key cannot be found in it, so there is nothing to remove.`,
      sentence("error.erasure.column_not_searchable", {
        column: request.column,
        dataset: request.dataset,
        version: String(request.version),
        storage: [action === "drop" ? sentence("term.column_storage.dropped") : sentence("term.column_storage.masked", { action })],
      }),
    );
  }
  if (!row.columns.includes(request.column)) {
    throw invalidParameter(`${request.dataset} v${request.version} has no column '${request.column}'.`, sentence("error.erasure.no_column", { dataset: request.dataset, version: String(request.version), column: request.column }));
  }
  const needle = action === "hash" ? saltedHash(dataset.hashSalt, request.value) : request.value;
  const format = row.format as DatasetFileFormat;
  const tempPath = await newTempPath(root, `.${format}`);
  const files = datasetFilesAt(root);
  const sourceFile = await files.localPath(row.storagePath);
  try {
    const counts = await withDuckDB(
      (connection) =>
        queryDatasetTextView(connection, sourceFile, format, async () => {
          const match = `CAST(${quoteIdentifier(request.column)} AS VARCHAR) = ${quoteLiteral(needle)}`;
          const reader = await connection.runAndReadAll(`SELECT count(*) FILTER (WHERE ${match}) AS removed, count(*) FILTER (WHERE NOT coalesce(${match}, false)) AS kept FROM t`);
          const [{ removed, kept }] = reader.getRowObjectsJS() as { removed: bigint; kept: bigint }[];
          if (Number(removed) > 0) {
            const options = format === "csv" ? "FORMAT csv, HEADER true" : "FORMAT parquet";
            await connection.run(`COPY (SELECT * FROM t WHERE NOT coalesce(${match}, false)) TO ${quoteLiteral(tempPath)} (${options})`);
          }
          return { removed: Number(removed), kept: Number(kept) };
        }),
      { threads: 1 },
    );
    if (counts.removed === 0) {
      throw saidError(
        "INVALID_STATE",
        `${request.dataset} v${request.version} holds no row whose '${request.column}' is that key: there is nothing to remove.`,
        sentence("error.erasure.no_row", { dataset: request.dataset, version: String(request.version), column: request.column }),
      );
    }
    const { digest, size } = await sha256OfFile(tempPath);
    // Stored before the transaction that records it, and removed if that fails (storeThenCommit).
    const storagePath = newVersionFilePath(dataset.datasetId, digest, format);
    const commit = () => ctx.db.transaction(async (tx) => {
      await tx.select({ id: datasets.datasetId }).from(datasets).where(eq(datasets.datasetId, dataset.datasetId)).for("update");
      const [same] = await tx.select().from(datasetVersions).where(and(eq(datasetVersions.datasetId, dataset.datasetId), eq(datasetVersions.digest, digest)));
      if (same) return { versionId: same.versionId, version: same.version, fresh: false };
      const [{ next }] = await tx
        .select({ next: sql<number>`coalesce(max(${datasetVersions.version}), 0)::int + 1` })
        .from(datasetVersions)
        .where(eq(datasetVersions.datasetId, dataset.datasetId));
      const now = Date.now();
      const [inserted] = await tx
        .insert(datasetVersions)
        .values({
          datasetId: dataset.datasetId,
          version: Number(next),
          digest,
          format,
          sizeBytes: size,
          storagePath,
          originalFilename: row.originalFilename,
          note: `Version ${row.version} without the ${counts.removed} row(s) of an erased data subject.`,
          rowCount: counts.kept,
          columns: row.columns,
          maskingPolicy: row.maskingPolicy,
          piiFindings: row.piiFindings,
          createdBy: ctx.actor.username,
          createdAt: now,
        })
        .returning({ versionId: datasetVersions.versionId, version: datasetVersions.version });
      await tx.update(datasets).set({ updatedAt: now }).where(eq(datasets.datasetId, dataset.datasetId));
      await recordAudit(tx, ctx.actor, {
        action: "dataset.version.derive-without-subject",
        targetType: "dataset_version",
        targetId: `${request.dataset}/${inserted.version}`,
        after: { from: row.version, rowsRemoved: counts.removed, rows: counts.kept, digest },
        meta: { keyHash: subjectKeyHash({ column: request.column, value: request.value }) },
      });
      return { ...inserted, fresh: true };
    });
    const created = await storeThenCommit(ctx.db, files, tempPath, storagePath, {
      commit,
      usesFile: (outcome) => outcome.fresh,
    });
    if (created.fresh) enqueueDatasetProfile(ctx.db, root, created.versionId);
    return zDerivedVersion.parse({ dataset: request.dataset, version: created.version, fromVersion: row.version, rowsRemoved: counts.removed, rows: counts.kept });
  } finally {
    await removeQuietly(tempPath);
  }
}
