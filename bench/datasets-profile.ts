// bench/datasets: profiling a generated 1,000,000 × 20 CSV with DuckDB vs a naive streaming JS profiler, each in its own process.
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { profileDatasetFile } from "@/server/datasets/profile";
import { formatNumber, printTable, type BenchRow } from "./stats";
import { seededRandom } from "@/lib/seeded-random";

const rowCount = 1_000_000;
const targetSeconds = 5;
const targetRssMiB = 1024;

/** What each child process prints: its own time and peak memory, and the counts used to check the two agree. */
interface ProfilerRun {
  seconds: number;
  maxRssMiB: number;
  rows: number;
  missing: Record<string, number>;
  distinct: Record<string, number>;
}

const header = [
  "id", "age", "visits", "signup_year", "quantity", "postcode",
  "income", "balance", "score", "ratio", "latitude", "longitude", "spend",
  "country", "segment", "channel", "product", "account",
  "opened_on", "last_seen_on",
];

/** Writes the 1,000,000 × 20 CSV: 6 integer columns, 7 floats (some missing), 5 categorical, 2 dates. */
export async function generateCsv(file: string): Promise<void> {
  const random = seededRandom(20_261_125);
  const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)];
  const maybe = (share: number, text: string) => (random() < share ? "" : text);
  const countries = ["FR", "DE", "ES", "IT", "NL", "BE", "PT", "PL", "SE", "IE"];
  const segments = ["retail", "smb", "enterprise"];
  const channels = Array.from({ length: 50 }, (_, k) => `channel_${k}`);
  const products = Array.from({ length: 1000 }, (_, k) => `sku-${String(k).padStart(4, "0")}`);
  const dayZero = Date.UTC(2015, 0, 1);
  const isoDay = (offset: number) => new Date(dayZero + offset * 86_400_000).toISOString().slice(0, 10);
  const out = createWriteStream(file);
  out.write(header.join(",") + "\n");
  let chunk = "";
  for (let i = 1; i <= rowCount; i++) {
    const cells = [
      String(i),
      String(18 + Math.floor(random() * 73)),
      String(Math.floor(random() * 1000)),
      String(1990 + Math.floor(random() * 35)),
      maybe(0.02, String(Math.floor(random() * 50))),
      String(Math.floor(random() * 100_000)),
      maybe(0.05, (20_000 + random() * 80_000).toFixed(2)),
      maybe(0.03, (random() * 10_000).toFixed(2)),
      (random() * 100).toFixed(3),
      maybe(0.1, random().toFixed(4)),
      (41 + random() * 10).toFixed(5),
      (random() * 9).toFixed(5),
      maybe(0.08, (random() * 500).toFixed(2)),
      pick(countries),
      pick(segments),
      pick(channels),
      pick(products),
      `acct_${Math.floor(random() * 20_000)}`,
      isoDay(Math.floor(random() * 3650)),
      maybe(0.04, isoDay(Math.floor(random() * 3650))),
    ];
    chunk += cells.join(",") + "\n";
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      chunk = "";
    }
  }
  out.end(chunk);
  await new Promise<void>((resolve, reject) => out.on("finish", () => resolve()).on("error", reject));
}

/** The baseline: one streaming pass, per column count/missing, Welford mean and variance, min/max, a Set for distinct. */
async function naiveProfile(file: string): Promise<Omit<ProfilerRun, "seconds" | "maxRssMiB">> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let names: string[] | null = null;
  let stats: { missing: number; n: number; mean: number; m2: number; min: number; max: number; distinct: Set<string> }[] = [];
  let rows = 0;
  for await (const line of lines) {
    const cells = line.split(",");
    if (!names) {
      names = cells;
      stats = names.map(() => ({ missing: 0, n: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity, distinct: new Set<string>() }));
      continue;
    }
    rows++;
    for (let c = 0; c < cells.length; c++) {
      const value = cells[c];
      const s = stats[c];
      if (value === "") {
        s.missing++;
        continue;
      }
      s.distinct.add(value);
      const x = Number(value);
      if (Number.isFinite(x)) {
        s.n++;
        const delta = x - s.mean;
        s.mean += delta / s.n;
        s.m2 += delta * (x - s.mean);
        if (x < s.min) s.min = x;
        if (x > s.max) s.max = x;
      }
    }
  }
  const columns = names ?? [];
  return {
    rows,
    missing: Object.fromEntries(columns.map((name, c) => [name, stats[c].missing])),
    distinct: Object.fromEntries(columns.map((name, c) => [name, stats[c].distinct.size])),
  };
}

