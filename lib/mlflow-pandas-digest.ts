// MLflow's digest of a pandas DataFrame read from a CSV (mlflow.data.from_pandas(pd.read_csv(file))), computed without
// Python: pandas' hash_pandas_object (SipHash-2-4 for strings, a 64-bit mix for numbers) then an md5 cut to 8 hex characters.
import { createHash } from "node:crypto";

const MASK = (1n << 64n) - 1n;
const MAX_ROWS = 10_000;
/** pandas' default hash key, "0123456789123456", as SipHash's two little-endian words. */
const KEY = Buffer.from("0123456789123456", "utf8");
const K0 = KEY.readBigUInt64LE(0);
const K1 = KEY.readBigUInt64LE(8);

const rotl = (x: bigint, b: bigint) => ((x << b) | (x >> (64n - b))) & MASK;

/** SipHash-2-4 of the bytes with pandas' key. */
function siphash(bytes: Buffer): bigint {
  let v0 = K0 ^ 0x736f6d6570736575n;
  let v1 = K1 ^ 0x646f72616e646f6dn;
  let v2 = K0 ^ 0x6c7967656e657261n;
  let v3 = K1 ^ 0x7465646279746573n;
  const round = () => {
    v0 = (v0 + v1) & MASK; v1 = rotl(v1, 13n); v1 ^= v0; v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & MASK; v3 = rotl(v3, 16n); v3 ^= v2;
    v0 = (v0 + v3) & MASK; v3 = rotl(v3, 21n); v3 ^= v0;
    v2 = (v2 + v1) & MASK; v1 = rotl(v1, 17n); v1 ^= v2; v2 = rotl(v2, 32n);
  };
  const whole = bytes.length - (bytes.length % 8);
  for (let i = 0; i < whole; i += 8) {
    const m = bytes.readBigUInt64LE(i);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  let last = BigInt(bytes.length & 0xff) << 56n;
  for (let i = 0; i < bytes.length % 8; i++) last |= BigInt(bytes[whole + i]!) << BigInt(8 * i);
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xffn;
  round();
  round();
  round();
  round();
  return v0 ^ v1 ^ v2 ^ v3;
}

/** pandas' redistribution of a 64-bit value (the end of hash_array). */
function mix(value: bigint): bigint {
  let v = value & MASK;
  v ^= v >> 30n;
  v = (v * 0xbf58476d1ce4e5b9n) & MASK;
  v ^= v >> 27n;
  v = (v * 0x94d049bb133111ebn) & MASK;
  v ^= v >> 31n;
  return v;
}

const floatBits = new DataView(new ArrayBuffer(8));
function float64Bits(value: number): bigint {
  floatBits.setFloat64(0, value, true);
  return floatBits.getBigUint64(0, true);
}

/** A column as pandas' read_csv types it: int64, float64 (missing → NaN), text (object of str), or other (dropped by MLflow). */
export type PandasColumn = { name: string } & ({ kind: "int64"; values: bigint[] } | { kind: "float64"; values: number[] } | { kind: "str"; values: string[] } | { kind: "other" });

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|infinity|nan)$/i;
/** read_csv's default missing-value strings. */
const MISSING = new Set(["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]);
const BOOL = /^(true|false)$/i;

/** Types one column's cells the way pandas.read_csv does for the common cases (numbers, text, booleans, missing values). */
export function pandasColumn(name: string, cells: string[]): PandasColumn {
  const present = cells.filter((c) => !MISSING.has(c));
  const missing = present.length < cells.length;
  if (present.length && present.every((c) => INT.test(c.trim()))) {
    const ints = present.map((c) => BigInt(c.trim()));
    const fits = ints.every((i) => i >= -(1n << 63n) && i < 1n << 63n);
    if (fits && !missing) return { name, kind: "int64", values: ints };
    if (fits) return { name, kind: "float64", values: cells.map((c) => (MISSING.has(c) ? NaN : Number(c.trim()))) };
  }
  if (present.length && present.every((c) => FLOAT.test(c.trim()))) {
    return { name, kind: "float64", values: cells.map((c) => (MISSING.has(c) ? NaN : parseNumber(c.trim()))) };
  }
  if (!present.length) return { name, kind: "float64", values: cells.map(() => NaN) };
  if (present.every((c) => BOOL.test(c)) && !missing) return { name, kind: "other" };
  // Text with a missing cell holds a float NaN: MLflow keeps only columns that are all str.
  return missing ? { name, kind: "other" } : { name, kind: "str", values: cells };
}

function parseNumber(text: string): number {
  const lower = text.toLowerCase().replace(/^\+/, "");
  if (lower === "inf" || lower === "infinity") return Infinity;
  if (lower === "-inf" || lower === "-infinity") return -Infinity;
  if (lower.endsWith("nan")) return NaN;
  return Number(text);
}

/** Hashes of one column's first rows, as hash_array gives them. */
function columnHashes(column: PandasColumn, rows: number): bigint[] {
  const out: bigint[] = new Array(rows);
  if (column.kind === "int64") for (let i = 0; i < rows; i++) out[i] = mix(BigInt.asUintN(64, column.values[i]!));
  else if (column.kind === "float64") for (let i = 0; i < rows; i++) out[i] = mix(float64Bits(column.values[i]!));
  else if (column.kind === "str") {
    const cache = new Map<string, bigint>();
    for (let i = 0; i < rows; i++) {
      const value = column.values[i]!;
      let hashed = cache.get(value);
      if (hashed === undefined) cache.set(value, (hashed = mix(siphash(Buffer.from(value, "utf8")))));
      out[i] = hashed;
    }
  }
  return out;
}

/** MLflow's compute_pandas_digest for a DataFrame of these columns (in file order) and rowCount rows. */
export function mlflowPandasDigest(columns: PandasColumn[], rowCount: number): string {
  const rows = Math.min(rowCount, MAX_ROWS);
  const kept = columns.filter((c) => c.kind !== "other");
  const strings = kept.filter((c) => c.kind === "str");
  const numbers = kept.filter((c) => c.kind !== "str");
  // Index.union: the other side unchanged when one is empty, else sorted (by code point, as Python compares str).
  const ordered = !strings.length ? numbers : !numbers.length ? strings : [...kept].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const arrays = [...ordered.map((c) => columnHashes(c, rows)), Array.from({ length: rows }, (_, i) => mix(BigInt(i)))];
  const combined = new Array<bigint>(rows).fill(0x345678n);
  let mult = 1000003n;
  arrays.forEach((array, i) => {
    const inverse = BigInt(arrays.length - i);
    for (let r = 0; r < rows; r++) combined[r] = ((combined[r]! ^ array[r]!) * mult) & MASK;
    mult = (mult + 82520n + inverse + inverse) & MASK;
  });
  const hashes = Buffer.alloc(rows * 8);
  for (let r = 0; r < rows; r++) hashes.writeBigUInt64LE((combined[r]! + 97531n) & MASK, r * 8);
  const length = Buffer.alloc(8);
  length.writeBigInt64LE(BigInt(rowCount));
  const md5 = createHash("md5").update(hashes).update(length);
  for (const column of columns) md5.update(Buffer.from(column.name, "utf8"));
  return md5.digest("hex").slice(0, 8);
}

/** Splits CSV text (RFC 4180 quoting, comma separated) into a header and rows of cells. */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      record.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      record.push(cell);
      if (record.length > 1 || record[0] !== "") records.push(record);
      record = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || record.length) records.push([...record, cell]);
  const [header = [], ...rows] = records;
  return { header: header.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, "") : h)), rows };
}

/** MLflow's digest of `mlflow.data.from_pandas(pd.read_csv(file))` for the CSV text. */
export function mlflowDigestOfCsv(text: string): string {
  const { header, rows } = parseCsv(text);
  const columns = header.map((name, i) => pandasColumn(name, rows.map((row) => row[i] ?? "")));
  return mlflowPandasDigest(columns, rows.length);
}
