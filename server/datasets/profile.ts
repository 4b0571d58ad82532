// Profiles a dataset file with DuckDB: load once, then every column's statistics in a few wide passes.
import type { DuckDBConnection, DuckDBType } from "@duckdb/node-api";
import { zDatasetProfileOutput, type DatasetProfileOutput } from "./schema";
import {
  datasetTextSource,
  describeRelation,
  duckdbVersion,
  isDateType,
  isIntegerType,
  isNumericType,
  isTimestampType,
  loadDatasetTable,
  quoteIdentifier,
  toJsonCell,
  withDuckDB,
  type ColumnSchema,
  type DatasetFileFormat,
} from "./duckdb";

// The registry's schema is the one source of the profile's shape; re-exported under the engine's name.
export const zDatasetProfile = zDatasetProfileOutput;
export type DatasetProfile = DatasetProfileOutput;
type ColumnProfile = DatasetProfile["columns"][number];
type ColumnKind = ColumnProfile["type"];

export interface ProfileOptions {
  /** Called as work advances: fraction in 0..1 and the stage just finished. */
  onProgress?: (fraction: number, stage: string) => void;
}

const quantileLevels = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;
const quantileNames = ["p01", "p05", "p25", "p50", "p75", "p95", "p99"] as const;
const histogramBins = 20;
const topValueLimit = 10;
// Numbers and dates with this few distinct values are shown as categories too.
const lowCardinality = 20;

export function columnKind(duckdbType: string): ColumnKind {
  if (isIntegerType(duckdbType)) return "integer";
  if (isNumericType(duckdbType)) return "number";
  if (duckdbType === "BOOLEAN") return "boolean";
  if (isDateType(duckdbType)) return "date";
  if (isTimestampType(duckdbType)) return "datetime";
  return "string";
}

const isNumericKind = (kind: ColumnKind) => kind === "integer" || kind === "number";
const isOrderedKind = (kind: ColumnKind) => isNumericKind(kind) || kind === "date" || kind === "datetime";

function asNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === "bigint" ? Number(value) : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Profiles the file: counts, types, distinct counts, numeric summaries, histograms and top values. */
export async function profileDatasetFile(path: string, format: DatasetFileFormat, options: ProfileOptions = {}): Promise<DatasetProfile> {
  const progress = options.onProgress ?? (() => {});
  return withDuckDB(async (connection) => {
    progress(0, "loading");
    await loadDatasetTable(connection, path, format);
    const schema = await describeRelation(connection);
    progress(0.4, "loaded");

    const { rowCount, columns } = await summariseColumns(connection, schema);
    progress(0.7, "stats");

    await addHistograms(connection, columns);
    progress(0.85, "histograms");

    await addTopValues(connection, columns);
    if (format === "csv") await addWrittenTopValues(connection, columns, path);
    progress(1, "top values");

    return { rowCount, columnCount: columns.length, columns, profiledAt: new Date().toISOString(), engine: duckdbVersion() };
  });
}

/**
 * Expressions per SELECT. A wide file's one SELECT of every column's aggregates passes DuckDB's expression depth
 * limit (1,000) and holds every column's aggregate state at once; batches keep both bounded whatever the width.
 */
const SELECT_BATCH = 50;

/** Runs `SELECT <selections> <from>` in batches of SELECT_BATCH expressions and merges their single rows. */
async function selectInBatches(
  connection: DuckDBConnection,
  selections: string[],
  from: string,
): Promise<{ row: Record<string, unknown>; typeOf: (alias: string) => DuckDBType | undefined }> {
  const row: Record<string, unknown> = {};
  const types = new Map<string, DuckDBType>();
  for (let start = 0; start < selections.length; start += SELECT_BATCH) {
    const reader = await connection.runAndReadAll(`SELECT ${selections.slice(start, start + SELECT_BATCH).join(", ")} ${from}`);
    Object.assign(row, reader.getRowObjectsJS()[0]);
    reader.columnNames().forEach((name, k) => types.set(name, reader.columnTypes()[k]!));
  }
  return { row, typeOf: (alias) => types.get(alias) };
}

