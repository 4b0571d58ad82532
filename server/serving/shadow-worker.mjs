// @ts-check
// The shadow's scoring thread (node:worker_threads), started by shadow-queue.ts. onnxruntime-node runs a session
// synchronously on the thread that calls it, so a shadow scored on the serving thread took its CPU from production's
// requests (~64 µs per copy at batch 1, most of it the run and packing its log entry). Here each shadowed version has a
// session of its own (built from the verified bytes the serving thread sends), copies arrive in batches as plain
// typed arrays (their rows stacked), and each answer goes back packed as the inference log's compact entries (the
// layout of inference-log.ts: an 8-slot header, the logged inputs key after key, then the predictions), which the
// serving thread hands to the log's writer as they are. Copies a run refuses are run alone so that only their errors
// are reported. Plain JavaScript on purpose: `next start` runs it as is (no TypeScript loader in a worker).
import { parentPort } from "node:worker_threads";
import ort from "onnxruntime-node";
import { SHADOW_THREAD_NAME, lowerThisThreadPriority, nameThisThread } from "../thread-priority.mjs";
import { traceEvent, traceNow } from "./stall-trace.mjs";

if (!parentPort) throw new Error("shadow-worker.mjs runs as a worker thread of shadow-queue.ts");
const port = parentPort;
// Copies can wait a few milliseconds; production's requests on the serving thread cannot: this thread yields the CPU
// to them (its sessions are created below, so onnxruntime's threads, if any, inherit the priority too).
nameThisThread(SHADOW_THREAD_NAME);
port.postMessage({ type: "priority", ...lowerThisThreadPriority() });

/** Input rows logged per request at most (MAX_LOGGED_INPUT_ROWS of serving-log.ts). */
const MAX_LOGGED_INPUT_ROWS = 16;
/** Slots of an entry's header (inference-log.ts); the serving thread writes the layout id into slot 0. */
const HEADER = 8;
/** protocol code + 2 × route code, route shadow = 2 (inference-log.ts). */
const SHADOW_ROUTE = 2 * 2;

/**
 * What the serving thread tells about a version: its session's inputs and outputs, and how the request's columns
 * ("fields") map onto the inputs, for the log.
 * @typedef {{ modelId: number, versionId: number, inputNames: string[], outputNames: string[],
 *   fields: { input: number, column: number, key: string }[] }} ShadowModel
 * @typedef {{ type: ort.Tensor.Type, data: ort.Tensor.DataType, dims: number[] }} TensorData
 */

/** @type {Map<number, { model: ShadowModel, session: Promise<ort.InferenceSession>, unstackable: boolean }>} */
const sessions = new Map();
/** Batches are scored one after the other, in the order they came (a session runs one batch at a time). */
let chain = Promise.resolve();
/** Test hook: ends a "hold" (batches wait meanwhile, as behind a slow shadow). */
/** @type {(() => void) | null} */
let resume = null;

port.on("message", (message) => {
  switch (message.type) {
    case "load": {
      const session = ort.InferenceSession.create(message.bytes, message.options);
      session.catch(() => undefined); // reported with the batches that need it
      sessions.set(message.session, { model: message.model, session, unstackable: false });
      break;
    }
    case "release": {
      const entry = sessions.get(message.session);
      sessions.delete(message.session);
      chain = chain.then(() => entry?.session.then((s) => s.release()).catch(() => undefined));
      break;
    }
    case "batch":
      chain = chain.then(() => scoreBatch(message)).catch((error) => port.postMessage({ type: "error", message: String(error?.stack ?? error) }));
      break;
    case "hold":
      chain = chain.then(() => new Promise((resolve) => (resume = () => resolve(undefined))));
      break;
    case "resume":
      resume?.();
      resume = null;
      break;
    case "close":
      chain = chain.then(async () => {
        for (const entry of sessions.values()) await entry.session.then((s) => s.release()).catch(() => undefined);
        sessions.clear();
        port.close();
      });
      break;
  }
});

/** @param {unknown} error */
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

/** @param {unknown} value */
function numeric(value) {
  // serving-log.ts's numeric(): finite numbers as they are, bigint and boolean as numbers, the rest null (NaN).
  if (typeof value === "number") return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return Number.NaN;
}

