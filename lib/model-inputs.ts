// Turns an ONNX model's declared inputs into playground fields, and field values (form, JSON, CSV rows) into ORT feeds.
import { z } from "zod";
import { sentence, type ServerSentence } from "./i18n/server-sentence";
import { booleanFromText, numberFromText } from "./feature-values";

/** What the playground needs of one ONNX input (a structural subset of the registry's OnnxValueInfo). */
export interface ModelInputInfo {
  name: string;
  elementType: string;
  shape: (number | string | null)[] | null;
  kind: "tensor" | "sequence" | "map" | "other";
}

/** What a dataset profile says about one training column, when the model's lineage leads to one. */
export interface FeatureProfile {
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Most frequent values of a text column, for a select. */
  categories: string[] | null;
}

export type FieldValueType = "number" | "string" | "boolean";
export type FieldValue = number | string | boolean;
/** One row of inputs, keyed by field key. */
export type InputRow = Record<string, FieldValue>;

export interface InputField {
  /** Unique key within the plan: the column name shown to the user and used in JSON and CSV. */
  key: string;
  inputName: string;
  /** Position in the [N,k] matrix input; null when the field is a whole input of its own. */
  column: number | null;
  valueType: FieldValueType;
  elementType: string;
  min: number | null;
  max: number | null;
  mean: number | null;
  options: string[] | null;
}

export interface InputPlan {
  /** "matrix": one [N,k] input holding every feature; "columns": one [N,1] (or [N]) input per feature. */
  layout: "matrix" | "columns";
  fields: InputField[];
  /** Inputs the playground cannot fill (sequences, maps, unknown element types, fixed batch sizes); empty when all is well. */
  problems: string[];
  /** The problems as catalogue sentences, one for one (messages/<locale>/sentences.json `error.model_input.*`), so the
   * playground says them in the reader's language; `problems` stays the English the server's refusals carry. */
  problemSentences?: ServerSentence[];
  /** A matrix whose columns nothing names (fields x0…x{k-1}): a CSV's columns need a confirmed order. */
  unnamed?: boolean;
}

/** Tensor data as plain values: what crosses to the scoring worker, which wraps it in ort.Tensor. */
export type FeedTensor =
  | { type: "float32"; data: Float32Array; dims: number[] }
  | { type: "float64"; data: Float64Array; dims: number[] }
  | { type: "int32"; data: Int32Array; dims: number[] }
  | { type: "int64"; data: BigInt64Array; dims: number[] }
  | { type: "bool"; data: Uint8Array; dims: number[] }
  | { type: "string"; data: string[]; dims: number[] };
export type Feeds = Record<string, FeedTensor>;

/** A value or row the playground cannot feed the model: `message` in English, `sentence` for the reader's language. */
export class ModelInputError extends Error {
  constructor(
    message: string,
    readonly sentence?: ServerSentence,
  ) {
    super(message);
  }
}

/** A ModelInputError said both ways from its catalogue code (`error.model_input.<code>`). */
function inputError(message: string, code: string, params: Record<string, string | number> = {}): ModelInputError {
  return new ModelInputError(message, sentence(`error.model_input.${code}`, params));
}

const NUMERIC_TYPES = new Set(["float32", "float64", "int32", "int64", "float16", "int8", "int16", "uint8", "uint16", "uint32", "uint64"]);
// Element types this playground can build tensors of; the others are named in plan.problems.
const FEEDABLE_TYPES = new Set(["float32", "float64", "int32", "int64", "string", "bool"]);

function valueTypeOf(elementType: string): FieldValueType {
  if (elementType === "string") return "string";
  if (elementType === "bool") return "boolean";
  return "number";
}

function fieldOf(key: string, input: ModelInputInfo, column: number | null, profile: FeatureProfile | undefined): InputField {
  return {
    key,
    inputName: input.name,
    column,
    valueType: valueTypeOf(input.elementType),
    elementType: input.elementType,
    min: profile?.min ?? null,
    max: profile?.max ?? null,
    mean: profile?.mean ?? null,
    options: input.elementType === "string" ? (profile?.categories?.length ? profile.categories : null) : null,
  };
}

/**
 * The fields to ask for. A single 2-D input with a fixed width k > 1 is a feature matrix: k fields named after the
 * training columns when their number matches, else x0…x{k-1}. Otherwise every input is one field.
 */
