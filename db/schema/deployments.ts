// Traffic of a production deployment beyond its production version: a canary answering a share of requests, a shadow
// answering a copy of every request unseen, the guard rules that may stop either, and the errors serving returned.
import { bigint, bigserial, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { modelVersions, registeredModels } from "./registry";
import type { ServerSentence } from "@/lib/i18n/server-sentence";

/** One row per model whose production endpoint has (or had) a canary, a shadow or guard rules. */
export const deploymentRoutes = pgTable("deployment_routes", {
  modelId: bigint("model_id", { mode: "number" })
    .primaryKey()
    .references(() => registeredModels.modelId, { onDelete: "cascade" }),
  /** The approved version answering `canaryShare` of production requests; null = no canary. */
  canaryVersionId: bigint("canary_version_id", { mode: "number" }).references(() => modelVersions.versionId, { onDelete: "set null" }),
  /** Share of production requests the canary answers, 0–0.5 (0 = stopped, kept for the record). */
  canaryShare: doublePrecision("canary_share").notNull().default(0),
  canarySince: bigint("canary_since", { mode: "number" }),
  /** Any version, approved or not, answering a copy of every production request; its answers are logged, never returned. */
  shadowVersionId: bigint("shadow_version_id", { mode: "number" }).references(() => modelVersions.versionId, { onDelete: "set null" }),
  shadowSince: bigint("shadow_since", { mode: "number" }),
  /** GuardRules (server/deployments/schema.ts). */
  guards: jsonb("guards").$type<unknown>(),
  /** Why the canary was last stopped automatically, or why production was rolled back (null: never). */
  lastGuardAction: text("last_guard_action"),
  /** `lastGuardAction` as a catalogue code and its numbers (lib/i18n/server-sentence.ts), so pages say it in the reader's language. */
  lastGuardActionMessage: jsonb("last_guard_action_message").$type<ServerSentence>(),
  lastGuardCheckAt: bigint("last_guard_check_at", { mode: "number" }),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  updatedBy: text("updated_by").notNull(),
});

/** A serving request of a production endpoint that failed (its answer was an error), by route: the error rates' numerator. */
export const servingErrors = pgTable(
  "serving_errors",
  {
    errorId: bigserial("error_id", { mode: "number" }).primaryKey(),
    modelId: bigint("model_id", { mode: "number" })
      .notNull()
      .references(() => registeredModels.modelId, { onDelete: "cascade" }),
    versionId: bigint("version_id", { mode: "number" })
      .notNull()
      .references(() => modelVersions.versionId, { onDelete: "cascade" }),
    route: text("route").$type<"production" | "canary" | "shadow">().notNull(),
    requestId: text("request_id").notNull(),
    at: bigint("at", { mode: "number" }).notNull(),
    status: integer("status").notNull(),
    message: text("message").notNull(),
  },
  (t) => [index("serving_errors_model_at_idx").on(t.modelId, t.at)],
);

/**
 * Exact counts of a production endpoint's answers and errors per minute, by version and route: the inference log may
 * sample production's answers and shed load, so error rates and volumes are read from here, never from the log.
 * Each process adds its in-memory counts (upsert, `requests = requests + excluded.requests`) about once a second.
 */
export const routeCounts = pgTable(
  "route_counts",
  {
    modelId: bigint("model_id", { mode: "number" })
      .notNull()
      .references(() => registeredModels.modelId, { onDelete: "cascade" }),
    versionId: bigint("version_id", { mode: "number" })
      .notNull()
      .references(() => modelVersions.versionId, { onDelete: "cascade" }),
    route: text("route").$type<"production" | "canary" | "shadow">().notNull(),
    /** Start of the minute (epoch ms) the answers were given in. */
    minute: bigint("minute", { mode: "number" }).notNull(),
    /** Answers given (successful requests). */
    requests: bigint("requests", { mode: "number" }).notNull().default(0),
    /** Rows scored in those answers. */
    rows: bigint("rows", { mode: "number" }).notNull().default(0),
    /** Requests whose answer was an error. */
    errors: bigint("errors", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.versionId, t.route, t.minute] }), index("route_counts_model_minute_idx").on(t.modelId, t.minute)],
);