/** @param {unknown} value @returns {number | string | null} */
function plain(value) {
  if (value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  return /** @type {string} */ (value);
}

/** @param {number[]} dims */
function widthOf(dims) {
  let width = 1;
  for (let k = 1; k < dims.length; k++) width *= dims[k];
  return width;
}

/** The rows of one copy's answer to log, serving-log.ts's choice: all of them up to 16, else 16 evenly spaced. */
/** @param {number} rows */
function sampledRows(rows) {
  if (rows <= MAX_LOGGED_INPUT_ROWS) return Array.from({ length: rows }, (_, i) => i);
  const step = rows / MAX_LOGGED_INPUT_ROWS;
  return Array.from({ length: MAX_LOGGED_INPUT_ROWS }, (_, i) => Math.floor(i * step));
}

/** Packed answers of one batch, grown as needed. */
class Packed {
  constructor() {
    this.numbers = new Float64Array(4096);
    this.used = 0;
    /** @type {number[]} which copies (their index in the batch) the entries are, in order */
    this.copies = [];
  }

  /** @param {number} length */
  reserve(length) {
    if (this.used + length <= this.numbers.length) return;
    const grown = new Float64Array(Math.max(this.numbers.length * 2, this.used + length));
    grown.set(this.numbers.subarray(0, this.used));
    this.numbers = grown;
  }
}

/**
 * Logs one copy's answer: `feeds` and `results` may hold other copies' rows too (a stacked run); this copy's are rows
 * `offset`…`offset + rows - 1` of every input and of every output whose first dimension is the run's row count.
 * @param {{ model: ShadowModel, packed: Packed, objects: object[], at: number, latencyMs: number, protocol: number }} out
 * @param {number} index @param {Record<string, TensorData>} feeds @param {Record<string, ort.Tensor>} results
 * @param {number} offset @param {number} rows @param {number} totalRows
 */
function logAnswer(out, index, feeds, results, offset, rows, totalRows) {
  const { model, packed } = out;
  if (!rows) return;
  const sampled = sampledRows(rows);
  // The prediction of each row: the first single-column output (serving-log.ts's predictionTensor).
  let prediction = null;
  for (const name of model.outputNames) {
    const tensor = results[name];
    if (tensor && tensor.dims[0] === totalRows && tensor.data.length === totalRows) {
      prediction = tensor;
      break;
    }
  }
  const fieldFeeds = model.fields.map((f) => feeds[model.inputNames[f.input]]);
  const textual = prediction?.type === "string" || fieldFeeds.some((t) => !t || t.type === "string");
  if (textual) {
    // Text features or labels: sent as an object (the log's object form), as serving-log.ts does.
    /** @type {Record<string, (number | string | null)[]>} */
    const inputs = {};
    model.fields.forEach((field, i) => {
      const tensor = fieldFeeds[i];
      if (!tensor) return;
      const width = widthOf(tensor.dims);
      inputs[field.key] = sampled.map((r) => plain(tensor.data[(offset + r) * width + field.column]));
    });
    const predictions = [];
    if (prediction) for (let r = 0; r < rows; r++) predictions.push(plain(prediction.data[offset + r]) ?? Number.NaN);
    out.objects.push({ index, at: out.at, latencyMs: out.latencyMs, inputs, predictions });
    return;
  }
  const predictionCount = prediction ? rows : 0;
  packed.reserve(HEADER + model.fields.length * sampled.length + predictionCount);
  const n = packed.numbers;
  let at = packed.used;
  n[at] = 0;
  n[at + 1] = model.modelId;
  n[at + 2] = model.versionId;
  n[at + 3] = out.at;
  n[at + 4] = out.latencyMs;
  n[at + 5] = out.protocol + SHADOW_ROUTE;
  n[at + 6] = sampled.length;
  n[at + 7] = predictionCount;
  at += HEADER;
  for (let i = 0; i < model.fields.length; i++) {
    const field = model.fields[i];
    const tensor = /** @type {TensorData} */ (fieldFeeds[i]);
    const width = widthOf(tensor.dims);
    for (const r of sampled) n[at++] = numeric(tensor.data[(offset + r) * width + field.column]);
  }
  if (prediction) for (let r = 0; r < rows; r++) n[at++] = numeric(prediction.data[offset + r]);
  packed.used = at;
  packed.copies.push(index);
}

/** @param {Record<string, TensorData>} feeds */
function tensorsOf(feeds) {
  /** @type {Record<string, ort.Tensor>} */
  const tensors = {};
  for (const [name, t] of Object.entries(feeds)) tensors[name] = new ort.Tensor(t.type, t.data, t.dims);
  return tensors;
}

/**
 * One copy's rows of stacked feeds, as feeds of their own (to run it alone).
 * @param {Record<string, TensorData>} feeds @param {number} offset @param {number} rows
 * @returns {Record<string, TensorData>}
 */
function sliceFeeds(feeds, offset, rows) {
  /** @type {Record<string, TensorData>} */
  const out = {};
  for (const [name, t] of Object.entries(feeds)) {
    const width = widthOf(t.dims);
    out[name] = { type: t.type, data: t.data.slice(offset * width, (offset + rows) * width), dims: [rows, ...t.dims.slice(1)] };
  }
  return out;
}

/**
 * A batch: `stacked` (every copy's rows in one set of feeds, `rows[i]` rows for copy i) or `alone` (each copy's own
 * feeds, when they could not be stacked), `protocols[i]` each copy's protocol code.
 * @param {{ batch: number, session: number, rows: number[], protocols: number[], stacked: Record<string, TensorData> | null,
 *   alone: Record<string, TensorData>[] | null }} message
 */
async function scoreBatch(message) {
  const entry = sessions.get(message.session);
  let session;
  try {
    if (!entry) throw new Error(`no session ${message.session}`);
    session = await entry.session;
  } catch (error) {
    port.postMessage({ type: "unloadable", batch: message.batch, message: messageOf(error) });
    return;
  }
  const model = entry.model;
  const tracedAt = traceNow();
  const startedAt = performance.now();
  const packed = new Packed();
  /** @type {object[]} */
  const objects = [];
  /** @type {{ index: number, message: string }[]} */
  const errors = [];
  const out = (/** @type {number} */ protocol) => ({ model, packed, objects, at: Date.now(), latencyMs: performance.now() - startedAt, protocol });
  const copies = message.rows.length;
  let scoredStacked = false;
  if (message.stacked && copies > 1 && !entry.unstackable) {
    const total = message.rows.reduce((a, b) => a + b, 0);
    try {
      const results = await session.run(tensorsOf(message.stacked), model.outputNames);
      let offset = 0;
      for (let i = 0; i < copies; i++) {
        logAnswer(out(message.protocols[i]), i, message.stacked, results, offset, message.rows[i], total);
        offset += message.rows[i];
      }
      scoredStacked = true;
    } catch {
      // One copy the model refuses fails the stacked run: each is run alone so only that copy's error is reported.
    }
  }
  if (!scoredStacked) {
    let failed = 0;
    let offset = 0;
    for (let i = 0; i < copies; i++) {
      const feeds = message.alone ? message.alone[i] : copies === 1 ? /** @type {Record<string, TensorData>} */ (message.stacked) : sliceFeeds(/** @type {Record<string, TensorData>} */ (message.stacked), offset, message.rows[i]);
      offset += message.rows[i];
      try {
        const results = await session.run(tensorsOf(feeds), model.outputNames);
        logAnswer(out(message.protocols[i]), i, feeds, results, 0, message.rows[i], message.rows[i]);
      } catch (error) {
        failed += 1;
        errors.push({ index: i, message: messageOf(error) });
      }
    }
    // Each copy alone succeeded where their stacked run failed: the model has a fixed batch dimension.
    if (message.stacked && copies > 1 && failed === 0) entry.unstackable = true;
  }
  const postedAt = performance.now();
  port.postMessage(
    { type: "scored", batch: message.batch, numbers: packed.numbers, used: packed.used, copies: packed.copies, objects, errors },
    [packed.numbers.buffer],
  );
  traceEvent("shadow-score", { t: tracedAt, ms: postedAt - startedAt, postMs: performance.now() - postedAt, copies });
}
