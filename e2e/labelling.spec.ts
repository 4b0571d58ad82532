// Journey: an admin serves a model, sets up its labelling queue from the monitoring page and fills it; a labeller
// (a new account) labels 20 items with the keyboard only — skip and undo included — and can open nothing else; the
// live accuracy appears on the monitoring page; the admin exports the labels as a dataset version.
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { E2E_ADMIN_PASSWORD, E2E_ADMIN_USERNAME } from "./credentials";

const authorization = `Basic ${Buffer.from(`${E2E_ADMIN_USERNAME}:${E2E_ADMIN_PASSWORD}`).toString("base64")}`;

async function signInWithKeyboard(page: Page, username: string, password: string) {
  await page.goto("/sign-in");
  await expect(page.getByLabel("Username")).toBeFocused();
  await page.keyboard.type(username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
}

test("label 20 served requests with the keyboard and see the live metric move, then export them as a dataset version", async ({ page, request, browser }) => {
  test.setTimeout(120_000);
  const model = `bc-labels-${Date.now()}`;
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
  await form.getByLabel(/Override reason/).fill("Labelling journey");
  await form.getByRole("button", { name: "Promote" }).click();
  await expect(form.getByRole("status")).toHaveText(`${model} production now serves v1.`);

  // Traffic first: three requests of ten rows, every row's inputs logged.
  const rows = Papa.parse<Record<string, number>>(readFileSync("fixtures/datasets/breast_cancer.production-stable.csv", "utf8"), {
    header: true,
    dynamicTyping: true,
    skipEmptyLines: true,
  });
  const columns = (rows.meta.fields ?? []).filter((c) => c !== "malignant");
  for (let r = 0; r < 3; r++) {
    const scored = await request.post(`/api/serve/${model}/invocations`, {
      headers: { authorization, "content-type": "application/json" },
      data: { inputs: rows.data.slice(r * 10, r * 10 + 10).map((row) => columns.map((c) => row[c])) },
    });
    expect(scored.status(), await scored.text()).toBe(200);
  }

  // No ground truth yet: the monitoring page says so and leads to the labelling queue.
  await page.goto(`/models/${model}/monitoring`);
  await expect(page.getByRole("heading", { name: "Live metric" })).toBeVisible();
  await page.getByRole("link", { name: "labelling queue" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Labelling queue" })).toBeVisible();
  await expect(page.getByText("This model has no labelling queue yet.")).toBeVisible();
  const settings = page.getByRole("form", { name: "Labelling queue settings" });
  await settings.getByLabel("Sampling").selectOption({ label: "Lowest confidence first" });
  await settings.getByLabel("Items per fill").fill("25");
  await settings.getByLabel("Labellers per item").selectOption("1");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  await settings.getByRole("button", { name: "Fill the queue" }).click();
  await expect(page.getByText("Added 25 items (30 candidate rows).")).toBeVisible();
  const progress = page.getByRole("region", { name: "Progress" });
  await expect(progress).toContainText("Items25");
  await expectNoSeriousViolations(page);

  // The admin creates the labeller's account.
  const labeller = `labeller${Date.now() % 100000}`;
  await page.goto("/admin/users");
  await page.getByLabel("Username").fill(labeller);
  await page.getByLabel("Initial password").fill("labeller-password-42");
  await page.getByLabel("Role", { exact: true }).selectOption("labeller");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("status")).toContainText(`Created ${labeller} (labeller)`);

  const labellerContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const lab = await labellerContext.newPage();
  await signInWithKeyboard(lab, labeller, "labeller-password-42");
  // Home is the labelling queues; Labelling is the only section the labeller is shown.
  await expect(lab).toHaveURL(/\/labelling$/);
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

  // Twenty labels, keys only: every fourth says benign (0), the rest malignant (1).
  for (let n = 0; n < 20; n++) {
    await lab.keyboard.press(n % 4 === 0 ? "1" : "2");
    await expect(answered(n + 1)).toBeVisible();
  }
  await expect(lab.getByText("5 items wait")).toBeVisible();
  // Backspace undoes the last label too; labelling it again keeps the count at 20.
  await lab.keyboard.press("Backspace");
  await expect(answered(19)).toBeVisible();
  await lab.keyboard.press("2");
  await expect(answered(20)).toBeVisible();

  // The labeller can open nothing but labelling.
  await lab.goto(`/models/${model}/monitoring`);
  await expect(lab.getByRole("alert").filter({ hasText: "may only label" })).toBeVisible();
  await labellerContext.close();

  // The live metric now has 20 labelled rows.
  await page.goto(`/models/${model}/monitoring`);
  const live = page.getByRole("region", { name: /^Live accuracy/ });
  await expect(live).toBeVisible();
  await live.getByText(/as a table/).click();
  await expect(live.getByRole("table")).toBeVisible();

  // Progress and export.
  await page.goto(`/models/${model}/labelling`);
  await expect(progress).toContainText("Agreed20");
  await expect(progress).toContainText("Open5");
  const exportForm = page.getByRole("form", { name: "Export labels" });
  await expect(exportForm.getByLabel("Dataset name")).toHaveValue(`${model}-labels`);
  await exportForm.getByRole("button", { name: "Export as dataset version" }).click();
  await expect(page.getByText(`Registered ${model}-labels version 1 (20 rows).`)).toBeVisible();
  await page.getByRole("link", { name: "Open the dataset version" }).click();
  await expect(page).toHaveURL(new RegExp(`/datasets/${model}-labels/versions/1$`));
  await expect(page.locator("dt", { hasText: /^Rows$/ }).locator("+ dd")).toHaveText("20");
});
