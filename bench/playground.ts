// bench/playground: the in-browser playground in Chromium (onnxruntime-web on the cross-origin isolated page for single
// rows, in a worker for batches, served by the production server) on the random-forest fixture, next to
// onnxruntime-node in this process.
//
// "Model load" is measured two ways, both read from the page (data attributes of the Runtime line):
// - from navigation start (the browser's performance.timeOrigin: the HTML, scripts, hydration, the model's bytes,
//   ORT's runtime and the session) to the moment Predict can score: what a person waits after opening the page;
// - from the playground's start (its first effect, once the page is interactive) to the same moment.
// A first visit is a fresh browser profile signed in a moment before (the app's scripts cached, ORT's files and the
// model never fetched); a second visit opens the same page again in that profile, after a pause in which Chromium
// may store the compiled wasm in its code cache, as it does for anyone who used the playground before. Profiles are
// real (on disk), not incognito contexts, whose caches differ from a user's.
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { chromium, type CDPSession, type Page } from "@playwright/test";
import playwrightConfig from "../playwright.config";
import { latencySummary } from "@/lib/percentile";
import { medianBlockMean } from "@/components/playground/latency-timing";
import { formatNumber, type BenchRow } from "./stats";
import { signIn, startStudio } from "./studio-server";

const MODEL = "fixtures/models/breast-cancer-rf-v1.onnx";
const VERSION_PAGE = "/models/breast-cancer-rf/versions/1";
const PLAYGROUND = `${VERSION_PAGE}/playground`;
const SINGLE_RUNS = 2000;
const BLOCKS = 10;
const BLOCK_RUNS = 200;
const BATCH_ROWS = 10_000;
const BATCH_RUNS = 5; // as components/playground/latency-check.tsx times the page's batch
const FIRST_VISITS = Number(process.env.BENCH_PLAYGROUND_VISITS ?? 3);
const SECOND_VISITS = Number(process.env.BENCH_PLAYGROUND_VISITS ?? 3);
// What `npm start` runs (ORT's wasm gzipped once, ahead of Next.js); BENCH_PLAYGROUND_SERVER="next start" for the
// plain Next.js server, which gzips the wasm per request: the same build compared both ways.
const SERVER = process.env.BENCH_PLAYGROUND_SERVER === "next start" ? "next start" : "scripts/server.mjs";
// BENCH_PLAYGROUND_ONLY=fill: only the 64-field form timing (a quick before/after of a form change).
const ONLY_FILL = process.env.BENCH_PLAYGROUND_ONLY === "fill";
// BENCH_PLAYGROUND_ONLY=visits: only the first and second visits' rows (no visit from the version page, no latency check,
// no 64-field form): a quick before/after of what happens when the page opens.
const ONLY_VISITS = process.env.BENCH_PLAYGROUND_ONLY === "visits";
// BENCH_PLAYGROUND_ONLY=latency: only the latency check, BENCH_PLAYGROUND_LATENCY_ROUNDS times (default 5) in one page,
// each round after a native baseline of its own: one row costs ~15 µs, so the two sides are interleaved round by
// round on a shared machine rather than measured minutes apart.
const ONLY_LATENCY = process.env.BENCH_PLAYGROUND_ONLY === "latency";
const LATENCY_ROUNDS = Number(process.env.BENCH_PLAYGROUND_LATENCY_ROUNDS ?? 5);
const DIGITS_PLAYGROUND = "/models/digits-mlp/versions/1/playground";
const FILL_ROUNDS = 3;
const TRACE = process.env.BENCH_PLAYGROUND_TRACE === "1";

const median = (values: number[]) => latencySummary(values).p50;

interface NativeBaseline {
  /** The first session in this process (ORT's native library already loaded by the import). */
  firstLoadMs: number;
  /** Median of later session creations. */
  loadMs: number;
  rowMs: number;
  rowMeanMs: number;
  batchMs: number;
}

/** onnxruntime-node in this process on the test split's first row: loads, single runs (timed one by one and in blocks), a batch. */
async function nativeBaseline(): Promise<NativeBaseline> {
  const bytes = new Uint8Array(await readFile(MODEL));
  const loads: number[] = [];
  let session: ort.InferenceSession | null = null;
  for (let i = 0; i < 6; i++) {
    await session?.release();
    const loadStart = performance.now();
    session = await ort.InferenceSession.create(bytes);
    loads.push(performance.now() - loadStart);
  }
  const model = session!;
  const firstRow = (await readFile("fixtures/datasets/breast_cancer.test.csv", "utf8")).split("\n")[1]!.split(",").slice(0, 30).map(Number);
  const one = new ort.Tensor("float32", Float32Array.from(firstRow), [1, 30]);
  for (let i = 0; i < 200; i++) await model.run({ input: one });
  const times: number[] = [];
  for (let i = 0; i < SINGLE_RUNS; i++) {
    const start = performance.now();
    await model.run({ input: one });
    times.push(performance.now() - start);
  }
  const blockTotals: number[] = [];
  for (let block = 0; block < BLOCKS; block++) {
    const start = performance.now();
    for (let i = 0; i < BLOCK_RUNS; i++) await model.run({ input: one });
    blockTotals.push(performance.now() - start);
  }
  const batch = new ort.Tensor("float32", Float32Array.from(Array.from({ length: BATCH_ROWS }, () => firstRow).flat()), [BATCH_ROWS, 30]);
  await model.run({ input: batch });
  // As the page's latency check: the median of BATCH_RUNS timed batches after one warm-up.
  const batchTimes: number[] = [];
  for (let i = 0; i < BATCH_RUNS; i++) {
    const batchStart = performance.now();
    await model.run({ input: batch });
    batchTimes.push(performance.now() - batchStart);
  }
  const batchMs = median(batchTimes);
  await model.release();
  return { firstLoadMs: loads[0]!, loadMs: median(loads.slice(1)), rowMs: latencySummary(times).p50, rowMeanMs: medianBlockMean(blockTotals, BLOCK_RUNS), batchMs };
}

