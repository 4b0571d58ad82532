// The inference log: serving endpoints hand each request here; sampled entries are packed into compact batches
// (numbers in a Float64Array that is transferred, not copied) and a worker thread (inference-log-worker.mjs) turns
// them into rows and inserts them on its own PostgreSQL connection, so the event loop answering requests neither
// serialises JSON nor waits on the database. The in-process PGlite can only be reached from this thread: for it the
// worker still serialises, and the rows come back here to be inserted. Old entries are deleted after the model's
// retention period. When the writer falls behind, new entries are dropped and counted: a request never waits for
// its log. Canary and shadow answers have a bound of their own beside production's, so a shadow's copies (one per
// production request) can never take the room production's entries need.
import path from "node:path";
import { Worker } from "node:worker_threads";
import { redactErrorForLog } from "../auth/log-redaction";
import { eq, and, lt, sql } from "drizzle-orm";
import { inferenceLog, modelMonitoring } from "@/db/schema";
import { studioDataDir, type Database } from "@/db/client";
import { onProcessShutdown, SHUTDOWN_ORDER } from "../process-shutdown";
import { isDatabaseUnavailable } from "@/db/availability";
import { stallTraceEnabled, traceEvent, traceNow } from "../serving/stall-trace.mjs";

export interface InferenceLogEntry {
  modelId: number;
  versionId: number;
  requestId: string;
  at: number;
  latencyMs: number;
  /** Feature name → one value per row. */
  inputs: Record<string, (number | string | null)[]>;
  /** Per row: predicted label or value. */
  predictions: (number | string)[];
  protocol: "mlflow" | "v2";
  /** Which traffic answered: production (the default), or a canary's or shadow's answer (route-log.ts). */
  route?: "production" | "canary" | "shadow";
}

/** A served request whose logged values are all numbers (or null), as serving-log.ts packs it. */
export interface CompactInference {
  modelId: number;
  versionId: number;
  requestId: string;
  at: number;
  latencyMs: number;
  protocol: "mlflow" | "v2";
  /**
   * The input keys, in order: pass the same array object for every request of a served version (its layout is sent
   * to the writer once, keyed by this array).
   */
  keys: readonly string[];
  /** Which traffic answered (default production). A canary's or shadow's answer is never sampled out. */
  route?: "production" | "canary" | "shadow";
  /** Logged input rows (each key has this many values). */
  sampledRows: number;
  /** keys.length × sampledRows input values (key after key), then predictionCount predictions; NaN stands for null. */
  values: Float64Array;
  predictionCount: number;
}

/** Entries in a batch before it is handed to the writer (else it goes after POST_DELAY_MS). */
const POST_AT_ENTRIES = 256;
const POST_DELAY_MS = 50;
/** Entries accepted but not yet written; beyond this the log sheds load (STUDIO_INFERENCE_LOG_MAX_QUEUED). */
const DEFAULT_MAX_QUEUED = Number(process.env.STUDIO_INFERENCE_LOG_MAX_QUEUED) || 20_000;
/** Canary and shadow entries accepted but not yet written, at most (STUDIO_INFERENCE_LOG_MAX_ROUTED_QUEUED): their own room. */
const DEFAULT_MAX_ROUTED_QUEUED = Number(process.env.STUDIO_INFERENCE_LOG_MAX_ROUTED_QUEUED) || 5_000;
const SETTINGS_TTL_MS = 5_000;
const PRUNE_EVERY_MS = 10 * 60_000;
/**
 * How long an exiting process waits for the writer to write what it was given (STUDIO_INFERENCE_LOG_EXIT_FLUSH_MS):
 * the wait ends as soon as the rows are written, so this only bounds a stuck database.
 */
const EXIT_FLUSH_TIMEOUT_MS = Number(process.env.STUDIO_INFERENCE_LOG_EXIT_FLUSH_MS) || 5_000;
/**
 * "worker" (default): rows are built and written by the writer thread. "main": built and written on this thread, as
 * before the writer thread existed (bench/serving's comparison; also what happens when the thread cannot start).
 */
