// What the production journeys (production loop, labelling, webhooks) share: signing in as a demo user or by keyboard,
// uploading a fixture forest under a journey's own model name, promoting it past the review gate as the admin,
// scoring rows of the stable production set, alice's review request and bob's approval, the header's Admin menu, and a
// local HTTP receiver for webhook deliveries.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { verifyWebhookSignature } from "../server/notifications/signature";
import { E2E_ADMIN_PASSWORD, E2E_ADMIN_USERNAME, E2E_DEMO_PASSWORD } from "./credentials";

/** Basic credentials of the admin, or of a demo user (alice, bob, victor). */
export function basicAuthorization(username: string = E2E_ADMIN_USERNAME): string {
  const password = username === E2E_ADMIN_USERNAME ? E2E_ADMIN_PASSWORD : E2E_DEMO_PASSWORD;
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** A new browser context signed in as a demo user through the form. */
export async function signedInAs(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(E2E_DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/sign-in/);
  return page;
}

/** Signs in with the keyboard only: the username field has the focus on arrival. */
export async function signInWithKeyboard(page: Page, username: string, password: string) {
  await page.goto("/sign-in");
  await expect(page.getByLabel("Username")).toBeFocused();
  await page.keyboard.type(username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
}

/** Uploads a fixture model (fixtures/models/<fixture>.onnx) as a new version of `model`; returns the version. */
export async function uploadFixtureModel(request: APIRequestContext, model: string, fixture: string, username: string = E2E_ADMIN_USERNAME): Promise<string> {
  const upload = await request.post(`/api/models/upload?name=${encodeURIComponent(model)}`, {
    headers: { authorization: basicAuthorization(username), "content-type": "application/octet-stream" },
    data: readFileSync(`fixtures/models/${fixture}.onnx`),
  });
  expect(upload.status(), await upload.text()).toBe(201);
  return String(((await upload.json()) as { version: string | number }).version);
}

/** The admin puts a version in production past the review gate (an audited override with a reason). */
export async function promoteWithOverride(page: Page, model: string, version: string, reason: string) {
  await page.goto("/deployments");
  const promote = page.getByRole("region", { name: "Promote to production" });
  await promote.getByLabel("Model").selectOption(model);
  await promote.getByLabel("Version").selectOption(version);
  const form = promote.getByRole("form", { name: `Promote ${model} v${version}` });
  await form.getByLabel(/Override reason/).fill(reason);
  await form.getByRole("button", { name: "Promote" }).click();
  await expect(form.getByRole("status")).toHaveText(`${model} production now serves v${version}.`);
}

/** The stable production rows of the breast-cancer set: feature columns (label left out) and the rows. */
export function productionRows(): { columns: string[]; rows: Record<string, number>[] } {
  const parsed = Papa.parse<Record<string, number>>(readFileSync("fixtures/datasets/breast_cancer.production-stable.csv", "utf8"), {
    header: true,
    dynamicTyping: true,
    skipEmptyLines: true,
  });
  return { columns: (parsed.meta.fields ?? []).filter((c) => c !== "malignant"), rows: parsed.data };
}

/**
 * A scorer of one production row at a time on `model`'s production endpoint, as the admin: row `index` (wrapping),
 * with `overrides` of some features, and extra headers (caller key, test faults).
 */
export function rowScorer(request: APIRequestContext, model: string) {
  const { columns, rows } = productionRows();
  return (index: number, headers: Record<string, string> = {}, overrides: Record<string, number> = {}) =>
    request.post(`/api/serve/${encodeURIComponent(model)}/invocations`, {
      headers: { authorization: basicAuthorization(), "content-type": "application/json", ...headers },
      data: { dataframe_split: { columns, data: [columns.map((c) => overrides[c] ?? rows[index % rows.length]![c])] } },
    });
}

/**
 * alice asks for an acceptance review of a version of an uploaded forest on the breast-cancer dataset (v2): she
 * confirms the unnamed matrix's column order; leaves the page on the review. Returns the review's id.
 */
export async function requestReview(alice: Page, model: string, version: string, options: { threshold?: string; goal?: string } = {}): Promise<string> {
  await alice.goto(`/models/${model}/versions/${version}`);
  await alice.getByRole("link", { name: "Request review" }).click();
  const form = alice.getByRole("form", { name: "Request a review" });
  await form.getByLabel("Dataset").selectOption("breast-cancer");
  await form.getByLabel("Version", { exact: true }).selectOption("2");
  await expect(form.getByLabel("Label column")).toHaveValue("malignant");
  await form.getByLabel(/I confirm these columns feed/).check();
  if (options.threshold) await form.getByRole("group", { name: "Threshold 1" }).getByLabel("Value").fill(options.threshold);
  if (options.goal) await form.getByLabel(/Business goal/).fill(options.goal);
  await form.getByLabel("Max group gap (points)").fill("");
  await form.getByRole("button", { name: "Request review" }).click();
  await expect(alice).toHaveURL(/\/reviews\/\d+$/);
  return alice.url().match(/\/reviews\/(\d+)$/)![1]!;
}

/** bob approves the review at `url` once its evaluation is done, justifying any criterion it misses. */
export async function approveReview(bob: Page, url: string, justification: string) {
  await bob.goto(url);
  await expect(bob.getByText("Waiting for decision").first()).toBeVisible({ timeout: 60_000 });
  await bob.getByRole("button", { name: "Approve" }).click();
  const justify = bob.getByRole("alert").filter({ hasText: /justify each below/ });
  if (await justify.isVisible().catch(() => false)) {
    for (const field of await bob.getByLabel(/Why approve although/).all()) await field.fill(justification);
    await bob.getByRole("button", { name: "Approve" }).click();
  }
  await expect(bob.getByRole("list", { name: "Decisions" })).toContainText("approved");
}

/** Opens one of the admin pages from the header's "Admin" menu. */
export async function openAdminPage(page: Page, link: "Webhooks" | "Data subject erasure") {
  const account = page.getByRole("navigation", { name: "Account" });
  await account.getByText("Admin", { exact: true }).click();
  await account.getByRole("link", { name: link }).click();
}

export interface WebhookDelivery {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP receiver of webhook deliveries: what it got, in order, and whether a delivery's signature checks out. */
export async function startWebhookReceiver(pathname = "/studio-events") {
  const received: WebhookDelivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.end("thanks");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${pathname}`,
    received,
    signatureOf(secret: string, delivery: WebhookDelivery) {
      return verifyWebhookSignature(secret, {
        signature: delivery.headers["x-studio-signature"] as string,
        timestamp: delivery.headers["x-studio-timestamp"] as string,
        body: delivery.body,
      });
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** The admin adds a webhook for `events` (labels as on the form) and returns its secret, shown once. */
export async function addWebhook(page: Page, name: string, url: string, events: string[]): Promise<string> {
  const form = page.getByRole("form", { name: "New webhook" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("URL (http or https)").fill(url);
  const boxes = form.getByRole("group", { name: "Events" }).getByRole("checkbox");
  for (const box of await boxes.all()) {
    const label = ((await box.locator("xpath=..").textContent()) ?? "").trim();
    await box.setChecked(events.includes(label));
  }
  await form.getByRole("button", { name: "Add webhook" }).click();
  const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
  expect(secret).toMatch(/^whsec_/);
  await page.getByRole("button", { name: "I have kept it" }).click();
  return secret;
}

/** From a model's labelling page: its queue samples the least confident answers, `fillSize` a fill, one labeller per item; then it is filled. */
export async function fillLowConfidenceQueue(page: Page, fillSize: number) {
  const settings = page.getByRole("form", { name: "Labelling queue settings" });
  await settings.getByLabel("Sampling").selectOption({ label: "Lowest confidence first" });
  await settings.getByLabel("Items per fill").fill(String(fillSize));
  await settings.getByLabel("Labellers per item").selectOption("1");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  await settings.getByRole("button", { name: "Fill the queue" }).click();
}

/** The admin creates a labeller's account, who signs in (keyboard only) in a browser of its own and lands on its queues. */
export async function newLabeller(page: Page, browser: Browser, username: string): Promise<Page> {
  const password = "labeller-password-42";
  await page.goto("/admin/users");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Initial password").fill(password);
  await page.getByLabel("Role", { exact: true }).selectOption("labeller");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("status")).toContainText(`Created ${username} (labeller)`);
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const labeller = await context.newPage();
  await signInWithKeyboard(labeller, username, password);
  await expect(labeller).toHaveURL(/\/labelling$/);
  return labeller;
}
