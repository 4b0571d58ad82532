// Registering a dataset version: the upload is streamed through the PII masker into a private temp file, named by the
// SHA-256 of the masked bytes, stored (renamed into place, or uploaded to the object storage) and then recorded in one
// transaction; a failed record removes the stored file.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { open } from "node:fs/promises";
import { Transform, type Readable, type TransformCallback } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import { and, desc, eq, sql } from "drizzle-orm";
import { datasets, datasetVersions } from "@/db/schema";
import type { Database } from "@/db/client";
import { createPiiScanner, type PiiFinding } from "@/lib/pii";
import { describePiiDecisionsNeeded, piiDecisionsNeeded, piiDecisionsSentence, zMaskingPolicy, type MaskingPolicy } from "@/lib/masking";
import { DomainError, invalidParameter, saidError } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import type { ServiceContext } from "../service-context";
import { datasetLimits, effectivePolicy, limitExceeded, maskCsvStream, type DatasetLimits } from "./csv-masker";
import { maskParquetFile, parquetCellStats, sampleParquetRows } from "./parquet-masker";
import { newTempPath, newVersionFilePath, removeQuietly } from "./dataset-store";
import { datasetFilesAt, storeThenCommit } from "./dataset-files";
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
  /** The policy applied: the one sent plus the previous version's decisions for columns it did not name. */
  policy: MaskingPolicy;
}

/** How the masker is told what to apply: the policy sent, the one inherited, and the upload's limits. */
interface MaskingPlan {
  policy: MaskingPolicy;
  inherited: MaskingPolicy;
  salt: string;
  maxBytes: number;
  limits: DatasetLimits;
}

/**
 * Refuses an upload whose flagged columns have no decision (or one that means nothing for their data): 422 with
 * the columns, what was detected in each and the choices, as sentences and as data for the page and the CLI.
 */
export function requirePiiDecisions(findings: PiiFinding[], policy: MaskingPolicy): void {
  const needed = piiDecisionsNeeded(findings, policy);
  if (!needed.length) return;
  throw new DomainError("UNPROCESSABLE_CONTENT", describePiiDecisionsNeeded(needed), { reason: "pii_decision_required", columns: needed }, piiDecisionsSentence(needed));
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
  const gibibytes = maxBytes / 1024 ** 3;
  return new DomainError("RESOURCE_EXHAUSTED", `The file is larger than the ${gibibytes.toFixed(1)} GiB upload limit.`, undefined, sentence("error.datasets.parquet_too_large", { gibibytes }));
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

async function maskCsvUpload(root: string, body: Readable, plan: MaskingPlan): Promise<MaskedFile> {
  const tempPath = await newTempPath(root, ".csv");
  const output = createWriteStream(tempPath, { mode: 0o600 });
  try {
    const result = await maskCsvStream(body, output, {
      policy: plan.policy,
      inheritedPolicy: plan.inherited,
      salt: plan.salt,
      maxBytes: plan.maxBytes,
      limits: plan.limits,
      checkFindings: requirePiiDecisions,
    });
    if (!output.writableFinished) await finished(output);
    return {
      tempPath,
      digest: result.sha256,
      sizeBytes: result.bytesOut,
      rowCount: result.rowCount,
      columns: result.outputHeader,
      piiFindings: result.piiFindings,
      policy: result.policy,
    };
  } catch (error) {
    body.destroy();
    // The stream opens its file asynchronously: removing the file before the stream has closed could let a
    // late open create it again, leaving a stray temp file behind a refused upload.
    if (!output.closed) {
      // Writes the masker had queued fail once the stream is destroyed; they are moot now, not uncaught errors.
      output.on("error", () => undefined);
      const closed = new Promise<void>((resolve) => output.once("close", () => resolve()));
      output.destroy();
      // Bounded: a refusal must answer even if the close never comes (seen under load); the removal below then runs anyway.
      await Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref())]);
    }
    await removeQuietly(tempPath);
    throw error;
  }
}

