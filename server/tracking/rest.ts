// MLflow tracking REST endpoints (/api/2.0/mlflow/...): parse the wire shape, call the service, shape the reply.
import type { MlflowRoute } from "../http/mlflow-router";
import {
  createExperiment,
  deleteExperimentTag,
  getExperiment,
  getExperimentByName,
  renameExperiment,
  searchExperiments,
  setExperimentLifecycle,
  setExperimentTag,
} from "./experiments";
import { getMetricHistoryBulkInterval, getMetricHistoryWire } from "./metric-history";
import { listRunArtifacts } from "./run-artifacts";
import {
  createRun,
  deleteTag,
  getRun,
  logBatch,
  logInputs,
  logMetric,
  logParam,
  setRunLifecycle,
  setTag,
  updateRun,
} from "./runs";
import { parseLogBatch } from "./log-batch-input";
import { observeIngestion } from "../operations/metrics";
import { searchRunsWire } from "./search-runs";
import {
  zCreateExperiment,
  zCreateRun,
  zDeleteExperimentTag,
  zDeleteTag,
  zExperimentId,
  zGetMetricHistory,
  zGetMetricHistoryBulkInterval,
  zListArtifacts,
  zLogInputs,
  zLogMetric,
  zLogParam,
  zRunRef,
  zSearchExperiments,
  zSearchRuns,
  zSetExperimentTag,
  zSetTag,
  zUpdateExperiment,
  zUpdateRun,
} from "./schema";
import { z } from "zod";

const runIdOf = (input: { run_id?: string; run_uuid?: string }) => zRunRef.parse(input).run_id;

