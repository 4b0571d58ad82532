// Where a returning visit's time goes before a press on Predict is handled: one second visit of the playground under a
// Chromium timeline trace (CDP), printed as the document's timings, the scripts' arrival and evaluation, the main
// thread's long tasks (what each mostly did) and the page's own marks (Predict usable, the press handled, the answer
// shown, hydrated, the browser runtime ready), all from the visit's navigation start.
// Run alone (needs `npx next build`; starts its own production server on the demo seed, Chromium as the e2e tests):
// npx tsx bench/playground-profile.ts — PLAYGROUND_PROFILE_VISITS (default 2) traced second visits;
// PLAYGROUND_PROFILE_FIRST=1 traces first visits instead, each in a fresh profile signed in a moment before (as
// bench/playground's first visits: ORT's files and the model never fetched, nothing in the code cache).
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type CDPSession, type Page } from "@playwright/test";
import playwrightConfig from "../playwright.config";
import { signIn, startStudio } from "./studio-server";

const PLAYGROUND = "/models/breast-cancer-rf/versions/1/playground";
const VISITS = Number(process.env.PLAYGROUND_PROFILE_VISITS ?? 2);
const FIRST = process.env.PLAYGROUND_PROFILE_FIRST === "1";

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; frame?: string; functionName?: string; type?: string; stackTrace?: unknown } };
}

/** Marks in the page's own clock (performance.now()), set before any of its scripts run. */
function marks(): void {
  const w = window as unknown as { __profile: Record<string, number> };
  const m = (w.__profile = {} as Record<string, number>);
  const observer = new MutationObserver(() => {
    if (m.usable === undefined) {
      const button = [...document.querySelectorAll<HTMLButtonElement>('form button[type="submit"]')].find((b) => b.textContent?.trim() === "Predict" && !b.disabled);
      if (button) m.usable = performance.now();
    }
    if (m.shown === undefined && document.querySelector('[data-testid="latency"]')) m.shown = performance.now();
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["disabled"] });
  addEventListener("click", () => (m.pressed ??= performance.now()), true);
}

