// Profiles checked against statistics computed independently while writing or parsing the files.
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteLiteral, withDuckDB } from "./duckdb";
import { histogramEdges, profileDatasetFile, zDatasetProfile, type DatasetProfile } from "./profile";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "profile-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const column = (profile: DatasetProfile, name: string) => {
  const found = profile.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found;
};

/** Running statistics of one generated column, kept while its values are written. */
class Expected {
  missing = 0;
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  distinct = new Set<string | number>();
  add(value: number | string | null, numeric?: number) {
    if (value === null) {
      this.missing++;
      return;
    }
    this.count++;
    this.distinct.add(value);
    if (numeric !== undefined) {
      this.sum += numeric;
      this.min = Math.min(this.min, numeric);
      this.max = Math.max(this.max, numeric);
    }
  }
}

describe("profileDatasetFile on a generated 1,000,000-row CSV", () => {
  const rows = 1_000_000;
  const categories = ["alpha", "beta", "gamma", "delta", 'north, "east"'];
  const expected = { id: new Expected(), amount: new Expected(), category: new Expected(), day: new Expected(), flag: new Expected(), score: new Expected() };
  let file: string;
  let profile: DatasetProfile;
  const stages: string[] = [];

  beforeAll(async () => {
    file = path.join(dir, "big.csv");
    const out = createWriteStream(file);
    out.write("id,amount,category,day,flag,score\n");
    const dayZero = Date.UTC(2020, 0, 1);
    let chunk = "";
    for (let i = 1; i <= rows; i++) {
      const cents = (i * 7919) % 100_000;
      const amount = i % 7 === 0 ? null : cents;
      const category = i % 11 === 0 ? null : categories[(i * 3) % categories.length];
      const day = new Date(dayZero + (i % 1000) * 86_400_000).toISOString().slice(0, 10);
      const flag = i % 3 === 0;
      const score = i % 13 === 0 ? null : ((i * 31) % 1000) - 500;
      expected.id.add(i, i);
      expected.amount.add(amount, amount === null ? undefined : amount / 100);
      expected.category.add(category);
      expected.day.add(day);
      expected.flag.add(String(flag));
      expected.score.add(score, score ?? undefined);
      const categoryCell = category === null ? "" : /[",]/.test(category) ? `"${category.replaceAll('"', '""')}"` : category;
      chunk += `${i},${amount === null ? "" : (amount / 100).toFixed(2)},${categoryCell},${day},${flag},${score ?? ""}\n`;
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
        chunk = "";
      }
    }
    out.end(chunk);
    await new Promise<void>((resolve, reject) => out.on("finish", () => resolve()).on("error", reject));
    profile = await profileDatasetFile(file, "csv", { onProgress: (_fraction, stage) => stages.push(stage) });
  }, 180_000);

  it("counts every row and column, and matches the registry's schema", () => {
    expect(profile.rowCount).toBe(rows);
    expect(profile.columnCount).toBe(6);
    expect(zDatasetProfile.parse(profile)).toEqual(profile);
    expect(profile.engine).toMatch(/^duckdb \d+\.\d+/);
  });

  it("infers integer, number, string, date and boolean columns", () => {
    expect(profile.columns.map((c) => [c.name, c.type])).toEqual([
      ["id", "integer"],
      ["amount", "number"],
      ["category", "string"],
      ["day", "date"],
      ["flag", "boolean"],
      ["score", "integer"],
    ]);
  });

  it("has exact missing and distinct counts for every column", () => {
    for (const [name, stats] of Object.entries(expected)) {
      expect(column(profile, name).missing, name).toBe(stats.missing);
      expect(column(profile, name).missingShare, name).toBeCloseTo(stats.missing / rows, 12);
      expect(column(profile, name).distinct, name).toBe(stats.distinct.size);
    }
  });

  it("has exact min, max and mean for numeric columns", () => {
    for (const name of ["id", "amount", "score"] as const) {
      const stats = expected[name];
      const c = column(profile, name);
      expect(c.min, name).toBe(stats.min);
      expect(c.max, name).toBe(stats.max);
      expect(c.mean! / (stats.sum / stats.count), name).toBeCloseTo(1, 10);
    }
    expect(column(profile, "id").quantiles!.p50).toBeCloseTo(500_000.5, 6);
  });

  it("gives date ranges, histograms summing to the non-missing count, and top values", () => {
    expect(column(profile, "day").min).toBe("2020-01-01");
    expect(column(profile, "day").max).toBe(new Date(Date.UTC(2020, 0, 1) + 999 * 86_400_000).toISOString().slice(0, 10));
    for (const name of ["id", "amount", "score"] as const) {
      const histogram = column(profile, name).histogram!;
      expect(histogram.counts.length).toBe(histogram.edges.length - 1);
      expect(histogram.counts.reduce((a, b) => a + b, 0), name).toBe(expected[name].count);
    }
    const top = column(profile, "category").topValues!;
    const categoryCounts = new Map<string, number>();
    for (let i = 1; i <= rows; i++) {
      if (i % 11 !== 0) categoryCounts.set(categories[(i * 3) % 5], (categoryCounts.get(categories[(i * 3) % 5]) ?? 0) + 1);
    }
    expect(Object.fromEntries(top.map((t) => [t.value, t.count]))).toEqual(Object.fromEntries(categoryCounts));
    expect(column(profile, "flag").topValues!.find((t) => t.value === "true")?.count).toBe(Math.floor(rows / 3));
  });

  it("reports progress through every stage in order", () => {
    expect(stages).toEqual(["loading", "loaded", "stats", "histograms", "top values"]);
  });
});

