// Request values → typed ONNX feeds and ONNX results → JSON, with hand loops: this is the serving hot path, and a
// 100-row request is 3,000 cells, so no zod and no intermediate row objects; errors name the column, row or input.
import * as ort from "onnxruntime-node";
import { DomainError } from "../errors";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";

/** One declared ONNX input or output as served: element type and shape (null = a free dimension; null shape = unknown rank). */
export interface ServedValue {
  name: string;
  elementType: string;
  shape: (number | null)[] | null;
}

/** Where one request column lands: the ONNX input (index) and the position within its row. */
export interface ServedField {
  key: string;
  input: number;
  column: number;
}

export type OrtFeeds = Record<string, ort.Tensor>;

/** A request serving cannot score; `said` is its catalogue sentence, for callers in another language (refusal-language.ts). */
export function badRequest(message: string, said?: ServerSentence): DomainError {
  return new DomainError("BAD_REQUEST", message, undefined, said);
}

/**
 * A part of a refusal (where the bad value is, what it was), in English and as its catalogue sentence, so a refusal
 * says it in either language. Made only once a request is refused: the answered path builds none.
 */
export interface Phrase {
  text: string;
  said: ServerSentence;
}

function phrase(text: string, code: string, params: ServerSentence["params"] = {}): Phrase {
  return { text, said: sentence(`error.serving.${code}`, params) };
}

/** What a refusal calls a tensor of the request: a model input by name, or a field of an MLflow body. */
export type TensorLabel = { input: string } | { field: string };

function labelPhrase(label: TensorLabel): Phrase {
  return "input" in label ? phrase(`Input '${label.input}'`, "label.input", { name: label.input }) : phrase(`'${label.field}'`, "label.field", { field: label.field });
}

/** Element types serving can build tensors of. */
export const FEEDABLE_ELEMENT_TYPES = new Set(["float32", "float64", "int32", "int64", "bool", "string", "int8", "uint8", "int16", "uint16"]);

type TypedData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Int16Array | Uint16Array | string[];

function allocate(elementType: string, length: number): TypedData {
  switch (elementType) {
    case "float32":
      return new Float32Array(length);
    case "float64":
      return new Float64Array(length);
    case "int32":
      return new Int32Array(length);
    case "int64":
      return new BigInt64Array(length);
    case "bool":
    case "uint8":
      return new Uint8Array(length);
    case "int8":
      return new Int8Array(length);
    case "int16":
      return new Int16Array(length);
    case "uint16":
      return new Uint16Array(length);
    case "string":
      return new Array<string>(length);
    default:
      throw badRequest(`Inputs of element type ${elementType} cannot be served.`, sentence("error.serving.element_type", { type: elementType }));
  }
}

function describe(value: unknown): Phrase {
  if (value === null) return phrase("null", "value.null");
  if (typeof value === "string") {
    const text = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    return phrase(`text ${text}`, "value.text", { text });
  }
  if (Array.isArray(value)) return phrase("a list", "value.list");
  if (typeof value === "object") return phrase("an object", "value.object");
  return phrase(`${typeof value} ${String(value)}`, "value.other", { type: typeof value, value: String(value) });
}

// The refusals below are built by functions of their own, not inline: the loops that may throw them stay as small as
// they were, for V8 to optimise them as before.

function missingValueRefusal(at: Phrase, isFloat: boolean): DomainError {
  return badRequest(
    `${at.text} is missing (null or empty): the model does not declare that it handles missing values, so send a number` +
      (isFloat ? " (or register a model that imputes them, e.g. with an Imputer step, or declares metadata handles_missing_values=true)." : "."),
    sentence("error.serving.missing_value", { where: [at.said], float: isFloat ? "yes" : "no" }),
  );
}

function float32RangeRefusal(at: Phrase, number: number): DomainError {
  return badRequest(`${at.text} is ${number}, outside the range of the model's float32 input (±3.4e38): send a value within it.`, sentence("error.serving.float32_range", { where: [at.said], value: String(number) }));
}

function integerRangeRefusal(at: Phrase, number: number, elementType: string, range: [number, number]): DomainError {
  return badRequest(
    `${at.text} is ${number}, outside the range of the model's ${elementType} input [${range[0]}, ${range[1]}].`,
    sentence("error.serving.integer_range", { where: [at.said], value: String(number), type: elementType, min: String(range[0]), max: String(range[1]) }),
  );
}

