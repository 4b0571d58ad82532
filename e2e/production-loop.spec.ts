// Journey: re-adjusting a model in production under control, start to finish (issue 20's "Done when"). The admin points
// a webhook at a receiver this test runs; shadows production with an unapproved v2 of the journey's own model and
// watches the live comparison fill as requests arrive; alice requests a review of v2 and bob approves it; a 10% canary
// of v2 breaks (a test hook makes v2 fail) and the guard stops it, which the receiver hears, signed; a labeller labels
// 20 queued requests with the keyboard and the live metric appears; one data subject's requests (production's and the
// shadow's copy) are found and erased, with the counts shown. The model is the demo's two forests uploaded under a new
// name, so its traffic, review and routes change nothing other journeys read off the demo's breast-cancer-rf. Along the
// way a French reader gets the canary's refusal, the guard's reason, the delivery log, the model's flag and the erasure
// page in French.
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import {
  addWebhook,
  approveReview,
  basicAuthorization,
  fillLowConfidenceQueue,
  newLabeller,
  openAdminPage,
  promoteWithOverride,
  requestReview,
  rowScorer,
  signedInAs,
  startWebhookReceiver,
  uploadFixtureModel,
} from "./production-helpers";

const MODEL = `loop-bc-${Date.now()}`;
const HOOK = `Production loop ${Date.now() % 100000}`;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

test.beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
test.afterAll(async () => {
  await receiver.close();
});

function trafficPanel(page: Page) {
  return page.getByRole("region", { name: `Canary and shadow of ${MODEL}` });
}

/** The studio's language for this browser, as the language picker sets it. */
async function setLocale(page: Page, locale: "en" | "fr") {
  // At the site's root: a cookie set from a page's URL would only cover that page's folder (/admin/ for the webhooks page).
  await page.context().addCookies([{ name: "studio_locale", value: locale, url: new URL("/", page.url()).href }]);
}

async function openTraffic(page: Page) {
  await page.goto("/deployments");
  await page.getByText(`Canary and shadow of ${MODEL}`, { exact: true }).click();
  await expect(trafficPanel(page)).toBeVisible();
  return trafficPanel(page);
}

