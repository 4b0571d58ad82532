// Dataset registry reads and edits: list, detail, versions, metadata, quality rules and manual quality marks.
import { and, asc, desc, eq, ilike, inArray, sql } from "drizzle-orm";
import { datasetQualityRules, datasets, datasetVersions } from "@/db/schema";
import type { Database } from "@/db/client";
import { invalidParameter, notFound } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import type { ServiceContext } from "../service-context";
import {
  zQualityRuleInput,
  type DatasetDetail,
  type DatasetSummary,
  type DatasetVersionDetail,
  type DatasetVersionSummary,
  type QualityRuleInput,
  type QualityRuleOutput,
  type VersionRef,
  type zDatasetMetadata,
} from "./schema";
import type { z } from "zod";
import { regexPatternRefusal } from "./quality-rules";

export type DatasetRow = typeof datasets.$inferSelect;
export type DatasetVersionRow = typeof datasetVersions.$inferSelect;

export function toVersionSummary(row: DatasetVersionRow): DatasetVersionSummary {
  const policy = row.maskingPolicy as Record<string, { action: string }>;
  return {
    version: row.version,
    digest: row.digest,
    format: row.format as DatasetVersionSummary["format"],
    sizeBytes: row.sizeBytes,
    rowCount: row.rowCount,
    columnCount: row.columns.length,
    originalFilename: row.originalFilename,
    note: row.note,
    profileStatus: row.profileStatus as DatasetVersionSummary["profileStatus"],
    profileProgress: row.profileProgress,
    profileStage: row.profileStage,
    qualityStatus: row.qualityStatus as DatasetVersionSummary["qualityStatus"],
    qualityReason: row.qualityReason,
    maskedColumns: Object.values(policy).filter((p) => p.action !== "keep").length,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  };
}

export function toVersionDetail(datasetName: string, row: DatasetVersionRow): DatasetVersionDetail {
  return {
    ...toVersionSummary(row),
    datasetName,
    columns: row.columns,
    maskingPolicy: row.maskingPolicy as DatasetVersionDetail["maskingPolicy"],
    piiFindings: row.piiFindings as DatasetVersionDetail["piiFindings"],
    profile: (row.profile ?? null) as DatasetVersionDetail["profile"],
    profileError: row.profileError,
    qualityResults: (row.qualityResults ?? null) as DatasetVersionDetail["qualityResults"],
  };
}

export async function findDataset(db: Pick<Database, "select">, name: string): Promise<DatasetRow> {
  const [row] = await db.select().from(datasets).where(eq(datasets.name, name));
  if (!row) throw notFound(`Dataset '${name}' does not exist. Check the name, or register it first.`, sentence("error.not_found.dataset", { dataset: name }));
  return row;
}

export async function findVersion(db: Pick<Database, "select">, name: string, version: number): Promise<{ dataset: DatasetRow; row: DatasetVersionRow }> {
  const dataset = await findDataset(db, name);
  const [row] = await db
    .select()
    .from(datasetVersions)
    .where(and(eq(datasetVersions.datasetId, dataset.datasetId), eq(datasetVersions.version, version)));
  if (!row) throw notFound(`Dataset '${name}' has no version ${version}.`, sentence("error.not_found.dataset_version", { dataset: name, version: String(version) }));
  return { dataset, row };
}