const DEFAULT_WRITER: "worker" | "main" = process.env.STUDIO_INFERENCE_LOG_WRITER === "main" ? "main" : "worker";
/** Entries per INSERT written from this thread: each insert pauses the event loop while it is built. */
const MAIN_THREAD_CHUNK = 100;
/** Slots of an entry's header in a batch's numbers; inference-log-worker.mjs reads the same layout. */
const HEADER = 8;
const PROTOCOL_CODES = { mlflow: 0, v2: 1 } as const;
/** An entry's route shares its protocol's slot: protocol code + 2 × route code (inference-log-worker.mjs decodes it). */
const ROUTE_CODES = { production: 0, canary: 1, shadow: 2 } as const;
const ROUTES = ["production", "canary", "shadow"] as const;

interface PendingBatch {
  numbers: Float64Array;
  used: number;
  requestIds: string[];
  /** Entries that are not all numbers (text features or labels, tests): serialised as objects. */
  objects: InferenceLogEntry[];
  count: number;
  /** Of those, canary and shadow answers (counted against their own bound). */
  routed: number;
}

/** A database the log writes to: through the worker's own connection ("postgres") or this thread's ("main"). */
interface Target {
  id: number;
  db: Database;
  kind: "postgres" | "main";
  config: Record<string, unknown> | null;
  /** Registered with the current worker. */
  announced: boolean;
  pending: PendingBatch | null;
  /** Inserts of rows the worker sent back ("main" targets), one after the other. */
  writing: Promise<void>;
}

interface LogState {
  settings: Map<number, { sampleRate: number; retentionDays: number; readAt: number }>;
  /** The read of a model's settings under way, if any: requests arriving meanwhile share it. */
  settingsReads: Map<number, Promise<{ sampleRate: number; retentionDays: number; readAt: number }>>;
  lastPrune: Map<number, number>;
  targets: Map<Database, Target>;
  nextTargetId: number;
  worker: Worker | null;
  workerFailed: boolean;
  /** Layout ids by the keys array, and the keys by id (sent again to a new worker). */
  layouts: WeakMap<readonly string[], number>;
  layoutKeys: Map<number, string[]>;
  nextLayoutId: number;
  timer: ReturnType<typeof setTimeout> | null;
  flushWaiters: Map<number, () => void>;
  nextFlushId: number;
  /** Entries accepted and not yet written (or lost): pending here, in the worker, or being inserted here. */
  queued: number;
  /** Of those, the ones the worker holds. */
  inWorker: number;
  /** Canary and shadow entries among `queued` and `inWorker`; they may not exceed maxRoutedQueued, production's may not exceed maxQueued. */
  queuedRouted: number;
  inWorkerRouted: number;
  maxQueued: number;
  maxRoutedQueued: number;
  droppedRouted: number;
  written: number;
  dropped: number;
  reportedDropped: number;
  exitHook: boolean;
  writer: "worker" | "main";
  /** The writer thread's Linux thread id, niceness and scheduling policy (SCHED_IDLE or not), once it lowered its priority (thread-priority.mjs). */
  writerThread: { tid: number; nice: number; policy: "idle" | "normal" } | null;
  /** The writer's PostgreSQL backend (its latest connection): pid and whether it is in SCHED_IDLE (inference-log-backend.mjs). */
  writerBackend: { pid: number; policy: "idle" | "normal" } | null;
  /** The backend of the shadow's own connection, when its rows are written apart (STUDIO_SHADOW_LOG_BACKEND_POLICY). */
  shadowWriterBackend: { pid: number; policy: "idle" | "normal" } | null;
  /** Why the backend could not be lowered, each said once. */
  reportedBackendReasons: Set<string>;
}

const holder = globalThis as unknown as { studioInferenceLogWriter?: LogState };
const state = (holder.studioInferenceLogWriter ??= {
  settings: new Map(),
  settingsReads: new Map(),
  lastPrune: new Map(),
  targets: new Map(),
  nextTargetId: 1,
  worker: null,
  workerFailed: false,
  layouts: new WeakMap(),
  layoutKeys: new Map(),
  nextLayoutId: 1,
  timer: null,
  flushWaiters: new Map(),
  nextFlushId: 1,
  queued: 0,
  inWorker: 0,
  queuedRouted: 0,
  inWorkerRouted: 0,
  maxQueued: DEFAULT_MAX_QUEUED,
  maxRoutedQueued: DEFAULT_MAX_ROUTED_QUEUED,
  droppedRouted: 0,
  written: 0,
  dropped: 0,
  reportedDropped: 0,
  exitHook: false,
  writer: DEFAULT_WRITER,
  writerThread: null,
  writerBackend: null,
  shadowWriterBackend: null,
  reportedBackendReasons: new Set(),
});
// A writer kept from an older module (a dev server's reload) lacks the canary/shadow counters.
state.queuedRouted ??= 0;
state.inWorkerRouted ??= 0;
state.maxRoutedQueued ??= DEFAULT_MAX_ROUTED_QUEUED;
state.droppedRouted ??= 0;
state.writerThread ??= null;
state.writerBackend ??= null;
state.shadowWriterBackend ??= null;
state.reportedBackendReasons ??= new Set();

