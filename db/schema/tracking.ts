// Tracking tables: experiments, runs and what runs log (params, metrics, tags, inputs), MLflow's model.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  bigserial,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";

export const experiments = pgTable(
  "experiments",
  {
    experimentId: bigserial("experiment_id", { mode: "number" }).primaryKey(),
    name: text("name").notNull(),
    artifactLocation: text("artifact_location").notNull(),
    lifecycleStage: text("lifecycle_stage").notNull().default("active"),
    creationTime: bigint("creation_time", { mode: "number" }).notNull(),
    lastUpdateTime: bigint("last_update_time", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("experiments_name_uq").on(t.name)],
);

export const experimentTags = pgTable(
  "experiment_tags",
  {
    experimentId: bigint("experiment_id", { mode: "number" })
      .notNull()
      .references(() => experiments.experimentId, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.key] })],
);

export const runs = pgTable(
  "runs",
  {
    runUuid: text("run_uuid").primaryKey(),
    experimentId: bigint("experiment_id", { mode: "number" })
      .notNull()
      .references(() => experiments.experimentId, { onDelete: "cascade" }),
    name: text("name").notNull(),
    userId: text("user_id").notNull().default(""),
    status: text("status").notNull().default("RUNNING"),
    startTime: bigint("start_time", { mode: "number" }).notNull(),
    endTime: bigint("end_time", { mode: "number" }),
    lifecycleStage: text("lifecycle_stage").notNull().default("active"),
    artifactUri: text("artifact_uri").notNull(),
    deletedTime: bigint("deleted_time", { mode: "number" }),
  },
  (t) => [
    index("runs_experiment_start_idx").on(t.experimentId, t.startTime.desc()),
    index("runs_name_idx").on(t.name),
  ],
);

export const params = pgTable(
  "params",
  {
    runUuid: text("run_uuid")
      .notNull()
      .references(() => runs.runUuid, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runUuid, t.key] }), index("params_key_value_idx").on(t.key, t.value)],
);

export const tags = pgTable(
  "tags",
  {
    runUuid: text("run_uuid")
      .notNull()
      .references(() => runs.runUuid, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runUuid, t.key] }), index("tags_key_value_idx").on(t.key, t.value)],
);

/**
 * Full metric history. The primary key doubles as the history index (run, key, step) and makes an
 * identical re-sent point a no-op, which is what makes log-batch retries idempotent.
 * NaN and ±Infinity are stored as such: PostgreSQL's float8 holds them and compares NaN = NaN.
 * run_uuid names an existing run as a foreign key would make it, checked once per statement rather than per point by
 * triggers (migration 0029: the per-row check was half of a log-batch's insert cost); deleting a run deletes its points.
 */
export const metrics = pgTable(
  "metrics",
  {
    runUuid: text("run_uuid").notNull(),
    key: text("key").notNull(),
    step: bigint("step", { mode: "number" }).notNull(),
    timestamp: bigint("timestamp", { mode: "number" }).notNull(),
    value: doublePrecision("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runUuid, t.key, t.step, t.timestamp, t.value] })],
);

/**
 * Metric history pre-reduced for charts: per (run, key) and bucket of `width` steps, the bucket's
 * point count and its lowest, highest, first and last points (M4), kept up to date by every logged
 * batch. A chart of 100 runs × 100,000 steps reads ~160,000 of these instead of 10 million points.
 * Points are float8 arrays ordered so that array min/max pick the right one and merge idempotently:
 * lo/first/last = [value|step, …], hi = [value, -step, timestamp] (ties go to the earliest step).
 */
export const metricRollups = pgTable(
  "metric_rollups",
  {
    runUuid: text("run_uuid")
      .notNull()
      .references(() => runs.runUuid, { onDelete: "cascade" }),
    key: text("key").notNull(),
    width: integer("width").notNull(),
    bucket: bigint("bucket", { mode: "number" }).notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
    lo: doublePrecision("lo").array().notNull(),
    hi: doublePrecision("hi").array().notNull(),
    first: doublePrecision("first").array().notNull(),
    last: doublePrecision("last").array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runUuid, t.key, t.width, t.bucket] })],
);

/**
 * Points logged but not yet folded into metric_rollups: one row per log-batch holding the points that
 * batch newly inserted, written in the same statement as the points themselves, when that statement could not
 * merge their rollups itself (a batch re-sending stored points, or one inside a transaction; a batch of all-new
 * points merges rows grouped in Node instead). The rollup merge from points halved log-batch throughput when it
 * ran on the request; compaction (server/tracking/rollup-compaction.ts)
 * folds these rows in and deletes them in one statement, so a crash leaves them here to be folded
 * later and two compactors never fold one row twice. Chart reads catch their runs up first.
 */
export const metricRollupBacklog = pgTable(
  "metric_rollup_backlog",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    runUuid: text("run_uuid")
      .notNull()
      .references(() => runs.runUuid, { onDelete: "cascade" }),
    keys: text("keys").array().notNull(),
    steps: bigint("steps", { mode: "number" }).array().notNull(),
    times: bigint("times", { mode: "number" }).array().notNull(),
    vals: doublePrecision("vals").array().notNull(),
  },
  (t) => [index("metric_rollup_backlog_run_idx").on(t.runUuid)],
);

