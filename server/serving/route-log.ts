// The log of a production endpoint's other traffic: canary answers (returned) and shadow answers (never returned) go to
// the inference log with their route, and every failed answer to serving_errors. Batched off the request path with a
// bounded buffer: when the database falls behind, entries are dropped and counted, never waited for.
import type * as ort from "onnxruntime-node";
import { inferenceLog, servingErrors } from "@/db/schema";
import type { Database } from "@/db/client";
import { redactErrorForLog } from "../auth/log-redaction";
import type { ServedModel } from "./model-server";

/** Input rows logged per request at most, as for production entries (server/monitoring/serving-log.ts). */
const MAX_LOGGED_INPUT_ROWS = 16;
const FLUSH_AT = 200;
const FLUSH_DELAY_MS = 100;
const MAX_BUFFERED = Number(process.env.STUDIO_ROUTE_LOG_MAX_BUFFERED) || 5_000;

type LogRow = typeof inferenceLog.$inferInsert;
type ErrorRow = typeof servingErrors.$inferInsert;

interface Buffer {
  logs: LogRow[];
  errors: ErrorRow[];
  writing: Promise<void>;
}

const holder = globalThis as unknown as { studioRouteLog?: { buffers: Map<Database, Buffer>; timer: ReturnType<typeof setTimeout> | null; dropped: number } };
const state = (holder.studioRouteLog ??= { buffers: new Map(), timer: null, dropped: 0 });

function bufferOf(db: Database): Buffer {
  let buffer = state.buffers.get(db);
  if (!buffer) state.buffers.set(db, (buffer = { logs: [], errors: [], writing: Promise.resolve() }));
  return buffer;
}

function plain(value: unknown): number | string | null {
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  return typeof value === "string" ? value : null;
}

function queued(buffer: Buffer): number {
  return buffer.logs.length + buffer.errors.length;
}

function schedule(buffer: Buffer): void {
  if (queued(buffer) >= FLUSH_AT) void flushRouteLog();
  else state.timer ??= setTimeout(() => void flushRouteLog(), FLUSH_DELAY_MS);
}

/** Queues a canary's or shadow's answer for the inference log, with its route. Never throws, never waits. */
export function logRoutedAnswer(
  db: Database,
  model: ServedModel,
  entry: { route: "canary" | "shadow"; requestId: string; latencyMs: number; feeds: Record<string, ort.Tensor>; results: ort.InferenceSession.OnnxValueMapType; protocol: "mlflow" | "v2" },
): void {
  try {
    const buffer = bufferOf(db);
    if (queued(buffer) >= MAX_BUFFERED) {
      state.dropped += 1;
      return;
    }
    const first = model.inputs[0] ? entry.feeds[model.inputs[0].name] : undefined;
    const rows = first?.dims[0] ?? 0;
    if (!rows) return;
    const step = Math.max(1, rows / MAX_LOGGED_INPUT_ROWS);
    const sampled = Array.from({ length: Math.min(rows, MAX_LOGGED_INPUT_ROWS) }, (_, i) => Math.floor(i * step));
    const inputs: Record<string, (number | string | null)[]> = {};
    for (const field of model.fields) {
      const tensor = entry.feeds[model.inputs[field.input]!.name];
      if (!tensor) continue;
      const cells = tensor.data as ArrayLike<unknown>;
      const width = cells.length / rows;
      inputs[field.key] = sampled.map((r) => plain(cells[r * width + field.column]));
    }
    // The prediction of each row: the first single-column output (label or value), as production entries log it.
    let predictions: (number | string)[] = [];
    for (const output of model.outputs) {
      const tensor = entry.results[output.name] as ort.Tensor | undefined;
      const cells = tensor?.data as ArrayLike<unknown> | undefined;
      if (!tensor || tensor.dims[0] !== rows || !cells || cells.length !== rows) continue;
      predictions = Array.from({ length: rows }, (_, r) => plain(cells[r]) ?? Number.NaN);
      break;
    }
    buffer.logs.push({
      modelId: model.modelId,
      versionId: model.versionId,
      requestId: entry.requestId,
      at: Date.now(),
      latencyMs: entry.latencyMs,
      rowCount: predictions.length,
      inputs,
      predictions,
      protocol: entry.protocol,
      route: entry.route,
    });
    schedule(buffer);
  } catch (error) {
    console.error("[serving] could not log a canary or shadow answer", redactErrorForLog(error));
  }
}

/** Queues a failed answer of a production endpoint (production, canary or shadow): the guards' error rates count them. */
export function logServingError(db: Database, entry: { modelId: number; versionId: number; route: "production" | "canary" | "shadow"; requestId: string; status: number; message: string }): void {
  const buffer = bufferOf(db);
  if (queued(buffer) >= MAX_BUFFERED) {
    state.dropped += 1;
    return;
  }
  buffer.errors.push({ ...entry, message: entry.message.slice(0, 500), at: Date.now() });
  schedule(buffer);
}

/** Writes what is buffered (the timer does it continuously; tests and benches call it). */
export async function flushRouteLog(): Promise<void> {
  if (state.timer) {
    clearTimeout(state.timer);
    state.timer = null;
  }
  await Promise.all(
    [...state.buffers.entries()].map(([db, buffer]) => {
      const logs = buffer.logs.splice(0);
      const errors = buffer.errors.splice(0);
      if (logs.length || errors.length) {
        buffer.writing = buffer.writing.then(async () => {
          try {
            // Canary and shadow entries share the inference log's JSON columns; one multi-row insert per batch.
            if (logs.length) await db.insert(inferenceLog).values(logs);
            if (errors.length) await db.insert(servingErrors).values(errors);
          } catch (error) {
            state.dropped += logs.length + errors.length;
            console.error(`[serving] could not write ${logs.length + errors.length} canary/shadow log entries`, redactErrorForLog(error));
          }
        });
      }
      return buffer.writing;
    }),
  );
}

/** Entries this process dropped because the log fell behind. */
export function routeLogDropped(): number {
  return state.dropped;
}
