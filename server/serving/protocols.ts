// The two wire protocols of model serving on top of one served model: MLflow's scoring protocol (pyfunc
// `/invocations` bodies and CSV) and the Open Inference Protocol v2 (KServe / Triton typed tensors).
import Papa from "papaparse";
import type * as ort from "onnxruntime-node";
import type { ModelDescription } from "./model-server";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";
import { badRequest, checkShape, feedsFromCells, tensorFromJson, tensorToNested, tensorValues, type CellReader, type OrtFeeds } from "./tensors";

/**
 * "frame": the request was a table (dataframe_split, dataframe_records, CSV, instances as rows) → one prediction per row.
 * "tensor": the request named tensors (inputs, instances of a single-input model) → outputs as tensors.
 */
export type MlflowRequestStyle = "frame" | "tensor";

export interface ScoringRequest {
  feeds: OrtFeeds;
  style: MlflowRequestStyle;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A refusal of a request's layout: its English message and its catalogue sentence `error.serving.<code>`. */
function refuse(message: string, code: string, params: ServerSentence["params"] = {}) {
  return badRequest(message, sentence(`error.serving.${code}`, params));
}

/** "a and b and c" as English writes it, and as a sentence another language joins with its own word. */
function joinedWithAnd(parts: readonly string[]): { text: string; said: ServerSentence["params"][string] } {
  let said: ServerSentence["params"][string] = parts[0] ?? "";
  for (const part of parts.slice(1)) said = [sentence("error.serving.and", { first: said, next: part })];
  return { text: parts.join(" and "), said };
}

/** "Missing input 'a'" / "Missing inputs 'a', 'b'": the names quoted, and how many (the plural). */
function missingNames(names: readonly string[]): { text: string; count: number; list: string } {
  const list = names.map((name) => `'${name}'`).join(", ");
  return { text: `Missing input${names.length > 1 ? "s" : ""} ${list}`, count: names.length, list };
}

function columnList(model: ModelDescription): string {
  const keys = model.fields.map((f) => f.key);
  return keys.length > 12 ? `${keys.slice(0, 12).join(", ")}, … (${keys.length} columns)` : keys.join(", ");
}

/** columnList as a sentence's value: a long list's "(N columns)" is said in the caller's language. */
function saidColumnList(model: ModelDescription): ServerSentence["params"][string] {
  const keys = model.fields.map((f) => f.key);
  return keys.length > 12 ? [sentence("error.serving.columns_cut", { columns: keys.slice(0, 12).join(", "), count: String(keys.length) })] : keys.join(", ");
}

/** Which model field each request column feeds (by name, or by position for an unnamed feature matrix). */
function fieldOfColumns(model: ModelDescription, columns: readonly unknown[]): Int32Array {
  const columnOfField = new Int32Array(model.fields.length).fill(-1);
  const byName = columns.every((c) => typeof c === "string" && model.fieldIndex.has(c));
  if (!byName && !model.namedColumns) {
    if (columns.length !== model.fields.length) {
      throw refuse(`The model takes ${model.fields.length} columns in order (its features have no names), but the request has ${columns.length}.`, "unnamed_columns", {
        count: String(model.fields.length),
        sent: String(columns.length),
      });
    }
    for (let f = 0; f < columnOfField.length; f++) columnOfField[f] = f;
    return columnOfField;
  }
  for (let c = 0; c < columns.length; c++) {
    const name = columns[c];
    const field = typeof name === "string" ? model.fieldIndex.get(name) : undefined;
    if (field === undefined) {
      const column = JSON.stringify(name);
      throw badRequest(`Unknown column ${column}: the model takes ${columnList(model)}.`, sentence("error.serving.unknown_column", { column, known: saidColumnList(model) }));
    }
    columnOfField[field] = c;
  }
  const missing = model.fields.filter((_, f) => columnOfField[f] === -1).map((f) => `'${f.key}'`);
  if (missing.length) {
    const said = sentence("error.serving.missing_columns", { count: missing.length, columns: missing.join(", "), known: saidColumnList(model) });
    throw badRequest(`Missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: the model takes ${columnList(model)}.`, said);
  }
  return columnOfField;
}

function feedsFromTable(model: ModelDescription, columns: readonly unknown[], data: readonly unknown[], fromText: boolean, what: string): OrtFeeds {
  const columnOfField = fieldOfColumns(model, columns);
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (!Array.isArray(row) || row.length !== columns.length) {
      const got = Array.isArray(row) ? sentence("error.serving.got.values", { count: String(row.length) }) : sentence("error.serving.got.type", { type: typeof row });
      throw refuse(`${what} row ${r + 1} must be a list of ${columns.length} values (one per column), got ${Array.isArray(row) ? `${row.length} values` : typeof row}.`, "row_not_list", {
        what,
        row: String(r + 1),
        width: String(columns.length),
        got: [got],
      });
    }
  }
  const cell: CellReader = (r, f) => (data[r] as unknown[])[columnOfField[f]!];
  return feedsFromCells(model.inputs, model.fields, data.length, cell, fromText, model.handlesMissing);
}

