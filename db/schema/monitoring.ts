// Production monitoring: what the serving endpoints saw (sampled), the ground truth fed back later, and per-model settings.
import { sql } from "drizzle-orm";
import { bigint, bigserial, doublePrecision, foreignKey, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { datasetVersions } from "./datasets";
import { modelVersions, registeredModels } from "./registry";
import type { ServerSentence } from "@/lib/i18n/server-sentence";

/** One logged serving request (all its rows), written in batches off the request path. */
export const inferenceLog = pgTable(
  "inference_log",
  {
    logId: bigserial("log_id", { mode: "number" }).primaryKey(),
    modelId: bigint("model_id", { mode: "number" }).notNull(),
    versionId: bigint("version_id", { mode: "number" }).notNull(),
    requestId: text("request_id").notNull(),
    at: bigint("at", { mode: "number" }).notNull(),
    latencyMs: doublePrecision("latency_ms").notNull(),
    rowCount: integer("row_count").notNull(),
    /** Feature name → one value per row (numbers, text or null). */
    inputs: jsonb("inputs").$type<Record<string, (number | string | null)[]>>().notNull(),
    /** Per row: predicted label (classifiers) or value (regression). */
    predictions: jsonb("predictions").$type<(number | string)[]>().notNull(),
    protocol: text("protocol").notNull(),
    /**
     * Which traffic this entry is: the answer production returned ('production'), a canary's answer that was returned
     * ('canary'), or a shadow's answer that was logged and never returned ('shadow', same request id as production's).
     */
    route: text("route").$type<"production" | "canary" | "shadow">().notNull().default("production"),
  },
  (t) => [
    index("inference_log_model_at_idx").on(t.modelId, t.at),
    index("inference_log_request_idx").on(t.requestId),
    // One foreign key on the pair, not one per column: the version's own key to its model already says the model
    // exists, and every logged row pays for each key's check (bench/inference-log-insert-cpu.ts: the two keys cost
    // ~7 µs of the log backend's ~30 per row, the pair about half). Deleting a model deletes its versions, and so
    // their rows, as before.
    foreignKey({ name: "inference_log_version_fk", columns: [t.modelId, t.versionId], foreignColumns: [modelVersions.modelId, modelVersions.versionId] }).onDelete("cascade"),
  ],
);

/** The true outcome of one served row, joined to the log by request id and row index. */
export const inferenceFeedback = pgTable(
  "inference_feedback",
  {
    feedbackId: bigserial("feedback_id", { mode: "number" }).primaryKey(),
    modelId: bigint("model_id", { mode: "number" })
      .notNull()
      .references(() => registeredModels.modelId, { onDelete: "cascade" }),
    requestId: text("request_id").notNull(),
    rowIndex: integer("row_index").notNull().default(0),
    /** The true label (text of the class) or value. */
    label: jsonb("label").$type<number | string>().notNull(),
    at: bigint("at", { mode: "number" }).notNull(),
    /** Who posted the label (null for labels stored before posters were recorded). */
    postedById: text("posted_by_id"),
    postedBy: text("posted_by"),
    /** Set when a later label for the same row replaced this one: kept for the record, no longer counted. */
    supersededAt: bigint("superseded_at", { mode: "number" }),
    /** Where the label came from: a client's post ('client') or an agreed answer of the labelling queue ('labelling'). */
    source: text("source").$type<"client" | "labelling">().notNull().default("client"),
  },
  (t) => [uniqueIndex("inference_feedback_current_uq").on(t.modelId, t.requestId, t.rowIndex).where(sql`superseded_at is null`)],
);

export const modelMonitoring = pgTable("model_monitoring", {
  modelId: bigint("model_id", { mode: "number" })
    .primaryKey()
    .references(() => registeredModels.modelId, { onDelete: "cascade" }),
  /** Share of requests logged, 0–1. */
  sampleRate: doublePrecision("sample_rate").notNull().default(1),
  /** Log entries older than this are deleted. */
  retentionDays: integer("retention_days").notNull().default(30),
  /** Reference dataset version; null = the training version from the production version's lineage. */
  referenceDatasetVersionId: bigint("reference_dataset_version_id", { mode: "number" }).references(() => datasetVersions.versionId, {
    onDelete: "set null",
  }),
  /** MonitoringThresholds (server/monitoring/schema.ts). */
  thresholds: jsonb("thresholds").$type<unknown>(),
  /**
   * The column order a person confirmed for the production version's unnamed feature matrix ({ versionId, columns }):
   * it holds for that version only, so a promotion never inherits another version's order.
   */
  columnOrder: jsonb("column_order").$type<unknown>(),
  /** The last health check: reasons the model is flagged (empty = healthy), kept so the models list needs no drift computation. */
  flagReasons: jsonb("flag_reasons").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  /**
   * The same reasons as catalogue codes and values (lib/i18n/server-sentence.ts), one per reason, so pages say them in
   * the reader's language; null for flags checked before codes were kept (their English text is shown).
   */
  flagReasonMessages: jsonb("flag_reason_messages").$type<ServerSentence[]>(),
  flagCheckedAt: bigint("flag_checked_at", { mode: "number" }),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
});