/** The model's sampling rate and retention, cached for a few seconds (serving reads them on every request). */
export function loggingSettings(db: Database, modelId: number): Promise<{ sampleRate: number; retentionDays: number }> {
  const cached = state.settings.get(modelId);
  if (cached && Date.now() - cached.readAt < SETTINGS_TTL_MS) return Promise.resolve(cached);
  return readLoggingSettings(db, modelId);
}

/** One read per model at a time: every request that finds the cache stale while it runs shares it. */
function readLoggingSettings(db: Database, modelId: number): Promise<{ sampleRate: number; retentionDays: number; readAt: number }> {
  const running = state.settingsReads.get(modelId);
  if (running) return running;
  const read: Promise<{ sampleRate: number; retentionDays: number; readAt: number }> = db
    .select({ sampleRate: modelMonitoring.sampleRate, retentionDays: modelMonitoring.retentionDays })
    .from(modelMonitoring)
    .where(eq(modelMonitoring.modelId, modelId))
    .then(
      ([row]) => {
        const settings = { sampleRate: row?.sampleRate ?? 1, retentionDays: row?.retentionDays ?? 30, readAt: Date.now() };
        // An edit that invalidated the cache while this read ran wins: its own read is the one to remember.
        if (state.settingsReads.get(modelId) === read) {
          state.settings.set(modelId, settings);
          state.settingsReads.delete(modelId);
        }
        return settings;
      },
      (error: unknown) => {
        if (state.settingsReads.get(modelId) === read) state.settingsReads.delete(modelId);
        throw error;
      },
    );
  state.settingsReads.set(modelId, read);
  return read;
}

/** Forget cached sampling settings (after they are edited). */
export function invalidateLoggingSettings(modelId: number): void {
  state.settings.delete(modelId);
  state.settingsReads.delete(modelId);
}

/**
 * How the log keeps up: entries waiting to be written, written, and dropped since the process started (all routes),
 * and the bounds: production's, and the canary's and shadow's own (with their share of the counts).
 */
export function inferenceLogStatus(): {
  queued: number;
  written: number;
  dropped: number;
  maxQueued: number;
  routed: { queued: number; dropped: number; maxQueued: number };
  /** The writer thread's Linux thread id, niceness and scheduling policy (SCHED_IDLE or not) once it lowered its priority (null before, or where it could not). */
  writerThread: { tid: number; nice: number; policy: "idle" | "normal" } | null;
  /** The writer's PostgreSQL backend pid and policy once it connected (null before, or with PGlite). */
  writerBackend: { pid: number; policy: "idle" | "normal" } | null;
  /** The backend of the shadow's rows' own connection (STUDIO_SHADOW_LOG_BACKEND_POLICY other than `same`), once it wrote. */
  shadowWriterBackend: { pid: number; policy: "idle" | "normal" } | null;
} {
  return {
    writerThread: state.writerThread,
    writerBackend: state.writerBackend,
    shadowWriterBackend: state.shadowWriterBackend,
    queued: state.queued,
    written: state.written,
    dropped: state.dropped,
    maxQueued: state.maxQueued,
    routed: { queued: state.queuedRouted, dropped: state.droppedRouted, maxQueued: state.maxRoutedQueued },
  };
}

/**
 * Whether the model's sampling picks this request and the writer has room for it (a refusal is counted). Never waits:
 * a stale sampling rate decides until the one read that refreshes it returns (a model not read yet is logged).
 * Production's entries and the canary's and shadow's (`routed`) each have their own room.
 */
