// Introspection of every fixture model against its sidecar, refusal of broken files, and the "same outputs" guarantee in onnxruntime-node.
import { readFileSync } from "node:fs";
import path from "node:path";
import * as ort from "onnxruntime-node";
import type { onnx } from "onnx-proto";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/errors";
import { saidIn } from "@/server/testing/said-error";
import { introspectOnnx, onnxProtobuf, zOnnxIntrospection, type OnnxIntrospection } from "@/server/registry/onnx-introspection";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures");
const modelNames = [
  "iris-logreg",
  "iris-logreg-zipmap",
  "breast-cancer-rf-v1",
  "breast-cancer-rf-v2",
  "diabetes-ridge",
  "credit-logreg",
  "digits-mlp",
];

type Sidecar = {
  task: string;
  input_layout: "matrix" | "columns";
  inputs: { name: string; kind: string; dtype: string; shape: (number | null)[] }[];
  outputs: { name: string; kind: string; dtype?: string; shape?: (number | null)[] }[];
  operators: string[];
  zipmap: boolean;
  feature_columns: string[];
  classes?: number[];
  dataset: string;
  size_bytes: number;
};
type Expected = { rows: number; label: number[]; probabilities: number[][] | null };

function readModelFixture(name: string) {
  const bytes = new Uint8Array(readFileSync(path.join(fixtures, "models", `${name}.onnx`)));
  const sidecar = JSON.parse(readFileSync(path.join(fixtures, "models", `${name}.model.json`), "utf8")) as Sidecar;
  const expected = JSON.parse(readFileSync(path.join(fixtures, "models", `${name}.expected.json`), "utf8")) as Expected;
  const testCsv = readFileSync(path.join(fixtures, sidecar.dataset.replace(".train.csv", ".test.csv")), "utf8");
  const rows = Papa.parse<Record<string, string>>(testCsv, { header: true, skipEmptyLines: true }).data;
  return { bytes, sidecar, expected, rows };
}

/** Feeds for the whole test split, built from the introspected inputs: one [N,k] matrix, or one [N,1] tensor per column. */
function feedsForRows(intro: OnnxIntrospection, sidecar: Sidecar, rows: Record<string, string>[]) {
  const feeds: Record<string, ort.Tensor> = {};
  if (sidecar.input_layout === "matrix") {
    const [input] = intro.inputs;
    const columns = sidecar.feature_columns;
    const values = new Float32Array(rows.length * columns.length);
    rows.forEach((row, r) => columns.forEach((column, c) => (values[r * columns.length + c] = Number(row[column]))));
    feeds[input.name] = new ort.Tensor("float32", values, [rows.length, columns.length]);
    return feeds;
  }
  for (const input of intro.inputs) {
    const cells = rows.map((row) => row[input.name]);
    feeds[input.name] =
      input.elementType === "string"
        ? new ort.Tensor("string", cells, [rows.length, 1])
        : new ort.Tensor("float32", Float32Array.from(cells, Number), [rows.length, 1]);
  }
  return feeds;
}

const sidecarDtype: Record<string, string> = { float: "float32", double: "float64", int64: "int64", string: "string" };

function thrownBy(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected the call to throw");
}