export function planModelInputs(
  inputs: readonly ModelInputInfo[],
  context: { featureNames?: readonly string[] | null; profiles?: Readonly<Record<string, FeatureProfile>> | null } = {},
): InputPlan {
  const problems: string[] = [];
  const problemSentences: ServerSentence[] = [];
  const problem = (text: string, said: ServerSentence) => {
    problems.push(text);
    problemSentences.push(said);
  };
  const profiles = context.profiles ?? {};
  for (const input of inputs) {
    if (input.kind !== "tensor")
      problem(`Input "${input.name}" is a ${input.kind}, not a tensor; the playground only feeds tensors.`, sentence("error.model_input.not_tensor", { input: input.name, kind: input.kind }));
    else if (!FEEDABLE_TYPES.has(input.elementType))
      problem(
        `Input "${input.name}" holds ${input.elementType} values, which the playground cannot build yet.`,
        sentence("error.model_input.element_type", { input: input.name, type: input.elementType }),
      );
    const batch = input.shape?.[0];
    if (typeof batch === "number" && batch !== 1)
      problem(`Input "${input.name}" has a fixed batch size of ${batch}; export the model with a free first dimension.`, sentence("error.model_input.fixed_batch", { input: input.name, batch }));
  }

  const only = inputs.length === 1 ? inputs[0] : null;
  const width = only?.shape?.length === 2 && typeof only.shape[1] === "number" ? only.shape[1] : null;
  if (only !== null && width !== null && width > 1) {
    const names = context.featureNames?.length === width ? context.featureNames : Array.from({ length: width }, (_, i) => `x${i}`);
    const unique = new Set(names).size === names.length ? names : names.map((name, i) => `${name}_${i}`);
    const unnamed = context.featureNames?.length !== width;
    return { layout: "matrix", fields: unique.map((key, i) => fieldOf(key, only, i, profiles[key])), problems, problemSentences, unnamed };
  }
  for (const input of inputs) {
    const rank = input.shape?.length;
    const trailing = input.shape?.slice(1) ?? [];
    if (rank !== undefined && rank > 2)
      problem(`Input "${input.name}" has ${rank} dimensions; the playground fills [N] or [N,1] inputs per column.`, sentence("error.model_input.rank", { input: input.name, rank }));
    else if (trailing.some((dim) => typeof dim === "number" && dim !== 1))
      problem(
        `Input "${input.name}" has shape [${input.shape?.join(", ")}]; with several inputs each must be one column ([N,1]).`,
        sentence("error.model_input.not_column", { input: input.name, shape: input.shape?.join(", ") ?? "" }),
      );
  }
  return { layout: "columns", fields: inputs.map((input) => fieldOf(input.name, input, null, profiles[input.name])), problems, problemSentences };
}

/** A starting row: each number at its training mean (or the middle of its range, or 0), each text at its first category. */
export function defaultInputRow(plan: InputPlan): InputRow {
  const row: InputRow = {};
  for (const field of plan.fields) {
    if (field.valueType === "string") row[field.key] = field.options?.[0] ?? "";
    else if (field.valueType === "boolean") row[field.key] = false;
    else if (field.mean !== null) row[field.key] = roundForDisplay(field.mean);
    else if (field.min !== null && field.max !== null) row[field.key] = roundForDisplay((field.min + field.max) / 2);
    else row[field.key] = 0;
  }
  return row;
}

function roundForDisplay(value: number): number {
  return Number(value.toPrecision(6));
}

/** One schema per plan: zod builds and compiles an object schema on its first parse, ~3 ms for the digits model's 64
 * fields against ~0.1 ms for a parse, and the playground validates its JSON on every change of a field. */
const rowSchemas = new WeakMap<InputPlan, z.ZodType<InputRow>>();

/** The zod schema of one JSON row: every field present, numbers for numeric inputs, text for string inputs, nothing else. */
export function inputRowSchema(plan: InputPlan): z.ZodType<InputRow> {
  let schema = rowSchemas.get(plan);
  if (schema === undefined) {
    schema = buildInputRowSchema(plan);
    rowSchemas.set(plan, schema);
  }
  return schema;
}

function buildInputRowSchema(plan: InputPlan): z.ZodType<InputRow> {
  const shape: Record<string, z.ZodType<FieldValue>> = {};
  for (const field of plan.fields) {
    if (field.valueType === "string") {
      // A profile's categories are its most frequent values, not all of them: any text is accepted.
      shape[field.key] = z.string({ error: `${field.key} must be text` });
    } else if (field.valueType === "boolean") shape[field.key] = z.boolean({ error: `${field.key} must be true or false` });
    else shape[field.key] = z.number({ error: `${field.key} must be a number` }).finite();
  }
  return z.strictObject(shape) as unknown as z.ZodType<InputRow>;
}