function admit(db: Database, modelId: number, sampled = true, routed = false): boolean {
  const cached = state.settings.get(modelId);
  if ((!cached || Date.now() - cached.readAt >= SETTINGS_TTL_MS) && !state.settingsReads.has(modelId)) {
    void readLoggingSettings(db, modelId).catch(() => undefined);
  }
  const sampleRate = cached ? cached.sampleRate : 1;
  if (sampled && sampleRate < 1 && Math.random() >= sampleRate) return false;
  const full = routed ? state.queuedRouted >= state.maxRoutedQueued : state.queued - state.queuedRouted >= state.maxQueued;
  if (full) {
    // The writer is not keeping up: shed log entries rather than memory or serving latency (counted, not silent).
    state.dropped += 1;
    if (routed) state.droppedRouted += 1;
    return false;
  }
  state.queued += 1;
  if (routed) state.queuedRouted += 1;
  return true;
}

/**
 * Queues one served request for the log, if the model's sampling rate picks it. Never throws and never waits
 * for the database: a request is not slowed or failed by its own logging.
 */
export function recordInference(db: Database, entry: InferenceLogEntry, options: { sampled?: boolean } = {}): boolean {
  const routed = entry.route !== undefined && entry.route !== "production";
  if (!admit(db, entry.modelId, options.sampled ?? true, routed)) return false;
  const batch = pendingOf(targetOf(db));
  batch.objects.push(entry);
  if (routed) batch.routed += 1;
  added(batch);
  return true;
}

/** recordInference for an all-numeric request, packed without building objects (the serving hot path); false when not queued. */
export function recordCompactInference(db: Database, entry: CompactInference): boolean {
  const routed = entry.route !== undefined && entry.route !== "production";
  if (!admit(db, entry.modelId, !routed, routed)) return false;
  const layout = layoutOf(entry.keys);
  const batch = pendingOf(targetOf(db));
  const length = entry.keys.length * entry.sampledRows + entry.predictionCount;
  if (batch.used + HEADER + length > batch.numbers.length) {
    const grown = new Float64Array(Math.max(batch.numbers.length * 2, batch.used + HEADER + length));
    grown.set(batch.numbers.subarray(0, batch.used));
    batch.numbers = grown;
  }
  const n = batch.numbers;
  const at = batch.used;
  n[at] = layout;
  n[at + 1] = entry.modelId;
  n[at + 2] = entry.versionId;
  n[at + 3] = entry.at;
  n[at + 4] = entry.latencyMs;
  n[at + 5] = PROTOCOL_CODES[entry.protocol] + 2 * ROUTE_CODES[entry.route ?? "production"];
  n[at + 6] = entry.sampledRows;
  n[at + 7] = entry.predictionCount;
  n.set(entry.values.subarray(0, length), at + HEADER);
  batch.used = at + HEADER + length;
  batch.requestIds.push(entry.requestId);
  if (routed) batch.routed += 1;
  added(batch);
  return true;
}

/**
 * Entries another thread already packed in this module's layout (the shadow's scoring thread, shadow-worker.mjs): all
 * of one served version (`keys` its inputs; slot 0 of each header is set here) and all canary or shadow answers, so
 * never sampled out. Copied into the pending batch as they are, entry by entry against the routed bound (a refusal
 * is counted). Returns how many were queued.
 */
export function recordCompactBatch(db: Database, packed: { keys: readonly string[]; numbers: Float64Array; used: number; requestIds: readonly string[] }): number {
  const layout = layoutOf(packed.keys);
  const target = targetOf(db);
  const n = packed.numbers;
  let queued = 0;
  for (let at = 0, index = 0; at < packed.used; index++) {
    const length = HEADER + n[at + 6]! * packed.keys.length + n[at + 7]!;
    if (admit(db, n[at + 1]!, false, true)) {
      // Taken afresh for each entry: a full batch is handed to the writer (and its numbers transferred) by added().
      const batch = pendingOf(target);
      if (batch.used + length > batch.numbers.length) {
        const grown = new Float64Array(Math.max(batch.numbers.length * 2, batch.used + length));
        grown.set(batch.numbers.subarray(0, batch.used));
        batch.numbers = grown;
      }
      batch.numbers.set(n.subarray(at, at + length), batch.used);
      batch.numbers[batch.used] = layout;
      batch.used += length;
      batch.requestIds.push(packed.requestIds[index]!);
      batch.routed += 1;
      queued += 1;
      added(batch);
    }
    at += length;
  }
  return queued;
}

function added(batch: PendingBatch): void {
  batch.count += 1;
  if (batch.count >= POST_AT_ENTRIES) postPending();
  else state.timer ??= setTimeout(postPending, POST_DELAY_MS);
}

