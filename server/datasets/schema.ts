// Zod schemas of the dataset registry: the one source of input and output types for router, REST and pages.
import { z } from "zod";

export const zDatasetName = z
  .string()
  .trim()
  .min(1, "Give the dataset a name")
  .max(200, "Keep the name under 200 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "Use letters, digits, '.', '_' or '-' (starting with a letter or digit)");

export const zDatasetFormat = z.enum(["csv", "parquet"]);
export type DatasetFormat = z.infer<typeof zDatasetFormat>;

export const zMaskAction = z.enum(["keep", "drop", "hash", "redact", "generalise"]);
export type MaskAction = z.infer<typeof zMaskAction>;
export const zColumnMask = z.object({ action: zMaskAction, bandWidth: z.number().positive().optional() });
export const zMaskingPolicyInput = z.record(z.string().min(1).max(300), zColumnMask);

const zText = (max: number) => z.string().trim().max(max).optional();

/** The dataset's descriptive fields, as given on the register form or by API. */
export const zDatasetMetadata = z.object({
  description: zText(5000),
  source: zText(1000),
  licence: zText(300),
  labelColumn: z.string().trim().max(300).nullable().optional(),
  sensitiveAttributes: z.array(z.string().trim().min(1).max(300)).max(100).optional(),
});

/** What accompanies uploaded bytes (the `meta` query parameter of POST /api/datasets/upload, JSON). */
export const zRegisterVersionMeta = zDatasetMetadata.extend({
  name: zDatasetName,
  format: zDatasetFormat,
  filename: z.string().max(500).optional(),
  note: zText(2000),
  masking: zMaskingPolicyInput.default({}),
});
export type RegisterVersionMeta = z.infer<typeof zRegisterVersionMeta>;

export const zProfileStatus = z.enum(["pending", "running", "done", "failed"]);
export const zQualityStatus = z.enum(["pending", "none", "passed", "failed"]);
export type ProfileStatus = z.infer<typeof zProfileStatus>;
export type QualityStatus = z.infer<typeof zQualityStatus>;

export const zPiiFinding = z.object({
  column: z.string(),
  kind: z.enum(["email", "phone", "iban", "card", "nir", "ip", "name"]),
  matched: z.number(),
  checked: z.number(),
  share: z.number(),
});
export type PiiFindingOutput = z.infer<typeof zPiiFinding>;

export const zColumnProfile = z.object({
  name: z.string(),
  type: z.enum(["number", "integer", "boolean", "date", "datetime", "string"]),
  duckdbType: z.string(),
  missing: z.number(),
  missingShare: z.number(),
  distinct: z.number(),
  min: z.union([z.number(), z.string()]).nullable(),
  max: z.union([z.number(), z.string()]).nullable(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  quantiles: z.record(z.string(), z.number()).nullable(),
  histogram: z.object({ edges: z.array(z.number()), counts: z.array(z.number()) }).nullable(),
  topValues: z.array(z.object({ value: z.string().nullable(), count: z.number() })).nullable(),
});
export const zDatasetProfileOutput = z.object({
  rowCount: z.number(),
  columnCount: z.number(),
  columns: z.array(zColumnProfile),
  profiledAt: z.string(),
  engine: z.string(),
});
export type DatasetProfileOutput = z.infer<typeof zDatasetProfileOutput>;

export const zQualityResult = z.object({
  ruleId: z.number(),
  kind: z.string(),
  column: z.string(),
  passed: z.boolean(),
  failingCount: z.number(),
  checkedCount: z.number(),
  message: z.string(),
  sampleRows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
});
export type QualityResultOutput = z.infer<typeof zQualityResult>;

/** A declared quality rule; the column is checked against the version when it is evaluated. */
export const zQualityRuleInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("not_null"), column: z.string().min(1).max(300) }),
  z
    .object({ kind: z.literal("range"), column: z.string().min(1).max(300), min: z.number().optional(), max: z.number().optional() })
    .refine((r) => r.min !== undefined || r.max !== undefined, "Give a minimum, a maximum or both"),
  z.object({ kind: z.literal("unique"), column: z.string().min(1).max(300) }),
  z.object({
    kind: z.literal("allowed_values"),
    column: z.string().min(1).max(300),
    values: z.array(z.string().max(500)).min(1, "List at least one allowed value").max(1000),
  }),
  z.object({ kind: z.literal("regex"), column: z.string().min(1).max(300), pattern: z.string().min(1).max(1000) }),
  z.object({ kind: z.literal("max_missing"), column: z.string().min(1).max(300), maxShare: z.number().min(0).max(1) }),
]);
export type QualityRuleInput = z.infer<typeof zQualityRuleInput>;
export type QualityRuleOutput = QualityRuleInput & { ruleId: number; createdBy: string; createdAt: number };

