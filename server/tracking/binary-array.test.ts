// Binary array parameters read back in PostgreSQL exactly as the text literals do (what PGlite is still sent).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { numberArrayLiteral, textArrayLiteral } from "./array-literal";
import { float8ArrayBinary, float8RowsFromBinary, int4ArrayBinary, int8ArrayBinary, textArrayBinary } from "./binary-array";

const texts = ["loss", "", "NULL", "null", 'a "quoted" key', "back\\slash", "\\\\", '\\"', "a,b", "{braces}", " padded ", "é/ü:😀", "tab\there", "line\nbreak", "loss"];
const doubles = [0, -0, 1.5, -2.25, 0.1 + 0.2, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1e21, 1e-7, 123456789.123456789, NaN, Infinity, -Infinity];
const int4s = [0, 1, -1, 16, 1024, 2147483647, -2147483648];
const integers = [0, 1, -1, 4294967295, 4294967296, -4294967296, -4294967297, 1_700_000_000_000, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];

// Only node-postgres sends a Buffer parameter as binary; on PGlite the insert keeps the literals, tested beside them.
describe.skipIf(!testBackends.includes("postgres"))("binary array parameters on postgres (needs TEST_DATABASE_URL)", () => {
  let studio: TestStudio;
  beforeAll(async () => {
    studio = await createTestStudio("postgres");
  });
  afterAll(async () => studio.close());

  it("read back as the same text, float8 and int8 elements as the array literals", async () => {
    const [row] = await queryRows<{ t: boolean; f: boolean; fText: string; i: boolean; iText: string; texts: string[] }>(studio.db, sql`
      select ${textArrayBinary(texts)}::text[] = ${textArrayLiteral(texts)}::text[] as t,
             -- float8 '=' treats NaN as equal to NaN and -0 as 0: the text shows every bit that matters
             ${float8ArrayBinary(doubles)}::float8[] = ${numberArrayLiteral(doubles)}::float8[] as f,
             ${float8ArrayBinary(doubles)}::float8[]::text as "fText",
             ${int8ArrayBinary(integers)}::int8[] = ${numberArrayLiteral(integers)}::int8[] as i,
             ${int8ArrayBinary(integers)}::int8[]::text as "iText",
             ${textArrayBinary(texts)}::text[] as texts`);
    expect(row).toMatchObject({ t: true, f: true, i: true, texts });
    expect(row.fText).toBe((await queryRows<{ x: string }>(studio.db, sql`select ${numberArrayLiteral(doubles)}::float8[]::text as x`))[0].x);
    expect(row.fText).toBe(
      "{0,0,1.5,-2.25,0.30000000000000004,5e-324,-5e-324,2.2250738585072014e-308,1.7976931348623157e+308,-1e+21,1e-07,123456789.12345679,NaN,Infinity,-Infinity}",
    );
    expect(row.iText).toBe(`{${integers.join(",")}}`);
  });

  it("reads int4 elements back as the literal gives them, the 32-bit extremes included", async () => {
    const [row] = await queryRows<{ same: boolean; text: string }>(studio.db, sql`
      select ${int4ArrayBinary(int4s)}::int4[] = ${numberArrayLiteral(int4s)}::int4[] as same, ${int4ArrayBinary(int4s)}::int4[]::text as text`);
    expect(row).toEqual({ same: true, text: `{${int4s.join(",")}}` });
  });

  it("sends empty arrays as empty arrays", async () => {
    const [row] = await queryRows<{ t: string; f: string; i: string }>(studio.db, sql`
      select ${textArrayBinary([])}::text[]::text as t, ${float8ArrayBinary([])}::float8[]::text as f, ${int8ArrayBinary([])}::int8[]::text as i`);
    expect(row).toEqual({ t: "{}", f: "{}", i: "{}" });
  });

  it("refuses an integer it cannot send exactly", () => {
    expect(() => int8ArrayBinary([2 ** 53])).toThrow(RangeError);
    expect(() => int8ArrayBinary([1.5])).toThrow(RangeError);
    expect(() => int4ArrayBinary([2147483648])).toThrow(RangeError);
    expect(() => int4ArrayBinary([0.5])).toThrow(RangeError);
  });
});

// The other way: the compare chart reads each series' rollup buckets as array_send of a two-dimensional float8 array.
describe.each(testBackends)("float8 rows read from array_send on %s", (kind) => {
  let studio: TestStudio;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
  });
  afterAll(async () => studio.close());
  const rowsOf = async (query: ReturnType<typeof sql>) => (await queryRows<{ b: Uint8Array }>(studio.db, sql`select array_send(${query}) as b`))[0].b;

  it("gives every double of every row back exactly, row after row", async () => {
    // Three columns a row, as the literal writes them; -0 and the extremes must survive without going through text.
    const rows = [doubles.slice(0, 3), doubles.slice(3, 6), doubles.slice(6, 9), doubles.slice(9, 12), doubles.slice(12, 15)];
    const literal = `{${rows.map((row) => `{${row.map((v) => (Object.is(v, -0) ? "-0" : String(v))).join(",")}}`).join(",")}}`;
    const values = float8RowsFromBinary(await rowsOf(sql`${literal}::float8[]`), 3);
    expect(values).toBeInstanceOf(Float64Array);
    expect([...values]).toEqual(rows.flat());
    expect(Object.is(values[1], -0)).toBe(true);
  });

  it("gives no values for an empty array and refuses rows of another width or with NULLs", async () => {
    expect(float8RowsFromBinary(await rowsOf(sql`'{}'::float8[]`), 12)).toHaveLength(0);
    await expect(rowsOf(sql`'{{1,2,3},{4,5,6}}'::float8[]`).then((b) => float8RowsFromBinary(b, 12))).rejects.toThrow(/rows of 12/);
    await expect(rowsOf(sql`'{{1,NULL,3}}'::float8[]`).then((b) => float8RowsFromBinary(b, 3))).rejects.toThrow(/without NULLs/);
    await expect(rowsOf(sql`'{1,2,3}'::float8[]`).then((b) => float8RowsFromBinary(b, 3))).rejects.toThrow(/rows of 3/);
    await expect(rowsOf(sql`'{{1,2,3}}'::int8[]`).then((b) => float8RowsFromBinary(b, 3))).rejects.toThrow(/not float8/);
  });
});