/**
 * Parquet cannot be masked as a stream (its footer comes last), so the upload lands in a private temp
 * file that is deleted as soon as DuckDB has written the masked copy, whatever happens.
 */
async function maskParquetUpload(root: string, body: Readable, plan: MaskingPlan): Promise<MaskedFile> {
  const { salt, maxBytes, limits } = plan;
  const rawPath = await newTempPath(root, ".upload.parquet");
  const maskedPath = await newTempPath(root, ".parquet");
  try {
    await pipeline(body, new ByteLimit(maxBytes), createWriteStream(rawPath, { mode: 0o600 }));
    const handle = await open(rawPath, "r");
    const magic = Buffer.alloc(4);
    const { size } = await handle.stat();
    await handle.read(magic, 0, 4, 0);
    await handle.close();
    if (size === 0) throw invalidParameter("The file is empty: choose a Parquet file with at least one row.", sentence("error.datasets.parquet_empty"));
    if (magic.toString("latin1") !== "PAR1") {
      throw invalidParameter("The file is not Parquet (it does not start with 'PAR1'): choose a .parquet file or upload it as CSV.", sentence("error.datasets.not_parquet"));
    }
    await checkParquetLimits(rawPath, limits);
    const sample = await sampleParquetRows(rawPath, 10_000);
    const scanner = createPiiScanner(sample.header);
    for (const row of sample.rows) scanner.addRow(row);
    const unknown = Object.keys(plan.policy).filter((column) => !sample.header.includes(column));
    if (unknown.length) {
      const columns = unknown.map((c) => `'${c}'`).join(", ");
      throw invalidParameter(`The masking policy names columns the file does not have: ${columns}.`, sentence("error.datasets.policy_unknown_columns", { columns }));
    }
    const policy = effectivePolicy(sample.header, plan.policy, plan.inherited);
    const piiFindings = scanner.findings();
    requirePiiDecisions(piiFindings, policy);
    const masked = await maskParquetFile(rawPath, maskedPath, policy, salt);
    const { digest, size: sizeBytes } = await sha256OfFile(maskedPath);
    return { tempPath: maskedPath, digest, sizeBytes, rowCount: masked.rowCount, columns: masked.outputHeader, piiFindings, policy };
  } catch (error) {
    body.destroy();
    await removeQuietly(maskedPath);
    throw error;
  } finally {
    await removeQuietly(rawPath);
  }
}

/** The CSV masker's limits, for Parquet: columns from the schema, cell length and NUL characters over the whole file. */
async function checkParquetLimits(file: string, limits: DatasetLimits): Promise<void> {
  const stats = await parquetCellStats(file, limits.maxColumns);
  if (stats.columns > limits.maxColumns) {
    throw limitExceeded(
      "columns",
      `The file has ${stats.columns.toLocaleString("en-US")} columns; the limit is ${limits.maxColumns.toLocaleString("en-US")} columns per dataset. ` +
        "Split it into narrower files (or keep only the columns a model uses) and upload again.",
      { max: limits.maxColumns, found: stats.columns },
      sentence("error.datasets.too_many_columns", { found: stats.columns, max: limits.maxColumns }),
    );
  }
  const nul = stats.text.find((c) => c.hasNul);
  if (nul) {
    throw limitExceeded(
      "nul_byte",
      `Column '${nul.column}' holds text with a NUL character (a zero byte), which cannot be stored; remove it and upload again.`,
      { column: nul.column },
      sentence("error.datasets.column_nul", { column: nul.column }),
    );
  }
  const long = stats.text.find((c) => c.maxChars > limits.maxCellChars);
  if (long) {
    throw limitExceeded(
      "cell_size",
      `Column '${long.column}' holds a value of ${long.maxChars.toLocaleString("en-US")} characters; the limit is ` +
        `${limits.maxCellChars.toLocaleString("en-US")} characters per cell. Shorten or remove it and upload again.`,
      { max: limits.maxCellChars, found: long.maxChars, column: long.column },
      sentence("error.datasets.column_value_too_long", { column: long.column, found: long.maxChars, max: limits.maxCellChars }),
    );
  }
}

