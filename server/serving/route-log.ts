// The log of a production endpoint's other traffic: canary answers (returned) and shadow answers (never returned) go to
// the inference log with their route, packed and written by its writer thread (unsampled), and every
// failed answer to serving_errors, batched here. Both bounded: when the database falls behind, entries are dropped and
// counted, never waited for. Every answer and error is also counted exactly (route-counts.ts): rates come from there.
import type * as ort from "onnxruntime-node";
import { servingErrors } from "@/db/schema";
import type { Database } from "@/db/client";
import { redactErrorForLog } from "../auth/log-redaction";
import { flushInferenceLog, recordCompactBatch, recordInference, type InferenceLogEntry } from "../monitoring/inference-log";
import { logServedRequest } from "../monitoring/serving-log";
import type { ModelDescription } from "./model-server";
import { countRouteAnswer, countRouteError, flushRouteCounts } from "./route-counts";

const FLUSH_AT = 200;
const FLUSH_DELAY_MS = 100;
const MAX_BUFFERED = Number(process.env.STUDIO_ROUTE_LOG_MAX_BUFFERED) || 5_000;

type ErrorRow = typeof servingErrors.$inferInsert;

interface Buffer {
  errors: ErrorRow[];
  writing: Promise<void>;
}

const holder = globalThis as unknown as { studioRouteLog?: { buffers: Map<Database, Buffer>; timer: ReturnType<typeof setTimeout> | null; dropped: number } };
const state = (holder.studioRouteLog ??= { buffers: new Map(), timer: null, dropped: 0 });

function bufferOf(db: Database): Buffer {
  let buffer = state.buffers.get(db);
  if (!buffer) state.buffers.set(db, (buffer = { errors: [], writing: Promise.resolve() }));
  return buffer;
}

function queued(buffer: Buffer): number {
  return buffer.errors.length;
}

function schedule(buffer: Buffer): void {
  if (queued(buffer) >= FLUSH_AT) void flushRouteLog();
  else state.timer ??= setTimeout(() => void flushRouteLog(), FLUSH_DELAY_MS);
}

/**
 * Queues a canary's or shadow's answer for the inference log, with its route (never sampled): packed as numbers like
 * production's (serving-log.ts), since building an object per answer cost the serving thread ~30 µs per shadow copy.
 * Never throws, never waits.
 */
export function logRoutedAnswer(
  db: Database,
  model: ModelDescription,
  entry: { route: "canary" | "shadow"; requestId: string; latencyMs: number; feeds: Record<string, ort.Tensor>; results: ort.InferenceSession.OnnxValueMapType; protocol: "mlflow" | "v2" },
): void {
  const { latencyMs, ...answer } = entry;
  countRouteAnswer(db, { modelId: model.modelId, versionId: model.versionId, route: entry.route, rows: rowsOf(model, entry.feeds) });
  if (!logServedRequest(db, model, { ...answer, startedAt: performance.now() - latencyMs })) state.dropped += 1;
}

/** Rows of a request: the first input's first dimension, as the inference log reads it. */
export function rowsOf(model: ModelDescription, feeds: Record<string, ort.Tensor>): number {
  const first = model.inputs[0] ? feeds[model.inputs[0].name] : undefined;
  return first?.dims[0] ?? 0;
}

/**
 * Counts and queues shadow answers the shadow's scoring thread packed (shadow-worker.mjs), one per request id (`rows`:
 * each answer's row count); refusals counted.
 */
export function logPackedShadowAnswers(db: Database, model: ModelDescription, packed: { numbers: Float64Array; used: number; requestIds: readonly string[]; rows: readonly number[] }): number {
  for (const rows of packed.rows) countRouteAnswer(db, { modelId: model.modelId, versionId: model.versionId, route: "shadow", rows });
  let keys = keysByModel.get(model);
  if (!keys) keysByModel.set(model, (keys = model.fields.map((f) => f.key)));
  const queued = recordCompactBatch(db, { keys, numbers: packed.numbers, used: packed.used, requestIds: packed.requestIds });
  state.dropped += packed.requestIds.length - queued;
  return queued;
}

/** Counts and queues a shadow answer the scoring thread sent as an object (text inputs or labels); a refusal is counted. */
export function logShadowAnswerObject(db: Database, entry: InferenceLogEntry & { route: "shadow" }, rows: number): void {
  countRouteAnswer(db, { modelId: entry.modelId, versionId: entry.versionId, route: "shadow", rows });
  if (!recordInference(db, entry, { sampled: false })) state.dropped += 1;
}

/** The input keys of a served version, one array per loaded model (the log's writer knows a layout by this array). */
const keysByModel = new WeakMap<ModelDescription, string[]>();

/** Queues a failed answer of a production endpoint (production, canary or shadow): the guards' error rates count them. */
export function logServingError(db: Database, entry: { modelId: number; versionId: number; route: "production" | "canary" | "shadow"; requestId: string; status: number; message: string }): void {
  countRouteError(db, entry);
  const buffer = bufferOf(db);
  if (queued(buffer) >= MAX_BUFFERED) {
    state.dropped += 1;
    return;
  }
  buffer.errors.push({ ...entry, message: entry.message.slice(0, 500), at: Date.now() });
  schedule(buffer);
}

/** Writes what is buffered, answers and counts included (the timers do it continuously; tests and benches call it). */
export async function flushRouteLog(): Promise<void> {
  if (state.timer) {
    clearTimeout(state.timer);
    state.timer = null;
  }
  await Promise.all(
    [...state.buffers.entries()].map(([db, buffer]) => {
      const errors = buffer.errors.splice(0);
      if (errors.length) {
        buffer.writing = buffer.writing.then(async () => {
          try {
            await db.insert(servingErrors).values(errors);
          } catch (error) {
            state.dropped += errors.length;
            console.error(`[serving] could not write ${errors.length} serving errors`, redactErrorForLog(error));
          }
        });
      }
      return buffer.writing;
    }),
  );
  await Promise.all([flushInferenceLog(), flushRouteCounts()]);
}

/** Canary/shadow answers and errors this process dropped because the log fell behind. */
export function routeLogDropped(): number {
  return state.dropped;
}