function newBatch(): PendingBatch {
  return { numbers: new Float64Array(POST_AT_ENTRIES * 48), used: 0, requestIds: [], objects: [], count: 0, routed: 0 };
}

function pendingOf(target: Target): PendingBatch {
  target.pending ??= newBatch();
  return target.pending;
}

/** node-postgres pool settings the worker can open its own connection with, or null (PGlite, or not cloneable). */
function connectionOf(db: Database): Record<string, unknown> | null {
  const client = (db as unknown as { $client?: { options?: Record<string, unknown>; totalCount?: unknown } }).$client;
  if (!client || typeof client.totalCount !== "number" || !client.options) return null;
  const config: Record<string, unknown> = {};
  for (const key of ["connectionString", "host", "port", "user", "password", "database", "ssl"]) {
    const value = client.options[key];
    if (value === undefined) continue;
    if (typeof value === "function") return null;
    config[key] = value;
  }
  try {
    structuredClone(config);
  } catch {
    return null;
  }
  return config;
}

function targetOf(db: Database): Target {
  let target = state.targets.get(db);
  if (!target) {
    const config = connectionOf(db);
    target = { id: state.nextTargetId++, db, kind: config ? "postgres" : "main", config, announced: false, pending: null, writing: Promise.resolve() };
    state.targets.set(db, target);
    // A graceful shutdown writes the backlog before the database closes (bounded by the shutdown's own timeout).
    onProcessShutdown("inference log", SHUTDOWN_ORDER.inferenceLog, closeInferenceLog);
  }
  return target;
}

function layoutOf(keys: readonly string[]): number {
  let id = state.layouts.get(keys);
  if (id === undefined) {
    id = state.nextLayoutId++;
    state.layouts.set(keys, id);
    state.layoutKeys.set(id, [...keys]);
    // Sent at once: messages to the worker arrive in order, so it knows the layout before any batch using it.
    if (state.writer === "worker") workerOrNull()?.postMessage({ type: "layout", id, keys: state.layoutKeys.get(id) });
  }
  return id;
}

function workerFile(): string {
  return path.join(/* turbopackIgnore: true */ process.cwd(), "server", "monitoring", "inference-log-worker.mjs");
}

function workerOrNull(): Worker | null {
  if (state.writer === "main") return null;
  if (state.worker) return state.worker;
  if (state.workerFailed) return null;
  let worker: Worker;
  try {
    worker = new Worker(workerFile(), { name: "studio inference log" });
  } catch (error) {
    console.error("[studio] the inference log's writer thread did not start; the log is written from the serving thread", redactErrorForLog(error));
    state.workerFailed = true;
    return null;
  }
  state.worker = worker;
  for (const [id, keys] of state.layoutKeys) worker.postMessage({ type: "layout", id, keys });
  for (const target of state.targets.values()) target.announced = false;
  worker.on("message", onWorkerMessage);
  worker.on("error", (error) => console.error("[studio] the inference log's writer thread failed", redactErrorForLog(error)));
  worker.on("exit", () => {
    if (state.worker !== worker) return;
    // Whatever it held is lost: counted, and the next entry starts a new writer.
    state.worker = null;
    state.writerThread = null;
    state.writerBackend = null;
    state.shadowWriterBackend = null;
    lose(state.inWorker, state.inWorkerRouted);
    state.inWorker = 0;
    state.inWorkerRouted = 0;
    for (const resolve of state.flushWaiters.values()) resolve();
    state.flushWaiters.clear();
  });
  if (!state.exitHook) {
    state.exitHook = true;
    process.once("exit", flushAtExit);
  }
  refWorker();
  return worker;
}

/** The writer keeps the process alive only while it holds entries (a finished script still exits). */
function refWorker(): void {
  if (!state.worker) return;
  if (state.inWorker > 0 || state.flushWaiters.size > 0) state.worker.ref();
  else state.worker.unref();
}

function lose(count: number, routed: number): void {
  state.queued -= count;
  state.queuedRouted -= routed;
  state.dropped += count;
  state.droppedRouted += routed;
}

