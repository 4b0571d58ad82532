// Journey: browse the registry (champion and challenger with their graph and lineage), register a run's
// ONNX artifact as a new model version, set an alias, and derive a ZipMap-free version of a scikit-learn export;
// register a run's logged MLflow model (log_model) from the run page, with lineage to a from_pandas dataset, and delete versions.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { E2E_DEMO_PASSWORD } from "./credentials";
import { call, createExperiment, logRun, uploadArtifact } from "./mlflow-api";

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

test("register a run's logged model from the run page, see its lineage on both sides, and delete versions (refused while aliased)", async ({ page, request }) => {
  const experimentId = await createExperiment(request, `Logged models journey ${Date.now()}`);
  const { runId, artifactUri } = await logRun(request, experimentId, { runName: "sk-run", params: { n_estimators: "50" }, metrics: { f1: [0.81, 0.87] } });
  // What mlflow.sklearn.log_model leaves, and a DataFrame logged with mlflow.data.from_pandas(df, source=…, name="breast-cancer").
  await uploadArtifact(request, artifactUri, "model/MLmodel", "flavors:\n  sklearn: {}\n");
  await uploadArtifact(request, artifactUri, "model/model.pkl", "pickle bytes");
  const mlmodel = { artifact_path: "model", flavors: { sklearn: {}, python_function: {} }, utc_time_created: "2026-12-06 10:00:00.000000", run_id: runId };
  await call(request, "POST", "runs/log-model", { run_id: runId, model_json: JSON.stringify(mlmodel) });
  await call(request, "POST", "runs/log-inputs", {
    run_id: runId,
    datasets: [{ tags: [{ key: "mlflow.data.context", value: "training" }], dataset: { name: "breast-cancer", digest: "0a1b2c3d", source_type: "local", source: '{"uri": "/home/ds/breast_cancer.train.csv"}' } }],
  });

  await page.goto(`/experiments/${experimentId}/runs/${runId}`);
  const logged = page.getByRole("region", { name: "Logged models" });
  await expect(logged).toContainText("Flavours: python_function, sklearn");
  await expect(page.getByRole("region", { name: "Tags" })).not.toContainText("mlflow.log-model.history");
  const inputs = page.getByRole("region", { name: "Input datasets" });
  await expect(inputs.getByRole("link", { name: "breast-cancer v1" })).toBeVisible();
  await expect(inputs).toContainText("matched by name and source");
  await expectNoSeriousViolations(page);

  const modelName = `sk-from-run-${Date.now()}`;
  for (const expected of ["version 1", "version 2"]) {
    await logged.getByRole("button", { name: "Register model" }).click();
    await logged.getByLabel("Model name").fill(modelName);
    await logged.getByRole("button", { name: "Register version" }).click();
    await expect(logged.getByRole("status")).toContainText(`${modelName} ${expected}`);
    await logged.getByRole("button", { name: "Close" }).click();
  }
  await page.reload();
  await expect(logged).toContainText(`Registered as ${modelName} version 1, ${modelName} version 2`);

  // The version records the run's metrics and the dataset, saying how it matched; the dataset lists the version.
  await logged.getByRole("link", { name: `${modelName} version 1` }).click();
  await expect(page.getByRole("list", { name: "Datasets used" })).toContainText("matched by name and source");
  await expect(page.getByRole("table", { name: "Metrics at registration" })).toContainText("0.87");
  await page.goto("/datasets/breast-cancer");
  const trained = page.getByRole("list", { name: "Model versions trained on this dataset" });
  await expect(trained.getByRole("link", { name: `${modelName} version 1` })).toBeVisible();
  await expect(trained.getByRole("link", { name: "breast-cancer-rf version 1" })).toBeVisible();

  // Delete: asked first; refused while an alias points at the version; done for the other, back to the model page.
  await page.goto(`/models/${modelName}`);
  const aliasForm = page.getByRole("form", { name: "Set an alias" });
  await aliasForm.getByLabel("Alias").fill("champion");
  await aliasForm.getByRole("button", { name: "Set alias" }).click();
  await expect(page.getByRole("list", { name: "Aliases" })).toContainText("champion");
  await page.goto(`/models/${modelName}/versions/2`);
  await page.getByRole("button", { name: "Delete version" }).click();
  await expect(page.getByRole("alertdialog")).toContainText(`Delete version 2 of ${modelName}?`);
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "holds the alias 'champion'" })).toBeVisible();
  await page.goto(`/models/${modelName}/versions/1`);
  await page.getByRole("button", { name: "Delete version" }).click();
  await page.getByRole("button", { name: "Keep it" }).click();
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  await page.getByRole("button", { name: "Delete version" }).click();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page).toHaveURL(new RegExp(`/models/${modelName}$`));
  await expect(page.getByRole("table", { name: "Model versions" }).getByRole("row")).toHaveCount(2);
  expect((await page.goto(`/models/${modelName}/versions/1`))?.status()).toBe(404);
});