/**
 * Per column: non-null count, exact distinct count, min/max and, for numbers, mean/std/quantiles.
 * Counts and moments come from one wide SELECT. Distinct counts run as one scalar subquery per
 * column and quantiles as one query per column: measured on 1,000,000 × 20, that is as fast as
 * folding them into the wide SELECT and keeps only one column's hash table or sort buffer alive at
 * a time, which saves ~350 MiB of peak memory.
 */
async function summariseColumns(connection: DuckDBConnection, schema: ColumnSchema[]): Promise<{ rowCount: number; columns: ColumnProfile[] }> {
  const moments = ["count(*) AS row_count"];
  const distinct: string[] = [];
  schema.forEach((column, i) => {
    const q = quoteIdentifier(column.name);
    const kind = columnKind(column.duckdbType);
    moments.push(`count(${q}) AS c${i}_present`);
    distinct.push(`(SELECT count(*) FROM (SELECT DISTINCT ${q} FROM t WHERE ${q} IS NOT NULL)) AS c${i}_distinct`);
    if (isOrderedKind(kind)) moments.push(`min(${q}) AS c${i}_min`, `max(${q}) AS c${i}_max`);
    // avg over an integer sums exactly (HUGEINT) before dividing.
    if (isNumericKind(kind)) moments.push(`avg(${q}) AS c${i}_mean`, `stddev_samp(${q}) AS c${i}_std`);
  });
  const { row, typeOf } = await selectInBatches(connection, moments, "FROM t");
  const rowCount = asNumber(row.row_count) ?? 0;
  const { row: distinctRow } = await selectInBatches(connection, distinct, "");

  const columns: ColumnProfile[] = [];
  for (const [i, column] of schema.entries()) {
    const kind = columnKind(column.duckdbType);
    const present = asNumber(row[`c${i}_present`]) ?? 0;
    const missing = rowCount - present;
    const bound = (alias: string) => {
      const value = row[alias];
      if (isNumericKind(kind)) return asNumber(value);
      const cell = toJsonCell(value, typeOf(alias));
      return typeof cell === "string" || typeof cell === "number" ? cell : null;
    };
    let quantiles: ColumnProfile["quantiles"] = null;
    if (isNumericKind(kind) && present > 0) {
      const q = quoteIdentifier(column.name);
      const levels = await connection.runAndReadAll(`SELECT quantile_cont(${q}, [${quantileLevels.join(", ")}]) AS levels FROM t`);
      const values = (levels.getRowObjectsJS()[0].levels ?? []) as unknown[];
      quantiles = Object.fromEntries(quantileNames.map((name, k) => [name, asNumber(values[k]) ?? Number.NaN]));
    }
    columns.push({
      name: column.name,
      type: kind,
      duckdbType: column.duckdbType,
      missing,
      missingShare: rowCount ? missing / rowCount : 0,
      distinct: asNumber(distinctRow[`c${i}_distinct`]) ?? 0,
      min: isOrderedKind(kind) ? bound(`c${i}_min`) : null,
      max: isOrderedKind(kind) ? bound(`c${i}_max`) : null,
      mean: isNumericKind(kind) ? asNumber(row[`c${i}_mean`]) : null,
      std: isNumericKind(kind) ? asNumber(row[`c${i}_std`]) : null,
      quantiles,
      histogram: null,
      topValues: null,
    });
  }
  return { rowCount, columns };
}

/** Equal-width bin edges over [min, max]; integers with a small range get one bin per value. */
export function histogramEdges(kind: ColumnKind, min: number, max: number): number[] {
  if (kind === "integer" && max - min < histogramBins) {
    return Array.from({ length: max - min + 2 }, (_, k) => min + k);
  }
  if (min === max) return [min, max];
  const width = (max - min) / histogramBins;
  return Array.from({ length: histogramBins + 1 }, (_, k) => (k === histogramBins ? max : min + k * width));
}

