// Shadow copies of production requests: each is scored by the shadow version after production has answered, off the
// request path; when the shadow falls behind (the queue is full) the copy is dropped and counted, so production never
// waits for its shadow. Copies waiting together are scored in one run (their rows stacked): at batch-1 traffic the
// per-run overhead, not the model, is most of a shadow's cost, and it is paid on the cores production answers on.
// The shadow's answer goes to the log (route 'shadow', production's request id). When the shadow takes the same
// inputs as production (a retrained version, the usual case), the copy reuses the tensors production already parsed
// from the request: no second parse on the serving thread (a few µs a copy; logging the answer packed matters more).
import type * as ort from "onnxruntime-node";
import type { Database } from "@/db/client";
import { toDomainError } from "../errors";
import { runModel, splitResults, stackFeeds } from "./batched-run";
import type { ModelServer, ServedModel } from "./model-server";
import { logRoutedAnswer, logServingError } from "./route-log";

/** Copies waiting at most (STUDIO_SHADOW_QUEUE); beyond it new copies are dropped. */
const DEFAULT_MAX_QUEUED = Number(process.env.STUDIO_SHADOW_QUEUE) || 256;
/** Runs at once: one per core the shadow may take from production at most. */
const CONCURRENCY = Number(process.env.STUDIO_SHADOW_CONCURRENCY) || 1;
/** Copies stacked into one run at most (STUDIO_SHADOW_BATCH); the queue's backlog decides how many, up to this. */
const MAX_BATCH = Number(process.env.STUDIO_SHADOW_BATCH) || 64;

/** Builds the shadow's feeds from the request as it arrived: the shadow may take other inputs than production. */
export type ShadowParse = (model: ServedModel) => Record<string, ort.Tensor>;

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

interface QueueState {
  queue: ShadowCopy[];
  /** Runs in progress (at most CONCURRENCY) and the copies they score. */
  active: number;
  running: number;
  /** Batches scored since start: fewer than the copies scored when copies were stacked. */
  batches: number;
  dropped: number;
  scored: number;
  /** Copies that took production's parsed inputs, and copies parsed again for a shadow with other inputs. */
  reused: number;
  parsed: number;
  maxQueued: number;
  idle: (() => void)[];
}
const holder = globalThis as unknown as { studioShadowQueue?: QueueState };
const state = (holder.studioShadowQueue ??= { queue: [], active: 0, running: 0, batches: 0, dropped: 0, scored: 0, reused: 0, parsed: 0, maxQueued: DEFAULT_MAX_QUEUED, idle: [] });
// A queue kept from an older module (a dev server's reload) lacks the newer counters.
state.reused ??= 0;
state.parsed ??= 0;
/** Sessions whose stacked run failed while each copy alone succeeded (a fixed batch dimension): scored one by one. */
const unstackable = new WeakSet<ort.InferenceSession>();

/** Queues a copy for the shadow; false when the queue is full and the copy was dropped (counted). */
export function enqueueShadowCopy(copy: ShadowCopy): boolean {
  if (state.queue.length >= state.maxQueued) {
    state.dropped += 1;
    return false;
  }
  state.queue.push(copy);
  // After the current request's answer is written: setImmediate runs once the I/O of this turn is done.
  if (state.active < CONCURRENCY) setImmediate(drain);
  return true;
}

/** What a request's parse depends on, per loaded version: its inputs, the request columns and how they map, nulls. */
const inputSignatures = new WeakMap<ServedModel, string>();

function inputSignature(model: ServedModel): string {
  let signature = inputSignatures.get(model);
  if (signature === undefined) {
    signature = JSON.stringify([model.inputs, model.fields, model.namedColumns, model.handlesMissing]);
    inputSignatures.set(model, signature);
  }
  return signature;
}

/** Whether two versions make the same tensors of any request (so one's parse can feed the other). */
export function takesSameInputs(a: ServedModel, b: ServedModel): boolean {
  return a === b || inputSignature(a) === inputSignature(b);
}

/** The shadow's feeds for a copy: production's own when the shadow takes the same inputs, else the request parsed again. */
function feedsFor(copy: ShadowCopy, model: ServedModel): Record<string, ort.Tensor> {
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

/** The copies at the head of the queue for the same shadow, up to MAX_BATCH, taken off the queue. */
function takeBatch(): ShadowCopy[] {
  const head = state.queue[0]!;
  let n = 1;
  while (n < state.queue.length && n < MAX_BATCH && sameTarget(head, state.queue[n]!)) n += 1;
  return state.queue.splice(0, n);
}

function drain(): void {
  while (state.active < CONCURRENCY && state.queue.length) {
    const batch = takeBatch();
    state.active += 1;
    state.running += batch.length;
    void scoreBatch(batch).finally(() => {
      state.active -= 1;
      state.batches += 1;
      state.running -= batch.length;
      if (state.queue.length) setImmediate(drain);
      else if (state.running === 0) for (const resolve of state.idle.splice(0)) resolve();
    });
  }
}

function recordError(copy: ShadowCopy, model: ServedModel, error: unknown): void {
  const domain = toDomainError(error);
  logServingError(copy.db, { modelId: model.modelId, versionId: model.versionId, route: "shadow", requestId: copy.requestId, status: domain.httpStatus, message: domain.message });
}

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
    return; // the shadow version cannot be loaded: nothing to attribute its errors to (as before batching)
  }
  try {
    const startedAt = performance.now();
    const outputs = model.outputs.map((o) => o.name);
    const parsed: { copy: ShadowCopy; feeds: Record<string, ort.Tensor> }[] = [];
    for (const copy of batch) {
      try {
        parsed.push({ copy, feeds: feedsFor(copy, model) });
      } catch (error) {
        recordError(copy, model, error);
      }
    }
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
export function shadowQueueStatus(): { queued: number; running: number; scored: number; batches: number; dropped: number; reused: number; parsed: number; maxQueued: number } {
  return { queued: state.queue.length, running: state.running, scored: state.scored, batches: state.batches, dropped: state.dropped, reused: state.reused, parsed: state.parsed, maxQueued: state.maxQueued };
}

/** Resolves once every queued copy has been scored (tests, benches). */
export function shadowQueueIdle(): Promise<void> {
  if (state.queue.length === 0 && state.running === 0) return Promise.resolve();
  return new Promise((resolve) => state.idle.push(resolve));
}

/** For tests only: bound the queue. */
export const shadowQueueTestHooks = {
  setMaxQueued(limit: number): void {
    state.maxQueued = limit;
  },
  reset(): void {
    state.maxQueued = DEFAULT_MAX_QUEUED;
  },
};
