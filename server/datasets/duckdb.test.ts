// The DuckDB job wrapper: bounded settings, quoting that keeps user text as data, JSON-safe values.
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DATE, TIMESTAMP } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDatasetTable, quoteIdentifier, quoteLiteral, toJsonCell, withDuckDB } from "./duckdb";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "duckdb-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("withDuckDB", () => {
  it("runs with two threads, a memory cap under 768 MB and a spill directory it removes afterwards", async () => {
    let spill = "";
    const settings = await withDuckDB(async (c) => {
      const reader = await c.runAndReadAll(
        "SELECT current_setting('threads') AS threads, current_setting('memory_limit') AS memory, current_setting('temp_directory') AS spill",
      );
      const row = reader.getRowObjectsJS()[0];
      spill = String(row.spill);
      expect(existsSync(spill)).toBe(true);
      return row;
    });
    expect(Number(settings.threads)).toBe(2);
    expect(String(settings.memory)).toMatch(/^(7\d\d|[1-6]\d\d)\.\d+ MiB$/);
    expect(existsSync(spill)).toBe(false);
  });

  it("closes the instance even when the job throws", async () => {
    await expect(withDuckDB(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  });
});

describe("quoting", () => {
  it("keeps identifiers and literals as data", async () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
    const value = await withDuckDB(async (c) => {
      const reader = await c.runAndReadAll(`SELECT ${quoteLiteral("x'; DROP TABLE t; --")} AS ${quoteIdentifier('we"ird; --')}`);
      return reader.getRowObjectsJS()[0];
    });
    expect(value).toEqual({ 'we"ird; --': "x'; DROP TABLE t; --" });
  });

  it("reads a file whose path contains a quote", async () => {
    const file = path.join(dir, "it's here.csv");
    await writeFile(file, "a\n1\n2\n");
    const count = await withDuckDB(async (c) => {
      await loadDatasetTable(c, file, "csv");
      return (await c.runAndReadAll("SELECT count(*) AS n FROM t")).getRowObjectsJS()[0].n;
    });
    expect(Number(count)).toBe(2);
  });
});

describe("toJsonCell", () => {
  it("turns BigInts, dates and timestamps into JSON-safe values", () => {
    expect(toJsonCell(42n)).toBe(42);
    expect(toJsonCell(2n ** 60n)).toBe("1152921504606846976");
    expect(toJsonCell(new Date("2024-03-05T00:00:00Z"), DATE)).toBe("2024-03-05");
    expect(toJsonCell(new Date("2024-03-05T06:07:08.500Z"), TIMESTAMP)).toBe("2024-03-05T06:07:08.500Z");
    expect(toJsonCell(Number.NaN)).toBe("NaN");
    expect(toJsonCell(undefined)).toBeNull();
  });
});