function feedsFromRecords(model: ModelDescription, records: readonly unknown[], what: string): OrtFeeds {
  if (records.length === 0) throw refuse(`'${what}' is empty: send at least one record.`, "records_empty", { what });
  for (let r = 0; r < records.length; r++) {
    if (!isPlainObject(records[r])) throw refuse(`${what} item ${r + 1} must be an object of column → value.`, "record_not_object", { what, item: String(r + 1) });
  }
  const keys = Object.keys(records[0] as object);
  const columnOfField = fieldOfColumns(model, keys);
  const keyOfField = Array.from(columnOfField, (c) => keys[c]!);
  const cell: CellReader = (r, f) => (records[r] as Record<string, unknown>)[keyOfField[f]!];
  return feedsFromCells(model.inputs, model.fields, records.length, cell, false, model.handlesMissing);
}

function feedsFromNamedTensors(model: ModelDescription, named: Record<string, unknown>, what: string): OrtFeeds {
  const keys = Object.keys(named);
  const inputNames = new Set(model.inputs.map((i) => i.name));
  if (keys.length > 0 && keys.every((k) => inputNames.has(k))) {
    const absent = model.inputs.filter((i) => !(i.name in named)).map((i) => i.name);
    if (absent.length) {
      const missing = missingNames(absent);
      const known = model.inputs.map((i) => i.name).join(", ");
      throw refuse(`${missing.text} in '${what}': the model takes ${known}.`, "missing_inputs_in", { count: missing.count, inputs: missing.list, what, known });
    }
    const feeds: OrtFeeds = {};
    let batch: number | null = null;
    for (const input of model.inputs) {
      const tensor = tensorFromJson(input, named[input.name], null, { input: input.name }, model.handlesMissing);
      if (batch !== null && tensor.dims[0] !== batch) {
        throw refuse(`Input '${input.name}' has ${tensor.dims[0]} rows, the others ${batch}: every input needs the same number of rows.`, "input_rows_differ", {
          input: input.name,
          rows: String(tensor.dims[0]),
          others: String(batch),
        });
      }
      batch = tensor.dims[0] ?? null;
      feeds[input.name] = tensor;
    }
    return feeds;
  }
  // Columns of a named feature matrix: {"mean_radius": [..], …}.
  const columnOfField = fieldOfColumns(model, keys);
  const lists = keys.map((k) => named[k]);
  const rows = Array.isArray(lists[0]) ? lists[0].length : 0;
  for (let c = 0; c < lists.length; c++) {
    const list = lists[c];
    if (!Array.isArray(list) || list.length !== rows) throw refuse(`'${what}.${keys[c]}' must be a list of ${rows} values like the other columns.`, "column_not_list", { column: `${what}.${keys[c]}`, rows: String(rows) });
  }
  const cell: CellReader = (r, f) => (lists[columnOfField[f]!] as unknown[])[r];
  return feedsFromCells(model.inputs, model.fields, rows, cell, false, model.handlesMissing);
}

