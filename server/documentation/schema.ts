// Zod contracts of the technical file (EU AI Act Annex IV): the model card's editable sections and the generated file.
// Shared by the builder, the tRPC router, the REST export (JSON/PDF) and the technical-file page.
import { z } from "zod";
import { zServerSentence } from "@/lib/i18n/server-sentence";
import { zCriterionResult, zDecisionKind, zReviewStatus } from "../review/schema";

/** The free-text sections of a model card, in the order the file prints them. */
export const modelCardSectionKeys = ["intendedPurpose", "intendedUsers", "outOfScopeUses", "limits", "humanOversight", "monitoringPlan"] as const;
export const zModelCardSectionKey = z.enum(modelCardSectionKeys);
export type ModelCardSectionKey = z.infer<typeof zModelCardSectionKey>;

const zSectionText = z.string().max(20_000, "Keep each section under 20,000 characters");
export const zModelCardSections = z.object(
  Object.fromEntries(modelCardSectionKeys.map((key) => [key, zSectionText.default("")])) as Record<ModelCardSectionKey, z.ZodDefault<typeof zSectionText>>,
);
export type ModelCardSections = z.infer<typeof zModelCardSections>;
export const emptyModelCardSections: ModelCardSections = zModelCardSections.parse({});

export const zVersionRef = z.object({
  name: z.string().min(1).max(500),
  version: z.union([z.string().regex(/^\d+$/, "Version numbers are whole numbers"), z.number().int().positive()]).transform(String),
});

export const zEditModelCardInput = zVersionRef.extend({
  /** The sections to change; those left out keep their current text. */
  sections: z.object(Object.fromEntries(modelCardSectionKeys.map((key) => [key, zSectionText.optional()])) as Record<ModelCardSectionKey, z.ZodOptional<typeof zSectionText>>),
  /** The revision the editor started from: an edit on a stale page is refused rather than silently overwriting. */
  baseRevision: z.number().int().min(0),
  note: z.string().trim().max(2000).default(""),
});
export type EditModelCardInput = z.input<typeof zEditModelCardInput>;

export const zModelCardRevision = z.object({
  revision: z.number(),
  author: z.string(),
  createdAt: z.number(),
  note: z.string(),
  /** Section keys whose text changed from the revision before. */
  changed: z.array(zModelCardSectionKey),
});
export type ModelCardRevision = z.infer<typeof zModelCardRevision>;

const zDatasetEntry = z.object({
  name: z.string(),
  version: z.number().nullable(),
  digest: z.string(),
  /** The lineage's context ("training", "evaluation"…), or "evaluation" for the review's dataset. */
  context: z.string().nullable(),
  rowCount: z.number().nullable(),
  columnCount: z.number().nullable(),
  /** Columns with the most missing values (share), from the profile. */
  mostMissing: z.array(z.object({ column: z.string(), share: z.number() })),
  /** Column → masking action applied before storage (hash, redact, drop, generalise). */
  masking: z.array(z.object({ column: z.string(), action: z.string() })),
  /** PII the scan found (after masking decisions) by column and kind. */
  piiFindings: z.array(z.object({ column: z.string(), kind: z.string(), share: z.number() })),
  qualityStatus: z.string().nullable(),
  /** False for a lineage entry that is not a registry dataset (only its name and digest are known). */
  inRegistry: z.boolean(),
});
export type TechnicalFileDataset = z.infer<typeof zDatasetEntry>;

const zDecisionEntry = z.object({
  reviewer: z.string(),
  decision: zDecisionKind,
  comment: z.string(),
  createdAt: z.number(),
  criteriaRevision: z.number(),
  cardRevision: z.number().nullable(),
  /** "counts", "invalidated" (criteria edited after it) or "withdrawn". */
  standing: z.enum(["counts", "invalidated", "withdrawn"]),
  withdrawal: z.object({ by: z.string(), at: z.number(), reason: z.string() }).nullable(),
});

