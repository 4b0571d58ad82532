// MLflow tensor signatures from introspected ONNX values, and read back from MLmodel files as MLflow writes them.
import { describe, expect, it } from "vitest";
import {
  signatureFromIntrospection,
  signatureFromMlmodel,
  signatureToMlmodelStrings,
  type SignatureSourceValue,
} from "@/lib/model-signature";

const irisZipMap: { inputs: SignatureSourceValue[]; outputs: SignatureSourceValue[] } = {
  inputs: [{ name: "input", elementType: "float32", shape: [null, 4], kind: "tensor" }],
  outputs: [
    { name: "output_label", elementType: "int64", shape: ["N"], kind: "tensor" },
    { name: "output_probability", elementType: "undefined", shape: null, kind: "sequence" },
  ],
};

// The MLmodel text MLflow 2.x writes for `mlflow.onnx.log_model(..., signature=infer_signature(X, y))` on a float32
// [N,4] matrix with an int64 label: PyYAML folds the long single-quoted JSON over two lines.
const mlmodelText = `artifact_path: model
flavors:
  onnx:
    code: null
    data: model.onnx
    onnx_version: 1.12.0
mlflow_version: 2.9.2
model_uuid: 3f5c0d2a9b8e4c7d
signature:
  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1,
    4]}}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'
  params: null
utc_time_created: '2026-11-20 10:00:00.000000'
`;

describe("signatureFromIntrospection", () => {
  it("writes each tensor as MLflow's tensor-spec, with -1 for free and named dimensions", () => {
    expect(signatureFromIntrospection(irisZipMap)).toEqual({
      inputs: [{ name: "input", type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1, 4] } }],
      outputs: [{ name: "output_label", type: "tensor", "tensor-spec": { dtype: "int64", shape: [-1] } }],
    });
  });

  it("maps string tensors to numpy's object dtype", () => {
    const signature = signatureFromIntrospection({
      inputs: [{ name: "sex", elementType: "string", shape: [null, 1], kind: "tensor" }],
      outputs: [],
    });
    expect(signature.inputs[0]["tensor-spec"]).toEqual({ dtype: "object", shape: [-1, 1] });
  });
});

describe("signatureFromMlmodel", () => {
  it("reads the folded JSON strings of an MLmodel file", () => {
    expect(signatureFromMlmodel(mlmodelText)).toEqual({
      inputs: [{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1, 4] } }],
      outputs: [{ type: "tensor", "tensor-spec": { dtype: "int64", shape: [-1] } }],
    });
  });

  it("reads column-based signatures too", () => {
    const text = `signature:\n  inputs: '[{"type": "double", "name": "age", "required": true}, {"type": "string", "name": "sex", "required": true}]'\n  outputs: '[{"type": "long", "required": true}]'\n`;
    expect(signatureFromMlmodel(text)).toEqual({
      inputs: [
        { type: "double", name: "age", required: true },
        { type: "string", name: "sex", required: true },
      ],
      outputs: [{ type: "long", required: true }],
    });
  });

  it("returns null when the MLmodel file has no signature", () => {
    expect(signatureFromMlmodel("artifact_path: model\nflavors:\n  onnx:\n    data: model.onnx\n")).toBeNull();
  });

  it("names the field whose JSON is broken", () => {
    expect(() => signatureFromMlmodel("signature:\n  inputs: '[{\"type\": '\n  outputs: '[]'\n")).toThrow(
      /signature's 'inputs' is not valid JSON/,
    );
  });

  it("round-trips what signatureToMlmodelStrings writes, in Python's json.dumps spacing", () => {
    const signature = signatureFromIntrospection(irisZipMap);
    const strings = signatureToMlmodelStrings(signature);
    expect(strings.inputs).toBe('[{"name": "input", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]');
    const quoted = (json: string) => `'${json.replace(/'/g, "''")}'`;
    const text = `signature:\n  inputs: ${quoted(strings.inputs)}\n  outputs: ${quoted(strings.outputs)}\n`;
    expect(signatureFromMlmodel(text)).toEqual(signature);
  });
});
