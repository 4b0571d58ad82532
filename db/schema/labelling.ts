// The labelling loop: per-model queues of sampled production rows, the labels people give them, and the agreed answer.
import { bigint, bigserial, doublePrecision, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { LabellingStrategy } from "../../lib/labelling-strategies";
import { modelVersions, registeredModels } from "./registry";

/** One queue per model: how it is filled and how many labellers each item needs. */
export const labellingQueues = pgTable("labelling_queues", {
  modelId: bigint("model_id", { mode: "number" })
    .primaryKey()
    .references(() => registeredModels.modelId, { onDelete: "cascade" }),
  strategy: text("strategy").$type<LabellingStrategy>().notNull(),
  /** Items one fill adds at most. */
  fillSize: integer("fill_size").notNull(),
  /** 1, or 2 (a disagreement then goes to a third labeller). */
  labelsRequired: integer("labels_required").notNull(),
  updatedBy: text("updated_by").notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
});

/**
 * One served row to label, keyed like feedback by (model, request id, row index) so erasure can find it. Its inputs are
 * copied from the log at fill time (in the model's column order) so the item survives log retention until labelled.
 */
export const labellingItems = pgTable(
  "labelling_items",
  {
    itemId: bigserial("item_id", { mode: "number" }).primaryKey(),
    modelId: bigint("model_id", { mode: "number" })
      .notNull()
      .references(() => labellingQueues.modelId, { onDelete: "cascade" }),
    versionId: bigint("version_id", { mode: "number" })
      .notNull()
      .references(() => modelVersions.versionId, { onDelete: "cascade" }),
    requestId: text("request_id").notNull(),
    rowIndex: integer("row_index").notNull(),
    /** [column, value] pairs in the model's input order (jsonb objects do not keep key order). */
    inputs: jsonb("inputs").$type<[string, number | string | null][]>().notNull(),
    prediction: jsonb("prediction").$type<number | string | null>(),
    /** Top-class probability of the answering version (low-confidence fills), else null. */
    confidence: doublePrecision("confidence"),
    /** The other answer for the same request (disagreement fills: shadow or canary), else null. */
    challengerPrediction: jsonb("challenger_prediction").$type<number | string | null>(),
    /** Order of labelling within the queue: the fill's strategy ranks (lowest confidence first). */
    rank: bigint("rank", { mode: "number" }).notNull(),
    labelsRequired: integer("labels_required").notNull(),
    status: text("status").$type<"open" | "agreed" | "disputed">().notNull().default("open"),
    agreedLabel: jsonb("agreed_label").$type<number | string | null>(),
    /** The feedback row the agreed label became, and the current one it superseded (both undone together). */
    feedbackId: bigint("feedback_id", { mode: "number" }),
    supersededFeedbackId: bigint("superseded_feedback_id", { mode: "number" }),
    addedAt: bigint("added_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("labelling_items_row_uq").on(t.modelId, t.requestId, t.rowIndex), index("labelling_items_queue_idx").on(t.modelId, t.status, t.rank)],
);

/** One person's answer to one item (label null = skipped), keyed by (model, request id, row index) for erasure. */
export const labellingLabels = pgTable(
  "labelling_labels",
  {
    labelId: bigserial("label_id", { mode: "number" }).primaryKey(),
    itemId: bigint("item_id", { mode: "number" })
      .notNull()
      .references(() => labellingItems.itemId, { onDelete: "cascade" }),
    modelId: bigint("model_id", { mode: "number" })
      .notNull()
      .references(() => registeredModels.modelId, { onDelete: "cascade" }),
    requestId: text("request_id").notNull(),
    rowIndex: integer("row_index").notNull(),
    labellerId: text("labeller_id").notNull(),
    labeller: text("labeller").notNull(),
    label: jsonb("label").$type<number | string | null>(),
    at: bigint("at", { mode: "number" }).notNull(),
  },
  (t) => [
    uniqueIndex("labelling_labels_item_labeller_uq").on(t.itemId, t.labellerId),
    index("labelling_labels_row_idx").on(t.modelId, t.requestId, t.rowIndex),
    index("labelling_labels_labeller_idx").on(t.labellerId, t.at),
  ],
);