export async function listDatasets(ctx: ServiceContext, input: { search?: string }): Promise<DatasetSummary[]> {
  authorize(ctx.actor, "studio.read");
  const search = input.search?.trim();
  const rows = await ctx.db
    .select()
    .from(datasets)
    .where(search ? ilike(datasets.name, `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined)
    .orderBy(desc(datasets.updatedAt));
  if (!rows.length) return [];
  const ids = rows.map((r) => r.datasetId);
  const latest = await ctx.db
    .selectDistinctOn([datasetVersions.datasetId])
    .from(datasetVersions)
    .where(inArray(datasetVersions.datasetId, ids))
    .orderBy(datasetVersions.datasetId, desc(datasetVersions.version));
  const counts = await ctx.db
    .select({ datasetId: datasetVersions.datasetId, n: sql<number>`count(*)::int` })
    .from(datasetVersions)
    .where(inArray(datasetVersions.datasetId, ids))
    .groupBy(datasetVersions.datasetId);
  const latestById = new Map(latest.map((v) => [v.datasetId, v]));
  const countById = new Map(counts.map((c) => [c.datasetId, Number(c.n)]));
  return rows.map((row) => {
    const version = latestById.get(row.datasetId);
    return {
      name: row.name,
      description: row.description,
      owner: row.owner,
      versionCount: countById.get(row.datasetId) ?? 0,
      latest: version ? toVersionSummary(version) : null,
      updatedAt: row.updatedAt,
    };
  });
}

function toRuleOutput(row: typeof datasetQualityRules.$inferSelect): QualityRuleOutput {
  return { ...(row.rule as QualityRuleInput), ruleId: row.ruleId, createdBy: row.createdBy, createdAt: row.createdAt };
}

export async function listQualityRules(db: Pick<Database, "select">, datasetId: number): Promise<QualityRuleOutput[]> {
  const rows = await db.select().from(datasetQualityRules).where(eq(datasetQualityRules.datasetId, datasetId)).orderBy(asc(datasetQualityRules.ruleId));
  return rows.map(toRuleOutput);
}

export async function getDataset(ctx: ServiceContext, name: string): Promise<DatasetDetail> {
  authorize(ctx.actor, "studio.read");
  const dataset = await findDataset(ctx.db, name);
  const versions = await ctx.db
    .select()
    .from(datasetVersions)
    .where(eq(datasetVersions.datasetId, dataset.datasetId))
    .orderBy(desc(datasetVersions.version));
  return {
    name: dataset.name,
    description: dataset.description,
    source: dataset.source,
    licence: dataset.licence,
    owner: dataset.owner,
    labelColumn: dataset.labelColumn,
    sensitiveAttributes: dataset.sensitiveAttributes,
    createdAt: dataset.createdAt,
    updatedAt: dataset.updatedAt,
    versions: versions.map(toVersionSummary),
    rules: await listQualityRules(ctx.db, dataset.datasetId),
  };
}

export async function getDatasetVersion(ctx: ServiceContext, name: string, version: number): Promise<DatasetVersionDetail> {
  authorize(ctx.actor, "studio.read");
  const { row } = await findVersion(ctx.db, name, version);
  return toVersionDetail(name, row);
}

export async function updateDatasetMetadata(
  ctx: ServiceContext,
  name: string,
  changes: z.infer<typeof zDatasetMetadata>,
): Promise<DatasetDetail> {
  authorize(ctx.actor, "datasets.write");
  await ctx.db.transaction(async (tx) => {
    const before = await findDataset(tx, name);
    const after = {
      description: changes.description ?? before.description,
      source: changes.source ?? before.source,
      licence: changes.licence ?? before.licence,
      labelColumn: changes.labelColumn === undefined ? before.labelColumn : changes.labelColumn || null,
      sensitiveAttributes: changes.sensitiveAttributes ?? before.sensitiveAttributes,
    };
    await tx.update(datasets).set({ ...after, updatedAt: Date.now() }).where(eq(datasets.datasetId, before.datasetId));
    await recordAudit(tx, ctx.actor, {
      action: "dataset.update",
      targetType: "dataset",
      targetId: name,
      before: {
        description: before.description,
        source: before.source,
        licence: before.licence,
        labelColumn: before.labelColumn,
        sensitiveAttributes: before.sensitiveAttributes,
      },
      after,
    });
  });
  return getDataset(ctx, name);
}

export async function addQualityRule(ctx: ServiceContext, name: string, input: QualityRuleInput): Promise<QualityRuleOutput> {
  authorize(ctx.actor, "datasets.write");
  const rule = zQualityRuleInput.parse(input);
  if (rule.kind === "regex") {
    // Checked by the engine that will run it (DuckDB's RE2), whose syntax differs from JavaScript's.
    const refusal = await regexPatternRefusal(rule.pattern);
    if (refusal) throw refusal;
  }
  return ctx.db.transaction(async (tx) => {
    const dataset = await findDataset(tx, name);
    const [row] = await tx
      .insert(datasetQualityRules)
      .values({ datasetId: dataset.datasetId, rule, createdBy: ctx.actor.username, createdAt: Date.now() })
      .returning();
    await recordAudit(tx, ctx.actor, { action: "dataset.rule.add", targetType: "dataset", targetId: name, after: { ruleId: row!.ruleId, ...rule } });
    return toRuleOutput(row!);
  });
}

export async function deleteQualityRule(ctx: ServiceContext, name: string, ruleId: number): Promise<void> {
  authorize(ctx.actor, "datasets.write");
  await ctx.db.transaction(async (tx) => {
    const dataset = await findDataset(tx, name);
    const [row] = await tx
      .delete(datasetQualityRules)
      .where(and(eq(datasetQualityRules.datasetId, dataset.datasetId), eq(datasetQualityRules.ruleId, ruleId)))
      .returning();
    if (!row) throw notFound(`Dataset '${name}' has no quality rule ${ruleId}.`);
    await recordAudit(tx, ctx.actor, { action: "dataset.rule.delete", targetType: "dataset", targetId: name, before: { ruleId, ...row.rule } });
  });
}

/** Marks a version as failed quality by hand (or lifts the mark), with the reason shown wherever the version is used. */
export async function markVersionQuality(
  ctx: ServiceContext,
  input: { name: string; version: number; failed: boolean; reason: string },
): Promise<DatasetVersionDetail> {
  authorize(ctx.actor, "datasets.write");
  const reason = input.reason.trim();
  if (input.failed && !reason) {
    throw invalidParameter("Say why the version fails quality: the reason is shown wherever it is used.", sentence("error.datasets.quality_reason_missing"));
  }
  return ctx.db.transaction(async (tx) => {
    const { row } = await findVersion(tx, input.name, input.version);
    const results = (row.qualityResults ?? []) as { passed: boolean }[];
    const automatic = results.length ? (results.every((r) => r.passed) ? "passed" : "failed") : "none";
    const qualityStatus = input.failed ? "failed" : automatic === "failed" ? "passed" : automatic;
    const qualityReason = input.failed ? `Marked by ${ctx.actor.username}: ${reason}` : reason ? `Cleared by ${ctx.actor.username}: ${reason}` : null;
    const [updated] = await tx
      .update(datasetVersions)
      .set({ qualityStatus, qualityReason })
      .where(eq(datasetVersions.versionId, row.versionId))
      .returning();
    await recordAudit(tx, ctx.actor, {
      action: input.failed ? "dataset.version.mark-failed" : "dataset.version.clear-failed",
      targetType: "dataset_version",
      targetId: `${input.name}/${input.version}`,
      before: { qualityStatus: row.qualityStatus, qualityReason: row.qualityReason },
      after: { qualityStatus, qualityReason },
    });
    return toVersionDetail(input.name, updated!);
  });
}

/**
 * Registry versions behind MLflow dataset digests (log_input). MLflow clients often send a shortened
 * digest, so a digest of 8+ hex characters matches a version whose SHA-256 starts with it.
 */
export async function findVersionsByDigests(db: Pick<Database, "select">, digests: string[]): Promise<Map<string, VersionRef>> {
  const wanted = [...new Set(digests.map((d) => d.trim().toLowerCase()).filter((d) => /^[0-9a-f]{8,64}$/.test(d)))];
  const found = new Map<string, VersionRef>();
  if (!wanted.length) return found;
  const rows = await db
    .select({ name: datasets.name, version: datasetVersions.version, digest: datasetVersions.digest, qualityStatus: datasetVersions.qualityStatus, qualityReason: datasetVersions.qualityReason })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.datasetId, datasetVersions.datasetId))
    .where(sql`${datasetVersions.digest} LIKE ANY(${sql`ARRAY[${sql.join(wanted.map((d) => sql`${`${d}%`}`), sql`, `)}]::text[]`})`);
  for (const digest of wanted) {
    const row = rows.find((r) => r.digest.startsWith(digest));
    if (row) {
      found.set(digest, {
        datasetName: row.name,
        version: row.version,
        digest: row.digest,
        qualityStatus: row.qualityStatus as VersionRef["qualityStatus"],
        qualityReason: row.qualityReason,
      });
    }
  }
  return found;
}
