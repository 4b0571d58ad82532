// Shadow copies of production requests: each is scored by the shadow version after production has answered, off the
// request path; when the shadow falls behind (the queue is full) the copy is dropped and counted, so production never
// waits for its shadow. The shadow's answer goes to the log (route 'shadow', production's request id).
// Where it is scored: onnxruntime-node runs a session synchronously on the calling thread, so a shadow scored on the
// serving thread took ~64 µs of its CPU per copy (the run, and packing the answer for the log). Copies are therefore
// sent, every BATCH_DELAY_MS or MAX_BATCH copies, to a scoring thread (shadow-worker.mjs) with sessions of its own: the
// serving thread only copies each request's input cells into one stacked array per input (and hands the packed answers
// that come back to the log's writer). When the shadow takes the same inputs as production (a retrained version, the
// usual case), a copy reuses the tensors production already parsed from the request: no second parse on the serving
// thread. Once the shadow's description is known (after its first batch), such a copy's cells are written at once into
// the batch being filled (one growing typed array per input, request ids and row counts beside them), so the queue
// holds neither the request, its parse nor a closure over them while the batch waits: what waits survives the serving
// thread's scavenges, and a scavenge costs what survives it (issue 20: minor GC doubled with a shadow).
// STUDIO_SHADOW_COPY=at-send keeps each copy's parse until its batch is sent, as before (a same-run "before" of
// bench/serving-canary). STUDIO_SHADOW_SCORER=main scores on the serving thread as before (another; also what happens
// when the thread cannot start). Copies waiting together are scored in one run (rows stacked): at
// batch-1 traffic the per-run overhead, not the model, is most of a shadow's cost.
import path from "node:path";
import { Worker } from "node:worker_threads";
import type * as ort from "onnxruntime-node";
import type { Database } from "@/db/client";
import { redactErrorForLog } from "../auth/log-redaction";
import { toDomainError } from "../errors";
import { onProcessShutdown, SHUTDOWN_ORDER } from "../process-shutdown";
import { loadVersionModelBytes } from "../registry/model-store";
import { runModel, scoringRefusal, splitResults, stackFeedData, stackFeeds, type TensorData } from "./batched-run";
import { servingSessionOptions, type ModelDescription, type ModelServer, type ServedModel } from "./model-server";
import { logPackedShadowAnswers, logRoutedAnswer, logServingError, logShadowAnswerObject } from "./route-log";
import { stallTraceEnabled, traceEvent, traceNow } from "./stall-trace.mjs";

/** Copies waiting or being scored at most (STUDIO_SHADOW_QUEUE); beyond it new copies are dropped. */
const DEFAULT_MAX_QUEUED = Number(process.env.STUDIO_SHADOW_QUEUE) || 256;
/** Serving-thread scoring (STUDIO_SHADOW_SCORER=main): runs at once, one per core the shadow may take from production. */
const CONCURRENCY = Number(process.env.STUDIO_SHADOW_CONCURRENCY) || 1;
/** Copies stacked into one run at most (STUDIO_SHADOW_BATCH); the queue's backlog decides how many, up to this. */
const MAX_BATCH = Number(process.env.STUDIO_SHADOW_BATCH) || 64;
/**
 * How long a copy waits for others before its batch goes to the scoring thread (STUDIO_SHADOW_BATCH_DELAY_MS): each
 * batch's round trip costs the serving thread far more than its size suggests (a batch's postMessage took ~200 µs of
 * its CPU in a serving process under load, against 5-45 µs for the same message in an idle one), so fewer, fuller
 * batches are cheaper: 50 ms holds ~47 copies at 1,000 req/s where 20 ms held ~27, an expected 3-6 µs per request
 * less (bench/README.md, "Where the shadow's CPU goes": too little for bench/shadow-serving-thread.ts to resolve on a
 * loaded machine). The queue's bound still holds: 50 waiting and two batches of at most MAX_BATCH outstanding < 256.
 */
const BATCH_DELAY_MS = Number(process.env.STUDIO_SHADOW_BATCH_DELAY_MS) || 50;
/** Batches handed to the scoring thread and not answered yet, at most: the next waits while it is busy (and the queue bounds it). */
const MAX_OUTSTANDING = 2;
/** A shadowed version's session in the scoring thread is released after this long without copies (the shadow stopped). */
const SESSION_IDLE_MS = Number(process.env.STUDIO_SHADOW_SESSION_IDLE_MS) || 60_000;
const DEFAULT_SCORER: "worker" | "main" = process.env.STUDIO_SHADOW_SCORER === "main" ? "main" : "worker";
/** Whether copies are stacked when queued (the default) or parsed and stacked when their batch is sent (STUDIO_SHADOW_COPY=at-send). */
const DEFAULT_COPY_AT: "enqueue" | "send" = process.env.STUDIO_SHADOW_COPY === "at-send" ? "send" : "enqueue";

