// Seeded numeric samples, value counts and schemas, checked against the fixture parsed independently.
import { readFile } from "node:fs/promises";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { missingValueKey, numericSample, readSchema, valueCounts } from "./column-samples";

const credit = "fixtures/datasets/credit.csv";
const customers = "fixtures/datasets/customers-with-pii.csv";
const records = async (file: string) =>
  Papa.parse<Record<string, string>>(await readFile(file, "utf8"), { header: true, skipEmptyLines: true }).data;

describe("numericSample", () => {
  it("draws the same non-missing values every time for a given seed", async () => {
    const incomes = new Set((await records(credit)).map((r) => Number(r.income)));
    const first = await numericSample(credit, "csv", "income", 200);
    expect(first.length).toBe(200);
    expect(first.every((x) => incomes.has(x))).toBe(true);
    expect(await numericSample(credit, "csv", "income", 200)).toEqual(first);
    expect(await numericSample(credit, "csv", "income", 200, 7)).not.toEqual(first);
  });

  it("returns every non-missing value when the column has fewer than asked for", async () => {
    const spend = (await records(customers)).filter((r) => r.monthly_spend !== "").map((r) => Number(r.monthly_spend));
    const sample = await numericSample(customers, "csv", "monthly_spend", 5000);
    expect([...sample].sort((a, b) => a - b)).toEqual([...spend].sort((a, b) => a - b));
  });

  it("refuses a text column and a missing column with a clear error", async () => {
    await expect(numericSample(customers, "csv", "city")).rejects.toThrow(/not numbers/);
    await expect(numericSample(customers, "csv", "nope")).rejects.toThrow(/'nope' is not in this file/);
  });
});

describe("valueCounts", () => {
  it("counts values as text with missing ones under (missing)", async () => {
    const expected: Record<string, number> = {};
    for (const r of await records(customers)) {
      const key = r.city === "" ? missingValueKey : r.city;
      expected[key] = (expected[key] ?? 0) + 1;
    }
    const counts = await valueCounts(customers, "csv", "city");
    expect(counts).toEqual(expected);
    const top = Object.entries(counts);
    expect(top[0][1]).toBe(Math.max(...Object.values(expected)));
    expect(Object.keys(await valueCounts(customers, "csv", "email", 5)).length).toBe(5);
  });
});

describe("readSchema", () => {
  it("lists the columns in order with DuckDB's inferred types", async () => {
    const schema = await readSchema(credit, "csv");
    expect(schema.map((c) => c.name)).toEqual(Object.keys((await records(credit))[0]));
    expect(schema.find((c) => c.name === "age")?.duckdbType).toBe("BIGINT");
    expect(schema.find((c) => c.name === "income")?.duckdbType).toBe("DOUBLE");
    expect(schema.find((c) => c.name === "purpose")?.duckdbType).toBe("VARCHAR");
  });
});