/** Child-process entry: profile the file one way and print one JSON line with time and peak RSS. */
async function runChild(kind: string, file: string): Promise<void> {
  const started = performance.now();
  let counts: Omit<ProfilerRun, "seconds" | "maxRssMiB">;
  if (kind === "duckdb") {
    const profile = await profileDatasetFile(file, "csv");
    counts = {
      rows: profile.rowCount,
      missing: Object.fromEntries(profile.columns.map((c) => [c.name, c.missing])),
      distinct: Object.fromEntries(profile.columns.map((c) => [c.name, c.distinct])),
    };
  } else {
    counts = await naiveProfile(file);
  }
  const seconds = (performance.now() - started) / 1000;
  // resourceUsage().maxRSS is in kibibytes.
  const result: ProfilerRun = { seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, ...counts };
  process.stdout.write(JSON.stringify(result) + "\n");
}

function measureInChild(kind: "duckdb" | "naive", file: string): Promise<ProfilerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", kind, file], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (data: Buffer) => (output += data.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const last = output.trim().split("\n").pop() ?? "";
      if (code !== 0 || !last.startsWith("{")) reject(new Error(`the ${kind} profiler exited with code ${code}: ${output.slice(-500)}`));
      else resolve(JSON.parse(last) as ProfilerRun);
    });
  });
}

function disagreements(a: ProfilerRun, b: ProfilerRun): string[] {
  const problems: string[] = [];
  if (a.rows !== b.rows) problems.push(`rows ${a.rows} vs ${b.rows}`);
  for (const name of header) {
    if (a.missing[name] !== b.missing[name]) problems.push(`${name} missing ${a.missing[name]} vs ${b.missing[name]}`);
    if (a.distinct[name] !== b.distinct[name]) problems.push(`${name} distinct ${a.distinct[name]} vs ${b.distinct[name]}`);
  }
  return problems;
}

/** Generates the CSV, then profiles it with DuckDB and with the naive JS profiler, each in a fresh process. */
export async function benchDatasetProfile(): Promise<BenchRow[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "studio-bench-datasets-"));
  try {
    const file = path.join(dir, "wide.csv");
    console.log(`[bench] datasets: generating ${formatNumber(rowCount)} × ${header.length} CSV…`);
    const generationStarted = performance.now();
    await generateCsv(file);
    const generationSeconds = (performance.now() - generationStarted) / 1000;
    const sizeMB = (await stat(file)).size / 1e6;
    console.log("[bench] datasets: DuckDB profile…");
    const duck = await measureInChild("duckdb", file);
    console.log("[bench] datasets: naive streaming JS profile…");
    const naive = await measureInChild("naive", file);
    const problems = disagreements(duck, naive);
    const none = { baseline: "—", ratio: "—", target: "—", verdict: "—" };
    return [
      { backend: "duckdb", measure: `file: ${formatNumber(rowCount)} × ${header.length} CSV`, studio: `${sizeMB.toFixed(0)} MB, written in ${generationSeconds.toFixed(1)} s`, ...none },
      {
        backend: "duckdb",
        measure: "profile, seconds (own process)",
        studio: duck.seconds.toFixed(2),
        baseline: naive.seconds.toFixed(2),
        ratio: `${(duck.seconds / naive.seconds).toFixed(2)}×`,
        target: `≤ ${targetSeconds} s`,
        verdict: duck.seconds <= targetSeconds ? "met" : "MISSED",
      },
      {
        backend: "duckdb",
        measure: "profile, peak RSS MiB (own process)",
        studio: formatNumber(duck.maxRssMiB, 0),
        baseline: formatNumber(naive.maxRssMiB, 0),
        ratio: `${(duck.maxRssMiB / naive.maxRssMiB).toFixed(2)}×`,
        target: `≤ ${targetRssMiB} MiB`,
        verdict: duck.maxRssMiB <= targetRssMiB ? "met" : "MISSED",
      },
      {
        backend: "duckdb",
        measure: "rows, missing and distinct counts agree",
        studio: problems.length ? `NO: ${problems.slice(0, 3).join("; ")}` : "yes (all 20 columns)",
        ...none,
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const [flag, kind, file] = process.argv.slice(2);
  const work =
    flag === "--child"
      ? runChild(kind, file)
      : benchDatasetProfile().then((rows) =>
          printTable("bench/datasets — profile a 1,000,000 × 20 CSV: DuckDB vs a naive single-pass streaming JS profiler", rows),
        );
  work.then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