function skipped(reason: string): BenchRow[] {
  console.log(`[bench] playground skipped: ${reason}`);
  return [{ backend: "chromium", measure: `playground: skipped, ${reason}`, studio: "—", baseline: "—", ratio: "—", target: "—", verdict: "skipped" }];
}

interface Visit {
  /** Navigation start to a working form's enabled Predict in the DOM: the server-rendered form that posts to the
   * server before hydration (a build with progressive enhancement), else the hydrated page's Predict. */
  predictUsableMs: number;
  /** How Predict was usable at that moment: "form post" (before hydration) or "page" (hydrated). */
  usableBy: string;
  /** Navigation start to the hydrated page's Predict (the server's tRPC answer until the page's runtime is ready), in
   * the document the visit ends in (after a form post: the post's document, from its own navigation start). */
  predictReadyMs: number;
  /** Predict pressed (as soon as it was usable) to its answer on screen: a form post's round trip before hydration. */
  pressToAnswerMs: number;
  /** Navigation start to the first prediction on screen, Predict pressed as soon as it was usable. */
  firstAnswerMs: number;
  /** Which runtime answered that first prediction. */
  firstAnsweredBy: string;
  /** Whether the first prediction's label equals the page runtime's answer to the same row. */
  sameAnswer: boolean;
  /** Navigation start to the page's own runtime (onnxruntime-web) ready: ORT's wasm, the model and its session. */
  sinceNavigationMs: number;
  loadMs: number;
  /** Navigation start to the document's last byte (the server's render and the HTML's transfer). */
  htmlMs: number;
  /** Navigation start to the playground's first effect (HTML, the app's scripts, hydration). */
  playgroundStartMs: number;
  isolated: boolean;
  /** Requests that left the studio's origin (there must be none: nothing from a CDN). */
  foreign: string[];
}

/**
 * Runs in every document of the bench's profiles before the page's own scripts (Playwright's init script, which the
 * page's CSP does not govern): notes when a working Predict is in the DOM and when a prediction is, in this document's
 * clock, and when Predict is pressed (on the wall clock, kept in sessionStorage across a form post's navigation).
 * "Working" before hydration means a server-action form (method POST, a real action URL; React's client-only forms
 * carry a javascript: placeholder) with its submit button named Predict and not disabled.
 */
function playgroundMarks(): void {
  const w = window as unknown as { __playgroundBench?: { usableAt: number | null; shownAt: number | null } };
  const marks = (w.__playgroundBench = { usableAt: null as number | null, shownAt: null as number | null });
  const entry = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  // Only a document loaded for this path (not one Next's client-side navigation reused, which reloads itself).
  const loadedHere = () => entry !== undefined && new URL(entry.name).pathname === location.pathname;
  const check = () => {
    if (!loadedHere()) return;
    if (marks.usableAt === null) {
      const button = [...document.querySelectorAll<HTMLButtonElement>('form button[type="submit"]')].find((b) => b.textContent?.trim() === "Predict" && !b.disabled);
      const action = button?.form?.getAttribute("action") ?? "";
      if (button && button.form!.method === "post" && action !== "" && !action.startsWith("javascript:")) marks.usableAt = performance.now();
    }
    if (marks.shownAt === null && document.querySelector('[data-testid="latency"]')) marks.shownAt = performance.now();
    if (marks.usableAt !== null && marks.shownAt !== null) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["disabled"] });
  // The submit's moment and whether something (React, or the early-answer script) kept the browser from posting it:
  // read by BENCH_PLAYGROUND_TRACE=1.
  addEventListener("submit", () => sessionStorage.setItem("bench-submit", String(performance.timeOrigin + performance.now())), true);
  addEventListener("submit", (event) => sessionStorage.setItem("bench-submit-prevented", String(event.defaultPrevented)));
  addEventListener(
    "click",
    (event) => {
      const button = (event.target as Element | null)?.closest?.("button");
      if (button?.textContent?.trim() !== "Predict") return;
      sessionStorage.setItem("bench-pressed", String(performance.timeOrigin + performance.now()));
      // This press's submit only (a submit stopped before it reaches the window's bubble leaves no "prevented").
      sessionStorage.removeItem("bench-submit");
      sessionStorage.removeItem("bench-submit-prevented");
    },
    true,
  );
  addEventListener("DOMContentLoaded", () => {
    check();
    if (entry) sessionStorage.setItem(`bench-html-${Math.round(performance.timeOrigin)}`, String(entry.responseEnd));
  });
}

