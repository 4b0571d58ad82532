// Journey: canary and shadow. An admin shadows production with the unapproved v2, sends production traffic, and sees
// the live comparison fill (same requests, agreement); alice requests a review of v2 and bob approves it; the admin
// starts a 10% canary with an error-rate guard, the canary breaks (a test hook makes v2 fail), and the guard check
// stops it: share 0, the reason shown, every caller back on production; the admin stops the shadow. The journey brings
// its own model (the demo's two forests, uploaded under a new name): its traffic, review and routes must not change
// what other journeys read off the demo's breast-cancer-rf (drift flags, approvals, what a request is copied to).
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { E2E_ADMIN_PASSWORD, E2E_ADMIN_USERNAME, E2E_DEMO_PASSWORD } from "./credentials";

const MODEL = `canary-bc-${Date.now()}`;
const authorization = `Basic ${Buffer.from(`${E2E_ADMIN_USERNAME}:${E2E_ADMIN_PASSWORD}`).toString("base64")}`;

async function signedInAs(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(E2E_DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/sign-in/);
  return page;
}

function trafficPanel(page: Page) {
  return page.getByRole("region", { name: `Canary and shadow of ${MODEL}` });
}

async function openTraffic(page: Page) {
  await page.goto("/deployments");
  await page.getByText(`Canary and shadow of ${MODEL}`, { exact: true }).click();
  await expect(trafficPanel(page)).toBeVisible();
  return trafficPanel(page);
}

