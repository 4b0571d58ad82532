// The reference a served model's traffic is compared with: columns of a dataset version as written (no type sniffing),
// read once with DuckDB and cached.
import { numberFromText } from "@/lib/feature-values";
import { datasetTextSource, describeRelation, quoteIdentifier, withDuckDB, type DatasetFileFormat } from "../datasets/duckdb";

export interface ReferenceColumn {
  /** numeric when every non-empty cell writes a number; a string input of the model still compares by text (counts). */
  kind: "numeric" | "categorical";
  /** Numeric columns: the non-missing values. */
  numbers: number[];
  /**
   * Value as written in the file → count, missing values left out: `yes` stays `yes` (not true), `007` stays `007`.
   * Empty for numeric columns with more than MAX_CATEGORY_VALUES distinct texts (no model takes those as categories).
   */
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

/** Past this many distinct texts a numeric column keeps only its numbers (its counts would only cost memory). */
const MAX_CATEGORY_VALUES = 10_000;

async function loadReference(path: string, format: DatasetFileFormat): Promise<ReferenceData> {
  return withDuckDB(
    async (connection) => {
      await connection.run(
        `CREATE OR REPLACE TABLE t AS SELECT * FROM ${datasetTextSource(path, format)} USING SAMPLE reservoir(${MAX_REFERENCE_ROWS} ROWS) REPEATABLE (42)`,
      );
      const schema = await describeRelation(connection);
      const [countRow] = (await connection.runAndReadAll("SELECT count(*) AS n FROM t")).getRowObjectsJS();
      const columns = new Map<string, ReferenceColumn>();
      for (const column of schema) {
        const q = quoteIdentifier(column.name);
        const reader = await connection.runAndReadAll(`SELECT CAST(${q} AS VARCHAR) AS v, count(*) AS n FROM t WHERE ${q} IS NOT NULL GROUP BY 1`);
        const counts: Record<string, number> = {};
        const numbers: number[] = [];
        let numeric = true;
        for (const row of reader.getRowObjectsJS()) {
          const text = String(row.v);
          const n = Number(row.n);
          if (text.trim() === "") continue;
          counts[text] = n;
          const value = numeric ? numberFromText(text) : null;
          if (value === null) numeric = false;
          else for (let k = 0; k < n; k += 1) numbers.push(value);
        }
        const distinct = Object.keys(counts).length;
        columns.set(
          column.name,
          numeric && distinct > 0
            ? { kind: "numeric", numbers, counts: distinct <= MAX_CATEGORY_VALUES ? counts : {} }
            : { kind: "categorical", numbers: [], counts },
        );
      }
      return { rowCount: Number(countRow?.n ?? 0), columns };
    },
    { threads: 1 },
  );
}
