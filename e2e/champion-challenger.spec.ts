// Journey: on a model's page, compare the champion and the challenger on a labelled CSV scored by the server: agreement,
// each one's metrics, the rows they disagree on, and a results download that keeps the label; a messy file works too.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import Papa from "papaparse";
import { expectNoSeriousViolations } from "./axe";

test("compare the champion and challenger of the demo model on the test CSV and download the results", async ({ page }) => {
  await page.goto("/models/breast-cancer-rf");
  const section = page.getByRole("region", { name: "Champion vs challenger on a CSV" });
  await expect(section.getByLabel("Champion")).toHaveValue("1");
  await expect(section.getByLabel("Challenger")).toHaveValue("2");

  // Not a CSV: said at once.
  await section.getByLabel("Labelled CSV file").setInputFiles({ name: "model.onnx", mimeType: "application/octet-stream", buffer: readFileSync("fixtures/models/iris-logreg.onnx") });
  await expect(section.getByRole("alert")).toContainText("model.onnx is not a CSV file");

  await section.getByLabel("Labelled CSV file").setInputFiles("fixtures/datasets/breast_cancer.test.csv");
  await expect(section.getByLabel("Label column")).toHaveValue("malignant");
  await section.getByRole("button", { name: "Compare versions" }).click();
  const result = section.getByRole("region", { name: "Comparison result" });
  await expect(result.getByRole("status")).toContainText(/Agreement \d+\.\d%: \d+ of 143 rows/);
  const metrics = result.getByRole("table", { name: "Metrics of both versions" });
  await expect(metrics.getByRole("row", { name: /Accuracy/ })).toContainText("0.9720");
  await expect(metrics.getByRole("row", { name: /Macro F1/ })).toBeVisible();
  await expect(result.getByRole("heading", { name: /Disagreements/ })).toBeVisible();
  await expectNoSeriousViolations(page);

  const downloadPromise = page.waitForEvent("download");
  await result.getByRole("button", { name: "Download results CSV" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe("breast-cancer-rf-v1-vs-v2-breast_cancer.test.csv");
  const text = readFileSync((await download.path())!, "utf8");
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(parsed.meta.fields!.slice(-4)).toEqual(["malignant", "v1_prediction", "v2_prediction", "agree"]);
  expect(parsed.data).toHaveLength(143);
  const original = Papa.parse<Record<string, string>>(readFileSync("fixtures/datasets/breast_cancer.test.csv", "utf8"), { header: true, skipEmptyLines: true }).data;
  expect(parsed.data.map((row) => row.malignant)).toEqual(original.map((row) => row.malignant));
});

test("a messy CSV (columns reordered, a missing label, a missing value, true/false labels) is compared and the left-out rows are said", async ({ page }) => {
  const rows = Papa.parse<Record<string, string>>(readFileSync("fixtures/datasets/breast_cancer.test.csv", "utf8"), { header: true, skipEmptyLines: true });
  const fields = ["malignant", ...rows.meta.fields!.filter((field) => field !== "malignant").reverse()];
  const data = rows.data.map((row, i) => fields.map((field) => (field === "malignant" ? (i === 0 ? "" : row.malignant === "1" ? "true" : "false") : i === 1 && field === "mean_radius" ? "" : row[field])));
  await page.goto("/models/breast-cancer-rf");
  const section = page.getByRole("region", { name: "Champion vs challenger on a CSV" });
  await section.getByLabel("Labelled CSV file").setInputFiles({ name: "messy.csv", mimeType: "text/csv", buffer: Buffer.from(Papa.unparse({ fields, data })) });
  await expect(section.getByLabel("Label column")).toHaveValue("malignant");
  await section.getByRole("button", { name: "Compare versions" }).click();
  const result = section.getByRole("region", { name: "Comparison result" });
  await expect(result.getByRole("status")).toContainText(/of 14[12] rows/);
  await expect(result).toContainText("Rows with no label were left out of the comparison: 1 of 143.");
  await expect(result.getByRole("table", { name: "Metrics of both versions" }).getByRole("row", { name: /Accuracy/ })).toBeVisible();
});

test("the playground's batch results keep the file's label column beside the prediction", async ({ page }) => {
  await page.goto("/models/breast-cancer-rf/versions/1/playground");
  await page.getByLabel("CSV file (drop it here or choose it)").setInputFiles("fixtures/datasets/breast_cancer.test.csv");
  await page.getByRole("button", { name: "Score file" }).click();
  await expect(page.getByRole("status").filter({ hasText: "rows scored" })).toHaveText(/143 of 143 rows scored \(100%\)/, { timeout: 60_000 });
  await expect(page.getByText(/kept in the results as written: malignant/)).toBeVisible();
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download CSV" }).click();
  const scored = Papa.parse<Record<string, string>>(readFileSync((await (await downloadPromise).path())!, "utf8"), { header: true, skipEmptyLines: true });
  expect(scored.meta.fields).toContain("malignant");
  expect(scored.meta.fields).toContain("predicted_label");
  const original = Papa.parse<Record<string, string>>(readFileSync("fixtures/datasets/breast_cancer.test.csv", "utf8"), { header: true, skipEmptyLines: true }).data;
  expect(scored.data.map((row) => row.malignant)).toEqual(original.map((row) => row.malignant));
  // The forest is right on most rows: its predictions sit beside the truth they can be checked against.
  const right = scored.data.filter((row) => row.predicted_label === row.malignant).length;
  expect(right / scored.data.length).toBeGreaterThan(0.9);
});