/** Hands every pending batch to the writer. */
function postPending(): void {
  if (state.timer) {
    clearTimeout(state.timer);
    state.timer = null;
  }
  for (const target of state.targets.values()) {
    const batch = target.pending;
    if (!batch || batch.count === 0) continue;
    target.pending = null;
    const worker = workerOrNull();
    if (!worker) {
      const rows = { ...rowsHere(batch), routed: batch.routed };
      target.writing = target.writing.then(() => insertOnThisThread(target.db, rows));
      continue;
    }
    if (!target.announced) {
      // The embedded cluster's folder: a backend working there is the studio's own, whose priority it may lower.
      worker.postMessage({ type: "target", id: target.id, kind: target.kind, config: target.config, embeddedCluster: path.join(studioDataDir(), "postgres") });
      target.announced = true;
    }
    state.inWorker += batch.count;
    state.inWorkerRouted += batch.routed;
    const tracedAt = stallTraceEnabled ? traceNow() : 0;
    worker.postMessage(
      { type: "batch", target: target.id, numbers: batch.numbers, used: batch.used, requestIds: batch.requestIds, objects: batch.objects, count: batch.count, routed: batch.routed },
      [batch.numbers.buffer],
    );
    if (stallTraceEnabled) traceEvent("log-post", { t: tracedAt, ms: traceNow() - tracedAt, entries: batch.count, routed: batch.routed });
  }
  refWorker();
  reportDrops();
}

/** What the worker makes of a batch, made on this thread (STUDIO_INFERENCE_LOG_WRITER=main, or no worker). */
function rowsHere(batch: PendingBatch): { count: number; modelIds: number[]; chunks: string[] } {
  const entries: InferenceLogEntry[] = [];
  const n = batch.numbers;
  for (let at = 0, index = 0; at < batch.used; index++) {
    const keys = state.layoutKeys.get(n[at]!)!;
    const sampled = n[at + 6]!;
    const predictionCount = n[at + 7]!;
    let cell = at + HEADER;
    const inputs: InferenceLogEntry["inputs"] = {};
    // NaN stands for null; JSON.stringify writes it as null.
    for (const key of keys) {
      inputs[key] = Array.from(n.subarray(cell, cell + sampled));
      cell += sampled;
    }
    const predictions = Array.from(n.subarray(cell, cell + predictionCount));
    cell += predictionCount;
    entries.push({ modelId: n[at + 1]!, versionId: n[at + 2]!, requestId: batch.requestIds[index]!, at: n[at + 3]!, latencyMs: n[at + 4]!, protocol: n[at + 5]! % 2 ? "v2" : "mlflow", route: ROUTES[Math.floor(n[at + 5]! / 2)], inputs, predictions });
    at = cell;
  }
  entries.push(...batch.objects);
  const chunks: string[] = [];
  for (let start = 0; start < entries.length; start += MAIN_THREAD_CHUNK) {
    chunks.push(
      JSON.stringify(
        entries.slice(start, start + MAIN_THREAD_CHUNK).map((e) => ({
          model_id: e.modelId,
          version_id: e.versionId,
          request_id: e.requestId,
          at: e.at,
          latency_ms: e.latencyMs,
          row_count: e.predictions.length,
          inputs: e.inputs,
          predictions: e.predictions,
          protocol: e.protocol,
          route: e.route ?? "production",
        })),
      ),
    );
  }
  return { count: entries.length, modelIds: [...new Set(entries.map((e) => e.modelId))], chunks };
}

function reportDrops(): void {
  if (state.dropped > state.reportedDropped) {
    console.warn(`[studio] the inference log shed ${state.dropped - state.reportedDropped} entries: the database did not keep up with serving.`);
    state.reportedDropped = state.dropped;
  }
}

/** Batch answers carry back the batch's count and, of it, its canary and shadow entries (`routed`). */
type WorkerMessage =
  | { type: "written"; target: number; count: number; routed: number; modelIds: number[] }
  | { type: "rows"; target: number; count: number; routed: number; modelIds: number[]; chunks: string[] }
  | { type: "failed"; target: number; count: number; routed: number; message: string }
  | { type: "flushed"; id: number }
  | { type: "error"; message: string }
  | { type: "closed" }
  | { type: "backend"; connection: "log" | "shadow"; pid: number | null; policy: "idle" | "normal"; reason: string | null }
  | ({ type: "priority" } & ({ tid: number; nice: number; policy: "idle" | "normal"; reason?: string } | { tid: null; nice: null; policy: null; reason: string }));

function targetById(id: number): Target | undefined {
  for (const target of state.targets.values()) if (target.id === id) return target;
  return undefined;
}