/** A new dataset's id, taken from its sequence before the row exists (so its files' keys can name it). */
async function reserveDatasetId(db: Pick<Database, "execute">): Promise<number> {
  const result = (await db.execute(sql`select nextval(pg_get_serial_sequence('datasets', 'dataset_id')) as id`)) as unknown as { rows: { id: string | number }[] };
  return Number(result.rows[0]!.id);
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

/** The policy of the dataset's latest version: a new version starts from it. */
async function previousPolicy(db: Pick<Database, "select">, datasetId: number): Promise<MaskingPolicy> {
  const [latest] = await db
    .select({ maskingPolicy: datasetVersions.maskingPolicy })
    .from(datasetVersions)
    .where(eq(datasetVersions.datasetId, datasetId))
    .orderBy(desc(datasetVersions.version))
    .limit(1);
  const parsed = zMaskingPolicy.safeParse(latest?.maskingPolicy ?? {});
  return parsed.success ? parsed.data : {};
}

function usesHash(policy: MaskingPolicy): boolean {
  return Object.values(policy).some((mask) => mask.action === "hash");
}

/**
 * Registers the uploaded bytes as a version of dataset `meta.name` (created on first upload).
 * The same masked bytes twice are one version: the second call stores nothing and says so. Columns the scan
 * flags as personal data need a decision (422 otherwise); a new version starts from the previous one's policy.
 */
export async function registerDatasetVersion(
  ctx: ServiceContext,
  root: string,
  metaInput: RegisterVersionMeta,
  body: Readable,
  options: { maxBytes?: number; limits?: Partial<DatasetLimits>; /** Leave profiling to the caller (who declares rules first). */ profileLater?: boolean } = {},
): Promise<RegisteredVersion & { versionId: number }> {
  authorize(ctx.actor, "datasets.write");
  const meta = zRegisterVersionMeta.parse(metaInput);
  const given = zMaskingPolicy.parse(meta.masking);
  const [known] = await ctx.db.select().from(datasets).where(eq(datasets.name, meta.name));
  const plan: MaskingPlan = {
    policy: given,
    inherited: known ? await previousPolicy(ctx.db, known.datasetId) : {},
    salt: known?.hashSalt ?? randomBytes(32).toString("hex"),
    maxBytes: options.maxBytes ?? MAX_DATASET_BYTES,
    limits: { ...datasetLimits, ...options.limits },
  };

  const masked = meta.format === "csv" ? await maskCsvUpload(root, body, plan) : await maskParquetUpload(root, body, plan);
  const policy = masked.policy;

  for (const column of [meta.labelColumn, ...(meta.sensitiveAttributes ?? [])]) {
    if (column && !masked.columns.includes(column)) {
      await removeQuietly(masked.tempPath);
      const dropped = policy[column]?.action === "drop";
      throw invalidParameter(
        `Column '${column}' (label or sensitive attribute) is not in the stored file${dropped ? ": it is dropped by the masking policy" : ""}.`,
        sentence("error.datasets.column_not_stored", { column, dropped: dropped ? "yes" : "no" }),
      );
    }
  }

  if (known) {
    const existing = await existingVersion(ctx.db, known.datasetId, masked.digest);
    if (existing) {
      await removeQuietly(masked.tempPath);
      return { created: false, datasetCreated: false, version: toVersionDetail(meta.name, existing), versionId: existing.versionId };
    }
  }

  // The file's key names its dataset: a new one's id is taken now, before the upload (if another upload creates the
  // same name meanwhile, this one joins that dataset and the number is a gap; the key keeps it, the row says where).
  try {
    const datasetId = known?.datasetId ?? (await reserveDatasetId(ctx.db));
    const storagePath = newVersionFilePath(datasetId, masked.digest, meta.format);
    const commit = () => ctx.db.transaction(async (tx) => {
      const now = Date.now();
      // Concurrent first uploads of one name: the first insert wins, the others wait for it and then join its
      // dataset. Locking the row serialises the version numbers of concurrent uploads to the same dataset.
      const [inserted] = known
        ? []
        : await tx
            .insert(datasets)
            .values({
              datasetId,
              name: meta.name,
              description: meta.description ?? "",
              source: meta.source ?? "",
              licence: meta.licence ?? "",
              owner: ctx.actor.username,
              labelColumn: meta.labelColumn || null,
              sensitiveAttributes: meta.sensitiveAttributes ?? [],
              hashSalt: plan.salt,
              createdAt: now,
              updatedAt: now,
            })
            .onConflictDoNothing({ target: datasets.name })
            .returning();
      const datasetCreated = Boolean(inserted);
      if (inserted) {
        await recordAudit(tx, ctx.actor, { action: "dataset.create", targetType: "dataset", targetId: meta.name, after: { name: meta.name, owner: ctx.actor.username } });
      }
      const [dataset] = await tx.select().from(datasets).where(eq(datasets.name, meta.name)).for("update");
      if (!dataset) {
        throw saidError(
          "RESOURCE_CONFLICT",
          `Dataset '${meta.name}' was deleted while this file was uploading; send it again.`,
          sentence("error.datasets.deleted_during_upload", { dataset: meta.name }),
        );
      }
      if (dataset.hashSalt !== plan.salt && usesHash(policy)) {
        // Hashed values must match across a dataset's versions; these were hashed before the dataset existed.
        throw saidError(
          "RESOURCE_CONFLICT",
          `Another upload created dataset '${meta.name}' while this one was being hashed; send the file again so its hashed columns use the dataset's salt.`,
          sentence("error.datasets.created_during_hashing", { dataset: meta.name }),
        );
      }
      const same = await existingVersion(tx, dataset.datasetId, masked.digest);
      if (same) return { datasetCreated: false, row: same, created: false };
      const [{ next }] = (await tx
        .select({ next: sql<number>`coalesce(max(${datasetVersions.version}), 0)::int + 1` })
        .from(datasetVersions)
        .where(eq(datasetVersions.datasetId, dataset.datasetId))) as [{ next: number }];
      const [row] = await tx
        .insert(datasetVersions)
        .values({
          datasetId: dataset.datasetId,
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
      await tx.update(datasets).set({ updatedAt: now }).where(eq(datasets.datasetId, dataset.datasetId));
      await recordAudit(tx, ctx.actor, {
        action: "dataset.version.register",
        targetType: "dataset_version",
        targetId: `${meta.name}/${row!.version}`,
        after: { digest: masked.digest, format: meta.format, rows: masked.rowCount, masking: policy, inheritedMasking: plan.inherited },
      });
      return { datasetCreated, row: row!, created: true };
    });
    const result = await storeThenCommit(ctx.db, datasetFilesAt(root), masked.tempPath, storagePath, {
      commit,
      usesFile: (outcome) => outcome.created,
    });
    if (!result.created) {
      return { created: false, datasetCreated: false, version: toVersionDetail(meta.name, result.row), versionId: result.row.versionId };
    }
    if (!options.profileLater) enqueueDatasetProfile(ctx.db, root, result.row.versionId);
    return { created: true, datasetCreated: result.datasetCreated, version: toVersionDetail(meta.name, result.row), versionId: result.row.versionId };
  } catch (error) {
    await removeQuietly(masked.tempPath);
    // Another upload of the same bytes may have won the race: answer with its version.
    const [dataset] = isUniqueViolation(error) ? await ctx.db.select().from(datasets).where(eq(datasets.name, meta.name)) : [];
    const existing = dataset && (await existingVersion(ctx.db, dataset.datasetId, masked.digest));
    if (existing) return { created: false, datasetCreated: false, version: toVersionDetail(meta.name, existing), versionId: existing.versionId };
    if (isUniqueViolation(error)) {
      throw saidError(
        "RESOURCE_CONFLICT",
        `Another upload to dataset '${meta.name}' finished at the same moment: send the file again.`,
        sentence("error.datasets.concurrent_upload", { dataset: meta.name }),
      );
    }
    throw error;
  }
}
