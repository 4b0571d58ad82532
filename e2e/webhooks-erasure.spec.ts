// Journey: telling people and forgetting a person. The admin adds a webhook pointing at a receiver this test runs,
// alice requests a review, the delivery shows in the hook's log and the receiver got a body whose signature checks
// out; "Send again" delivers it once more; bob (reviewer) sees the request under the header's bell. Then a served
// request is found by the admin's erasure dry run and erased, with the counts shown.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { verifyWebhookSignature } from "../server/notifications/signature";
import { expectNoSeriousViolations } from "./axe";
import { E2E_DEMO_PASSWORD } from "./credentials";

const basic = (username: string) => `Basic ${Buffer.from(`${username}:${E2E_DEMO_PASSWORD}`).toString("base64")}`;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let receiver: Server;
let receiverUrl: string;

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.end("thanks");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/studio-events`;
});
test.afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

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

async function uploadVersion(request: APIRequestContext, model: string): Promise<string> {
  const response = await request.post(`/api/models/upload?name=${encodeURIComponent(model)}`, {
    headers: { authorization: basic("alice"), "content-type": "application/octet-stream" },
    data: readFileSync("fixtures/models/breast-cancer-rf-v2.onnx"),
  });
  expect(response.status(), await response.text()).toBe(201);
  return String(((await response.json()) as { version: string | number }).version);
}

function signatureOf(secret: string, delivery: { headers: IncomingHttpHeaders; body: string }) {
  return verifyWebhookSignature(secret, {
    signature: delivery.headers["x-studio-signature"] as string,
    timestamp: delivery.headers["x-studio-timestamp"] as string,
    body: delivery.body,
  });
}

/** The admin pages are under the header's "Admin" menu. */
async function openAdminMenu(page: Page) {
  await page.getByRole("navigation", { name: "Account" }).getByText("Admin", { exact: true }).click();
}

test("a webhook receives a signed review request, is sent again from its log, the reviewer is notified; a data subject is found and erased", async ({ page, browser, request }) => {
  test.setTimeout(180_000);
  // The admin reaches the webhooks page from the header's Admin menu.
  await page.goto("/admin/audit");
  await openAdminMenu(page);
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await expectNoSeriousViolations(page);

  // A URL that is not http(s) is refused with what to fix.
  const form = page.getByRole("form", { name: "New webhook" });
  await form.getByLabel("Name").fill("Review channel");
  await form.getByLabel("URL (http or https)").fill("ftp://example.com/hook");
  await form.getByRole("button", { name: "Add webhook" }).click();
  await expect(form.getByText(/http:\/\/ or https:\/\/ URL/)).toBeVisible();
  await form.getByLabel("URL (http or https)").fill(receiverUrl);
  await expect(form.getByLabel("Review requested")).toBeChecked();
  await form.getByRole("button", { name: "Add webhook" }).click();
  const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
  expect(secret).toMatch(/^whsec_/);
  await page.getByRole("button", { name: "I have kept it" }).click();
  const hooks = page.getByRole("table", { name: "Webhooks" });
  await expect(hooks.getByRole("row", { name: /Review channel/ })).toContainText(`…${secret.slice(-4)}`);
  await expect(page.getByText(secret)).toHaveCount(0);

  // alice requests a review of a new model version.
  const model = `bc-hooks-${Date.now()}`;
  const version = await uploadVersion(request, model);
  const alice = await signedInAs(browser, "alice");
  await alice.goto(`/models/${model}/versions/${version}`);
  await alice.getByRole("link", { name: "Request review" }).click();
  const reviewForm = alice.getByRole("form", { name: "Request a review" });
  await reviewForm.getByLabel("Dataset").selectOption("breast-cancer");
  await reviewForm.getByLabel("Version", { exact: true }).selectOption("2");
  await reviewForm.getByLabel(/I confirm these columns feed/).check();
  await reviewForm.getByLabel("Max group gap (points)").fill("");
  await reviewForm.getByRole("button", { name: "Request review" }).click();
  await expect(alice).toHaveURL(/\/reviews\/\d+$/);
  const reviewId = alice.url().match(/\/reviews\/(\d+)$/)![1];

  // The delivery appears in the hook's log, delivered with the receiver's 200.
  const log = page.getByRole("table", { name: "Deliveries of Review channel" });
  await expect(log.getByRole("row", { name: /review\.requested/ }).first()).toContainText("delivered", { timeout: 20_000 });
  await expect(log.getByRole("row", { name: /review\.requested/ }).first()).toContainText("200");
  await expect(log).toContainText(`alice requested a review of ${model}/${version} (review #${reviewId}).`);
  expect(received).toHaveLength(1);
  expect(signatureOf(secret, received[0])).toEqual({ ok: true });
  expect(JSON.parse(received[0].body)).toMatchObject({ type: "review.requested", text: `alice requested a review of ${model}/${version} (review #${reviewId}).` });

  // Send again: a second delivery of the same event, validly signed too.
  await log.getByRole("button", { name: "Send again" }).first().click();
  await expect(log.getByTestId("delivery-row")).toHaveCount(2);
  await expect(log.getByTestId("delivery-row").first()).toContainText("delivered", { timeout: 20_000 });
  expect(received).toHaveLength(2);
  expect(signatureOf(secret, received[1])).toEqual({ ok: true });
  expect(received[1].body).toBe(received[0].body);

  // The admin narrows the hook to review requests only.
  await expect(hooks.getByRole("row", { name: /Review channel/ })).toContainText("Review decided");
  const edit = page.getByRole("form", { name: "Change Review channel" });
  await edit.getByLabel("Review decided").uncheck();
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit.getByRole("status")).toHaveText("Saved.");
  await expect(hooks.getByRole("row", { name: /Review channel/ })).not.toContainText("Review decided");

  // bob, a reviewer, finds the request under the bell and opens it.
  const bob = await signedInAs(browser, "bob");
  const bell = bob.getByRole("button", { name: /^Notifications, \d+ unread$/ });
  await expect(bell).toBeVisible({ timeout: 15_000 });
  await bell.click();
  const list = bob.getByRole("region", { name: "Notifications" });
  await list.getByRole("link", { name: `alice requested a review of ${model}/${version} (review #${reviewId}).` }).click();
  await expect(bob).toHaveURL(new RegExp(`/reviews/${reviewId}$`));
  await expectNoSeriousViolations(bob);

  // A request served with a telling value in one feature: the subject to erase.
  const parsed = Papa.parse<Record<string, number>>(readFileSync("fixtures/datasets/breast_cancer.production-stable.csv", "utf8"), { header: true, dynamicTyping: true, skipEmptyLines: true });
  const columns = (parsed.meta.fields ?? []).filter((c) => c !== "malignant");
  const row = columns.map((c) => (c === "mean_radius" ? 31.125 : parsed.data[0][c]));
  const served = await request.post("/api/serve/breast-cancer-rf/invocations", {
    headers: { authorization: basic("alice"), "content-type": "application/json" },
    data: { dataframe_split: { columns, data: [row] } },
  });
  expect(served.status(), await served.text()).toBe(200);

  await openAdminMenu(page);
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Data subject erasure" }).click();
  await expect(page.getByRole("heading", { name: "Erase a data subject" })).toBeVisible();
  const find = page.getByRole("form", { name: "Find a data subject" });
  await find.getByLabel("Key column (feature)").fill("mean_radius");
  await find.getByLabel("Key value").fill("31.125");
  // The log is written off the request path: search again until the entry is there.
  await expect(async () => {
    await find.getByRole("button", { name: "Find (dry run)" }).click();
    await expect(page.getByTestId("erasure-plan")).toContainText("Would erase: 1 inference-log entries whole", { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole("heading", { name: "Dataset versions holding the key" })).toBeVisible();
  await expectNoSeriousViolations(page);
  await expect(page.getByRole("button", { name: "Erase", exact: true })).toBeDisabled();
  await page.getByLabel("I understand the erasure cannot be undone").check();
  await page.getByRole("button", { name: "Erase", exact: true }).click();
  await expect(page.getByTestId("erasure-result")).toContainText("Erased: 1 inference-log entries whole");
  await expect(page.getByTestId("erasure-result")).toContainText("rows of inference_feedback");
  // Searching again finds nothing left.
  await find.getByRole("button", { name: "Find (dry run)" }).click();
  await expect(page.getByTestId("erasure-plan")).toContainText("Would erase: 0 inference-log entries whole");
  await expect(page.getByText("Nothing of this subject is stored")).toBeVisible();
});
