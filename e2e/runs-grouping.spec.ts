// Journey: a data scientist groups a sweep's runs by learning rate, reads each group's mean and min–max, opens a
// group, ticks a whole group to compare it, keeps the grouping in a private view, shares it as the experiment's
// default; a viewer opens the experiment grouped and keeps a view of their own that nobody else sees.
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { E2E_BASE_URL, E2E_DEMO_PASSWORD } from "./credentials";
import { createExperiment, logRun, type LoggedRun } from "./mlflow-api";

function groupRows(page: Page) {
  return page.getByRole("table", { name: "Runs" }).locator("tbody tr[data-group]");
}

function runRows(page: Page) {
  return page.getByRole("table", { name: "Runs" }).locator("tbody tr[data-depth]");
}

test("group runs by a param, read each group's figures, tick a group, keep the grouping in private and shared views", async ({ page, browser, request }) => {
  const experimentId = await createExperiment(request, `Grouping ${Date.now()}`);
  const runs: LoggedRun[] = [
    { runName: "a", params: { lr: "0.1", model: "rf" }, metrics: { acc: [0.5, 0.8] } },
    { runName: "b", params: { lr: "0.1", model: "gbm" }, metrics: { acc: [0.6, 0.9] } },
    { runName: "c", params: { lr: "0.01", model: "rf" }, metrics: { acc: [0.7] } },
    { runName: "d", params: { lr: "0.01", model: "gbm" }, metrics: { acc: [0.6] } },
    { runName: "e", params: { model: "rf" }, metrics: { acc: [0.4] } },
  ];
  for (const run of runs) await logRun(request, experimentId, run);

  await page.goto(`/experiments/${experimentId}`);
  await expect(runRows(page)).toHaveCount(5);
  await page.getByLabel("Group by").selectOption({ label: "lr" });
  await expect(page).toHaveURL(/group=params\.lr/);

  // One header per value, numbers in numeric order, runs without lr in (none); each with its count and figures.
  await expect(groupRows(page)).toHaveCount(3);
  await expect(runRows(page)).toHaveCount(0);
  await expect(groupRows(page).nth(0)).toContainText("lr = 0.01");
  await expect(groupRows(page).nth(0)).toContainText("2 runs");
  await expect(groupRows(page).nth(0).locator('td[title^="acc over 2 of 2 runs"]')).toHaveText("0.65 0.6–0.7");
  await expect(groupRows(page).nth(1)).toContainText("lr = 0.1");
  await expect(groupRows(page).nth(1).locator('td[title^="acc over 2 of 2 runs"]')).toHaveText("0.85 0.8–0.9");
  await expect(groupRows(page).nth(2)).toContainText("lr = (none)");
  await expect(groupRows(page).nth(2)).toContainText("1 run");
  await expect(page.getByRole("status").filter({ hasText: "3 groups of 5 runs, grouped by lr." })).toBeVisible();

  // A group opens to its runs, under its header.
  const open = page.getByRole("button", { name: "Show the 2 runs of lr = 0.1" });
  await expect(open).toHaveAttribute("aria-expanded", "false");
  await open.click();
  await expect(page.getByRole("button", { name: "Hide the 2 runs of lr = 0.1" })).toHaveAttribute("aria-expanded", "true");
  await expect(runRows(page)).toHaveCount(2);
  const order = await page.getByRole("table", { name: "Runs" }).locator("tbody tr:not([aria-hidden])").evaluateAll((rows) =>
    rows.map((row) => (row.hasAttribute("data-group") ? `group ${row.getAttribute("data-group")}` : (row.querySelector("td:nth-child(2) a")?.textContent ?? ""))),
  );
  expect(order.slice(0, 2)).toEqual(["group 0.01", "group 0.1"]);
  expect([...order.slice(2, 4)].sort()).toEqual(["a", "b"]);
  expect(order[4]).toBe("group ");

  // One tick selects every run of a group (loaded or not); a run of another group makes the selection three.
  await page.getByLabel("Select every run of lr = 0.01").check();
  await expect(page.getByRole("status").filter({ hasText: "2 runs selected" })).toBeVisible();
  await page.getByLabel("Select a", { exact: true }).check();
  await expect(page.getByRole("status").filter({ hasText: "3 runs selected" })).toBeVisible();
  await expect(page.getByLabel("Select every run of lr = 0.1")).not.toBeChecked();
  expect(await page.getByLabel("Select every run of lr = 0.1").evaluate((box) => (box as HTMLInputElement).indeterminate)).toBe(true);
  await expect(page.getByRole("link", { name: "Compare 3 runs" })).toBeVisible();
  await expectNoSeriousViolations(page);
  await page.screenshot({ path: "test-results/runs-grouping/grouped-light.png" });
  await page.emulateMedia({ colorScheme: "dark" });
  await expectNoSeriousViolations(page);
  await page.screenshot({ path: "test-results/runs-grouping/grouped-dark.png" });
  await page.emulateMedia({ colorScheme: "light" });

  // The link keeps the grouping.
  await page.reload();
  await expect(groupRows(page)).toHaveCount(3);
  await expect(page.getByLabel("Group by")).toHaveValue("params.lr");

  // Kept as a private view first: only its owner lists it; then shared and made the experiment's default.
  await page.getByText("Views (0)").click();
  const menu = page.getByRole("group", { name: "Saved views" });
  await menu.getByLabel("View name").fill("By learning rate");
  await menu.getByLabel("Who sees it").selectOption("private");
  await expect(menu.getByLabel("Default", { exact: true })).toHaveCount(0);
  await menu.getByRole("button", { name: "Save view" }).click();
  await expect(menu.getByRole("status")).toHaveText("Saved “By learning rate”; only you see it.");
  const saved = menu.getByRole("listitem").filter({ hasText: "By learning rate" });
  await expect(saved).toContainText("private");
  await expectNoSeriousViolations(page);
  await menu.getByRole("button", { name: "Share view By learning rate with everyone who can read this experiment" }).click();
  await expect(menu.getByRole("status")).toHaveText("Shared “By learning rate”.");
  await expect(saved).not.toContainText("private");
  await menu.getByRole("button", { name: "Open the experiment with By learning rate" }).click();
  await expect(menu.getByRole("button", { name: "Stop opening with By learning rate" })).toBeVisible();

  // Without grouping the table lists runs again.
  await page.getByText("Views (1)").click();
  await page.getByLabel("Group by").selectOption({ label: "No grouping" });
  await expect(page).not.toHaveURL(/group=/);
  await expect(runRows(page)).toHaveCount(5);

  // A viewer opens the experiment with its default view, grouped; keeps a view of their own, private by necessity.
  const viewerContext = await browser.newContext({ baseURL: E2E_BASE_URL, storageState: { cookies: [], origins: [] } });
  const viewer = await viewerContext.newPage();
  await viewer.goto("/sign-in");
  await viewer.getByLabel("Username").fill("victor");
  await viewer.getByLabel("Password").fill(E2E_DEMO_PASSWORD);
  await viewer.getByRole("button", { name: "Sign in" }).click();
  await expect(viewer).not.toHaveURL(/sign-in/);
  await viewer.goto(`/experiments/${experimentId}`);
  await expect(viewer).toHaveURL(/group=params\.lr/);
  await expect(groupRows(viewer)).toHaveCount(3);
  await viewer.getByText("Views (1)").click();
  const viewerMenu = viewer.getByRole("group", { name: "Saved views" });
  await expect(viewerMenu.getByLabel("Who sees it")).toBeDisabled();
  await expect(viewerMenu.getByLabel("Who sees it")).toHaveValue("private");
  await expect(viewerMenu.getByRole("button", { name: /^Delete view By learning rate/ })).toHaveCount(0);
  await viewerMenu.getByLabel("View name").fill("Victor's lr view");
  await viewerMenu.getByRole("button", { name: "Save view" }).click();
  await expect(viewerMenu.getByRole("status")).toHaveText("Saved “Victor's lr view”; only you see it.");
  await expect(viewer.getByText("Views (2)")).toBeVisible();
  await viewerContext.close();

  // The admin does not see the viewer's private view.
  await page.reload();
  await expect(page.getByText("Views (1)")).toBeVisible();
});
