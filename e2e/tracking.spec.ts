// Journey: a data scientist logs runs over the MLflow API, then filters, sorts and opens them in the studio.
import { expect, test, type Page } from "@playwright/test";
import { applyFilter, expectFilterText, FILTER_LABEL } from "./filter-box";
import { E2E_ADMIN_PASSWORD, E2E_ADMIN_USERNAME } from "./credentials";
import { createExperiment, logRun, uploadArtifact } from "./mlflow-api";

/** A learning curve that ends at `final`. */
function curve(final: number, steps = 10): number[] {
  return Array.from({ length: steps }, (_, step) => Number((final * (0.5 + (0.5 * step) / (steps - 1))).toFixed(4)));
}

function runRows(page: Page) {
  return page.getByRole("table", { name: "Runs" }).locator("tbody tr");
}

test("log runs, filter and sort them, open one and see its params and charts", async ({ page, request }) => {
  const experimentName = `Tracking journey ${Date.now()}`;
  const experimentId = await createExperiment(request, experimentName);
  const logged = [
    { runName: "baseline", params: { lr: "0.1", model: "logreg" }, metrics: { acc: curve(0.72), loss: curve(0.6).reverse() } },
    { runName: "deeper", params: { lr: "0.01", model: "mlp" }, metrics: { acc: curve(0.86), loss: curve(0.4).reverse() } },
    { runName: "best", params: { lr: "0.001", model: "mlp" }, metrics: { acc: curve(0.93), loss: curve(0.2).reverse() } },
  ];
  const runIds: Record<string, { runId: string; artifactUri: string }> = {};
  for (const run of logged) runIds[run.runName] = await logRun(request, experimentId, run);
  await uploadArtifact(request, runIds.best.artifactUri, "notes/summary.txt", "best run: lr 0.001");

  await page.goto("/experiments");
  await page.getByRole("link", { name: experimentName }).click();
  await expect(page.getByRole("heading", { level: 1, name: experimentName })).toBeVisible();
  await expect(runRows(page)).toHaveCount(3);

  // Server-side filter in MLflow's grammar, typed into the editor; the URL keeps it.
  await applyFilter(page, "metrics.acc > 0.8");
  await expect(page).toHaveURL(/filter=metrics\.acc/);
  await expect(runRows(page)).toHaveCount(2);
  await expect(page.getByRole("link", { name: "baseline" })).toHaveCount(0);

  // Sort by the metric column: first click highest first, second click lowest first.
  const accHeader = page.getByRole("columnheader", { name: /^acc/ });
  await accHeader.getByRole("button").click();
  await expect(accHeader).toHaveAttribute("aria-sort", "descending");
  await expect(runRows(page).first()).toContainText("best");
  await accHeader.getByRole("button").click();
  await expect(accHeader).toHaveAttribute("aria-sort", "ascending");
  await expect(runRows(page).first()).toContainText("deeper");
  await expect(page).toHaveURL(/order=metrics\.%60acc%60\+ASC/);

  // The view is a link: reloading shows the same filter and order.
  await page.reload();
  await expectFilterText(page, "metrics.acc > 0.8");
  await expect(runRows(page)).toHaveCount(2);
  await expect(runRows(page).first()).toContainText("deeper");

  // Open a run: its params and one chart per metric with a text alternative.
  await page.getByRole("link", { name: "best" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "best" })).toBeVisible();
  const params = page.getByRole("region", { name: "Parameters" });
  await expect(params.getByRole("row", { name: /lr\s+0\.001/ })).toBeVisible();
  await expect(params.getByRole("row", { name: /model\s+mlp/ })).toBeVisible();
  const accChart = page.getByRole("figure", { name: /^acc — min/ });
  await expect(accChart).toBeVisible();
  await expect(accChart).toContainText("max 0.93, last 0.93 at step 9 (10 points)");
  await expect(accChart.locator("svg.recharts-surface")).toBeVisible();
  await expect(page.getByRole("figure", { name: /^loss — min/ })).toBeVisible();
  await expect(page.getByText("FINISHED")).toBeVisible();

  // Artifacts: open the folder, and the file's link downloads its bytes through the artifact proxy.
  await page.getByRole("button", { name: "notes/" }).click();
  const fileLink = page.getByRole("link", { name: "Download summary.txt" });
  await expect(fileLink).toHaveAttribute("href", `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runIds.best.runId}/artifacts/notes/summary.txt`);
  const download = await page.request.get((await fileLink.getAttribute("href"))!);
  expect(await download.text()).toBe("best run: lr 0.001");
});