/** Builds the shadow's feeds from the request as it arrived: the shadow may take other inputs than production. */
export type ShadowParse = (model: ModelDescription) => Record<string, ort.Tensor>;

/** What production made of the request: the version that parsed it and the tensors it scored. */
export interface ProductionParse {
  model: ServedModel;
  feeds: Record<string, ort.Tensor>;
}

export interface ShadowCopy {
  server: ModelServer;
  db: Database;
  modelName: string;
  version: string;
  requestId: string;
  protocol: "mlflow" | "v2";
  parse: ShadowParse;
  /** Production's parse of the same request, reused when the shadow takes the same inputs. */
  production?: ProductionParse | null;
}

/** Cells that can be stacked into one typed array (not text, whose cells are a plain array). */
type NumericCells = Exclude<ort.Tensor["data"], string[]>;

/** One input of a batch filled as copies are queued: its cells, every copy's rows one after the other. */
interface PackedInput {
  name: string;
  type: ort.Tensor.Type;
  /** Dimensions after the first (rows): every copy's must be these. */
  trailing: number[];
  cells: NumericCells;
  /** Cells written so far. */
  used: number;
}

/**
 * Copies of one shadow whose input cells were stacked when they were queued (struct of arrays: no object per copy is
 * kept, nor the request it came from). What the scoring thread is sent for them, as is.
 */
interface PackedCopies {
  packed: true;
  server: ModelServer;
  db: Database;
  modelName: string;
  version: string;
  /** The shadow's description the copies were checked against (takes the same inputs as production's parse). */
  model: ModelDescription;
  requestIds: string[];
  protocols: ShadowCopy["protocol"][];
  rows: number[];
  inputs: PackedInput[];
}

type QueueEntry = ShadowCopy | PackedCopies;

function isPacked(entry: QueueEntry): entry is PackedCopies {
  return (entry as PackedCopies).packed === true;
}

/** A batch handed to the scoring thread: its copies' request ids and protocols, in order, and where their answers go. */
interface Outstanding {
  worker: Worker;
  requestIds: string[];
  protocols: ShadowCopy["protocol"][];
  /** Each copy's row count. */
  rows: number[];
  /** Copies taken off the queue for it (its copies plus those whose parse failed): what `running` counts. */
  taken: number;
  model: ModelDescription;
  db: Database;
}

/** A shadowed version's session in the scoring thread (sent its bytes once), by the serving thread's loaded model. */
interface WorkerSession {
  worker: Worker;
  id: number;
  ready: Promise<number>;
  lastUsed: number;
}

interface QueueState {
  queue: QueueEntry[];
  /** Copies waiting in the queue (a packed entry holds several). */
  waiting: number;
  /** Serving-thread runs in progress (at most CONCURRENCY), or batches being prepared for the scoring thread. */
  active: number;
  /** Copies taken off the queue and not yet scored (or failed, or lost). */
  running: number;
  /** Batches scored since start: fewer than the copies scored when copies were stacked. */
  batches: number;
  dropped: number;
  scored: number;
  /** Copies that took production's parsed inputs, and copies parsed again for a shadow with other inputs. */
  reused: number;
  parsed: number;
  /** Of `reused`: copies whose cells were stacked when they were queued. */
  packed: number;
  copyAt: "enqueue" | "send";
  /** The shadow's description per model server, "name\0version", once a batch of it was sent (what packing checks copies against). */
  described: WeakMap<ModelServer, Map<string, ModelDescription>>;
  maxQueued: number;
  idle: (() => void)[];
  scorer: "worker" | "main";
  worker: Worker | null;
  workerFailed: boolean;
  outstanding: Map<number, Outstanding>;
  nextBatchId: number;
  sessions: Map<ModelDescription, WorkerSession>;
  nextSessionId: number;
  timer: ReturnType<typeof setTimeout> | null;
  sweeper: ReturnType<typeof setInterval> | null;
  /** The scoring thread's Linux thread id, niceness and scheduling policy (SCHED_IDLE or not), once it lowered its priority (thread-priority.mjs). */
  scoringThread: { tid: number; nice: number; policy: "idle" | "normal" } | null;
}
const holder = globalThis as unknown as { studioShadowQueue?: QueueState };
const state: QueueState = (holder.studioShadowQueue ??= {
  queue: [],
  waiting: 0,
  active: 0,
  running: 0,
  batches: 0,
  dropped: 0,
  scored: 0,
  reused: 0,
  parsed: 0,
  packed: 0,
  copyAt: DEFAULT_COPY_AT,
  described: new WeakMap(),
  maxQueued: DEFAULT_MAX_QUEUED,
  idle: [],
  scorer: DEFAULT_SCORER,
  worker: null,
  workerFailed: false,
  outstanding: new Map(),
  nextBatchId: 1,
  sessions: new Map(),
  nextSessionId: 1,
  timer: null,
  sweeper: null,
  scoringThread: null,
});
// A queue kept from an older module (a dev server's reload) lacks the newer fields.
state.reused ??= 0;
state.parsed ??= 0;
state.packed ??= 0;
state.copyAt ??= DEFAULT_COPY_AT;
state.described ??= new WeakMap();
state.waiting ??= state.queue.length;
state.scorer ??= DEFAULT_SCORER;
state.worker ??= null;
state.workerFailed ??= false;
state.outstanding ??= new Map();
state.nextBatchId ??= 1;
state.sessions ??= new Map();
state.nextSessionId ??= 1;
state.scoringThread ??= null;
state.timer ??= null;
state.sweeper ??= null;
/** Sessions whose stacked run failed while each copy alone succeeded (a fixed batch dimension): scored one by one. */
const unstackable = new WeakSet<ort.InferenceSession>();