function onWorkerMessage(message: WorkerMessage): void {
  switch (message.type) {
    case "written": {
      state.inWorker -= message.count;
      state.inWorkerRouted -= message.routed;
      state.queued -= message.count;
      state.queuedRouted -= message.routed;
      state.written += message.count;
      const target = targetById(message.target);
      if (target) for (const modelId of message.modelIds) scheduleHealthCheck(target.db, modelId);
      break;
    }
    case "rows": {
      state.inWorker -= message.count;
      state.inWorkerRouted -= message.routed;
      const target = targetById(message.target);
      if (!target) {
        lose(message.count, message.routed);
        break;
      }
      target.writing = target.writing.then(() => insertOnThisThread(target.db, message));
      break;
    }
    case "failed":
      // Losing log entries must not take serving down; the count says how many were lost.
      state.inWorker -= message.count;
      state.inWorkerRouted -= message.routed;
      lose(message.count, message.routed);
      console.error(`[studio] could not write ${message.count} inference log entries: ${message.message}`);
      break;
    case "flushed":
      state.flushWaiters.get(message.id)?.();
      state.flushWaiters.delete(message.id);
      break;
    case "error":
      console.error(`[studio] inference log writer: ${message.message}`);
      break;
    case "closed":
      break;
    case "backend":
      // inference-log-backend.mjs: the writer's PostgreSQL backend yields the CPU where allowed; else why, said once.
      if (message.pid !== null) {
        if (message.connection === "shadow") state.shadowWriterBackend = { pid: message.pid, policy: message.policy };
        else state.writerBackend = { pid: message.pid, policy: message.policy };
      }
      if (message.reason && !state.reportedBackendReasons.has(message.reason)) {
        state.reportedBackendReasons.add(message.reason);
        console.warn(`[studio] the inference log's PostgreSQL backend${message.connection === "shadow" ? " for the shadow's rows" : ""} keeps its priority: ${message.reason}`);
      }
      break;
    case "priority":
      // thread-priority.mjs: the writer yields the CPU to the serving thread where Linux lets it; else it says why once.
      state.writerThread = message.tid === null ? null : { tid: message.tid, nice: message.nice, policy: message.policy };
      if (message.tid === null) console.warn(`[studio] the inference log's writer thread runs at the process's priority: ${message.reason}`);
      else if (message.reason) console.warn(`[studio] the inference log's writer thread runs at niceness ${message.nice}, not in SCHED_IDLE: ${message.reason}`);
      break;
  }
  refWorker();
}

/**
 * Runs one insert until it is written: while the database is unreachable the rows wait here (and the batches after
 * them, chained on target.writing) and are written once it is back, as the writer thread does (inference-log-worker.mjs).
 */
