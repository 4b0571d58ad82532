// Journey: a French reader (browser language fr) uses the playground. A Predict pressed before the page's scripts run
// is answered by the early script in French (its words come from the server-rendered page), the hydrated page keeps
// that answer, and its own answers and runtime facts are French too, and so are the tools below the form (batch scoring,
// champion/challenger, latency, response curve), the field hints and the JSON view's problems, the model-input
// problems of lib/model-inputs included; axe finds no serious accessibility problem.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { E2E_STORAGE_STATE } from "./credentials";
import { holdAppScripts } from "./hold-app-scripts";

test("the playground in French, before and after hydration", async ({ browser }) => {
  const context = await browser.newContext({ storageState: E2E_STORAGE_STATE, locale: "fr-FR" });
  const page = await context.newPage();
  const releaseScripts = await holdAppScripts(page);
  await page.goto("/models/iris-logreg/versions/1/playground", { waitUntil: "commit" });
  await expect(page).toHaveTitle(/^Bac à sable\u00a0: iris-logreg v1/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bac à sable\u00a0: iris-logreg version 1");
  for (const [i, value] of [5.1, 3.5, 1.4, 0.2].entries()) await page.getByLabel(`x${i}`, { exact: true }).fill(String(value));
  const prediction = page.getByRole("region", { name: "Prédiction" });
  await expect(prediction).toContainText("Remplissez les entrées et appuyez sur Prédire.");
  await page.getByRole("button", { name: "Prédire" }).click();

  // The early script's answer, in the page's words: no English of its own.
  const latency = prediction.getByTestId("latency");
  await expect(latency).toHaveAttribute("data-scored-by", "server-early");
  await expect(latency).toHaveText(/^Latence\u00a0: \d+,\d\d ms dans ONNX Runtime, \d+,\d\d ms en tout \(calculée sur le serveur par onnxruntime-node\u00a0: on a appuyé sur Prédire/);
  await expect(prediction.getByText(/^Étiquette prédite\u00a0:/)).toBeVisible();
  await expect(prediction.getByTestId("predicted-label")).toHaveText(/\S/);
  const label = await prediction.getByTestId("predicted-label").textContent();

  // Hydrated: the same answer, adopted and said in the same words; the runtime facts in French.
  releaseScripts();
  const runtime = page.getByLabel("Moteur d’exécution");
  await expect(runtime).toContainText(/Modèle chargé en \d[\d\u202f]* ms/, { timeout: 30_000 });
  await expect(runtime).toContainText("Isolation cross-origin\u00a0: oui");
  await expect(latency).toHaveCount(1);
  await expect(latency).toHaveAttribute("data-scored-by", "server-early");
  await expect(latency).toContainText("on a appuyé sur Prédire avant que les scripts de cette page ne s’exécutent");
  await expect(prediction.getByTestId("predicted-label")).toHaveText(label!);
  await page.getByRole("button", { name: "Prédire" }).click();
  await expect(latency).toHaveText(/^Latence\u00a0: \d+,\d\d ms dans ONNX Runtime, \d+,\d\d ms en tout \(calculée sur cette page\)$/);
  await expect(prediction.getByTestId("predicted-label")).toHaveText(label!);
  // The prediction and the runtime facts hold no English.
  await expect(prediction.getByText(/Latency|Predicted label|scored on/)).toHaveCount(0);
  await expect(runtime).not.toContainText(/Model loaded|Loading the model|Cross-origin isolated|Single rows/);

  // An emptied number box: the JSON view's problem, said in French.
  await page.getByLabel("x1", { exact: true }).fill("");
  await expect(page.getByRole("alert", { name: "Problèmes dans le JSON" })).toHaveText("«\u00a0x1\u00a0» doit être un nombre.");
  await expect(page.getByText("Corrigez d’abord les entrées (voir les problèmes sous le JSON).")).toBeVisible();
  await page.getByLabel("x1", { exact: true }).fill("3.5");
  await expect(page.getByRole("alert", { name: "Problèmes dans le JSON" })).toHaveCount(0);

  // Batch scoring: a CSV scored in the worker, then a file with a cell that is not a number (lib/model-inputs' problem).
  for (const title of ["Calcul par lot", "Champion contre challenger", "Latence dans ce navigateur", "Courbe de réponse"]) {
    await expect(page.getByRole("heading", { level: 2, name: title })).toBeVisible();
  }
  await expect(page.getByRole("button", { name: "Mesurer la latence" })).toBeEnabled();
  const file = page.getByLabel("Fichier CSV (déposez-le ici ou choisissez-le)");
  await file.setInputFiles({ name: "iris-3.csv", mimeType: "text/csv", buffer: Buffer.from("x0,x1,x2,x3\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n5.9,3.0,4.2,1.5\n") });
  await page.getByRole("button", { name: "Calculer le fichier" }).click();
  await expect(page.getByRole("status").filter({ hasText: "lignes calculées" })).toHaveText(/^3 lignes calculées sur 3 \(100\s%\)$/, { timeout: 30_000 });
  await expect(page.getByRole("table", { name: "Lignes calculées (aperçu)" })).toBeVisible();
  await expect(page.getByText(/^3 lignes en \d+,\d ms \(\d+,\d µs par ligne/)).toBeVisible();
  // Its number cells in French (5.1 written to 5 digits), the downloaded CSV machine-readable (dot decimals).
  const preview = page.getByRole("table", { name: "Lignes calculées (aperçu)" });
  await expect(preview.locator("tbody")).toContainText("5,1000");
  await expect(preview.locator("tbody")).not.toContainText(/\d\.\d/);
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: "Télécharger le CSV" }).click();
  const scored = readFileSync(await (await downloadPromise).path(), "utf8").trim().split(/\r?\n/);
  expect(scored[1]!.startsWith("5.1,3.5,1.4,0.2,")).toBe(true);
  expect(scored.slice(1).flatMap((line) => line.split(",")).filter((cell) => Number.isNaN(Number(cell)))).toEqual([]);
  await file.setInputFiles({ name: "iris-bad.csv", mimeType: "text/csv", buffer: Buffer.from("x0,x1,x2,x3\n5.1,abc,1.4,0.2\n") });
  await page.getByRole("button", { name: "Calculer le fichier" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Ligne 1" })).toHaveText("Ligne 1, colonne «\u00a0x1\u00a0»\u00a0: «\u00a0abc\u00a0» n’est pas un nombre.");

  // Response curve: the chart and its table named in French.
  await page.getByRole("button", { name: "Tracer la courbe" }).click();
  await expect(page.getByRole("img", { name: /^Comment classe 0, classe 1, classe 2 varient avec x0$/ })).toBeVisible({ timeout: 30_000 });
  await page.getByText("La courbe en tableau").click();
  const curve = page.getByRole("table", { name: "Valeurs de la courbe de réponse" });
  await expect(curve.locator("tbody tr")).toHaveCount(50);
  await expect(curve.locator("tbody tr").first().locator("td").first()).toHaveText(/^-?\d+,\d+$/);
  await expect(curve.locator("tbody")).not.toContainText(/\d\.\d/);

  // Latency check: its table's milliseconds with a decimal comma.
  await page.getByRole("button", { name: "Mesurer la latence" }).click();
  const latencyTable = page.getByRole("table", { name: "Latence" });
  await expect(latencyTable).toBeVisible({ timeout: 60_000 });
  await expect(latencyTable.getByTestId("single-p50")).toHaveText(/^\d+,\d{3}$/);
  await expect(latencyTable.getByTestId("batch-ms")).toHaveText(/^\d+,\d$/);
  // The warm-up's line in French, its seconds with a decimal comma.
  await expect(page.getByTestId("warm-up")).toHaveText(/^Échauffement\u00a0: [\d\s\u202f]+ exécutions en \d+,\d s/);
  await expect(page.locator("main")).not.toContainText(/Batch scoring|Score file|Champion vs challenger|Measure latency|Response curve|Draw curve|Feature to sweep|rows scored/);
  await expectNoSeriousViolations(page);
  await context.close();
});

test("champion and challenger in French: probabilities and the largest change with a decimal comma", async ({ browser }) => {
  const context = await browser.newContext({ storageState: E2E_STORAGE_STATE, locale: "fr-FR" });
  const page = await context.newPage();
  await page.goto("/models/breast-cancer-rf/versions/1/playground");
  await expect(page.getByLabel("Moteur d’exécution")).toContainText(/Modèle chargé en \d[\d\u202f]* ms/, { timeout: 30_000 });
  await page.getByLabel("Comparer avec").selectOption("2");
  await page.getByRole("button", { name: "Comparer", exact: true }).click();
  const comparison = page.getByRole("region", { name: "Comparaison" });
  await expect(comparison).toBeVisible({ timeout: 20_000 });
  const table = comparison.getByRole("table", { name: "Différences de probabilité" });
  await expect(table.locator("tbody tr").first().locator("td").nth(1)).toHaveText(/^\d+,\d\u00a0%$/);
  await expect(comparison.getByText(/Plus grand écart\u00a0: -?\d,\d+(E-?\d+)?\./)).toBeVisible();
  await context.close();
});

test("a model file the studio will not send: the playground says why in French", async ({ browser }) => {
  const context = await browser.newContext({ storageState: E2E_STORAGE_STATE, locale: "fr-FR" });
  const page = await context.newPage();
  // The page asks for version 1's file; the studio is asked for version 99's, which does not exist: its real 404.
  await page.route(/\/api\/models\/iris-logreg\/versions\/1\/model\.onnx/, (route) => route.continue({ url: route.request().url().replace("/versions/1/model.onnx", "/versions/99/model.onnx") }));
  await page.goto("/models/iris-logreg/versions/1/playground");
  await expect(page.getByRole("alert").filter({ hasText: "Le modèle n’a pas pu être chargé" })).toContainText(
    "Le fichier du modèle n’a pas pu être récupéré (HTTP 404)\u00a0: La version 99 du modèle «\u00a0iris-logreg\u00a0» n'existe pas.",
    { timeout: 30_000 },
  );
  await context.close();
});

test("serving's refusals in the caller's language through the studio's own routes", async ({ playwright, baseURL }) => {
  // No session cookie: the signed-in state the project's journeys start with is not wanted here.
  const api = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const refused = (headers: Record<string, string>) => api.post("/api/serve/iris-logreg/invocations", { headers: { "content-type": "application/json", ...headers }, data: { inputs: [[5.1, 3.5, 1.4, 0.2]] } });
  const french = await refused({ "accept-language": "fr-FR,fr;q=0.9" });
  expect({ status: french.status(), language: french.headers()["content-language"], body: await french.json() }).toEqual({
    status: 401,
    language: "fr",
    body: {
      error_code: "UNAUTHENTICATED",
      message: "Authentification requise\u00a0: envoyez «\u00a0Authorization: Bearer <jeton>\u00a0» avec un jeton d’API (portée «\u00a0serve\u00a0» ou «\u00a0all\u00a0») de la page Jetons du studio.",
    },
  });
  const english = await refused({});
  expect(english.status()).toBe(401);
  expect(await english.text()).toBe(
    JSON.stringify({ error_code: "UNAUTHENTICATED", message: "Authentication required: send 'Authorization: Bearer <token>' with an API token (scope 'serve' or 'all') from the studio's Tokens page." }),
  );
  await api.dispose();

  // A signed-in browser's cookie on a write without its Origin: the cross-site refusal, said in French too.
  const signedIn = await playwright.request.newContext({ baseURL, storageState: E2E_STORAGE_STATE });
  const crossSite = await signedIn.post("/api/serve/iris-logreg/invocations", { headers: { "accept-language": "fr" }, data: { inputs: [[5.1, 3.5, 1.4, 0.2]] } });
  expect({ status: crossSite.status(), language: crossSite.headers()["content-language"], body: await crossSite.json() }).toEqual({
    status: 403,
    language: "fr",
    body: { error_code: "PERMISSION_DENIED", message: "Requête intersite refusée\u00a0: cette modification doit être faite depuis les pages du studio lui-même." },
  });
  await signedIn.dispose();
});