test("drop an ONNX file on the models page to register it; other files are refused with the reason; a viewer sees no drop zone", async ({ page, browser }) => {
  await page.goto("/models");
  const upload = page.getByRole("region", { name: "Upload an ONNX model" });
  const zone = upload.locator("label", { hasText: "Drop a .onnx file here, or click to choose one" });
  await expect(zone).toBeVisible();
  const dropFile = async (name: string, bytes: Buffer) => {
    const dataTransfer = await page.evaluateHandle(
      ({ name, data }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(data)], name));
        return transfer;
      },
      { name, data: [...bytes] },
    );
    await zone.dispatchEvent("dragover", { dataTransfer });
    await zone.dispatchEvent("drop", { dataTransfer });
  };

  // A CSV is refused before anything is sent, saying what to drop instead.
  await dropFile("iris.test.csv", readFileSync("fixtures/datasets/iris.test.csv"));
  await expect(upload.getByRole("alert")).toHaveText(/iris\.test\.csv is not an ONNX model \(\.csv file\): choose a \.onnx file/);

  // A real model dropped, named, registered; the link opens the new version with its graph.
  await dropFile("iris-logreg.onnx", readFileSync("fixtures/models/iris-logreg.onnx"));
  await expect(upload.getByRole("alert")).toHaveCount(0);
  await expect(zone).toContainText("Chosen: iris-logreg.onnx");
  const modelName = `iris-dropped-${Date.now()}`;
  await page.getByLabel("Model name").fill(modelName);
  await expectNoSeriousViolations(page);
  await page.getByRole("button", { name: "Register model" }).click();
  const registered = upload.getByRole("link", { name: `${modelName} version 1` });
  await expect(registered).toBeVisible();
  await expect(page.getByRole("table", { name: "Models" }).getByRole("link", { name: modelName, exact: true })).toBeVisible();

  // Click-to-choose, same name: a file that only looks like ONNX is refused by the server with its reason.
  await page.getByLabel(/Drop a \.onnx file here/).setInputFiles({ name: "broken.onnx", mimeType: "application/octet-stream", buffer: Buffer.from("this is not a protobuf") });
  await page.getByLabel("Model name").fill(modelName);
  await page.getByRole("button", { name: `Add as a version of ${modelName}` }).click();
  await expect(upload.getByRole("alert")).toContainText("broken.onnx was not registered:");

  await page.getByRole("table", { name: "Models" }).getByRole("link", { name: modelName, exact: true }).click();
  await page.getByRole("table", { name: "Model versions" }).getByRole("link", { name: /^(Version )?1$/ }).first().click();
  await expect(page).toHaveURL(new RegExp(`/models/${modelName}/versions/1$`));
  await expect(page.getByRole("table", { name: "Operators" })).toContainText("LinearClassifier");

  // victor (viewer) reads the list without a drop zone.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const viewer = await context.newPage();
  await viewer.goto("/sign-in");
  await viewer.getByLabel("Username").fill("victor");
  await viewer.getByLabel("Password").fill(E2E_DEMO_PASSWORD);
  await viewer.getByRole("button", { name: "Sign in" }).click();
  await expect(viewer).not.toHaveURL(/sign-in/);
  await viewer.goto("/models");
  await expect(viewer.getByRole("table", { name: "Models" }).getByRole("link", { name: modelName, exact: true })).toBeVisible();
  await expect(viewer.getByText("Upload an ONNX model")).toHaveCount(0);
  await expect(viewer.locator('input[type="file"]')).toHaveCount(0);
  await context.close();
});

test("an .onnx artifact previews as its graph on the run page, and the version page lists the graph's nodes", async ({ page, request }) => {
  const experimentId = await createExperiment(request, `Graph preview ${Date.now()}`);
  const { runId, artifactUri } = await logRun(request, experimentId, { runName: "digits-mlp", params: {}, metrics: { accuracy: [0.97] } });
  await uploadArtifact(request, artifactUri, "model/model.onnx", readFileSync("fixtures/models/digits-mlp.onnx"));
  await page.goto(`/experiments/${experimentId}/runs/${runId}?artifact=model/model.onnx`);
  const preview = page.getByRole("region", { name: "Preview of model/model.onnx" });
  await expect(preview.getByRole("table", { name: "Inputs and outputs" })).toContainText("tensor<float32>[?,64]");
  await expect(preview.getByRole("table", { name: "Operators" }).getByRole("row", { name: /MatMul/ })).toContainText("2");
  const nodes = preview.getByRole("table", { name: "Graph nodes" });
  await expect(nodes.getByRole("row").nth(1)).toContainText("Cast");
  await expect(nodes.getByRole("row").nth(2)).toContainText("coefficient");
  await expect(nodes.getByRole("row").nth(2)).toContainText("weight");
  await expectNoSeriousViolations(page);

  await page.goto("/models/breast-cancer-rf/versions/1");
  const versionNodes = page.getByRole("table", { name: "Graph nodes" });
  await expect(versionNodes).toContainText("TreeEnsembleClassifier");
  await expect(versionNodes).toContainText("model output");
  await expectNoSeriousViolations(page);
});