async function untilWritten(write: () => Promise<unknown>): Promise<void> {
  for (let delay = 200; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      await write();
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

async function insertOnThisThread(db: Database, rows: { count: number; routed: number; modelIds: number[]; chunks: string[] }): Promise<void> {
  try {
    for (const chunk of rows.chunks) {
      await untilWritten(() => db.execute(sql`
        insert into ${inferenceLog} (model_id, version_id, request_id, at, latency_ms, row_count, inputs, predictions, protocol, route)
        select model_id, version_id, request_id, at, latency_ms, row_count, inputs, predictions, protocol, coalesce(route, 'production')
        from jsonb_to_recordset(${chunk}::jsonb) as x(model_id bigint, version_id bigint, request_id text, at bigint, latency_ms double precision,
          row_count integer, inputs jsonb, predictions jsonb, protocol text, route text)`));
      // A turn of the event loop between chunks keeps each pause of the serving process short.
      await new Promise((resolve) => setImmediate(resolve));
    }
    state.queued -= rows.count;
    state.queuedRouted -= rows.routed;
    state.written += rows.count;
    const modelIds = new Set(rows.modelIds);
    await pruneExpired(db, modelIds);
    for (const modelId of modelIds) scheduleHealthCheck(db, modelId);
  } catch (error) {
    lose(rows.count, rows.routed);
    console.error(`[studio] could not write ${rows.count} inference log entries`, redactErrorForLog(error));
  }
}

async function pruneExpired(db: Database, modelIds: Set<number>): Promise<void> {
  const now = Date.now();
  for (const modelId of modelIds) {
    if (now - (state.lastPrune.get(modelId) ?? 0) < PRUNE_EVERY_MS) continue;
    state.lastPrune.set(modelId, now);
    const { retentionDays } = await loggingSettings(db, modelId);
    await db.delete(inferenceLog).where(and(eq(inferenceLog.modelId, modelId), lt(inferenceLog.at, now - retentionDays * 86_400_000)));
  }
}

/** Writes everything recorded so far (tests and shutdown call it; the writer does it continuously otherwise). */
export async function flushInferenceLog(): Promise<void> {
  postPending();
  const worker = state.worker;
  if (worker) {
    await new Promise<void>((resolve) => {
      const id = state.nextFlushId++;
      state.flushWaiters.set(id, resolve);
      refWorker();
      worker.postMessage({ type: "flush", id });
    });
    refWorker();
  }
  await Promise.all([...state.targets.values()].map((target) => target.writing));
  reportDrops();
}

/** Flushes, then stops the writer thread (graceful shutdown; the next entry starts a new one). */
export async function closeInferenceLog(): Promise<void> {
  await flushInferenceLog();
  const worker = state.worker;
  if (!worker) return;
  const exited = new Promise((resolve) => worker.once("exit", resolve));
  worker.postMessage({ type: "close" });
  await exited;
}

/**
 * A process that exits without closeInferenceLog (Next.js's own SIGTERM handling, process.exit) still gets what
 * the worker can write on its own connection: this thread waits for it, synchronously, as 'exit' allows nothing else.
 * Rows bound for this thread's PGlite cannot be written any more at this point.
 */
function flushAtExit(): void {
  if (!state.worker || state.queued === 0) return;
  postPending();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  state.worker.postMessage({ type: "flush", id: 0, signal });
  Atomics.wait(signal, 0, 0, EXIT_FLUSH_TIMEOUT_MS);
}

/** For tests only: make the writer fall behind (it holds every batch until released), and bound its queue. */
export const inferenceLogTestHooks = {
  holdWrites(): void {
    workerOrNull()?.postMessage({ type: "hold" });
  },
  releaseWrites(): void {
    state.worker?.postMessage({ type: "release" });
  },
  /** The shadow's rows written apart (STUDIO_SHADOW_LOG_BACKEND_POLICY) wait until released, as behind a starved backend. */
  holdShadowWrites(): void {
    workerOrNull()?.postMessage({ type: "hold-shadow" });
  },
  releaseShadowWrites(): void {
    state.worker?.postMessage({ type: "release-shadow" });
  },
  setMaxQueued(limit: number): void {
    state.maxQueued = limit;
  },
  /** Bounds the canary's and shadow's entries. */
  setMaxRoutedQueued(limit: number): void {
    state.maxRoutedQueued = limit;
  },
  resetMaxQueued(): void {
    state.maxQueued = DEFAULT_MAX_QUEUED;
    state.maxRoutedQueued = DEFAULT_MAX_ROUTED_QUEUED;
  },
  /** Which thread builds and writes the rows from now on (flush first). */
  useWriter(writer: "worker" | "main"): void {
    state.writer = writer;
  },
};

const HEALTH_CHECK_DELAY_MS = 60_000;
const holderChecks = globalThis as unknown as { studioHealthChecks?: Map<number, ReturnType<typeof setTimeout>>; studioHealthChecksOff?: boolean };
const pendingChecks = (holderChecks.studioHealthChecks ??= new Map());

/**
 * The standalone serving process calls this: drift checks read the log and the reference data, work that belongs to
 * the studio's web process (whose periodic check covers traffic served elsewhere), not to the serving hot path.
 */
export function disableHealthChecks(): void {
  holderChecks.studioHealthChecksOff = true;
}

/**
 * New traffic may move a model's drift verdict: its health flag (models list, model page) is recomputed a minute
 * later, once per model however many batches arrive meanwhile, off every request's path.
 */
function scheduleHealthCheck(db: Database, modelId: number): void {
  if (holderChecks.studioHealthChecksOff || pendingChecks.has(modelId)) return;
  const timer = setTimeout(() => {
    pendingChecks.delete(modelId);
    // Imported late: monitoring.ts imports this module, and the serving routes need not load it until then.
    void import("./monitoring")
      .then(({ refreshModelFlag }) => refreshModelFlag(db, modelId))
      .catch((error: unknown) => console.error(`[studio] health check of model ${modelId} failed`, redactErrorForLog(error)));
  }, HEALTH_CHECK_DELAY_MS);
  timer.unref?.();
  pendingChecks.set(modelId, timer);
}
