// Zod schemas of the tracking area: MLflow's wire shapes, shared by the REST adapter, tRPC and the client.
import { z } from "zod";

/** proto3 JSON sends int64 as a number or a decimal string; both are accepted. */
export const zInt64 = z.union([
  z.number().int().refine(Number.isSafeInteger, "must be a safe integer"),
  z
    .string()
    .regex(/^-?\d+$/, "must be an integer")
    .transform(Number)
    .refine(Number.isSafeInteger, "must be a safe integer"),
]);

/** proto3 JSON doubles: numbers, numeric strings, and "NaN" / "Infinity" / "-Infinity" (MLflow stores them). */
export const zDouble = z.union([
  z.number(),
  z
    .string()
    .regex(/^(NaN|-?Infinity|-?\d+(\.\d*)?([eE][-+]?\d+)?|-?\.\d+([eE][-+]?\d+)?)$/, "must be a number, NaN or ±Infinity")
    .transform(Number),
]);

/** Text as PostgreSQL can store it: a NUL character would fail the insert, so it is refused up front. */
export const zText = z.string().refine((s) => !s.includes("\u0000"), "must not contain NUL (\\u0000) characters");

export const zKeyValue = z.object({ key: zText, value: zText });
export type KeyValue = z.infer<typeof zKeyValue>;

export const zExperiment = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string(),
  lifecycle_stage: z.enum(["active", "deleted"]),
  last_update_time: z.number(),
  creation_time: z.number(),
  tags: z.array(zKeyValue),
});
export type Experiment = z.infer<typeof zExperiment>;

export const runStatuses = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;
export const zRunStatus = z.enum(runStatuses);

export const zRunInfo = z.object({
  run_id: z.string(),
  run_uuid: z.string(),
  run_name: z.string(),
  experiment_id: z.string(),
  user_id: z.string(),
  status: zRunStatus,
  start_time: z.number(),
  end_time: z.number().optional(),
  artifact_uri: z.string(),
  lifecycle_stage: z.enum(["active", "deleted"]),
});
export type RunInfo = z.infer<typeof zRunInfo>;

export const zMetric = z.object({ key: z.string(), value: z.number(), timestamp: z.number(), step: z.number() });
export type Metric = z.infer<typeof zMetric>;

export const zDataset = z.object({
  name: zText,
  digest: zText,
  source_type: zText,
  source: zText,
  schema: zText.optional(),
  profile: zText.optional(),
});
export const zDatasetInput = z.object({ tags: z.array(zKeyValue).default([]), dataset: zDataset });
export type DatasetInput = z.infer<typeof zDatasetInput>;

export const zRun = z.object({
  info: zRunInfo,
  data: z.object({ metrics: z.array(zMetric), params: z.array(zKeyValue), tags: z.array(zKeyValue) }),
  inputs: z.object({ dataset_inputs: z.array(zDatasetInput) }),
});
export type Run = z.infer<typeof zRun>;

export const viewTypes = ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"] as const;
export const zViewType = z.enum(viewTypes);
export type ViewType = z.infer<typeof zViewType>;

// ---- requests (field names as MLflow's service.proto) ----

export const zCreateExperiment = z.object({
  name: zText.trim().min(1, "experiment name must not be empty").max(500),
  artifact_location: zText.max(2000).optional(),
  tags: z.array(zKeyValue).max(100).optional(),
});

/** Experiment ids travel as decimal strings; beyond 2^53 they cannot name a stored experiment. */
export const zExperimentIdText = z
  .string()
  .regex(/^\d+$/, "must be an experiment id (digits)")
  .refine((s) => Number.isSafeInteger(Number(s)), "is too large to be an experiment id");

export const zExperimentId = z.object({ experiment_id: zExperimentIdText });

export const zSearchExperiments = z.object({
  max_results: zInt64.pipe(z.number().min(1).max(50000)).optional(),
  page_token: z.string().optional(),
  filter: zText.max(10000).optional(),
  order_by: z.array(zText).optional(),
  view_type: zViewType.optional(),
});