function rowWithoutValueRefusal(row: number, column: string): DomainError {
  return badRequest(`Row ${row} has no value for column '${column}'.`, sentence("error.serving.row_without_value", { row: String(row), column }));
}

function columnPhrase(column: string, row: number): Phrase {
  return phrase(`Column '${column}' (row ${row})`, "at.column", { column, row: String(row) });
}

function raggedListRefusal(label: TensorLabel, depth: number, items: number, expected: number | undefined): DomainError {
  const named = labelPhrase(label);
  return badRequest(
    `${named.text}: ragged nested list, a list at depth ${depth} has ${items} items where ${expected} were expected.`,
    sentence("error.serving.ragged_list", { label: [named.said], depth: String(depth), items: String(items), expected: String(expected) }),
  );
}

function raggedValueRefusal(label: TensorLabel, depth: number, depths: number): DomainError {
  const named = labelPhrase(label);
  return badRequest(`${named.text}: ragged nested list, a value sits at depth ${depth} of ${depths}.`, sentence("error.serving.ragged_value", { label: [named.said], depth: String(depth), depths: String(depths) }));
}

/** `${where} <rest>, got <value>.` refusals of one cell. */
function badCell(code: string, where: Phrase, english: string, value: unknown, params: ServerSentence["params"] = {}): DomainError {
  const got = describe(value);
  return badRequest(`${where.text} ${english}, got ${got.text}.`, sentence(`error.serving.${code}`, { where: [where.said], got: [got.said], ...params }));
}

/** Largest float32 magnitude: a JSON number beyond it would become Infinity in the tensor. */
const FLOAT32_MAX = 3.4028234663852886e38;

const INTEGER_RANGES: Record<string, [number, number]> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/**
 * Writes one cell into a typed array. `fromText`: the value comes from CSV, where every cell is text. JSON numbers for
 * numeric inputs (finite, within the input type's range), text for string inputs, true/false for booleans. A missing
 * value (null, or an empty CSV cell) becomes NaN only when the model declares it handles missing values
 * (`allowMissing`); otherwise it is refused, as a score computed on it would be meaningless.
 */
function writeCell(data: TypedData, elementType: string, index: number, value: unknown, where: () => Phrase, fromText: boolean, allowMissing: boolean): void {
  if (elementType === "string") {
    if (typeof value === "string") (data as string[])[index] = value;
    else throw badCell("must_be_text", where(), "must be text (the model's input is a string tensor)", value);
    return;
  }
  if (elementType === "bool") {
    if (typeof value === "boolean") (data as Uint8Array)[index] = value ? 1 : 0;
    else if (fromText && typeof value === "string" && /^(true|false|1|0)$/i.test(value.trim())) (data as Uint8Array)[index] = /^(true|1)$/i.test(value.trim()) ? 1 : 0;
    else if (value === 0 || value === 1) (data as Uint8Array)[index] = value;
    else throw badCell("must_be_bool", where(), "must be true or false", value);
    return;
  }
  let number: number;
  if (typeof value === "number") number = value;
  else if (value === null) number = Number.NaN;
  else if (fromText && typeof value === "string") {
    const text = value.trim();
    number = text === "" ? Number.NaN : Number(text);
    if (text !== "" && Number.isNaN(number)) throw badCell("must_be_number", where(), "must be a number", value);
  } else throw badCell("must_be_number", where(), "must be a number", value);
  const isFloat = elementType === "float32" || elementType === "float64";
  if (Number.isNaN(number)) {
    if (isFloat && allowMissing) {
      (data as Float32Array)[index] = number;
      return;
    }
    throw missingValueRefusal(where(), isFloat);
  }
  if (!Number.isFinite(number)) throw badCell("must_be_finite", where(), "must be a finite number", value);
  if (isFloat) {
    if (elementType === "float32" && Math.abs(number) > FLOAT32_MAX) throw float32RangeRefusal(where(), number);
    (data as Float32Array)[index] = number;
    return;
  }
  if (!Number.isInteger(number)) throw badCell("must_be_integer", where(), `must be a whole number (the model's input is ${elementType})`, value, { type: elementType });
  const range = INTEGER_RANGES[elementType];
  if (range && (number < range[0] || number > range[1])) throw integerRangeRefusal(where(), number, elementType, range);
  if (elementType === "int64") (data as BigInt64Array)[index] = BigInt(number);
  else (data as Int32Array)[index] = number;
}