/** Reads a CSV record (all text) into a row; throws ModelInputError naming the row and column when a value does not fit. */
export function rowFromCsvRecord(plan: InputPlan, record: Readonly<Record<string, string | undefined>>, rowNumber: number): InputRow {
  const row: InputRow = {};
  for (const field of plan.fields) {
    const text = record[field.key];
    if (text === undefined) throw inputError(`Row ${rowNumber} has no "${field.key}" column.`, "csv_no_column", { row: rowNumber, field: field.key });
    // Text inputs get the text exactly as written (`yes`, `007`, `NA`); nothing is guessed from how it looks.
    if (field.valueType === "string") row[field.key] = text;
    else if (field.valueType === "boolean") {
      const value = booleanFromText(text);
      if (value === null) throw inputError(`Row ${rowNumber}, column "${field.key}": "${text}" is not true/false or 1/0.`, "csv_not_boolean", { row: rowNumber, field: field.key, text });
      row[field.key] = value;
    } else {
      // Missing numbers go in as NaN: scikit-learn models exported with imputers handle them; others give NaN out.
      const value = numberFromText(text);
      if (value === null) throw inputError(`Row ${rowNumber}, column "${field.key}": "${text}" is not a number.`, "csv_not_number", { row: rowNumber, field: field.key, text });
      row[field.key] = value;
    }
  }
  return row;
}

/**
 * The plan with a matrix's fields renamed to the CSV columns the user confirmed feed them, in order (for a model whose
 * columns nothing names); the other fields keep their keys.
 */
export function withConfirmedColumns(plan: InputPlan, columns: readonly string[]): InputPlan {
  if (plan.layout !== "matrix" || columns.length !== plan.fields.length) {
    throw inputError(`The model takes ${plan.fields.length} columns; ${columns.length} were confirmed.`, "confirmed_count", { width: plan.fields.length, confirmed: columns.length });
  }
  return { ...plan, unnamed: false, fields: plan.fields.map((field, i) => ({ ...field, key: columns[i] })) };
}

/** The CSV's columns the model does not take (listed to the user, then ignored). */
export function extraCsvColumns(plan: InputPlan, header: readonly string[]): string[] {
  const keys = new Set(plan.fields.map((field) => field.key));
  return header.filter((name) => !keys.has(name));
}

/** The model's columns a CSV header lacks (extra columns, such as the label, are ignored). */
export function missingCsvColumns(plan: InputPlan, header: readonly string[]): string[] {
  const present = new Set(header);
  return plan.fields.map((field) => field.key).filter((key) => !present.has(key));
}

/** The feeds for a batch of rows: one [N,k] tensor for a matrix plan, one [N,1] (or [N]) tensor per input otherwise. */
export function feedsFromRows(plan: InputPlan, inputs: readonly ModelInputInfo[], rows: readonly InputRow[]): Feeds {
  if (plan.problems.length > 0) {
    const said = plan.problemSentences?.length === plan.problems.length ? plan.problemSentences : null;
    throw new ModelInputError(plan.problems.join(" "), said ? sentence("error.model_input.problems", { problems: said }) : undefined);
  }
  if (rows.length === 0) throw inputError("There are no rows to score.", "no_rows");
  const feeds: Feeds = {};
  for (const input of inputs) {
    const fields = plan.fields.filter((field) => field.inputName === input.name).sort((a, b) => (a.column ?? 0) - (b.column ?? 0));
    const width = fields.length;
    const dims = plan.layout === "matrix" || input.shape === null || input.shape.length === 2 ? [rows.length, width] : [rows.length];
    feeds[input.name] = tensorOf(input.elementType, rows, fields, dims);
  }
  return feeds;
}

function numberOf(value: FieldValue, field: InputField): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  const parsed = value.trim() === "" ? Number.NaN : Number(value);
  if (Number.isNaN(parsed) && value.trim() !== "") throw inputError(`"${field.key}" must be a number, not "${value}".`, "not_number", { field: field.key, value });
  return parsed;
}

function valueOf(rows: readonly InputRow[], index: number, field: InputField): FieldValue {
  const value = rows[index]![field.key];
  if (value === undefined) throw inputError(`Row ${index + 1} has no value for "${field.key}".`, "row_no_value", { row: index + 1, field: field.key });
  return value;
}

/** Writes the rows' values, row by row and field by field, straight into a typed array (no array of values between):
 * a 10,000-row batch of 30 columns is 300,000 values. */