export const zTechnicalFile = z.object({
  generatedAt: z.number(),
  model: z.object({
    name: z.string(),
    version: z.string(),
    digest: z.string().nullable(),
    description: z.string(),
    registeredBy: z.string(),
    registeredAt: z.number(),
    stage: z.string(),
    aliases: z.array(z.string()),
    task: z.string().nullable(),
    inputs: z.array(z.string()),
    outputs: z.array(z.string()),
  }),
  card: z.object({
    /** 0 while no section has been written. */
    revision: z.number(),
    author: z.string().nullable(),
    updatedAt: z.number().nullable(),
    sections: zModelCardSections,
    /** The revision the approval froze, and its sections (null: no approval). */
    approvedRevision: z.number().nullable(),
    approvedSections: zModelCardSections.nullable(),
    history: z.array(zModelCardRevision),
  }),
  context: z.object({ businessGoal: z.string(), expectedRoi: z.string(), knownLimits: z.string() }).nullable(),
  data: z.object({ training: z.array(zDatasetEntry), evaluation: zDatasetEntry.nullable() }),
  training: z.object({
    runId: z.string().nullable(),
    runName: z.string().nullable(),
    experimentId: z.string().nullable(),
    params: z.array(z.object({ key: z.string(), value: z.string() })),
    metrics: z.array(z.object({ key: z.string(), value: z.number() })),
    /** Source tags of the run (git commit, tag, branch, entry point), when it has them. */
    code: z.object({ gitCommit: z.string().nullable(), gitTag: z.string().nullable(), gitBranch: z.string().nullable(), source: z.string().nullable() }),
    derivedFrom: z.object({ version: z.string(), transform: z.string() }).nullable(),
  }),
  evaluation: z
    .object({
      reviewId: z.number(),
      status: zReviewStatus,
      labelColumn: z.string(),
      rowCount: z.number().nullable(),
      task: z.string().nullable(),
      metrics: z.array(z.object({ name: z.string(), value: z.number().nullable() })),
      criteria: z.array(zCriterionResult),
      evaluatorVersion: z.string().nullable(),
      evaluatedAt: z.number().nullable(),
      notes: z.array(z.string()),
      trainingOverlap: z.string().nullable(),
    })
    .nullable(),
  fairness: z.object({
    sensitiveAttributes: z.array(z.string()),
    attributes: z.array(
      z.object({
        attribute: z.string(),
        demographicParityDifference: z.number(),
        demographicParityRatio: z.number(),
        equalOpportunityDifference: z.number(),
        groups: z.array(z.object({ group: z.string(), size: z.number(), selectionRate: z.number(), truePositiveRate: z.number() })),
      }),
    ),
  }),
  robustness: z.object({
    perturbations: z.array(z.object({ label: z.string(), metric: z.string(), value: z.number(), drop: z.number(), error: z.string().nullable() })),
    edgeCases: z.object({
      total: z.number(),
      failed: z.number(),
      failures: z.array(z.object({ feature: z.string(), case: z.string(), error: z.string().nullable() })),
    }),
  }),
  oversight: z.object({
    review: z
      .object({
        id: z.number(),
        status: zReviewStatus,
        requestedBy: z.string(),
        requestedAt: z.number(),
        requiredApprovals: z.number(),
        decidedAt: z.number().nullable(),
        criteriaRevision: z.number(),
        decisions: z.array(zDecisionEntry),
        criteriaRevisions: z.array(z.object({ revision: z.number(), changedBy: z.string(), changedAt: z.number(), requiredApprovals: z.number() })),
        exceptions: z.array(z.object({ criterion: z.string(), result: z.string(), justification: z.string(), approvedBy: z.string() })),
        comments: z.array(z.object({ author: z.string(), body: z.string(), createdAt: z.number() })),
      })
      .nullable(),
    /** Every review of this version, newest first (the one above is the approved one, else the newest). */
    allReviews: z.array(z.object({ id: z.number(), status: zReviewStatus, requestedBy: z.string(), createdAt: z.number() })),
  }),
  monitoring: z.object({
    configured: z.boolean(),
    sampleRate: z.number().nullable(),
    retentionDays: z.number().nullable(),
    thresholds: z.record(z.string(), z.number().nullable()),
    feedback: z.object({ labels: z.number(), lastAt: z.number().nullable() }),
    flagReasons: z.array(z.string()),
    /** The flag reasons as catalogue codes, one for one (null: stored before codes were kept), so the PDF says them in its language. */
    flagReasonMessages: z.array(zServerSentence).nullable().optional(),
    /** Alias moves of this model that involved this version (set, rollback, override, delete), oldest first. */
    aliasHistory: z.array(
      z.object({ alias: z.string(), kind: z.string(), version: z.number().nullable(), previousVersion: z.number().nullable(), actor: z.string(), at: z.number(), reason: z.string().nullable() }),
    ),
  }),
  permissions: z.object({ canEdit: z.boolean() }),
});
export type TechnicalFile = z.infer<typeof zTechnicalFile>;
