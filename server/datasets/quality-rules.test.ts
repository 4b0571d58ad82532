// Each quality rule kind passing and failing on small files whose offending rows are known.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteLiteral, withDuckDB } from "./duckdb";
import { evaluateQualityRules, regexPatternProblem, zQualityRule, type QualityRule } from "./quality-rules";

let dir: string;
let csv: string;
let parquet: string;
// id 1..6; city missing twice; age 17 and 130 out of 18..99; code repeated (A1 twice); email one malformed.
const text = [
  "id,city,age,code,email,active",
  "1,Paris,34,A1,ann@example.com,true",
  "2,Lyon,17,B2,bob@example.com,false",
  "3,,45,A1,not-an-email,true",
  '4,"Nice, France",130,C3,cat@example.com,true',
  "5,,52,D4,dan@example.com,false",
  "6,Paris,29,E5,eve@example.com,true",
].join("\n");

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "quality-test-"));
  csv = path.join(dir, "people.csv");
  parquet = path.join(dir, "people.parquet");
  await writeFile(csv, text + "\n");
  await withDuckDB((c) => c.run(`COPY (SELECT * FROM read_csv(${quoteLiteral(csv)})) TO ${quoteLiteral(parquet)} (FORMAT parquet)`));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const evaluateOne = async (rule: QualityRule, format: "csv" | "parquet" = "csv") => {
  const [result] = await evaluateQualityRules(format === "csv" ? csv : parquet, format, [{ ...rule, id: 7 }]);
  expect(result.ruleId).toBe(7);
  return result;
};

describe("evaluateQualityRules", () => {
  it("not_null fails on missing values with a plain sentence and the offending rows", async () => {
    const failed = await evaluateOne({ kind: "not_null", column: "city" });
    expect(failed).toMatchObject({ passed: false, failingCount: 2, checkedCount: 6, message: "2 of 6 rows have no value in 'city'" });
    expect(failed.sampleRows.map((r) => r.id)).toEqual([3, 5]);
    expect(failed.sampleRows[0]).toEqual({ id: 3, city: null, age: 45, code: "A1", email: "not-an-email", active: true });
    expect(await evaluateOne({ kind: "not_null", column: "age" })).toMatchObject({ passed: true, failingCount: 0, sampleRows: [] });
  });

  it("range checks the minimum, the maximum or both", async () => {
    const both = await evaluateOne({ kind: "range", column: "age", min: 18, max: 99 });
    expect(both).toMatchObject({ passed: false, failingCount: 2, checkedCount: 6, message: "2 of 6 values in 'age' are not between 18 and 99" });
    expect(both.sampleRows.map((r) => r.age)).toEqual([17, 130]);
    expect(await evaluateOne({ kind: "range", column: "age", min: 18 })).toMatchObject({ passed: false, failingCount: 1 });
    expect(await evaluateOne({ kind: "range", column: "age", max: 200 })).toMatchObject({ passed: true, message: "All 6 values in 'age' are at most 200" });
  });

  it("range on a text column counts values that are not numbers", async () => {
    expect(await evaluateOne({ kind: "range", column: "code", min: 0 })).toMatchObject({ passed: false, failingCount: 6 });
  });

  it("unique counts every row sharing a value", async () => {
    const failed = await evaluateOne({ kind: "unique", column: "code" });
    expect(failed).toMatchObject({ passed: false, failingCount: 2, checkedCount: 6 });
    expect(failed.sampleRows.map((r) => r.id)).toEqual([1, 3]);
    expect(await evaluateOne({ kind: "unique", column: "id" })).toMatchObject({ passed: true, failingCount: 0 });
  });

  it("allowed_values compares values as text, ignoring missing ones", async () => {
    const failed = await evaluateOne({ kind: "allowed_values", column: "city", values: ["Paris", "Lyon"] });
    expect(failed).toMatchObject({ passed: false, failingCount: 1, checkedCount: 4 });
    expect(failed.sampleRows[0].city).toBe("Nice, France");
    expect(await evaluateOne({ kind: "allowed_values", column: "active", values: ["true", "false"] })).toMatchObject({ passed: true });
  });

  it("regex requires a full match and reports an invalid pattern clearly", async () => {
    const failed = await evaluateOne({ kind: "regex", column: "email", pattern: "[^@]+@[^@]+\\.[a-z]+" });
    expect(failed).toMatchObject({ passed: false, failingCount: 1, checkedCount: 6 });
    expect(failed.sampleRows[0].email).toBe("not-an-email");
    expect(await evaluateOne({ kind: "regex", column: "code", pattern: "[A-Z][0-9]" })).toMatchObject({ passed: true });
    // A partial match is not enough.
    expect(await evaluateOne({ kind: "regex", column: "code", pattern: "[A-Z]" })).toMatchObject({ passed: false, failingCount: 6 });
    const invalid = await evaluateOne({ kind: "regex", column: "code", pattern: "([A-Z]" });
    expect(invalid.passed).toBe(false);
    expect(invalid.message).toMatch(/^The pattern '\(\[A-Z\]' is not a valid regular expression/);
    expect(await regexPatternProblem("a+")).toBeNull();
  });

  it("max_missing compares the missing share with the allowed share", async () => {
    const failed = await evaluateOne({ kind: "max_missing", column: "city", maxShare: 0.25 });
    expect(failed).toMatchObject({ passed: false, failingCount: 2, checkedCount: 6 });
    expect(failed.message).toBe("33.33% of rows (2 of 6) have no value in 'city'; more than the allowed 25%");
    expect(failed.sampleRows.length).toBe(2);
    const passed = await evaluateOne({ kind: "max_missing", column: "city", maxShare: 0.5 });
    expect(passed).toMatchObject({ passed: true, failingCount: 2, sampleRows: [] });
  });

  it("fails a rule naming a column absent from the file", async () => {
    expect(await evaluateOne({ kind: "not_null", column: "country" })).toMatchObject({
      passed: false,
      message: "column 'country' is not in this version",
    });
  });

  it("evaluates several rules in order on Parquet as on CSV", async () => {
    const rules = [
      { id: 1, kind: "not_null", column: "city" },
      { id: 2, kind: "range", column: "age", min: 18, max: 99 },
      { id: 3, kind: "unique", column: "id" },
    ] as const;
    const fromCsv = await evaluateQualityRules(csv, "csv", [...rules]);
    const fromParquet = await evaluateQualityRules(parquet, "parquet", [...rules]);
    expect(fromParquet).toEqual(fromCsv);
    expect(fromCsv.map((r) => [r.ruleId, r.passed])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
  });

  it("treats column names as data, not SQL", async () => {
    const odd = path.join(dir, "odd.csv");
    await writeFile(odd, '"a""b",x\n1,\n,2\n');
    const [result] = await evaluateQualityRules(odd, "csv", [{ id: 1, kind: "not_null", column: 'a"b' }]);
    expect(result).toMatchObject({ failingCount: 1, checkedCount: 2 });
  });
});

describe("zQualityRule", () => {
  it("requires a bound on range and a share within 0..1", () => {
    expect(zQualityRule.safeParse({ kind: "range", column: "age" }).success).toBe(false);
    expect(zQualityRule.safeParse({ kind: "range", column: "age", max: 3 }).success).toBe(true);
    expect(zQualityRule.safeParse({ kind: "max_missing", column: "a", maxShare: 1.5 }).success).toBe(false);
  });
});
