// Streams an uploaded CSV through validation, the PII scanner and the masking policy, writing only the masked CSV.
import { hash, createHash } from "node:crypto";
import type { Readable, Writable } from "node:stream";
import Papa from "papaparse";
import { createRowMasker, MaskingPolicyError, type MaskingPolicy } from "@/lib/masking";
import { createPiiScanner, type PiiFinding } from "@/lib/pii";
import { DomainError, invalidParameter } from "../errors";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";

export interface MaskCsvOptions {
  policy: MaskingPolicy;
  /** The dataset's secret salt for the "hash" action. */
  salt: string;
  /** Upload limit in bytes of input; exceeding it rejects with RESOURCE_EXHAUSTED. */
  maxBytes?: number;
  /** Data rows fed to the PII scanner (default 10,000): enough for stable shares, cheap on a 2 GB file. */
  sampleRows?: number;
  /** The previous version's policy: it applies to the columns this file still has, unless `policy` names them. */
  inheritedPolicy?: MaskingPolicy;
  /**
   * Called once the scanner has seen its sample (or the whole file, if shorter), with what it found and the
   * policy in force; throwing refuses the upload there, before the rest of the file is read.
   */
  checkFindings?: (findings: PiiFinding[], policy: MaskingPolicy) => void;
  /** Limits checked as the file streams (defaults: datasetLimits). */
  limits?: Partial<DatasetLimits>;
}

/** What an upload may hold, so that every stored version can be profiled and its profile stored. */
export interface DatasetLimits {
  /** Columns in the header: profiling keeps per-column state, and a 10,000-column file exhausted DuckDB's memory. */
  maxColumns: number;
  /** Characters in one cell: a profile lists top values, and one megabyte-sized cell would bloat every read of it. */
  maxCellChars: number;
}

export const datasetLimits: DatasetLimits = {
  maxColumns: Number(process.env.STUDIO_MAX_DATASET_COLUMNS ?? 2000),
  maxCellChars: Number(process.env.STUDIO_MAX_DATASET_CELL_CHARS ?? 65_536),
};

/** A refusal naming the limit that was passed, with the limit and the value found as data too. */
export function limitExceeded(
  limit: "columns" | "cell_size" | "nul_byte",
  message: string,
  details: Record<string, unknown> = {},
  said?: ServerSentence,
): DomainError {
  return new DomainError("UNPROCESSABLE_CONTENT", message, { limit, ...details }, said);
}

/** The policy in force: the inherited decisions for columns this header has, overridden by the ones given now. */
export function effectivePolicy(header: readonly string[], policy: MaskingPolicy, inherited: MaskingPolicy = {}): MaskingPolicy {
  const merged: MaskingPolicy = {};
  for (const column of header) if (Object.hasOwn(inherited, column)) merged[column] = inherited[column];
  for (const [column, mask] of Object.entries(policy)) merged[column] = mask;
  return merged;
}

export interface MaskCsvResult {
  header: string[];
  outputHeader: string[];
  rowCount: number;
  bytesIn: number;
  bytesOut: number;
  /** Hex SHA-256 of exactly the bytes written to the output: the version's content address. */
  sha256: string;
  piiFindings: PiiFinding[];
  /** The policy applied: the given one plus the inherited decisions for this file's columns. */
  policy: MaskingPolicy;
}

/**
 * The salted hash of one value: hex sha256 of the UTF-8 bytes of `salt + value`. The Parquet path computes
 * the same in DuckDB as `sha256(salt || value)`, so a value hashes identically whichever format it came in.
 */
export function saltedHash(salt: string, value: string): string {
  return hash("sha256", salt + value, "hex");
}

/**
 * Written bytes we let the output buffer hold before waiting for "drain". Waiting at every write past the
 * stream's own 16 KiB mark would stop parsing during each disk write; 1 MiB keeps memory bounded and lets
 * the disk work while the next chunk is parsed.
 */
