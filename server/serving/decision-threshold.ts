// The approved decision threshold applied to a binary classifier's answers: the served label is
// p(positive) ≥ threshold (positive = the model's second class), instead of the most probable class.
import * as ort from "onnxruntime-node";
import type { OnnxIntrospection } from "../registry/onnx-introspection";
import { classLabelsOf } from "../review/evaluate";

/** A binary classifier's label and probabilities outputs, and its two class labels in output order. */
export interface BinaryOutputs {
  labelOutput: string;
  probabilitiesOutput: string;
  /** Class labels as the label tensor holds them (numbers for int64 labels, text for string labels). */
  classes: [string, string];
}

/** The binary classifier outputs of a model (a probabilities tensor [N,2] beside a label tensor), or null. */
export function binaryOutputsOf(introspection: OnnxIntrospection, bytes: Uint8Array): BinaryOutputs | null {
  const tensors = introspection.outputs.filter((o) => o.kind === "tensor");
  const probabilities = tensors.find((o) => /prob/i.test(o.name) && o.shape?.at(-1) === 2);
  const label = tensors.find((o) => o !== probabilities && (o.elementType === "int64" || o.elementType === "string" || o.elementType === "int32"));
  if (!probabilities || !label) return null;
  const classes = classLabelsOf(bytes) ?? ["0", "1"];
  if (classes.length !== 2) return null;
  return { labelOutput: label.name, probabilitiesOutput: probabilities.name, classes: [classes[0]!, classes[1]!] };
}

/** The results with the label output recomputed from the probabilities at `threshold` (same tensor type and shape). */
export function applyDecisionThreshold(
  results: ort.InferenceSession.OnnxValueMapType,
  binary: BinaryOutputs,
  threshold: number,
): ort.InferenceSession.OnnxValueMapType {
  const label = results[binary.labelOutput] as ort.Tensor | undefined;
  const probabilities = results[binary.probabilitiesOutput] as ort.Tensor | undefined;
  if (!label || !probabilities) return results;
  const p = probabilities.data as Float32Array | Float64Array;
  const rows = label.data.length;
  const positive = (row: number) => p[row * 2 + 1]! >= threshold;
  let data: ort.Tensor["data"];
  if (label.type === "string") data = Array.from({ length: rows }, (_, r) => binary.classes[positive(r) ? 1 : 0]);
  else if (label.type === "int64") data = BigInt64Array.from({ length: rows }, (_, r) => BigInt(binary.classes[positive(r) ? 1 : 0]));
  else if (label.type === "int32") data = Int32Array.from({ length: rows }, (_, r) => Number(binary.classes[positive(r) ? 1 : 0]));
  else return results;
  return { ...results, [binary.labelOutput]: new ort.Tensor(label.type, data as never, label.dims) };
}
