// MLflow 3 logged-models endpoints (used by mlflow.<flavor>.log_model) and the run-side calls log_model makes.
import type { MlflowRoute } from "../http/mlflow-router";
import {
  createLoggedModel,
  deleteLoggedModel,
  deleteLoggedModelTag,
  finalizeLoggedModel,
  getLoggedModel,
  listLoggedModelArtifacts,
  logLoggedModelParams,
  logRunOutputs,
  recordLoggedModel,
  searchLoggedModels,
  setLoggedModelTags,
} from "./logged-models";
import {
  zCreateLoggedModel,
  zFinalizeLoggedModel,
  zListLoggedModelArtifacts,
  zLogLoggedModelParams,
  zLogModel,
  zLogOutputs,
  zModelId,
  zSearchLoggedModels,
  zSetLoggedModelTags,
} from "./logged-models-schema";

/** The model id comes from the path; a body may repeat it (the client sends it), the path wins. */
const modelIdOf = (params: Record<string, string>) => zModelId.parse(params.model_id);

const logOutputs: MlflowRoute["handle"] = async (ctx, input) => {
  const { run_id, models } = zLogOutputs.parse(input);
  await logRunOutputs(ctx, run_id, models);
  return {};
};

export const loggedModelRoutes: MlflowRoute[] = [
  {
    methods: ["POST"],
    path: "logged-models",
    handle: async (ctx, input) => ({ model: await createLoggedModel(ctx, zCreateLoggedModel.parse(input)) }),
  },
  {
    methods: ["POST"],
    path: "logged-models/search",
    handle: (ctx, input) => searchLoggedModels(ctx, zSearchLoggedModels.parse(input)),
  },
  {
    methods: ["GET"],
    path: "logged-models/:model_id",
    handle: async (ctx, _input, params) => ({ model: await getLoggedModel(ctx, modelIdOf(params)) }),
  },
  {
    methods: ["PATCH"],
    path: "logged-models/:model_id",
    handle: async (ctx, input, params) => {
      const { status } = zFinalizeLoggedModel.parse(input);
      return { model: await finalizeLoggedModel(ctx, modelIdOf(params), status) };
    },
  },
  {
    methods: ["DELETE"],
    path: "logged-models/:model_id",
    handle: async (ctx, _input, params) => {
      await deleteLoggedModel(ctx, modelIdOf(params));
      return {};
    },
  },
  {
    methods: ["PATCH"],
    path: "logged-models/:model_id/tags",
    handle: async (ctx, input, params) => {
      const { tags } = zSetLoggedModelTags.parse(input);
      return { model: await setLoggedModelTags(ctx, modelIdOf(params), tags) };
    },
  },
  {
    methods: ["DELETE"],
    path: "logged-models/:model_id/tags/:tag_key",
    handle: async (ctx, _input, params) => {
      await deleteLoggedModelTag(ctx, modelIdOf(params), params.tag_key);
      return {};
    },
  },
  {
    methods: ["POST"],
    path: "logged-models/:model_id/params",
    handle: async (ctx, input, params) => {
      const { params: entries } = zLogLoggedModelParams.parse(input);
      await logLoggedModelParams(ctx, modelIdOf(params), entries);
      return {};
    },
  },
  {
    methods: ["GET"],
    path: "logged-models/:model_id/artifacts/directories",
    handle: (ctx, input, params) => {
      const { artifact_directory_path, page_token } = zListLoggedModelArtifacts.parse(input);
      return listLoggedModelArtifacts(ctx, modelIdOf(params), artifact_directory_path ?? "", page_token);
    },
  },
  // MLflow's proto names this endpoint runs/outputs; runs/log-outputs is accepted too, matching log-inputs.
  { methods: ["POST"], path: "runs/outputs", handle: logOutputs },
  { methods: ["POST"], path: "runs/log-outputs", handle: logOutputs },
  {
    methods: ["POST"],
    path: "runs/log-model",
    handle: async (ctx, input) => {
      const { run_id, model_json } = zLogModel.parse(input);
      await recordLoggedModel(ctx, run_id, model_json);
      return {};
    },
  },
];
