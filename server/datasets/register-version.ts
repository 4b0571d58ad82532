// Registering a dataset version: the upload is streamed through the PII masker into a private temp file,
// named by the SHA-256 of the masked bytes, renamed into place and recorded in one transaction.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { open } from "node:fs/promises";
import { Transform, type Readable, type TransformCallback } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import { and, eq, sql } from "drizzle-orm";
import { datasets, datasetVersions } from "@/db/schema";
import type { Database } from "@/db/client";
import { createPiiScanner, type PiiFinding } from "@/lib/pii";
import { zMaskingPolicy, type MaskingPolicy } from "@/lib/masking";
import { DomainError, invalidParameter } from "../errors";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import type { ServiceContext } from "../service-context";
import { maskCsvStream } from "./csv-masker";
import { maskParquetFile, sampleParquetRows } from "./parquet-masker";
import { absoluteVersionPath, moveIntoPlace, newTempPath, removeQuietly, versionFilePath } from "./dataset-store";
import { enqueueDatasetProfile } from "./profile-jobs";
import { toVersionDetail } from "./registry";
import { zRegisterVersionMeta, type RegisteredVersion, type RegisterVersionMeta } from "./schema";

/** Uploads larger than this are refused (the issue asks for at least 2 GB). */
export const MAX_DATASET_BYTES = Number(process.env.STUDIO_MAX_DATASET_BYTES ?? 4 * 1024 ** 3);

interface MaskedFile {
  tempPath: string;
  digest: string;
  sizeBytes: number;
  rowCount: number;
  columns: string[];
  piiFindings: PiiFinding[];
}

class ByteLimit extends Transform {
  private seen = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    this.seen += chunk.length;
    if (this.seen > this.maxBytes) done(tooLarge(this.maxBytes));
    else done(null, chunk);
  }
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError("RESOURCE_EXHAUSTED", `The file is larger than the ${(maxBytes / 1024 ** 3).toFixed(1)} GiB upload limit.`);
}

async function sha256OfFile(file: string): Promise<{ digest: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { digest: hash.digest("hex"), size };
}

async function maskCsvUpload(root: string, body: Readable, policy: MaskingPolicy, salt: string, maxBytes: number): Promise<MaskedFile> {
  const tempPath = await newTempPath(root, ".csv");
  const output = createWriteStream(tempPath, { mode: 0o600 });
  try {
    const result = await maskCsvStream(body, output, { policy, salt, maxBytes });
    if (!output.writableFinished) await finished(output);
    return {
      tempPath,
      digest: result.sha256,
      sizeBytes: result.bytesOut,
      rowCount: result.rowCount,
      columns: result.outputHeader,
      piiFindings: result.piiFindings,
    };
  } catch (error) {
    body.destroy();
    // The stream opens its file asynchronously: removing the file before the stream has closed could let a
    // late open create it again, leaving a stray temp file behind a refused upload.
    if (!output.closed) {
      const closed = new Promise<void>((resolve) => output.once("close", () => resolve()));
      output.destroy();
      await closed;
    }
    await removeQuietly(tempPath);
    throw error;
  }
}

/**
 * Parquet cannot be masked as a stream (its footer comes last), so the upload lands in a private temp
 * file that is deleted as soon as DuckDB has written the masked copy, whatever happens.
 */
async function maskParquetUpload(root: string, body: Readable, policy: MaskingPolicy, salt: string, maxBytes: number): Promise<MaskedFile> {
  const rawPath = await newTempPath(root, ".upload.parquet");
  const maskedPath = await newTempPath(root, ".parquet");
  try {
    await pipeline(body, new ByteLimit(maxBytes), createWriteStream(rawPath, { mode: 0o600 }));
    const handle = await open(rawPath, "r");
    const magic = Buffer.alloc(4);
    const { size } = await handle.stat();
    await handle.read(magic, 0, 4, 0);
    await handle.close();
    if (size === 0) throw invalidParameter("The file is empty: choose a Parquet file with at least one row.");
    if (magic.toString("latin1") !== "PAR1") throw invalidParameter("The file is not Parquet (it does not start with 'PAR1'): choose a .parquet file or upload it as CSV.");
    const sample = await sampleParquetRows(rawPath, 10_000);
    const scanner = createPiiScanner(sample.header);
    for (const row of sample.rows) scanner.addRow(row);
    const unknown = Object.keys(policy).filter((column) => !sample.header.includes(column));
    if (unknown.length) throw invalidParameter(`The masking policy names columns the file does not have: ${unknown.map((c) => `'${c}'`).join(", ")}.`);
    const masked = await maskParquetFile(rawPath, maskedPath, policy, salt);
    const { digest, size: sizeBytes } = await sha256OfFile(maskedPath);
    return { tempPath: maskedPath, digest, sizeBytes, rowCount: masked.rowCount, columns: masked.outputHeader, piiFindings: scanner.findings() };
  } catch (error) {
    body.destroy();
    await removeQuietly(maskedPath);
    throw error;
  } finally {
    await removeQuietly(rawPath);
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === "23505") return true;
  }
  return false;
}

async function existingVersion(db: Pick<Database, "select">, datasetId: number, digest: string) {
  const [row] = await db.select().from(datasetVersions).where(and(eq(datasetVersions.datasetId, datasetId), eq(datasetVersions.digest, digest)));
  return row;
}

