// Artifact services behind the MLflow artifact proxy: writes need the tracking permission, reads any role.
import type { Readable } from "node:stream";
import { invalidParameter } from "../errors";
import { authorize } from "../auth/permissions";
import type { ServiceContext } from "../service-context";
import { normaliseArtifactPath, type ArtifactEntry } from "./store";
import { isModelStorePath } from "../registry/model-store-path";

/** Registered model bytes are write-once: no artifact write or delete reaches the model store. */
function refuseModelStore(path: string): void {
  if (isModelStorePath(path)) throw invalidParameter(`'${path}' is in the registry's write-once model store: registered model files cannot be changed or deleted.`);
}

export const MAX_ARTIFACT_BYTES = Number(process.env.STUDIO_MAX_ARTIFACT_BYTES ?? 2 * 1024 * 1024 * 1024);

export async function uploadArtifact(ctx: ServiceContext, artifactPath: string, body: Readable): Promise<void> {
  authorize(ctx.actor, "tracking.write");
  const path = normaliseArtifactPath(artifactPath);
  if (!path) throw invalidParameter("PUT needs a file path after /artifacts/.");
  refuseModelStore(path);
  await ctx.artifacts.put(path, body, { maxBytes: MAX_ARTIFACT_BYTES });
}

export async function deleteArtifact(ctx: ServiceContext, artifactPath: string): Promise<void> {
  authorize(ctx.actor, "tracking.write");
  const path = normaliseArtifactPath(artifactPath);
  if (!path) throw invalidParameter("DELETE needs a path after /artifacts/.");
  refuseModelStore(path);
  await ctx.artifacts.delete(path);
}

export async function listArtifactFolder(ctx: ServiceContext, folder: string): Promise<ArtifactEntry[]> {
  authorize(ctx.actor, "studio.read");
  return ctx.artifacts.list(normaliseArtifactPath(folder));
}

export async function openArtifact(ctx: ServiceContext, artifactPath: string): Promise<{ stream: Readable; size: number }> {
  authorize(ctx.actor, "studio.read");
  return ctx.artifacts.get(normaliseArtifactPath(artifactPath));
}
