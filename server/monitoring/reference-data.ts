// The reference a served model's traffic is compared with: columns of a dataset version, read once with DuckDB and cached.
import { datasetSource, describeRelation, isNumericType, quoteIdentifier, withDuckDB, type DatasetFileFormat } from "../datasets/duckdb";

export interface ReferenceColumn {
  kind: "numeric" | "categorical";
  /** Numeric columns: the non-missing values. */
  numbers: number[];
  /** Categorical columns: value (as text) → count; missing values are left out. */
  counts: Record<string, number>;
}

export interface ReferenceData {
  rowCount: number;
  columns: Map<string, ReferenceColumn>;
}

/** A large reference is sampled to this many rows (seeded), which keeps drift tests fast and their power ample. */
export const MAX_REFERENCE_ROWS = 100_000;
const CACHE_SIZE = 8;

const holder = globalThis as unknown as { studioReferenceCache?: Map<string, Promise<ReferenceData>> };
const cache = (holder.studioReferenceCache ??= new Map());

/** The dataset file's columns; cached by its content digest (versions are immutable, so the cache never goes stale). */
export function readReferenceData(path: string, format: DatasetFileFormat, digest: string): Promise<ReferenceData> {
  const cached = cache.get(digest);
  if (cached) return cached;
  const loading = loadReference(path, format);
  cache.set(digest, loading);
  loading.catch(() => cache.delete(digest));
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return loading;
}

async function loadReference(path: string, format: DatasetFileFormat): Promise<ReferenceData> {
  return withDuckDB(
    async (connection) => {
      await connection.run(
        `CREATE OR REPLACE TABLE t AS SELECT * FROM ${datasetSource(path, format, true)} USING SAMPLE reservoir(${MAX_REFERENCE_ROWS} ROWS) REPEATABLE (42)`,
      );
      const schema = await describeRelation(connection);
      const [countRow] = (await connection.runAndReadAll("SELECT count(*) AS n FROM t")).getRowObjectsJS();
      const columns = new Map<string, ReferenceColumn>();
      for (const column of schema) {
        const q = quoteIdentifier(column.name);
        if (isNumericType(column.duckdbType)) {
          const reader = await connection.runAndReadAll(`SELECT CAST(${q} AS DOUBLE) AS x FROM t WHERE ${q} IS NOT NULL`);
          columns.set(column.name, { kind: "numeric", numbers: (reader.getColumnsJS()[0] ?? []).map(Number), counts: {} });
        } else {
          const reader = await connection.runAndReadAll(`SELECT CAST(${q} AS VARCHAR) AS v, count(*) AS n FROM t WHERE ${q} IS NOT NULL GROUP BY 1`);
          const counts: Record<string, number> = {};
          for (const row of reader.getRowObjectsJS()) counts[String(row.v)] = Number(row.n);
          columns.set(column.name, { kind: "categorical", numbers: [], counts });
        }
      }
      return { rowCount: Number(countRow?.n ?? 0), columns };
    },
    { threads: 1 },
  );
}
