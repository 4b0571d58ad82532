// Where the compare page's time goes: one navigation to 100 runs × loss on a compare seed, with a Chromium
// CPU profile (CDP) and the page's own network timings, printed as self time by function and by script.
// Run alone (needs `npx next build`): npx tsx bench/compare-profile.ts — a fresh PGlite seed of 100 runs × 2,000 steps;
// BENCH_ONLY=postgres uses the kept PostgreSQL seed of bench/compare instead (100 runs × 100,000 steps, seeded if missing).
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import playwrightConfig from "../playwright.config";
import superjson from "superjson";
import { LocalArtifactStore } from "@/server/artifacts/store";
import { systemActor } from "@/server/auth/actor";
import type { ServiceContext } from "@/server/service-context";
import { getPackedChartSeries, type ChartSeriesInput } from "@/server/tracking/chart-data";
import { openComparePglite, openComparePostgres } from "./compare-database";
import { POSTGRES_COMPARE_SHAPE } from "./compare-seed";
import { signIn, startStudio } from "./studio-server";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

async function main(): Promise<void> {
  const onPostgres = process.env.BENCH_ONLY === "postgres";
  const backend = onPostgres
    ? await openComparePostgres(POSTGRES_COMPARE_SHAPE)
    : await openComparePglite({ version: 1, runs: 100, metricKeys: ["loss"], steps: 2_000, tableRuns: 100 });
  if (!backend) throw new Error("no PostgreSQL server answers (BENCH_DATABASE_URL / TEST_DATABASE_URL)");
  const database = await backend.studioDatabase();
  const ownDataDir = database.dataDir ? null : await mkdtemp(path.join(os.tmpdir(), "studio-bench-profile-data-"));
  const dataDir = database.dataDir ?? ownDataDir!;
  await chmod(dataDir, 0o755);
  const studio = await startStudio({ databaseUrl: database.databaseUrl, dataDir, seed: false, env: database.env ?? {} });
  const browser = await chromium.launch(playwrightConfig.use?.launchOptions);
  try {
    const page = await browser.newPage();
    await signIn(page, studio.baseUrl);
    const url = `${studio.baseUrl}/experiments/${backend.seed.compareExperimentId}/compare?runs=${backend.seed.compareRunIds.join(",")}&metrics=loss`;
    const drawn = () =>
      page.waitForFunction(
        () => {
          const charts = document.querySelectorAll("[data-testid=compare-chart]");
          return charts.length > 0 && Array.from(charts).every((c) => c.getAttribute("data-ready") === "true" && (c as HTMLElement).offsetParent !== null);
        },
        undefined,
        { timeout: 60_000, polling: "raf" },
      );
    for (let i = 0; i < 2; i++) {
      await page.goto(url);
      await drawn();
    }
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
    await cdp.send("Profiler.start");
    const started = performance.now();
    await page.goto(url);
    await drawn();
    const total = performance.now() - started;
    const { profile } = (await cdp.send("Profiler.stop")) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
    const resources = await page.evaluate(() =>
      performance.getEntriesByType("resource").map((e) => {
        const r = e as PerformanceResourceTiming;
        // firstByte − start: waiting on the server (its query and serialisation); end − firstByte: the transfer.
        return { name: r.name.replace(location.origin, "").slice(0, 90), start: Math.round(r.startTime), firstByte: Math.round(r.responseStart), end: Math.round(r.responseEnd), bytes: r.encodedBodySize };
      }),
    );
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      return { responseEnd: Math.round(n.responseEnd), domContentLoaded: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd) };
    });
    console.log(`navigation → every chart drawn: ${total.toFixed(0)} ms; document`, nav);
    console.log(" start  1st byte  end     bytes");
    for (const r of resources.sort((a, b) => a.start - b.start)) console.log(`${String(r.start).padStart(6)} ${String(r.firstByte).padStart(8)} ${String(r.end).padStart(6)} ${String(r.bytes).padStart(9)} B  ${r.name}`);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<number, number>();
    profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
    const byFunction = new Map<string, number>();
    const byScript = new Map<string, number>();
    for (const [id, ms] of self) {
      const frame = byId.get(id)!.callFrame;
      const script = frame.url.replace(/^.*\/_next\//, "") || `(${frame.functionName || "native"})`;
      const fn = `${frame.functionName || "(anonymous)"} ${script}:${frame.lineNumber}:${frame.columnNumber}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
      byScript.set(script, (byScript.get(script) ?? 0) + ms);
    }
    const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${v.toFixed(1).padStart(8)} ms  ${k}`).join("\n");
    console.log("\nself time by script:\n" + top(byScript, 15));
    console.log("\nself time by function:\n" + top(byFunction, 40));

    // The chart's request as the page sent it, kept to replay it alone below.
    let chartRequest: { url: string; body: string } | null = null;
    page.on("request", (request) => {
      if (request.url().includes("/api/trpc/tracking.chartSeries") && request.method() === "POST") chartRequest = { url: request.url(), body: request.postData() ?? "" };
    });
    // A second navigation under a timeline trace: main-thread time by event (layout, paint, script, GC…).
    await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline"] });
    const traced = performance.now();
    await page.goto(url);
    await drawn();
    const tracedMs = performance.now() - traced;
    const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: { name: string; ph: string; dur?: number; tid: number; pid: number; args?: { data?: { frame?: string } } }[] };
    const main = trace.traceEvents.find((e) => e.name === "thread_name" && (e as unknown as { args: { name: string } }).args.name === "CrRendererMain");
    const byEvent = new Map<string, number>();
    for (const e of trace.traceEvents) {
      if (e.ph !== "X" || !e.dur || (main && (e.tid !== main.tid || e.pid !== main.pid))) continue;
      byEvent.set(e.name, (byEvent.get(e.name) ?? 0) + e.dur / 1000);
    }
    console.log(`\ntraced navigation: ${tracedMs.toFixed(0)} ms; main-thread events (inclusive, nested events overlap):\n` + top(byEvent, 25));

    // The same chart request alone, signed in as the page was, nothing else in flight: the server's own time for it,
    // against the time it took during the navigation (where the runs and the summary were answered alongside).
    const replay = chartRequest as { url: string; body: string } | null;
    if (replay) {
      const timings: number[] = [];
      // A cookie-signed POST must name the studio's origin (server/auth/authenticate.ts refuses it otherwise).
      for (let i = 0; i < 12; i++) {
        const started = performance.now();
        const response = await page.request.post(replay.url, { data: replay.body, headers: { "content-type": "application/json", origin: new URL(replay.url).origin } });
        if (!response.ok()) throw new Error(`chartSeries replay answered ${response.status()}`);
        await response.body();
        if (i >= 2) timings.push(performance.now() - started);
      }
      timings.sort((a, b) => a - b);
      console.log(`\nchartSeries request alone (10 after 2 warm-ups): p50 ${timings[5].toFixed(0)} ms, min ${timings[0].toFixed(0)} ms, max ${timings[9].toFixed(0)} ms`);
      if (onPostgres) {
        // And its domain call in this process (no HTTP, session or serialisation), on the same database.
        const input = superjson.deserialize(JSON.parse(replay.body)) as ChartSeriesInput;
        const ctx: ServiceContext = { db: backend.handle.db, artifacts: new LocalArtifactStore(dataDir), actor: systemActor };
        const domain: number[] = [];
        for (let i = 0; i < 12; i++) {
          const started = performance.now();
          await getPackedChartSeries(ctx, input);
          if (i >= 2) domain.push(performance.now() - started);
        }
        domain.sort((a, b) => a - b);
        console.log(`getPackedChartSeries alone, same input (10 after 2 warm-ups): p50 ${domain[5].toFixed(0)} ms, min ${domain[0].toFixed(0)} ms, max ${domain[9].toFixed(0)} ms`);
      }
    }
  } finally {
    await browser.close();
    await studio.stop();
    await backend.dispose();
    if (ownDataDir) await rm(ownDataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
