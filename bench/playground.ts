// bench/playground: the in-browser playground in Chromium (onnxruntime-web in a worker of the cross-origin isolated
// page, served by the production server) on the random-forest fixture, next to onnxruntime-node in this process.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { chromium } from "@playwright/test";
import playwrightConfig from "../playwright.config";
import { latencySummary } from "@/lib/percentile";
import { formatNumber, type BenchRow } from "./stats";
import { signIn, startStudio } from "./studio-server";

const MODEL = "fixtures/models/breast-cancer-rf-v1.onnx";
const SINGLE_RUNS = 2000;
const BATCH_ROWS = 10_000;

/** onnxruntime-node in this process: load, 2,000 one-row runs and one 10,000-row batch of the test split's first row. */
async function nativeBaseline(): Promise<{ loadMs: number; rowMs: number; batchMs: number }> {
  const bytes = new Uint8Array(await readFile(MODEL));
  const loadStart = performance.now();
  const session = await ort.InferenceSession.create(bytes);
  const loadMs = performance.now() - loadStart;
  const firstRow = (await readFile("fixtures/datasets/breast_cancer.test.csv", "utf8")).split("\n")[1]!.split(",").slice(0, 30).map(Number);
  const one = new ort.Tensor("float32", Float32Array.from(firstRow), [1, 30]);
  for (let i = 0; i < 200; i++) await session.run({ input: one });
  const times: number[] = [];
  for (let i = 0; i < SINGLE_RUNS; i++) {
    const start = performance.now();
    await session.run({ input: one });
    times.push(performance.now() - start);
  }
  const batch = new ort.Tensor("float32", Float32Array.from(Array.from({ length: BATCH_ROWS }, () => firstRow).flat()), [BATCH_ROWS, 30]);
  await session.run({ input: batch });
  const batchStart = performance.now();
  await session.run({ input: batch });
  const batchMs = performance.now() - batchStart;
  await session.release();
  return { loadMs, rowMs: latencySummary(times).p50, batchMs };
}

function skipped(reason: string): BenchRow[] {
  console.log(`[bench] playground skipped: ${reason}`);
  return [{ backend: "chromium", measure: `playground: skipped, ${reason}`, studio: "—", baseline: "—", ratio: "—", target: "—", verdict: "skipped" }];
}

export async function benchPlayground(): Promise<BenchRow[]> {
  if (!existsSync(path.join(".next", "BUILD_ID"))) return skipped("no production build (.next); run `npx next build` first");
  console.log("[bench] playground: onnxruntime-node baseline…");
  const native = await nativeBaseline();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "studio-bench-playground-"));
  console.log("[bench] playground: starting the studio (embedded database, demo seed)…");
  const studio = await startStudio({ databaseUrl: "", dataDir, seed: true });
  const browser = await chromium.launch(playwrightConfig.use?.launchOptions);
  try {
    const page = await browser.newPage();
    await signIn(page, studio.baseUrl);
    await page.goto(`${studio.baseUrl}/models/breast-cancer-rf/versions/1/playground`);
    const runtime = page.getByLabel("Runtime");
    await runtime.getByText(/Model loaded in \d+ ms/).waitFor({ timeout: 60_000 });
    const loadMs = Number(/Model loaded in (\d+) ms/.exec((await runtime.textContent()) ?? "")?.[1]);
    const isolated = ((await runtime.textContent()) ?? "").includes("Cross-origin isolated: yes");
    // A second visit: the browser has ORT's wasm compiled in its cache, as for anyone who used the playground before.
    await page.reload();
    await runtime.getByText(/Model loaded in \d+ ms/).waitFor({ timeout: 60_000 });
    const warmLoadMs = Number(/Model loaded in (\d+) ms/.exec((await runtime.textContent()) ?? "")?.[1]);
    console.log("[bench] playground: measuring in Chromium…");
    await page.getByRole("button", { name: "Measure latency" }).click();
    await page.getByRole("table", { name: "Latency" }).waitFor({ timeout: 300_000 });
    const rowMs = Number(await page.getByTestId("single-p50").textContent());
    const ortRowMs = Number(await page.getByTestId("ort-p50").textContent());
    const batchMs = Number(await page.getByTestId("batch-ms").textContent());
    return [
      {
        backend: "chromium",
        measure: `model load on a first visit, ms (breast-cancer-rf-v1, 126 KB; isolated: ${isolated ? "yes" : "no"})`,
        studio: formatNumber(loadMs, 0),
        baseline: formatNumber(native.loadMs, 1),
        ratio: `${(loadMs / native.loadMs).toFixed(1)}×`,
        target: "≤ 300 ms",
        verdict: loadMs <= 300 ? "met" : "MISSED",
      },
      {
        backend: "chromium",
        measure: "model load on a second visit, ms (wasm already compiled and cached by the browser)",
        studio: formatNumber(warmLoadMs, 0),
        baseline: formatNumber(native.loadMs, 1),
        ratio: `${(warmLoadMs / native.loadMs).toFixed(1)}×`,
        target: "≤ 300 ms",
        verdict: warmLoadMs <= 300 ? "met" : "MISSED",
      },
      {
        backend: "chromium",
        measure: `one row, p50 of ${SINGLE_RUNS.toLocaleString()} runs, ms, worker round trip included`,
        studio: formatNumber(rowMs, 3),
        baseline: formatNumber(native.rowMs, 3),
        ratio: `${(rowMs / native.rowMs).toFixed(2)}×`,
        target: "≤ 1.5× native",
        verdict: rowMs <= 1.5 * native.rowMs ? "met" : "MISSED",
      },
      {
        backend: "chromium",
        measure: "one row, p50, ms inside ONNX Runtime only",
        studio: formatNumber(ortRowMs, 3),
        baseline: formatNumber(native.rowMs, 3),
        ratio: `${(ortRowMs / native.rowMs).toFixed(2)}×`,
        target: "—",
        verdict: "—",
      },
      {
        backend: "chromium",
        measure: `${BATCH_ROWS.toLocaleString()}-row batch, ms`,
        studio: formatNumber(batchMs, 1),
        baseline: formatNumber(native.batchMs, 1),
        ratio: `${(batchMs / native.batchMs).toFixed(2)}×`,
        target: "≤ 30 ms",
        verdict: batchMs <= 30 ? "met" : "MISSED",
      },
    ];
  } finally {
    await browser.close();
    await studio.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