/** One wide SELECT of `histogram(bin index)` per numeric column (each a map of at most 20 entries). */
async function addHistograms(connection: DuckDBConnection, columns: ColumnProfile[]): Promise<void> {
  const binned = columns
    .map((column, i) => ({ column, i }))
    .filter(({ column }) => isNumericKind(column.type) && typeof column.min === "number" && typeof column.max === "number");
  if (!binned.length) return;
  const edgesByColumn = new Map<number, number[]>();
  const selections = binned.map(({ column, i }) => {
    const min = column.min as number;
    const max = column.max as number;
    const edges = histogramEdges(column.type, min, max);
    edgesByColumn.set(i, edges);
    const bins = edges.length - 1;
    const x = `CAST(${quoteIdentifier(column.name)} AS DOUBLE)`;
    const span = edges[edges.length - 1] - edges[0];
    // The last edge is inclusive, so the maximum lands in the last bin rather than a bin of its own.
    const index = span > 0 ? `least(CAST(floor((${x} - (${edges[0]})) / (${span / bins})) AS INTEGER), ${bins - 1})` : `0`;
    return `histogram(CASE WHEN ${x} IS NOT NULL THEN ${index} END) AS h${i}`;
  });
  const { row } = await selectInBatches(connection, selections, "FROM t");
  for (const { column, i } of binned) {
    const edges = edgesByColumn.get(i)!;
    const counts = new Array<number>(edges.length - 1).fill(0);
    const entries = (row[`h${i}`] ?? []) as { key: unknown; value: unknown }[];
    for (const { key, value } of entries) {
      const bin = asNumber(key);
      if (bin !== null && bin >= 0 && bin < counts.length) counts[bin] += asNumber(value) ?? 0;
    }
    column.histogram = { edges, counts };
  }
}

/**
 * Top values of a CSV's sniffed columns (booleans, low-cardinality numbers, dates) as written in the file: `yes`/`no`,
 * not true/false; `007` and `1.50`, not 7 and 1.5. These are the categories a playground form offers and a reader
 * checks, so they must be what a model sees. One scan of the file as text for all of them.
 */
async function addWrittenTopValues(connection: DuckDBConnection, columns: ColumnProfile[], path: string): Promise<void> {
  const sniffed = columns.filter((column) => column.topValues !== null && column.type !== "string");
  if (!sniffed.length) return;
  const selections = sniffed.map((column, k) => `histogram(${quoteIdentifier(column.name)}) AS h${k}`);
  const reader = await connection.runAndReadAll(`SELECT ${selections.join(", ")} FROM ${datasetTextSource(path, "csv")}`);
  const [row] = reader.getRowObjectsJS();
  sniffed.forEach((column, k) => {
    const entries = ((row[`h${k}`] ?? []) as { key: unknown; value: unknown }[]).map(({ key, value }) => ({ value: String(key), count: asNumber(value) ?? 0 }));
    entries.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    column.topValues = entries.slice(0, topValueLimit);
  });
}

/** The most frequent values of strings, booleans and low-cardinality columns, one GROUP BY each. */
async function addTopValues(connection: DuckDBConnection, columns: ColumnProfile[]): Promise<void> {
  for (const column of columns) {
    const categorical = column.type === "string" || column.type === "boolean" || column.distinct <= lowCardinality;
    if (!categorical || column.distinct === 0) continue;
    const q = quoteIdentifier(column.name);
    const reader = await connection.runAndReadAll(
      `SELECT CAST(${q} AS VARCHAR) AS value, count(*) AS n FROM t WHERE ${q} IS NOT NULL GROUP BY ${q} ORDER BY n DESC, value LIMIT ${topValueLimit}`,
    );
    column.topValues = reader.getRowObjectsJS().map((r) => ({ value: r.value === null ? null : String(r.value), count: asNumber(r.n) ?? 0 }));
  }
}
