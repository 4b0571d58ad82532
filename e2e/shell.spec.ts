// Journey: the studio shell loads, every navigation link opens its page, and experiments are listed.
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { createExperiment } from "./mlflow-api";

test("the shell loads and every navigation link opens its page", async ({ page }) => {
  await page.goto("/experiments");
  const nav = page.getByRole("navigation", { name: "Studio" });
  await expect(nav.getByRole("link", { name: "Experiments" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { level: 1, name: "Experiments" })).toBeVisible();

  // Built: the dataset registry, with the demo's datasets.
  await nav.getByRole("link", { name: "Datasets" }).click();
  await expect(page).toHaveURL(/\/datasets$/);
  await expect(page.getByRole("heading", { level: 1, name: "Datasets" })).toBeVisible();
  await expect(page.getByRole("link", { name: "customers", exact: true })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Datasets" })).toHaveAttribute("aria-current", "page");

  // Built: the model registry, with the demo's models.
  await nav.getByRole("link", { name: "Models" }).click();
  await expect(page).toHaveURL(/\/models$/);
  await expect(page.getByRole("heading", { level: 1, name: "Models" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Models" }).getByRole("link", { name: "breast-cancer-rf", exact: true })).toBeVisible();

  // Built: acceptance reviews (the demo seed has one approved and one waiting) and deployments.
  await nav.getByRole("link", { name: "Reviews" }).click();
  await expect(page).toHaveURL(/\/reviews$/);
  await expect(page.getByRole("heading", { level: 1, name: "Reviews" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Reviews" })).toHaveAttribute("aria-current", "page");
  await nav.getByRole("link", { name: "Deployments" }).click();
  await expect(page).toHaveURL(/\/deployments$/);
  await expect(page.getByRole("heading", { level: 1, name: "Deployments" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Deployments" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Experiments" })).not.toHaveAttribute("aria-current", "page");
});

test("the keyboard reaches the content through the skip link", async ({ page }) => {
  await page.goto("/models");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
});

test("the demo seed's experiment is listed on a fresh studio", async ({ page }) => {
  await page.goto("/experiments");
  const demo = page.getByRole("link", { name: "Demo: breast cancer classifier" });
  await expect(demo).toBeVisible();
  await demo.click();
  await expect(page.getByRole("heading", { level: 1, name: "Demo: breast cancer classifier" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Runs" }).locator("tbody tr").first()).toBeVisible();
});

test("experiments logged through the MLflow API are listed", async ({ page, request }) => {
  const name = `Shell check ${Date.now()}`;
  const experimentId = await createExperiment(request, name);
  await page.goto("/experiments");
  const link = page.getByRole("link", { name });
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute("href", `/experiments/${experimentId}`);
});

test("a missing page answers 404 inside the shell, whatever it names; an unknown API path answers JSON", async ({ page, request }) => {
  const addresses = [
    "/no-such-area",
    "/experiments/999999999",
    "/experiments/not-a-number",
    `/experiments/0/runs/${"0".repeat(32)}`,
    "/models/no-such-model",
    "/models/breast-cancer-rf/versions/9999",
    "/datasets/no-such-dataset",
    "/datasets/customers/versions/9999",
    "/reviews/999999",
  ];
  for (const address of addresses) {
    const response = await page.goto(address);
    expect(response?.status(), address).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    // The path is shown as text (it is user input), and the studio's navigation is there to go on from.
    await expect(page.getByText(address, { exact: false }).first()).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Studio" }).getByRole("link", { name: "Experiments" })).toBeVisible();
  }
  await expectNoSeriousViolations(page);

  // Existing things still open: the demo's model and its first version.
  expect((await page.goto("/models/breast-cancer-rf"))?.status()).toBe(200);
  expect((await page.goto("/models/breast-cancer-rf/versions/1"))?.status()).toBe(200);

  const api = await request.get("/api/no/such/endpoint");
  expect(api.status()).toBe(404);
  expect(api.headers()["content-type"]).toContain("application/json");
  expect((await api.json()).error_code).toBe("ENDPOINT_NOT_FOUND");
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the sign-in page carries the studio's icon, served without signing in", async ({ page, request }) => {
    await page.goto("/sign-in");
    const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
    expect(href).toMatch(/^\/icon\.svg/);
    const icon = await request.get(href!);
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  });
});

test("links prefetch their page when a person points at them, not every link on sight", async ({ page }) => {
  // A prefetch is the router's background request for a page's server payload (Next-Router-Prefetch header).
  const prefetched: string[] = [];
  page.on("request", (request) => {
    if (request.headers()["next-router-prefetch"]) prefetched.push(new URL(request.url()).pathname);
  });
  await page.goto("/models");
  const nav = page.getByRole("navigation", { name: "Studio" });
  await expect(page.getByRole("table", { name: "Models" }).getByRole("link", { name: "breast-cancer-rf", exact: true })).toBeVisible();
  await page.waitForLoadState("networkidle");
  // The page shows a dozen links (navigation, menu, the models), and asked the server for none of their pages.
  expect(prefetched).toEqual([]);

  await nav.getByRole("link", { name: "Deployments" }).hover();
  await expect.poll(() => prefetched).toContain("/deployments");
  expect(prefetched.every((path) => path === "/deployments")).toBe(true);
  // Following it still works (now from the prefetched payload).
  await nav.getByRole("link", { name: "Deployments" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Deployments" })).toBeVisible();

  // The keyboard shows intent too.
  await nav.getByRole("link", { name: "Reviews" }).focus();
  await expect.poll(() => prefetched).toContain("/reviews");
});