const MLFLOW_FIELDS = ["dataframe_split", "dataframe_records", "instances", "inputs"] as const;
const INSTANCES = { field: "instances" } as const;
const INPUTS = { field: "inputs" } as const;

/** Feeds from an MLflow scoring JSON body (already parsed). */
export function parseMlflowJson(model: ModelDescription, body: unknown): ScoringRequest {
  if (!isPlainObject(body)) throw badRequest(`The body must be a JSON object with one of ${MLFLOW_FIELDS.join(", ")}.`, sentence("error.serving.body_not_object", { fields: MLFLOW_FIELDS.join(", ") }));
  const present = MLFLOW_FIELDS.filter((f) => body[f] !== undefined);
  if (present.length !== 1) {
    const fields = MLFLOW_FIELDS.join(", ");
    if (present.length === 0) {
      const has = Object.keys(body).join(", ");
      throw has
        ? refuse(`The body must have one of the fields ${fields} (MLflow's scoring protocol); it has ${has}.`, "no_field", { fields, has })
        : refuse(`The body must have one of the fields ${fields} (MLflow's scoring protocol); it has none.`, "no_field_empty", { fields });
    }
    const both = joinedWithAnd(present);
    throw refuse(`The body has ${both.text}; send exactly one of ${fields}.`, "several_fields", { present: both.said, fields });
  }
  const field = present[0]!;
  const value = body[field];
  if (field === "dataframe_split") {
    if (!isPlainObject(value) || !Array.isArray(value.data)) {
      const layout = '{"columns": [...], "data": [[...], ...]}';
      throw refuse(`'dataframe_split' must be an object ${layout}.`, "split_not_object", { layout });
    }
    const data = value.data;
    if (data.length === 0) throw refuse("'dataframe_split.data' is empty: send at least one row.", "split_data_empty");
    let columns: readonly unknown[];
    if (value.columns === undefined) {
      const width = Array.isArray(data[0]) ? data[0].length : 0;
      if (model.namedColumns && width !== model.fields.length) throw refuse(`'dataframe_split' has no 'columns': name them (${columnList(model)}).`, "split_no_columns", { known: saidColumnList(model) });
      columns = model.fields.map((f) => f.key).slice(0, width);
      if (width !== model.fields.length) columns = Array.from({ length: width }, (_, i) => `column ${i + 1}`);
    } else if (!Array.isArray(value.columns)) throw refuse("'dataframe_split.columns' must be a list of column names.", "split_columns_not_list");
    else columns = value.columns;
    return { feeds: feedsFromTable(model, columns, data, false, "dataframe_split.data"), style: "frame" };
  }
  if (field === "dataframe_records") {
    if (!Array.isArray(value)) throw refuse("'dataframe_records' must be a list of objects, one per row.", "records_not_list");
    return { feeds: feedsFromRecords(model, value, "dataframe_records"), style: "frame" };
  }
  if (field === "instances") {
    if (!Array.isArray(value) || value.length === 0) throw refuse("'instances' must be a non-empty list.", "instances_not_list");
    if (isPlainObject(value[0])) return { feeds: feedsFromRecords(model, value, "instances"), style: "frame" };
    if (model.inputs.length === 1) return { feeds: { [model.inputs[0]!.name]: tensorFromJson(model.inputs[0]!, value, null, INSTANCES, model.handlesMissing) }, style: "tensor" };
    return { feeds: feedsFromTable(model, model.fields.map((f) => f.key), value, false, "instances"), style: "frame" };
  }
  if (Array.isArray(value)) {
    if (model.inputs.length !== 1) {
      const names = model.inputs.map((i) => i.name).join(", ");
      throw refuse(`The model has ${model.inputs.length} inputs (${names}): send 'inputs' as an object keyed by input name.`, "inputs_need_object", { count: String(model.inputs.length), names });
    }
    return { feeds: { [model.inputs[0]!.name]: tensorFromJson(model.inputs[0]!, value, null, INPUTS, model.handlesMissing) }, style: "tensor" };
  }
  if (!isPlainObject(value)) throw refuse("'inputs' must be a list (one tensor) or an object of input name → nested list.", "inputs_not_list");
  return { feeds: feedsFromNamedTensors(model, value, "inputs"), style: "tensor" };
}

