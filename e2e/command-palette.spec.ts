// Journey: go anywhere from the keyboard. Ctrl-K searches every kind of thing by name, arrows choose, Enter opens;
// `?` lists the shortcuts; g then a letter jumps to a section. Both overlays are modal, close on Escape, and pass axe.
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { createExperiment, logRun } from "./mlflow-api";

test("Ctrl-K finds a run by name and Enter opens it; models, datasets and reviews are found too", async ({ page, request }) => {
  const stamp = Date.now();
  const experimentId = await createExperiment(request, `Palette journey ${stamp}`);
  const { runId } = await logRun(request, experimentId, { runName: `palette-run-${stamp}`, params: { C: "1" }, metrics: { accuracy: [0.9] } });

  await page.goto("/experiments");
  await page.keyboard.press("Control+k");
  const dialog = page.getByRole("dialog", { name: "Go to" });
  await expect(dialog).toBeVisible();
  const box = dialog.getByRole("combobox", { name: /Search experiments, runs/ });
  await expect(box).toBeFocused();

  await box.fill(`palette-run-${stamp}`);
  const options = dialog.getByRole("listbox", { name: "Matches" }).getByRole("option");
  await expect(options).toHaveCount(1);
  await expect(options.first()).toContainText(`Run in Palette journey ${stamp}`);
  await expect(options.first()).toHaveAttribute("aria-selected", "true");
  await expectNoSeriousViolations(page);
  await box.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/experiments/${experimentId}/runs/${runId}$`));
  await expect(dialog).toHaveCount(0);

  // The demo's model, dataset and review, all from one search box; the arrows move the choice.
  await page.keyboard.press("Control+k");
  await box.fill("breast");
  await expect(options.filter({ hasText: "breast-cancer-rf" }).filter({ hasText: "Model" })).toHaveCount(1);
  await expect(options.filter({ hasText: /Review #\d+: breast-cancer-rf/ }).first()).toBeVisible();
  const modelIndex = (await options.allInnerTexts()).findIndex((text) => /^Model/i.test(text) && text.includes("breast-cancer-rf"));
  for (let i = 0; i < modelIndex; i++) await box.press("ArrowDown");
  await expect(options.nth(modelIndex)).toHaveAttribute("aria-selected", "true");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/models\/breast-cancer-rf$/);

  await page.getByRole("button", { name: /^Search/ }).click();
  await box.fill("customers");
  await expect(options.filter({ hasText: "Dataset" }).first()).toContainText("customers");
  await options.filter({ hasText: "Dataset" }).first().click();
  await expect(page).toHaveURL(/\/datasets\/customers$/);

  // Nothing found says so; Escape closes and gives the page back.
  await page.keyboard.press("Control+k");
  await box.fill("zz-no-such-name-zz");
  await expect(dialog.getByRole("status").first()).toHaveText("Nothing matches.");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
});

test("? lists the shortcuts, and g then a letter goes to a section", async ({ page }) => {
  await page.goto("/experiments");
  await page.locator("main#main").focus();
  await page.keyboard.press("Shift+?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  for (const action of ["Go to Experiments", "Go to Models", "Go to Datasets", "Go to Reviews", "Show this list"]) {
    await expect(help.getByRole("cell", { name: action })).toBeVisible();
  }
  await expectNoSeriousViolations(page);
  // Focus stays inside the modal: Tab from its only button does not reach the page behind.
  await page.keyboard.press("Tab");
  await expect(page.locator("main#main")).not.toBeFocused();
  await page.keyboard.press("Escape");
  await expect(help).toHaveCount(0);

  await page.keyboard.press("g");
  await page.keyboard.press("m");
  await expect(page).toHaveURL(/\/models$/);
  await expect(page.getByRole("heading", { level: 1, name: "Models" })).toBeVisible();
  await page.keyboard.press("g");
  await page.keyboard.press("d");
  await expect(page).toHaveURL(/\/datasets$/);
  await page.keyboard.press("g");
  await page.keyboard.press("r");
  await expect(page).toHaveURL(/\/reviews$/);
  await page.keyboard.press("g");
  await page.keyboard.press("e");
  await expect(page).toHaveURL(/\/experiments$/);

  // Typed into a search box, the same keys are just text.
  await page.goto("/models");
  await page.getByLabel("Search models").fill("");
  await page.getByLabel("Search models").press("g");
  await page.getByLabel("Search models").press("d");
  await expect(page).toHaveURL(/\/models(\?q=gd)?$/);
  await expect(page.getByLabel("Search models")).toHaveValue("gd");
});
