// Small helpers shared by the benchmarks: percentiles, timing and table printing.

export { percentile } from "@/lib/percentile";

export async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Runs fn `warmup` times untimed, then `iterations` times timed; returns the timings in ms. */
export async function sample(fn: () => Promise<unknown>, iterations: number, warmup = 5): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const timings: number[] = [];
  for (let i = 0; i < iterations; i++) timings.push(await timeIt(fn));
  return timings;
}

export interface BenchRow {
  backend: string;
  measure: string;
  studio: string;
  baseline: string;
  ratio: string;
  target: string;
  verdict: string;
}

export function formatNumber(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return "n/a";
  return value >= 1000 ? Math.round(value).toLocaleString("en-US") : value.toFixed(digits);
}

/** Prints rows as an aligned plain-text table (also valid Markdown). */
export function printTable(title: string, rows: BenchRow[]): void {
  const headers: (keyof BenchRow)[] = ["backend", "measure", "studio", "baseline", "ratio", "target", "verdict"];
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => r[h].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(`\n${title}\n`);
  console.log(line(headers));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(headers.map((h) => row[h])));
}