const OUTPUT_BUFFER_BYTES = 1 << 20;

/**
 * The longest record (in UTF-16 units) we carry between chunks. Without a bound, one unclosed quote early in
 * a 2 GB file would make the rest of the file a single "row" held in memory and re-parsed at every chunk.
 */
const MAX_RECORD_CHARS = 16 * 1024 * 1024;

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 field: quoted only when it holds a comma, quote or line break, or starts or ends with a space. */
function csvField(value: string): string {
  if (value === "") return value;
  if (value.charCodeAt(0) !== 32 && value.charCodeAt(value.length - 1) !== 32 && !NEEDS_QUOTES.test(value)) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

function csvLine(fields: readonly string[]): string {
  // A lone empty field would be a blank line, which readers skip; quoting it keeps the row.
  if (fields.length === 1 && fields[0] === "") return '""\n';
  let line = csvField(fields[0] ?? "");
  for (let i = 1; i < fields.length; i++) line += "," + csvField(fields[i]);
  return line + "\n";
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}

/** formatBytes's size and unit as sentence values, so each language writes the number its own way (1.5 / 1,5). */
function sizeValues(bytes: number): { size: number; unit: string } {
  if (bytes >= 1024 ** 3) return { size: bytes / 1024 ** 3, unit: "GiB" };
  if (bytes >= 1024 ** 2) return { size: bytes / 1024 ** 2, unit: "MiB" };
  return { size: bytes, unit: "bytes" };
}

function validateHeader(header: readonly string[]): void {
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (name.trim() === "") {
      throw invalidParameter(`Column ${i + 1} of the header has no name; give every column a name in the first row.`, sentence("error.datasets.header_unnamed", { position: i + 1 }));
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw invalidParameter(
        `The header names column '${name}' twice (columns ${earlier + 1} and ${i + 1}); rename one so every column name is unique.`,
        sentence("error.datasets.header_duplicate", { column: name, first: earlier + 1, second: i + 1 }),
      );
    }
    seen.set(name, i);
  });
}

interface PapaParseOutput {
  data: string[][];
  errors: { code: string; row: number }[];
  meta: { cursor: number };
}

/**
 * Reads `input` as UTF-8 CSV (a BOM is stripped; the line end is detected, CRLF and LF both work), checks it,
 * feeds the first `sampleRows` data rows to the PII scanner, masks every row by `policy` and writes RFC 4180
 * CSV with "\n" line ends to `output`, which it ends; same input, policy and salt give the same bytes.
 * Memory stays bounded by one input chunk plus one partial row, whatever the file size. Rejects with a
 * DomainError on bad input (and destroys `output`, whose partial content the caller deletes).
 *
 * Parsing uses papaparse's own chunk parser (`Papa.Parser`, the one its streaming mode runs on) fed from an
 * async loop, so backpressure, UTF-8 validation and byte counting stay in our hands.
 */