/** Queues a copy for the shadow; false when the queue is full and the copy was dropped (counted). */
export function enqueueShadowCopy(copy: ShadowCopy): boolean {
  if (state.waiting + state.running >= state.maxQueued) {
    state.dropped += 1;
    return false;
  }
  if (!packOnEnqueue(copy)) state.queue.push(copy);
  state.waiting += 1;
  if (state.scorer === "main") {
    // After the current request's answer is written: setImmediate runs once the I/O of this turn is done.
    if (state.active < CONCURRENCY) setImmediate(drain);
  } else if (state.waiting >= MAX_BATCH) {
    setImmediate(drain);
  } else {
    state.timer ??= setTimeout(drain, BATCH_DELAY_MS);
  }
  return true;
}

/** The shadow's description as its last batch found it, while still loaded and loadable (else: describe it again at send time). */
function knownDescription(copy: ShadowCopy): ModelDescription | null {
  const model = state.described.get(copy.server)?.get(`${copy.modelName}\0${copy.version}`);
  return model && !model.retired && !unloadable.has(model) ? model : null;
}

function remember(copy: { server: ModelServer; modelName: string; version: string }, model: ModelDescription): void {
  let byName = state.described.get(copy.server);
  if (!byName) state.described.set(copy.server, (byName = new Map()));
  byName.set(`${copy.modelName}\0${copy.version}`, model);
}

/**
 * Writes the copy's cells into the batch being filled, when it can: scored on the scoring thread, the shadow's
 * description known and taking production's inputs, every input numeric. False: queue the copy itself (parsed, or its
 * production parse stacked, when its batch is sent).
 */
function packOnEnqueue(copy: ShadowCopy): boolean {
  if (state.copyAt !== "enqueue" || state.scorer !== "worker" || state.workerFailed || !copy.production) return false;
  const model = knownDescription(copy);
  if (!model || !takesSameInputs(copy.production.model, model)) return false;
  const feeds = copy.production.feeds;
  const names = Object.keys(feeds);
  if (!names.length) return false;
  let rows = -1;
  for (const name of names) {
    const tensor = feeds[name]!;
    if (Array.isArray(tensor.data) || !tensor.dims.length) return false;
    if (rows < 0) rows = tensor.dims[0]!;
    else if (tensor.dims[0] !== rows) return false;
  }
  const last = state.queue[state.queue.length - 1];
  let batch = last && isPacked(last) && last.requestIds.length < MAX_BATCH && last.model === model && last.db === copy.db && fits(last, feeds) ? last : null;
  if (!batch) {
    batch = newPackedCopies(copy, model, feeds);
    state.queue.push(batch);
  }
  for (const input of batch.inputs) appendCells(input, feeds[input.name]!.data as NumericCells);
  batch.requestIds.push(copy.requestId);
  batch.protocols.push(copy.protocol);
  batch.rows.push(rows);
  state.reused += 1;
  state.packed += 1;
  return true;
}

/** Whether a copy's feeds stack onto the batch's: the same inputs, element types and dimensions after the rows. */
function fits(batch: PackedCopies, feeds: Record<string, ort.Tensor>): boolean {
  let count = 0;
  for (const input of batch.inputs) {
    const tensor = feeds[input.name];
    if (!tensor || tensor.type !== input.type || tensor.dims.length !== input.trailing.length + 1) return false;
    for (let k = 0; k < input.trailing.length; k++) if (tensor.dims[k + 1] !== input.trailing[k]) return false;
    count += 1;
  }
  return count === Object.keys(feeds).length;
}