export interface DatasetVersionSummary {
  version: number;
  digest: string;
  format: DatasetFormat;
  sizeBytes: number;
  rowCount: number | null;
  columnCount: number;
  originalFilename: string;
  note: string;
  profileStatus: ProfileStatus;
  profileProgress: number;
  profileStage: string;
  qualityStatus: QualityStatus;
  /** Why the version failed quality: the failing rules' messages, or the reason given when it was marked by hand. */
  qualityReason: string | null;
  maskedColumns: number;
  createdBy: string;
  createdAt: number;
}

export interface DatasetVersionDetail extends DatasetVersionSummary {
  datasetName: string;
  columns: string[];
  maskingPolicy: Record<string, { action: MaskAction; bandWidth?: number }>;
  piiFindings: PiiFindingOutput[];
  profile: DatasetProfileOutput | null;
  profileError: string | null;
  qualityResults: QualityResultOutput[] | null;
}

export interface DatasetSummary {
  name: string;
  description: string;
  owner: string;
  versionCount: number;
  latest: DatasetVersionSummary | null;
  updatedAt: number;
}

export interface DatasetDetail {
  name: string;
  description: string;
  source: string;
  licence: string;
  owner: string;
  labelColumn: string | null;
  sensitiveAttributes: string[];
  createdAt: number;
  updatedAt: number;
  versions: DatasetVersionSummary[];
  rules: QualityRuleOutput[];
}

export interface RegisteredVersion {
  /** False when the same bytes were already a version of this dataset: nothing new was stored. */
  created: boolean;
  datasetCreated: boolean;
  version: DatasetVersionDetail;
}

export interface DatasetLineage {
  runs: {
    runId: string;
    runName: string;
    experimentId: string;
    experimentName: string;
    status: string;
    startTime: number | null;
    context: string | null;
    version: number;
    digest: string;
    matchedBy: "content digest" | "name and source";
  }[];
  /** Model versions trained on this dataset: registered from a run that used it, or recording it in their lineage. */
  modelVersions: { name: string; version: string; runId: string | null }[];
}

export interface VersionRef {
  datasetName: string;
  version: number;
  digest: string;
  qualityStatus: QualityStatus;
  qualityReason: string | null;
}

export const zVersionKey = z.object({ name: zDatasetName, version: z.number().int().positive() });

export interface ColumnDrift {
  column: string;
  kind: "numeric" | "categorical";
  test: "ks" | "wasserstein" | "chi-square" | "jensen-shannon";
  score: number;
  threshold: number;
  drifted: boolean;
  psi: number;
  psiBand: "stable" | "moderate" | "significant";
  /** Both versions' distributions on the same bins (numeric) or categories (categorical), for side-by-side charts. */
  bins: { label: string; reference: number; current: number }[];
}

export interface VersionComparison {
  reference: DatasetVersionSummary;
  current: DatasetVersionSummary;
  schema: {
    added: { column: string; type: string }[];
    removed: { column: string; type: string }[];
    typeChanged: { column: string; from: string; to: string }[];
    unchanged: number;
  };
  columns: ColumnDrift[];
  /** Columns in both versions that were not tested: identifiers, whose values differ by construction. */
  skippedColumns: { column: string; reason: "identifier-name" | "identifier-distinct" }[];
  driftedColumns: number;
  comparedColumns: number;
  /** Dataset drift is declared when at least this share of the compared columns drifted. */
  driftShareLimit: number;
  datasetDrift: boolean;
}
