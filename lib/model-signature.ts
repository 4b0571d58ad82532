// MLflow-style model signatures (tensor-based), derived from an ONNX introspection or read from an MLmodel file.
import { z } from "zod";

// MLflow's TensorSpec.to_dict(): {"name"?, "type": "tensor", "tensor-spec": {"dtype": <numpy dtype>, "shape": [...]}}
// where -1 marks a variable dimension.
export const zTensorSpec = z.object({
  name: z.string().optional(),
  type: z.literal("tensor"),
  "tensor-spec": z.object({ dtype: z.string(), shape: z.array(z.number().int()) }),
});
export type TensorSpec = z.infer<typeof zTensorSpec>;

// MLflow's ColSpec.to_dict() for column-based signatures (pandas DataFrames), kept so MLmodel files of either kind parse.
export const zColumnSpec = z
  .object({ name: z.string().optional(), type: z.string(), required: z.boolean().optional() })
  .passthrough();
export type ColumnSpec = z.infer<typeof zColumnSpec>;

export const zModelSignature = z.object({
  inputs: z.array(z.union([zTensorSpec, zColumnSpec])),
  outputs: z.array(z.union([zTensorSpec, zColumnSpec])),
});
export type ModelSignature = z.infer<typeof zModelSignature>;

/** What the signature needs from an ONNX value (a structural subset of the server's OnnxValueInfo). */
export type SignatureSourceValue = {
  name: string;
  elementType: string;
  shape: (number | string | null)[] | null;
  kind: "tensor" | "sequence" | "map" | "other";
};

// ONNX element types as numpy dtype names, which MLflow writes in tensor-spec. Strings are numpy object arrays
// (what pandas and MLflow's schema enforcement hand over for text).
const numpyDtypeOfOnnx: Record<string, string> = {
  float32: "float32",
  float64: "float64",
  float16: "float16",
  int8: "int8",
  int16: "int16",
  int32: "int32",
  int64: "int64",
  uint8: "uint8",
  uint16: "uint16",
  uint32: "uint32",
  uint64: "uint64",
  bool: "bool",
  string: "object",
  complex64: "complex64",
  complex128: "complex128",
};

/**
 * The MLflow signature of an ONNX model's tensors. Sequence and map values (scikit-learn's ZipMap output) have no
 * tensor-spec in MLflow and are left out; the introspection's `unsupportedInBrowser` already names them.
 */
export function signatureFromIntrospection(intro: {
  inputs: readonly SignatureSourceValue[];
  outputs: readonly SignatureSourceValue[];
}): { inputs: TensorSpec[]; outputs: TensorSpec[] } {
  return { inputs: intro.inputs.flatMap(tensorSpecOf), outputs: intro.outputs.flatMap(tensorSpecOf) };
}

function tensorSpecOf(value: SignatureSourceValue): TensorSpec[] {
  if (value.kind !== "tensor") return [];
  return [
    {
      name: value.name,
      type: "tensor",
      "tensor-spec": {
        dtype: numpyDtypeOfOnnx[value.elementType] ?? value.elementType,
        // Named (dim_param) and free dimensions are both "any size" to MLflow; an unknown rank becomes one such dim.
        shape: value.shape === null ? [-1] : value.shape.map((dim) => (typeof dim === "number" ? dim : -1)),
      },
    },
  ];
}

/** The two JSON strings MLflow stores under `signature:` in an MLmodel file (Python json.dumps spacing). */
export function signatureToMlmodelStrings(signature: ModelSignature): { inputs: string; outputs: string } {
  return { inputs: pythonJsonDumps(signature.inputs), outputs: pythonJsonDumps(signature.outputs) };
}

/** JSON with Python's json.dumps separators (", " and ": "), so files match what MLflow itself writes. */
function pythonJsonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}: ${pythonJsonDumps(item)}`).join(", ")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Reads the `signature:` block of an MLmodel file (YAML written by MLflow: `inputs:` and `outputs:` hold JSON
 * strings, single-quoted and folded over several lines when long). Returns null when the file has no signature.
 * Only this block is read, so no YAML library is needed; a malformed block throws with the field named.
 */
export function signatureFromMlmodel(mlmodelYamlText: string): ModelSignature | null {
  const lines = mlmodelYamlText.replace(/\r\n?/g, "\n").split("\n");
  const start = lines.findIndex((line) => /^signature:\s*$/.test(line));
  if (start < 0) return null;
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== "" && !/^\s/.test(line)) break;
    block.push(line);
  }
  const inputs = readScalar(block, "inputs");
  const outputs = readScalar(block, "outputs");
  if (inputs === null && outputs === null) return null;
  const parse = (text: string | null, field: string): unknown[] => {
    if (text === null || text === "null") return [];
    try {
      return JSON.parse(text) as unknown[];
    } catch (error) {
      throw new Error(`The MLmodel signature's '${field}' is not valid JSON: ${(error as Error).message}`);
    }
  };
  const parsed = zModelSignature.safeParse({ inputs: parse(inputs, "inputs"), outputs: parse(outputs, "outputs") });
  if (!parsed.success) {
    throw new Error(`The MLmodel signature does not match MLflow's format: ${parsed.error.issues[0]?.message ?? ""}`);
  }
  return parsed.data;
}

/** One YAML scalar under `key:` in the block: single-quoted, double-quoted or plain, possibly folded over lines. */
function readScalar(block: string[], key: string): string | null {
  const index = block.findIndex((line) => new RegExp(`^\\s+${key}:`).test(line));
  if (index < 0) return null;
  const indent = block[index].search(/\S/);
  const pieces = [block[index].replace(new RegExp(`^\\s+${key}:\\s*`), "")];
  for (const line of block.slice(index + 1)) {
    if (line.trim() !== "" && line.search(/\S/) <= indent) break;
    pieces.push(line.trim());
  }
  // YAML folding: a line break inside a flow scalar reads as one space.
  const text = pieces.filter((piece) => piece !== "").join(" ");
  if (text.startsWith("'")) return text.slice(1, text.lastIndexOf("'")).replace(/''/g, "'");
  if (text.startsWith('"')) return JSON.parse(text.slice(0, text.lastIndexOf('"') + 1)) as string;
  return text === "" ? null : text;
}
