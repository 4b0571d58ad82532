// bench/compare in Chromium: the production server (`next start`) on the kept PostgreSQL seed, signed in once,
// timing navigation → every compare chart drawn, next to navigation → the experiments list in the same run.
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import playwrightConfig from "../playwright.config";
import type { CompareBackend } from "./compare-database";
import { formatNumber, percentile, type BenchRow } from "./stats";
import { signIn, startStudio } from "./studio-server";

const COMPARE_TARGET_MS = 1500;
function measureOf(backend: CompareBackend): string {
  const { runs, steps } = backend.shape;
  return `compare page, ${runs} runs × loss × ${steps.toLocaleString("en")} steps, in Chromium: navigation → every compare chart drawn (p50 / p95 ms)`;
}

function skipped(backend: CompareBackend, reason: string): BenchRow {
  console.log(`[bench] compare page in Chromium skipped: ${reason}`);
  return { backend: backend.name, measure: `${measureOf(backend)}: skipped, ${reason}`, studio: "—", baseline: "—", ratio: "—", target: `p50 ≤ ${COMPARE_TARGET_MS}`, verdict: "skipped" };
}

/** Milliseconds from navigation start until `ready` holds, `navigations` times after two untimed warm-ups. */
async function timeNavigations(page: Page, url: string, ready: () => Promise<unknown>, navigations: number): Promise<number[]> {
  const timings: number[] = [];
  for (let i = 0; i < navigations + 2; i++) {
    const start = performance.now();
    await page.goto(url);
    await ready();
    if (i >= 2) timings.push(performance.now() - start);
  }
  return timings;
}

export async function benchCompareBrowser(backend: CompareBackend, navigations: number): Promise<BenchRow> {
  if (!existsSync(path.join(".next", "BUILD_ID"))) return skipped(backend, "no production build (.next); run `npx next build` first");
  const database = await backend.studioDatabase();
  const ownDataDir = database.dataDir ? null : await mkdtemp(path.join(os.tmpdir(), "studio-bench-compare-data-"));
  const dataDir = database.dataDir ?? ownDataDir!;
  await chmod(dataDir, 0o755); // the embedded PostgreSQL runs as 'postgres' under root and must reach its folder
  const studio = await startStudio({ databaseUrl: database.databaseUrl, dataDir, seed: false, ...(database.env ? { env: database.env } : {}) });
  const browser = await chromium.launch(playwrightConfig.use?.launchOptions);
  try {
    const page = await browser.newPage();
    await signIn(page, studio.baseUrl);
    const { compareExperimentId, compareRunIds } = backend.seed;
    const url = `${studio.baseUrl}/experiments/${compareExperimentId}/compare?runs=${compareRunIds.join(",")}&metrics=loss`;
    const first = await page.goto(url);
    if (!first || first.status() === 404) return skipped(backend, `the compare page answers ${first?.status() ?? "nothing"} in this build`);
    const chartsDrawn = () =>
      page.waitForFunction(
        () => {
          const charts = document.querySelectorAll("[data-testid=compare-chart]");
          return charts.length > 0 && Array.from(charts).every((c) => c.getAttribute("data-ready") === "true" && (c as HTMLElement).offsetParent !== null);
        },
        undefined,
        { timeout: 60_000, polling: "raf" },
      );
    const experimentsListed = () => page.getByRole("heading", { level: 1, name: "Experiments" }).waitFor({ state: "visible", timeout: 30_000 });
    const baseline = await timeNavigations(page, `${studio.baseUrl}/experiments`, experimentsListed, navigations);
    const compare = await timeNavigations(page, url, chartsDrawn, navigations);
    const p50 = percentile(compare, 50);
    const b50 = percentile(baseline, 50);
    return {
      backend: backend.name,
      measure: measureOf(backend),
      studio: `${formatNumber(p50, 0)} / ${formatNumber(percentile(compare, 95), 0)}`,
      baseline: `${formatNumber(b50, 0)} / ${formatNumber(percentile(baseline, 95), 0)}`,
      ratio: `${(p50 / b50).toFixed(1)}×`,
      target: `p50 ≤ ${COMPARE_TARGET_MS}`,
      verdict: p50 <= COMPARE_TARGET_MS ? "met" : "MISSED",
    };
  } finally {
    await browser.close();
    await studio.stop();
    if (ownDataDir) await rm(ownDataDir, { recursive: true, force: true });
  }
}