function newPackedCopies(copy: ShadowCopy, model: ModelDescription, feeds: Record<string, ort.Tensor>): PackedCopies {
  const inputs = Object.entries(feeds).map(([name, tensor]): PackedInput => {
    const Typed = tensor.data.constructor as new (length: number) => NumericCells;
    // Room for a full batch of copies the size of this one: most batches never grow.
    return { name, type: tensor.type, trailing: tensor.dims.slice(1), cells: new Typed(Math.max(1, tensor.data.length) * MAX_BATCH), used: 0 };
  });
  return { packed: true, server: copy.server, db: copy.db, modelName: copy.modelName, version: copy.version, model, requestIds: [], protocols: [], rows: [], inputs };
}

type SettableCells = NumericCells & { set(source: ArrayLike<unknown>, offset?: number): void };

function appendCells(input: PackedInput, cells: NumericCells): void {
  if (input.used + cells.length > input.cells.length) {
    const Typed = input.cells.constructor as new (length: number) => SettableCells;
    const grown = new Typed(Math.max(input.cells.length * 2, input.used + cells.length));
    grown.set(input.cells.subarray(0, input.used) as ArrayLike<unknown>);
    input.cells = grown;
  }
  (input.cells as SettableCells).set(cells as ArrayLike<unknown>, input.used);
  input.used += cells.length;
}

/** What a request's parse depends on, per loaded version: its inputs, the request columns and how they map, nulls. */
const inputSignatures = new WeakMap<ModelDescription, string>();

function inputSignature(model: ModelDescription): string {
  let signature = inputSignatures.get(model);
  if (signature === undefined) {
    signature = JSON.stringify([model.inputs, model.fields, model.namedColumns, model.handlesMissing]);
    inputSignatures.set(model, signature);
  }
  return signature;
}

/** Whether two versions make the same tensors of any request (so one's parse can feed the other). */
export function takesSameInputs(a: ModelDescription, b: ModelDescription): boolean {
  return a === b || inputSignature(a) === inputSignature(b);
}

/** The shadow's feeds for a copy: production's own when the shadow takes the same inputs, else the request parsed again. */
function feedsFor(copy: ShadowCopy, model: ModelDescription): Record<string, ort.Tensor> {
  if (copy.production && takesSameInputs(copy.production.model, model)) {
    state.reused += 1;
    return copy.production.feeds;
  }
  state.parsed += 1;
  return copy.parse(model);
}

function sameTarget(a: ShadowCopy, b: ShadowCopy): boolean {
  return a.server === b.server && a.db === b.db && a.modelName === b.modelName && a.version === b.version;
}

/** The head of the queue: a packed batch, or the copies there for the same shadow (up to MAX_BATCH), taken off the queue. */
function takeBatch(): PackedCopies | ShadowCopy[] {
  const head = state.queue[0]!;
  if (isPacked(head)) {
    state.queue.shift();
    state.waiting -= head.requestIds.length;
    return head;
  }
  let n = 1;
  while (n < state.queue.length && n < MAX_BATCH) {
    const next = state.queue[n]!;
    if (isPacked(next) || !sameTarget(head, next)) break;
    n += 1;
  }
  state.waiting -= n;
  return state.queue.splice(0, n) as ShadowCopy[];
}

/** Copies in a batch taken off the queue. */
function copiesIn(batch: PackedCopies | ShadowCopy[]): number {
  return Array.isArray(batch) ? batch.length : batch.requestIds.length;
}

function drain(): void {
  if (state.timer) {
    clearTimeout(state.timer);
    state.timer = null;
  }
  const worker = state.scorer === "worker" ? workerOrNull() : null;
  const limit = worker ? MAX_OUTSTANDING : CONCURRENCY;
  while (state.active + (worker ? state.outstanding.size : 0) < limit && state.queue.length) {
    const batch = takeBatch();
    const taken = copiesIn(batch);
    state.active += 1;
    state.running += taken;
    let scoring: Promise<void>;
    if (!Array.isArray(batch)) scoring = worker ? sendPacked(worker, batch) : Promise.resolve(lostPacked(batch));
    else scoring = worker ? sendBatch(worker, batch) : scoreBatch(batch).then(() => batchDone(taken));
    void scoring.finally(() => {
      state.active -= 1;
      if (state.queue.length) setImmediate(drain);
    });
  }
}

/** A batch is over (scored, failed or lost): its copies no longer count against the queue's bound. */
function batchDone(taken: number): void {
  state.batches += 1;
  state.running -= taken;
  notifyIdle();
}

/** A packed batch with no scoring thread to take it (it could not start again, or tests switched the scorer): lost, counted as dropped. */
function lostPacked(batch: PackedCopies): void {
  state.dropped += batch.requestIds.length;
  batchDone(batch.requestIds.length);
}