/** Opens the playground in a new document (by its URL, or by `open`) and reads when the model became usable. */
async function visit(page: Page, baseUrl: string, open: () => Promise<unknown> = () => page.goto(`${baseUrl}${PLAYGROUND}`, { waitUntil: "commit" })): Promise<Visit> {
  const foreign: string[] = [];
  const onRequest = (request: { url(): string }) => {
    const url = request.url();
    if (!url.startsWith(baseUrl) && !url.startsWith("blob:") && !url.startsWith("data:")) foreign.push(url);
  };
  page.on("request", onRequest);
  // BENCH_PLAYGROUND_TRACE=1: the scoring requests of the visit (a form post, tRPC, the early-answer route) on the wall clock.
  const scoringRequests: string[] = [];
  const traceStart = Date.now();
  const onFinished = (request: import("@playwright/test").Request) => {
    const url = new URL(request.url());
    if (request.method() !== "POST" && !url.pathname.includes("scorePlaygroundRow")) return;
    const timing = request.timing();
    scoringRequests.push(`${request.method()} ${url.pathname}${url.search.slice(0, 40)} at ${Math.round(timing.startTime)} answered ${Math.round(timing.startTime + timing.responseEnd)}`);
  };
  if (TRACE) page.on("requestfinished", onFinished);
  await open();
  // A person presses Predict as soon as it works: the server-rendered form's (a post) where there is one, else the
  // hydrated page's (its own marks). Both in the document loaded for the playground, from its navigation start.
  const usable = (await (
    await page.waitForFunction(
      () => {
        const entry = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
        if (!entry || new URL(entry.name).pathname !== location.pathname) return null;
        const form = (window as unknown as { __playgroundBench?: { usableAt: number | null } }).__playgroundBench?.usableAt ?? null;
        const ready = document.querySelector('[data-testid="predict-ready"][data-since-navigation-ms]:not([data-since-navigation-ms=""]), [data-testid="model-load"]');
        const readyAt = ready ? Number(ready.getAttribute("data-since-navigation-ms")) : null;
        const hydrated = ready?.getAttribute("data-predict-ready-since-navigation-ms") ? Number(ready.getAttribute("data-predict-ready-since-navigation-ms")) : readyAt;
        if (form === null && hydrated === null) return null;
        return { origin: performance.timeOrigin, form, hydrated };
      },
      undefined,
      { timeout: 120_000, polling: 5 },
    )
  ).jsonValue())!; // (waitForFunction resolves on a truthy answer only)
  const predict = page.getByRole("button", { name: "Predict", exact: true });
  // A click event on the button itself, handled by the page's main thread at its next turn, as a person's press is.
  // (Playwright's locator click first waits, in the page, for the button to be stable over animation frames, which a
  // page busy hydrating and starting ORT does not give it: in a traced run its presses landed 10-14 s after Predict was
  // usable, once everything was loaded, so the "early" press was never early. A mouse press at the button's place was
  // tried: hydration moves the form, and the press missed it.)
  await predict.dispatchEvent("click");
  const latency = page.getByTestId("latency");
  await latency.waitFor({ timeout: 120_000 });
  const firstLabel = await page.getByTestId("predicted-label").textContent();
  // A build before the server's answers (the same-run baseline) has no such attributes: there the page answered.
  const firstAnsweredBy = (await latency.getAttribute("data-scored-by")) ?? "page";
  // Read in the document that shows the answer (after a form post, a new one): its clock, and the press's wall time.
  const answer = await page.evaluate(() => ({
    origin: performance.timeOrigin,
    shownAt: (window as unknown as { __playgroundBench?: { shownAt: number | null } }).__playgroundBench?.shownAt ?? Number.NaN,
    pressed: Number(sessionStorage.getItem("bench-pressed") ?? Number.NaN),
    submitAt: Number(sessionStorage.getItem("bench-submit") ?? Number.NaN),
    submitPrevented: sessionStorage.getItem("bench-submit-prevented"),
  }));
  const shownAbs = answer.origin + answer.shownAt;
  const loaded = page.getByTestId("model-load");
  await loaded.waitFor({ timeout: 120_000 });
  page.off("request", onRequest);
  // The runtime's marks are in the last document's clock; moved onto the visit's navigation start.
  const ownSinceNavigationMs = Number(await loaded.getAttribute("data-since-navigation-ms"));
  const sinceNavigationMs = ownSinceNavigationMs + (answer.origin - usable.origin);
  const predictReady = await loaded.getAttribute("data-predict-ready-since-navigation-ms");
  // The same row again, now on the page's runtime.
  await predict.click();
  await page.getByTestId("latency").and(page.locator('[data-scored-by="page"], :not([data-scored-by])')).waitFor();
  const pageLabel = await page.getByTestId("predicted-label").textContent();
  const loadMs = Number(await loaded.getAttribute("data-load-ms"));
  const isolated = ((await page.getByLabel("Runtime").textContent()) ?? "").includes("Cross-origin isolated: yes");
  const htmlMs = Number(await page.evaluate((origin) => sessionStorage.getItem(`bench-html-${Math.round(origin)}`) ?? Number.NaN, usable.origin));
  if (TRACE) {
    page.off("requestfinished", onFinished);
    const since = (abs: number) => (Number.isFinite(abs) ? `+${Math.round(abs - usable.origin)} ms` : "—");
    const submit = { at: answer.submitAt, prevented: answer.submitPrevented };
    console.log(
      `[bench] trace (navigation at ${Math.round(usable.origin)}, ${Math.round(usable.origin - traceStart)} ms after the visit began): usable ${since(usable.origin + (usable.form ?? usable.hydrated!))}` +
        `, pressed ${since(answer.pressed)}, submit event ${since(submit.at)} (default prevented: ${submit.prevented}), answer shown ${since(shownAbs)} by ${firstAnsweredBy}` +
        `${answer.origin !== usable.origin ? ` in a new document (navigation ${since(answer.origin)})` : ""}, hydrated Predict ready ${predictReady ? since(answer.origin + Number(predictReady)) : "—"}` +
        `; scoring requests: ${scoringRequests.map((r) => r.replace(/ at (\d+) answered (\d+)/, (_, a: string, b: string) => ` sent ${since(Number(a))}, answered ${since(Number(b))}`)).join("; ") || "none"}`,
    );
  }
  return {
    predictUsableMs: usable.form ?? usable.hydrated!,
    usableBy: usable.form !== null ? "form post" : "page",
    predictReadyMs: predictReady ? Number(predictReady) : ownSinceNavigationMs,
    pressToAnswerMs: answer.pressed >= usable.origin ? shownAbs - answer.pressed : Number.NaN,
    firstAnswerMs: shownAbs - usable.origin,
    firstAnsweredBy,
    sameAnswer: firstLabel !== null && firstLabel === pageLabel,
    sinceNavigationMs,
    loadMs,
    htmlMs,
    playgroundStartMs: sinceNavigationMs - loadMs,
    isolated,
    foreign,
  };
}

