// The runtime warm-up's model is a valid ONNX model both runtimes accept, and warming up leaves ORT ready for the real load.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import * as ortNode from "onnxruntime-node";
import * as ort from "onnxruntime-web";
import { describe, expect, it } from "vitest";
import { identityModelBytes, warmUpOrtRuntime } from "./ort-warm-up";
import { createScoringHost } from "./scoring-host";

const wasmPaths = pathToFileURL("node_modules/onnxruntime-web/dist/").href;

describe("ORT runtime warm-up", () => {
  it("builds a model onnxruntime-node runs as y = x", async () => {
    const session = await ortNode.InferenceSession.create(identityModelBytes());
    expect(session.inputNames).toEqual(["x"]);
    const { y } = await session.run({ x: new ortNode.Tensor("float32", Float32Array.of(2.5), [1]) });
    expect(Array.from(y!.data as Float32Array)).toEqual([2.5]);
    await session.release();
  });

  it("starts onnxruntime-web with the host's flags, and the model loaded beside it scores", async () => {
    const environment = { crossOriginIsolated: false, hardwareConcurrency: 4, maxThreads: 1 };
    const answer = createScoringHost(ort, environment);
    const file = readFileSync("fixtures/models/breast-cancer-rf-v1.onnx");
    const model = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
    // As on the page: the warm-up is under way when the model's bytes arrive and its load starts.
    const [, loaded] = await Promise.all([warmUpOrtRuntime(ort, wasmPaths, environment), answer({ kind: "load", id: 1, slot: "main", model, wasmPaths })]);
    expect(ort.env.wasm.wasmPaths).toBe(wasmPaths);
    expect(ort.env.wasm.proxy).toBe(false);
    expect(loaded).toMatchObject({ kind: "loaded", inputNames: ["input"], outputNames: ["label", "probabilities"], threads: 1 });
  });
});
