// What the serving endpoints hand to the inference log: the request's feature columns and one prediction per row,
// read from the feeds and outputs the model ran on (so the log holds exactly what the model saw and said). All-numeric
// requests (the usual case) are packed as numbers, without building an object per request: the writer thread turns
// them into the very rows the object form gives. A canary's and a shadow's answers take the same path, with their route.
import { redactErrorForLog } from "../auth/log-redaction";
import type * as ort from "onnxruntime-node";
import type { Database } from "@/db/client";
import type { ModelDescription } from "../serving/model-server";
import { recordCompactInference, recordInference } from "./inference-log";

/** Input rows logged per request at most (all of them for requests up to this size). */
export const MAX_LOGGED_INPUT_ROWS = 16;

function cellsOf(tensor: ort.Tensor): ArrayLike<number | bigint | string | boolean> {
  return tensor.data as ArrayLike<number | bigint | string | boolean>;
}

function plain(value: number | bigint | string | boolean | undefined): number | string | null {
  if (value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  return value;
}

/** The prediction of each row: the first single-column output (a classifier's label, a regressor's value). */
function predictionsOf(model: ModelDescription, results: ort.InferenceSession.OnnxValueMapType, rows: number): (number | string)[] {
  for (const output of model.outputs) {
    const tensor = results[output.name] as ort.Tensor | undefined;
    if (!tensor || tensor.dims[0] !== rows) continue;
    const cells = cellsOf(tensor);
    if (cells.length !== rows) continue;
    const out = new Array<number | string>(rows);
    for (let r = 0; r < rows; r++) out[r] = plain(cells[r]) ?? Number.NaN;
    return out;
  }
  return [];
}

/** The input keys of a served version, one array per loaded model (the log's writer knows it by this array). */
const keysByModel = new WeakMap<ModelDescription, string[]>();
/** Reused for every request: the packed values are copied into the log's batch at once. */
let scratch = new Float64Array(1024);

function numeric(value: number | bigint | string | boolean | undefined): number {
  // plain() with NaN for null: finite numbers as they are, bigint and boolean as numbers, the rest null.
  if (typeof value === "number") return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return Number.NaN;
}

/** The tensor of predictions predictionsOf reads, or undefined when none fits (then no prediction is logged). */
function predictionTensor(model: ModelDescription, results: ort.InferenceSession.OnnxValueMapType, rows: number): ort.Tensor | undefined {
  for (const output of model.outputs) {
    const tensor = results[output.name] as ort.Tensor | undefined;
    if (tensor && tensor.dims[0] === rows && cellsOf(tensor).length === rows) return tensor;
  }
  return undefined;
}

/**
 * Packs the request as numbers and queues it; false when some logged value is text (or an input is missing), which
 * the object form handles.
 */
function recordPacked(db: Database, model: ModelDescription, entry: ServedEntry, rows: number, sampled: readonly number[]): boolean | "queued" | "dropped" {
  const prediction = predictionTensor(model, entry.results, rows);
  if (prediction?.type === "string") return false;
  const fields = model.fields;
  const predictionCount = prediction ? rows : 0;
  const length = fields.length * sampled.length + predictionCount;
  for (const field of fields) {
    const tensor = entry.feeds[model.inputs[field.input]!.name];
    if (!tensor || tensor.type === "string") return false;
  }
  if (scratch.length < length) scratch = new Float64Array(Math.max(length, scratch.length * 2));
  let at = 0;
  for (const field of fields) {
    const cells = cellsOf(entry.feeds[model.inputs[field.input]!.name]!);
    const width = cells.length / rows;
    for (const r of sampled) scratch[at++] = numeric(cells[r * width + field.column]);
  }
  if (prediction) {
    const cells = cellsOf(prediction);
    for (let r = 0; r < rows; r++) scratch[at++] = numeric(cells[r]);
  }
  let keys = keysByModel.get(model);
  if (!keys) keysByModel.set(model, (keys = fields.map((f) => f.key)));
  const queued = recordCompactInference(db, {
    modelId: model.modelId,
    versionId: model.versionId,
    requestId: entry.requestId,
    at: Date.now(),
    latencyMs: performance.now() - entry.startedAt,
    protocol: entry.protocol,
    route: entry.route,
    keys,
    sampledRows: sampled.length,
    values: scratch,
    predictionCount,
  });
  return queued ? "queued" : "dropped";
}

/** The rows logged of a small request, 0…rows-1, made once for every size (read only). */
const EVERY_ROW: readonly (readonly number[])[] = Array.from({ length: MAX_LOGGED_INPUT_ROWS + 1 }, (_, rows) => Array.from({ length: rows }, (_, i) => i));

/** A served answer to log: what the model saw and said; `route` for a canary's or shadow's answer (never sampled out). */
export interface ServedEntry {
  requestId: string;
  startedAt: number;
  feeds: Record<string, ort.Tensor>;
  results: ort.InferenceSession.OnnxValueMapType;
  protocol: "mlflow" | "v2";
  route?: "canary" | "shadow";
}

/**
 * Queues the request for the log (sampled unless routed, batched, never on the response's critical path); false when
 * it was not queued: sampled out, no room in the log (counted there), or unreadable. Never throws.
 */
export function logServedRequest(db: Database, model: ModelDescription, entry: ServedEntry): boolean {
  try {
    const firstInput = model.inputs[0] ? entry.feeds[model.inputs[0].name] : undefined;
    const rows = firstInput?.dims[0] ?? 0;
    if (!rows) return true;
    // Drift needs the distribution of inputs, not every row of a big batch: evenly spaced rows keep the log (and
    // its cost on the serving process) small; predictions are kept for every row, so feedback joins them all.
    const step = rows / MAX_LOGGED_INPUT_ROWS;
    const sampled = rows <= MAX_LOGGED_INPUT_ROWS ? EVERY_ROW[rows]! : Array.from({ length: MAX_LOGGED_INPUT_ROWS }, (_, i) => Math.floor(i * step));
    const packed = recordPacked(db, model, entry, rows, sampled);
    if (packed) return packed === "queued";
    const inputs: Record<string, (number | string | null)[]> = {};
    for (const field of model.fields) {
      const tensor = entry.feeds[model.inputs[field.input]!.name];
      if (!tensor) continue;
      const cells = cellsOf(tensor);
      const width = cells.length / rows;
      inputs[field.key] = sampled.map((r) => plain(cells[r * width + field.column]));
    }
    return recordInference(
      db,
      {
        modelId: model.modelId,
        versionId: model.versionId,
        requestId: entry.requestId,
        at: Date.now(),
        latencyMs: performance.now() - entry.startedAt,
        inputs,
        predictions: predictionsOf(model, entry.results, rows),
        protocol: entry.protocol,
        ...(entry.route ? { route: entry.route } : {}),
      },
      { sampled: !entry.route },
    );
  } catch (error) {
    console.error("[serving] could not log a request", redactErrorForLog(error));
    return false;
  }
}