export const zUpdateExperiment = zExperimentId.extend({ new_name: zText.trim().min(1).max(500) });
export const zSetExperimentTag = zExperimentId.extend({ key: zText.min(1).max(250), value: zText.max(5000) });
export const zDeleteExperimentTag = zExperimentId.extend({ key: zText.min(1).max(250) });

export const RUN_ID_PATTERN = /^[0-9a-zA-Z-]{1,64}$/;
const zRunId = z.string().regex(RUN_ID_PATTERN, "must be a run id");
/** MLflow accepts both `run_id` and the older `run_uuid`. */
export const zRunRef = z
  .object({ run_id: zRunId.optional(), run_uuid: zRunId.optional() })
  .refine((r) => r.run_id ?? r.run_uuid, { message: "run_id is required" })
  .transform((r) => ({ run_id: (r.run_id ?? r.run_uuid)! }));

export const zCreateRun = z.object({
  experiment_id: zExperimentIdText.optional(),
  user_id: zText.max(256).optional(),
  run_name: zText.max(250).optional(),
  start_time: zInt64.optional(),
  tags: z.array(zKeyValue).max(100).optional(),
});

export const zUpdateRun = z
  .object({
    run_id: zRunId.optional(),
    run_uuid: zRunId.optional(),
    status: zRunStatus.optional(),
    end_time: zInt64.optional(),
    run_name: zText.max(250).optional(),
  })
  .refine((r) => r.run_id ?? r.run_uuid, { message: "run_id is required" });

export const zMetricInput = z.object({
  key: zText,
  value: zDouble,
  timestamp: zInt64,
  step: zInt64.optional(),
});
export type MetricInput = z.infer<typeof zMetricInput>;

export const zLogMetric = z.object({
  run_id: zRunId.optional(),
  run_uuid: zRunId.optional(),
  key: zText,
  value: zDouble,
  timestamp: zInt64,
  step: zInt64.optional(),
});
export const zLogParam = z.object({ run_id: zRunId.optional(), run_uuid: zRunId.optional(), key: zText, value: zText });
export const zSetTag = zLogParam;
export const zDeleteTag = z.object({ run_id: zRunId, key: zText });

export const zLogBatch = z.object({
  run_id: zRunId,
  metrics: z.array(zMetricInput).optional(),
  params: z.array(zKeyValue).optional(),
  tags: z.array(zKeyValue).optional(),
});
export type LogBatchInput = z.infer<typeof zLogBatch>;

export const zLogInputs = z.object({
  run_id: zRunId,
  datasets: z.array(zDatasetInput).max(100).optional(),
});

export const zSearchRuns = z.object({
  experiment_ids: z.array(zExperimentIdText).max(1000).default([]),
  filter: zText.max(100000).optional(),
  run_view_type: zViewType.optional(),
  max_results: zInt64.pipe(z.number().int().min(1, "max_results must be at least 1").max(50000, "max_results must be at most 50000")).optional(),
  order_by: z.array(zText).max(20).optional(),
  page_token: z.string().optional(),
});
export type SearchRunsInput = z.input<typeof zSearchRuns>;

export const zGetMetricHistory = z.object({
  run_id: zRunId.optional(),
  run_uuid: zRunId.optional(),
  metric_key: zText.min(1, "metric_key is required"),
  page_token: z.string().optional(),
  max_results: zInt64.pipe(z.number().int().min(1).max(1_000_000)).optional(),
});

export const zGetMetricHistoryBulkInterval = z.object({
  run_ids: z.array(zRunId).min(1, "run_ids must name at least one run").max(100, "at most 100 run_ids"),
  metric_key: zText.min(1, "metric_key is required"),
  start_step: zInt64.optional(),
  end_step: zInt64.optional(),
  max_results: zInt64.pipe(z.number().int().min(1, "max_results must be between 1 and 2500").max(2500, "max_results must be between 1 and 2500")).optional(),
});

export const zListArtifacts = z.object({
  run_id: zRunId.optional(),
  run_uuid: zRunId.optional(),
  path: z.string().max(4000).optional(),
  page_token: z.string().optional(),
});