describe("introspectOnnx on the fixture models", () => {
  const timings: string[] = [];

  it.each(modelNames)("%s matches its sidecar", (name) => {
    const { bytes, sidecar } = readModelFixture(name);
    expect(bytes.length).toBe(sidecar.size_bytes);
    const started = performance.now();
    const intro = introspectOnnx(bytes);
    timings.push(`${name}: ${(performance.now() - started).toFixed(2)} ms for ${bytes.length} B`);

    expect(zOnnxIntrospection.parse(intro)).toEqual(intro);
    expect(intro.producerName).toBe("skl2onnx");
    expect(intro.irVersion).toBeGreaterThan(0);
    expect(intro.opsetImports.map((opset) => opset.domain).sort()).toEqual(["ai.onnx", "ai.onnx.ml"]);
    expect(intro.inputs.map(({ name, elementType, shape, kind }) => ({ name, elementType, shape, kind }))).toEqual(
      sidecar.inputs.map((input) => ({
        name: input.name,
        elementType: sidecarDtype[input.dtype],
        shape: input.shape,
        kind: "tensor",
      })),
    );
    expect(
      intro.outputs.map(({ name, elementType, shape, kind }) => ({ name, elementType, shape, kind })),
    ).toEqual(
      sidecar.outputs.map((output) =>
        output.kind === "sequence_type"
          ? { name: output.name, elementType: "undefined", shape: null, kind: "sequence" }
          : { name: output.name, elementType: sidecarDtype[output.dtype!], shape: output.shape, kind: "tensor" },
      ),
    );
    expect(intro.operators.map((op) => `${op.domain}:${op.opType}`).sort()).toEqual([...sidecar.operators].sort());
    expect(intro.operators.reduce((sum, op) => sum + op.count, 0)).toBe(intro.nodeCount);
    const counts = intro.operators.map((op) => op.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(intro.usesZipMap).toBe(sidecar.zipmap);
    expect(intro.unsupportedInBrowser.length > 0).toBe(sidecar.zipmap);
  });

  it("credit-logreg takes one [N,1] input per column, strings for the categories", () => {
    const intro = introspectOnnx(readModelFixture("credit-logreg").bytes);
    expect(intro.inputs.filter((input) => input.elementType === "string").map((input) => input.name)).toEqual([
      "sex",
      "purpose",
      "housing",
    ]);
    expect(intro.inputs.every((input) => input.shape?.[1] === 1)).toBe(true);
    const oneHot = intro.operators.find((op) => op.opType === "OneHotEncoder");
    expect(oneHot).toEqual({ domain: "ai.onnx.ml", opType: "OneHotEncoder", count: 3 });
  });

  it("digits-mlp: a dense network whose initializer bytes equal its weights' element counts × 4", () => {
    const { bytes } = readModelFixture("digits-mlp");
    const intro = introspectOnnx(bytes);
    for (const op of ["MatMul", "Add", "Relu", "Softmax"]) {
      expect(intro.operators.some((entry) => entry.opType === op && entry.domain === "ai.onnx")).toBe(true);
    }
    // Computed independently of the code under test: from each initializer's declared dims and data type.
    const initializers = (onnxProtobuf.ModelProto.decode(bytes).graph as onnx.GraphProto).initializer as onnx.TensorProto[];
    const elementSize: Record<number, number> = { 1: 4, 6: 4, 7: 8, 11: 8 };
    const fromDims = initializers.reduce(
      (sum, tensor) => sum + tensor.dims.reduce<number>((product, dim) => product * Number(dim), 1) * elementSize[tensor.dataType],
      0,
    );
    expect(intro.initializerCount).toBe(initializers.length);
    expect(intro.initializerBytes).toBe(fromDims);
    expect(intro.initializerBytes).toBeGreaterThan(64 * 4 * 10);
  });

  it("reports introspection time per model", () => {
    console.log(`[onnx-introspection] ${timings.join("; ")}`);
    expect(timings).toHaveLength(modelNames.length);
  });
});

describe("introspectOnnx refuses what is not a whole ONNX model", () => {
  it("an empty file", () => {
    const error = thrownBy(() => introspectOnnx(new Uint8Array()));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toMatch(/empty/);
  });

  it("a truncated file (the first half of a model)", () => {
    for (const name of ["breast-cancer-rf-v1", "digits-mlp", "iris-logreg"]) {
      const { bytes } = readModelFixture(name);
      const error = thrownBy(() => introspectOnnx(bytes.slice(0, Math.floor(bytes.length / 2))));
      expect(error.code).toBe("INVALID_PARAMETER_VALUE");
      expect(error.message).toMatch(/truncated/);
    }
  });

  it("a CSV file", () => {
    const csv = new Uint8Array(readFileSync(path.join(fixtures, "datasets", "iris.test.csv")));
    const error = thrownBy(() => introspectOnnx(csv));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toMatch(/could not be read as an ONNX model: /);
  });

  it("random bytes, whatever protobuf makes of them", () => {
    let state = 42;
    const nextByte = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24);
    for (let trial = 0; trial < 200; trial += 1) {
      const noise = Uint8Array.from({ length: 16 + trial * 7 }, nextByte);
      const error = thrownBy(() => introspectOnnx(noise));
      expect(error.code).toBe("INVALID_PARAMETER_VALUE");
      expect(error.message).toMatch(/could not be read as an ONNX model|truncated/);
    }
  });

  it("bytes that decode as protobuf but carry no model (no ir_version, opset or graph)", () => {
    // Field 2 (producer_name) as a string: valid protobuf, not a model.
    const bytes = onnxProtobuf.ModelProto.encode({ producerName: "hello" }).finish();
    const error = thrownBy(() => introspectOnnx(bytes));
    expect(error.message).toBe(
      "The file could not be read as an ONNX model: it has no ir_version, no opset_import, no graph. Upload a model exported to ONNX (.onnx).",
    );
  });

  it("a model whose graph has no nodes", () => {
    const bytes = onnxProtobuf.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: "", version: 15 }],
      graph: { name: "empty", output: [{ name: "y" }] },
    }).finish();
    const error = thrownBy(() => introspectOnnx(bytes));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toMatch(/graph is empty/);
  });

  it("a file over the size limit, before decoding it", () => {
    const { bytes } = readModelFixture("iris-logreg");
    const error = thrownBy(() => introspectOnnx(bytes, { maxBytes: 100 }));
    expect(error.code).toBe("RESOURCE_EXHAUSTED");
    expect(error.message).toMatch(/over the 100 B limit/);
  });
});