export async function maskCsvStream(input: Readable, output: Writable, options: MaskCsvOptions): Promise<MaskCsvResult> {
  const { salt, maxBytes = Number.POSITIVE_INFINITY, sampleRows = 10_000, checkFindings } = options;
  const limits = { ...datasetLimits, ...options.limits };
  let policy: MaskingPolicy = options.policy;
  let findingsChecked = false;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const sha256 = createHash("sha256");
  let outputError: Error | null = null;
  const onOutputError = (error: Error) => {
    outputError = error;
  };
  output.on("error", onOutputError);

  let bytesIn = 0;
  let bytesOut = 0;
  let rowCount = 0;
  let sawText = false;
  let parser: Papa.Parser | null = null;
  let stripCarriageReturn = false;
  let partial = "";
  let header: string[] | null = null;
  let masker: ReturnType<typeof createRowMasker> | null = null;
  let scanner: ReturnType<typeof createPiiScanner> | null = null;
  const hashValue = (value: string) => saltedHash(salt, value);

  async function write(text: string): Promise<void> {
    if (outputError) throw outputError;
    if (!text) return;
    const bytes = Buffer.from(text, "utf8");
    sha256.update(bytes);
    bytesOut += bytes.length;
    if (!output.write(bytes) && output.writableLength > OUTPUT_BUFFER_BYTES) {
      await new Promise<void>((resolve, reject) => {
        const done = () => {
          output.off("drain", done);
          output.off("error", done);
          output.off("close", done);
          if (outputError) reject(outputError);
          else resolve();
        };
        output.on("drain", done);
        output.on("error", done);
        output.on("close", done);
      });
    }
  }

  function startTable(row: string[]): string {
    if (row.length > limits.maxColumns) {
      throw limitExceeded(
        "columns",
        `The file has ${row.length.toLocaleString("en-US")} columns; the limit is ${limits.maxColumns.toLocaleString("en-US")} columns per dataset. ` +
          "Split it into narrower files (or keep only the columns a model uses) and upload again.",
        { max: limits.maxColumns, found: row.length },
        sentence("error.datasets.too_many_columns", { found: row.length, max: limits.maxColumns }),
      );
    }
    validateHeader(row);
    header = row;
    policy = effectivePolicy(row, options.policy, options.inheritedPolicy);
    try {
      masker = createRowMasker(row, policy, hashValue);
    } catch (error) {
      if (error instanceof MaskingPolicyError) throw invalidParameter(error.message, sentence("error.datasets.policy_unknown_column", { column: error.column, header: error.header.join(", ") }));
      throw error;
    }
    if (masker.outputHeader.length === 0) throw invalidParameter("The masking policy drops every column; keep at least one.", sentence("error.datasets.policy_drops_all"));
    scanner = createPiiScanner(row, { maxRows: sampleRows });
    return csvLine(masker.outputHeader);
  }

  function checkScan(): void {
    findingsChecked = true;
    checkFindings?.(scanner!.findings(), policy);
  }

  /** Parses all complete rows of `text` after the carried-over partial row, masking them into one output string. */
  function parseText(text: string, final: boolean): string {
    partial += text;
    if (!parser) {
      // Wait for the first line end to tell CRLF/LF files (handled alike) from old-Mac CR-only files.
      if (!final && !/\n|\r[^\n]/.test(partial)) return "";
      const crOnly = !partial.includes("\n") && partial.includes("\r");
      parser = new Papa.Parser({ delimiter: ",", newline: crOnly ? "\r" : "\n" });
      stripCarriageReturn = !crOnly;
    }
    const recordsBefore = rowCount + (header ? 1 : 0);
    const result = parser.parse(partial, 0, !final) as PapaParseOutput;
    const rows = result.data;
    for (const error of result.errors) {
      // A complaint about the unfinished last row is premature: the next chunk may complete it.
      if (!final && error.row >= rows.length) continue;
      const row = recordsBefore + error.row;
      const where = `Data row ${row}`;
      if (error.code === "MissingQuotes") {
        throw invalidParameter(`${where} opens a quoted field that is never closed; close the quote or remove it.`, sentence("error.datasets.quote_unclosed", { row }));
      }
      throw invalidParameter(`${where} has a malformed quoted field; inside quotes, write a quote as two quotes ("").`, sentence("error.datasets.quote_malformed", { row }));
    }
    partial = final ? "" : partial.substring(result.meta.cursor);
    if (partial.length > MAX_RECORD_CHARS) {
      throw invalidParameter(
        `Data row ${recordsBefore + rows.length} is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MiB, which usually means a quoted field is never closed; check the quotes near that row.`,
        sentence("error.datasets.row_too_long", { row: recordsBefore + rows.length, mebibytes: MAX_RECORD_CHARS / 1024 / 1024 }),
      );
    }
    let out = "";
    for (const row of rows) {
      if (stripCarriageReturn) {
        const last = row[row.length - 1];
        if (last.charCodeAt(last.length - 1) === 13) row[row.length - 1] = last.slice(0, -1);
      }
      if (row.length === 1 && row[0] === "") continue;
      if (!header) {
        out += startTable(row);
        continue;
      }
      rowCount++;
      if (row.length !== header.length) {
        throw invalidParameter(
          `Data row ${rowCount} (counting the header as row 0) has ${row.length} fields but the header has ${header.length}; ` +
            "quote values that contain commas, and give every row one value per column (empty for missing).",
          sentence("error.datasets.row_width", { row: rowCount, found: row.length, expected: header.length }),
        );
      }
      for (let i = 0; i < row.length; i++) {
        if (row[i].length > limits.maxCellChars) {
          throw limitExceeded(
            "cell_size",
            `Data row ${rowCount}, column '${header[i]}' holds ${row[i].length.toLocaleString("en-US")} characters; the limit is ` +
              `${limits.maxCellChars.toLocaleString("en-US")} characters per cell. Shorten or remove that value and upload again.`,
            { max: limits.maxCellChars, found: row[i].length, row: rowCount, column: header[i] },
            sentence("error.datasets.cell_too_long", { row: rowCount, column: header[i], found: row[i].length, max: limits.maxCellChars }),
          );
        }
      }
      scanner!.addRow(row);
      if (!findingsChecked && scanner!.rowsScanned >= sampleRows) checkScan();
      out += csvLine(masker!.mask(row));
    }
    return out;
  }

  try {
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      bytesIn += bytes.length;
      if (bytesIn > maxBytes) {
        throw new DomainError(
          "RESOURCE_EXHAUSTED",
          `The file is larger than the ${formatBytes(maxBytes)} upload limit; split it or ask an administrator to raise the limit.`,
          undefined,
          sentence("error.datasets.upload_too_large", sizeValues(maxBytes)),
        );
      }
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch {
        throw invalidParameter("The file is not UTF-8 text; re-save it as UTF-8 (in Excel: Save As → CSV UTF-8) and upload it again.", sentence("error.datasets.not_utf8"));
      }
      if (text.includes("\0")) {
        throw limitExceeded(
          "nul_byte",
          `The file contains a NUL byte (a zero byte) after data row ${rowCount}; CSV text cannot hold one, and it usually means a binary ` +
            "or UTF-16 file. Re-save it as UTF-8 CSV, or remove the NUL characters, and upload again.",
          { row: rowCount },
          sentence("error.datasets.nul_byte", { row: rowCount }),
        );
      }
      if (!sawText && text.trim() !== "") sawText = true;
      await write(parseText(text, false));
    }
    let tail: string;
    try {
      tail = decoder.decode();
    } catch {
      throw invalidParameter(
        "The file is not UTF-8 text (it ends inside a multi-byte character); re-save it as UTF-8 and upload it again.",
        sentence("error.datasets.not_utf8_end"),
      );
    }
    const empty = () => invalidParameter("The file is empty; upload a CSV with a header row and at least one data row.", sentence("error.datasets.csv_empty"));
    if (!sawText && tail.trim() === "") throw empty();
    await write(parseText(tail, true));
    if (!header) throw empty();
    if (rowCount === 0) throw invalidParameter("The file has a header but has no data rows; add at least one row below the header.", sentence("error.datasets.csv_no_rows"));
    if (!findingsChecked) checkScan();

    await new Promise<void>((resolve, reject) => {
      if (outputError) return reject(outputError);
      output.once("error", reject);
      output.end(() => resolve());
    });
  } catch (error) {
    input.destroy();
    output.destroy();
    throw error;
  } finally {
    output.off("error", onOutputError);
  }

  return {
    header: header!,
    outputHeader: (masker as ReturnType<typeof createRowMasker> | null)!.outputHeader,
    rowCount,
    bytesIn,
    bytesOut,
    sha256: sha256.digest("hex"),
    piiFindings: (scanner as ReturnType<typeof createPiiScanner> | null)!.findings(),
    policy,
  };
}