/**
 * The largest magnitude a float input stores as sent (float32: its range; float64: any finite number), or -1 for
 * other element types. `typeof v === "number" && Math.abs(v) <= limit` is exactly what writeCell accepts unchanged
 * for floats (NaN and ±Infinity fail it), so the hot loops store such cells directly and leave the rest, and the
 * error messages, to writeCell — without making a message closure per cell.
 */
function floatLimit(elementType: string): number {
  return elementType === "float32" ? FLOAT32_MAX : elementType === "float64" ? Number.MAX_VALUE : -1;
}

/** Reads the value of (row, field) from the request; undefined when the request has none. */
export type CellReader = (row: number, field: number) => unknown;

/**
 * Feeds for `rows` rows from a cell reader, one tensor per ONNX input: [N, k] for a feature matrix (its fields in
 * column order), [N, 1] or [N] per column otherwise, as the playground's feedsFromRows.
 */
export function feedsFromCells(
  inputs: readonly ServedValue[],
  fields: readonly ServedField[],
  rows: number,
  cell: CellReader,
  fromText = false,
  allowMissing = false,
): OrtFeeds {
  if (rows === 0) throw badRequest("There are no rows to score: send at least one.", sentence("error.serving.no_rows"));
  const feeds: OrtFeeds = {};
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    const own: number[] = [];
    for (let f = 0; f < fields.length; f++) if (fields[f]!.input === i) own.push(f);
    own.sort((a, b) => fields[a]!.column - fields[b]!.column);
    const width = own.length;
    const data = allocate(input.elementType, rows * width);
    const limit = floatLimit(input.elementType);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < width; c++) {
        const f = own[c]!;
        const value = cell(r, f);
        if (typeof value === "number" && Math.abs(value) <= limit) (data as Float32Array)[r * width + c] = value;
        else if (value === undefined) throw rowWithoutValueRefusal(r + 1, fields[f]!.key);
        else writeCell(data, input.elementType, r * width + c, value, () => columnPhrase(fields[f]!.key, r + 1), fromText, allowMissing);
      }
    }
    const dims = width > 1 || input.shape === null || input.shape.length === 2 ? [rows, width] : [rows];
    feeds[input.name] = new ort.Tensor(ortType(input.elementType), data as never, dims);
  }
  return feeds;
}

function ortType(elementType: string): ort.Tensor.Type {
  return elementType === "float64" ? "float64" : (elementType as ort.Tensor.Type);
}

/** How many scalar values a nested JSON array holds. */
function countLeaves(node: unknown): number {
  if (!Array.isArray(node)) return 1;
  let total = 0;
  for (let i = 0; i < node.length; i++) total += countLeaves(node[i]);
  return total;
}

/** Shape of a nested JSON array, following first elements; the fill checks every other branch against it. */
function nestedShape(value: unknown): number[] {
  const shape: number[] = [];
  let current = value;
  while (Array.isArray(current)) {
    shape.push(current.length);
    if (current.length === 0) break;
    current = current[0];
  }
  return shape;
}

/**
 * One input tensor from a nested JSON array (MLflow `inputs`/`instances`, or Open Inference Protocol data with its
 * declared shape). `declaredShape` (OIP): the data may be flat or nested but must hold exactly that many values.
 */
export function tensorFromJson(input: ServedValue, value: unknown, declaredShape: number[] | null, label: TensorLabel, allowMissing = false): ort.Tensor {
  let shape = declaredShape ?? nestedShape(value);
  const count = shape.reduce((a, b) => a * b, 1);
  // A declared shape is only a claim: count the values before allocating, so [1e9, 30] is a 400, not an out-of-memory 500.
  if (declaredShape !== null) {
    const held = countLeaves(value);
    if (held !== count) throw shapeCountRefusal(label, shape, count, held);
  }
  const data = allocate(input.elementType, count);
  const limit = floatLimit(input.elementType);
  let written = 0;
  const fill = (node: unknown, depth: number): void => {
    if (Array.isArray(node)) {
      if (declaredShape === null && node.length !== shape[depth]) throw raggedListRefusal(label, depth + 1, node.length, shape[depth]);
      for (let i = 0; i < node.length; i++) fill(node[i], depth + 1);
      return;
    }
    if (declaredShape === null && depth !== shape.length) throw raggedValueRefusal(label, depth, shape.length);
    if (written >= count) {
      written++;
      return;
    }
    if (typeof node === "number" && Math.abs(node) <= limit) (data as Float32Array)[written] = node;
    else writeCell(data, input.elementType, written, node, () => valuePhrase(label, written + 1), false, allowMissing);
    written++;
  };
  fill(value, 0);
  if (written !== count) throw shapeCountRefusal(label, shape, count, written);
  // MLflow clients often send a column as a flat list: [N] for an [N, 1] input.
  if (declaredShape === null && input.shape?.length === 2 && shape.length === 1 && input.shape[1] === 1) shape = [shape[0]!, 1];
  checkShape(input, shape, label);
  return new ort.Tensor(ortType(input.elementType), data as never, shape);
}