test("shadow an unapproved version, compare live, approve it, run a 10% canary, and watch the guard stop it when it breaks", async ({ page, request, browser }) => {
  test.setTimeout(180_000);
  for (const fixture of ["breast-cancer-rf-v1", "breast-cancer-rf-v2"]) {
    const upload = await request.post(`/api/models/upload?name=${MODEL}`, {
      headers: { authorization, "content-type": "application/octet-stream" },
      data: readFileSync(`fixtures/models/${fixture}.onnx`),
    });
    expect(upload.status(), await upload.text()).toBe(201);
  }
  // v1 goes to production past the review gate, as an admin may with a reason.
  await page.goto("/deployments");
  const promote = page.getByRole("region", { name: "Promote to production" });
  await promote.getByLabel("Model").selectOption(MODEL);
  await promote.getByLabel("Version").selectOption("1");
  const promoteForm = promote.getByRole("form", { name: `Promote ${MODEL} v1` });
  await promoteForm.getByLabel(/Override reason/).fill("Canary journey: the production it runs beside");
  await promoteForm.getByRole("button", { name: "Promote" }).click();
  await expect(promoteForm.getByRole("status")).toHaveText(`${MODEL} production now serves v1.`);
  const rows = Papa.parse<Record<string, number>>(readFileSync("fixtures/datasets/breast_cancer.production-stable.csv", "utf8"), {
    header: true,
    dynamicTyping: true,
    skipEmptyLines: true,
  }).data;
  const columns = Object.keys(rows[0]!).filter((c) => c !== "malignant");
  const score = (index: number, headers: Record<string, string> = {}) =>
    request.post(`/api/serve/${MODEL}/invocations`, {
      headers: { authorization, "content-type": "application/json", ...headers },
      data: { dataframe_split: { columns, data: [columns.map((c) => rows[index % rows.length]![c])] } },
    });

  // The shadow: v2 has no approved review, which a shadow does not need (its answers are never returned).
  let panel = await openTraffic(page);
  await expect(panel.getByTestId("traffic-state")).toContainText("No canary. No shadow.");
  const canaryForm = panel.getByRole("form", { name: "Canary (approved versions only)" });
  await canaryForm.getByLabel("Canary version").selectOption("2");
  await canaryForm.getByRole("button", { name: "Start canary" }).click();
  await expect(panel.getByRole("alert")).toContainText("no approved acceptance review");
  const shadowForm = panel.getByRole("form", { name: "Shadow (any version)" });
  await shadowForm.getByLabel("Shadow version").selectOption("2");
  await shadowForm.getByRole("button", { name: "Start shadow" }).click();
  await expect(panel.getByTestId("traffic-state")).toContainText("Shadow: v2 gets a copy of every request.");
  await expect(panel.getByRole("region", { name: "Live comparison" })).toBeVisible();
  await expectNoSeriousViolations(page);

  // Production traffic: answered by v1, each copied to the shadow.
  for (let i = 0; i < 30; i++) {
    const response = await score(i);
    expect(response.status(), await response.text()).toBe(200);
    expect(response.headers()["x-model-version"]).toBe("1");
    expect(response.headers()["x-model-route"]).toBe("production");
    expect(response.headers()["x-shadow"]).toBe("2");
  }
  // The comparison fills as the copies are scored and logged (it refreshes by itself).
  const comparison = panel.getByRole("table", { name: `Live comparison of ${MODEL}` });
  await expect(comparison.getByRole("row").filter({ hasText: "Requests" })).toContainText(/30\s*30/, { timeout: 20_000 });
  await expect(comparison).toContainText("shadow v2");
  await expect(panel.getByTestId("agreement")).toContainText("of 30 rows answered by both");

  // alice asks for a review of v2; bob approves it.
  const alice = await signedInAs(browser, "alice");
  await alice.goto(`/models/${MODEL}/versions/2`);
  await alice.getByRole("link", { name: "Request review" }).click();
  const form = alice.getByRole("form", { name: "Request a review" });
  await form.getByLabel("Dataset").selectOption("breast-cancer");
  await form.getByLabel("Version", { exact: true }).selectOption("2");
  await expect(form.getByLabel("Label column")).toHaveValue("malignant");
  // The uploaded forest takes one unnamed matrix: alice confirms which columns feed it, in order.
  await form.getByLabel(/I confirm these columns feed/).check();
  await form.getByRole("group", { name: "Threshold 1" }).getByLabel("Value").fill("0.9");
  await form.getByLabel(/Business goal/).fill("Canary of the retrained forest.");
  await form.getByLabel("Max group gap (points)").fill("");
  await form.getByRole("button", { name: "Request review" }).click();
  await expect(alice).toHaveURL(/\/reviews\/\d+$/);
  await expect(alice.getByText("Waiting for decision").first()).toBeVisible({ timeout: 60_000 });
  const bob = await signedInAs(browser, "bob");
  await bob.goto(alice.url());
  await bob.getByRole("button", { name: "Approve" }).click();
  const justify = bob.getByRole("alert").filter({ hasText: /justify each below/ });
  if (await justify.isVisible().catch(() => false)) {
    for (const field of await bob.getByLabel(/Why approve although/).all()) await field.fill("Accepted for a 10% canary under guard rules.");
    await bob.getByRole("button", { name: "Approve" }).click();
  }
  await expect(bob.getByRole("list", { name: "Decisions" })).toContainText("approved");

  // The canary: 10% of callers, with an error-rate guard.
  panel = await openTraffic(page);
  const guards = panel.getByRole("form", { name: "Guard rules" });
  await guards.getByLabel("Error rate limit (%)").fill("20");
  await guards.getByLabel("Requests before judging").fill("5");
  await guards.getByRole("button", { name: "Save guard rules" }).click();
  await expect(panel.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await canaryForm.getByLabel("Canary version").selectOption("2");
  await canaryForm.getByLabel(/Canary share/).fill("10");
  await canaryForm.getByRole("button", { name: "Start canary" }).click();
  await expect(panel.getByTestId("traffic-state")).toContainText("Canary: v2 answers 10% of callers.");

  // The canary breaks: its answers fail (test hook), production's do not. Callers are sticky by key.
  let canaryFailures = 0;
  let productionAnswers = 0;
  await expect(async () => {
    // Serving follows the new canary within a second.
    const probe = await score(0, { "x-caller-key": "probe-0" });
    expect(probe.headers()["x-model-route"]).toBeDefined();
  }).toPass();
  for (let i = 0; i < 150; i++) {
    const response = await score(i, { "x-caller-key": `customer-${i}`, "x-test-fail-version": "2" });
    if (response.status() === 500) canaryFailures++;
    else if (response.headers()["x-model-route"] === "production") productionAnswers++;
  }
  expect(canaryFailures).toBeGreaterThan(4);
  expect(productionAnswers).toBeGreaterThan(100);

  // The guard check stops it, as the studio itself; the reason is on the page.
  await expect(async () => {
    await panel.getByRole("button", { name: "Check guards now" }).click();
    await expect(panel.getByTestId("guard-outcome")).toContainText("Canary stopped: canary v2 failed", { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(panel.getByTestId("traffic-state")).toContainText("Canary: v2, stopped (0%).");
  await expect(panel.getByTestId("traffic-state")).toContainText("at or above the 20% limit");
  await expectNoSeriousViolations(page);
  await expect(async () => {
    for (let i = 0; i < 20; i++) expect((await score(i, { "x-caller-key": `customer-${i}`, "x-test-fail-version": "2" })).status()).toBe(200);
  }).toPass({ timeout: 5_000 });

  // The audit log names the automatic stop, by the system actor.
  const audit = await request.get(`/api/audit/export?action=deployment.canary.auto-stop`, { headers: { authorization } });
  expect(await audit.text()).toContain("system");

  // The shadow is stopped: production answers are no longer copied.
  await shadowForm.getByRole("button", { name: "Stop shadow" }).click();
  await expect(panel.getByTestId("traffic-state")).not.toContainText("Shadow: v2");
  await expect(async () => {
    const response = await score(0);
    expect(response.status()).toBe(200);
    expect(response.headers()["x-shadow"]).toBeUndefined();
  }).toPass({ timeout: 5_000 });
});
