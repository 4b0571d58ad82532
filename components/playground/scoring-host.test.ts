// The scoring worker's logic with onnxruntime-web in Node: load, run on feeds from the form's plan, replace a slot, and errors as replies.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import * as ortNode from "onnxruntime-node";
import * as ort from "onnxruntime-web";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { defaultInputRow, feedsFromRows, planModelInputs, rowFromCsvRecord } from "@/lib/model-inputs";
import { fromOrtOutputs } from "@/lib/ort-plain-tensors";
import { introspectOnnx } from "@/server/registry/onnx-introspection";
import { readPredictions } from "./prediction-format";
import { createScoringHost, ortThreadCount } from "./scoring-host";

// In Node the runtime files are read from the package itself; in the browser they come from /ort/<version>/.
const wasmPaths = pathToFileURL("node_modules/onnxruntime-web/dist/").href;

const modelBytes = (name: string) => {
  const file = readFileSync(`fixtures/models/${name}.onnx`);
  return file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
};

describe("createScoringHost", () => {
  it("loads two slots, runs each on the same feeds, and reports one thread when not isolated", async () => {
    const answer = createScoringHost(ort, { crossOriginIsolated: false, hardwareConcurrency: 8 });
    const loaded = await answer({ kind: "load", id: 1, slot: "main", model: modelBytes("breast-cancer-rf-v1"), wasmPaths });
    expect(loaded).toMatchObject({ kind: "loaded", id: 1, inputNames: ["input"], outputNames: ["label", "probabilities"], threads: 1, crossOriginIsolated: false });
    await answer({ kind: "load", id: 2, slot: "challenger", model: modelBytes("breast-cancer-rf-v2"), wasmPaths });

    const { inputs } = introspectOnnx(new Uint8Array(modelBytes("breast-cancer-rf-v1")));
    const plan = planModelInputs(inputs);
    const feeds = feedsFromRows(plan, inputs, [defaultInputRow(plan), { ...defaultInputRow(plan), x0: 20, x27: 0.2 }]);
    // Requests sent together are answered in order, each on its own slot.
    const [main, challenger] = await Promise.all([answer({ kind: "run", id: 3, slot: "main", feeds }), answer({ kind: "run", id: 4, slot: "challenger", feeds })]);
    if (main.kind !== "result" || challenger.kind !== "result") throw new Error(`expected results, got ${main.kind} and ${challenger.kind}`);
    const a = readPredictions(main.outputs);
    const b = readPredictions(challenger.outputs);
    expect(a).toHaveLength(2);
    for (const prediction of [...a, ...b]) expect(prediction.probabilities!.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
    // Two forests of different sizes do not give identical probabilities on both rows.
    expect(a.map((p) => p.probabilities)).not.toEqual(b.map((p) => p.probabilities));
    expect(main.runMs).toBeGreaterThanOrEqual(0);

    expect(await answer({ kind: "release", id: 5, slot: "challenger" })).toEqual({ kind: "released", id: 5 });
    const gone = await answer({ kind: "run", id: 6, slot: "challenger", feeds });
    expect(gone).toMatchObject({ kind: "error", id: 6, message: expect.stringContaining("not loaded") });
  });

  it("answers a model ORT cannot read, and wrong feeds, with error replies instead of throwing", async () => {
    const answer = createScoringHost(ort, { crossOriginIsolated: false, hardwareConcurrency: 2 });
    const broken = await answer({ kind: "load", id: 1, slot: "main", model: new TextEncoder().encode("not a model").buffer as ArrayBuffer, wasmPaths });
    expect(broken).toMatchObject({ kind: "error", id: 1 });
    expect(await answer({ kind: "load", id: 2, slot: "main", model: modelBytes("iris-logreg"), wasmPaths })).toMatchObject({ kind: "loaded" });
    const wrong = await answer({ kind: "run", id: 3, slot: "main", feeds: { input: { type: "float32", data: new Float32Array(3), dims: [1, 3] } } });
    expect(wrong).toMatchObject({ kind: "error", id: 3, message: expect.stringMatching(/input/i) });
  });
});

describe("ortThreadCount", () => {
  it("leaves a core to the page and the studio, uses none but the caller's when not isolated, and caps at four", () => {
    expect(ortThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 2 })).toBe(1);
    expect(ortThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 1 })).toBe(1);
    expect(ortThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 3 })).toBe(2);
    expect(ortThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 16 })).toBe(4);
    expect(ortThreadCount({ crossOriginIsolated: false, hardwareConcurrency: 16 })).toBe(1);
    // The page's own instance.
    expect(ortThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 16, maxThreads: 1 })).toBe(1);
  });
});

