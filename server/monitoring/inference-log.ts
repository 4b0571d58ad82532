// The inference log: serving endpoints hand each request here; sampled entries are buffered and written in batches,
// off the request path, and old entries are deleted after the model's retention period.
import { redactErrorForLog } from "../auth/log-redaction";
import { eq, and, lt, sql } from "drizzle-orm";
import { inferenceLog, modelMonitoring } from "@/db/schema";
import type { Database } from "@/db/client";

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
}

const FLUSH_DELAY_MS = 200;
const MAX_BUFFERED = 500;
const FLUSH_CHUNK = 100;
/** Entries waiting while a flush is in progress; beyond this the log sheds load. */
const MAX_PENDING = 20_000;
const SETTINGS_TTL_MS = 5_000;
const PRUNE_EVERY_MS = 10 * 60_000;

interface LogState {
  db: Database | null;
  buffer: InferenceLogEntry[];
  timer: ReturnType<typeof setTimeout> | null;
  flushing: Promise<void> | null;
  settings: Map<number, { sampleRate: number; retentionDays: number; readAt: number }>;
  lastPrune: Map<number, number>;
  dropped: number;
  reportedDropped: number;
}

const holder = globalThis as unknown as { studioInferenceLog?: LogState };
const state = (holder.studioInferenceLog ??= {
  db: null,
  buffer: [] as InferenceLogEntry[],
  timer: null,
  flushing: null,
  settings: new Map(),
  lastPrune: new Map(),
  dropped: 0,
  reportedDropped: 0,
});

/** The model's sampling rate and retention, cached for a few seconds (serving reads them on every request). */
export async function loggingSettings(db: Database, modelId: number): Promise<{ sampleRate: number; retentionDays: number }> {
  const cached = state.settings.get(modelId);
  if (cached && Date.now() - cached.readAt < SETTINGS_TTL_MS) return cached;
  const [row] = await db
    .select({ sampleRate: modelMonitoring.sampleRate, retentionDays: modelMonitoring.retentionDays })
    .from(modelMonitoring)
    .where(eq(modelMonitoring.modelId, modelId));
  const settings = { sampleRate: row?.sampleRate ?? 1, retentionDays: row?.retentionDays ?? 30, readAt: Date.now() };
  state.settings.set(modelId, settings);
  return settings;
}

/** Forget cached sampling settings (after they are edited). */
export function invalidateLoggingSettings(modelId: number): void {
  state.settings.delete(modelId);
}

/**
 * Queues one served request for the log, if the model's sampling rate picks it. Never throws and never waits
 * for the database: a request is not slowed or failed by its own logging.
 */
export function recordInference(db: Database, entry: InferenceLogEntry): void {
  state.db = db;
  const cached = state.settings.get(entry.modelId);
  const sampleRate = cached && Date.now() - cached.readAt < SETTINGS_TTL_MS ? cached.sampleRate : null;
  if (sampleRate === null) void loggingSettings(db, entry.modelId).catch(() => undefined);
  if (sampleRate !== null && sampleRate < 1 && Math.random() >= sampleRate) return;
  if (state.buffer.length >= MAX_PENDING) {
    // The database is not keeping up: shed log entries rather than memory or serving latency (counted, not silent).
    state.dropped += 1;
    return;
  }
  state.buffer.push(entry);
  if (state.buffer.length >= MAX_BUFFERED) void flushInferenceLog();
  else state.timer ??= setTimeout(() => void flushInferenceLog(), FLUSH_DELAY_MS);
}

/** Writes everything buffered (tests and shutdown call it; the timer calls it otherwise). */
export async function flushInferenceLog(): Promise<void> {
  if (state.timer) {
    clearTimeout(state.timer);
    state.timer = null;
  }
  while (state.flushing) await state.flushing;
  const batch = state.buffer.splice(0);
  if (state.dropped > state.reportedDropped) {
    console.warn(`[studio] the inference log shed ${state.dropped - state.reportedDropped} entries: the database did not keep up with serving.`);
    state.reportedDropped = state.dropped;
  }
  if (!batch.length || !state.db) return;
  const db = state.db;
  state.flushing = (async () => {
    try {
      // One JSON parameter per chunk: building thousands of bound parameters cost more CPU than serving; chunks
      // (with a turn of the event loop between them) keep each pause of the serving process short.
      for (let start = 0; start < batch.length; start += FLUSH_CHUNK) {
        if (start > 0) await new Promise((resolve) => setImmediate(resolve));
        await insertChunk(db, batch.slice(start, start + FLUSH_CHUNK));
      }
      const modelIds = new Set(batch.map((entry) => entry.modelId));
      await pruneExpired(db, modelIds);
      for (const modelId of modelIds) scheduleHealthCheck(db, modelId);
    } catch (error) {
      // Losing log entries must not take serving down; the count says how many were lost.
      state.dropped += batch.length;
      console.error(`[studio] could not write ${batch.length} inference log entries`, redactErrorForLog(error));
    }
  })();
  try {
    await state.flushing;
  } finally {
    state.flushing = null;
  }
}

async function insertChunk(db: Database, batch: InferenceLogEntry[]): Promise<void> {
  const rows = JSON.stringify(
    batch.map((e) => ({
      model_id: e.modelId,
      version_id: e.versionId,
      request_id: e.requestId,
      at: e.at,
      latency_ms: e.latencyMs,
      row_count: e.predictions.length,
      inputs: e.inputs,
      predictions: e.predictions,
      protocol: e.protocol,
    })),
  );
  await db.execute(sql`
    insert into ${inferenceLog} (model_id, version_id, request_id, at, latency_ms, row_count, inputs, predictions, protocol)
    select model_id, version_id, request_id, at, latency_ms, row_count, inputs, predictions, protocol
    from jsonb_to_recordset(${rows}::jsonb) as x(model_id bigint, version_id bigint, request_id text, at bigint, latency_ms double precision,
      row_count integer, inputs jsonb, predictions jsonb, protocol text)`);
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
