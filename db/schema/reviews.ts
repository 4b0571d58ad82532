// Acceptance reviews ("la recette"): requests, their evaluation jobs, immutable evaluation reports, decisions and comments.
import { sql } from "drizzle-orm";
import { bigint, bigserial, doublePrecision, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { datasetVersions } from "./datasets";
import { modelVersions } from "./registry";
import type { ServerSentence } from "@/lib/i18n/server-sentence";

/**
 * One evaluation of one model on one dataset version with one configuration. Immutable (a trigger refuses
 * UPDATE and DELETE): a report is keyed by the SHA-256 of the ONNX bytes, of the dataset bytes and of the
 * evaluation settings, so the same inputs always lead back to the same stored report.
 */
export const evaluationReports = pgTable(
  "evaluation_reports",
  {
    reportId: bigserial("report_id", { mode: "number" }).primaryKey(),
    modelDigest: text("model_digest").notNull(),
    datasetDigest: text("dataset_digest").notNull(),
    /** SHA-256 of the canonical JSON of label column, sensitive attributes, seed and evaluator version. */
    configDigest: text("config_digest").notNull(),
    evaluatorVersion: text("evaluator_version").notNull(),
    runtimeVersion: text("runtime_version").notNull(),
    report: jsonb("report").$type<unknown>().notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("evaluation_reports_key_uq").on(t.modelDigest, t.datasetDigest, t.configDigest)],
);

export const reviews = pgTable(
  "reviews",
  {
    reviewId: bigserial("review_id", { mode: "number" }).primaryKey(),
    modelVersionId: bigint("model_version_id", { mode: "number" })
      .notNull()
      .references(() => modelVersions.versionId, { onDelete: "cascade" }),
    datasetVersionId: bigint("dataset_version_id", { mode: "number" })
      .notNull()
      .references(() => datasetVersions.versionId, { onDelete: "restrict" }),
    labelColumn: text("label_column").notNull(),
    sensitiveAttributes: jsonb("sensitive_attributes").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** AcceptanceCriteria (server/review/schema.ts). */
    criteria: jsonb("criteria").$type<unknown>().notNull(),
    /** Bumped on every criteria edit; decisions taken under an older revision no longer count. */
    criteriaRevision: integer("criteria_revision").notNull().default(1),
    requiredApprovals: integer("required_approvals").notNull().default(1),
    /** ReviewContext: business goal, expected ROI, known limits. */
    context: jsonb("context").$type<unknown>().notNull(),
    /** draft → evaluating → ready | evaluation_failed → approved | rejected | changes_requested (a withdrawn approval goes back to ready). */
    status: text("status").notNull(),
    requestedById: text("requested_by_id").notNull(),
    requestedBy: text("requested_by").notNull(),
    reportId: bigint("report_id", { mode: "number" }).references(() => evaluationReports.reportId),
    /** CriterionResult[] of the current criteria against the report. */
    criteriaResults: jsonb("criteria_results").$type<unknown>(),
    /** Set when the evaluation job failed: the review went back to draft with this reason. */
    evaluationError: text("evaluation_error"),
    /** evaluation_error as a catalogue sentence, so the review page says it in the reader's language; null before 0032. */
    evaluationErrorSentence: jsonb("evaluation_error_sentence").$type<ServerSentence>(),
    /** Warning when the model's lineage shows it was trained on the evaluation dataset version. */
    trainingOverlap: text("training_overlap"),
    /** ColumnMapping (lib/feature-names.ts): the column order the requester confirmed when nothing named the model's columns. */
    columnMapping: jsonb("column_mapping").$type<unknown>(),
    /** The label value counted as the favourable outcome in fairness; null = the model's positive class. */
    favourableOutcome: text("favourable_outcome"),
    /** ValueSettings (lib/business-value-schema.ts): outcome values and the chosen decision threshold, revised like the criteria. */
    valueSettings: jsonb("value_settings").$type<unknown>(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
    decidedAt: bigint("decided_at", { mode: "number" }),
    /** The model card revision the version was approved with (0: none written yet); later edits never change it. */
    approvedCardRevision: integer("approved_card_revision"),
  },
  (t) => [index("reviews_model_version_idx").on(t.modelVersionId), index("reviews_status_idx").on(t.status)],
);

/** The background evaluation of a review; survives restarts (pending/running jobs are resumed at start-up). */
export const reviewJobs = pgTable(
  "review_jobs",
  {
    jobId: bigserial("job_id", { mode: "number" }).primaryKey(),
    reviewId: bigint("review_id", { mode: "number" })
      .notNull()
      .references(() => reviews.reviewId, { onDelete: "cascade" }),
    /** pending | running | done | failed */
    status: text("status").notNull(),
    progress: doublePrecision("progress").notNull().default(0),
    stage: text("stage").notNull().default("queued"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    startedAt: bigint("started_at", { mode: "number" }),
    finishedAt: bigint("finished_at", { mode: "number" }),
  },
  (t) => [index("review_jobs_review_idx").on(t.reviewId), index("review_jobs_status_idx").on(t.status)],
);

export const reviewDecisions = pgTable(
  "review_decisions",
  {
    decisionId: bigserial("decision_id", { mode: "number" }).primaryKey(),
    reviewId: bigint("review_id", { mode: "number" })
      .notNull()
      .references(() => reviews.reviewId, { onDelete: "cascade" }),
    reviewerId: text("reviewer_id").notNull(),
    reviewer: text("reviewer").notNull(),
    /** approve | reject | request_changes */
    decision: text("decision").notNull(),
    comment: text("comment").notNull().default(""),
    criteriaRevision: integer("criteria_revision").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    /** Set when the criteria were edited after this decision: it is kept for the record but no longer counts. */
    invalidatedAt: bigint("invalidated_at", { mode: "number" }),
    /** An approval its reviewer withdrew (with a reason): kept for the record, it no longer counts. */
    withdrawnAt: bigint("withdrawn_at", { mode: "number" }),
    withdrawnBy: text("withdrawn_by"),
    withdrawalReason: text("withdrawal_reason"),
    /** The model card revision the reviewer saw when deciding (0: no free-text section written yet). */
    cardRevision: integer("card_revision"),
  },
  (t) => [index("review_decisions_review_idx").on(t.reviewId)],
);

/**
 * Every revision of a review's criteria, the first (at the request) included: who set them, when, and to what.
 * The review row holds the current revision; this table is the history the page and the sign-off sheet show.
 */
export const reviewCriteriaRevisions = pgTable(
  "review_criteria_revisions",
  {
    revisionId: bigserial("revision_id", { mode: "number" }).primaryKey(),
    reviewId: bigint("review_id", { mode: "number" })
      .notNull()
      .references(() => reviews.reviewId, { onDelete: "cascade" }),
    revision: integer("revision").notNull(),
    /** AcceptanceCriteria of this revision. */
    criteria: jsonb("criteria").$type<unknown>().notNull(),
    requiredApprovals: integer("required_approvals").notNull(),
    /** ValueSettings of this revision (a new decision threshold is a new revision). */
    valueSettings: jsonb("value_settings").$type<unknown>(),
    changedById: text("changed_by_id").notNull(),
    changedBy: text("changed_by").notNull(),
    changedAt: bigint("changed_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("review_criteria_revisions_uq").on(t.reviewId, t.revision)],
);

/** An approval given although a criterion failed: one row per failing criterion, with the approver's written justification. */
export const reviewExceptions = pgTable(
  "review_exceptions",
  {
    exceptionId: bigserial("exception_id", { mode: "number" }).primaryKey(),
    reviewId: bigint("review_id", { mode: "number" })
      .notNull()
      .references(() => reviews.reviewId, { onDelete: "cascade" }),
    decisionId: bigint("decision_id", { mode: "number" })
      .notNull()
      .references(() => reviewDecisions.decisionId, { onDelete: "cascade" }),
    /** CriterionResult.key, e.g. "metric:accuracy". */
    criterionKey: text("criterion_key").notNull(),
    /** The criterion and its measured result in words, as they stood when the exception was granted. */
    criterion: text("criterion").notNull(),
    result: text("result").notNull(),
    justification: text("justification").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [index("review_exceptions_review_idx").on(t.reviewId)],
);

export const reviewComments = pgTable(
  "review_comments",
  {
    commentId: bigserial("comment_id", { mode: "number" }).primaryKey(),
    reviewId: bigint("review_id", { mode: "number" })
      .notNull()
      .references(() => reviews.reviewId, { onDelete: "cascade" }),
    authorId: text("author_id").notNull(),
    author: text("author").notNull(),
    body: text("body").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [index("review_comments_review_idx").on(t.reviewId)],
);
