// Journey: production. An admin promotes past the review gate only with a reason, then promotes the approved
// version; the test sends scoring requests to the serving endpoint; the monitoring page shows them, with the
// drifted features named; one click rolls production back.
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { E2E_ADMIN_PASSWORD, E2E_ADMIN_USERNAME } from "./credentials";

const MODEL = "breast-cancer-rf";
const authorization = `Basic ${Buffer.from(`${E2E_ADMIN_USERNAME}:${E2E_ADMIN_PASSWORD}`).toString("base64")}`;

function productionRow(page: Page) {
  return page.getByRole("table", { name: "Deployments" }).getByRole("row").filter({ hasText: MODEL }).filter({ hasText: "production" });
}

/** Read at 1280 px, the table fits its box: no row has to be scrolled sideways to be read whole. */
async function expectTableFits(page: Page, when: string): Promise<void> {
  const sizes = await page.getByRole("table", { name: "Deployments" }).evaluate((table) => ({ table: table.scrollWidth, box: table.parentElement!.clientWidth }));
  expect(sizes.table, `${when}: the table is ${sizes.table}px wide in its ${sizes.box}px box`).toBeLessThanOrEqual(sizes.box);
}

async function promote(page: Page, version: string, overrideReason?: string): Promise<void> {
  const panel = page.getByRole("region", { name: "Promote to production" });
  await panel.getByLabel("Model").selectOption(MODEL);
  await panel.getByLabel("Version").selectOption(version);
  const form = panel.getByRole("form", { name: `Promote ${MODEL} v${version}` });
  if (overrideReason) {
    await expect(form).toContainText("Review gate: not approved.");
    // The gate holds until the admin gives a reason.
    await expect(form.getByRole("button", { name: "Promote" })).toBeDisabled();
    await form.getByLabel(/Override reason/).fill(overrideReason);
  } else {
    await expect(form).toContainText("Review gate: approved.");
  }
  await form.getByRole("button", { name: "Promote" }).click();
  await expect(form.getByRole("status")).toHaveText(`${MODEL} production now serves v${version}.`);
  await expect(productionRow(page)).toContainText(`v${version}`);
}

test("promote through the review gate, serve requests, see them on the monitoring page, roll back", async ({ page, request }) => {
  // The demo's replayed traffic drifted: the models list flags the model, with the drifted features in its reason.
  await page.goto("/models");
  const listed = page.getByRole("table", { name: "Models" }).getByRole("row").filter({ hasText: MODEL }).first();
  await expect(listed).toContainText("flagged");
  await expect(listed).toContainText("mean_radius");

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/deployments");
  await expect(page.getByRole("heading", { level: 1, name: "Deployments" })).toBeVisible();
  // The demo seed put the approved v1 in production.
  await expect(productionRow(page)).toContainText("v1");
  // Flagged, with its drift reasons in the row, the table still fits a 1280 px window, who set the alias included.
  await expect(productionRow(page).locator("li").first()).toBeVisible();
  await expect(productionRow(page)).toContainText(/by \S+/);
  await expectTableFits(page, "a flagged production row");
  await promote(page, "2", "Load test of the challenger, agreed with the risk team");
  await promote(page, "1");
  await expectNoSeriousViolations(page);

  // Production traffic: the drift fixture's rows in batches of 20, the MLflow scoring protocol.
  const drifted = Papa.parse<Record<string, number>>(readFileSync("fixtures/datasets/breast_cancer.production-drifted.csv", "utf8"), {
    header: true,
    dynamicTyping: true,
    skipEmptyLines: true,
  });
  const columns = (drifted.meta.fields ?? []).filter((c) => c !== "malignant");
  let requests = 0;
  for (let start = 0; start < drifted.data.length; start += 20) {
    const rows = drifted.data.slice(start, start + 20);
    const response = await request.post(`/api/serve/${MODEL}/invocations`, {
      headers: { authorization, "content-type": "application/json" },
      data: { dataframe_split: { columns, data: rows.map((row) => columns.map((c) => row[c])) } },
    });
    expect(response.status(), await response.text()).toBe(200);
    expect(response.headers()["x-request-id"]).toBeTruthy();
    // Serving bypasses the page proxy for speed; next.config.js still sends the security headers.
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
    expect(((await response.json()) as { predictions: unknown[] }).predictions).toHaveLength(rows.length);
    requests += 1;
  }
  // A body missing a feature is refused with a message naming it.
  const bad = await request.post(`/api/serve/${MODEL}/invocations`, {
    headers: { authorization, "content-type": "application/json" },
    data: { dataframe_split: { columns: columns.slice(1), data: [columns.slice(1).map(() => 1)] } },
  });
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain(columns[0]);

  // The monitoring page: this hour's requests, and the three shifted features drifted against the training data.
  await page.getByRole("table", { name: "Deployments" }).getByRole("link", { name: "Monitoring" }).first().click();
  await expect(page).toHaveURL(new RegExp(`/models/${MODEL}/monitoring`));
  await expect(page.getByRole("heading", { level: 1, name: "Monitoring" })).toBeVisible();
  const volume = page.getByRole("table", { name: "Request volume per window" });
  await expect(async () => {
    await page.reload();
    await page.getByText("Request volume as a table").click();
    await expect(volume.getByRole("row").last()).toContainText(String(requests));
  }).toPass({ timeout: 20_000 });
  const features = page.getByRole("table", { name: "Feature drift of the latest window" });
  for (const feature of ["mean_radius", "mean_texture", "worst_concavity"]) {
    await expect(features.getByRole("row").filter({ hasText: feature })).toContainText(/drifted/i);
  }
  await expect(features.getByRole("row").filter({ hasText: "mean_smoothness" })).not.toContainText(/\bdrifted\b/i);
  await expect(page.getByRole("heading", { name: "This model is flagged" })).toBeVisible();
  await expectNoSeriousViolations(page);

  // Roll back: production returns to v2, in one click and a confirmation.
  await page.goto("/deployments");
  await productionRow(page).getByRole("button", { name: "Roll back to v2" }).click();
  await expectTableFits(page, "the rollback confirmation open");
  await page.getByRole("button", { name: "Confirm rollback to v2" }).click();
  await expect(productionRow(page)).toContainText("v2");
  // The alias history tells the story: the override with its reason, the promotion, the rollback.
  await page.getByRole("region", { name: "Alias history" }).getByText(MODEL, { exact: true }).click();
  const history = page.getByRole("table", { name: `Alias history of ${MODEL}` });
  await expect(history).toContainText("Load test of the challenger, agreed with the risk team");
  await expect(history).toContainText("rollback");
  const served = await request.post(`/api/serve/${MODEL}/invocations`, {
    headers: { authorization, "content-type": "application/json" },
    data: { dataframe_split: { columns, data: [columns.map((c) => drifted.data[0][c])] } },
  });
  expect(served.status()).toBe(200);
});
