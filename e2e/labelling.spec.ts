// Journey: an admin serves a model, sets up its labelling queue from the monitoring page and fills it; a labeller
// (a new account) labels with the keyboard only — skip, undo and Backspace included — and can open nothing else; the
// admin sees the progress and exports the labels as a dataset version. (Twenty labels moving the live metric are in
// the production-loop journey.)
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { basicAuthorization, fillLowConfidenceQueue, newLabeller, productionRows, promoteWithOverride, uploadFixtureModel } from "./production-helpers";

test("label served requests with the keyboard (skip, undo), see the progress, then export them as a dataset version", async ({ page, request, browser }) => {
  test.setTimeout(120_000);
  const model = `bc-labels-${Date.now()}`;
  await uploadFixtureModel(request, model, "breast-cancer-rf-v1");
  await promoteWithOverride(page, model, "1", "Labelling journey");

  // Traffic first: three requests of ten rows, every row's inputs logged.
  const { columns, rows } = productionRows();
  for (let r = 0; r < 3; r++) {
    const scored = await request.post(`/api/serve/${model}/invocations`, {
      headers: { authorization: basicAuthorization(), "content-type": "application/json" },
      data: { inputs: rows.slice(r * 10, r * 10 + 10).map((row) => columns.map((c) => row[c])) },
    });
    expect(scored.status(), await scored.text()).toBe(200);
  }

  // No ground truth yet: the monitoring page says so and leads to the labelling queue.
  await page.goto(`/models/${model}/monitoring`);
  await expect(page.getByRole("heading", { name: "Live metric" })).toBeVisible();
  await page.getByRole("link", { name: "labelling queue" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Labelling queue" })).toBeVisible();
  await expect(page.getByText("This model has no labelling queue yet.")).toBeVisible();
  await fillLowConfidenceQueue(page, 25);
  await expect(page.getByText("Added 25 items (30 candidate rows).")).toBeVisible();
  const progress = page.getByRole("region", { name: "Progress" });
  await expect(progress).toContainText("Items25");
  await expectNoSeriousViolations(page);

  // The admin creates the labeller's account; the labeller signs in with the keyboard.
  const lab = await newLabeller(page, browser, `labeller${Date.now() % 100000}`);
  // Home is the labelling queues; Labelling is the only section the labeller is shown.
  const nav = lab.getByRole("navigation", { name: "Studio" });
  await expect(nav.getByRole("link")).toHaveText(["Labelling"]);
  const queueRow = lab.getByRole("row", { name: new RegExp(model) });
  await expect(queueRow).toContainText("25");
  await expectNoSeriousViolations(lab);
  await queueRow.getByRole("link", { name: model }).click();
  await expect(lab.getByRole("heading", { level: 1, name: `Label ${model}` })).toBeVisible();
  await expect(lab.getByRole("group", { name: "Label" }).getByRole("button")).toHaveText(["1 0", "2 1", "S Skip"]);
  await expect(lab.getByRole("table")).toContainText("Inputs as logged");
  await expectNoSeriousViolations(lab);

  const answered = (n: number) => lab.getByText(new RegExp(`^${n} answered by you`));
  // Skip one, then undo the skip: the item comes back.
  const firstRequest = await lab.getByRole("table").locator("caption").textContent();
  await lab.keyboard.press("s");
  await expect(lab.getByRole("status").filter({ hasText: "Skipped." })).toBeVisible();
  await expect(answered(1)).toBeVisible();
  await lab.keyboard.press("u");
  await expect(lab.getByRole("status").filter({ hasText: "Your last answer was taken back." })).toBeVisible();
  await expect(answered(0)).toBeVisible();
  await expect(lab.getByRole("table").locator("caption")).toHaveText(firstRequest!);

  // Four labels, keys only: the first says benign (0), the rest malignant (1).
  for (let n = 0; n < 4; n++) {
    await lab.keyboard.press(n % 4 === 0 ? "1" : "2");
    await expect(answered(n + 1)).toBeVisible();
  }
  await expect(lab.getByText("21 items wait")).toBeVisible();
  // Backspace undoes the last label too; labelling it again keeps the count at 4.
  await lab.keyboard.press("Backspace");
  await expect(answered(3)).toBeVisible();
  await lab.keyboard.press("2");
  await expect(answered(4)).toBeVisible();

  // The labeller can open nothing but labelling.
  await lab.goto(`/models/${model}/monitoring`);
  await expect(lab.getByRole("alert").filter({ hasText: "may only label" })).toBeVisible();
  await lab.context().close();

  // Progress and export.
  await page.goto(`/models/${model}/labelling`);
  await expect(progress).toContainText("Agreed4");
  await expect(progress).toContainText("Open21");
  const exportForm = page.getByRole("form", { name: "Export labels" });
  await expect(exportForm.getByLabel("Dataset name")).toHaveValue(`${model}-labels`);
  await exportForm.getByRole("button", { name: "Export as dataset version" }).click();
  await expect(page.getByText(`Registered ${model}-labels version 1 (4 rows).`)).toBeVisible();
  await page.getByRole("link", { name: "Open the dataset version" }).click();
  await expect(page).toHaveURL(new RegExp(`/datasets/${model}-labels/versions/1$`));
  await expect(page.locator("dt", { hasText: /^Rows$/ }).locator("+ dd")).toHaveText("4");
});