/**
 * Registers the uploaded bytes as a version of dataset `meta.name` (created on first upload).
 * The same masked bytes twice are one version: the second call stores nothing and says so.
 */
export async function registerDatasetVersion(
  ctx: ServiceContext,
  root: string,
  metaInput: RegisterVersionMeta,
  body: Readable,
  options: { maxBytes?: number; /** Leave profiling to the caller (who declares rules first). */ profileLater?: boolean } = {},
): Promise<RegisteredVersion & { versionId: number }> {
  authorize(ctx.actor, "datasets.write");
  const meta = zRegisterVersionMeta.parse(metaInput);
  const policy = zMaskingPolicy.parse(meta.masking);
  const maxBytes = options.maxBytes ?? MAX_DATASET_BYTES;
  const [known] = await ctx.db.select().from(datasets).where(eq(datasets.name, meta.name));
  const salt = known?.hashSalt ?? randomBytes(32).toString("hex");

  const masked =
    meta.format === "csv"
      ? await maskCsvUpload(root, body, policy, salt, maxBytes)
      : await maskParquetUpload(root, body, policy, salt, maxBytes);

  for (const column of [meta.labelColumn, ...(meta.sensitiveAttributes ?? [])]) {
    if (column && !masked.columns.includes(column)) {
      await removeQuietly(masked.tempPath);
      throw invalidParameter(`Column '${column}' (label or sensitive attribute) is not in the stored file${policy[column]?.action === "drop" ? ": it is dropped by the masking policy" : ""}.`);
    }
  }

  if (known) {
    const existing = await existingVersion(ctx.db, known.datasetId, masked.digest);
    if (existing) {
      await removeQuietly(masked.tempPath);
      return { created: false, datasetCreated: false, version: toVersionDetail(meta.name, existing), versionId: existing.versionId };
    }
  }

  let placed: string | null = null;
  try {
    const result = await ctx.db.transaction(async (tx) => {
      const now = Date.now();
      let dataset = known ? (await tx.select().from(datasets).where(eq(datasets.datasetId, known.datasetId)))[0] : undefined;
      const datasetCreated = !dataset;
      if (!dataset) {
        [dataset] = await tx
          .insert(datasets)
          .values({
            name: meta.name,
            description: meta.description ?? "",
            source: meta.source ?? "",
            licence: meta.licence ?? "",
            owner: ctx.actor.username,
            labelColumn: meta.labelColumn || null,
            sensitiveAttributes: meta.sensitiveAttributes ?? [],
            hashSalt: salt,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await recordAudit(tx, ctx.actor, { action: "dataset.create", targetType: "dataset", targetId: meta.name, after: { name: meta.name, owner: ctx.actor.username } });
      }
      const datasetId = dataset!.datasetId;
      const [{ next }] = (await tx
        .select({ next: sql<number>`coalesce(max(${datasetVersions.version}), 0)::int + 1` })
        .from(datasetVersions)
        .where(eq(datasetVersions.datasetId, datasetId))) as [{ next: number }];
      const storagePath = versionFilePath(datasetId, masked.digest, meta.format);
      await moveIntoPlace(root, masked.tempPath, storagePath);
      placed = storagePath;
      const [row] = await tx
        .insert(datasetVersions)
        .values({
          datasetId,
          version: Number(next),
          digest: masked.digest,
          format: meta.format,
          sizeBytes: masked.sizeBytes,
          storagePath,
          originalFilename: meta.filename ?? "",
          note: meta.note ?? "",
          rowCount: masked.rowCount,
          columns: masked.columns,
          maskingPolicy: policy,
          piiFindings: masked.piiFindings,
          createdBy: ctx.actor.username,
          createdAt: now,
        })
        .returning();
      await tx.update(datasets).set({ updatedAt: now }).where(eq(datasets.datasetId, datasetId));
      await recordAudit(tx, ctx.actor, {
        action: "dataset.version.register",
        targetType: "dataset_version",
        targetId: `${meta.name}/${row!.version}`,
        after: { digest: masked.digest, format: meta.format, rows: masked.rowCount, masking: policy },
      });
      return { datasetCreated, row: row! };
    });
    if (!options.profileLater) enqueueDatasetProfile(ctx.db, root, result.row.versionId);
    return { created: true, datasetCreated: result.datasetCreated, version: toVersionDetail(meta.name, result.row), versionId: result.row.versionId };
  } catch (error) {
    await removeQuietly(masked.tempPath);
    // Another upload of the same bytes (or of the same new dataset) may have won the race: answer with its version.
    const [dataset] = isUniqueViolation(error) ? await ctx.db.select().from(datasets).where(eq(datasets.name, meta.name)) : [];
    const existing = dataset && (await existingVersion(ctx.db, dataset.datasetId, masked.digest));
    // Content-addressed: the winner's file has this very path, so it is only removed when nobody else owns it.
    if (placed && existing?.storagePath !== placed) await removeQuietly(absoluteVersionPath(root, placed));
    if (existing) return { created: false, datasetCreated: false, version: toVersionDetail(meta.name, existing), versionId: existing.versionId };
    if (isUniqueViolation(error)) {
      throw new DomainError("TEMPORARILY_UNAVAILABLE", "Another upload to this dataset finished at the same moment: send the file again.");
    }
    throw error;
  }
}
