// MLflow model-registry REST endpoints (registered-models/…, model-versions/…): parse the wire shape, call the service, shape the reply.
import type { MlflowRoute } from "../http/mlflow-router";
import {
  createRegisteredModel,
  deleteModelAlias,
  deleteRegisteredModel,
  deleteRegisteredModelTag,
  getLatestVersions,
  getRegisteredModel,
  renameRegisteredModel,
  searchRegisteredModels,
  setModelAlias,
  setRegisteredModelTag,
  updateRegisteredModel,
} from "./registered-models";
import { attachOnnxIfPresent, isExternalDataRefusal } from "./onnx-versions";
import {
  createModelVersion,
  deleteModelVersion,
  deleteModelVersionTag,
  getModelVersion,
  getModelVersionByAlias,
  getModelVersionDownloadUri,
  searchModelVersions,
  setModelVersionTag,
  transitionModelVersionStage,
  updateModelVersion,
} from "./model-versions";
import {
  zCreateModelVersion,
  zCreateRegisteredModel,
  zDeleteModelVersionTag,
  zDeleteRegisteredModelTag,
  zGetLatestVersions,
  zDeleteModelAlias,
  zModelAliasRef,
  zModelName,
  zModelVersionRef,
  zRenameRegisteredModel,
  zSearchModelVersions,
  zSearchRegisteredModels,
  zSetModelAlias,
  zSetModelVersionTag,
  zSetRegisteredModelTag,
  zTransitionStage,
  zUpdateModelVersion,
  zUpdateRegisteredModel,
} from "./schema";

export const registryRoutes: MlflowRoute[] = [
  {
    methods: ["POST"],
    path: "registered-models/create",
    handle: async (ctx, input) => ({ registered_model: await createRegisteredModel(ctx, zCreateRegisteredModel.parse(input)) }),
  },
  {
    methods: ["GET"],
    path: "registered-models/get",
    handle: async (ctx, input) => ({ registered_model: await getRegisteredModel(ctx, zModelName.parse(input).name) }),
  },
  {
    methods: ["PATCH"],
    path: "registered-models/update",
    handle: async (ctx, input) => ({ registered_model: await updateRegisteredModel(ctx, zUpdateRegisteredModel.parse(input)) }),
  },
  {
    methods: ["POST"],
    path: "registered-models/rename",
    handle: async (ctx, input) => {
      const { name, new_name } = zRenameRegisteredModel.parse(input);
      return { registered_model: await renameRegisteredModel(ctx, name, new_name) };
    },
  },
  {
    methods: ["DELETE"],
    path: "registered-models/delete",
    handle: async (ctx, input) => {
      await deleteRegisteredModel(ctx, zModelName.parse(input).name);
      return {};
    },
  },
  {
    methods: ["GET"],
    path: "registered-models/search",
    handle: (ctx, input) => searchRegisteredModels(ctx, zSearchRegisteredModels.parse(input)),
  },
  {
    methods: ["GET", "POST"],
    path: "registered-models/get-latest-versions",
    handle: async (ctx, input) => {
      const { name, stages } = zGetLatestVersions.parse(input);
      return { model_versions: await getLatestVersions(ctx, name, stages) };
    },
  },
  {
    methods: ["POST"],
    path: "registered-models/set-tag",
    handle: async (ctx, input) => {
      await setRegisteredModelTag(ctx, zSetRegisteredModelTag.parse(input));
      return {};
    },
  },
  {
    methods: ["DELETE"],
    path: "registered-models/delete-tag",
    handle: async (ctx, input) => {
      await deleteRegisteredModelTag(ctx, zDeleteRegisteredModelTag.parse(input));
      return {};
    },
  },
  {
    methods: ["POST"],
    path: "registered-models/alias",
    handle: async (ctx, input) => {
      await setModelAlias(ctx, zSetModelAlias.parse(input));
      return {};
    },
  },
  {
    methods: ["DELETE"],
    path: "registered-models/alias",
    handle: async (ctx, input) => {
      await deleteModelAlias(ctx, zDeleteModelAlias.parse(input));
      return {};
    },
  },
  {
    methods: ["GET"],
    path: "registered-models/alias",
    handle: async (ctx, input) => {
      const { name, alias } = zModelAliasRef.parse(input);
      return { model_version: await getModelVersionByAlias(ctx, name, alias) };
    },
  },
  {
    methods: ["POST"],
    path: "model-versions/create",
    handle: async (ctx, input) => {
      const created = await createModelVersion(ctx, zCreateModelVersion.parse(input));
      // An ONNX model logged by a client gets the same graph summary and playground as one registered in the studio.
      await attachOnnxIfPresent(ctx, created.name, created.version).catch(async (error: unknown) => {
        if (isExternalDataRefusal(error)) {
          // Refused at registration: the version is withdrawn (its number is not reused) and the client told why.
          await deleteModelVersion(ctx, created.name, created.version);
          throw error;
        }
        console.warn(`[studio] could not read ${created.name} v${created.version} as ONNX`, error);
      });
      return { model_version: created };
    },
  },
  {
    methods: ["GET"],
    path: "model-versions/get",
    handle: async (ctx, input) => {
      const { name, version } = zModelVersionRef.parse(input);
      return { model_version: await getModelVersion(ctx, name, version) };
    },
  },
  {
    methods: ["PATCH"],
    path: "model-versions/update",
    handle: async (ctx, input) => ({ model_version: await updateModelVersion(ctx, zUpdateModelVersion.parse(input)) }),
  },
  {
    methods: ["DELETE"],
    path: "model-versions/delete",
    handle: async (ctx, input) => {
      const { name, version } = zModelVersionRef.parse(input);
      await deleteModelVersion(ctx, name, version);
      return {};
    },
  },
  {
    methods: ["GET"],
    path: "model-versions/search",
    handle: (ctx, input) => searchModelVersions(ctx, zSearchModelVersions.parse(input)),
  },
  {
    methods: ["POST"],
    path: "model-versions/transition-stage",
    handle: async (ctx, input) => ({ model_version: await transitionModelVersionStage(ctx, zTransitionStage.parse(input)) }),
  },
  {
    methods: ["GET"],
    path: "model-versions/get-download-uri",
    handle: async (ctx, input) => {
      const { name, version } = zModelVersionRef.parse(input);
      return { artifact_uri: await getModelVersionDownloadUri(ctx, name, version) };
    },
  },
  {
    methods: ["POST"],
    path: "model-versions/set-tag",
    handle: async (ctx, input) => {
      await setModelVersionTag(ctx, zSetModelVersionTag.parse(input));
      return {};
    },
  },
  {
    methods: ["DELETE"],
    path: "model-versions/delete-tag",
    handle: async (ctx, input) => {
      await deleteModelVersionTag(ctx, zDeleteModelVersionTag.parse(input));
      return {};
    },
  },
];
