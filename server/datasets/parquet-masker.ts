// Masks a Parquet upload column by column in DuckDB (same transforms as the CSV masker) and samples rows for the PII scan.
import type { DuckDBConnection } from "@duckdb/node-api";
import { invalidParameter } from "@/server/errors";
import { sentence } from "@/lib/i18n/server-sentence";
import {
  describeRelation,
  isDateType,
  isNumericType,
  isTimestampType,
  queryDatasetView,
  quoteIdentifier,
  quoteLiteral,
  withDuckDB,
  type ColumnSchema,
} from "./duckdb";

/** Structurally the registry's masking policy (zMaskingPolicy in lib/masking.ts): what to do with each named column. */
export type ParquetMaskingPolicy = Record<string, { action: "keep" | "drop" | "hash" | "redact" | "generalise"; bandWidth?: number }>;

export const defaultBandWidth = 10;

// Numbers print as JavaScript's String(number) does for the CSV masker: integral values without decimals.
const numberTextMacro = `CREATE OR REPLACE TEMP MACRO studio_number_text(v) AS
  CASE WHEN v = trunc(v) AND abs(v) < 1e18 THEN CAST(CAST(v AS BIGINT) AS VARCHAR) ELSE CAST(v AS VARCHAR) END`;
const bandMacro = `CREATE OR REPLACE TEMP MACRO studio_band(x, w) AS
  studio_number_text(floor(x / w) * w) || '-' || studio_number_text(floor(x / w) * w + w)`;

// Text generalised as the CSV masker does (lib/masking.ts generaliseValue): an e-mail address → its domain, an IPv4
// address → its /24 network, an international phone number → its country calling code (E.164 codes are prefix-free:
// these are the 1- and 2-digit ones, every other has 3 digits); anything else is suppressed.
const octet = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const callingCodes12 = "'1','7','20','27','30','31','32','33','34','36','39','40','41','43','44','45','46','47','48','49','51','52','53','54','55','56','57','58','60','61','62','63','64','65','66','81','82','84','86','90','91','92','93','94','95','98'";
const phoneDigitsMacro = `CREATE OR REPLACE TEMP MACRO studio_phone_digits(v) AS regexp_replace(regexp_replace(v, '^(\\+|00)', ''), '[^0-9]', '', 'g')`;
const generaliseTextMacro = `CREATE OR REPLACE TEMP MACRO studio_generalise_text(raw) AS CASE
    WHEN raw IS NULL THEN NULL
    WHEN raw = '' THEN ''
    WHEN regexp_full_match(trim(raw), '[^@\\s]+@[^@\\s]+\\.[^@\\s.]{2,63}') THEN lower(regexp_extract(trim(raw), '@([^@]+)$', 1))
    WHEN regexp_full_match(trim(raw), '${octet}(\\.${octet}){3}') THEN regexp_extract(trim(raw), '^([0-9]+\\.[0-9]+\\.[0-9]+)\\.', 1) || '.0/24'
    WHEN regexp_full_match(trim(raw), '(\\+|00)[1-9][0-9 ().\\/-]{6,}') AND length(studio_phone_digits(trim(raw))) BETWEEN 7 AND 15 THEN '+' || CASE
      WHEN left(studio_phone_digits(trim(raw)), 1) IN ('1', '7') THEN left(studio_phone_digits(trim(raw)), 1)
      WHEN left(studio_phone_digits(trim(raw)), 2) IN (${callingCodes12}) THEN left(studio_phone_digits(trim(raw)), 2)
      ELSE left(studio_phone_digits(trim(raw)), 3) END
    ELSE '[GENERALISED]' END`;

/** The SELECT expression masking one column, or null when the column is dropped. NULL stays NULL throughout. */
function maskedColumn(column: ColumnSchema, mask: ParquetMaskingPolicy[string] | undefined): string | null {
  const q = quoteIdentifier(column.name);
  const as = `AS ${q}`;
  switch (mask?.action ?? "keep") {
    case "keep":
      return q;
    case "drop":
      return null;
    case "hash":
      return `sha256($salt || CAST(${q} AS VARCHAR)) ${as}`;
    case "redact":
      return `CASE WHEN ${q} IS NULL THEN NULL ELSE '[REDACTED]' END ${as}`;
    case "generalise": {
      if (isNumericType(column.duckdbType)) {
        const width = mask?.bandWidth ?? defaultBandWidth;
        return `studio_band(CAST(${q} AS DOUBLE), CAST(${width} AS DOUBLE)) ${as}`;
      }
      if (isDateType(column.duckdbType) || isTimestampType(column.duckdbType)) return `strftime(${q}, '%Y-%m') ${as}`;
      if (column.duckdbType === "VARCHAR") return `studio_generalise_text(${q}) ${as}`;
      return `CASE WHEN ${q} IS NULL THEN NULL ELSE '[GENERALISED]' END ${as}`;
    }
  }
}

