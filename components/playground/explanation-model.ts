// The playground's bridge from lib/shapley and lib/counterfactual to the scoring worker: feature batches become ORT
// feeds for the plan's inputs, outputs become the one number explained, background rows come from the dataset preview.
import { type FeatureRange, rangesFromRows } from "@/lib/counterfactual";
import type { FeedTensor, Feeds, InputPlan, InputRow, ModelInputInfo } from "@/lib/model-inputs";
import type { BatchPredict, FeatureBatch, FeatureValue } from "@/lib/shapley";
import type { PlainOutputs } from "@/lib/ort-plain-tensors";
import { classifyOutputs } from "./prediction-format";

/** Which number of the outputs is explained: a class's probability, or a regressor's (first numeric, one-wide) output. */
export type ExplainedOutput = { kind: "probability"; classIndex: number; classCount: number } | { kind: "value"; outputName: string };

export function explainedOutputOf(outputs: PlainOutputs): ExplainedOutput | null {
  const roles = classifyOutputs(outputs);
  if (roles.probabilities) {
    const output = outputs[roles.probabilities];
    const width = output.dims[1] ?? 0;
    const probabilities = output.data.slice(0, width) as number[];
    // Binary: the positive class (what a threshold reads); otherwise the predicted class.
    const classIndex = width === 2 ? 1 : probabilities.indexOf(Math.max(...probabilities));
    return { kind: "probability", classIndex, classCount: width };
  }
  for (const [name, output] of Object.entries(outputs)) {
    const width = output.dims.slice(1).reduce((a, b) => a * b, 1);
    if (output.type.startsWith("float") && width === 1) return { kind: "value", outputName: name };
  }
  return null;
}

export function readExplainedOutput(outputs: PlainOutputs, explained: ExplainedOutput): number[] {
  if (explained.kind === "value") return outputs[explained.outputName].data as number[];
  const name = classifyOutputs(outputs).probabilities!;
  const output = outputs[name];
  const width = output.dims[1];
  const count = output.dims[0];
  return Array.from({ length: count }, (_, row) => output.data[row * width + explained.classIndex] as number);
}

/** The row's values in the plan's field order (booleans as 0/1, empty numbers as NaN). */
export function rowValues(plan: InputPlan, row: InputRow): FeatureValue[] {
  return plan.fields.map((field) => {
    const value = row[field.key];
    if (field.valueType === "string") return String(value ?? "");
    if (typeof value === "boolean") return value ? 1 : 0;
    if (typeof value === "number") return value;
    return value === undefined || String(value).trim() === "" ? Number.NaN : Number(value);
  });
}

/** ORT feeds straight from a column batch (no per-row objects: an explanation scores tens of thousands of rows). */
export function feedsFromBatch(plan: InputPlan, inputs: readonly ModelInputInfo[], batch: FeatureBatch): Feeds {
  const feeds: Feeds = {};
  const n = batch.rowCount;
  for (const input of inputs) {
    const fields = plan.fields.map((field, index) => ({ field, index })).filter(({ field }) => field.inputName === input.name).sort((a, b) => (a.field.column ?? 0) - (b.field.column ?? 0));
    const width = fields.length;
    const dims = plan.layout === "matrix" || input.shape === null || input.shape.length === 2 ? [n, width] : [n];
    if (input.elementType === "string") {
      const data = new Array<string>(n * width);
      fields.forEach(({ index }, offset) => {
        const column = batch.columns[index];
        for (let r = 0; r < n; r += 1) data[r * width + offset] = String(column[r]);
      });
      feeds[input.name] = { type: "string", data, dims };
      continue;
    }
    const numbers = new Float64Array(n * width);
    fields.forEach(({ index }, offset) => {
      const column = batch.columns[index];
      for (let r = 0; r < n; r += 1) numbers[r * width + offset] = Number(column[r]);
    });
    let tensor: FeedTensor;
    if (input.elementType === "float32") tensor = { type: "float32", data: Float32Array.from(numbers), dims };
    else if (input.elementType === "float64") tensor = { type: "float64", data: numbers, dims };
    else if (input.elementType === "int32") tensor = { type: "int32", data: Int32Array.from(numbers, Math.round), dims };
    else if (input.elementType === "int64") tensor = { type: "int64", data: BigInt64Array.from(numbers, (value) => BigInt(Math.round(Number.isFinite(value) ? value : 0))), dims };
    else tensor = { type: "bool", data: Uint8Array.from(numbers, (value) => (value ? 1 : 0)), dims };
    feeds[input.name] = tensor;
  }
  return feeds;
}

/** A batched predict over the worker's session, reading the explained output. */
export function workerPredict(
  run: (feeds: Feeds) => Promise<{ outputs: PlainOutputs }>,
  plan: InputPlan,
  inputs: readonly ModelInputInfo[],
  explained: ExplainedOutput,
): BatchPredict {
  return async (batch) => readExplainedOutput((await run(feedsFromBatch(plan, inputs, batch))).outputs, explained);
}

/**
 * Background rows from the training dataset's preview (its first rows), in the plan's field order; null when a field
 * has no column of that name (the values could not be matched).
 */
export function backgroundFromPreview(plan: InputPlan, preview: { columns: string[]; rows: (string | number | boolean | null)[][] } | null): FeatureValue[][] | null {
  if (!preview || preview.rows.length === 0) return null;
  const positions = plan.fields.map((field) => preview.columns.indexOf(field.key));
  if (positions.some((position) => position < 0)) return null;
  return preview.rows.map((cells) =>
    plan.fields.map((field, j) => {
      const cell = cells[positions[j]];
      if (field.valueType === "string") return cell === null ? "" : String(cell);
      if (cell === null || cell === "") return Number.NaN;
      return typeof cell === "boolean" ? (cell ? 1 : 0) : Number(cell);
    }),
  );
}

/** Ranges a counterfactual may explore: the training profile's min/max when known, the background's otherwise. */
export function playgroundRanges(plan: InputPlan, background: readonly (readonly FeatureValue[])[]): (FeatureRange | null)[] {
  const fromRows = rangesFromRows(background);
  return plan.fields.map((field, j) => {
    const seen = fromRows[j] ?? null;
    if (field.valueType === "string") return field.options && field.options.length > 0 ? { kind: "categorical", categories: field.options } : seen;
    if (seen?.kind !== "numeric") return seen;
    return { kind: "numeric", min: field.min ?? seen.min, max: field.max ?? seen.max, scale: seen.scale };
  });
}
