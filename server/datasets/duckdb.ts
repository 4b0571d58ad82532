// The one place that opens DuckDB for dataset files: a bounded in-memory instance per job, safe quoting, JSON-safe values.
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import nodePath from "node:path";
import { DuckDBInstance, DuckDBTypeId, version, type DuckDBConnection, type DuckDBType } from "@duckdb/node-api";
import { DomainError, invalidParameter } from "@/server/errors";
import { sentence } from "@/lib/i18n/server-sentence";

export type DatasetFileFormat = "csv" | "parquet";

/** A JSON-safe cell: BigInt becomes a number when exact (else a string), dates become ISO strings. */
export type JsonCell = string | number | boolean | null;

// Two threads and a memory cap keep one profiling job from starving the web server on a small machine;
// DuckDB spills to a temp directory past the cap instead of growing the process.
const jobThreads = "2";
const jobMemoryLimit = "768MB";

export function duckdbVersion(): string {
  return `duckdb ${version().replace(/^v/, "")}`;
}

/** Runs fn with a fresh in-memory DuckDB connection and always closes it (and removes its spill files) afterwards. */
export async function withDuckDB<T>(fn: (connection: DuckDBConnection) => Promise<T>, options: { threads?: number } = {}): Promise<T> {
  // A spill directory per job: DuckDB's default for in-memory databases is ".tmp" in the working
  // directory, shared by concurrent jobs.
  const spillDirectory = await mkdtemp(nodePath.join(os.tmpdir(), "studio-duckdb-"));
  try {
    const instance = await DuckDBInstance.create(":memory:", {
      threads: String(options.threads ?? jobThreads),
      memory_limit: jobMemoryLimit,
      temp_directory: spillDirectory,
    });
    const connection = await instance.connect();
    try {
      return await fn(connection);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  } finally {
    await rm(spillDirectory, { recursive: true, force: true });
  }
}

/** A SQL identifier from user input (column names): double quotes, embedded quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQL string literal, for the places DuckDB takes no parameters (file paths in table functions, COPY targets). */
export function quoteLiteral(value: string): string {
  if (value.includes("\0")) throw invalidParameter("Text passed to DuckDB cannot contain a NUL character.", sentence("error.datasets.duckdb_nul"));
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The table function reading a dataset file. CSVs come from the studio's masker (RFC 4180, header row);
 * an empty field is a missing value. The type sniffer samples the file; `wholeFileTypes` makes it read
 * every row instead, for files whose late rows contradict the sample.
 */
export function datasetSource(path: string, format: DatasetFileFormat, wholeFileTypes = false): string {
  if (format === "parquet") return `read_parquet(${quoteLiteral(path)})`;
  const sample = wholeFileTypes ? ", sample_size = -1" : "";
  // skip = 0: the sniffer would otherwise skip leading lines of a ragged file and take a data row as header.
  return `read_csv(${quoteLiteral(path)}, header = true, skip = 0, delim = ',', quote = '"', escape = '"'${sample})`;
}

/**
 * The file's cells as the text written in it, column by column (null = an empty field). A CSV is read with every
 * column as VARCHAR, so DuckDB's type sniffing never turns `yes` into true, `007` into 7 or `1.50` into 1.5; a
 * Parquet file's typed values are cast to their text. This, not the sniffed table, is what a model is fed from.
 */
export async function readDatasetText(path: string, format: DatasetFileFormat): Promise<{ name: string; values: (string | null)[] }[]> {
  await requireNonEmptyFile(path, format);
  return withDuckDB(async (connection) => {
    try {
      await connection.run(`CREATE TABLE raw AS SELECT * FROM ${datasetTextSource(path, format)}`);
      const schema = await describeRelation(connection, "raw");
      const select = schema.map((column) => `CAST(${quoteIdentifier(column.name)} AS VARCHAR)`).join(", ");
      const reader = await connection.runAndReadAll(`SELECT ${select} FROM raw`);
      const cells = reader.getColumnsJS();
      return schema.map((column, index) => ({
        name: column.name,
        values: (cells[index] ?? []).map((cell) => (cell === null || cell === undefined ? null : String(cell))),
      }));
    } catch (error) {
      throw unreadableFile(path, format, error);
    }
  });
}

/** The table function reading a file with no type inference: a CSV's columns all VARCHAR, exactly as written. */
export function datasetTextSource(path: string, format: DatasetFileFormat): string {
  if (format === "parquet") return `read_parquet(${quoteLiteral(path)})`;
  return `read_csv(${quoteLiteral(path)}, header = true, skip = 0, delim = ',', quote = '"', escape = '"', all_varchar = true)`;
}

/** Whether a DuckDB error means the sniffed types were wrong for a later row (worth a whole-file retry). */
function isLateTypeConflict(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Could not convert|Conversion Error|sniff/i.test(message);
}

/** Turns a DuckDB read failure into a message saying which file could not be read and why. */
export function unreadableFile(path: string, format: DatasetFileFormat, error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
  return invalidParameter(
    `The ${format === "csv" ? "CSV" : "Parquet"} file could not be read (${reason}). ` +
      (format === "csv"
        ? "Check it is UTF-8, comma-separated, with a header row and the same number of fields on every line."
        : "Check it is a valid Parquet file."),
    sentence("error.datasets.unreadable", { format, reason }),
  );
}

/** Rejects a missing or empty file before DuckDB would guess a column for it. */
async function requireNonEmptyFile(path: string, format: DatasetFileFormat): Promise<void> {
  const size = await stat(path).then(
    (info) => info.size,
    (error: unknown) => {
      throw unreadableFile(path, format, error);
    },
  );
  if (size === 0) throw invalidParameter("The file is empty; a dataset needs a header row and at least one column.", sentence("error.datasets.file_empty"));
}

/**
 * Reads the file once into table `name` (so later passes scan memory, not the file). Retries a CSV
 * with whole-file type inference when the sampled types fail on a later row.
 */
export async function loadDatasetTable(
  connection: DuckDBConnection,
  path: string,
  format: DatasetFileFormat,
  name = "t",
): Promise<void> {
  await requireNonEmptyFile(path, format);
  const create = (wholeFile: boolean) =>
    connection.run(`CREATE OR REPLACE TABLE ${quoteIdentifier(name)} AS SELECT * FROM ${datasetSource(path, format, wholeFile)}`);
  try {
    await create(false);
  } catch (error) {
    if (format !== "csv" || !isLateTypeConflict(error)) throw unreadableFile(path, format, error);
    try {
      await create(true);
    } catch (retryError) {
      throw unreadableFile(path, format, retryError);
    }
  }
}

/**
 * Defines view `t` over the file (no full read, for queries that touch few rows or columns) and runs
 * query on it; a CSV whose late rows contradict the sniffed types is retried with whole-file types.
 */
export async function queryDatasetView<T>(
  connection: DuckDBConnection,
  path: string,
  format: DatasetFileFormat,
  query: () => Promise<T>,
): Promise<T> {
  await requireNonEmptyFile(path, format);
  const attempt = async (wholeFile: boolean) => {
    await connection.run(`CREATE OR REPLACE VIEW t AS SELECT * FROM ${datasetSource(path, format, wholeFile)}`);
    return query();
  };
  try {
    return await attempt(false);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    if (format !== "csv" || !isLateTypeConflict(error)) throw unreadableFile(path, format, error);
    try {
      return await attempt(true);
    } catch (retryError) {
      throw unreadableFile(path, format, retryError);
    }
  }
}

/**
 * Defines view `t` over the file as written (a CSV's columns all text, no sniffing; a Parquet file's own types) and
 * runs query on it: what people read (the preview) shows `yes`, `007` and `1.50` as the file says.
 */
export async function queryDatasetTextView<T>(connection: DuckDBConnection, path: string, format: DatasetFileFormat, query: () => Promise<T>): Promise<T> {
  await requireNonEmptyFile(path, format);
  try {
    await connection.run(`CREATE OR REPLACE VIEW t AS SELECT * FROM ${datasetTextSource(path, format)}`);
    return await query();
  } catch (error) {
    throw unreadableFile(path, format, error);
  }
}

export interface ColumnSchema {
  name: string;
  duckdbType: string;
}

/** Column names and DuckDB types of a table or view in this connection. */
export async function describeRelation(connection: DuckDBConnection, relation = "t"): Promise<ColumnSchema[]> {
  const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${quoteIdentifier(relation)}`);
  return reader.getRowObjectsJS().map((row) => ({ name: String(row.column_name), duckdbType: String(row.column_type) }));
}

/** Throws a clear error when a column the caller named is not in the file. */
export function requireColumn(columns: ColumnSchema[], column: string): ColumnSchema {
  const found = columns.find((c) => c.name === column);
  if (!found) {
    const names = columns.map((c) => `'${c.name}'`).join(", ");
    throw invalidParameter(`Column '${column}' is not in this file; its columns are ${names}.`, sentence("error.datasets.column_not_in_file", { column, columns: names }));
  }
  return found;
}

const integerTypes = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const fractionalTypes = /^(FLOAT|DOUBLE|REAL|DECIMAL(\(\d+,\s*\d+\))?)$/;

export function isIntegerType(duckdbType: string): boolean {
  return integerTypes.test(duckdbType);
}

export function isNumericType(duckdbType: string): boolean {
  return integerTypes.test(duckdbType) || fractionalTypes.test(duckdbType);
}

export function isDateType(duckdbType: string): boolean {
  return duckdbType === "DATE";
}

export function isTimestampType(duckdbType: string): boolean {
  return duckdbType.startsWith("TIMESTAMP");
}

/** A value read with getRowsJS made safe for JSON: exact BigInts as numbers, dates as ISO strings. */
export function toJsonCell(value: unknown, type?: DuckDBType): JsonCell {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    return type?.typeId === DuckDBTypeId.DATE ? value.toISOString().slice(0, 10) : value.toISOString();
  }
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "string" || typeof value === "boolean") return value;
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === "bigint" ? inner.toString() : inner));
}