describe("profileDatasetFile on the fixtures", () => {
  const parse = async (name: string) => {
    const text = await readFile(path.join("fixtures/datasets", name), "utf8");
    return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
  };

  it("profiles credit.csv", async () => {
    const records = await parse("credit.csv");
    const profile = await profileDatasetFile("fixtures/datasets/credit.csv", "csv");
    expect(profile.rowCount).toBe(records.length);
    expect(profile.columns.map((c) => c.name)).toEqual(Object.keys(records[0]));
    const ages = records.map((r) => Number(r.age));
    expect(column(profile, "age")).toMatchObject({ type: "integer", min: Math.min(...ages), max: Math.max(...ages), missing: 0 });
    const incomes = records.filter((r) => r.income !== "").map((r) => Number(r.income));
    expect(column(profile, "income").mean).toBeCloseTo(incomes.reduce((a, b) => a + b, 0) / incomes.length, 6);
    expect(column(profile, "purpose").type).toBe("string");
    expect(column(profile, "purpose").distinct).toBe(new Set(records.map((r) => r.purpose)).size);
  });

  it("profiles customers-with-pii.csv, counting its missing values", async () => {
    const records = await parse("customers-with-pii.csv");
    const profile = await profileDatasetFile("fixtures/datasets/customers-with-pii.csv", "csv");
    expect(profile.rowCount).toBe(records.length);
    for (const name of Object.keys(records[0])) {
      expect(column(profile, name).missing, name).toBe(records.filter((r) => r[name] === "").length);
    }
    expect(column(profile, "email").distinct).toBe(new Set(records.map((r) => r.email).filter(Boolean)).size);
    expect(column(profile, "email").topValues!.length).toBeLessThanOrEqual(10);
  });

  it("profiles a Parquet file the same as the CSV it was made from", async () => {
    const parquet = path.join(dir, "credit.parquet");
    await withDuckDB((c) =>
      c.run(`COPY (SELECT * FROM read_csv(${quoteLiteral(path.resolve("fixtures/datasets/credit.csv"))})) TO ${quoteLiteral(parquet)} (FORMAT parquet)`),
    );
    const fromParquet = await profileDatasetFile(parquet, "parquet");
    const fromCsv = await profileDatasetFile("fixtures/datasets/credit.csv", "csv");
    const strip = (p: DatasetProfile) => p.columns;
    expect(strip(fromParquet)).toEqual(strip(fromCsv));
    expect(fromParquet.rowCount).toBe(fromCsv.rowCount);
  });
});