describe("a 10,000-row batch", () => {
  it("answers every row as that row scored alone does, and as onnxruntime-node does", async () => {
    const file = readFileSync("fixtures/models/breast-cancer-rf-v1.onnx");
    const { inputs } = introspectOnnx(new Uint8Array(file));
    const sidecar = JSON.parse(readFileSync("fixtures/models/breast-cancer-rf-v1.model.json", "utf8")) as { feature_columns: string[] };
    const plan = planModelInputs(inputs, { featureNames: sidecar.feature_columns });
    const records = Papa.parse<Record<string, string>>(readFileSync("fixtures/datasets/breast_cancer.test.csv", "utf8"), { header: true, skipEmptyLines: true }).data;
    const split = records.map((record, i) => rowFromCsvRecord(plan, record, i + 1));
    // The test split over and over, as the latency check's batch repeats the form's row.
    const rows = Array.from({ length: 10_000 }, (_, i) => split[i % split.length]!);

    // The worker's host and the page's, each with its own session (one thread each in Node: nothing is isolated here).
    const worker = createScoringHost(ort, { crossOriginIsolated: false, hardwareConcurrency: 2 });
    const page = createScoringHost(ort, { crossOriginIsolated: false, hardwareConcurrency: 1, maxThreads: 1 });
    const bytes = () => file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
    await worker({ kind: "load", id: 1, slot: "main", model: bytes(), wasmPaths });
    await page({ kind: "load", id: 1, slot: "challenger", model: bytes(), wasmPaths });
    const batch = await worker({ kind: "run", id: 2, slot: "main", feeds: feedsFromRows(plan, inputs, rows) });
    if (batch.kind !== "result") throw new Error(`expected a result, got ${JSON.stringify(batch)}`);
    const batchAnswers = readPredictions(batch.outputs);
    expect(batchAnswers).toHaveLength(10_000);

    const alone: ReturnType<typeof readPredictions> = [];
    for (const [i, row] of split.entries()) {
      const one = await page({ kind: "run", id: 3 + i, slot: "challenger", feeds: feedsFromRows(plan, inputs, [row]) });
      if (one.kind !== "result") throw new Error(`expected a result, got ${JSON.stringify(one)}`);
      alone.push(readPredictions(one.outputs)[0]!);
    }
    const session = await ortNode.InferenceSession.create(new Uint8Array(file));
    const feeds = feedsFromRows(plan, inputs, rows);
    const native = readPredictions(fromOrtOutputs(await session.run({ input: new ortNode.Tensor("float32", feeds.input!.data as Float32Array, feeds.input!.dims) })));
    await session.release();

    // Both classes occur in the split, so a batch answering every row alike would fail.
    expect(new Set(alone.map((p) => p.label)).size).toBe(2);
    batchAnswers.forEach((answer, i) => {
      expect(answer).toEqual(alone[i % split.length]);
      expect(answer.label).toBe(native[i]!.label);
      answer.probabilities!.forEach((p, c) => expect(Math.abs(p - native[i]!.probabilities![c]!)).toBeLessThan(1e-6));
    });
  }, 60_000);
});
