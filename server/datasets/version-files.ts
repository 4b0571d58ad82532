// Services that read a version's stored file: preview rows, compare two versions, re-evaluate quality rules.
import { eq } from "drizzle-orm";
import { datasetVersions } from "@/db/schema";
import { categoricalDrift, datasetDrift, DRIFT_DEFAULTS, histogram, numericDrift, psiBand } from "@/lib/drift";
import { identifierReason } from "@/lib/identifier-columns";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import type { ServiceContext } from "../service-context";
import { getDatasetRoot } from "./dataset-store";
import { versionLocalPath } from "./dataset-files";
import { numericSample, readSchema, valueCounts } from "./column-samples";
import { readDatasetRows } from "./preview";
import { evaluateVersionQuality, qualityVerdict } from "./profile-jobs";
import { findVersion, toVersionDetail, toVersionSummary } from "./registry";
import type { ColumnDrift, DatasetFormat, DatasetVersionDetail, VersionComparison } from "./schema";

export async function previewDatasetVersion(
  ctx: ServiceContext,
  input: { name: string; version: number; offset: number; limit: number },
  root = getDatasetRoot(),
): Promise<{ columns: string[]; rows: (string | number | boolean | null)[][]; totalRows: number }> {
  authorize(ctx.actor, "studio.read");
  const { row } = await findVersion(ctx.db, input.name, input.version);
  return readDatasetRows(await versionLocalPath(root, row.storagePath), row.format as DatasetFormat, { offset: input.offset, limit: input.limit });
}

/** Evaluates the dataset's current rules on a version again (rules declared after it was registered). */
export async function recheckVersionQuality(
  ctx: ServiceContext,
  input: { name: string; version: number },
  root = getDatasetRoot(),
): Promise<DatasetVersionDetail> {
  authorize(ctx.actor, "datasets.write");
  const { row } = await findVersion(ctx.db, input.name, input.version);
  const results = await evaluateVersionQuality(ctx.db, root, row);
  const verdict = qualityVerdict(results);
  return ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(datasetVersions)
      .set({ qualityResults: results, qualityStatus: verdict.status, qualityReason: verdict.reason })
      .where(eq(datasetVersions.versionId, row.versionId))
      .returning();
    await recordAudit(tx, ctx.actor, {
      action: "dataset.version.recheck",
      targetType: "dataset_version",
      targetId: `${input.name}/${input.version}`,
      before: { qualityStatus: row.qualityStatus, qualityReason: row.qualityReason },
      after: { qualityStatus: verdict.status, qualityReason: verdict.reason },
    });
    return toVersionDetail(input.name, updated!);
  });
}

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|REAL|DOUBLE|DECIMAL)/i;
/** Values per version drawn for the drift tests: enough for stable statistics, small enough to answer at once. */
const SAMPLE_SIZE = 5000;
const MAX_CATEGORY_BARS = 20;

function formatEdge(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

async function numericColumnDrift(column: string, refFile: string, refFormat: DatasetFormat, curFile: string, curFormat: DatasetFormat): Promise<ColumnDrift | null> {
  const [reference, current] = await Promise.all([numericSample(refFile, refFormat, column, SAMPLE_SIZE), numericSample(curFile, curFormat, column, SAMPLE_SIZE)]);
  if (!reference.length || !current.length) return null;
  const result = numericDrift(reference, current);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [...reference, ...current]) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range: [number, number] = lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
  const refHist = histogram(reference, 20, range);
  const curHist = histogram(current, 20, range);
  return {
    column,
    kind: "numeric",
    test: result.test as ColumnDrift["test"],
    score: result.score,
    threshold: result.threshold,
    drifted: result.drifted,
    psi: result.psi,
    psiBand: psiBand(result.psi),
    bins: refHist.counts.map((count, i) => ({
      label: `${formatEdge(refHist.edges[i]!)}–${formatEdge(refHist.edges[i + 1]!)}`,
      reference: count / reference.length,
      current: curHist.counts[i]! / current.length,
    })),
  };
}

