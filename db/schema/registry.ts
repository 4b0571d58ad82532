// Model registry tables: registered models, their numbered versions, tags and aliases (MLflow's model registry).
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";

export const registeredModels = pgTable(
  "registered_models",
  {
    /** Surrogate key, so a rename touches one row and versions, tags and aliases follow. */
    modelId: bigserial("model_id", { mode: "number" }).primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    userId: text("user_id").notNull().default(""),
    creationTimestamp: bigint("creation_timestamp", { mode: "number" }).notNull(),
    lastUpdatedTimestamp: bigint("last_updated_timestamp", { mode: "number" }).notNull(),
    /** Highest version number ever issued: deleted versions' numbers are never reused, as in MLflow. */
    lastVersion: integer("last_version").notNull().default(0),
  },
  (t) => [uniqueIndex("registered_models_name_uq").on(t.name)],
);

export const registeredModelTags = pgTable(
  "registered_model_tags",
  {
    modelId: bigint("model_id", { mode: "number" })
      .notNull()
      .references(() => registeredModels.modelId, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.key] })],
);

export const modelVersions = pgTable(
  "model_versions",
  {
    versionId: bigserial("version_id", { mode: "number" }).primaryKey(),
    modelId: bigint("model_id", { mode: "number" })
      .notNull()
      .references(() => registeredModels.modelId, { onDelete: "cascade" }),
    /** 1, 2, 3… within the registered model. */
    version: integer("version").notNull(),
    creationTimestamp: bigint("creation_timestamp", { mode: "number" }).notNull(),
    lastUpdatedTimestamp: bigint("last_updated_timestamp", { mode: "number" }).notNull(),
    userId: text("user_id").notNull().default(""),
    currentStage: text("current_stage").notNull().default("None"),
    description: text("description").notNull().default(""),
    /** The URI the client registered (`runs:/…`, `models:/…`, `mlflow-artifacts:/…`). */
    source: text("source").notNull(),
    /** Where the files are: the source with `runs:/` and `models:/` resolved (get-download-uri answers it). */
    storageLocation: text("storage_location").notNull(),
    runId: text("run_id"),
    runLink: text("run_link"),
    /** MLflow 3 logged model the version was registered from (`models:/m-…`). */
    loggedModelId: text("logged_model_id"),
    status: text("status").notNull().default("READY"),
    statusMessage: text("status_message"),
    /** Artifact path of the version's ONNX file, when it has one (filled by ONNX introspection). */
    onnxPath: text("onnx_path"),
    introspection: jsonb("introspection").$type<unknown>(),
    lineage: jsonb("lineage").$type<unknown>(),
    /**
     * SHA-256 of the version's ONNX bytes, copied at registration into the write-once model store under this key;
     * everything that loads the model loads it by this digest and verifies it. Null for versions without ONNX.
     */
    modelDigest: text("model_digest"),
    /** Set when the stored bytes no longer match the digest: serving refuses the version (503) until it is resolved. */
    integrityFailure: text("integrity_failure"),
    integrityFailedAt: bigint("integrity_failed_at", { mode: "number" }),
  },
  (t) => [
    uniqueIndex("model_versions_model_version_uq").on(t.modelId, t.version),
    // The key inference_log's rows point at (a model and one of its versions, checked together).
    uniqueIndex("model_versions_model_id_version_id_uq").on(t.modelId, t.versionId),
    index("model_versions_run_idx").on(t.runId),
  ],
);

export const modelVersionTags = pgTable(
  "model_version_tags",
  {
    versionId: bigint("version_id", { mode: "number" })
      .notNull()
      .references(() => modelVersions.versionId, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.key] })],
);

/** One row per (model, alias); deleting the version it points to deletes the alias, as MLflow does. */
export const registeredModelAliases = pgTable(
  "registered_model_aliases",
  {
    modelId: bigint("model_id", { mode: "number" })
      .notNull()
      .references(() => registeredModels.modelId, { onDelete: "cascade" }),
    alias: text("alias").notNull(),
    versionId: bigint("version_id", { mode: "number" })
      .notNull()
      .references(() => modelVersions.versionId, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.alias] }), index("registered_model_aliases_version_idx").on(t.versionId)],
);

/**
 * Every move of an alias, as its own fact keyed by ids and digest (never by names): the Deployments page's
 * history, and the rollback's proof that a version held `production` before with these very bytes.
 */
export const aliasEvents = pgTable(
  "alias_events",
  {
    eventId: bigserial("event_id", { mode: "number" }).primaryKey(),
    modelId: bigint("model_id", { mode: "number" })
      .notNull()
      .references(() => registeredModels.modelId, { onDelete: "cascade" }),
    alias: text("alias").notNull(),
    /**
     * "set" (through the gate when it is production), "override" (admin past the gate), "rollback", "delete", or
     * "upgrade": where the alias pointed when this table was introduced (kept serving; never a rollback proof).
     */
    kind: text("kind").notNull(),
    /** The version the alias points at after the event (null after a delete, or once that version is deleted). */
    versionId: bigint("version_id", { mode: "number" }).references(() => modelVersions.versionId, { onDelete: "set null" }),
    version: integer("version"),
    /** The ONNX digest the version had when it took the alias. */
    modelDigest: text("model_digest"),
    previousVersionId: bigint("previous_version_id", { mode: "number" }).references(() => modelVersions.versionId, { onDelete: "set null" }),
    previousVersion: integer("previous_version"),
    /** The approved review that let the version through the gate (production only). */
    reviewId: bigint("review_id", { mode: "number" }),
    reason: text("reason"),
    actorUsername: text("actor_username").notNull(),
    at: bigint("at", { mode: "number" }).notNull(),
  },
  (t) => [index("alias_events_model_alias_idx").on(t.modelId, t.alias, t.eventId)],
);
