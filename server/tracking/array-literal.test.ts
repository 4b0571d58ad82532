// Array literals written by hand read back in the database exactly as node-postgres' own array parameters do.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { numberArrayLiteral, textArrayLiteral } from "./array-literal";

const texts = ["loss", "", "NULL", "null", 'a "quoted" key', "back\\slash", "\\\\", '\\"', "a,b", "{braces}", " padded ", "é/ü:😀", "tab\there", "line\nbreak", "loss"];
const doubles = [0, -0, 1.5, -2.25, 0.1 + 0.2, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1e21, 1e-7, 123456789.123456789, NaN, Infinity, -Infinity];
const integers = [0, 1, -1, 1_700_000_000_000, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];

describe.each(testBackends)("array literals on %s", (kind) => {
  let studio: TestStudio;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
  });
  afterAll(async () => studio.close());

  it("read back as the same text, float8 and int8 elements as array parameters", async () => {
    const [row] = await queryRows<{ t: boolean; f: boolean; i: boolean; texts: string[]; doubles: string }>(studio.db, sql`
      select ${textArrayLiteral(texts)}::text[] = ${sql.param(texts)}::text[] as t,
             -- float8 '=' treats NaN as equal to NaN and -0 as 0, so compare the text too
             ${numberArrayLiteral(doubles)}::float8[]::text = ${sql.param(doubles)}::float8[]::text and ${numberArrayLiteral(doubles)}::float8[] = ${sql.param(doubles)}::float8[] as f,
             ${numberArrayLiteral(integers)}::int8[] = ${sql.param(integers)}::int8[] as i,
             ${textArrayLiteral(texts)}::text[] as texts,
             ${numberArrayLiteral(doubles)}::float8[]::text as doubles`);
    expect(row).toMatchObject({ t: true, f: true, i: true, texts });
    expect(row.doubles).toBe("{0,0,1.5,-2.25,0.30000000000000004,5e-324,2.2250738585072014e-308,1.7976931348623157e+308,-1e+21,1e-07,123456789.12345679,NaN,Infinity,-Infinity}");
  });
});