/** `<label> value <n>`: where a bad value of a nested list sits. */
function valuePhrase(label: TensorLabel, index: number): Phrase {
  const named = labelPhrase(label);
  return phrase(`${named.text} value ${index}`, "at.value", { label: [named.said], index: String(index) });
}

function shapeCountRefusal(label: TensorLabel, shape: readonly number[], count: number, held: number): DomainError {
  const named = labelPhrase(label);
  const dims = `[${shape.join(", ")}]`;
  return badRequest(
    `${named.text}: shape ${dims} needs ${count} values, but the data holds ${held}.`,
    sentence("error.serving.shape_count", { label: [named.said], shape: dims, count: String(count), held: String(held) }),
  );
}

export function checkShape(input: ServedValue, shape: readonly number[], label: TensorLabel): void {
  if (input.shape === null) return;
  // The refusals are written only when refusing: every request's shape is checked, and building the text cost more than the check.
  if (shape.length !== input.shape.length) throw shapeRankRefusal(input, shape, label);
  for (let d = 0; d < shape.length; d++) {
    const want = input.shape[d];
    if (want !== null && want !== shape[d]) throw shapeDimensionRefusal(input, shape, label, d);
  }
}

/** A declared shape as the refusals write it: free dimensions as -1. */
function declaredShapeText(input: ServedValue): string {
  return `[${input.shape!.map((d) => d ?? -1).join(", ")}]`;
}

function shapeRankRefusal(input: ServedValue, shape: readonly number[], label: TensorLabel): DomainError {
  const named = labelPhrase(label);
  const dims = `[${shape.join(", ")}]`;
  const expected = declaredShapeText(input);
  return badRequest(
    `${named.text}: shape ${dims} does not fit the model's input '${input.name}' of shape ${expected} (rank ${input.shape!.length}).`,
    sentence("error.serving.shape_rank", { label: [named.said], shape: dims, input: input.name, expected, rank: String(input.shape!.length) }),
  );
}

function shapeDimensionRefusal(input: ServedValue, shape: readonly number[], label: TensorLabel, d: number): DomainError {
  const named = labelPhrase(label);
  const dims = `[${shape.join(", ")}]`;
  const expected = declaredShapeText(input);
  return badRequest(
    `${named.text}: shape ${dims} has ${shape[d]} at dimension ${d}, but the model's input '${input.name}' has shape ${expected}.`,
    sentence("error.serving.shape_dimension", { label: [named.said], shape: dims, size: String(shape[d]), dimension: String(d), input: input.name, expected }),
  );
}

/** Plain JSON numbers (int64 as numbers: model outputs are labels and counts far below 2^53) or strings of a tensor. */
export function tensorValues(tensor: ort.Tensor): (number | string | boolean)[] {
  const data = tensor.data as ArrayLike<number | bigint | string>;
  const out = new Array<number | string | boolean>(data.length);
  if (tensor.type === "int64" || tensor.type === "uint64") for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  else if (tensor.type === "bool") for (let i = 0; i < data.length; i++) out[i] = data[i] === 1 || (data[i] as unknown) === true;
  else for (let i = 0; i < data.length; i++) out[i] = data[i] as number | string;
  return out;
}

/** A tensor as nested lists, as numpy's tolist(). */
export function tensorToNested(tensor: ort.Tensor): unknown {
  const flat = tensorValues(tensor);
  const dims = tensor.dims;
  if (dims.length <= 1) return flat;
  const build = (depth: number, offset: number): unknown[] => {
    const size = dims.slice(depth + 1).reduce((a, b) => a * b, 1);
    const out = new Array<unknown>(dims[depth]!);
    for (let i = 0; i < dims[depth]!; i++) out[i] = depth === dims.length - 1 ? flat[offset + i] : build(depth + 1, offset + i * size);
    return out;
  };
  return build(0, 0);
}