/** Feeds from a CSV body: a header row of column names, then one row per prediction. */
export function parseMlflowCsv(model: ModelDescription, text: string): ScoringRequest {
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
  if (parsed.errors.length) {
    const { message: reason, row } = parsed.errors[0]!;
    throw refuse(`The CSV body could not be read: ${reason} (row ${(row ?? 0) + 1}).`, "csv_unreadable", { reason, row: String((row ?? 0) + 1) });
  }
  const [header, ...rows] = parsed.data;
  if (!header || rows.length === 0) throw refuse("The CSV body needs a header row of column names and at least one data row.", "csv_empty");
  return { feeds: feedsFromTable(model, header, rows, true, "CSV"), style: "frame" };
}

/**
 * MLflow's `{"predictions": …}`. Our choice (documented in bench/README.md's serving section):
 * - table requests: one prediction per row; a model with one output gives its values ([N] and [N,1] as numbers,
 *   [N,k] as lists), a model with several (classifiers: label + probabilities) gives per-row objects
 *   {"label": 1, "probabilities": [0.02, 0.98]} — MLflow's onnx flavor returns a DataFrame with one column per output,
 *   serialised as records, but cannot hold [N,k] outputs; this keeps its shape and adds the probabilities;
 * - tensor requests: the outputs as nested lists, keyed by output name when there are several (MLflow's dict form).
 */
export function mlflowPredictions(results: ort.InferenceSession.OnnxValueMapType, outputNames: readonly string[], style: MlflowRequestStyle): unknown {
  if (style === "tensor") {
    if (outputNames.length === 1) return tensorToNested(results[outputNames[0]!] as ort.Tensor);
    return Object.fromEntries(outputNames.map((name) => [name, tensorToNested(results[name] as ort.Tensor)]));
  }
  const columns = outputNames.map((name) => {
    const tensor = results[name] as ort.Tensor;
    const values = tensorValues(tensor);
    const rows = tensor.dims[0] ?? values.length;
    const width = rows === 0 ? 0 : values.length / rows;
    return { name, values, rows, width };
  });
  const rowValue = (column: (typeof columns)[number], r: number): unknown =>
    column.width === 1 ? column.values[r] : column.values.slice(r * column.width, (r + 1) * column.width);
  const rows = columns[0]?.rows ?? 0;
  const out = new Array<unknown>(rows);
  if (columns.length === 1) {
    for (let r = 0; r < rows; r++) out[r] = rowValue(columns[0]!, r);
    return out;
  }
  for (let r = 0; r < rows; r++) {
    const record: Record<string, unknown> = {};
    for (const column of columns) record[column.name] = rowValue(column, r);
    out[r] = record;
  }
  return out;
}

// ---- Open Inference Protocol v2 ----

const OIP_DATATYPES: Record<string, string> = {
  float32: "FP32",
  float64: "FP64",
  float16: "FP16",
  int8: "INT8",
  int16: "INT16",
  int32: "INT32",
  int64: "INT64",
  uint8: "UINT8",
  uint16: "UINT16",
  uint32: "UINT32",
  uint64: "UINT64",
  bool: "BOOL",
  string: "BYTES",
};

export function oipDatatype(elementType: string): string {
  return OIP_DATATYPES[elementType] ?? elementType.toUpperCase();
}

export function oipMetadata(model: ModelDescription): Record<string, unknown> {
  const tensor = (v: ModelDescription["inputs"][number]) => ({ name: v.name, datatype: oipDatatype(v.elementType), shape: (v.shape ?? [-1]).map((d) => d ?? -1) });
  return { name: model.name, versions: [model.version], platform: "onnxruntime", inputs: model.inputs.map(tensor), outputs: model.outputs.map(tensor) };
}

