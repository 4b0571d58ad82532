// PostgreSQL arrays in the binary wire format (array_recv's), for the 1,000-element arrays of a log-batch insert on
// node-postgres, which sends a Buffer parameter as binary.

/*
 * Why: as text ('{0.84,0.91,…}', array-literal.ts) every double is printed by Node (Number#toString, the shortest
 * exact digits) and read back by PostgreSQL (float8in); for a 1,000-point batch the values' literal alone cost ~0.4 ms
 * of Node CPU, about as much as JSON.parse of the whole request. Binary is 8 bytes per value each way, exact by
 * construction. PGlite takes no Buffer parameters this way, so callers keep the literals there (arrayParameters).
 */

import { numberArrayLiteral, textArrayLiteral } from "./array-literal";

const INT8_OID = 20;
const INT4_OID = 23;
const TEXT_OID = 25;
const FLOAT8_OID = 701;
const TWO_POW_32 = 4294967296;

/** The array header: one dimension of n elements from index 1, no NULLs (an empty array has no dimension). */
function withHeader(n: number, elementOid: number, payloadBytes: number): { buffer: Buffer; offset: number } {
  if (n === 0) {
    const buffer = Buffer.alloc(12);
    buffer.writeInt32BE(elementOid, 8);
    return { buffer, offset: 12 };
  }
  const buffer = Buffer.allocUnsafe(20 + payloadBytes);
  buffer.writeInt32BE(1, 0);
  buffer.writeInt32BE(0, 4);
  buffer.writeInt32BE(elementOid, 8);
  buffer.writeInt32BE(n, 12);
  buffer.writeInt32BE(1, 16);
  return { buffer, offset: 20 };
}

/**
 * float8[]: NaN and ±Infinity as such. -0 is sent as 0, as the text literal sends it (String(-0) is "0"), so a point
 * is stored the same whichever way it came.
 */
export function float8ArrayBinary(values: readonly number[]): Buffer {
  const { buffer, offset } = withHeader(values.length, FLOAT8_OID, 12 * values.length);
  let o = offset;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    buffer.writeInt32BE(8, o);
    buffer.writeDoubleBE(v === 0 ? 0 : v, o + 4);
    o += 12;
  }
  return buffer;
}

/** int8[] of safe integers (the API refuses any other step or timestamp), as two's complement in two 32-bit halves. */
export function int8ArrayBinary(values: readonly number[]): Buffer {
  const { buffer, offset } = withHeader(values.length, INT8_OID, 12 * values.length);
  let o = offset;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isSafeInteger(v)) throw new RangeError(`int8ArrayBinary: ${v} is not a safe integer`);
    const high = Math.floor(v / TWO_POW_32);
    buffer.writeInt32BE(8, o);
    buffer.writeInt32BE(high, o + 4);
    buffer.writeUInt32BE(v - high * TWO_POW_32, o + 8);
    o += 12;
  }
  return buffer;
}

/** int4[] of 32-bit integers (the rollup widths). */
export function int4ArrayBinary(values: readonly number[]): Buffer {
  const { buffer, offset } = withHeader(values.length, INT4_OID, 8 * values.length);
  let o = offset;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw new RangeError(`int4ArrayBinary: ${v} is not a 32-bit integer`);
    buffer.writeInt32BE(4, o);
    buffer.writeInt32BE(v, o + 4);
    o += 8;
  }
  return buffer;
}

/** text[] as UTF-8; a batch names a handful of keys a thousand times, so each is encoded once. */
export function textArrayBinary(values: readonly string[]): Buffer {
  const encoded = new Map<string, Buffer>();
  const parts = new Array<Buffer>(values.length);
  let bytes = 0;
  for (let i = 0; i < values.length; i++) {
    let part = encoded.get(values[i]);
    if (part === undefined) {
      part = Buffer.from(values[i], "utf8");
      encoded.set(values[i], part);
    }
    parts[i] = part;
    bytes += 4 + part.length;
  }
  const { buffer, offset } = withHeader(values.length, TEXT_OID, bytes);
  let o = offset;
  for (const part of parts) {
    buffer.writeInt32BE(part.length, o);
    part.copy(buffer, o + 4);
    o += 4 + part.length;
  }
  return buffer;
}

/** How a statement's array parameters are sent: each returns what goes in `${…}::type[]`. */
export interface ArrayParameters {
  text(values: readonly string[]): Buffer | string;
  int4(values: readonly number[]): Buffer | string;
  int8(values: readonly number[]): Buffer | string;
  float8(values: readonly number[]): Buffer | string;
}

const BINARY_ARRAYS: ArrayParameters = { text: textArrayBinary, int4: int4ArrayBinary, int8: int8ArrayBinary, float8: float8ArrayBinary };
const LITERAL_ARRAYS: ArrayParameters = { text: textArrayLiteral, int4: numberArrayLiteral, int8: numberArrayLiteral, float8: numberArrayLiteral };

/** Binary where the driver sends a Buffer parameter so (node-postgres), text literals otherwise (PGlite). */
export function arrayParameters(binary: boolean): ArrayParameters {
  return binary ? BINARY_ARRAYS : LITERAL_ARRAYS;
}

/**
 * A two-dimensional float8[] as array_send writes it (`array_send(array_agg(row))` over rows of `columns` values), row
 * after row in one Float64Array. The database then prints no number as text: for the compare chart's 100 series ×
 * ~390 rollup buckets × 12 numbers, building and parsing the same as JSON cost more than reading the rows. The bytes
 * arrive as bytea (a Buffer on node-postgres, a Uint8Array on PGlite). An empty array (no rows) gives no values.
 */
export function float8RowsFromBinary(bytes: Uint8Array, columns: number): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dimensions = view.getInt32(0);
  const elementOid = view.getInt32(8);
  if (elementOid !== FLOAT8_OID) throw new Error(`float8RowsFromBinary: elements of type ${elementOid}, not float8`);
  if (dimensions === 0) return new Float64Array(0);
  if (dimensions !== 2 || view.getInt32(4) !== 0 || view.getInt32(20) !== columns) {
    throw new Error(`float8RowsFromBinary: expected rows of ${columns} float8 without NULLs`);
  }
  const count = view.getInt32(12) * columns;
  const values = new Float64Array(count);
  // After the header (5 words and a lower bound per dimension), each element is its length (8) and its 8 bytes.
  let o = 28;
  for (let i = 0; i < count; i++, o += 12) {
    if (view.getInt32(o) !== 8) throw new Error("float8RowsFromBinary: an element is not 8 bytes");
    values[i] = view.getFloat64(o + 4);
  }
  return values;
}
