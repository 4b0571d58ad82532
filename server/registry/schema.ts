// Zod schemas of the model registry: MLflow's wire shapes (model_registry.proto), shared by REST, tRPC and pages.
import { z } from "zod";
import { zInt64, zKeyValue, zText } from "../tracking/schema";
import { zServerSentence } from "@/lib/i18n/server-sentence";

/** MLflow's stages, in their canonical spelling; requests may use any case. */
export const modelStages = ["None", "Staging", "Production", "Archived"] as const;
export type ModelStage = (typeof modelStages)[number];

export const zModelAlias = z.object({ alias: z.string(), version: z.string() });

export const zModelVersion = z.object({
  name: z.string(),
  version: z.string(),
  creation_timestamp: z.number(),
  last_updated_timestamp: z.number(),
  user_id: z.string(),
  current_stage: z.string(),
  description: z.string(),
  source: z.string(),
  run_id: z.string().optional(),
  status: z.enum(["PENDING_REGISTRATION", "FAILED_REGISTRATION", "READY"]),
  status_message: z.string().optional(),
  tags: z.array(zKeyValue),
  run_link: z.string().optional(),
  aliases: z.array(z.string()),
  model_id: z.string().optional(),
});
export type ModelVersion = z.infer<typeof zModelVersion>;

export const zRegisteredModel = z.object({
  name: z.string(),
  creation_timestamp: z.number(),
  last_updated_timestamp: z.number(),
  user_id: z.string(),
  description: z.string(),
  latest_versions: z.array(zModelVersion),
  tags: z.array(zKeyValue),
  aliases: z.array(zModelAlias),
});
export type RegisteredModel = z.infer<typeof zRegisteredModel>;

/** What the studio's own pages see of a version: the wire shape plus the ONNX link, introspection and lineage. */
export const zModelVersionDetail = zModelVersion.extend({
  storage_location: z.string(),
  onnx_path: z.string().nullable(),
  introspection: z.unknown().nullable(),
  lineage: z.unknown().nullable(),
  /** SHA-256 of the ONNX bytes kept write-once for this version (null: no ONNX, or not loaded since the upgrade). */
  model_digest: z.string().nullable().optional(),
  /** The approved review of those very bytes that lets the version serve and take production, if any. */
  approved_review_id: z.number().nullable().optional(),
  /** Why the stored bytes were refused (they no longer match the digest); serving answers 503 meanwhile. */
  integrity_failure: z.string().nullable().optional(),
  /** `integrity_failure` as a catalogue sentence, so the page says it in the reader's language (null: a text it cannot code). */
  integrity_failure_message: zServerSentence.nullable().optional(),
});
export type ModelVersionDetail = z.infer<typeof zModelVersionDetail>;

export const zRegisteredModelDetail = zRegisteredModel.extend({ versions: z.array(zModelVersion) });
export type RegisteredModelDetail = z.infer<typeof zRegisteredModelDetail>;

// ---- requests (field names as MLflow's model_registry.proto) ----

const zName = zText.max(500, "name must be at most 500 characters");
/** Versions travel as strings ("3") or numbers; the service checks they are integers, with MLflow's message. */
export const zVersionText = z.union([z.string(), z.number()]).transform(String);
const zTagKey = zText.max(250, "tag key must be at most 250 characters");
const zTagValue = zText.max(5000, "tag value must be at most 5000 characters");
const zDescription = zText.max(100_000, "description must be at most 100000 characters");
const zRegistryTag = z.object({ key: zTagKey, value: zTagValue });

export const zModelName = z.object({ name: zName });
export const zModelVersionRef = z.object({ name: zName, version: zVersionText });

export const zCreateRegisteredModel = z.object({
  name: zName,
  tags: z.array(zRegistryTag).max(100).optional(),
  description: zDescription.optional(),
});
export type CreateRegisteredModelInput = z.infer<typeof zCreateRegisteredModel>;

export const zUpdateRegisteredModel = z.object({ name: zName, description: zDescription.optional() });
export const zRenameRegisteredModel = z.object({ name: zName, new_name: zName });

/** `stages` arrives as one query value, repeated query values, or a JSON array. */
export const zGetLatestVersions = z.object({
  name: zName,
  stages: z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(zText).max(10)).optional(),
});

const zMaxResults = zInt64.pipe(z.number().int().min(1, "max_results must be at least 1"));

export const zSearchRegisteredModels = z.object({
  filter: zText.max(10_000).optional(),
  max_results: zMaxResults.optional(),
  order_by: z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(zText).max(10)).optional(),
  page_token: z.string().optional(),
});
export type SearchRegisteredModelsInput = z.infer<typeof zSearchRegisteredModels>;

export const zSearchModelVersions = zSearchRegisteredModels;
export type SearchModelVersionsInput = z.infer<typeof zSearchModelVersions>;

export const zSetRegisteredModelTag = z.object({ name: zName, key: zTagKey, value: zTagValue });
export const zDeleteRegisteredModelTag = z.object({ name: zName, key: zTagKey });

export const zSetModelAlias = z.object({ name: zName, alias: zText.max(1000), version: zVersionText });
export type SetModelAliasInput = z.infer<typeof zSetModelAlias>;
export const zModelAliasRef = z.object({ name: zName, alias: zText.max(1000) });
/** Deleting an alias; `production` needs a reason (recorded in the audit log). */
export const zDeleteModelAlias = zModelAliasRef.extend({ reason: zText.max(2000).optional() });

export const zCreateModelVersion = z.object({
  name: zName,
  source: zText.max(10_000),
  run_id: zText.max(64).optional(),
  tags: z.array(zRegistryTag).max(100).optional(),
  run_link: zText.max(10_000).optional(),
  description: zDescription.optional(),
  model_id: zText.max(100).optional(),
});
export type CreateModelVersionInput = z.infer<typeof zCreateModelVersion>;

export const zUpdateModelVersion = zModelVersionRef.extend({ description: zDescription.optional() });

export const zTransitionStage = zModelVersionRef.extend({
  stage: zText,
  /** MLflow's client sends a boolean; older JSON sends "true"/"false". */
  archive_existing_versions: z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean()).optional(),
});

export const zSetModelVersionTag = zModelVersionRef.extend({ key: zTagKey, value: zTagValue });
export const zDeleteModelVersionTag = zModelVersionRef.extend({ key: zTagKey });

/** Where a version came from: its run (metrics and params at registration), the dataset versions it saw, what it was derived from. Pages parse leniently: old rows may lack fields. */
export const zModelLineage = z.object({
  runId: z.string().nullable().catch(null),
  experimentId: z.string().nullable().catch(null),
  runName: z.string().nullable().catch(null),
  artifactPath: z.string().nullable().catch(null),
  metrics: z.record(z.string(), z.number()).catch({}),
  params: z.record(z.string(), z.string()).catch({}),
  datasets: z
    .array(
      z.object({
        name: z.string(),
        digest: z.string(),
        context: z.string().nullable().catch(null),
        registry: z
          .object({
            datasetName: z.string(),
            version: z.number(),
            qualityStatus: z.string(),
            qualityReason: z.string().nullable().catch(null),
            /** How the logged dataset was tied to this version; absent on rows from before name-and-source matching (content digest, the only rule then). */
            matchedBy: z.enum(["content digest", "name and source"]).optional().catch(undefined),
          })
          .nullable()
          .catch(null),
      }),
    )
    .catch([]),
  derivedFrom: z.object({ version: z.string(), transform: z.string() }).nullable().catch(null),
});
export type ModelLineage = z.infer<typeof zModelLineage>;