function checkPolicy(policy: ParquetMaskingPolicy, columns: ColumnSchema[]): void {
  const names = new Set(columns.map((c) => c.name));
  const unknown = Object.keys(policy).filter((name) => !names.has(name));
  if (unknown.length) {
    const named = unknown.map((n) => `'${n}'`).join(", ");
    throw invalidParameter(`The masking policy names ${named}, which the file does not have; remove them from the policy.`, sentence("error.datasets.policy_names_absent", { columns: named }));
  }
  for (const [name, mask] of Object.entries(policy)) {
    if (mask.bandWidth !== undefined && !(Number.isFinite(mask.bandWidth) && mask.bandWidth > 0)) {
      throw invalidParameter(`The band width for '${name}' must be a positive number.`, sentence("error.datasets.band_width", { column: name }));
    }
  }
  if (columns.every((c) => policy[c.name]?.action === "drop")) throw invalidParameter("The masking policy drops every column; keep at least one.", sentence("error.datasets.policy_drops_all"));
}

/** Writes the masked copy of inputPath to outputPath as Parquet; only the masked data is ever written. */
export async function maskParquetFile(
  inputPath: string,
  outputPath: string,
  policy: ParquetMaskingPolicy,
  salt: string,
): Promise<{ rowCount: number; header: string[]; outputHeader: string[] }> {
  return withDuckDB((connection: DuckDBConnection) =>
    queryDatasetView(connection, inputPath, "parquet", async () => {
      const columns = await describeRelation(connection);
      checkPolicy(policy, columns);
      const selections = columns.map((c) => ({ name: c.name, sql: maskedColumn(c, policy[c.name]) })).filter((s) => s.sql !== null);
      await connection.run(numberTextMacro);
      await connection.run(bandMacro);
      await connection.run(phoneDigitsMacro);
      await connection.run(generaliseTextMacro);
      const usesSalt = columns.some((c) => policy[c.name]?.action === "hash");
      const reader = await connection.runAndReadAll(
        `COPY (SELECT ${selections.map((s) => s.sql).join(", ")} FROM t) TO ${quoteLiteral(outputPath)} (FORMAT parquet)`,
        usesSalt ? { salt } : undefined,
      );
      return {
        rowCount: Number(reader.getRowsJS()[0]?.[0] ?? 0),
        header: columns.map((c) => c.name),
        outputHeader: selections.map((s) => s.name),
      };
    }),
  );
}

/** The first maxRows rows as text (missing values as empty strings, as in a CSV), for the PII scanner. */
export async function sampleParquetRows(inputPath: string, maxRows: number): Promise<{ header: string[]; rows: string[][] }> {
  if (!Number.isInteger(maxRows) || maxRows < 1) throw invalidParameter("maxRows must be a whole number of 1 or more.", sentence("error.datasets.whole_number", { what: "maxRows" }));
  return withDuckDB((connection) =>
    queryDatasetView(connection, inputPath, "parquet", async () => {
      const columns = await describeRelation(connection);
      const asText = columns.map((c) => `coalesce(CAST(${quoteIdentifier(c.name)} AS VARCHAR), '')`).join(", ");
      const reader = await connection.runAndReadAll(`SELECT ${asText} FROM t LIMIT $limit`, { limit: maxRows });
      return { header: columns.map((c) => c.name), rows: reader.getRowsJS().map((row) => row.map((v) => String(v))) };
    }),
  );
}

/**
 * What the upload limits look at in a Parquet file: its column count and, per text column, the longest value
 * and whether any value holds a NUL character (PostgreSQL's JSON cannot store one, so its profile could not be
 * kept). A file wider than `maxColumns` is answered from its schema alone, without reading its rows.
 */
export async function parquetCellStats(
  inputPath: string,
  maxColumns: number,
): Promise<{ columns: number; text: { column: string; maxChars: number; hasNul: boolean }[] }> {
  return withDuckDB((connection) =>
    queryDatasetView(connection, inputPath, "parquet", async () => {
      const columns = await describeRelation(connection);
      const text = columns.filter((c) => c.duckdbType === "VARCHAR");
      if (columns.length > maxColumns || !text.length) return { columns: columns.length, text: [] };
      const selections = text.map((c, i) => {
        const q = quoteIdentifier(c.name);
        return `coalesce(max(length(${q})), 0) AS l${i}, coalesce(bool_or(contains(${q}, chr(0))), false) AS n${i}`;
      });
      const [row] = (await connection.runAndReadAll(`SELECT ${selections.join(", ")} FROM t`)).getRowObjectsJS();
      return {
        columns: columns.length,
        text: text.map((c, i) => ({ column: c.name, maxChars: Number(row?.[`l${i}`] ?? 0), hasNul: Boolean(row?.[`n${i}`]) })),
      };
    }),
  );
}
