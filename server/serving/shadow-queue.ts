// Shadow copies of production requests: each is scored by the shadow version after production has answered, off the
// request path, a few at a time; when the shadow falls behind (the queue is full) the copy is dropped and counted, so
// production never waits for its shadow. The shadow's answer goes to the log (route 'shadow', production's request id).
import type * as ort from "onnxruntime-node";
import type { Database } from "@/db/client";
import { toDomainError } from "../errors";
import type { ModelServer, ServedModel } from "./model-server";
import { logRoutedAnswer, logServingError } from "./route-log";

/** Copies waiting at most (STUDIO_SHADOW_QUEUE); beyond it new copies are dropped. */
const DEFAULT_MAX_QUEUED = Number(process.env.STUDIO_SHADOW_QUEUE) || 256;
/** Copies scored at once: one per core the shadow may take from production at most. */
const CONCURRENCY = Number(process.env.STUDIO_SHADOW_CONCURRENCY) || 1;

/** Builds the shadow's feeds from the request as it arrived and runs them: the shadow may take other inputs than production. */
export type ShadowScore = (model: ServedModel) => Promise<{ feeds: Record<string, ort.Tensor>; results: ort.InferenceSession.OnnxValueMapType }>;

export interface ShadowCopy {
  server: ModelServer;
  db: Database;
  modelName: string;
  version: string;
  requestId: string;
  protocol: "mlflow" | "v2";
  score: ShadowScore;
}

const holder = globalThis as unknown as { studioShadowQueue?: { queue: ShadowCopy[]; running: number; dropped: number; scored: number; maxQueued: number; idle: (() => void)[] } };
const state = (holder.studioShadowQueue ??= { queue: [], running: 0, dropped: 0, scored: 0, maxQueued: DEFAULT_MAX_QUEUED, idle: [] });

/** Queues a copy for the shadow; false when the queue is full and the copy was dropped (counted). */
export function enqueueShadowCopy(copy: ShadowCopy): boolean {
  if (state.queue.length >= state.maxQueued) {
    state.dropped += 1;
    return false;
  }
  state.queue.push(copy);
  // After the current request's answer is written: setImmediate runs once the I/O of this turn is done.
  if (state.running < CONCURRENCY) setImmediate(drain);
  return true;
}

function drain(): void {
  while (state.running < CONCURRENCY && state.queue.length) {
    const copy = state.queue.shift()!;
    state.running += 1;
    void scoreCopy(copy).finally(() => {
      state.running -= 1;
      if (state.queue.length) setImmediate(drain);
      else if (state.running === 0) for (const resolve of state.idle.splice(0)) resolve();
    });
  }
}

async function scoreCopy(copy: ShadowCopy): Promise<void> {
  const ref = { name: copy.modelName, alias: null, version: copy.version };
  let model: ServedModel | null = null;
  const startedAt = performance.now();
  try {
    model = await copy.server.acquire(ref);
    const { feeds, results } = await copy.score(model);
    logRoutedAnswer(copy.db, model, { route: "shadow", requestId: copy.requestId, latencyMs: performance.now() - startedAt, feeds, results, protocol: copy.protocol });
    state.scored += 1;
  } catch (error) {
    const domain = toDomainError(error);
    if (model) logServingError(copy.db, { modelId: model.modelId, versionId: model.versionId, route: "shadow", requestId: copy.requestId, status: domain.httpStatus, message: domain.message });
  } finally {
    if (model) copy.server.release(model);
  }
}

/** How the shadow keeps up in this process: copies waiting, scored and dropped since it started. */
export function shadowQueueStatus(): { queued: number; running: number; scored: number; dropped: number; maxQueued: number } {
  return { queued: state.queue.length, running: state.running, scored: state.scored, dropped: state.dropped, maxQueued: state.maxQueued };
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
