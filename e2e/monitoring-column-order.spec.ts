// Journey: a feature-matrix model whose columns nothing names (no signature, no training data in lineage) goes to
// production; its monitoring page compares no feature until an editor confirms the column order once, then drift
// is measured feature by feature under those names.
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { expect, test } from "@playwright/test";
import { E2E_ADMIN_PASSWORD, E2E_ADMIN_USERNAME } from "./credentials";

const authorization = `Basic ${Buffer.from(`${E2E_ADMIN_USERNAME}:${E2E_ADMIN_PASSWORD}`).toString("base64")}`;

test("confirm the column order of an unnamed feature matrix on the monitoring page, then see drift per feature", async ({ page, request }) => {
  const model = `bc-unnamed-${Date.now()}`;
  const upload = await request.post(`/api/models/upload?name=${model}`, {
    headers: { authorization, "content-type": "application/octet-stream" },
    data: readFileSync("fixtures/models/breast-cancer-rf-v1.onnx"),
  });
  expect(upload.status(), await upload.text()).toBe(201);

  await page.goto("/deployments");
  const panel = page.getByRole("region", { name: "Promote to production" });
  await panel.getByLabel("Model").selectOption(model);
  await panel.getByLabel("Version").selectOption("1");
  const form = panel.getByRole("form", { name: `Promote ${model} v1` });
  await form.getByLabel(/Override reason/).fill("Monitoring check of an unnamed matrix model");
  await form.getByRole("button", { name: "Promote" }).click();
  await expect(form.getByRole("status")).toHaveText(`${model} production now serves v1.`);

  // Traffic as a client without column names sends it: plain rows, in the model's column order.
  const stable = Papa.parse<Record<string, number>>(readFileSync("fixtures/datasets/breast_cancer.production-stable.csv", "utf8"), {
    header: true,
    dynamicTyping: true,
    skipEmptyLines: true,
  });
  const columns = (stable.meta.fields ?? []).filter((c) => c !== "malignant");
  const scored = await request.post(`/api/serve/${model}/invocations`, {
    headers: { authorization, "content-type": "application/json" },
    data: { inputs: stable.data.slice(0, 60).map((row) => columns.map((c) => row[c])) },
  });
  expect(scored.status(), await scored.text()).toBe(200);

  await page.goto(`/models/${model}/monitoring`);
  // The traffic fell in one hour window (two if the test straddled the hour): a lone window is still drawn, as a
  // dot, since a line needs two points.
  const volume = page.getByRole("region", { name: "Request volume" });
  await expect(volume.locator("figcaption")).toContainText(/\(\d+ windows?\)/);
  if (/\(1 window\)/.test((await volume.locator("figcaption").textContent()) ?? "")) {
    await expect(volume.locator("[data-isolated-point]").first()).toBeVisible();
  }
  const settings = page.getByRole("form", { name: "Monitoring settings" });
  await settings.getByLabel("Reference dataset").selectOption("breast-cancer");
  await settings.getByLabel("Reference version").selectOption("1");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText(/names none of its columns/)).toBeVisible();
  await expect(settings.getByRole("group", { name: "Column order" })).toContainText("Until an order is confirmed, no feature is compared.");

  // Saving without ticking the confirmation sends no order; ticking it sends the typed one.
  await settings.getByLabel("Columns in the model's order").fill(columns.join(", "));
  await expect(settings).toContainText(`${columns.length} of ${columns.length} columns named.`);
  await settings.getByLabel("I confirm this is the order of the model's input columns").check();
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.getByRole("group", { name: "Column order" })).toContainText("An order is confirmed for this version.");
  await expect(page.getByText(/names none of its columns/)).toHaveCount(0);
  await expect(page.getByText("mean_radius").first()).toBeVisible();
});