function notifyIdle(): void {
  if (state.queue.length === 0 && state.running === 0) for (const resolve of state.idle.splice(0)) resolve();
}

function recordError(copy: { db: Database; requestId: string }, model: ModelDescription, error: unknown): void {
  const domain = toDomainError(error);
  logServingError(copy.db, { modelId: model.modelId, versionId: model.versionId, route: "shadow", requestId: copy.requestId, status: domain.httpStatus, message: domain.message });
}

/** Each copy's feeds, for the copies whose feeds could be made (the others' errors are recorded). */
function parseBatch(batch: ShadowCopy[], model: ModelDescription): { copy: ShadowCopy; feeds: Record<string, ort.Tensor> }[] {
  const parsed: { copy: ShadowCopy; feeds: Record<string, ort.Tensor> }[] = [];
  for (const copy of batch) {
    try {
      parsed.push({ copy, feeds: feedsFor(copy, model) });
    } catch (error) {
      recordError(copy, model, error);
    }
  }
  return parsed;
}

// ---- Scoring on the scoring thread ----

function workerFile(): string {
  return path.join(/* turbopackIgnore: true */ process.cwd(), "server", "serving", "shadow-worker.mjs");
}

function workerOrNull(): Worker | null {
  if (state.worker) return state.worker;
  if (state.workerFailed) return null;
  let worker: Worker;
  try {
    worker = new Worker(workerFile(), { name: "studio shadow scoring" });
  } catch (error) {
    console.error("[serving] the shadow's scoring thread did not start; shadows are scored on the serving thread", redactErrorForLog(error));
    state.workerFailed = true;
    return null;
  }
  state.worker = worker;
  worker.on("message", (message: WorkerMessage) => onWorkerMessage(worker, message));
  worker.on("error", (error) => console.error("[serving] the shadow's scoring thread failed", redactErrorForLog(error)));
  worker.on("exit", () => {
    if (state.worker === worker) {
      state.worker = null;
      state.scoringThread = null;
    }
    // Whatever it held is lost: counted as dropped, and the next batch starts a new thread (and loads its sessions).
    for (const [id, batch] of state.outstanding) {
      if (batch.worker !== worker) continue;
      state.outstanding.delete(id);
      state.dropped += batch.requestIds.length;
      batchDone(batch.taken);
    }
    for (const [model, session] of state.sessions) if (session.worker === worker) state.sessions.delete(model);
    if (state.queue.length) setImmediate(drain);
  });
  // A graceful shutdown scores what is queued before the inference log writes its backlog.
  onProcessShutdown("shadow scoring", SHUTDOWN_ORDER.shadow, closeShadowQueue);
  state.sweeper ??= setInterval(releaseIdleSessions, SESSION_IDLE_MS / 4);
  state.sweeper.unref?.();
  refWorker();
  return worker;
}

/** The scoring thread keeps the process alive only while it holds copies (a finished script still exits). */
function refWorker(): void {
  if (!state.worker) return;
  if (state.outstanding.size > 0) state.worker.ref();
  else state.worker.unref();
}

/** Releases the scoring thread's sessions of versions the serving thread unloaded, or that had no copy for a while. */
function releaseIdleSessions(): void {
  const now = Date.now();
  for (const [model, session] of state.sessions) {
    if (!model.retired && now - session.lastUsed < SESSION_IDLE_MS) continue;
    state.sessions.delete(model);
    session.worker.postMessage({ type: "release", session: session.id });
  }
}

/** The scoring thread's session of a loaded version: its verified bytes are sent the first time (messages arrive in order). */
function sessionIn(worker: Worker, copy: { server: ModelServer }, model: ModelDescription): Promise<number> {
  const known = state.sessions.get(model);
  if (known && known.worker === worker) {
    known.lastUsed = Date.now();
    return known.ready;
  }
  const id = state.nextSessionId++;
  const ready = (async () => {
    const { bytes } = await loadVersionModelBytes(await copy.server.database(), model.versionId);
    const description = {
      modelId: model.modelId,
      versionId: model.versionId,
      inputNames: model.inputs.map((i) => i.name),
      outputNames: model.outputs.map((o) => o.name),
      fields: model.fields.map((f) => ({ input: f.input, column: f.column, key: f.key })),
    };
    // One onnxruntime thread, whatever STUDIO_SERVING_ORT_THREADS gives production: the shadow's runs stay on the
    // scoring thread itself, at its lowered priority, rather than fanning out to a pool that competes with serving.
    const options = { ...servingSessionOptions(), intraOpNumThreads: 1, interOpNumThreads: 1 };
    worker.postMessage({ type: "load", session: id, bytes, options, model: description });
    return id;
  })();
  const session: WorkerSession = { worker, id, ready, lastUsed: Date.now() };
  state.sessions.set(model, session);
  ready.catch(() => {
    if (state.sessions.get(model) === session) state.sessions.delete(model);
  });
  return ready;
}

