// Journey: try a registered model in the browser. onnxruntime-web (served by the studio) runs it in a worker of a
// cross-origin isolated page; a prediction equals onnxruntime-node's; a 1,000-row CSV is scored with progress to
// 100% and downloaded; champion and challenger answer the same inputs side by side.
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";

const irisRows = readFileSync("fixtures/datasets/iris.test.csv", "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split(",").slice(0, 4).map(Number));

async function nodeLabels(rows: number[][]): Promise<number[]> {
  const session = await ort.InferenceSession.create("fixtures/models/iris-logreg.onnx");
  const out = await session.run({ input: new ort.Tensor("float32", Float32Array.from(rows.flat()), [rows.length, 4]) });
  return Array.from(out.label.data as BigInt64Array, Number);
}

test("predict one row and score a 1,000-row CSV in the browser, as onnxruntime-node does", async ({ page }) => {
  await page.goto("/models/iris-logreg/versions/1/playground");
  const runtime = page.getByLabel("Runtime");
  await expect(runtime).toContainText(/Model loaded in \d+ ms/, { timeout: 30_000 });
  await expect(runtime).toContainText("Cross-origin isolated: yes");

  const row = irisRows[20]!;
  for (const [i, value] of row.entries()) await page.getByLabel(`x${i}`, { exact: true }).fill(String(value));
  await page.getByRole("button", { name: "Predict" }).click();
  const [expected] = await nodeLabels([row]);
  await expect(page.getByRole("region", { name: "Prediction" }).getByTestId("predicted-label")).toHaveText(String(expected));
  await expectNoSeriousViolations(page);

  const rows = Array.from({ length: 1000 }, (_, i) => irisRows[i % irisRows.length]!);
  const csv = ["x0,x1,x2,x3", ...rows.map((r) => r.join(","))].join("\n");
  await page.getByLabel("CSV file (drop it here or choose it)").setInputFiles({ name: "iris-1000.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Score file" }).click();
  await expect(page.getByRole("status").filter({ hasText: "rows scored" })).toHaveText(/1,000 of 1,000 rows scored \(100%\)/, { timeout: 30_000 });
  await expect(page.getByRole("table", { name: "Scored rows (preview)" })).toBeVisible();

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: /Download/ }).click();
  const scored = readFileSync(await (await downloadPromise).path(), "utf8").trim().split(/\r?\n/);
  expect(scored).toHaveLength(1001);
  const header = scored[0]!.split(",");
  const labelColumn = header.findIndex((h) => /label/i.test(h));
  const labels = scored.slice(1).map((line) => Number(line.split(",")[labelColumn]));
  expect(labels).toEqual(await nodeLabels(rows));
});

test("champion and challenger answer the same inputs side by side", async ({ page }) => {
  await page.goto("/models/breast-cancer-rf/versions/1/playground");
  await expect(page.getByLabel("Runtime")).toContainText(/Model loaded in \d+ ms/, { timeout: 30_000 });
  await page.getByLabel("Compare with").selectOption("2");
  await page.getByRole("button", { name: "Compare", exact: true }).click();
  const comparison = page.getByRole("region", { name: "Comparison" });
  await expect(comparison).toBeVisible({ timeout: 20_000 });
  await expect(comparison.getByRole("table", { name: "Probability differences" })).toBeVisible();
});
