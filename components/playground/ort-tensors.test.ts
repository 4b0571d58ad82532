// onnxruntime-web (wasm backend, run here in Node) on fixture models with feeds from lib/model-inputs, against scikit-learn's expected outputs.
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-web";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { feedsFromRows, planModelInputs, rowFromCsvRecord } from "@/lib/model-inputs";
import { introspectOnnx } from "@/server/registry/onnx-introspection";
import { fromOrtOutputs, toOrtFeeds } from "@/lib/ort-plain-tensors";
import { readPredictions } from "./prediction-format";

interface Expected {
  rows: number;
  label: number[];
  probabilities: number[][];
}

async function scoreFixture(model: string, testCsv: string) {
  const bytes = readFileSync(`fixtures/models/${model}.onnx`);
  const sidecar = JSON.parse(readFileSync(`fixtures/models/${model}.model.json`, "utf8")) as { feature_columns: string[] };
  const { inputs } = introspectOnnx(bytes);
  const plan = planModelInputs(inputs, { featureNames: sidecar.feature_columns });
  const records = Papa.parse<Record<string, string>>(readFileSync(testCsv, "utf8"), { header: true, skipEmptyLines: true }).data;
  const feeds = feedsFromRows(plan, inputs, records.map((record, i) => rowFromCsvRecord(plan, record, i + 1)));
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"] });
  try {
    const results = await session.run(toOrtFeeds(ort, feeds));
    return readPredictions(fromOrtOutputs(results as unknown as Record<string, ort.Tensor>));
  } finally {
    await session.release();
  }
}

function expectMatches(model: string, predictions: Awaited<ReturnType<typeof scoreFixture>>) {
  const expected = JSON.parse(readFileSync(`fixtures/models/${model}.expected.json`, "utf8")) as Expected;
  expect(predictions).toHaveLength(expected.rows);
  predictions.forEach((prediction, row) => {
    expect(prediction.label).toBe(expected.label[row]);
    prediction.probabilities!.forEach((p, c) => expect(Math.abs(p - expected.probabilities[row][c])).toBeLessThan(1e-5));
  });
}

describe("onnxruntime-web in Node, wasm backend", () => {
  it("scores iris-logreg's test split ([N,4] float input) as scikit-learn did", async () => {
    expectMatches("iris-logreg", await scoreFixture("iris-logreg", "fixtures/datasets/iris.test.csv"));
  });

  it("scores credit-logreg's test split (per-column inputs with strings) as scikit-learn did", async () => {
    expectMatches("credit-logreg", await scoreFixture("credit-logreg", "fixtures/datasets/credit.test.csv"));
  });
});
