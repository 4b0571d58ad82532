// Column samples for comparing two versions: a seeded numeric sample, value counts, and the schema.
import { invalidParameter } from "@/server/errors";
import { sentence } from "@/lib/i18n/server-sentence";
import type { DuckDBConnection } from "@duckdb/node-api";
import {
  describeRelation,
  isNumericType,
  queryDatasetView,
  quoteIdentifier,
  requireColumn,
  withDuckDB,
  type ColumnSchema,
  type DatasetFileFormat,
} from "./duckdb";

/** The label valueCounts gives missing values. */
export const missingValueKey = "(missing)";

/** Column names and DuckDB types, read from the file's header (CSV sniffing or Parquet metadata). */
export async function readSchema(path: string, format: DatasetFileFormat): Promise<ColumnSchema[]> {
  return withDuckDB((connection) => queryDatasetView(connection, path, format, () => describeRelation(connection)));
}

/**
 * Up to maxValues non-missing values of a numeric column, drawn by a seeded reservoir sample so the
 * same file always gives the same sample. One thread: DuckDB's repeatable sample depends on how
 * rows are split between threads.
 */
export async function numericSample(path: string, format: DatasetFileFormat, column: string, maxValues = 5000, seed = 42): Promise<number[]> {
  if (!Number.isInteger(maxValues) || maxValues < 1) {
    throw invalidParameter("maxValues must be a whole number of 1 or more.", sentence("error.datasets.whole_number", { what: "maxValues" }));
  }
  if (!Number.isInteger(seed)) throw invalidParameter("The sample seed must be a whole number.", sentence("error.datasets.sample_seed"));
  const sample = async (connection: DuckDBConnection) => {
    const found = requireColumn(await describeRelation(connection), column);
    if (!isNumericType(found.duckdbType)) {
      throw invalidParameter(
        `Column '${column}' holds ${found.duckdbType} values, not numbers; compare it by value counts instead.`,
        sentence("error.datasets.column_not_numeric", { column, type: found.duckdbType }),
      );
    }
    const q = quoteIdentifier(column);
    const reader = await connection.runAndReadAll(
      `SELECT CAST(${q} AS DOUBLE) AS x FROM (SELECT ${q} FROM t WHERE ${q} IS NOT NULL) USING SAMPLE reservoir(${maxValues} ROWS) REPEATABLE (${seed})`,
    );
    return (reader.getColumnsJS()[0] ?? []).map((x) => Number(x));
  };
  return withDuckDB((connection) => queryDatasetView(connection, path, format, () => sample(connection)), { threads: 1 });
}

/** Counts of the column's values as text, most frequent first (ties by value), missing values under "(missing)". */
export async function valueCounts(path: string, format: DatasetFileFormat, column: string, limit = 1000): Promise<Record<string, number>> {
  if (!Number.isInteger(limit) || limit < 1) throw invalidParameter("limit must be a whole number of 1 or more.", sentence("error.datasets.whole_number", { what: "limit" }));
  return withDuckDB((connection) =>
    queryDatasetView(connection, path, format, async () => {
      requireColumn(await describeRelation(connection), column);
      const q = quoteIdentifier(column);
      const reader = await connection.runAndReadAll(
        `SELECT coalesce(CAST(${q} AS VARCHAR), $missing) AS value, count(*) AS n FROM t GROUP BY 1 ORDER BY n DESC, value LIMIT $limit`,
        { missing: missingValueKey, limit },
      );
      return Object.fromEntries(reader.getRowObjectsJS().map((r) => [String(r.value), Number(r.n)]));
    }),
  );
}