const PROTOCOL_CODES = { mlflow: 0, v2: 1 } as const;

/** Versions whose bytes the scoring thread could not make a session of. */
const unloadable = new WeakSet<ModelDescription>();

/** Hands a batch to the scoring thread: each copy's input cells, stacked into one array per input when they fit. */
async function sendBatch(worker: Worker, batch: ShadowCopy[]): Promise<void> {
  const head = batch[0]!;
  let model: ModelDescription;
  try {
    // Its description only: the scoring thread holds the version's one session (the serving thread builds none for it).
    model = await head.server.describe({ name: head.modelName, alias: null, version: head.version });
  } catch {
    batchDone(batch.length); // the shadow version cannot be loaded: nothing to attribute its errors to
    return;
  }
  if (unloadable.has(model)) {
    batchDone(batch.length); // its bytes make no session (the scoring thread said so once): as a version that cannot load
    return;
  }
  remember(head, model);
  let handed = false;
  try {
    const session = await sessionIn(worker, head, model);
    const parsed = parseBatch(batch, model);
    if (!parsed.length) return;
    const stacked = stackFeedData(parsed.map((p) => p.feeds));
    const alone = stacked ? null : parsed.map((p) => Object.fromEntries(Object.entries(p.feeds).map(([name, t]) => [name, copyOf(t)])));
    const rows = stacked ? stacked.rows : parsed.map((p) => Object.values(p.feeds)[0]?.dims[0] ?? 0);
    const transfer: ArrayBuffer[] = [];
    for (const feeds of stacked ? [stacked.feeds] : alone!) {
      for (const t of Object.values(feeds)) if (!Array.isArray(t.data)) transfer.push((t.data as ArrayBufferView).buffer as ArrayBuffer);
    }
    if (state.worker !== worker) {
      // The thread ended while the batch was being made: lost like the batches it held.
      state.dropped += parsed.length;
      return;
    }
    const id = state.nextBatchId++;
    const tracedAt = stallTraceEnabled ? traceNow() : 0;
    worker.postMessage({ type: "batch", batch: id, session, rows, protocols: parsed.map((p) => PROTOCOL_CODES[p.copy.protocol]), stacked: stacked?.feeds ?? null, alone }, transfer);
    if (stallTraceEnabled) traceEvent("shadow-send", { t: tracedAt, ms: traceNow() - tracedAt, copies: parsed.length });
    state.outstanding.set(id, { worker, requestIds: parsed.map((p) => p.copy.requestId), protocols: parsed.map((p) => p.copy.protocol), rows, taken: batch.length, model, db: head.db });
    handed = true;
    refWorker();
  } catch (error) {
    // The version's bytes could not be read (or sent): as a shadow version that cannot be loaded.
    console.error(`[serving] could not hand shadow copies of version ${model.version} of '${model.name}' to its scoring thread`, redactErrorForLog(error));
  } finally {
    if (!handed) batchDone(batch.length);
  }
}

/** Hands a batch packed as its copies were queued to the scoring thread: its cells are sent as they are (transferred). */
async function sendPacked(worker: Worker, batch: PackedCopies): Promise<void> {
  const taken = batch.requestIds.length;
  let handed = false;
  try {
    const model = await batch.server.describe({ name: batch.modelName, alias: null, version: batch.version });
    // A version's inputs never change: a description loaded again takes the same ones (checked all the same).
    if (unloadable.has(model) || !takesSameInputs(model, batch.model)) return;
    remember(batch, model);
    const session = await sessionIn(worker, batch, model);
    if (state.worker !== worker) {
      state.dropped += taken; // the thread ended while the batch waited for its session: lost like the batches it held
      return;
    }
    const total = batch.rows.reduce((a, b) => a + b, 0);
    const stacked: Record<string, TensorData> = {};
    const transfer: ArrayBuffer[] = [];
    for (const input of batch.inputs) {
      stacked[input.name] = { type: input.type, data: input.cells.subarray(0, input.used) as TensorData["data"], dims: [total, ...input.trailing] };
      transfer.push(input.cells.buffer as ArrayBuffer);
    }
    const id = state.nextBatchId++;
    const tracedAt = stallTraceEnabled ? traceNow() : 0;
    worker.postMessage({ type: "batch", batch: id, session, rows: batch.rows, protocols: batch.protocols.map((p) => PROTOCOL_CODES[p]), stacked, alone: null }, transfer);
    if (stallTraceEnabled) traceEvent("shadow-send", { t: tracedAt, ms: traceNow() - tracedAt, copies: taken });
    state.outstanding.set(id, { worker, requestIds: batch.requestIds, protocols: batch.protocols, rows: batch.rows, taken, model, db: batch.db });
    handed = true;
    refWorker();
  } catch (error) {
    // The version could not be described or its bytes read (or sent): as a shadow version that cannot be loaded.
    console.error(`[serving] could not hand shadow copies of version ${batch.version} of '${batch.modelName}' to its scoring thread`, redactErrorForLog(error));
  } finally {
    if (!handed) batchDone(taken);
  }
}