/** One row per (run, metric key): the value with the greatest (step, timestamp, value), as MLflow picks it. */
export const latestMetrics = pgTable(
  "latest_metrics",
  {
    runUuid: text("run_uuid")
      .notNull()
      .references(() => runs.runUuid, { onDelete: "cascade" }),
    key: text("key").notNull(),
    step: bigint("step", { mode: "number" }).notNull(),
    timestamp: bigint("timestamp", { mode: "number" }).notNull(),
    value: doublePrecision("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runUuid, t.key] }), index("latest_metrics_key_value_idx").on(t.key, t.value)],
);

/** MLflow dataset entities (log_input): one per (experiment, name, digest). */
export const trackedDatasets = pgTable(
  "tracked_datasets",
  {
    datasetUuid: text("dataset_uuid").primaryKey(),
    experimentId: bigint("experiment_id", { mode: "number" })
      .notNull()
      .references(() => experiments.experimentId, { onDelete: "cascade" }),
    name: text("name").notNull(),
    digest: text("digest").notNull(),
    sourceType: text("source_type").notNull(),
    source: text("source").notNull(),
    schema: text("schema"),
    profile: text("profile"),
  },
  (t) => [uniqueIndex("tracked_datasets_exp_name_digest_uq").on(t.experimentId, t.name, t.digest)],
);

export const runInputs = pgTable(
  "run_inputs",
  {
    runUuid: text("run_uuid")
      .notNull()
      .references(() => runs.runUuid, { onDelete: "cascade" }),
    datasetUuid: text("dataset_uuid")
      .notNull()
      .references(() => trackedDatasets.datasetUuid, { onDelete: "cascade" }),
    tags: jsonb("tags").$type<{ key: string; value: string }[]>().notNull().default(sql`'[]'::jsonb`),
  },
  (t) => [primaryKey({ columns: [t.runUuid, t.datasetUuid] })],
);

/** MLflow 3 logged models (`mlflow.<flavor>.log_model` creates one before uploading its files). */
export const loggedModels = pgTable(
  "logged_models",
  {
    modelId: text("model_id").primaryKey(),
    experimentId: bigint("experiment_id", { mode: "number" })
      .notNull()
      .references(() => experiments.experimentId, { onDelete: "cascade" }),
    name: text("name").notNull(),
    artifactLocation: text("artifact_location").notNull(),
    creationTimestamp: bigint("creation_timestamp", { mode: "number" }).notNull(),
    lastUpdatedTimestamp: bigint("last_updated_timestamp", { mode: "number" }).notNull(),
    sourceRunId: text("source_run_id"),
    status: text("status").notNull().default("LOGGED_MODEL_PENDING"),
    statusMessage: text("status_message"),
    modelType: text("model_type"),
    lifecycleStage: text("lifecycle_stage").notNull().default("active"),
    tags: jsonb("tags").$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    params: jsonb("params").$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index("logged_models_experiment_idx").on(t.experimentId)],
);


/**
 * A saved compare selection: the run ids of a comparison too long for a link (1,000 ids are ~33 kB, past the
 * 16 kB a request line may take), kept server-side so the link carries only its short id. The id is derived
 * from the experiment and the ids, so saving the same selection twice gives the same link and one row.
 */
export const compareSelections = pgTable("compare_selections", {
  selectionId: text("selection_id").primaryKey(),
  experimentId: bigint("experiment_id", { mode: "number" })
    .notNull()
    .references(() => experiments.experimentId, { onDelete: "cascade" }),
  runIds: text("run_ids").array().notNull(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
});

/**
 * A named view of an experiment: the runs table's filter, order, columns, grouping, open parents and layout, or a
 * comparison's options. Shared with every reader of the experiment, or private to the user named by private_to.
 * At most one runs view per experiment is its default (always a shared one), opened when the experiment's link
 * carries no view state of its own.
 */
export const savedViews = pgTable(
  "saved_views",
  {
    viewId: bigserial("view_id", { mode: "number" }).primaryKey(),
    experimentId: bigint("experiment_id", { mode: "number" })
      .notNull()
      .references(() => experiments.experimentId, { onDelete: "cascade" }),
    kind: text("kind").$type<"runs" | "compare">().notNull(),
    name: text("name").notNull(),
    state: jsonb("state").$type<Record<string, unknown>>().notNull(),
    isDefault: boolean("is_default").notNull().default(false),
    /** The username a private view belongs to; '' for a shared view (a key column, so not null: names are unique per owner). */
    privateTo: text("private_to").notNull().default(""),
    createdBy: text("created_by").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [
    uniqueIndex("saved_views_owner_name_uq").on(t.experimentId, t.kind, t.privateTo, t.name),
    uniqueIndex("saved_views_default_uq").on(t.experimentId, t.kind).where(sql`${t.isDefault}`),
  ],
);
