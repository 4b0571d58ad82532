// The ZipMap fixture is refused by onnxruntime-node as exported, and runs with scikit-learn's outputs once ZipMap is removed.
import { readFileSync } from "node:fs";
import path from "node:path";
import * as ort from "onnxruntime-node";
import type { onnx } from "onnx-proto";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/errors";
import { decodeOnnxModel, introspectOnnx, onnxProtobuf } from "@/server/registry/onnx-introspection";
import { removeZipMap } from "@/server/registry/zipmap";
import { saidIn } from "@/server/testing/said-error";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures");
const readModel = (name: string) => new Uint8Array(readFileSync(path.join(fixtures, "models", `${name}.onnx`)));

const sidecar = JSON.parse(readFileSync(path.join(fixtures, "models", "iris-logreg-zipmap.model.json"), "utf8")) as {
  feature_columns: string[];
};
const expected = JSON.parse(readFileSync(path.join(fixtures, "models", "iris-logreg-zipmap.expected.json"), "utf8")) as {
  rows: number;
  label: number[];
  probabilities: number[][];
};
const testRows = Papa.parse<Record<string, string>>(readFileSync(path.join(fixtures, "datasets", "iris.test.csv"), "utf8"), {
  header: true,
  skipEmptyLines: true,
}).data;

function irisTestFeed(): ort.Tensor {
  const columns = sidecar.feature_columns;
  const values = Float32Array.from(testRows.flatMap((row) => columns.map((column) => Number(row[column]))));
  return new ort.Tensor("float32", values, [testRows.length, columns.length]);
}

async function expectScikitLearnOutputs(bytes: Uint8Array, labelOutput: string, probabilityOutput: string) {
  const session = await ort.InferenceSession.create(bytes);
  const results = await session.run({ input: irisTestFeed() });
  expect(Array.from(results[labelOutput].data as BigInt64Array, Number)).toEqual(expected.label);
  const probabilities = results[probabilityOutput];
  expect(probabilities.dims).toEqual([expected.rows, 3]);
  const data = probabilities.data as Float32Array;
  let maxDifference = 0;
  expected.probabilities.forEach((row, r) =>
    row.forEach((p, c) => (maxDifference = Math.max(maxDifference, Math.abs(data[r * 3 + c] - p)))),
  );
  expect(maxDifference).toBeLessThan(1e-5);
}

describe("removeZipMap", () => {
  it("the exported ZipMap model is flagged, and onnxruntime-node refuses its non-tensor output", async () => {
    const bytes = readModel("iris-logreg-zipmap");
    const intro = introspectOnnx(bytes);
    expect(intro.usesZipMap).toBe(true);
    expect(intro.unsupportedInBrowser).toHaveLength(1);
    expect(intro.unsupportedInBrowser[0]).toMatch(/^Output 'output_probability' is a sequence<map<int64, tensor<float32>>>/);
    await expect(
      (async () => {
        const session = await ort.InferenceSession.create(bytes);
        await session.run({ input: irisTestFeed() });
      })(),
    ).rejects.toThrow(/non[- ]tensor/i);
  });

  it("makes the probabilities tensor the output; onnxruntime-node then gives scikit-learn's labels and probabilities", async () => {
    const { bytes, removed } = removeZipMap(readModel("iris-logreg-zipmap"));
    expect(removed).toEqual([{ node: "ZipMap", replacedOutput: "output_probability", newOutput: "probabilities" }]);

    const intro = introspectOnnx(bytes);
    expect(intro.usesZipMap).toBe(false);
    expect(intro.unsupportedInBrowser).toEqual([]);
    expect(intro.operators.map((op) => op.opType).sort()).toEqual(["Cast", "LinearClassifier", "Normalizer"]);
    expect(intro.outputs.map(({ name, elementType, shape, kind }) => ({ name, elementType, shape, kind }))).toEqual([
      { name: "output_label", elementType: "int64", shape: [null], kind: "tensor" },
      { name: "probabilities", elementType: "float32", shape: [null, 3], kind: "tensor" },
    ]);
    await expectScikitLearnOutputs(bytes, "output_label", "probabilities");
  });

  it("renames the probabilities tensor to 'probabilities' and drops nodes nothing reads", async () => {
    // The fixture with its Normalizer output renamed and a dead branch added, as other exporters produce.
    const model = decodeOnnxModel(readModel("iris-logreg-zipmap"));
    const graph = model.graph!;
    for (const node of graph.node) {
      node.input = node.input.map((name) => (name === "probabilities" ? "normalized_scores" : name));
      node.output = node.output.map((name) => (name === "probabilities" ? "normalized_scores" : name));
    }
    graph.node.push(
      onnxProtobuf.NodeProto.create({ name: "Dead1", opType: "Identity", domain: "", input: ["input"], output: ["dead1"] }),
      onnxProtobuf.NodeProto.create({ name: "Dead2", opType: "Identity", domain: "", input: ["dead1"], output: ["dead2"] }),
    );
    const { bytes, removed } = removeZipMap(onnxProtobuf.ModelProto.encode(model as onnx.IModelProto).finish());
    expect(removed).toEqual([{ node: "ZipMap", replacedOutput: "output_probability", newOutput: "probabilities" }]);
    const after = decodeOnnxModel(bytes).graph;
    expect(after.node.map((node) => node.name).sort()).toEqual(["Cast", "LinearClassifier", "Normalizer"]);
    await expectScikitLearnOutputs(bytes, "output_label", "probabilities");
  });

  it("refuses a model without ZipMap", () => {
    let thrown: unknown;
    try {
      removeZipMap(readModel("iris-logreg"));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).code).toBe("INVALID_PARAMETER_VALUE");
    expect((thrown as DomainError).message).toMatch(/no ZipMap node/);
    // The version page says it in the reader's language; the English catalogue says the server's message exactly.
    expect(saidIn("en", thrown as DomainError)).toBe((thrown as DomainError).message);
    expect(saidIn("fr", thrown as DomainError)).toBe("Le modèle n'a pas de nœud ZipMap\u00a0: il n'y a rien à retirer, ses sorties sont utilisables telles quelles.");
  });

  it("refuses bytes that are not an ONNX model", () => {
    expect(() => removeZipMap(new TextEncoder().encode("sepal_length_cm,sepal_width_cm\n5.1,3.5\n"))).toThrow(
      /could not be read as an ONNX model/,
    );
  });
});