function copyOf(tensor: ort.Tensor): TensorData {
  const data = tensor.data as unknown as { slice(): TensorData["data"] };
  return { type: tensor.type, data: data.slice(), dims: [...tensor.dims] };
}

type WorkerMessage =
  | {
      type: "scored";
      batch: number;
      numbers: Float64Array;
      used: number;
      /** Which copies (by index in the batch) the packed entries are, in order. */
      copies: number[];
      /** Answers with text inputs or labels, as objects. */
      objects: { index: number; at: number; latencyMs: number; inputs: Record<string, (number | string | null)[]>; predictions: (number | string)[] }[];
      errors: { index: number; message: string }[];
    }
  | { type: "unloadable"; batch: number; message: string }
  | { type: "error"; message: string }
  | ({ type: "priority" } & ({ tid: number; nice: number; policy: "idle" | "normal"; reason?: string } | { tid: null; nice: null; policy: null; reason: string }));

function onWorkerMessage(worker: Worker, message: WorkerMessage): void {
  if (message.type === "priority") {
    // thread-priority.mjs: the scoring thread yields the CPU to the serving thread where Linux lets it; else it says why once.
    if (state.worker === worker) state.scoringThread = message.tid === null ? null : { tid: message.tid, nice: message.nice, policy: message.policy };
    if (message.tid === null) console.warn(`[serving] the shadow's scoring thread runs at the process's priority: ${message.reason}`);
    else if (message.reason) console.warn(`[serving] the shadow's scoring thread runs at niceness ${message.nice}, not in SCHED_IDLE: ${message.reason}`);
    return;
  }
  if (message.type === "error") {
    console.error(`[serving] shadow scoring thread: ${message.message}`);
    return;
  }
  const batch = state.outstanding.get(message.batch);
  if (!batch || batch.worker !== worker) return;
  state.outstanding.delete(message.batch);
  if (message.type === "unloadable") {
    // The version's bytes make no session (the serving thread never tries: it only describes a shadowed version): as a
    // version that cannot load, its copies dropped uncounted until the description is evicted.
    if (!unloadable.has(batch.model)) console.error(`[serving] the shadow's scoring thread could not load version ${batch.model.version} of '${batch.model.name}': ${message.message}`);
    unloadable.add(batch.model);
    state.sessions.delete(batch.model);
  } else {
    const tracedAt = stallTraceEnabled ? traceNow() : 0;
    const requestIds = message.copies.map((i) => batch.requestIds[i]!);
    logPackedShadowAnswers(batch.db, batch.model, { numbers: message.numbers, used: message.used, requestIds, rows: message.copies.map((i) => batch.rows[i]!) });
    for (const o of message.objects) {
      logShadowAnswerObject(batch.db, { modelId: batch.model.modelId, versionId: batch.model.versionId, requestId: batch.requestIds[o.index]!, at: o.at, latencyMs: o.latencyMs, inputs: o.inputs, predictions: o.predictions, protocol: batch.protocols[o.index]!, route: "shadow" }, batch.rows[o.index]!);
    }
    for (const e of message.errors) recordError({ db: batch.db, requestId: batch.requestIds[e.index]! }, batch.model, scoringRefusal(e.message));
    state.scored += message.copies.length + message.objects.length;
    if (stallTraceEnabled) traceEvent("shadow-answers", { t: tracedAt, ms: traceNow() - tracedAt, copies: message.copies.length });
  }
  batchDone(batch.taken);
  refWorker();
  if (state.queue.length) {
    if (state.waiting >= MAX_BATCH) setImmediate(drain);
    else state.timer ??= setTimeout(drain, BATCH_DELAY_MS);
  }
}

// ---- Scoring on the serving thread (STUDIO_SHADOW_SCORER=main, or no scoring thread) ----

function logAnswer(copy: ShadowCopy, model: ServedModel, feeds: Record<string, ort.Tensor>, results: ort.InferenceSession.OnnxValueMapType, startedAt: number): void {
  logRoutedAnswer(copy.db, model, { route: "shadow", requestId: copy.requestId, latencyMs: performance.now() - startedAt, feeds, results, protocol: copy.protocol });
  state.scored += 1;
}

