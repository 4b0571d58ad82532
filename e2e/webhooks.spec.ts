// Journey: telling people. The admin adds a webhook pointing at a receiver this test runs, alice requests a review,
// the delivery shows in the hook's log and the receiver got a body whose signature checks out; "Send again" delivers
// it once more; the admin narrows the hook's events; bob (reviewer) sees the request under the header's bell. (The
// canary-stopped event and the erasure of a data subject are in the production-loop journey.)
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { addWebhook, openAdminPage, requestReview, signedInAs, startWebhookReceiver, uploadFixtureModel } from "./production-helpers";

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

test.beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
test.afterAll(async () => {
  await receiver.close();
});

test("a webhook receives a signed review request, is sent again from its log, and the reviewer is notified", async ({ page, browser, request }) => {
  test.setTimeout(120_000);
  const { received } = receiver;
  // The admin reaches the webhooks page from the header's Admin menu.
  await page.goto("/admin/audit");
  await openAdminPage(page, "Webhooks");
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await expectNoSeriousViolations(page);

  // A URL that is not http(s) is refused with what to fix.
  const form = page.getByRole("form", { name: "New webhook" });
  await form.getByLabel("Name").fill("Review channel");
  await form.getByLabel("URL (http or https)").fill("ftp://example.com/hook");
  await form.getByRole("button", { name: "Add webhook" }).click();
  await expect(form.getByText(/http:\/\/ or https:\/\/ URL/)).toBeVisible();
  // Review requests and decisions are what a new hook is told of unless the admin chooses otherwise.
  await expect(form.getByLabel("Review requested")).toBeChecked();
  await expect(form.getByLabel("Review decided")).toBeChecked();
  const secret = await addWebhook(page, "Review channel", receiver.url, ["Review requested", "Review decided"]);
  const hooks = page.getByRole("table", { name: "Webhooks" });
  await expect(hooks.getByRole("row", { name: /Review channel/ })).toContainText(`…${secret.slice(-4)}`);
  await expect(page.getByText(secret)).toHaveCount(0);

  // alice requests a review of a new model version.
  const model = `bc-hooks-${Date.now()}`;
  const version = await uploadFixtureModel(request, model, "breast-cancer-rf-v2", "alice");
  const alice = await signedInAs(browser, "alice");
  const reviewId = await requestReview(alice, model, version);

  // The delivery appears in the hook's log, delivered with the receiver's 200.
  const log = page.getByRole("table", { name: "Deliveries of Review channel" });
  await expect(log.getByRole("row", { name: /review\.requested/ }).first()).toContainText("delivered", { timeout: 20_000 });
  await expect(log.getByRole("row", { name: /review\.requested/ }).first()).toContainText("200");
  await expect(log).toContainText(`alice requested a review of ${model}/${version} (review #${reviewId}).`);
  expect(received).toHaveLength(1);
  expect(receiver.signatureOf(secret, received[0])).toEqual({ ok: true });
  expect(JSON.parse(received[0].body)).toMatchObject({ type: "review.requested", text: `alice requested a review of ${model}/${version} (review #${reviewId}).` });

  // Send again: a second delivery of the same event, validly signed too.
  await log.getByRole("button", { name: "Send again" }).first().click();
  await expect(log.getByTestId("delivery-row")).toHaveCount(2);
  await expect(log.getByTestId("delivery-row").first()).toContainText("delivered", { timeout: 20_000 });
  expect(received).toHaveLength(2);
  expect(receiver.signatureOf(secret, received[1])).toEqual({ ok: true });
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

  // In French (what the language menu sets), the page, its delivery log and the bell speak French; the receiver got English.
  await page.context().addCookies([{ name: "studio_locale", value: "fr", url: page.url() }]);
  await page.reload();
  await expect(page.getByRole("form", { name: "Nouveau webhook" }).getByLabel("URL (http ou https)")).toBeVisible();
  const frenchHooks = page.getByRole("table", { name: "Webhooks" });
  await expect(frenchHooks.getByRole("columnheader", { name: "Événements" })).toBeVisible();
  await expect(frenchHooks.getByRole("row", { name: /Review channel/ })).toContainText("Revue demandée");
  await expect(frenchHooks.getByRole("row", { name: /Review channel/ })).toContainText("2 remis, 0 en échec, 0 en attente");
  const frenchLog = page.getByRole("table", { name: "Envois de Review channel" });
  await expect(frenchLog.getByTestId("delivery-row").first()).toContainText("remis");
  await expect(frenchLog.getByTestId("delivery-row").first()).toContainText(`alice a demandé une revue de ${model}/${version} (revue n° ${reviewId}).`);
  await expect(frenchLog).not.toContainText("requested a review");
  await expect(frenchLog.getByRole("button", { name: "Renvoyer" }).first()).toBeVisible();
  await bob.context().addCookies([{ name: "studio_locale", value: "fr", url: bob.url() }]);
  await bob.reload();
  await bob.getByRole("button", { name: /^Notifications/ }).click();
  await expect(bob.getByRole("region", { name: "Notifications" }).getByRole("link", { name: `alice a demandé une revue de ${model}/${version} (revue n° ${reviewId}).` })).toBeVisible();
});
