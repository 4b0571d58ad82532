// Journey: a French reader (browser language fr) opens a run page and a comparison: the run page's sections and its
// inline rename form (Escape cancels, a refused name says why), and the compare page's headings, toolbar, summary,
// baseline and grouping speak French, as does the runs filter's refusal; axe finds no serious accessibility problem.
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { E2E_STORAGE_STATE } from "./credentials";
import { createExperiment, logRun } from "./mlflow-api";

test("the run page and the compare page in French", async ({ browser, request }) => {
  const experimentId = await createExperiment(request, `Lecteur français ${Date.now()}`);
  const first = await logRun(request, experimentId, { runName: "essai-a", params: { model: "cnn" }, metrics: { loss: [0.9, 0.5, 0.3] } });
  const second = await logRun(request, experimentId, { runName: "essai-b", params: { model: "vit" }, metrics: { loss: [0.8, 0.4, 0.2] } });
  const context = await browser.newContext({ storageState: E2E_STORAGE_STATE, locale: "fr-FR" });
  const page = await context.newPage();

  await page.goto(`/experiments/${experimentId}/runs/${first.runId}`);
  await expect(page).toHaveTitle(/Exécution/);
  await expect(page.getByRole("heading", { level: 2, name: "Paramètres" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Métriques (dernières valeurs)" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Notes" })).toContainText("Pas encore de notes.");

  // The inline rename form: Escape leaves the name as it was; an empty name is refused with the reason; then a rename.
  await page.getByRole("button", { name: "Renommer l’exécution" }).click();
  await page.getByLabel("Nouveau nom de l’exécution").fill("essai-a-bis");
  await page.keyboard.press("Escape");
  await expect(page.getByLabel("Nouveau nom de l’exécution")).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1, name: "essai-a" })).toBeVisible();
  await page.getByRole("button", { name: "Renommer l’exécution" }).click();
  await page.getByLabel("Nouveau nom de l’exécution").fill("   ");
  await page.getByRole("button", { name: "Enregistrer le nom" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "cannot be empty" })).toBeVisible();
  await expect(page.getByLabel("Nouveau nom de l’exécution")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Nouveau nom de l’exécution").fill("essai-a-bis");
  await page.getByRole("button", { name: "Enregistrer le nom" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "essai-a-bis" })).toBeVisible();
  await expectNoSeriousViolations(page);

  // The comparison: summary, baseline (in the table and the parallel coordinates) and grouping.
  await page.goto(`/experiments/${experimentId}/compare?runs=${first.runId},${second.runId}`);
  await expect(page.getByRole("heading", { level: 2, name: "Résumé" })).toBeVisible();
  await page.getByLabel("Exécution de référence").selectOption({ label: "essai-b" });
  await expect(page).toHaveURL(/base=/);
  await expect(page.getByTestId("compare-summary").locator("tbody tr").filter({ hasText: "référence" })).toHaveCount(1);
  await expect(page.getByTestId("parallel-baseline")).toContainText("Référence\u00a0: essai-b");
  await page.getByLabel("Regrouper les exécutions par").selectOption({ label: "paramètre\u00a0: model" });
  const lossChart = page.locator('[data-testid="compare-chart"][data-metric="loss"]');
  await lossChart.scrollIntoViewIfNeeded();
  await expect(lossChart.locator("figcaption")).toContainText("2 groupes de 2 exécutions par model");

  // The page's headings and its toolbar: axis, smoothing, scale, zoom range (a reversed range is refused in French).
  await expect(page.getByRole("heading", { level: 1, name: "Comparer 2 exécutions" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Nuage de points" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Coordonnées parallèles" })).toBeVisible();
  const toolbar = page.getByRole("region", { name: "Options des graphiques" });
  await expect(toolbar.getByLabel("Axe X (courbes)")).toHaveValue("step");
  await expect(toolbar.getByLabel("Axe X (courbes)").locator("option:checked")).toHaveText("Étape");
  await expect(toolbar.getByTestId("smoothing-value")).toHaveText("désactivé");
  await expect(toolbar.getByLabel("Échelle logarithmique (y)")).not.toBeChecked();
  await toolbar.getByLabel("De (étapes)").fill("2");
  await toolbar.getByLabel("À", { exact: true }).fill("1");
  await toolbar.getByRole("button", { name: "Zoomer", exact: true }).click();
  await expect(toolbar.getByRole("alert")).toHaveText("«\u00a0De\u00a0» doit être inférieur à «\u00a0À\u00a0».");
  await expect(page.getByRole("region", { name: "Exécutions dans les graphiques" }).getByRole("button", { name: "essai-b" })).toHaveAttribute("title", "Masquer cette exécution dans les graphiques");
  await expectNoSeriousViolations(page);

  // The runs filter's refusal, from the server, in French.
  await page.goto(`/experiments/${experimentId}?filter=${encodeURIComponent("metrics.loss ~ 1")}`);
  await expect(page.locator("#run-filter-error")).toHaveText(/^Comparateur «\u00a0~\u00a0» invalide à la position 13\u00a0: utilisez l’un de =, !=/);
  await context.close();
});