/** A fresh on-disk profile, signed in: the state of someone about to open the playground for the first time. */
async function freshProfile(baseUrl: string) {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), "studio-bench-chromium-"));
  const launch = playwrightConfig.use?.launchOptions ?? {};
  const context = await chromium.launchPersistentContext(userDataDir, { ...launch, headless: true });
  // As source with a no-op __name: tsx (esbuild keepNames) wraps the function's named arrows in __name(), which the page
  // does not have (the first run's marks were all missing: the script threw).
  await context.addInitScript({ content: `(() => { const __name = (f) => f; (${playgroundMarks.toString()})(); })();` });
  const page = context.pages()[0] ?? (await context.newPage());
  await signIn(page, baseUrl);
  return {
    page,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

interface FillTiming {
  /** Wall time to fill the 64 fields one after another, as a person tabbing through them would (Playwright's fill). */
  fillMs: number;
  /** The page's main thread busy during those fills (Chromium's TaskDuration): the page's own work, without Playwright's waits. */
  taskMs: number;
  /** Median over the 64 fields of one change done inside the page (value set, input event, React's update, a forced
   * layout), timed synchronously: robust to other processes taking the CPU now and then, and free of Playwright's waits. */
  inPageFieldMs: number;
  /** From the last field's fill to the answer of Predict pressed right after (the JSON and the row caught up). */
  predictMs: number;
  /** Whether that answer is onnxruntime-node's for the same row: every value reached the model. */
  sameAsNode: boolean;
}

/** Chromium's cumulative main-thread task time of the page, ms. */
async function mainThreadMs(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
  return (metrics.find((m) => m.name === "TaskDuration")?.value ?? Number.NaN) * 1000;
}

/** The digits model's test row as pixel values, and onnxruntime-node's label for it. */
async function digitsRow(): Promise<{ values: number[]; label: string }> {
  const [header, first] = (await readFile("fixtures/datasets/digits.test.csv", "utf8")).trim().split("\n");
  const columns = header!.split(",");
  const cells = first!.split(",");
  const values = Array.from({ length: 64 }, (_, i) => Number(cells[columns.indexOf(`px${i}`)]));
  const session = await ort.InferenceSession.create("fixtures/models/digits-mlp.onnx");
  const out = await session.run({ input: new ort.Tensor("float32", Float32Array.from(values), [1, 64]) });
  await session.release();
  return { values, label: String(out.label!.data[0]) };
}

/** Fills the digits playground's 64 fields with a test row once the page has settled (model and JSON editor loaded). */
async function fillDigits(page: Page, baseUrl: string, row: { values: number[]; label: string }): Promise<FillTiming> {
  await page.goto(`${baseUrl}${DIGITS_PLAYGROUND}`);
  await page.getByTestId("model-load").waitFor({ timeout: 120_000 });
  await page.locator('[data-json-editor="monaco"]').waitFor({ timeout: 120_000 });
  const fields = row.values.map((_, i) => page.getByLabel(`x${i}`, { exact: true }));
  await fields[0]!.waitFor();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const busyBefore = await mainThreadMs(cdp);
  const start = performance.now();
  for (const [i, value] of row.values.entries()) await fields[i]!.fill(String(value));
  const filled = performance.now();
  const taskMs = (await mainThreadMs(cdp)) - busyBefore;
  await cdp.detach();
  await page.getByRole("button", { name: "Predict", exact: true }).click();
  await page.getByTestId("latency").waitFor({ timeout: 60_000 });
  const answered = performance.now();
  const label = await page.getByRole("region", { name: "Prediction" }).getByTestId("predicted-label").textContent();
  const inPageFieldMs = await page.evaluate(changeFieldsInPage, row.values.map((v) => String(v + 1)));
  return { fillMs: filled - start, taskMs, inPageFieldMs, predictMs: answered - filled, sameAsNode: label === row.label };
}

/** In the page: sets each of the 64 fields as typing would (React's value tracker sees a native set), times each change
 * synchronously (React handles an input event at once) up to a forced layout, and returns the median. */
function changeFieldsInPage(values: string[]): number {
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
  const inputs = values.map((_, i) => {
    const label = [...document.querySelectorAll("label")].find((l) => l.textContent === `x${i}`);
    return document.getElementById(label!.htmlFor) as HTMLInputElement;
  });
  const times = values.map((value, i) => {
    const start = performance.now();
    setValue.call(inputs[i], value);
    inputs[i]!.dispatchEvent(new Event("input", { bubbles: true }));
    void document.body.offsetHeight;
    return performance.now() - start;
  });
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** The same 64 fills on a plain HTML form: what Playwright's fill costs by itself (the floor of the playground's number). */
async function fillPlainForm(page: Page, values: number[]): Promise<{ fillMs: number; taskMs: number; inPageFieldMs: number }> {
  await page.setContent(`<form>${values.map((_, i) => `<label for="f${i}">x${i}</label><input id="f${i}" type="number" step="any">`).join("")}</form>`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const busyBefore = await mainThreadMs(cdp);
  const start = performance.now();
  for (const [i, value] of values.entries()) await page.getByLabel(`x${i}`, { exact: true }).fill(String(value));
  const fillMs = performance.now() - start;
  const taskMs = (await mainThreadMs(cdp)) - busyBefore;
  await cdp.detach();
  return { fillMs, taskMs, inPageFieldMs: await page.evaluate(changeFieldsInPage, values.map((v) => String(v + 1))) };
}

async function benchFill(baseUrl: string, page: Page): Promise<BenchRow[]> {
  const row = await digitsRow();
  const timings: FillTiming[] = [];
  for (let i = 0; i < FILL_ROUNDS; i++) {
    console.log(`[bench] playground: filling the digits model's 64 fields, round ${i + 1} of ${FILL_ROUNDS}…`);
    timings.push(await fillDigits(page, baseUrl, row));
  }
  const plain: { fillMs: number; taskMs: number; inPageFieldMs: number }[] = [];
  for (let i = 0; i < FILL_ROUNDS; i++) plain.push(await fillPlainForm(page, row.values));
  const fillMs = median(timings.map((t) => t.fillMs));
  const plainMs = median(plain.map((p) => p.fillMs));
  const taskMs = median(timings.map((t) => t.taskMs));
  const plainTaskMs = median(plain.map((p) => p.taskMs));
  const wrong = timings.filter((t) => !t.sameAsNode).length;
  return [
    {
      backend: "chromium",
      measure: `digits-mlp playground: fill its 64 fields one by one (Playwright fill), ms (median of ${FILL_ROUNDS}: ${timings.map((t) => t.fillMs.toFixed(0)).join(", ")}); baseline: a plain 64-input HTML form filled the same way`,
      studio: formatNumber(fillMs, 0),
      baseline: formatNumber(plainMs, 0),
      ratio: `${(fillMs / plainMs).toFixed(1)}×`,
      target: "—",
      verdict: "—",
    },
    {
      backend: "chromium",
      measure: `digits-mlp playground: per field, ms (the same fill / 64)`,
      studio: formatNumber(fillMs / 64, 1),
      baseline: formatNumber(plainMs / 64, 1),
      ratio: `${(fillMs / plainMs).toFixed(1)}×`,
      target: "—",
      verdict: "—",
    },
    {
      backend: "chromium",
      measure: `digits-mlp playground: the page's main thread busy during the 64 fills (Chromium TaskDuration), ms (median of ${FILL_ROUNDS}: ${timings.map((t) => t.taskMs.toFixed(0)).join(", ")}); baseline: the plain form's`,
      studio: formatNumber(taskMs, 0),
      baseline: formatNumber(plainTaskMs, 0),
      ratio: `${(taskMs / plainTaskMs).toFixed(1)}×`,
      target: "—",
      verdict: "—",
    },
    {
      backend: "chromium",
      measure: `digits-mlp playground: one field changed inside the page (value, input event, React's update, layout), median of its 64 fields, ms (median of ${FILL_ROUNDS} rounds: ${timings.map((t) => t.inPageFieldMs.toFixed(2)).join(", ")}); baseline: the plain form's`,
      studio: formatNumber(median(timings.map((t) => t.inPageFieldMs)), 2),
      baseline: formatNumber(median(plain.map((p) => p.inPageFieldMs)), 2),
      ratio: `${(median(timings.map((t) => t.inPageFieldMs)) / median(plain.map((p) => p.inPageFieldMs))).toFixed(1)}×`,
      target: "—",
      verdict: "—",
    },
    {
      backend: "chromium",
      measure: `digits-mlp playground: last fill → Predict's answer on screen, ms (median of ${FILL_ROUNDS}); answers unlike onnxruntime-node's: ${wrong}`,
      studio: formatNumber(median(timings.map((t) => t.predictMs)), 0),
      baseline: "—",
      ratio: "—",
      target: "0 unlike",
      verdict: wrong === 0 ? "met" : "MISSED",
    },
  ];
}

interface LatencyReading {
  rowMs: number;
  rowMeanMs: number;
  ortRowMs: number;
  batchMs: number;
  /** The check's warm-up as it reports it: "12,000 runs in 1.0 s, settled" ("—" for a build that does not say). */
  warmUp: string;
}

/** Presses "Measure latency" on an open playground and reads its table once the new result is there. */
async function measureLatency(page: Page): Promise<LatencyReading> {
  const table = page.getByRole("table", { name: "Latency" });
  await page.getByRole("button", { name: "Measure latency" }).click();
  // The press clears the previous result at once; the new table appears when the check is done.
  await table.waitFor({ state: "detached", timeout: 5_000 }).catch(() => undefined);
  await table.waitFor({ timeout: 300_000 });
  const read = async (id: string) => Number(await page.getByTestId(id).textContent());
  const warmUpLine = page.getByTestId("warm-up");
  const warmUp = (await warmUpLine.count())
    ? `${Number(await warmUpLine.getAttribute("data-runs")).toLocaleString("en")} runs in ${(Number(await warmUpLine.getAttribute("data-ms")) / 1000).toFixed(1)} s, ${(await warmUpLine.getAttribute("data-settled")) === "true" ? "settled" : "NOT settled (cut at its time limit)"}`
    : "—";
  return { rowMs: await read("single-p50"), rowMeanMs: await read("single-mean"), ortRowMs: await read("ort-p50"), batchMs: await read("batch-ms"), warmUp };
}

/** BENCH_PLAYGROUND_ONLY=latency: the latency check and the native baseline, alternated LATENCY_ROUNDS times. */
async function benchLatencyRounds(baseUrl: string, page: Page, first: NativeBaseline): Promise<BenchRow[]> {
  // A returning visit, as the full suite's latency check: ORT's wasm then comes from Chromium's code cache.
  for (const pause of [5_000, 0]) {
    await page.goto(`${baseUrl}${PLAYGROUND}`);
    await page.getByTestId("model-load").waitFor({ timeout: 120_000 });
    await page.waitForTimeout(pause);
  }
  const rounds: { browser: LatencyReading; native: NativeBaseline }[] = [];
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    const native = round === 0 ? first : await nativeBaseline();
    const browser = await measureLatency(page);
    console.log(
      `[bench] playground latency round ${round + 1}: one row p50 ${browser.rowMs.toFixed(3)} ms (native ${native.rowMs.toFixed(3)}), back to back ${browser.rowMeanMs.toFixed(4)} (native ${native.rowMeanMs.toFixed(4)}), inside ORT ${browser.ortRowMs.toFixed(3)}, batch ${browser.batchMs.toFixed(1)} (native ${native.batchMs.toFixed(1)}); warm-up ${browser.warmUp}`,
    );
    rounds.push({ browser, native });
  }
  const row = (measure: string, studio: (r: LatencyReading) => number, baseline: (n: NativeBaseline) => number, digits: number, target: boolean): BenchRow => {
    const ratios = rounds.map((r) => studio(r.browser) / baseline(r.native));
    const ms = median(rounds.map((r) => studio(r.browser)));
    const nativeMs = median(rounds.map((r) => baseline(r.native)));
    const ratio = median(ratios);
    return {
      backend: "chromium",
      measure: `${measure}; median of ${rounds.length} rounds, each against its own native baseline (ratios ${ratios.map((v) => `${v.toFixed(2)}×`).join(", ")})`,
      studio: formatNumber(ms, digits),
      baseline: formatNumber(nativeMs, digits),
      ratio: `${ratio.toFixed(2)}×`,
      target: target ? "≤ 1.5× native" : "—",
      verdict: target ? (ratio <= 1.5 ? "met" : "MISSED") : "—",
    };
  };
  return [
    row(`one row, p50 of ${SINGLE_RUNS.toLocaleString()} runs as Predict scores it (on the page), ms; the page's clock ticks in 5 µs`, (b) => b.rowMs, (n) => n.rowMs, 3, true),
    row(`one row, back to back: median of ${BLOCKS} blocks of ${BLOCK_RUNS} timed whole, mean per row, ms`, (b) => b.rowMeanMs, (n) => n.rowMeanMs, 4, true),
    row("one row, p50, ms inside ONNX Runtime only", (b) => b.ortRowMs, (n) => n.rowMs, 3, false),
    row(`${BATCH_ROWS.toLocaleString()}-row batch in the worker, ms inside ONNX Runtime, median of ${BATCH_RUNS} after one warm-up (both sides)`, (b) => b.batchMs, (n) => n.batchMs, 1, false),
  ];
}

function loadRow(measure: string, visits: Visit[], pick: (v: Visit) => number, baselineMs: number, withTarget: boolean): BenchRow {
  const values = visits.map(pick);
  const ms = median(values);
  return {
    backend: "chromium",
    measure: `${measure} (median of ${values.length}: ${values.map((v) => v.toFixed(0)).join(", ")})`,
    studio: formatNumber(ms, 0),
    baseline: formatNumber(baselineMs, 1),
    ratio: `${(ms / baselineMs).toFixed(1)}×`,
    target: withTarget ? "≤ 300 ms" : "—",
    verdict: withTarget ? (ms <= 300 ? "met" : "MISSED") : "—",
  };
}

export async function benchPlayground(): Promise<BenchRow[]> {
  if (!existsSync(path.join(".next", "BUILD_ID"))) return skipped("no production build (.next); run `npx next build` first");
  console.log("[bench] playground: onnxruntime-node baseline…");
  const native = await nativeBaseline();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "studio-bench-playground-"));
  await chmod(dataDir, 0o755); // the embedded PostgreSQL runs as 'postgres' under root and must reach its folder
  console.log(`[bench] playground: starting the studio (${SERVER}, embedded database, demo seed)…`);
  const studio = await startStudio({ databaseUrl: "", dataDir, seed: true, server: SERVER });
  const profiles: { close(): Promise<void> }[] = [];
  try {
    if (ONLY_FILL) {
      const profile = await freshProfile(studio.baseUrl);
      profiles.push(profile);
      return await benchFill(studio.baseUrl, profile.page);
    }
    if (ONLY_LATENCY) {
      const profile = await freshProfile(studio.baseUrl);
      profiles.push(profile);
      return await benchLatencyRounds(studio.baseUrl, profile.page, native);
    }
    const firstVisits: Visit[] = [];
    let last: Awaited<ReturnType<typeof freshProfile>> | null = null;
    for (let i = 0; i < FIRST_VISITS; i++) {
      console.log(`[bench] playground: first visit ${i + 1} of ${FIRST_VISITS} (fresh profile)…`);
      last = await freshProfile(studio.baseUrl);
      profiles.push(last);
      firstVisits.push(await visit(last.page, studio.baseUrl));
      if (i < FIRST_VISITS - 1) await profiles.pop()!.close();
    }
    // A first visit from the version page, where "Open playground" lives: that page warms the runtime and the model up
    // on idle (a build without the warm-up just opens the playground from it).
    const fromVersionPage: Visit[] = [];
    for (let i = 0; i < (ONLY_VISITS ? 0 : FIRST_VISITS); i++) {
      console.log(`[bench] playground: first visit ${i + 1} of ${FIRST_VISITS} from the version page (fresh profile)…`);
      const profile = await freshProfile(studio.baseUrl);
      try {
        await profile.page.goto(`${studio.baseUrl}${VERSION_PAGE}`);
        await profile.page.getByRole("link", { name: "Open playground" }).waitFor();
        const warmUp = profile.page.locator('[data-testid="playground-warm-up"]');
        const warmed = await warmUp
          .and(profile.page.locator('[data-state="done"], [data-state="failed"]'))
          .waitFor({ state: "attached", timeout: 60_000 })
          .then(() => warmUp.getAttribute("data-state"), () => "none");
        console.log(`[bench] playground: version page warm-up: ${warmed}`);
        fromVersionPage.push(await visit(profile.page, studio.baseUrl, () => Promise.all([profile.page.waitForURL(`**${PLAYGROUND}`), profile.page.getByRole("link", { name: "Open playground" }).click()])));
      } finally {
        await profile.close();
      }
    }
    const page = last!.page;
    // Chromium stores compiled wasm in its code cache a moment after compiling it; a returning visitor comes later still.
    await page.waitForTimeout(5_000);
    const secondVisits: Visit[] = [];
    for (let i = 0; i < SECOND_VISITS; i++) {
      console.log(`[bench] playground: second visit ${i + 1} of ${SECOND_VISITS}…`);
      secondVisits.push(await visit(page, studio.baseUrl));
    }
    const all = [...firstVisits, ...secondVisits, ...fromVersionPage];
    const isolated = all.every((v) => v.isolated);
    const foreign = [...new Set(all.flatMap((v) => v.foreign))];
    if (foreign.length) console.log(`[bench] playground: requests outside the studio: ${foreign.join(", ")}`);

    const answeredBy = (visits: Visit[]) => visits.map((v) => v.firstAnsweredBy).join("/");
    const usableBy = (visits: Visit[]) => visits.map((v) => v.usableBy).join("/");
    const visitRows = [
      loadRow(`first model load, first visit, from navigation start to Predict usable (a working form's enabled Predict in the DOM; by ${usableBy(firstVisits)}), ms; native: session from the same bytes in this process (first ${native.firstLoadMs.toFixed(1)} ms); isolated: ${isolated ? "yes" : "NO"}; server: ${SERVER}`, firstVisits, (v) => v.predictUsableMs, native.loadMs, true),
      loadRow("first visit, Predict pressed as soon as it is usable → the prediction shown, ms", firstVisits, (v) => v.pressToAnswerMs, native.loadMs, false),
      loadRow(`first visit, from navigation start to the first prediction shown (Predict pressed once usable; answered by ${answeredBy(firstVisits)}), ms`, firstVisits, (v) => v.firstAnswerMs, native.loadMs, false),
      loadRow("first visit, from navigation start to the hydrated page's Predict ready (any runtime; after a form post, in the post's document from its own navigation start), ms", firstVisits, (v) => v.predictReadyMs, native.loadMs, false),
      loadRow("first visit, from navigation start to the browser runtime ready (onnxruntime-web: wasm, model, session), ms", firstVisits, (v) => v.sinceNavigationMs, native.loadMs, false),
      loadRow("first visit, from the playground's start (page interactive) to the browser runtime ready, ms", firstVisits, (v) => v.loadMs, native.loadMs, false),
      // The part of Predict usable that is the server's render and the document's transfer (the rest: the previous page
      // giving way, the styles the early-answer script waits for, the parse up to the form).
      loadRow("first visit, from navigation start to the HTML's last byte, ms", firstVisits, (v) => v.htmlMs, native.loadMs, false),
    ];
    const secondVisitRows = [
      loadRow(`second visit, from navigation start to Predict usable (by ${usableBy(secondVisits)}), ms`, secondVisits, (v) => v.predictUsableMs, native.loadMs, true),
      loadRow("second visit, Predict pressed as soon as it is usable → the prediction shown, ms", secondVisits, (v) => v.pressToAnswerMs, native.loadMs, false),
      loadRow(`second visit, from navigation start to the first prediction shown (answered by ${answeredBy(secondVisits)}), ms`, secondVisits, (v) => v.firstAnswerMs, native.loadMs, false),
      loadRow("second visit, from navigation start to the hydrated page's Predict ready (after a form post, in the post's document), ms", secondVisits, (v) => v.predictReadyMs, native.loadMs, false),
      loadRow("second visit, from navigation start to the browser runtime ready, ms", secondVisits, (v) => v.sinceNavigationMs, native.loadMs, false),
      loadRow("second visit, from the playground's start to the browser runtime ready, ms", secondVisits, (v) => v.loadMs, native.loadMs, false),
      loadRow("second visit, from navigation start to the HTML's last byte, ms", secondVisits, (v) => v.htmlMs, native.loadMs, false),
      loadRow("second visit, from navigation start to the playground's start (HTML, scripts, hydration), ms", secondVisits, (v) => v.playgroundStartMs, native.loadMs, false),
    ];
    if (ONLY_VISITS) return [...visitRows, ...secondVisitRows];
    console.log("[bench] playground: measuring latency in Chromium…");
    // Pressed as soon as the last visit's answers are read, as a person trying the page would: the page may still be
    // busy (the answer's explanation in the worker, the editor loading); the check's own warm-up is what copes with it.
    const { rowMs, rowMeanMs, ortRowMs, batchMs, warmUp } = await measureLatency(page);
    const differing = all.filter((v) => !v.sameAnswer).length;
    const fillRows = await benchFill(studio.baseUrl, page);
    return [
      ...visitRows,
      loadRow(`first visit from the version page (its warm-up done), from the playground document's navigation start to Predict usable (by ${usableBy(fromVersionPage)}), ms`, fromVersionPage, (v) => v.predictUsableMs, native.loadMs, false),
      loadRow("first visit from the version page, from navigation start to the browser runtime ready, ms", fromVersionPage, (v) => v.sinceNavigationMs, native.loadMs, false),
      ...secondVisitRows,
      {
        backend: "chromium",
        measure: `one row, p50 of ${SINGLE_RUNS.toLocaleString()} runs as Predict scores it (on the page), ms; the page's clock ticks in 5 µs; the check's warm-up: ${warmUp}`,
        studio: formatNumber(rowMs, 3),
        baseline: formatNumber(native.rowMs, 3),
        ratio: `${(rowMs / native.rowMs).toFixed(2)}×`,
        target: "≤ 1.5× native",
        verdict: rowMs <= 1.5 * native.rowMs ? "met" : "MISSED",
      },
      {
        backend: "chromium",
        measure: `one row, back to back: median of ${BLOCKS} blocks of ${BLOCK_RUNS} timed whole, mean per row, ms`,
        studio: formatNumber(rowMeanMs, 4),
        baseline: formatNumber(native.rowMeanMs, 4),
        ratio: `${(rowMeanMs / native.rowMeanMs).toFixed(2)}×`,
        target: "≤ 1.5× native",
        verdict: rowMeanMs <= 1.5 * native.rowMeanMs ? "met" : "MISSED",
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
        measure: `${BATCH_ROWS.toLocaleString()}-row batch in the worker, ms inside ONNX Runtime, median of ${BATCH_RUNS} after one warm-up (both sides)`,
        studio: formatNumber(batchMs, 1),
        baseline: formatNumber(native.batchMs, 1),
        ratio: `${(batchMs / native.batchMs).toFixed(2)}×`,
        target: "≤ 30 ms",
        verdict: batchMs <= 30 ? "met" : "MISSED",
      },
      {
        backend: "chromium",
        measure: "visits whose first prediction's label differed from the page runtime's answer to the same row",
        studio: String(differing),
        baseline: "—",
        ratio: "—",
        target: "0",
        verdict: differing === 0 ? "met" : "MISSED",
      },
      {
        backend: "chromium",
        measure: "requests outside the studio during the visits (nothing from a CDN)",
        studio: String(foreign.length),
        baseline: "—",
        ratio: "—",
        target: "0",
        verdict: foreign.length === 0 ? "met" : "MISSED",
      },
      ...fillRows,
    ];
  } finally {
    for (const profile of profiles) await profile.close();
    await studio.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
