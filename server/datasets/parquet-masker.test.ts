// Parquet masking checked against transforms computed in the test with node:crypto and plain arithmetic.
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteLiteral, withDuckDB } from "./duckdb";
import { maskParquetFile, sampleParquetRows } from "./parquet-masker";
import { readDatasetRows } from "./preview";
import { generaliseValue } from "@/lib/masking";

const salt = "s3cret'salt";
let dir: string;
let input: string;
let records: Record<string, string>[];

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const band = (x: number, w: number) => `${Math.floor(x / w) * w}-${Math.floor(x / w) * w + w}`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "parquet-masker-test-"));
  input = path.join(dir, "customers.parquet");
  const csv = path.resolve("fixtures/datasets/customers-with-pii.csv");
  await withDuckDB((c) => c.run(`COPY (SELECT * FROM read_csv(${quoteLiteral(csv)})) TO ${quoteLiteral(input)} (FORMAT parquet)`));
  records = Papa.parse<Record<string, string>>(await readFile(csv, "utf8"), { header: true, skipEmptyLines: true }).data;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const readAll = async (file: string) => {
  const { columns, rows, totalRows } = await readDatasetRows(file, "parquet", { offset: 0, limit: 500 });
  return { columns, totalRows, objects: rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))) };
};

describe("maskParquetFile", () => {
  it("generalises text personal data as the CSV masker does: e-mail → domain, IP → /24, phone → country code", async () => {
    const output = path.join(dir, "generalised-text.parquet");
    await maskParquetFile(input, output, { email: { action: "generalise" }, last_login_ip: { action: "generalise" }, phone: { action: "generalise" } }, salt);
    const { objects } = await readAll(output);
    objects.forEach((row, i) => {
      const source = records[i]!;
      expect(row.email).toBe(generaliseValue(source.email!));
      expect(row.last_login_ip).toBe(generaliseValue(source.last_login_ip!));
      expect(row.phone).toBe(generaliseValue(source.phone!));
    });
    expect(objects[0]).toMatchObject({ email: "example.com", last_login_ip: "210.123.250.0/24", phone: "+33" });
  });

  it("hashes, redacts, generalises and drops as the policy says", async () => {
    const output = path.join(dir, "masked.parquet");
    const result = await maskParquetFile(
      input,
      output,
      {
        email: { action: "hash" },
        full_name: { action: "redact" },
        phone: { action: "drop" },
        age: { action: "generalise" },
        monthly_spend: { action: "generalise", bandWidth: 25 },
        city: { action: "generalise" },
        customer_id: { action: "keep" },
      },
      salt,
    );
    const header = Object.keys(records[0]);
    expect(result).toEqual({ rowCount: records.length, header, outputHeader: header.filter((h) => h !== "phone") });

    const { columns, objects, totalRows } = await readAll(output);
    expect(columns).toEqual(result.outputHeader);
    expect(totalRows).toBe(records.length);
    objects.forEach((row, i) => {
      const source = records[i];
      expect(row.customer_id).toBe(Number(source.customer_id));
      expect(row.email).toBe(source.email === "" ? null : sha256(salt + source.email));
      expect(row.full_name).toBe(source.full_name === "" ? null : "[REDACTED]");
      expect(row.age).toBe(source.age === "" ? null : band(Number(source.age), 10));
      expect(row.monthly_spend).toBe(source.monthly_spend === "" ? null : band(Number(source.monthly_spend), 25));
      expect(row.city).toBe(source.city === "" ? null : "[GENERALISED]");
      expect(row.iban).toBe(source.iban === "" ? null : source.iban);
    });
    expect(objects.some((r) => r.monthly_spend === null)).toBe(true);
    expect(JSON.stringify(objects)).not.toContain("@example.com");
  });

  it("generalises dates and timestamps to their month and prints fractional bands as JavaScript does", async () => {
    const typed = path.join(dir, "typed.parquet");
    await withDuckDB((c) =>
      c.run(
        `COPY (SELECT * FROM (VALUES (DATE '2024-03-05', TIMESTAMP '2023-12-31 23:59:59', 1.25::DOUBLE, true, 'x'), (NULL, NULL, NULL, NULL, NULL)) v(day, "at", ratio, ok, label)) TO ${quoteLiteral(typed)} (FORMAT parquet)`,
      ),
    );
    const output = path.join(dir, "typed-masked.parquet");
    await maskParquetFile(
      typed,
      output,
      { day: { action: "generalise" }, at: { action: "generalise" }, ratio: { action: "generalise", bandWidth: 0.5 }, ok: { action: "generalise" }, label: { action: "hash" } },
      salt,
    );
    const { objects } = await readAll(output);
    expect(objects[0]).toEqual({ day: "2024-03", at: "2023-12", ratio: band(1.25, 0.5), ok: "[GENERALISED]", label: sha256(salt + "x") });
    expect(objects[1]).toEqual({ day: null, at: null, ratio: null, ok: null, label: null });
  });

  it("refuses a policy naming a column the file lacks, or dropping everything", async () => {
    await expect(maskParquetFile(input, path.join(dir, "x.parquet"), { nope: { action: "drop" } }, salt)).rejects.toThrow(/'nope'/);
    const dropAll = Object.fromEntries(Object.keys(records[0]).map((name) => [name, { action: "drop" as const }]));
    await expect(maskParquetFile(input, path.join(dir, "y.parquet"), dropAll, salt)).rejects.toThrow(/drops every column/);
  });
});

describe("sampleParquetRows", () => {
  it("returns the first rows as text with missing values empty", async () => {
    const { header, rows } = await sampleParquetRows(input, 50);
    expect(header).toEqual(Object.keys(records[0]));
    expect(rows.length).toBe(50);
    rows.forEach((row, i) =>
      row.forEach((value, j) => {
        const original = records[i][header[j]];
        // Numbers come back in DuckDB's spelling ("46.4" for "46.40"), so compare them as numbers.
        if (value !== original) expect(Number(value), `${header[j]} row ${i}`).toBe(Number(original));
      }),
    );
    expect(rows.some((row) => row.includes(""))).toBe(true);
  });
});