export const trackingRoutes: MlflowRoute[] = [
  {
    methods: ["POST"],
    path: "experiments/create",
    handle: (ctx, input) => createExperiment(ctx, zCreateExperiment.parse(input)),
  },
  {
    methods: ["GET"],
    path: "experiments/get",
    handle: async (ctx, input) => ({ experiment: await getExperiment(ctx, zExperimentId.parse(input).experiment_id) }),
  },
  {
    methods: ["GET"],
    path: "experiments/get-by-name",
    handle: async (ctx, input) => {
      const { experiment_name } = z.object({ experiment_name: z.string().min(1, "experiment_name is required") }).parse(input);
      return { experiment: await getExperimentByName(ctx, experiment_name) };
    },
  },
  {
    methods: ["GET", "POST"],
    path: "experiments/search",
    handle: (ctx, input) => searchExperiments(ctx, zSearchExperiments.parse(input)),
  },
  {
    methods: ["GET"],
    path: "experiments/list",
    handle: (ctx, input) => searchExperiments(ctx, zSearchExperiments.parse(input)),
  },
  {
    methods: ["POST"],
    path: "experiments/update",
    handle: async (ctx, input) => {
      const { experiment_id, new_name } = zUpdateExperiment.parse(input);
      await renameExperiment(ctx, experiment_id, new_name);
      return {};
    },
  },
  {
    methods: ["POST"],
    path: "experiments/delete",
    handle: async (ctx, input) => {
      await setExperimentLifecycle(ctx, zExperimentId.parse(input).experiment_id, "deleted");
      return {};
    },
  },
  {
    methods: ["POST"],
    path: "experiments/restore",
    handle: async (ctx, input) => {
      await setExperimentLifecycle(ctx, zExperimentId.parse(input).experiment_id, "active");
      return {};
    },
  },
  {
    methods: ["POST"],
    path: "experiments/set-experiment-tag",
    handle: async (ctx, input) => {
      const { experiment_id, key, value } = zSetExperimentTag.parse(input);
      await setExperimentTag(ctx, experiment_id, { key, value });
      return {};
    },
  },
  {
    methods: ["POST"],
    path: "experiments/delete-experiment-tag",
    handle: async (ctx, input) => {
      const { experiment_id, key } = zDeleteExperimentTag.parse(input);
      await deleteExperimentTag(ctx, experiment_id, key);
      return {};
    },
  },
  {
    methods: ["POST"],
    path: "runs/create",
    handle: async (ctx, input) => ({ run: await createRun(ctx, zCreateRun.parse(input)) }),
  },
  {
    methods: ["GET"],
    path: "runs/get",
    handle: async (ctx, input) => ({ run: await getRun(ctx, runIdOf(input)) }),
  },
  {
    methods: ["POST"],
    path: "runs/update",
    handle: async (ctx, input) => {
      const parsed = zUpdateRun.parse(input);
      const runInfo = await updateRun(ctx, { ...parsed, run_id: (parsed.run_id ?? parsed.run_uuid)! });
      return { run_info: runInfo };
    },
  },
  {
    methods: ["POST"],
    path: "runs/delete",
    handle: async (ctx, input) => {
      await setRunLifecycle(ctx, runIdOf(input), "deleted");
      return {};
    },
  },
  {
    methods: ["POST"],
    path: "runs/restore",
    handle: async (ctx, input) => {
      await setRunLifecycle(ctx, runIdOf(input), "active");
      return {};
    },
  },
  {
    methods: ["GET", "POST"],
    path: "runs/search",
    handle: (ctx, input) => searchRunsWire(ctx, zSearchRuns.parse(input)),
  },
  {
    methods: ["POST"],
    path: "runs/log-metric",
    handle: async (ctx, input) => {
      const { key, value, timestamp, step, ...ref } = zLogMetric.parse(input);
      await logMetric(ctx, runIdOf(ref), { key, value, timestamp, step });
      return {};
    },
  },
  {
    methods: ["POST"],
    path: "runs/log-parameter",
    handle: async (ctx, input) => {
      const { key, value, ...ref } = zLogParam.parse(input);
      await logParam(ctx, runIdOf(ref), { key, value });
      return {};
    },
  },
  {
    methods: ["POST"],
    path: "runs/set-tag",
    handle: async (ctx, input) => {
      const { key, value, ...ref } = zSetTag.parse(input);
      await setTag(ctx, runIdOf(ref), { key, value });
      return {};
    },
  },
  {
    methods: ["POST"],
    path: "runs/delete-tag",
    handle: async (ctx, input) => {
      const { run_id, key } = zDeleteTag.parse(input);
      await deleteTag(ctx, run_id, key);
      return {};
    },
  },
  {
    methods: ["POST"],
    path: "runs/log-batch",
    handle: async (ctx, input) => {
      const batch = parseLogBatch(input);
      await logBatch(ctx, batch);
      observeIngestion({ metrics: batch.metrics?.length ?? 0, params: batch.params?.length ?? 0, tags: batch.tags?.length ?? 0 });
      return {};
    },
  },
  {
    methods: ["POST"],
    path: "runs/log-inputs",
    handle: async (ctx, input) => {
      const { run_id, datasets } = zLogInputs.parse(input);
      await logInputs(ctx, run_id, datasets ?? []);
      return {};
    },
  },
  {
    methods: ["GET"],
    path: "metrics/get-history",
    handle: async (ctx, input) => {
      const { metric_key, max_results, page_token, ...ref } = zGetMetricHistory.parse(input);
      return getMetricHistoryWire(ctx, { run_id: runIdOf(ref), metric_key, max_results, page_token });
    },
  },
  {
    methods: ["GET"],
    path: "metrics/get-history-bulk-interval",
    handle: (ctx, input) => getMetricHistoryBulkInterval(ctx, zGetMetricHistoryBulkInterval.parse(input)),
  },
  {
    methods: ["GET"],
    path: "artifacts/list",
    handle: async (ctx, input) => {
      const { path, page_token, ...ref } = zListArtifacts.parse(input);
      return listRunArtifacts(ctx, runIdOf(ref), path ?? "", page_token);
    },
  },
];
