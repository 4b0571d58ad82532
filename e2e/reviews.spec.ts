// Journey: acceptance review. A data scientist (alice) requests a review of a model version with an agreed
// accuracy threshold; a business reviewer (bob, another account) reads the report, rejects it with a comment;
// the production gate refuses the rejected version over the MLflow REST API. A second review of the same version
// is approved with a written exception for the failing accuracy (the Deployments gate says so) and promoted.
// The retrained version passes; bob comments and requests one more criterion, alice edits the criteria (a new
// revision, shown with before → after; his decision stops counting), bob approves; the printable sign-off sheet
// shows the revisions; victor (viewer) reads but cannot comment. bob withdraws his approval once that version
// serves production: the Deployments page flags it and alice rolls back.
import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { signedInAs } from "./production-helpers";
import { E2E_DEMO_PASSWORD } from "./credentials";

const basic = (username: string) => `Basic ${Buffer.from(`${username}:${E2E_DEMO_PASSWORD}`).toString("base64")}`;

/** alice registers an ONNX file as the next version of the model, as a training script would. */
async function uploadVersion(request: APIRequestContext, model: string, fixture: string): Promise<string> {
  const response = await request.post(`/api/models/upload?name=${encodeURIComponent(model)}`, {
    headers: { authorization: basic("alice"), "content-type": "application/octet-stream" },
    data: readFileSync(`fixtures/models/${fixture}.onnx`),
  });
  expect(response.status(), await response.text()).toBe(201);
  return String(((await response.json()) as { version: string | number }).version);
}

/** alice fills the request form: the breast-cancer test split (version 2), accuracy at least 0.95. */
async function requestReview(page: Page, model: string, version: string): Promise<string> {
  await page.goto(`/models/${model}/versions/${version}`);
  await page.getByRole("link", { name: "Request review" }).click();
  await expect(page).toHaveURL(/\/reviews\/new\?/);
  const form = page.getByRole("form", { name: "Request a review" });
  await form.getByLabel("Dataset").selectOption("breast-cancer");
  await form.getByLabel("Version", { exact: true }).selectOption("2");
  await expect(form.getByLabel("Label column")).toHaveValue("malignant");
  // The uploaded file names none of its 30 columns: alice reads the file's order and confirms it once.
  await form.getByLabel(/I confirm these columns feed/).check();
  const accuracy = form.getByRole("group", { name: "Threshold 1" });
  await expect(accuracy.getByLabel("Metric")).toHaveValue("accuracy");
  await accuracy.getByLabel("Value").fill("0.95");
  await form.getByLabel(/Business goal/).fill("Flag likely malignant biopsies for a second read.");
  // The default 10-point group-gap limit needs a sensitive attribute, and this dataset declares none.
  await form.getByRole("button", { name: "Request review" }).click();
  await expect(form.getByText(/No sensitive attribute is ticked/)).toBeVisible();
  await form.getByLabel("Max group gap (points)").fill("");
  await form.getByRole("button", { name: "Request review" }).click();
  await expect(page).toHaveURL(/\/reviews\/\d+$/);
  // The evaluation runs in the background; the page polls until the report is ready.
  await expect(page.getByText("Waiting for decision").first()).toBeVisible({ timeout: 30_000 });
  return page.url();
}