describe("ONNX refusals in the reader's language", () => {
  /** French as written here, with the non-breaking spaces French typography puts before « : ; ? ! » and inside « ». */
  const fr = (text: string) => text.replace(/ ([:;?!»])/g, "\u00a0$1").replaceAll("« ", "«\u00a0");
  const said = (error: DomainError) => {
    expect(error.sentence, error.message).toBeDefined();
    expect(saidIn("en", error)).toBe(error.message);
    return saidIn("fr", error);
  };

  it("say each refused file in English word for word, and in French with French sizes", () => {
    const { bytes } = readModelFixture("iris-logreg");
    expect(said(thrownBy(() => introspectOnnx(new Uint8Array())))).toBe(fr("Le fichier est vide : envoyez un fichier de modèle .onnx."));
    expect(said(thrownBy(() => introspectOnnx(bytes, { maxBytes: 100 })))).toBe(
      fr(`Le fichier du modèle fait ${bytes.length} o, au-delà de la limite de 100 o pour les modèles ONNX ; exportez un modèle plus petit ou relevez la limite.`),
    );
    const forest = readModelFixture("breast-cancer-rf-v1").bytes;
    expect(said(thrownBy(() => introspectOnnx(forest, { maxBytes: 1536 })))).toMatch(/^Le fichier du modèle fait \d+,\d Kio, au-delà de la limite de 1,5 Kio pour/);
    expect(said(thrownBy(() => introspectOnnx(forest.slice(0, Math.floor(forest.length / 2)))))).toMatch(/^Le fichier ressemble à un modèle ONNX mais il est tronqué \(\d+,\d Kio lus\u00a0; /);
    const notAModel = onnxProtobuf.ModelProto.encode({ producerName: "hello" }).finish();
    expect(said(thrownBy(() => introspectOnnx(notAModel)))).toBe(
      fr("Le fichier n’a pas pu être lu comme un modèle ONNX : il lui manque ir_version, opset_import, graph. Envoyez un modèle exporté en ONNX (.onnx)."),
    );
    const empty = onnxProtobuf.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: "", version: 15 }], graph: { name: "empty", output: [{ name: "y" }] } }).finish();
    expect(said(thrownBy(() => introspectOnnx(empty)))).toBe(fr("Le graphe du modèle ONNX est vide (aucun nœud) : exportez à nouveau le modèle avec ses opérateurs."));
  });
});

describe("onnxruntime-node gives scikit-learn's outputs for every tensor-output fixture", () => {
  it.each(modelNames.filter((name) => name !== "iris-logreg-zipmap"))("%s on its test split", async (name) => {
    const { bytes, sidecar, expected, rows } = readModelFixture(name);
    expect(rows).toHaveLength(expected.rows);
    const intro = introspectOnnx(bytes);
    const session = await ort.InferenceSession.create(bytes);
    const results = await session.run(feedsForRows(intro, sidecar, rows));

    if (sidecar.task === "regression") {
      const predicted = Array.from(results[intro.outputs[0].name].data as Float32Array);
      expect(predicted).toHaveLength(expected.rows);
      predicted.forEach((value, r) => expect(Math.abs(value - expected.label[r])).toBeLessThan(1e-3));
      return;
    }
    const labels = Array.from(results.label.data as BigInt64Array, Number);
    expect(labels).toEqual(expected.label);
    const probabilities = results.probabilities.data as Float32Array;
    const classCount = sidecar.classes!.length;
    expect(results.probabilities.dims).toEqual([expected.rows, classCount]);
    let maxDifference = 0;
    expected.probabilities!.forEach((row, r) =>
      row.forEach((p, c) => (maxDifference = Math.max(maxDifference, Math.abs(probabilities[r * classCount + c] - p)))),
    );
    expect(maxDifference).toBeLessThan(1e-5);
  });
});
