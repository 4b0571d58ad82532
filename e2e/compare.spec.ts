// Journey: choose the runs table's columns, select runs, compare them, change the charts, reload the
// same view from its link, export the table as CSV; axe finds no serious accessibility problem.
import { readFileSync } from "node:fs";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { seedRunsInBulk } from "./bulk-seed";
import { createExperiment, logRun, logRuns } from "./mlflow-api";

/** A learning curve over 50 steps ending at `final`, with one spike the chart must not lose. */
function curve(final: number, spikeAt: number): number[] {
  return Array.from({ length: 50 }, (_, step) => (step === spikeAt ? final * 3 : Number((final * (0.3 + (0.7 * step) / 49)).toFixed(4))));
}

/** Moves the pointer to a chart's left edge, mid-height, after scrolling the chart into view (earlier clicks may have scrolled it away). */
async function pointAtStart(page: Page, chart: Locator): Promise<void> {
  const layer = chart.getByTestId("chart-pointer-layer");
  await layer.scrollIntoViewIfNeeded();
  const box = (await layer.boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
}

test("choose columns, select runs, compare them, reload the same view, export CSV", async ({ page, request }) => {
  const experimentName = `Compare journey ${Date.now()}`;
  const experimentId = await createExperiment(request, experimentName);
  await logRun(request, experimentId, { runName: "small", params: { lr: "0.1", model: "mlp" }, metrics: { acc: curve(0.7, 10), loss: curve(0.5, 20).reverse() } });
  await logRun(request, experimentId, { runName: "large", params: { lr: "0.01", model: "mlp" }, metrics: { acc: curve(0.9, 30), loss: curve(0.3, 25).reverse() } });
  await logRun(request, experimentId, { runName: "other", params: { lr: "0.5", model: "tree" }, metrics: { acc: curve(0.5, 5) } });

  await page.goto(`/experiments/${experimentId}`);
  const table = page.getByRole("table", { name: "Runs" });
  await expect(table.locator("tbody tr")).toHaveCount(3);
  await expect(table.getByRole("columnheader", { name: /^loss/ })).toBeVisible();
  await expectNoSeriousViolations(page);

  // Column chooser: drop "loss", the table and the URL follow.
  await page.getByText("Columns (", { exact: false }).click();
  // Checkboxes mirror the URL, which updates a moment after the click: click, then wait for the state.
  const lossBox = page.getByRole("group", { name: "Choose columns" }).getByLabel("loss");
  await lossBox.click();
  await expect(lossBox).not.toBeChecked();
  await expect(table.getByRole("columnheader", { name: /^loss/ })).toHaveCount(0);
  await expect(page).toHaveURL(/cols=/);
  await page.getByText("Columns (", { exact: false }).click();

  // Export the current view.
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const download = await downloadPromise;
  const csv = readFileSync(await download.path(), "utf8").trim().split(/\r\n/);
  expect(csv[0]).toBe("run_id,run_name,status,user,start_time,end_time,duration_s,metrics.acc,params.lr,params.model");
  expect(csv.slice(1).map((line) => line.split(",")[1]).sort()).toEqual(["large", "other", "small"]);

  // Select two runs and open the comparison.
  for (const name of ["small", "large"]) {
    await page.getByLabel(`Select ${name}`).click();
    await expect(page.getByLabel(`Select ${name}`)).toBeChecked();
  }
  await expect(page).toHaveURL(/sel=/);
  await page.getByRole("link", { name: "Compare 2 runs" }).click();
  await expect(page).toHaveURL(/\/compare\?runs=/);
  await expect(page.getByRole("heading", { level: 1, name: "Compare 2 runs" })).toBeVisible();
  const charts = page.getByTestId("compare-chart");
  await expect(charts).toHaveCount(2);
  const accChart = page.locator('[data-testid="compare-chart"][data-metric="acc"]');
  await expect(accChart).toHaveAttribute("data-ready", "true");
  // One canvas draws every line; the figure says how many.
  await expect(accChart).toHaveAttribute("data-lines", "2");
  await expect(accChart.locator("figcaption")).toContainText("2 runs, 100 of 100 points drawn");

  // Hover: every run's value at that step.
  const layer = accChart.getByTestId("chart-pointer-layer");
  const box = (await layer.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  const readout = accChart.getByTestId("chart-readout");
  await expect(readout).toContainText("small");
  await expect(readout).toContainText("large");

  // Drag to zoom into a step range, then the URL carries it.
  await page.mouse.move(box.x + box.width * 0.2, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + 20, { steps: 5 });
  await page.mouse.up();
  await expect(page).toHaveURL(/from=\d+&to=\d+/);
  await expect(accChart.locator("figcaption")).not.toContainText("100 of 100");
  await page.getByRole("button", { name: "Reset zoom" }).click();
  await expect(page).not.toHaveURL(/from=/);

  // Options: relative time, smoothing, log scale, one run hidden.
  await page.getByLabel("X axis (line charts)").selectOption("relative");
  await expect(page).toHaveURL(/x=relative/);
  const slider = page.getByLabel("Smoothing (EMA)");
  await slider.focus();
  for (let i = 0; i < 30; i++) await slider.press("ArrowRight");
  await expect(page).toHaveURL(/smooth=0\.3/);
  await page.getByLabel("Log scale (y)").click();
  await expect(page).toHaveURL(/log=1/);
  await page.getByRole("button", { name: "small", pressed: true }).click();
  await expect(page.getByRole("button", { name: "small", pressed: false })).toBeVisible();
  await expect(accChart).toHaveAttribute("data-lines", "1");

  // The params that differ, equal ones folded away.
  const params = page.getByRole("region", { name: "Params" });
  await expect(params.getByRole("rowheader", { name: "lr" })).toBeVisible();
  await expect(params.getByText("1 param is equal in every run", { exact: false })).toBeVisible();

  // The link reopens exactly this view.
  await page.reload();
  await expect(page.getByLabel("X axis (line charts)")).toHaveValue("relative");
  await expect(page.getByTestId("smoothing-value")).toHaveText("0.30");
  await expect(page.getByLabel("Log scale (y)")).toBeChecked();
  await expect(page.getByRole("button", { name: "small", pressed: false })).toBeVisible();
  await expect(accChart).toHaveAttribute("data-ready", "true");
  await expect(accChart).toHaveAttribute("data-lines", "1");
  await expectNoSeriousViolations(page);

  // Dark mode, kept across a reload, and still readable (axe checks contrast too).
  await expect(page.locator("body")).toHaveCSS("background-color", "rgb(247, 248, 250)");
  await page.getByLabel("Theme").selectOption("dark");
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(page.locator("body")).toHaveCSS("background-color", "rgb(17, 20, 24)");
  await expect(accChart).toHaveAttribute("data-ready", "true");
  await expectNoSeriousViolations(page);
});

test("summary table, single-value bars, groups with bands, a pinned baseline, full names and short values in tooltips", async ({ page, request }) => {
  const experimentId = await createExperiment(request, `Summary ${Date.now()}`);
  // A sweep's names: a long shared prefix, told apart only by their end.
  const prefix = "resnet50-imagenet-lr0.001-batch256-augment-strong-seed-";
  const runIds: string[] = [];
  for (let i = 0; i < 4; i++) {
    const loss = Array.from({ length: 20 }, (_, step) => 1 / (step + 3 + i * 7));
    // test_acc is logged once per run: bars, not dots at step 0.
    const logged = await logRun(request, experimentId, { runName: `${prefix}${i}`, params: { model: i < 2 ? "cnn" : "vit" }, metrics: { loss, test_acc: [0.7 + i / 40] } });
    runIds.push(logged.runId);
  }
  await page.goto(`/experiments/${experimentId}/compare?runs=${runIds.join(",")}`);
  await expect(page.getByRole("heading", { level: 1, name: "Compare 4 runs" })).toBeVisible();

  // Single-value metric as bars, with the full name and a formatted value on hover.
  const bars = page.locator('[data-testid="compare-chart"][data-metric="test_acc"]');
  await expect(bars).toHaveAttribute("data-kind", "bars");
  await expect(bars).toHaveAttribute("data-ready", "true");
  await expect(bars.getByTestId("chart-bar")).toHaveCount(4);
  await bars.getByTestId("chart-bar").nth(3).hover();
  await expect(bars.getByTestId("chart-readout")).toContainText(`${prefix}3`);
  await expect(bars.getByTestId("chart-readout")).toContainText("0.775");

  // The line chart's readout: every name whole (not cut to the shared prefix), values short.
  const lossChart = page.locator('[data-testid="compare-chart"][data-metric="loss"]');
  await expect(lossChart).toHaveAttribute("data-ready", "true");
  await expect(lossChart).not.toHaveAttribute("data-kind", "bars");
  await pointAtStart(page, lossChart);
  const readout = lossChart.getByTestId("chart-readout");
  for (let i = 0; i < 4; i++) await expect(readout).toContainText(`${prefix}${i}`);
  // 1/3 at step 0 of the first run, written short.
  await expect(readout).toContainText("0.333333");
  await expect(readout).not.toContainText("0.3333333333");
  const cut = await readout.locator("td:first-child").evaluateAll((cells) => cells.filter((cell) => cell.scrollWidth > cell.clientWidth + 1).length);
  expect(cut).toBe(0);

  // Scatter (model against loss) and parallel coordinates: whole names and short values too.
  const scatter = page.getByRole("region", { name: "Scatter plot", exact: true });
  await scatter.locator(".recharts-scatter-symbol").first().hover();
  const tip = scatter.locator(".recharts-tooltip-wrapper");
  await expect(tip).toContainText(prefix);
  await expect(tip).toContainText(/0\.0\d{1,6}(?!\d)/);
  await expect(tip).not.toContainText(/\d{9}/);
  const parallel = page.getByRole("region", { name: "Parallel coordinates", exact: true });
  await parallel.locator("svg[tabindex='0']").first().focus();
  await page.keyboard.press("ArrowDown");
  await expect(parallel.locator("[aria-live=polite]")).toContainText(prefix);
  const clipped = await parallel.locator("[aria-live=polite] span[title]").evaluateAll((spans) => spans.filter((span) => span.scrollWidth > span.clientWidth + 1).length);
  expect(clipped).toBe(0);

  // Summary table: sorted by its headers, the lowest min marked.
  const summary = page.getByTestId("compare-summary");
  await expect(page.locator("#compare-summary-metric")).toHaveValue("loss");
  await expect(summary.locator("tbody tr")).toHaveCount(4);
  await summary.getByRole("button", { name: "Min", exact: true }).click();
  await expect(summary.getByRole("columnheader", { name: "Min", exact: true })).toHaveAttribute("aria-sort", "ascending");
  // Run 3's loss ends lowest: 1 / (19 + 3 + 21).
  await expect(summary.locator("tbody tr").first().getByRole("rowheader")).toContainText(`${prefix}3`);
  await expect(summary.locator("tbody tr").first()).toContainText("(lowest)");
  await expect(summary.locator("tbody tr").first()).toContainText("0.0232558");
  await expect(summary.locator("tbody tr").first()).toContainText("19");
  await summary.getByRole("button", { name: "Min", exact: true }).click();
  await expect(summary.getByRole("columnheader", { name: "Min", exact: true })).toHaveAttribute("aria-sort", "descending");
  await expect(summary.locator("tbody tr").first().getByRole("rowheader")).toContainText(`${prefix}0`);

  // Pin a baseline: the table, the line readout and the bars give differences from it.
  await page.getByLabel("Baseline run", { exact: true }).selectOption({ label: `${prefix}0` });
  await expect(page).toHaveURL(/base=/);
  await expect(summary.locator("tbody tr").filter({ hasText: "baseline" })).toHaveCount(1);
  await expect(summary.locator("tbody tr").filter({ hasText: `${prefix}1` })).toContainText("−");
  await pointAtStart(page, lossChart);
  await expect(readout).toContainText("Δ");
  await bars.getByTestId("chart-bar").nth(1).hover();
  await expect(bars.getByTestId("chart-readout")).toContainText("Δ +0.025");
  // The parallel coordinates too: the baseline drawn on top and named, the others' differences from it on hover and in the table.
  await expect(parallel.getByTestId("parallel-baseline-line")).toHaveAttribute("data-run-id", runIds[0]);
  await expect(parallel.getByTestId("parallel-baseline")).toContainText(`Baseline: ${prefix}0`);
  await expect(parallel.locator("figcaption")).toContainText(`The baseline run ${prefix}0 is drawn thick with a halo`);
  const parallelHover = parallel.locator("[aria-live=polite]");
  await parallel.locator("svg[tabindex='0']").first().focus();
  await page.keyboard.press("End");
  await expect(parallelHover).toContainText(prefix);
  if ((await parallelHover.textContent())?.includes("(baseline)")) await page.keyboard.press("ArrowUp");
  await expect(parallelHover).toContainText("(Δ ");
  await parallel.getByText("Show the values as a table").click();
  const valuesTable = parallel.getByRole("region", { name: "Parallel coordinates values, scrollable" });
  await expect(valuesTable.locator("tbody tr").filter({ hasText: "(baseline)" })).toHaveCount(1);
  await expect(valuesTable.locator("tbody tr").filter({ hasText: `${prefix}1` })).toContainText("Δ ");

  // Group by a param: one mean line with a band per group.
  await page.getByLabel("Group runs by").selectOption({ label: "param: model" });
  await expect(page).toHaveURL(/group=params\.model/);
  await expect(lossChart.locator("figcaption")).toContainText("2 groups of 4 runs by model");
  // Two group means plus the baseline's own line.
  await expect(lossChart).toHaveAttribute("data-lines", "3");
  await pointAtStart(page, lossChart);
  await expect(readout).toContainText("model = cnn (2 runs)");
  await expect(readout).toContainText("model = vit (2 runs)");

  // The link reopens the same view.
  await page.reload();
  await expect(page.getByLabel("Group runs by")).toHaveValue("params.model");
  await expect(page.getByLabel("Baseline run", { exact: true })).toHaveValue(runIds[0]);
  await expect(lossChart).toHaveAttribute("data-lines", "3");
  await expectNoSeriousViolations(page);
});

test("compare 1,000 runs: a saved selection with a short link, every chart drawn, no error", async ({ page, request }) => {
  test.setTimeout(480_000);
  const RUNS = 1000;
  const RUNS_THROUGH_API = 50;
  const experimentId = await createExperiment(request, `Thousand runs ${Date.now()}`);
  const sweep = Array.from({ length: RUNS }, (_, i) => ({
    runName: `sweep-${String(i).padStart(4, "0")}`,
    params: { lr: String(i / RUNS) },
    metrics: { loss: Array.from({ length: 10 }, (_, step) => 1 / (step + 1 + i / 100)) },
  }));
  // The first runs are logged through the MLflow API as a sweep's workers log them (per run one create and one
  // log-batch, eight at a time); the other 950 go straight into the database with the same rows, in one transaction:
  // through the API they were 1,900 more requests (92 of the journey's 288 s at load 12), and what is tested here is
  // the pages with a thousand runs.
  // Each phase's seconds go in the report's annotations, to see where this long journey's time goes.
  let phaseStarted = Date.now();
  const phaseDone = (phase: string) => {
    test.info().annotations.push({ type: `${phase}-seconds`, description: ((Date.now() - phaseStarted) / 1000).toFixed(1) });
    phaseStarted = Date.now();
  };
  await logRuns(request, experimentId, sweep.slice(0, RUNS_THROUGH_API));
  await seedRunsInBulk(experimentId, sweep.slice(RUNS_THROUGH_API));
  phaseDone("seed");

  await page.goto(`/experiments/${experimentId}`);
  const table = page.getByRole("table", { name: "Runs" });
  // The table loads 100 runs at a time as it scrolls: scroll until all 1,000 are loaded.
  const scroller = page.getByLabel("Runs table, scrollable");
  await expect(async () => {
    await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await expect(table).toHaveAttribute("aria-rowcount", String(RUNS + 1), { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await page.getByLabel("Select every loaded run").click();
  await expect(page.getByRole("status").filter({ hasText: `${RUNS} runs selected` })).toBeVisible();
  // Compare is clicked at once, while the table's own save of the selection for its link (selid, 0.4 s after the
  // ticks) may still be in flight: that save must not rewrite the URL behind Compare's navigation (it did, and the
  // page stayed on the runs table; components/runs/use-run-selection.ts, `leave`).
  phaseDone("table");

  // 1,000 run ids do not fit in a link: the selection is saved and the link carries its short id.
  await page.getByRole("button", { name: `Compare ${RUNS} runs` }).click();
  await expect(page).toHaveURL(new RegExp(`/experiments/${experimentId}/compare\\?sel=[A-Za-z0-9_-]{16}$`));
  await expect(page.getByRole("heading", { level: 1, name: `Compare ${RUNS.toLocaleString("en-US")} runs` })).toBeVisible();
  const lossChart = page.locator('[data-testid="compare-chart"][data-metric="loss"]');
  await expect(lossChart).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
  await expect(lossChart).toHaveAttribute("data-lines", String(RUNS));
  await expect(lossChart.locator("figcaption")).toContainText("1000 runs, 10,000 of 10,000 points drawn");
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
  phaseDone("compare");

  // Hover names runs in full.
  // The chart options take two rows now (grouping, baseline), which puts the chart below a 720 px fold.
  await pointAtStart(page, lossChart);
  await expect(lossChart.getByTestId("chart-readout")).toContainText("sweep-0000");
  // The summary table covers all 1,000 runs, the first hundred drawn until asked for the rest.
  await expect(page.getByTestId("compare-summary").locator("tbody tr")).toHaveCount(100);
  await page.getByRole("button", { name: "Show all 1,000 runs" }).click();
  await expect(page.getByTestId("compare-summary").locator("tbody tr")).toHaveCount(RUNS);
  phaseDone("summary");

  // The short link reopens the same comparison, options included.
  await page.getByLabel("Log scale (y)").click();
  await expect(page).toHaveURL(/sel=[A-Za-z0-9_-]{16}&log=1|log=1.*sel=/);
  await expect(page).not.toHaveURL(/runs=/);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: `Compare ${RUNS.toLocaleString("en-US")} runs` })).toBeVisible();
  await expect(page.getByLabel("Log scale (y)")).toBeChecked();
  await expect(lossChart).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
  await expect(lossChart).toHaveAttribute("data-lines", String(RUNS));
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
  phaseDone("reload");

  // The params table and the legend hold the runs in view, not all 1,000; scrolled to their end, the last run is there.
  const paramsRegion = page.getByRole("region", { name: "Params that differ, scrollable" });
  const paramsTable = paramsRegion.getByRole("table");
  await expect(paramsTable).toHaveAttribute("aria-colcount", String(RUNS + 1));
  expect(await paramsTable.getByRole("columnheader").count()).toBeLessThan(50);
  await paramsRegion.evaluate((box) => box.scrollTo(box.scrollWidth, 0));
  const lastColumn = paramsTable.getByRole("columnheader").last();
  await expect(lastColumn).toHaveAttribute("aria-colindex", String(RUNS + 1));
  // The cell under the last header is that run's own lr (sweep-0123 logged 0.123): the window keeps cells under their run.
  const lastRunName = (await lastColumn.innerText()).trim();
  expect(lastRunName).toMatch(/^sweep-\d{4}$/);
  await expect(paramsTable.getByRole("row").nth(1).getByRole("cell").last()).toHaveText(String(Number(lastRunName.slice(-4)) / RUNS));
  const legend = page.getByRole("region", { name: "Runs in the charts" });
  expect(await legend.getByRole("button", { pressed: true }).count()).toBeLessThan(200);
  await expect(legend.getByRole("listitem").first()).toHaveAttribute("aria-setsize", String(RUNS));
  await legend.getByRole("list").evaluate((list) => list.parentElement!.scrollTo(0, list.parentElement!.scrollHeight));
  const lastInLegend = legend.locator(`li[aria-posinset="${RUNS}"]`).getByRole("button");
  await lastInLegend.click();
  await expect(lastInLegend).toHaveAttribute("aria-pressed", "false");
  await expect(lossChart).toHaveAttribute("data-lines", String(RUNS - 1));
  await lastInLegend.click();
  await expect(lossChart).toHaveAttribute("data-lines", String(RUNS));
  await expectNoSeriousViolations(page);
  phaseDone("axe");
});

test("ten compared runs get ten different colours, the same in the legend and after reload", async ({ page, request }) => {
  const experimentId = await createExperiment(request, `Colours ${Date.now()}`);
  const runIds: string[] = [];
  for (let i = 0; i < 10; i++) {
    runIds.push((await logRun(request, experimentId, { runName: `seed-${i}`, params: {}, metrics: { acc: curve(0.5 + i / 40, 10 + i) } })).runId);
  }
  await page.goto(`/experiments/${experimentId}/compare?runs=${runIds.join(",")}`);
  const swatches = page.getByRole("region", { name: "Runs in the charts" }).locator("span[aria-hidden=true]");
  await expect(swatches).toHaveCount(10);
  const colours = async () => swatches.evaluateAll((spans) => spans.map((span) => getComputedStyle(span).backgroundColor));
  const first = await colours();
  expect(new Set(first).size).toBe(10);
  // Run order on the page does not change a run's colour.
  await page.goto(`/experiments/${experimentId}/compare?runs=${[...runIds].reverse().join(",")}`);
  await expect(swatches).toHaveCount(10);
  expect((await colours()).reverse()).toEqual(first);
});

test("tick two experiments and see their runs in one table", async ({ page, request }) => {
  const stamp = Date.now();
  const first = await createExperiment(request, `Several A ${stamp}`);
  const second = await createExperiment(request, `Several B ${stamp}`);
  await logRun(request, first, { runName: `alpha-${stamp}`, params: { lr: "0.1" }, metrics: { acc: [0.5, 0.6] } });
  await logRun(request, second, { runName: `beta-${stamp}`, params: { lr: "0.2" }, metrics: { acc: [0.7, 0.8] } });

  await page.goto("/experiments");
  await expectNoSeriousViolations(page);
  for (const name of [`Several A ${stamp}`, `Several B ${stamp}`]) {
    await page.getByLabel(`Select ${name}`).click();
    await expect(page.getByLabel(`Select ${name}`)).toBeChecked();
  }
  await page.getByRole("link", { name: "Show their runs" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Runs of 2 experiments" })).toBeVisible();
  const table = page.getByRole("table", { name: "Runs" });
  await expect(table.locator("tbody tr")).toHaveCount(2);
  // Each run links into its own experiment.
  await expect(table.getByRole("link", { name: `beta-${stamp}` })).toHaveAttribute("href", new RegExp(`/experiments/${second}/runs/`));
  await expect(table.getByRole("link", { name: `alpha-${stamp}` })).toHaveAttribute("href", new RegExp(`/experiments/${first}/runs/`));
  await expectNoSeriousViolations(page);
});