function filled<A extends { [index: number]: T }, T>(target: A, rows: readonly InputRow[], fields: readonly InputField[], convert: (value: number, field: InputField) => T): A {
  let i = 0;
  for (let row = 0; row < rows.length; row++) for (const field of fields) target[i++] = convert(numberOf(valueOf(rows, row, field), field), field);
  return target;
}

const same = (value: number) => value;

function tensorOf(elementType: string, rows: readonly InputRow[], fields: readonly InputField[], dims: number[]): FeedTensor {
  const size = rows.length * fields.length;
  switch (elementType) {
    case "float32":
      return { type: "float32", data: filled(new Float32Array(size), rows, fields, same), dims };
    case "float64":
      return { type: "float64", data: filled(new Float64Array(size), rows, fields, same), dims };
    case "int32":
      return { type: "int32", data: filled(new Int32Array(size), rows, fields, Math.round), dims };
    case "int64":
      return {
        type: "int64",
        data: filled(new BigInt64Array(size), rows, fields, (n, field) => {
          if (!Number.isFinite(n)) throw inputError(`"${field.key}" needs a whole number; it is empty.`, "whole_number_empty", { field: field.key });
          return BigInt(Math.round(n));
        }),
        dims,
      };
    case "bool":
      return { type: "bool", data: filled(new Uint8Array(size), rows, fields, (n): number => (n ? 1 : 0)), dims };
    case "string":
      return { type: "string", data: rows.flatMap((_, row) => fields.map((field) => String(valueOf(rows, row, field)))), dims };
    default:
      throw inputError(`Inputs of element type ${elementType} cannot be built in the playground.`, "unbuildable", { type: elementType });
  }
}

export function isNumericElementType(elementType: string): boolean {
  return NUMERIC_TYPES.has(elementType);
}

export interface JsonInputProblem {
  message: string;
  /** The message as a catalogue sentence (`error.model_input.json_*`), for the reader's language. */
  sentence?: ServerSentence;
  /** 1-based line of the text the problem is about, when it can be placed. */
  line: number | null;
}

/** Parses and validates the JSON view of one row: the row, or the problems worded for the user with their lines. */
export function parseInputJson(plan: InputPlan, text: string): { row: InputRow; problems: [] } | { row: null; problems: JsonInputProblem[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split("\n").length : null;
    return { row: null, problems: [{ message: `Not valid JSON: ${message}`, sentence: sentence("error.model_input.json_invalid", { reason: message }), line }] };
  }
  const parsed = inputRowSchema(plan).safeParse(value);
  if (parsed.success) return { row: parsed.data, problems: [] };
  const lineOfKey = (key: string) => {
    const index = text.indexOf(JSON.stringify(key));
    return index < 0 ? null : text.slice(0, index).split("\n").length;
  };
  const problems = parsed.error.issues.map((issue): JsonInputProblem => {
    if (issue.code === "unrecognized_keys") {
      const keys = (issue as { keys: string[] }).keys;
      const fields = keys.map((k) => `"${k}"`).join(", ");
      const known = plan.fields.map((f) => f.key).join(", ");
      return {
        message: `Unknown field${keys.length > 1 ? "s" : ""} ${fields}: the model takes ${known}.`,
        sentence: sentence("error.model_input.json_unknown", { count: keys.length, fields, known }),
        line: lineOfKey(keys[0]),
      };
    }
    const key = issue.path.map(String).join(".");
    if (key === "") return { message: "The inputs must be one JSON object with a value per field.", sentence: sentence("error.model_input.json_not_object"), line: 1 };
    const field = plan.fields.find((f) => f.key === key);
    const missing = typeof value === "object" && value !== null && !(key in value);
    return { ...fieldProblem(key, field?.valueType ?? "number", missing), line: lineOfKey(key) };
  });
  return { row: null, problems };
}

/**
 * A field's value that is missing or of the wrong type, worded as the JSON view and the form's post both word it: the
 * English message and its catalogue sentence (`error.model_input.json_missing` / `json_type`).
 */
export function fieldProblem(key: string, valueType: FieldValueType, missing: boolean): { message: string; sentence: ServerSentence } {
  const expected = valueType === "string" ? "text" : valueType === "boolean" ? "true or false" : "a number";
  return missing
    ? { message: `"${key}" is missing; give it ${expected}.`, sentence: sentence("error.model_input.json_missing", { field: key, expected: valueType }) }
    : { message: `"${key}" must be ${expected}.`, sentence: sentence("error.model_input.json_type", { field: key, expected: valueType }) };
}
