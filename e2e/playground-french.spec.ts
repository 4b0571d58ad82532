// Journey: a French reader (browser language fr) uses the playground. A Predict pressed before the page's scripts run
// is answered by the early script in French (its words come from the server-rendered page), the hydrated page keeps
// that answer, and its own answers and runtime facts are French too (the tools below the form are not translated yet);
// axe finds no serious accessibility problem.
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
  // The prediction and the runtime facts hold no English (the tools below them, batch scoring to response curve, are
  // not translated yet).
  await expect(prediction.getByText(/Latency|Predicted label|scored on/)).toHaveCount(0);
  await expect(runtime).not.toContainText(/Model loaded|Loading the model|Cross-origin isolated|Single rows/);
  await expectNoSeriousViolations(page);
  await context.close();
});
