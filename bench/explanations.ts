// bench/explanations: Shapley contributions for one row of breast-cancer-rf-v1 (100 trees, 30 features) against
// training rows, on the server (onnxruntime-node, one thread as the review job) and in Chromium (onnxruntime-web wasm
// in a page served by this bench), each next to the plain one-row prediction in the same run.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { build } from "esbuild";
import * as ort from "onnxruntime-node";
import { chromium } from "@playwright/test";
import playwrightConfig from "../playwright.config";
import { latencySummary } from "@/lib/percentile";
import { shapleyValues, type FeatureBatch } from "@/lib/shapley";
import { formatNumber, type BenchRow } from "./stats";

const MODEL = "fixtures/models/breast-cancer-rf-v1.onnx";
const TARGET_MS = 200;
const RUNS = 10;
/** The review's settings per sampled decision and the playground's (lib/shapley uses as many background rows as fit). */
const SERVER = { backgroundRows: 100, maxModelRows: 20_000 };
const BROWSER = { backgroundRows: 50, maxModelRows: 10_000 };

function csvRows(file: string, limit: number): number[][] {
  const [, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  return lines.slice(0, limit).map((line) => line.split(",").slice(0, 30).map(Number));
}

async function serverTimings(background: number[][], row: number[]) {
  const session = await ort.InferenceSession.create(readFileSync(MODEL), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  let modelRows = 0;
  const predict = async (batch: FeatureBatch) => {
    modelRows += batch.rowCount;
    const data = new Float32Array(batch.rowCount * 30);
    batch.columns.forEach((column, j) => {
      for (let r = 0; r < batch.rowCount; r += 1) data[r * 30 + j] = column[r] as number;
    });
    const outputs = await session.run({ input: new ort.Tensor("float32", data, [batch.rowCount, 30]) }, ["probabilities"]);
    const probabilities = outputs.probabilities.data as Float32Array;
    return Array.from({ length: batch.rowCount }, (_, r) => probabilities[r * 2 + 1]);
  };
  const one = new ort.Tensor("float32", Float32Array.from(row), [1, 30]);
  for (let i = 0; i < 50; i += 1) await session.run({ input: one });
  const single: number[] = [];
  for (let i = 0; i < 500; i += 1) {
    const start = performance.now();
    await session.run({ input: one });
    single.push(performance.now() - start);
  }
  const options = { background, predict, maxModelRows: SERVER.maxModelRows };
  for (let i = 0; i < 2; i += 1) await shapleyValues(row, options);
  const explain: number[] = [];
  let sumError = 0;
  for (let i = 0; i < RUNS; i += 1) {
    modelRows = 0;
    const start = performance.now();
    const result = await shapleyValues(row, { ...options, seed: i });
    explain.push(performance.now() - start);
    sumError = Math.max(sumError, Math.abs(result.contributions.reduce((a, b) => a + b, 0) - (result.output - result.baseValue)));
  }
  await session.release();
  return { single, explain, modelRows, sumError };
}

/** A static page with the harness bundle, ORT's wasm files and the model, cross-origin isolated like the playground. */
async function startHarness(): Promise<{ url: string; close(): Promise<void> }> {
  const bundle = await build({
    entryPoints: [path.resolve("bench/explanations-harness/entry.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  const script = bundle.outputFiles[0].contents;
  const ortDist = path.resolve("node_modules/onnxruntime-web/dist");
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://bench.local");
    const headers = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
    try {
      if (url.pathname === "/") {
        res.writeHead(200, { ...headers, "content-type": "text/html" });
        res.end('<!doctype html><meta charset="utf-8"><script type="module" src="/bench.js"></script>');
      } else if (url.pathname === "/bench.js") {
        res.writeHead(200, { ...headers, "content-type": "text/javascript" });
        res.end(script);
      } else if (url.pathname === "/model.onnx") {
        res.writeHead(200, { ...headers, "content-type": "application/octet-stream" });
        res.end(await readFile(MODEL));
      } else if (url.pathname.startsWith("/ort/") && !url.pathname.includes("..")) {
        const file = path.join(ortDist, path.basename(url.pathname));
        res.writeHead(200, { ...headers, "content-type": file.endsWith(".wasm") ? "application/wasm" : "text/javascript" });
        res.end(await readFile(file));
      } else {
        res.writeHead(404, headers);
        res.end();
      }
    } catch {
      res.writeHead(404, headers);
      res.end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

async function browserTimings(background: number[][], row: number[]) {
  const harness = await startHarness();
  const browser = await chromium.launch(playwrightConfig.use?.launchOptions);
  try {
    const page = await browser.newPage();
    await page.goto(harness.url);
    await page.waitForFunction(() => "benchExplanations" in globalThis, undefined, { timeout: 30_000 });
    return await page.evaluate(
      (input) => (globalThis as unknown as { benchExplanations: (i: typeof input) => Promise<{ single: number[]; explain: number[]; modelRows: number; sumError: number; threads: number; isolated: boolean }> }).benchExplanations(input),
      { background, row, maxModelRows: BROWSER.maxModelRows, runs: RUNS },
    );
  } finally {
    await browser.close();
    await harness.close();
  }
}

export async function benchExplanations(): Promise<BenchRow[]> {
  const train = csvRows("fixtures/datasets/breast_cancer.train.csv", SERVER.backgroundRows);
  const [row] = csvRows("fixtures/datasets/breast_cancer.test.csv", 1);
  console.log("[bench] explanations: onnxruntime-node…");
  const server = await serverTimings(train, row);
  const rows: BenchRow[] = [];
  const line = (backend: string, what: string, explain: number[], single: number[], modelRows: number, sumError: number): BenchRow => {
    const p50 = latencySummary(explain).p50;
    const base = latencySummary(single).p50;
    return {
      backend,
      measure: `contributions of one row, p50 of ${RUNS}, ms (${what}; ${modelRows.toLocaleString("en-US")} model rows; max |Σφ − (f − base)| ${sumError.toExponential(1)}); baseline: one-row prediction p50`,
      studio: formatNumber(p50, 1),
      baseline: formatNumber(base, 3),
      ratio: `${(p50 / base).toFixed(0)}×`,
      target: `≤ ${TARGET_MS} ms`,
      verdict: p50 <= TARGET_MS ? "met" : "MISSED",
    };
  };
  rows.push(line("node", `onnxruntime-node, 1 thread, ${SERVER.maxModelRows.toLocaleString("en-US")}-row budget of ${SERVER.backgroundRows} background rows`, server.explain, server.single, server.modelRows, server.sumError));
  console.log("[bench] explanations: Chromium (onnxruntime-web wasm)…");
  try {
    const browser = await browserTimings(train.slice(0, BROWSER.backgroundRows), row);
    rows.push(
      line(
        "chromium",
        `onnxruntime-web wasm, ${browser.threads} thread(s), isolated: ${browser.isolated ? "yes" : "no"}, ${BROWSER.maxModelRows.toLocaleString("en-US")}-row budget of ${BROWSER.backgroundRows} background rows`,
        browser.explain,
        browser.single,
        browser.modelRows,
        browser.sumError,
      ),
    );
  } catch (error) {
    rows.push({ backend: "chromium", measure: `contributions in the browser: skipped, ${(error as Error).message.split("\n")[0]}`, studio: "—", baseline: "—", ratio: "—", target: `≤ ${TARGET_MS} ms`, verdict: "skipped" });
  }
  return rows;
}
