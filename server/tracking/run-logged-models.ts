// A run's logged MLflow models (mlflow.log_model: the mlflow.log-model.history tag), shown as models with their registered versions.
import { and, asc, eq, like, or } from "drizzle-orm";
import { modelVersions, registeredModels, tags } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { ServiceContext } from "../service-context";
import { LOG_MODEL_HISTORY_TAG } from "./logged-models";
import { artifactRootOf, getRun } from "./runs";

export interface RunLoggedModel {
  /** The model's folder under the run's artifacts, e.g. "model". */
  artifactPath: string;
  /** MLflow flavours the model was saved with (python_function, sklearn, onnx, …). */
  flavors: string[];
  /** When the client logged it (MLmodel's utc_time_created), as written. */
  loggedAt: string | null;
  /** The one .onnx file in the folder, which the studio can introspect and serve; null otherwise. */
  onnxPath: string | null;
  registeredVersions: { name: string; version: string }[];
}

interface HistoryEntry {
  artifact_path?: unknown;
  flavors?: unknown;
  utc_time_created?: unknown;
}

/** The history tag's entries, newest last; a tag that is not a JSON list gives none (the raw tag stays visible). */
export function parseLogModelHistory(value: string): { artifactPath: string; flavors: string[]; loggedAt: string | null }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const byPath = new Map<string, { artifactPath: string; flavors: string[]; loggedAt: string | null }>();
  for (const entry of parsed as HistoryEntry[]) {
    if (!entry || typeof entry !== "object" || typeof entry.artifact_path !== "string" || !entry.artifact_path) continue;
    const flavors = entry.flavors && typeof entry.flavors === "object" ? Object.keys(entry.flavors).sort() : [];
    // Logging to the same path again replaces the model there: the latest entry describes what is stored.
    byPath.set(entry.artifact_path, { artifactPath: entry.artifact_path, flavors, loggedAt: typeof entry.utc_time_created === "string" ? entry.utc_time_created : null });
  }
  return [...byPath.values()];
}

export async function listRunLoggedModels(ctx: ServiceContext, runId: string): Promise<RunLoggedModel[]> {
  authorize(ctx.actor, "studio.read");
  const run = await getRun(ctx, runId);
  const [history] = await ctx.db.select({ value: tags.value }).from(tags).where(and(eq(tags.runUuid, runId), eq(tags.key, LOG_MODEL_HISTORY_TAG)));
  const models = history ? parseLogModelHistory(history.value) : [];
  if (!models.length) return [];
  const root = artifactRootOf(run.info);
  const artifactBase = run.info.artifact_uri.replace(/\/+$/, "");
  const versions = await ctx.db
    .select({ name: registeredModels.name, version: modelVersions.version, source: modelVersions.source, storage: modelVersions.storageLocation })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.modelId, modelVersions.modelId))
    .where(or(eq(modelVersions.runId, runId), like(modelVersions.source, `runs:/${runId}/%`)))
    .orderBy(asc(registeredModels.name), asc(modelVersions.version));
  return Promise.all(
    models.map(async (model) => {
      const folder = root === null ? null : root ? `${root}/${model.artifactPath}` : model.artifactPath;
      const onnx = folder === null ? [] : (await ctx.artifacts.list(folder).catch(() => [])).filter((e) => !e.isDir && e.path.toLowerCase().endsWith(".onnx"));
      const inFolder = (location: string) => location === model.artifactPath || location.startsWith(`${model.artifactPath}/`);
      const registered = versions.filter((v) => {
        const fromSource = /^runs:\/+[^/]+\/?(.*)$/.exec(v.source)?.[1];
        const fromStorage = v.storage.startsWith(`${artifactBase}/`) ? v.storage.slice(artifactBase.length + 1) : null;
        return (fromSource !== undefined && inFolder(fromSource)) || (fromStorage !== null && inFolder(fromStorage));
      });
      return {
        ...model,
        onnxPath: onnx.length === 1 && folder !== null ? onnx[0]!.path.slice(root ? root.length + 1 : 0) : null,
        registeredVersions: registered.map((v) => ({ name: v.name, version: String(v.version) })),
      };
    }),
  );
}