test("shadow, compare, approve, canary stopped by its guard (webhook received), label 20 with the keyboard, erase a subject", async ({ page, request, browser }) => {
  test.setTimeout(240_000);
  // The admin asks to be told when a canary is stopped.
  await page.goto("/admin/audit");
  await openAdminPage(page, "Webhooks");
  const secret = await addWebhook(page, HOOK, receiver.url, ["Canary stopped"]);
  await expect(page.getByRole("table", { name: "Webhooks" }).getByRole("row", { name: new RegExp(HOOK) })).toContainText("Canary stopped");

  // v1 in production (past the gate, as an admin may with a reason); v2 uploaded, not reviewed.
  await uploadFixtureModel(request, MODEL, "breast-cancer-rf-v1");
  await uploadFixtureModel(request, MODEL, "breast-cancer-rf-v2");
  await promoteWithOverride(page, MODEL, "1", "Production loop journey: the production it runs beside");
  const score = rowScorer(request, MODEL);

  // The shadow: v2 has no approved review, which a shadow does not need (its answers are never returned); a canary does.
  let panel = await openTraffic(page);
  await expect(panel.getByTestId("traffic-state")).toContainText("No canary. No shadow.");
  const canaryForm = panel.getByRole("form", { name: "Canary (approved versions only)" });
  await canaryForm.getByLabel("Canary version").selectOption("2");
  await canaryForm.getByRole("button", { name: "Start canary" }).click();
  await expect(panel.getByRole("alert")).toContainText("no approved acceptance review");
  // A French reader gets the same refusal in French: the server sends its code and values beside the English message.
  await setLocale(page, "fr");
  await page.goto("/deployments");
  await page.getByText(`Canari et ombre de ${MODEL}`, { exact: true }).click();
  const frenchTraffic = page.getByRole("region", { name: `Canari et ombre de ${MODEL}` });
  const frenchCanary = frenchTraffic.getByRole("form", { name: "Canari (versions approuvées uniquement)" });
  await frenchCanary.getByLabel("Version du canari").selectOption("2");
  await frenchCanary.getByRole("button", { name: "Lancer le canari" }).click();
  await expect(frenchTraffic.getByRole("alert")).toContainText(`La version 2 de «\u00a0${MODEL}\u00a0» n’a aucune revue d’acceptation approuvée`);
  // The rest of the page is French too: the table's headers, production's rollback and the promote form.
  await expect(page.getByRole("table", { name: "Déploiements" }).getByRole("columnheader", { name: "Santé" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Mettre en production" })).toBeVisible();
  // Times in French words and dates: production's "since" is relative ("il y a 12 secondes") over a French UTC date.
  const frenchDeployments = page.getByRole("table", { name: "Déploiements" });
  await expect(frenchDeployments).toContainText(/il y a \d+ (secondes?|minutes?)|maintenant/);
  await expect(frenchDeployments).toContainText(/\d{1,2} (janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)\.? \d{4}, \d{2}:\d{2}:\d{2} UTC/);
  await expect(frenchDeployments).not.toContainText(/ ago\b/);
  await setLocale(page, "en");
  panel = await openTraffic(page);
  const shadowForm = panel.getByRole("form", { name: "Shadow (any version)" });
  await shadowForm.getByLabel("Shadow version").selectOption("2");
  await shadowForm.getByRole("button", { name: "Start shadow" }).click();
  await expect(panel.getByTestId("traffic-state")).toContainText("Shadow: v2 gets a copy of every request.");
  const comparison = panel.getByRole("table", { name: `Live comparison of ${MODEL}` });
  await expectNoSeriousViolations(page);

  // Production traffic, answered by v1 and copied to the shadow; the comparison fills as it arrives (it refreshes
  // by itself): first the first ten requests, then all thirty.
  const requestsRow = comparison.getByRole("row").filter({ hasText: "Requests" });
  for (let i = 0; i < 30; i++) {
    const response = await score(i);
    expect(response.status(), await response.text()).toBe(200);
    expect(response.headers()["x-model-version"]).toBe("1");
    expect(response.headers()["x-model-route"]).toBe("production");
    expect(response.headers()["x-shadow"]).toBe("2");
    if (i === 9) await expect(requestsRow).toContainText(/10\s*10/, { timeout: 20_000 });
  }
  await expect(requestsRow).toContainText(/30\s*30/, { timeout: 20_000 });
  await expect(comparison).toContainText("shadow v2");
  await expect(panel.getByTestId("agreement")).toContainText("of 30 rows answered by both");

  // alice asks for a review of v2; bob approves it.
  const alice = await signedInAs(browser, "alice");
  await requestReview(alice, MODEL, "2", { threshold: "0.9", goal: "Canary of the retrained forest." });
  const bob = await signedInAs(browser, "bob");
  await approveReview(bob, alice.url(), "Accepted for a 10% canary under guard rules.");
  await alice.context().close();
  await bob.context().close();

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
  await expect(async () => {
    // Serving follows the new canary within a second.
    expect((await score(0, { "x-caller-key": "probe-0" })).headers()["x-model-route"]).toBeDefined();
  }).toPass();
  let canaryFailures = 0;
  let productionAnswers = 0;
  for (let i = 0; i < 150; i++) {
    const response = await score(i, { "x-caller-key": `customer-${i}`, "x-test-fail-version": "2" });
    if (response.status() === 500) canaryFailures++;
    else if (response.headers()["x-model-route"] === "production") productionAnswers++;
  }
  expect(canaryFailures).toBeGreaterThan(4);
  expect(productionAnswers).toBeGreaterThan(100);

  // The guard check stops it, as the studio itself: the one asked for here, or the minute's background check if it
  // came first. The reason is on the page and every caller is back on production.
  await expect(async () => {
    await panel.getByRole("button", { name: "Check guards now" }).click();
    await expect(panel.getByTestId("traffic-state")).toContainText("Canary: v2, stopped (0%).", { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(panel.getByTestId("traffic-state")).toContainText("at or above the 20% limit");
  await expectNoSeriousViolations(page);
  await expect(async () => {
    for (let i = 0; i < 20; i++) expect((await score(i, { "x-caller-key": `customer-${i}`, "x-test-fail-version": "2" })).status()).toBe(200);
  }).toPass({ timeout: 5_000 });
  const audit = await request.get(`/api/audit/export?action=deployment.canary.auto-stop`, { headers: { authorization: basicAuthorization() } });
  expect(await audit.text()).toContain("system");

  // The receiver hears of it: a signed canary.stopped event naming the model and the automatic stop.
  await expect.poll(() => receiver.received.filter((d) => d.body.includes(MODEL)).length, { timeout: 30_000 }).toBeGreaterThan(0);
  const delivery = receiver.received.find((d) => d.body.includes(MODEL))!;
  expect(receiver.signatureOf(secret, delivery)).toEqual({ ok: true });
  expect(receiver.signatureOf("whsec_not-the-secret-000000", delivery)).not.toEqual({ ok: true });
  expect(JSON.parse(delivery.body)).toMatchObject({ type: "canary.stopped", text: expect.stringContaining(`'${MODEL}' was stopped automatically`) });

  // In French, the guard's reason and the delivery log say it in French, numbers in French form (20 %); the payload
  // the receiver got stays English (above).
  await setLocale(page, "fr");
  await page.goto("/deployments");
  await page.getByText(`Canari et ombre de ${MODEL}`, { exact: true }).click();
  const frenchPanel = page.getByRole("region", { name: `Canari et ombre de ${MODEL}` });
  await expect(frenchPanel.getByTestId("traffic-state")).toContainText(
    /Dernière action des gardes\u00a0: Canari v2 arrêté\u00a0: canari v2\u00a0: \d+ requêtes sur \d+ en échec \(\d+(,\d)?\s%\), à la limite de 20\s% ou au-delà/,
  );
  await expect(frenchPanel.getByTestId("traffic-state")).not.toContainText("at or above");
  await page.goto("/admin/webhooks");
  await page.getByRole("table", { name: "Webhooks" }).getByRole("row", { name: new RegExp(HOOK) }).getByRole("button", { name: "Journal des envois" }).click();
  const frenchLog = page.getByRole("table", { name: `Envois de ${HOOK}` });
  await expect(frenchLog.getByTestId("delivery-row").first()).toContainText(`Le canari de la version 2 de «\u00a0${MODEL}\u00a0» a été arrêté automatiquement\u00a0: canari v2\u00a0:`, { timeout: 20_000 });
  await expect(frenchLog.getByTestId("delivery-row").first()).toContainText("remis");
  // A refused field is said beside it in French: a webhook with no event (zod's English message stays the API's).
  const frenchWebhookForm = page.getByRole("form", { name: "Nouveau webhook" });
  await frenchWebhookForm.getByLabel("Nom").fill("hook without events");
  await frenchWebhookForm.getByLabel("URL (http ou https)").fill(receiver.url);
  for (const box of await frenchWebhookForm.getByRole("group", { name: "Événements" }).getByRole("checkbox").all()) await box.uncheck();
  await frenchWebhookForm.getByRole("button", { name: "Ajouter le webhook" }).click();
  await expect(page.locator("#webhook-events-error")).toHaveText("Choisissez-en au moins un.");
  await setLocale(page, "en");

  // Labelling: the model has no ground truth yet; its queue is filled with the least confident production answers.
  await page.goto(`/models/${MODEL}/monitoring`);
  await expect(page.getByRole("heading", { name: "Live metric" })).toBeVisible();
  await expect(page.getByRole("region", { name: /^Live accuracy/ })).toHaveCount(0);
  await page.getByRole("link", { name: "labelling queue" }).click();
  await fillLowConfidenceQueue(page, 25);
  await expect(page.getByText(/^Added 25 items/)).toBeVisible();

  // A labeller (a new account) labels twenty items, keys only: every fourth says benign (0), the rest malignant (1).
  const lab = await newLabeller(page, browser, `loop${Date.now() % 100000}`);
  await lab.getByRole("row", { name: new RegExp(MODEL) }).getByRole("link", { name: MODEL }).click();
  await expect(lab.getByRole("heading", { level: 1, name: `Label ${MODEL}` })).toBeVisible();
  // The heading is drawn before the first item arrives; a key pressed then has nothing to label and is ignored, so the
  // keys start once the item and its buttons are there.
  await expect(lab.getByText(/^0 answered by you/)).toBeVisible();
  await expect(lab.getByRole("group", { name: "Label" }).getByRole("button").first()).toBeEnabled();
  for (let n = 0; n < 20; n++) {
    await lab.keyboard.press(n % 4 === 0 ? "1" : "2");
    await expect(lab.getByText(new RegExp(`^${n + 1} answered by you`))).toBeVisible();
  }
  await expect(lab.getByText("5 items wait")).toBeVisible();
  // The labeller may change the studio's language like anyone else (and still open nothing but labelling).
  await lab.getByTestId("language-picker").selectOption("fr");
  await expect(lab.getByRole("navigation", { name: "Studio" }).getByRole("link")).toHaveText(["Annotation"]);
  await lab.context().close();

  // The live metric now stands on the twenty labels.
  await page.goto(`/models/${MODEL}/monitoring`);
  const live = page.getByRole("region", { name: /^Live accuracy/ });
  await expect(live).toBeVisible();
  await live.getByText(/as a table/).click();
  await expect(live.getByRole("table")).toBeVisible();
  // A live accuracy threshold above what the labels show flags the model; a French reader reads the reason in French.
  const settings = page.getByRole("form", { name: "Monitoring settings" });
  await settings.getByLabel("Live accuracy threshold").fill("0.99");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("alert", { name: "This model is flagged" })).toContainText(/Live accuracy is [\d.]+ on \d+ rows with feedback, below the 0.99 threshold\./);
  await setLocale(page, "fr");
  await page.reload();
  await expect(page.getByRole("alert", { name: "Ce modèle est signalé" })).toContainText(/En direct, l’exactitude vaut [\d,]+ sur \d+ lignes avec retour, sous le seuil de 0,99\./);
  // The whole monitoring page, not only its flag: headings, charts and settings.
  await expect(page.getByRole("heading", { level: 1, name: "Surveillance" })).toBeVisible();
  await expect(page.getByRole("region", { name: /^Exactitude (et F1 )?en production/ })).toBeVisible();
  // Chart values with a decimal comma: the live metric's threshold line is said "seuil 0,99".
  await expect(page.getByRole("region", { name: /^Exactitude (et F1 )?en production/ })).toContainText("seuil 0,99");
  await expect(page.getByRole("form", { name: "Réglages de surveillance" }).getByLabel("Seuil d'exactitude en production")).toHaveValue("0.99");
  await setLocale(page, "en");
  await page.reload();

  // One data subject: a request with a telling first feature (x0, the forest's unnamed first column), answered by
  // production and copied to the shadow. The admin finds both log entries, then erases them; the counts are shown.
  const served = await score(0, {}, { mean_radius: 31.125 });
  expect(served.status(), await served.text()).toBe(200);
  await openAdminPage(page, "Data subject erasure");
  await expect(page.getByRole("heading", { name: "Erase a data subject" })).toBeVisible();
  const find = page.getByRole("form", { name: "Find a data subject" });
  await find.getByLabel("Key column (feature)").fill("x0");
  await find.getByLabel("Key value").fill("31.125");
  // The log is written off the request path (the shadow's copy a little later): search again until both are there.
  await expect(async () => {
    await find.getByRole("button", { name: "Find (dry run)" }).click();
    await expect(page.getByTestId("erasure-plan")).toContainText("Would erase: 2 inference-log entries whole", { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole("heading", { name: "Dataset versions holding the key" })).toBeVisible();
  await expectNoSeriousViolations(page);
  await expect(page.getByRole("button", { name: "Erase", exact: true })).toBeDisabled();
  await page.getByLabel("I understand the erasure cannot be undone").check();
  await page.getByRole("button", { name: "Erase", exact: true }).click();
  await expect(page.getByTestId("erasure-result")).toContainText("Erased: 2 inference-log entries whole");
  await expect(page.getByTestId("erasure-result")).toContainText("rows of inference_feedback");
  await find.getByRole("button", { name: "Find (dry run)" }).click();
  await expect(page.getByText("Nothing of this subject is stored")).toBeVisible();
  // The erasure page in French, counts included.
  await setLocale(page, "fr");
  await page.reload();
  await expect(page.getByRole("heading", { name: "Effacer une personne concernée" })).toBeVisible();
  const frenchFind = page.getByRole("form", { name: "Trouver une personne concernée" });
  await frenchFind.getByLabel("Colonne de la clé (variable)").fill("x0");
  await frenchFind.getByLabel("Valeur de la clé").fill("31.125");
  await frenchFind.getByRole("button", { name: "Chercher (essai à blanc)" }).click();
  await expect(page.getByTestId("erasure-plan")).toContainText("Serait effacé\u00a0: 0 entrée du journal d’inférence en entier");
  await expect(page.getByText("Rien de cette personne n’est stocké")).toBeVisible();
  await setLocale(page, "en");

  // Tidy up: the shadow is stopped (answers are no longer copied) and the webhook switched off, since its receiver
  // ends with this test.
  panel = await openTraffic(page);
  await shadowForm.getByRole("button", { name: "Stop shadow" }).click();
  await expect(panel.getByTestId("traffic-state")).not.toContainText("Shadow: v2");
  await expect(async () => {
    const response = await score(0);
    expect(response.status()).toBe(200);
    expect(response.headers()["x-shadow"]).toBeUndefined();
  }).toPass({ timeout: 5_000 });
  await openAdminPage(page, "Webhooks");
  // The box follows the saved state: it clears once the change is stored.
  await page.getByLabel(`Enabled: ${HOOK}`).click();
  await expect(page.getByLabel(`Enabled: ${HOOK}`)).not.toBeChecked();
});
