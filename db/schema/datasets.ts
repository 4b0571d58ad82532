// The dataset registry: datasets, their immutable content-addressed versions, and declared quality rules.
import { sql } from "drizzle-orm";
import { bigint, bigserial, doublePrecision, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

export const datasets = pgTable(
  "datasets",
  {
    datasetId: bigserial("dataset_id", { mode: "number" }).primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    source: text("source").notNull().default(""),
    licence: text("licence").notNull().default(""),
    owner: text("owner").notNull(),
    /** Defaults for the fairness checks of later reviews. */
    labelColumn: text("label_column"),
    sensitiveAttributes: jsonb("sensitive_attributes").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** Salt of the masking hash: secret, never returned by any API, so hashed values cannot be reversed by a dictionary. */
    hashSalt: text("hash_salt").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("datasets_name_uq").on(t.name)],
);

export const datasetVersions = pgTable(
  "dataset_versions",
  {
    versionId: bigserial("version_id", { mode: "number" }).primaryKey(),
    datasetId: bigint("dataset_id", { mode: "number" })
      .notNull()
      .references(() => datasets.datasetId, { onDelete: "cascade" }),
    /** 1, 2, 3… within the dataset, in registration order. */
    version: integer("version").notNull(),
    /** SHA-256 (hex) of the stored, masked bytes: the version's identity. */
    digest: text("digest").notNull(),
    format: text("format").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    /** Path under the dataset store's root. */
    storagePath: text("storage_path").notNull(),
    originalFilename: text("original_filename").notNull().default(""),
    note: text("note").notNull().default(""),
    rowCount: bigint("row_count", { mode: "number" }),
    columns: jsonb("columns").$type<string[]>().notNull(),
    maskingPolicy: jsonb("masking_policy").$type<Record<string, unknown>>().notNull(),
    piiFindings: jsonb("pii_findings").$type<unknown[]>().notNull(),
    profileStatus: text("profile_status").notNull().default("pending"),
    profileProgress: doublePrecision("profile_progress").notNull().default(0),
    profileStage: text("profile_stage").notNull().default(""),
    profileError: text("profile_error"),
    profile: jsonb("profile").$type<unknown>(),
    qualityStatus: text("quality_status").notNull().default("pending"),
    qualityResults: jsonb("quality_results").$type<unknown[]>(),
    /** Set when someone marks the version as failed quality by hand (or clears it), with their reason. */
    qualityReason: text("quality_reason"),
    createdBy: text("created_by").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [
    uniqueIndex("dataset_versions_dataset_digest_uq").on(t.datasetId, t.digest),
    uniqueIndex("dataset_versions_dataset_version_uq").on(t.datasetId, t.version),
    index("dataset_versions_digest_idx").on(t.digest),
  ],
);

export const datasetQualityRules = pgTable(
  "dataset_quality_rules",
  {
    ruleId: bigserial("rule_id", { mode: "number" }).primaryKey(),
    datasetId: bigint("dataset_id", { mode: "number" })
      .notNull()
      .references(() => datasets.datasetId, { onDelete: "cascade" }),
    /** The rule as declared (kind, column and the kind's parameters), validated by zQualityRule. */
    rule: jsonb("rule").$type<Record<string, unknown>>().notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [index("dataset_quality_rules_dataset_idx").on(t.datasetId)],
);