async function categoricalColumnDrift(
  column: string,
  refFile: string,
  refFormat: DatasetFormat,
  curFile: string,
  curFormat: DatasetFormat,
): Promise<ColumnDrift | "identifier" | null> {
  const [reference, current] = await Promise.all([valueCounts(refFile, refFormat, column), valueCounts(curFile, curFormat, column)]);
  if (identifierReason(column, { reference, current })) return "identifier";
  const refTotal = Object.values(reference).reduce((a, b) => a + b, 0);
  const curTotal = Object.values(current).reduce((a, b) => a + b, 0);
  if (!refTotal || !curTotal) return null;
  const result = categoricalDrift(reference, current);
  const categories = [...new Set([...Object.keys(reference), ...Object.keys(current)])]
    .sort((a, b) => (reference[b] ?? 0) + (current[b] ?? 0) - ((reference[a] ?? 0) + (current[a] ?? 0)))
    .slice(0, MAX_CATEGORY_BARS);
  return {
    column,
    kind: "categorical",
    test: result.test as ColumnDrift["test"],
    score: result.score,
    threshold: result.threshold,
    drifted: result.drifted,
    psi: result.psi,
    psiBand: psiBand(result.psi),
    bins: categories.map((label) => ({ label, reference: (reference[label] ?? 0) / refTotal, current: (current[label] ?? 0) / curTotal })),
  };
}

/** Schema diff and per-column distribution change between two versions (reference → current). */
export async function compareDatasetVersions(
  ctx: ServiceContext,
  input: { name: string; reference: number; current: number },
  root = getDatasetRoot(),
): Promise<VersionComparison> {
  authorize(ctx.actor, "studio.read");
  const [ref, cur] = await Promise.all([findVersion(ctx.db, input.name, input.reference), findVersion(ctx.db, input.name, input.current)]);
  const [refFile, curFile] = await Promise.all([versionLocalPath(root, ref.row.storagePath), versionLocalPath(root, cur.row.storagePath)]);
  const refFormat = ref.row.format as DatasetFormat;
  const curFormat = cur.row.format as DatasetFormat;
  const [refSchema, curSchema] = await Promise.all([readSchema(refFile, refFormat), readSchema(curFile, curFormat)]);
  const refTypes = new Map(refSchema.map((c) => [c.name, c.duckdbType]));
  const curTypes = new Map(curSchema.map((c) => [c.name, c.duckdbType]));
  const added = curSchema.filter((c) => !refTypes.has(c.name)).map((c) => ({ column: c.name, type: c.duckdbType }));
  const removed = refSchema.filter((c) => !curTypes.has(c.name)).map((c) => ({ column: c.name, type: c.duckdbType }));
  const typeChanged = refSchema
    .filter((c) => curTypes.has(c.name) && curTypes.get(c.name) !== c.duckdbType)
    .map((c) => ({ column: c.name, from: c.duckdbType, to: curTypes.get(c.name)! }));
  const common = refSchema.filter((c) => curTypes.has(c.name));

  const columns: ColumnDrift[] = [];
  const skippedColumns: VersionComparison["skippedColumns"] = [];
  // One column at a time: each opens its own DuckDB reader, and two cores are all there is.
  for (const { name, duckdbType } of common) {
    if (identifierReason(name) === "name") {
      skippedColumns.push({ column: name, reason: "identifier-name" });
      continue;
    }
    const numeric = NUMERIC_TYPE.test(duckdbType) && NUMERIC_TYPE.test(curTypes.get(name)!);
    const drift = numeric
      ? await numericColumnDrift(name, refFile, refFormat, curFile, curFormat)
      : await categoricalColumnDrift(name, refFile, refFormat, curFile, curFormat);
    if (drift === "identifier") skippedColumns.push({ column: name, reason: "identifier-distinct" });
    else if (drift) columns.push(drift);
  }
  const driftShareLimit = DRIFT_DEFAULTS.datasetDriftShare;
  const summary = datasetDrift(columns, driftShareLimit);
  return {
    reference: toVersionSummary(ref.row),
    current: toVersionSummary(cur.row),
    schema: { added, removed, typeChanged, unchanged: common.length - typeChanged.length },
    columns,
    skippedColumns,
    driftedColumns: summary.driftedColumns,
    comparedColumns: summary.totalColumns,
    driftShareLimit,
    datasetDrift: summary.drifted,
  };
}
