// The preview window: file order, JSON-safe values, the total row count and the limit's bounds.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteLiteral, withDuckDB } from "./duckdb";
import { readDatasetRows } from "./preview";

const customers = "fixtures/datasets/customers-with-pii.csv";
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "preview-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("readDatasetRows", () => {
  it("returns the requested window in file order with the total", async () => {
    const records = Papa.parse<string[]>(await readFile(customers, "utf8"), { skipEmptyLines: true }).data;
    const [header, ...body] = records;
    const first = await readDatasetRows(customers, "csv", { offset: 0, limit: 3 });
    expect(first.columns).toEqual(header);
    expect(first.totalRows).toBe(body.length);
    expect(first.rows.map((r) => r.map((v) => (v === null ? "" : String(v))))).toEqual(body.slice(0, 3));
    // A CSV's cells are the text written in it, numbers included.
    expect(first.rows[0][header.indexOf("age")]).toBe(body[0][header.indexOf("age")]);

    const last = await readDatasetRows(customers, "csv", { offset: body.length - 2, limit: 10 });
    expect(last.rows.map((r) => r[header.indexOf("email")])).toEqual(body.slice(-2).map((r) => r[header.indexOf("email")]));
    expect((await readDatasetRows(customers, "csv", { offset: body.length + 5, limit: 10 })).rows).toEqual([]);
  });

  it("makes big integers, dates and timestamps JSON-safe", async () => {
    const file = path.join(dir, "types.parquet");
    await withDuckDB((c) =>
      c.run(
        `COPY (SELECT 9007199254740993::BIGINT AS big, 42::BIGINT AS small, DATE '2024-03-05' AS day, TIMESTAMP '2024-03-05 06:07:08.5' AS at, true AS ok, NULL::VARCHAR AS nothing) TO ${quoteLiteral(file)} (FORMAT parquet)`,
      ),
    );
    const { rows } = await readDatasetRows(file, "parquet", { offset: 0, limit: 1 });
    expect(rows[0]).toEqual(["9007199254740993", 42, "2024-03-05", "2024-03-05T06:07:08.500Z", true, null]);
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
  });

  it("shows a CSV's values as written: yes/no, TRUE, 007, 1.50, 2024-01 and NA are not sniffed into other values", async () => {
    const file = path.join(dir, "quirky.csv");
    await writeFile(file, "answer,flag,code,amount,month,note\nyes,TRUE,007,1.50,2024-01,NA\nno,FALSE,010,2,2024-02,\n");
    const { rows } = await readDatasetRows(file, "csv", { offset: 0, limit: 5 });
    expect(rows).toEqual([
      ["yes", "TRUE", "007", "1.50", "2024-01", "NA"],
      ["no", "FALSE", "010", "2", "2024-02", null],
    ]);
  });

  it("rejects a limit over 500 or a negative offset", async () => {
    await expect(readDatasetRows(customers, "csv", { offset: 0, limit: 501 })).rejects.toThrow(/from 1 to 500/);
    await expect(readDatasetRows(customers, "csv", { offset: -1, limit: 5 })).rejects.toThrow(/offset/);
  });

  it("says a ragged CSV could not be read", async () => {
    const file = path.join(dir, "ragged.csv");
    await writeFile(file, "a,b\n1,2\n3,4,5,6\n");
    await expect(readDatasetRows(file, "csv", { offset: 0, limit: 5 })).rejects.toThrow(/could not be read/);
  });
});

describe("readDatasetRows on unreadable files", () => {
  it("says an empty file is empty and a non-UTF-8 file could not be read", async () => {
    const empty = path.join(dir, "empty.csv");
    await writeFile(empty, "");
    await expect(readDatasetRows(empty, "csv", { offset: 0, limit: 5 })).rejects.toThrow(/file is empty/);
    const latin = path.join(dir, "latin1.csv");
    await writeFile(latin, Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xe9, 0x2c, 0x32, 0x0a]));
    await expect(readDatasetRows(latin, "csv", { offset: 0, limit: 5 })).rejects.toThrow(/could not be read.*UTF-8/);
  });
});