export interface OipInferRequest {
  id: string | undefined;
  feeds: OrtFeeds;
  outputs: string[];
}

/** An OIP request tensor's fields, as the refusals name them. */
const OIP_TENSOR = "{name, shape, datatype, data}";

export function parseOipInfer(model: ModelDescription, body: unknown): OipInferRequest {
  if (!isPlainObject(body)) throw refuse(`The body must be a JSON object with 'inputs': [${OIP_TENSOR}].`, "oip_body_not_object", { tensor: OIP_TENSOR });
  if (body.id !== undefined && typeof body.id !== "string") throw refuse("'id' must be a string.", "oip_id");
  if (!Array.isArray(body.inputs) || body.inputs.length === 0) throw refuse(`'inputs' must be a non-empty list of tensors ${OIP_TENSOR}.`, "oip_inputs_not_list", { tensor: OIP_TENSOR });
  const feeds: OrtFeeds = {};
  for (let i = 0; i < body.inputs.length; i++) {
    const tensor = body.inputs[i];
    if (!isPlainObject(tensor) || typeof tensor.name !== "string") throw refuse(`inputs[${i}] must be an object with a 'name'.`, "oip_input_not_object", { index: String(i) });
    const input = model.inputs.find((m) => m.name === tensor.name);
    if (!input) {
      const known = model.inputs.map((m) => `'${m.name}'`).join(", ");
      throw refuse(`Unexpected input '${tensor.name}': the model takes ${known}.`, "oip_unexpected_input", { input: tensor.name, known });
    }
    if (tensor.name in feeds) throw refuse(`Input '${tensor.name}' is given twice.`, "oip_input_twice", { input: tensor.name });
    const shape = tensor.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
      throw refuse(`Input '${tensor.name}': 'shape' must be a list of non-negative integers.`, "oip_shape", { input: tensor.name });
    }
    const expected = oipDatatype(input.elementType);
    if (tensor.datatype !== expected) {
      const datatype = String(JSON.stringify(tensor.datatype));
      throw refuse(`Input '${tensor.name}' has datatype ${datatype}, but the model expects ${expected}.`, "oip_datatype", { input: tensor.name, datatype, expected });
    }
    if (!Array.isArray(tensor.data)) throw refuse(`Input '${tensor.name}': 'data' must be a list of values (row-major).`, "oip_data", { input: tensor.name });
    const label = { input: tensor.name };
    checkShape(input, shape as number[], label);
    feeds[input.name] = tensorFromJson(input, tensor.data, shape as number[], label, model.handlesMissing);
  }
  const absent = model.inputs.filter((m) => !(m.name in feeds)).map((m) => m.name);
  if (absent.length) {
    const missing = missingNames(absent);
    throw refuse(`${missing.text}.`, "missing_inputs", { count: missing.count, inputs: missing.list });
  }
  let outputs = model.outputs.map((o) => o.name);
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs)) throw refuse("'outputs' must be a list of {name}.", "oip_outputs_not_list", { output: "{name}" });
    outputs = body.outputs.map((o, i) => {
      const name = isPlainObject(o) ? o.name : undefined;
      if (typeof name !== "string" || !model.outputs.some((m) => m.name === name)) {
        const known = model.outputs.map((m) => `'${m.name}'`).join(", ");
        const output = String(JSON.stringify(name));
        throw refuse(`outputs[${i}]: unknown output ${output}; the model has ${known}.`, "oip_unknown_output", { index: String(i), output, known });
      }
      return name;
    });
  }
  return { id: body.id as string | undefined, feeds, outputs };
}

export function oipOutputs(results: ort.InferenceSession.OnnxValueMapType, names: readonly string[], model: ModelDescription): unknown[] {
  return names.map((name) => {
    const tensor = results[name] as ort.Tensor;
    const declared = model.outputs.find((o) => o.name === name);
    return { name, shape: tensor.dims, datatype: oipDatatype(declared?.elementType ?? tensor.type), data: tensorValues(tensor) };
  });
}
