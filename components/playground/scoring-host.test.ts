// The scoring worker's logic with onnxruntime-web in Node: load, run on feeds from the form's plan, replace a slot, and errors as replies.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import * as ort from "onnxruntime-web";
import { describe, expect, it } from "vitest";
import { defaultInputRow, feedsFromRows, planModelInputs } from "@/lib/model-inputs";
import { introspectOnnx } from "@/server/registry/onnx-introspection";
import { readPredictions } from "./prediction-format";
import { createScoringHost } from "./scoring-host";

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
