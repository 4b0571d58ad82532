// Journey: a French reader (browser language fr) uses the playground. A Predict pressed before the page's scripts run
// is answered by the early script in French (its words come from the server-rendered page), the hydrated page keeps
// that answer, and its own answers and runtime facts are French too, and so are the tools below the form (batch scoring,
// champion/challenger, latency, response curve), the field hints and the JSON view's problems, the model-input
// problems of lib/model-inputs included; axe finds no serious accessibility problem.
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
  await file.setInputFiles({ name: "iris-bad.csv", mimeType: "text/csv", buffer: Buffer.from("x0,x1,x2,x3\n5.1,abc,1.4,0.2\n") });
  await page.getByRole("button", { name: "Calculer le fichier" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Ligne 1" })).toHaveText("Ligne 1, colonne «\u00a0x1\u00a0»\u00a0: «\u00a0abc\u00a0» n’est pas un nombre.");

  // Response curve: the chart and its table named in French.
  await page.getByRole("button", { name: "Tracer la courbe" }).click();
  await expect(page.getByRole("img", { name: /^Comment classe 0, classe 1, classe 2 varient avec x0$/ })).toBeVisible({ timeout: 30_000 });
  await page.getByText("La courbe en tableau").click();
  await expect(page.getByRole("table", { name: "Valeurs de la courbe de réponse" }).locator("tbody tr")).toHaveCount(50);
  await expect(page.locator("main")).not.toContainText(/Batch scoring|Score file|Champion vs challenger|Measure latency|Response curve|Draw curve|Feature to sweep|rows scored/);
  await expectNoSeriousViolations(page);
  await context.close();
});