async function traceOf(cdp: CDPSession, run: () => Promise<void>): Promise<TraceEvent[]> {
  const categories = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "blink.user_timing", "loading", "toplevel"];
  await cdp.send("Tracing.start", { traceConfig: { includedCategories: categories }, transferMode: "ReturnAsStream" });
  await run();
  const done = new Promise<string>((ok) => cdp.once("Tracing.tracingComplete", (e: { stream?: string }) => ok(e.stream!)));
  await cdp.send("Tracing.end");
  const stream = await done;
  let text = "";
  for (;;) {
    const chunk = (await cdp.send("IO.read", { handle: stream })) as { data: string; eof: boolean; base64Encoded?: boolean };
    text += chunk.base64Encoded ? Buffer.from(chunk.data, "base64").toString() : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send("IO.close", { handle: stream });
  const parsed = JSON.parse(text) as TraceEvent[] | { traceEvents: TraceEvent[] };
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

const short = (url: string | undefined) => (url ?? "").replace(/^https?:\/\/[^/]+/, "").replace(/^\/_next\/static\/chunks\//, "").slice(0, 70);

/** What a main-thread task mostly did: its longest nested events by name (and script URL where there is one). */
function describeTask(task: TraceEvent, events: TraceEvent[]): string {
  const inside = events.filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + task.dur! && (e.dur ?? 0) > 2000);
  const parts = inside
    .filter((e) => ["EvaluateScript", "v8.compile", "v8.compileModule", "v8.evaluateModule", "FunctionCall", "ParseHTML", "v8.wasm.compileConsume", "wasm.CompileLazy", "v8.wasm.streamFromResponseCallback", "TimerFire", "FireAnimationFrame", "EventDispatch", "Layout", "UpdateLayoutTree", "Paint", "MajorGC", "MinorGC", "V8.GC_SCAVENGER", "RunMicrotasks", "v8.run"].includes(e.name))
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
    .slice(0, 3)
    .map((e) => `${e.name}${e.args?.data?.url ? ` ${short(e.args.data.url)}` : ""}${e.args?.data?.functionName ? ` ${e.args.data.functionName}` : ""}${e.args?.data?.type ? ` ${e.args.data.type}` : ""} ${((e.dur ?? 0) / 1000).toFixed(0)}`);
  return parts.join("; ");
}

/** One visit of the playground under a trace, its timings printed. */
async function tracedVisit(context: BrowserContext, page: Page, baseUrl: string, label: string): Promise<void> {
  const monacoIn = () => page.locator('[data-json-editor="monaco"]').waitFor({ state: "attached", timeout: 120_000 });
  const cdp = await context.newCDPSession(page);
  let pageMarks: Record<string, number> = {};
  let nav: Record<string, number> = {};
  let resources: { name: string; start: number; end: number; bytes: number }[] = [];
  const events = await traceOf(cdp, async () => {
    await page.goto(`${baseUrl}${PLAYGROUND}`, { waitUntil: "commit" });
    const predict = page.getByRole("button", { name: "Predict", exact: true });
    await predict.waitFor({ state: "attached" });
    // As the bench presses: a click event, handled at the page's next free turn.
    await predict.dispatchEvent("click");
    await page.getByTestId("latency").waitFor({ timeout: 60_000 });
    await page.getByTestId("model-load").waitFor({ timeout: 60_000 });
    await monacoIn();
    await page.waitForTimeout(500);
    pageMarks = await page.evaluate(() => {
      const m = { ...(window as unknown as { __profile: Record<string, number> }).__profile };
      const loaded = document.querySelector('[data-testid="model-load"]');
      const ready = loaded?.getAttribute("data-predict-ready-since-navigation-ms");
      if (ready) m.hydratedPredict = Number(ready);
      if (loaded?.getAttribute("data-since-navigation-ms")) m.runtimeReady = Number(loaded.getAttribute("data-since-navigation-ms"));
      return m;
    });
    nav = await page.evaluate(() => {
      const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      return { responseStart: n.responseStart, responseEnd: n.responseEnd, domInteractive: n.domInteractive, domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd, bytes: n.encodedBodySize, decoded: n.decodedBodySize };
    });
    resources = await page.evaluate(() =>
      performance.getEntriesByType("resource").map((e) => {
        const r = e as PerformanceResourceTiming;
        return { name: r.name, start: r.startTime, end: r.responseEnd, bytes: r.decodedBodySize };
      }),
    );
  });
  await cdp.detach();
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain" && events.some((x) => x.pid === e.pid && x.name === "ParseHTML"));
  if (!main) throw new Error("no renderer main thread in the trace");
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid);
  // The navigation's start in trace time: the document's first ParseHTML minus its clock (responseEnd is later).
  const navStart = events.find((e) => e.name === "navigationStart" && e.pid === main.pid && (e.args?.data as { isLoadingMainFrame?: boolean } | undefined)?.isLoadingMainFrame)?.ts ?? onMain.find((e) => e.name === "ParseHTML")!.ts;
  const at = (ts: number) => ((ts - navStart) / 1000).toFixed(0).padStart(6);
  console.log(`\n=== traced ${label} ===`);
  console.log("document (ms from navigation):", Object.fromEntries(Object.entries(nav).map(([k, v]) => [k, Math.round(v)])));
  console.log("page marks (ms from navigation):", Object.fromEntries(Object.entries(pageMarks).map(([k, v]) => [k, Math.round(v)])));
  console.log("\nscripts, styles, fonts, ORT's wasm, the model (start, end, decoded bytes):");
  for (const r of resources.filter((r) => /\.(js|css|mjs|wasm|woff2?)(\?|$)|model\.onnx/.test(r.name)).sort((a, b) => a.start - b.start)) console.log(`${r.start.toFixed(0).padStart(6)} ${r.end.toFixed(0).padStart(6)} ${String(r.bytes).padStart(9)}  ${short(r.name)}`);
  const until = navStart + ((pageMarks.runtimeReady ?? 3000) + 200) * 1000;
  const tasks = onMain.filter((e) => e.ph === "X" && (e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask") && e.ts >= navStart && e.ts <= until && (e.dur ?? 0) >= 15_000);
  console.log("\nmain-thread tasks ≥ 15 ms until the runtime is ready (start, ms, what):");
  for (const task of tasks) console.log(`${at(task.ts)} ${((task.dur ?? 0) / 1000).toFixed(0).padStart(5)}  ${describeTask(task, onMain)}`);
  const busy = (from: number, to: number) =>
    onMain.filter((e) => e.ph === "X" && e.name === "RunTask" && e.ts < navStart + to * 1000 && e.ts + (e.dur ?? 0) > navStart + from * 1000).reduce((sum, e) => sum + Math.min(e.ts + e.dur!, navStart + to * 1000) - Math.max(e.ts, navStart + from * 1000), 0) / 1000;
  const windows = [0, 200, 400, 600, 800, 1000, 1200, 1600, 2000];
  console.log("\nmain thread busy per window (ms):", windows.slice(1).map((to, i) => `${windows[i]}-${to}: ${busy(windows[i]!, to).toFixed(0)}`).join(", "));
  const byName = new Map<string, number>();
  for (const e of onMain) if (e.ph === "X" && e.ts >= navStart && e.ts <= navStart + (pageMarks.pressed ?? 1000) * 1000) byName.set(e.name, (byName.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  console.log(`\nmain-thread events until the press was handled (${Math.round(pageMarks.pressed ?? 1000)} ms; inclusive, nested overlap):`);
  for (const [name, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 22)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${name}`);
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "studio-bench-playground-profile-"));
  await chmod(dataDir, 0o755);
  const studio = await startStudio({ databaseUrl: "", dataDir, seed: true, server: "scripts/server.mjs" });
  const profiles: string[] = [];
  const launch = async () => {
    const userDataDir = await mkdtemp(path.join(os.tmpdir(), "studio-bench-chromium-"));
    profiles.push(userDataDir);
    const context = await chromium.launchPersistentContext(userDataDir, { ...(playwrightConfig.use?.launchOptions ?? {}), headless: true });
    await context.addInitScript({ content: `(() => { const __name = (f) => f; (${marks.toString()})(); })();` });
    const page = context.pages()[0] ?? (await context.newPage());
    await signIn(page, studio.baseUrl);
    return { context, page };
  };
  let open: BrowserContext | null = null;
  try {
    if (FIRST) {
      for (let visit = 1; visit <= VISITS; visit++) {
        const { context, page } = await launch();
        open = context;
        await tracedVisit(context, page, studio.baseUrl, `first visit ${visit} (fresh profile)`);
        await context.close();
        open = null;
      }
      return;
    }
    const { context, page } = await launch();
    open = context;
    // The first visit fills the caches (ORT's files, the model, the code cache); the traced ones return.
    await page.goto(`${studio.baseUrl}${PLAYGROUND}`);
    await page.getByTestId("model-load").waitFor({ timeout: 120_000 });
    // Monaco (~4 MB, loaded once the model is ready) still being evaluated by the previous document shares the renderer's
    // main thread with the next navigation: each visit starts once it is in.
    await page.locator('[data-json-editor="monaco"]').waitFor({ state: "attached", timeout: 120_000 });
    await page.waitForTimeout(5_000);
    for (let visit = 1; visit <= VISITS; visit++) {
      await tracedVisit(context, page, studio.baseUrl, `second visit ${visit}`);
      await page.waitForTimeout(3_000);
    }
  } finally {
    await open?.close();
    await studio.stop();
    for (const dir of profiles) await rm(dir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