describe("profileDatasetFile on awkward input", () => {
  it("quotes column names with quotes and spaces", async () => {
    const file = path.join(dir, "names.csv");
    await writeFile(file, 'plain,"with ""quote""","with space"\n1,2,x\n3,,y\n');
    const profile = await profileDatasetFile(file, "csv");
    expect(profile.columns.map((c) => c.name)).toEqual(["plain", 'with "quote"', "with space"]);
    expect(profile.columns[1]).toMatchObject({ missing: 1, min: 2, max: 2, histogram: { edges: [2, 3], counts: [1] } });
  });

  it("shows the top values of sniffed columns as written: yes/no, TRUE, 007 and 1.50, not true, 7 or 1.5", async () => {
    const file = path.join(dir, "quirky.csv");
    await writeFile(file, "answer,flag,code,amount\nyes,TRUE,007,1.50\nno,FALSE,010,1.50\nyes,TRUE,007,2\nyes,,007,\n");
    const profile = await profileDatasetFile(file, "csv");
    expect(column(profile, "answer").topValues).toEqual([{ value: "yes", count: 3 }, { value: "no", count: 1 }]);
    expect(column(profile, "flag").topValues).toEqual([{ value: "TRUE", count: 2 }, { value: "FALSE", count: 1 }]);
    expect(column(profile, "code").topValues).toEqual([{ value: "007", count: 3 }, { value: "010", count: 1 }]);
    expect(column(profile, "amount").topValues).toEqual([{ value: "1.50", count: 2 }, { value: "2", count: 1 }]);
  });

  it("retries with whole-file type inference when a late value breaks the sampled type", async () => {
    const file = path.join(dir, "late.csv");
    const lines = ["code"];
    for (let i = 0; i < 100_000; i++) lines.push(String(i));
    lines.push("not-a-number");
    await writeFile(file, lines.join("\n") + "\n");
    const profile = await profileDatasetFile(file, "csv");
    expect(profile.rowCount).toBe(100_001);
    expect(profile.columns[0].type).toBe("string");
  });

  it("rejects a file that is not CSV with a message saying what to check", async () => {
    const file = path.join(dir, "missing.csv");
    await expect(profileDatasetFile(file, "csv")).rejects.toThrow(/could not be read/);
  });
});

describe("histogramEdges", () => {
  it("uses one bin per value for small integer ranges and 20 equal bins otherwise", () => {
    expect(histogramEdges("integer", 0, 3)).toEqual([0, 1, 2, 3, 4]);
    const edges = histogramEdges("number", 0, 1);
    expect(edges.length).toBe(21);
    expect(edges[20]).toBe(1);
    expect(edges[10]).toBeCloseTo(0.5, 12);
  });
});

describe("profileDatasetFile on wide files", () => {
  it("profiles a file as wide as the upload limit allows (2,000 columns), which one SELECT of every column could not", async () => {
    const columns = 2000;
    const file = path.join(dir, "wide.csv");
    const row = (r: number) => Array.from({ length: columns }, (_, i) => (i % 2 ? String(r * i) : `v${r}`)).join(",");
    await writeFile(file, `${Array.from({ length: columns }, (_, i) => `c${i}`).join(",")}\n${row(1)}\n${row(2)}\n${row(3)}\n`);
    const profile = await profileDatasetFile(file, "csv");
    expect(profile.columnCount).toBe(columns);
    expect(profile.columns[1999]).toMatchObject({ name: "c1999", type: "integer", min: 1999, max: 5997, distinct: 3 });
    expect(profile.columns[0]).toMatchObject({ name: "c0", type: "string", distinct: 3 });
  }, 180_000);
});
