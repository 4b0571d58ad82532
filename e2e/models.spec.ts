// Journey: browse the registry (champion and challenger with their graph and lineage), register a run's
// ONNX artifact as a new model version, set an alias, and derive a ZipMap-free version of a scikit-learn export.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { createExperiment, logRun, uploadArtifact } from "./mlflow-api";

test("read a model's versions, graph and lineage, register a run's ONNX file, set an alias", async ({ page, request }) => {
  await page.goto("/models");
  await page.getByRole("table", { name: "Models" }).getByRole("link", { name: "breast-cancer-rf", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: /breast-cancer-rf/ })).toBeVisible();
  const versions = page.getByRole("table", { name: "Model versions" });
  await expect(versions.getByRole("row")).toHaveCount(3);
  await expect(page.getByRole("list", { name: "Aliases" })).toContainText("champion");
  await expect(page.getByRole("list", { name: "Aliases" })).toContainText("challenger");
  await expectNoSeriousViolations(page);

  await versions.getByRole("link", { name: /^(Version )?1$/ }).first().click();
  await expect(page.getByRole("table", { name: "Operators" })).toContainText("TreeEnsembleClassifier");
  await expect(page.getByRole("table", { name: "Inputs and outputs" })).toContainText("probabilities");
  await expect(page.getByRole("list", { name: "Datasets used" })).toContainText("breast-cancer");
  await expect(page.getByRole("table", { name: "Metrics at registration" })).toContainText("val_accuracy");
  await expectNoSeriousViolations(page);

  // A run's ONNX artifact becomes a version of a new model, from the run page.
  const experimentId = await createExperiment(request, `Models journey ${Date.now()}`);
  const { runId, artifactUri } = await logRun(request, experimentId, { runName: "iris-run", params: { C: "1.0" }, metrics: { accuracy: [0.9, 0.95] } });
  await uploadArtifact(request, artifactUri, "model/model.onnx", readFileSync("fixtures/models/iris-logreg.onnx"));
  await page.goto(`/experiments/${experimentId}/runs/${runId}?artifact=model/model.onnx`);
  await page.getByRole("button", { name: "Register model" }).click();
  const modelName = `iris-from-run-${Date.now()}`;
  await page.getByLabel("Model name").fill(modelName);
  await page.getByRole("button", { name: "Register version" }).click();
  await page.getByRole("link", { name: /version 1/i }).first().click();
  await expect(page).toHaveURL(new RegExp(`/models/${modelName}/versions/1`));
  await expect(page.getByRole("table", { name: "Operators" })).toContainText("LinearClassifier");
  await expect(page.getByRole("table", { name: "Metrics at registration" })).toContainText("0.95");

  // Alias it from the model page.
  await page.goto(`/models/${modelName}`);
  const aliasForm = page.getByRole("form", { name: "Set an alias" });
  await aliasForm.getByLabel("Alias").fill("challenger");
  await aliasForm.getByRole("button", { name: "Set alias" }).click();
  await expect(page.getByRole("list", { name: "Aliases" })).toContainText("challenger");
  await page.reload();
  await expect(page.getByRole("list", { name: "Aliases" })).toContainText("challenger");
});

test("a ZipMap model is flagged and a runnable version is derived from it", async ({ page }) => {
  await page.goto("/models/iris-logreg-zipmap/versions/1");
  await expect(page.getByText(/sequence|ZipMap/).first()).toBeVisible();
  await page.getByRole("button", { name: "Derive a version without ZipMap" }).click();
  const derived = page.getByRole("link", { name: /^version \d+$/ });
  await expect(derived).toBeVisible();
  await derived.click();
  await expect(page).toHaveURL(/\/models\/iris-logreg-zipmap\/versions\/\d+/);
  await expect(page.getByText("Derived from", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Derive a version without ZipMap" })).toHaveCount(0);
});