test("MLflow answers come uncompressed even to a client that accepts gzip, as MLflow's server sends them", async ({ request }) => {
  const experimentId = await createExperiment(request, `Uncompressed ${Date.now()}`);
  const { runId } = await logRun(request, experimentId, { runName: "long", params: {}, metrics: { loss: curve(0.2, 1000) } });
  const authorization = `Basic ${Buffer.from(`${E2E_ADMIN_USERNAME}:${E2E_ADMIN_PASSWORD}`).toString("base64")}`;
  // Both reads are well over the 1 kB from which Next.js would gzip an answer.
  const answers = [
    await request.get(`/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`, { headers: { authorization, "accept-encoding": "gzip, deflate" } }),
    await request.post("/api/2.0/mlflow/runs/search", { headers: { authorization, "accept-encoding": "gzip, deflate" }, data: { experiment_ids: [experimentId] } }),
  ];
  for (const answer of answers) {
    expect(answer.status()).toBe(200);
    expect(answer.headers()["content-encoding"]).toBeUndefined();
    expect(answer.headers()["cache-control"]).toBe("no-store, no-transform");
  }
  const history = (await answers[0].json()) as { metrics: { step: number }[] };
  expect(history.metrics.map((m) => m.step)).toEqual(Array.from({ length: 1000 }, (_, step) => step));
  expect(((await answers[1].json()) as { runs: unknown[] }).runs).toHaveLength(1);
});

test("an invalid filter shows the server's message under the box", async ({ page, request }) => {
  const experimentId = await createExperiment(request, `Bad filter ${Date.now()}`);
  await logRun(request, experimentId, { runName: "only", params: { lr: "0.1" }, metrics: { acc: [0.5] } });
  await page.goto(`/experiments/${experimentId}`);
  await expect(runRows(page)).toHaveCount(1);
  const filterBox = page.getByLabel(FILTER_LABEL);
  await applyFilter(page, "metrics.acc >> 0.5");
  await expect(page).toHaveURL(/filter=metrics\.acc/);
  // The parser's message, with where it went wrong, is shown under the box (once) and tied to it for screen readers.
  await expect(page.getByText("Invalid comparator '>>' at position 12")).toBeVisible();
  await expect(filterBox).toHaveAccessibleDescription(/Invalid comparator '>>' at position 12/);
  await expect(filterBox).toHaveAttribute("aria-invalid", "true");
  // Fixing the filter brings the runs back.
  await applyFilter(page, "metrics.acc >= 0.5");
  await expect(runRows(page)).toHaveCount(1);
  await expect(filterBox).not.toHaveAttribute("aria-invalid", "true");
});

test("create an experiment with the form; empty and duplicate names are explained", async ({ page }) => {
  const name = `Form experiment ${Date.now()}`;
  await page.goto("/experiments");
  const nameBox = page.getByLabel("Name", { exact: true });
  const create = page.getByRole("button", { name: "Create experiment" });

  await create.click();
  await expect(page.getByText("experiment name must not be empty")).toBeVisible();
  await expect(nameBox).toHaveAttribute("aria-invalid", "true");

  await nameBox.fill(name);
  await create.click();
  await expect(page.getByRole("status").filter({ hasText: "Created" })).toContainText(name);
  await expect(page.getByRole("table").getByRole("link", { name })).toBeVisible();

  await nameBox.fill(name);
  await create.click();
  await expect(page.getByText(`Experiment '${name}' already exists.`)).toBeVisible();

  // Rename it, delete it, find it again under "Show deleted", restore it.
  const renamed = `${name} (renamed)`;
  await page.getByRole("button", { name: `Rename ${name}` }).click();
  const renameBox = page.getByLabel(`New name for ${name}`);
  await renameBox.fill(renamed);
  await renameBox.press("Enter");
  await expect(page.getByRole("link", { name: renamed })).toBeVisible();
  // Delete asks first; "Keep it" leaves the experiment where it was.
  await page.getByRole("button", { name: `Delete ${renamed}` }).click();
  const question = page.getByRole("alertdialog");
  await expect(question).toContainText(`Delete ${renamed} and hide its 0 runs?`);
  await question.getByRole("button", { name: "Keep it" }).click();
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  await expect(page.getByRole("link", { name: renamed })).toBeVisible();
  await page.getByRole("button", { name: `Delete ${renamed}` }).click();
  await page.getByRole("button", { name: `Confirm delete ${renamed}` }).click();
  await expect(page.getByRole("link", { name: renamed })).toHaveCount(0);
  await page.getByLabel("Show deleted").check();
  await expect(page).toHaveURL(/deleted=1/);
  await page.getByRole("button", { name: `Restore ${renamed}` }).click();
  await page.getByLabel("Show deleted").uncheck();
  await expect(page.getByRole("link", { name: renamed })).toBeVisible();
});

test("an empty experiment shows a snippet that logs to the address the studio was opened at", async ({ page, request, baseURL }) => {
  const name = `Quote's "snippet" ${Date.now()}`;
  const experimentId = await createExperiment(request, name);
  await page.goto(`/experiments/${experimentId}`);
  const snippet = page.getByRole("region", { name: "No runs" }).locator("code");
  await expect(snippet).toContainText(`export MLFLOW_TRACKING_URI='${new URL(baseURL!).origin}'`);
  // The name reaches Python as a JSON string literal inside single shell quotes (its quote closed and escaped).
  await expect(snippet).toContainText(`mlflow.set_experiment(${JSON.stringify(name).replaceAll("'", `'\\''`)})`);
});
