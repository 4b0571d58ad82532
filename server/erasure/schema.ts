// Zod schemas of a data subject's erasure: the key to look for, the dry-run counts and the erasure's result.
import { z } from "zod";

export const zSubjectKey = z.object({
  /** The feature (inference log) or column (datasets) holding the subject's key, e.g. customer_id. */
  column: z.string().trim().min(1, "Give the column that holds the subject's key, e.g. customer_id.").max(200, "The column name is too long (200 characters at most)."),
  /** The key's value, compared as text ("42" matches the number 42). */
  value: z.string().min(1, "Give the subject's key value.").max(1000, "The key value is too long (1,000 characters at most)."),
  /** Only this model's logs; absent = every model. */
  modelName: z.string().trim().min(1).max(500).optional(),
});
export type SubjectKey = z.infer<typeof zSubjectKey>;

export const zErasureCounts = z.object({
  /** SHA-256 of "column\0value": what the audit log keeps instead of the key. */
  keyHash: z.string(),
  /** Log entries every row of which is the subject's: deleted whole. */
  inferenceEntriesDeleted: z.number(),
  /** Log entries (batch requests) with other people's rows too: the subject's rows are blanked, the others kept. */
  inferenceEntriesRedacted: z.number(),
  /** The subject's rows across those entries. */
  inferenceRows: z.number(),
  /** Per table keyed by model/request/row (feedback, labels…): the subject's rows. */
  linkedRows: z.array(z.object({ table: z.string(), rows: z.number() })),
  models: z.array(z.string()),
});
export type ErasureCounts = z.infer<typeof zErasureCounts>;

export const zDatasetMatch = z.object({
  dataset: z.string(),
  version: z.number(),
  /** Rows holding the key; null when the column is masked in a way that cannot be searched (dropped, redacted, generalised). */
  rows: z.number().nullable(),
  /** How the column is stored: "keep" (searched as given), "hash" (searched by its salted hash), or the masking that hides it. */
  columnMasking: z.string(),
});
export const zDatasetSearch = z.object({ matches: z.array(zDatasetMatch), searchedVersions: z.number(), unreadable: z.array(z.string()) });
export type DatasetSearch = z.infer<typeof zDatasetSearch>;

export const zDeriveWithoutSubject = z.object({
  dataset: z.string().min(1).max(500),
  version: z.number().int().positive(),
  column: zSubjectKey.shape.column,
  value: zSubjectKey.shape.value,
});
export type DeriveWithoutSubject = z.infer<typeof zDeriveWithoutSubject>;

export const zDerivedVersion = z.object({ dataset: z.string(), version: z.number(), fromVersion: z.number(), rowsRemoved: z.number(), rows: z.number() });
export type DerivedVersion = z.infer<typeof zDerivedVersion>;