async function scoreBatch(batch: ShadowCopy[]): Promise<void> {
  const head = batch[0]!;
  let model: ServedModel;
  try {
    model = await head.server.acquire({ name: head.modelName, alias: null, version: head.version });
  } catch {
    return; // the shadow version cannot be loaded: nothing to attribute its errors to
  }
  try {
    const startedAt = performance.now();
    const outputs = model.outputs.map((o) => o.name);
    const parsed = parseBatch(batch, model);
    const stacked = parsed.length > 1 && !unstackable.has(model.session) ? stackFeeds(parsed.map((p) => p.feeds)) : null;
    if (stacked) {
      try {
        const answers = splitResults(await runModel(model, stacked.feeds, outputs), stacked.rows);
        parsed.forEach((p, i) => logAnswer(p.copy, model, p.feeds, answers[i]!, startedAt));
        return;
      } catch {
        // One copy the model refuses fails the stacked run: score each alone so only that copy's error is recorded.
      }
    }
    let failed = 0;
    for (const p of parsed) {
      try {
        logAnswer(p.copy, model, p.feeds, await runModel(model, p.feeds, outputs), startedAt);
      } catch (error) {
        failed += 1;
        recordError(p.copy, model, error);
      }
    }
    if (stacked && failed === 0) unstackable.add(model.session);
  } finally {
    head.server.release(model);
  }
}

/** How the shadow keeps up in this process: copies waiting, scored and dropped since it started, and how their inputs were made. */
export function shadowQueueStatus(): {
  queued: number;
  running: number;
  scored: number;
  batches: number;
  dropped: number;
  reused: number;
  parsed: number;
  /** Of `reused`: copies whose cells were stacked as they were queued (the queue held no request for them). */
  packed: number;
  maxQueued: number;
  /** The scoring thread's Linux thread id, niceness and scheduling policy (SCHED_IDLE or not), once it lowered its priority (null before, or where it could not). */
  scoringThread: { tid: number; nice: number; policy: "idle" | "normal" } | null;
} {
  return {
    queued: state.waiting,
    running: state.running,
    scored: state.scored,
    batches: state.batches,
    dropped: state.dropped,
    reused: state.reused,
    parsed: state.parsed,
    packed: state.packed,
    maxQueued: state.maxQueued,
    scoringThread: state.scoringThread,
  };
}

/** Resolves once every queued copy has been scored (tests, benches, shutdown). */
export function shadowQueueIdle(): Promise<void> {
  if (state.queue.length === 0 && state.running === 0) return Promise.resolve();
  // Copies waiting for their batch's delay go now: nobody waits for the timer.
  if (state.timer) setImmediate(drain);
  return new Promise((resolve) => state.idle.push(resolve));
}

/** Scores what is queued, then stops the scoring thread (graceful shutdown; the next copy starts a new one). */
export async function closeShadowQueue(): Promise<void> {
  await shadowQueueIdle();
  if (state.sweeper) {
    clearInterval(state.sweeper);
    state.sweeper = null;
  }
  const worker = state.worker;
  if (!worker) return;
  state.worker = null;
  const exited = new Promise((resolve) => worker.once("exit", resolve));
  worker.postMessage({ type: "close" });
  const timer = setTimeout(() => void worker.terminate(), 2_000);
  await exited;
  clearTimeout(timer);
}

/** For tests only: bound the queue; choose where copies are scored (after shadowQueueIdle). */
export const shadowQueueTestHooks = {
  setMaxQueued(limit: number): void {
    state.maxQueued = limit;
  },
  reset(): void {
    state.maxQueued = DEFAULT_MAX_QUEUED;
  },
  useScorer(scorer: "worker" | "main"): void {
    state.scorer = scorer;
  },
  /** When copies are stacked: as they are queued (the default), or when their batch is sent (STUDIO_SHADOW_COPY=at-send). */
  copyAt(when: "enqueue" | "send"): void {
    state.copyAt = when;
  },
  /** The scoring thread, to end it as a crash would (null when none runs). */
  scoringThread(): Worker | null {
    return state.worker;
  },
  /** Copies handed to the scoring thread and not answered yet. */
  handedToThread(): number {
    let copies = 0;
    for (const batch of state.outstanding.values()) copies += batch.requestIds.length;
    return copies;
  },
  /** The scoring thread holds every batch until resumed (a shadow that falls behind). */
  holdScoring(): void {
    workerOrNull()?.postMessage({ type: "hold" });
  },
  resumeScoring(): void {
    state.worker?.postMessage({ type: "resume" });
  },
};
