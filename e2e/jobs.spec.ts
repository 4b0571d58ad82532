// Journey: the background jobs page. A script uploads a dataset; the admin opens Jobs from the header's Admin menu
// and sees its profiling job done, with the dataset's name and version; the periodic jobs wait for their next tick
// (no Cancel: cancelling would stop them for good); filters are in the URL; a viewer is shown the admins-only page.
// (Failing a job and retrying it, audited, is covered below HTTP by server/jobs/admin.test.ts: a running studio
// gives a journey no way to make a stored file unreadable at the right moment.)
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { E2E_ADMIN_PASSWORD, E2E_ADMIN_USERNAME, E2E_DEMO_PASSWORD } from "./credentials";

const authorization = `Basic ${Buffer.from(`${E2E_ADMIN_USERNAME}:${E2E_ADMIN_PASSWORD}`).toString("base64")}`;

async function openAdminMenu(page: Page) {
  await page.getByRole("navigation", { name: "Account" }).getByText("Admin", { exact: true }).click();
}

test("an uploaded dataset's profiling shows as a done job on the admin's Jobs page; periodic jobs wait for their tick", async ({ page, request }) => {
  const name = `jobs-journey-${Date.now()}`;
  const lines = ["id,score,city"];
  for (let i = 0; i < 2_000; i++) lines.push(`${i},${i % 97},${["Paris", "Lyon", "Nice"][i % 3]}`);
  const meta = encodeURIComponent(JSON.stringify({ name, format: "csv", filename: "scores.csv", masking: {} }));
  const uploaded = await request.post(`/api/datasets/upload?meta=${meta}`, {
    headers: { authorization, "content-type": "application/octet-stream" },
    data: Buffer.from(lines.join("\n") + "\n"),
  });
  expect(uploaded.status(), await uploaded.text()).toBe(201);

  await page.goto("/");
  await openAdminMenu(page);
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Jobs" }).click();
  await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();

  const table = page.getByRole("table", { name: "Jobs" });
  const profiling = table.locator('tr[data-kind="dataset.profile"]', { hasText: `${name} v1` });
  // The page refreshes itself: the job is seen done without reloading.
  await expect(profiling).toHaveAttribute("data-state", "done", { timeout: 30_000 });
  await expect(profiling).toContainText("1 of 3");
  await expect(profiling.getByRole("button")).toHaveCount(0);

  const monitoring = table.locator('tr[data-kind="monitoring.refresh"]');
  await expect(monitoring).toHaveAttribute("data-state", "queued");
  await expect(monitoring).toContainText("periodic");
  await expect(monitoring.getByRole("button", { name: /Cancel/ })).toHaveCount(0);
  await expectNoSeriousViolations(page);

  // Filters go into the URL, so a filtered view is a link.
  await page.getByRole("group", { name: "State" }).getByRole("button", { name: /^Failed/ }).click();
  await expect(page).toHaveURL(/state=failed/);
  await expect(table.locator(`tr[data-kind="dataset.profile"]`, { hasText: `${name} v1` })).toHaveCount(0);
  await page.getByRole("group", { name: "State" }).getByRole("button", { name: /^Done/ }).click();
  await expect(page).toHaveURL(/state=done/);
  await expect(table.locator('tr[data-kind="dataset.profile"]', { hasText: `${name} v1` })).toHaveCount(1);
  await page.reload();
  await expect(page.getByRole("group", { name: "State" }).getByRole("button", { name: /^Done/ })).toHaveAttribute("aria-pressed", "true");
});

test("a viewer opening the Jobs page is told it is for admins", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Username").fill("victor");
  await page.getByLabel("Password").fill(E2E_DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/sign-in/);
  await page.goto("/admin/jobs");
  await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Jobs" })).toHaveCount(0);
  await context.close();
});