test("request a review, reject it with a comment; approve with an exception; comment, request changes, edit the criteria, approve the retrained version; print the sign-off sheet; withdraw and roll back", async ({ browser, request }) => {
  // Four people, three evaluations in the background and a rollback: longer than the default minute on a busy machine.
  test.setTimeout(300_000);
  const model = `bc-signoff-${Date.now()}`;
  // v1 is the 30-tree model (accuracy 0.944 on the test split): below the agreed 0.95.
  const first = await uploadVersion(request, model, "breast-cancer-rf-v2");
  const alice = await signedInAs(browser, "alice");
  const firstUrl = await requestReview(alice, model, first);
  const criteria = alice.getByRole("table", { name: "Acceptance criteria" });
  await expect(criteria.getByRole("row").filter({ hasText: /accuracy/i }).first()).toContainText("Fail");
  // alice registered the version: she cannot approve her own model.
  await expect(alice.getByRole("button", { name: "Approve" })).toBeDisabled();

  const bob = await signedInAs(browser, "bob");
  await bob.goto("/reviews?filter=mine_to_review");
  const reviewId = firstUrl.split("/").pop()!;
  await expect(bob.getByRole("row").filter({ hasText: `${model}@${first}` })).toContainText("Waiting for decision");
  await bob.getByRole("link", { name: `Review #${reviewId}`, exact: true }).click();
  await expect(bob).toHaveURL(firstUrl);
  await expect(bob.getByText(/On 143 held-out cases the model is right 94% of the time/)).toBeVisible();
  await expect(bob.getByRole("heading", { name: "Feature importance" })).toBeVisible();
  await expect(bob.getByRole("heading", { name: "Edge cases" })).toBeVisible();
  await expectNoSeriousViolations(bob);
  // Rejecting needs a comment: the page says so before sending anything.
  await bob.getByRole("button", { name: "Reject" }).click();
  await expect(bob.getByRole("alert").filter({ hasText: /comment/i })).toBeVisible();
  await bob.getByLabel("Decision comment").fill("Accuracy 0.944 is below the 0.95 we agreed: retrain with more trees.");
  await bob.getByRole("button", { name: "Reject" }).click();
  await expect(bob.getByText("Rejected").first()).toBeVisible();
  await expect(bob.getByRole("list", { name: "Decisions" })).toContainText("below the 0.95 we agreed");

  // The gate: the rejected version cannot take the production alias over MLflow's REST API.
  const refused = await request.post("/api/2.0/mlflow/registered-models/alias", {
    headers: { authorization: basic("alice"), "content-type": "application/json" },
    data: { name: model, alias: "production", version: first },
  });
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { message: string }).message).toMatch(/no approved acceptance review/);

  // A new review of the same version: bob approves despite the failing accuracy, which needs a written exception.
  const exceptionUrl = await requestReview(alice, model, first);
  await bob.goto(exceptionUrl);
  await bob.getByRole("button", { name: "Approve" }).click();
  await expect(bob.getByRole("alert").filter({ hasText: /justify each below/ })).toBeVisible();
  await bob.getByLabel(/Why approve although accuracy ≥ 0\.95 fails\?/).fill("A second reader checks every biopsy this model flags; 0.944 is acceptable for that use.");
  await bob.getByRole("button", { name: "Approve" }).click();
  await expect(bob.getByRole("heading", { name: "Exceptions (1 failing criterion accepted)" })).toBeVisible();
  await expect(bob.getByRole("list", { name: "Decisions" })).toContainText("approved with 1 exception");
  // Approved: the criteria are final, a new review would be needed to change them.
  await alice.goto(exceptionUrl);
  await expect(alice.getByText(/The criteria are final: this review is approved/)).toBeVisible();
  await expect(alice.getByRole("button", { name: "Edit criteria" })).toHaveCount(0);
  // The Deployments gate names the exception; alice promotes the version.
  await alice.goto("/deployments");
  const panel = alice.getByRole("region", { name: "Promote to production" });
  await panel.getByLabel("Model").selectOption(model);
  await panel.getByLabel("Version").selectOption(first);
  const promote = panel.getByRole("form", { name: `Promote ${model} v${first}` });
  await expect(promote).toContainText("Review gate: approved with 1 exception.");
  await expect(promote).toContainText("A second reader checks every biopsy");
  await promote.getByRole("button", { name: "Promote" }).click();
  await expect(promote.getByRole("status")).toHaveText(`${model} production now serves v${first}.`);

  // The retrained version (100 trees, accuracy 0.972) passes and bob approves it.
  const second = await uploadVersion(request, model, "breast-cancer-rf-v1");
  const secondUrl = await requestReview(alice, model, second);
  await expect(alice.getByRole("table", { name: "Acceptance criteria" })).not.toContainText("Fail");
  await bob.goto(secondUrl);
  // bob asks a question in the thread (plain text, never HTML) and asks for one more check before approving.
  await bob.getByLabel("Your comment").fill("Could we also require an AUC of at least <b>0.99</b>?");
  await bob.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(bob.getByRole("list", { name: "Comments" })).toContainText("at least <b>0.99</b>?");
  await bob.getByLabel("Decision comment").fill("Add the AUC threshold we discussed, then I approve.");
  await bob.getByRole("button", { name: "Request changes" }).click();
  await expect(bob.getByText("Changes requested").first()).toBeVisible();

  // alice adds the threshold: the report is re-checked at once, and bob's earlier decision no longer counts.
  await alice.reload();
  await alice.getByRole("button", { name: "Edit criteria" }).click();
  const edit = alice.getByRole("form", { name: "Edit the acceptance criteria" });
  const auc = edit.getByRole("group", { name: "Threshold 2" });
  await expect(auc.getByLabel("Metric")).toHaveValue("roc_auc");
  await auc.getByLabel("Value").fill("0.99");
  await edit.getByRole("button", { name: "Save criteria" }).click();
  await expect(alice.getByText("Waiting for decision").first()).toBeVisible();
  await expect(alice.getByRole("table", { name: "Acceptance criteria" })).toContainText("ROC AUC ≥ 0.99");
  await expect(alice.getByRole("list", { name: "Decisions" })).toContainText("criteria changed after this decision");
  const revisions = alice.getByRole("table", { name: "Criteria revisions" });
  await expect(revisions.getByRole("row")).toHaveCount(3);
  await expect(revisions.getByRole("row").nth(2)).toContainText("alice");
  await expect(revisions.getByRole("row").nth(2)).toContainText("ROC AUC ≥ 0.75");
  await expect(revisions.getByRole("row").nth(2)).toContainText("ROC AUC ≥ 0.99");

  // victor (viewer) reads the thread but has no comment box.
  const victor = await signedInAs(browser, "victor");
  await victor.goto(secondUrl);
  await expect(victor.getByRole("list", { name: "Comments" })).toContainText("at least <b>0.99</b>?");
  await expect(victor.getByText(/commenting needs the editor, reviewer or admin role/)).toBeVisible();
  await expect(victor.getByLabel("Your comment")).toHaveCount(0);

  await bob.reload();
  await bob.getByLabel("Decision comment").fill("Meets every criterion we agreed.");
  await bob.getByRole("button", { name: "Approve" }).click();
  await expect(bob.getByText("Approved").first()).toBeVisible();

  // The sign-off sheet: summary, criteria, decisions with names, digests; printed without the studio's chrome.
  await bob.getByRole("link", { name: "Printable sign-off sheet" }).click();
  await expect(bob.getByRole("heading", { level: 1, name: "Model acceptance sign-off" })).toBeVisible();
  await expect(bob.getByRole("table", { name: "Decisions" })).toContainText("bob");
  await expect(bob.getByRole("table", { name: "Criteria revisions" })).toContainText("ROC AUC ≥ 0.99");
  await expect(bob.getByText(/[0-9a-f]{64}/).first()).toBeVisible();
  await bob.emulateMedia({ media: "print" });
  await expect(bob.getByRole("navigation", { name: "Studio" })).toBeHidden();
  await expect(bob.getByRole("button", { name: "Print" })).toBeHidden();
  await expect(bob.getByRole("heading", { level: 1, name: "Model acceptance sign-off" })).toBeVisible();

  // With the approval, alice can now put the version in production over the same REST API.
  const allowed = await request.post("/api/2.0/mlflow/registered-models/alias", {
    headers: { authorization: basic("alice"), "content-type": "application/json" },
    data: { name: model, alias: "production", version: second },
  });
  expect(allowed.status(), await allowed.text()).toBe(200);

  // bob withdraws his approval: the version in production loses its gate, and the Deployments page flags it.
  await bob.emulateMedia({ media: "screen" });
  await bob.goto(secondUrl);
  await bob.getByRole("button", { name: "Withdraw my approval" }).click();
  await bob.getByLabel("Why do you withdraw your approval?").fill("The AUC was measured on a split the team has since found leaked into training.");
  await bob.getByRole("button", { name: "Confirm withdrawal" }).click();
  await expect(bob.getByRole("status").filter({ hasText: /This version serves production/ })).toBeVisible();
  await expect(bob.getByRole("list", { name: "Decisions" })).toContainText("Withdrawn by bob");
  await expect(bob.getByText("Waiting for decision").first()).toBeVisible();
  await alice.goto("/deployments");
  const production = alice.getByRole("table", { name: "Deployments" }).getByRole("row").filter({ hasText: model }).filter({ hasText: "production" });
  await expect(production).toContainText("Approval withdrawn: bob withdrew the approval");
  await production.getByRole("button", { name: `Roll back to v${first}` }).click();
  await alice.getByRole("button", { name: `Confirm rollback to v${first}` }).click();
  await expect(production).toContainText(`v${first}`);
  await expectNoSeriousViolations(alice);
});
