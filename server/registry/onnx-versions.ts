// ONNX model versions: register one from a run's artifact or an upload (introspected, with lineage, its bytes copied
// into the write-once model store), derive a ZipMap-free version, and read a version's verified ONNX bytes.
import { eq } from "drizzle-orm";
import { modelVersions } from "@/db/schema";
import { invalidParameter, saidError } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import { authorize } from "../auth/permissions";
import type { ServiceContext } from "../service-context";
import { artifactRootOf, getRun } from "../tracking/runs";
import { normaliseArtifactPath } from "../artifacts/store";
import { signatureFromMlmodel, type ModelSignature } from "@/lib/model-signature";
import { introspectOnnx, type OnnxIntrospection } from "./onnx-introspection";
import { removeZipMap } from "./zipmap";
import { createModelVersion, deleteModelVersion, findModelVersion, findRegisteredModel } from "./model-versions";
import { loadVersionModelBytes, modelStorePath, putModelBytes } from "./model-store";
import { hasErrorCode } from "./model-store-path";
import { createRegisteredModel } from "./registered-models";
import type { ModelLineage } from "./schema";
import { lineageOfRun } from "./model-lineage";

/** Largest ONNX file the registry accepts and reads into memory (STUDIO_MAX_MODEL_BYTES, default 512 MiB). */
export const MAX_ONNX_BYTES = 512 * 1024 * 1024;

/** The configured model size limit, read on each call so an operator's setting (and a test's) applies without a rebuild. */
export function maxModelBytes(): number {
  const configured = Number(process.env.STUDIO_MAX_MODEL_BYTES);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : MAX_ONNX_BYTES;
}

/** An artifact store file read whole, refused over the model size limit (ONNX files of runs and registrations). */
export async function readArtifactBytes(ctx: ServiceContext, path: string): Promise<Uint8Array> {
  const { stream, size } = await ctx.artifacts.get(path);
  const limit = maxModelBytes();
  if (size > limit) {
    stream.destroy();
    throw saidError(
      "RESOURCE_EXHAUSTED",
      `The ONNX file is ${size} bytes; the registry reads at most ${limit} (STUDIO_MAX_MODEL_BYTES).`,
      sentence("error.onnx.artifact_too_large", { size, limit }),
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

/** The signature of an MLflow `MLmodel` file in the same folder as the .onnx file, if one was logged there. */
async function mlmodelSignatureBeside(ctx: ServiceContext, onnxPath: string): Promise<ModelSignature | null> {
  const folder = onnxPath.includes("/") ? onnxPath.slice(0, onnxPath.lastIndexOf("/")) : "";
  const entries = await ctx.artifacts.list(folder).catch(() => []);
  const mlmodel = entries.find((e) => !e.isDir && e.path.slice(e.path.lastIndexOf("/") + 1) === "MLmodel");
  if (!mlmodel) return null;
  try {
    return signatureFromMlmodel(new TextDecoder().decode(await readArtifactBytes(ctx, mlmodel.path)));
  } catch (error) {
    // A malformed MLmodel does not stop the registration: the signature then comes from the ONNX graph.
    console.warn(`[studio] ignoring the signature of ${mlmodel.path}: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/**
 * Reads an artifact's ONNX bytes once, introspects them (refusing models with external data) and copies them into the
 * model store: what was introspected is exactly what is stored under the digest, whatever happens to the artifact later.
 */
async function introspectAndPin(ctx: ServiceContext, onnxPath: string): Promise<{ introspection: OnnxIntrospection; digest: string }> {
  const bytes = await readArtifactBytes(ctx, onnxPath);
  const introspection = introspectOnnx(bytes, { maxBytes: maxModelBytes() });
  const digest = await putModelBytes(ctx.artifacts, bytes);
  return { introspection: { ...introspection, mlmodelSignature: await mlmodelSignatureBeside(ctx, onnxPath) }, digest };
}

async function ensureRegisteredModel(ctx: ServiceContext, name: string): Promise<void> {
  try {
    await findRegisteredModel(ctx.db, name);
  } catch (error) {
    if (!hasErrorCode(error, "RESOURCE_DOES_NOT_EXIST")) throw error;
    try {
      await createRegisteredModel(ctx, { name });
    } catch (raced) {
      // Someone registered the same name a moment ago: use theirs.
      if (!hasErrorCode(raced, "RESOURCE_ALREADY_EXISTS")) throw raced;
    }
  }
}

/** Registers a run's `.onnx` artifact as a new version of `name` (created if needed), introspected and with lineage. */
export async function registerOnnxFromRun(
  ctx: ServiceContext,
  input: { name: string; runId: string; artifactPath: string; description?: string },
): Promise<{ name: string; version: string }> {
  authorize(ctx.actor, "models.write");
  const artifactPath = normaliseArtifactPath(input.artifactPath);
  if (!artifactPath.toLowerCase().endsWith(".onnx")) {
    throw invalidParameter(`'${input.artifactPath}' is not an .onnx file: the registry reads ONNX models.`, sentence("error.onnx.not_onnx_path", { path: input.artifactPath }));
  }
  const run = await getRun(ctx, input.runId);
  const root = artifactRootOf(run.info);
  if (root === null) {
    throw invalidParameter(
      `Run ${input.runId} stores its artifacts outside the studio (${run.info.artifact_uri}).`,
      sentence("error.onnx.artifacts_outside", { runId: input.runId, uri: run.info.artifact_uri }),
    );
  }
  const storePath = root ? `${root}/${artifactPath}` : artifactPath;
  const { introspection, digest } = await introspectAndPin(ctx, storePath);
  const lineage = await lineageOfRun(ctx, input.runId, artifactPath);
  await ensureRegisteredModel(ctx, input.name);
  const version = await createModelVersion(ctx, {
    name: input.name,
    source: `runs:/${input.runId}/${artifactPath}`,
    run_id: input.runId,
    description: input.description,
    onnx_path: storePath,
    model_digest: digest,
    introspection,
    lineage,
  });
  return { name: input.name, version: version.version };
}

/**
 * The run page's Register: an `.onnx` artifact is registered as above; any other path (an MLflow model folder logged
 * with log_model, e.g. scikit-learn) becomes a plain version of `runs:/<run>/<path>` with its run's lineage, as
 * mlflow.register_model would make it, linked to an ONNX file if the folder holds one.
 */
export async function registerRunArtifact(
  ctx: ServiceContext,
  input: { name: string; runId: string; artifactPath: string; description?: string },
): Promise<{ name: string; version: string }> {
  authorize(ctx.actor, "models.write");
  const artifactPath = normaliseArtifactPath(input.artifactPath);
  if (artifactPath.toLowerCase().endsWith(".onnx")) return registerOnnxFromRun(ctx, input);
  await getRun(ctx, input.runId);
  await ensureRegisteredModel(ctx, input.name);
  const version = await createModelVersion(ctx, {
    name: input.name,
    source: `runs:/${input.runId}/${artifactPath}`,
    run_id: input.runId,
    description: input.description,
  });
  await attachOnnxIfPresent(ctx, input.name, version.version).catch(async (error: unknown) => {
    if (!isExternalDataRefusal(error)) throw error;
    await deleteModelVersion(ctx, input.name, version.version);
    throw error;
  });
  return { name: input.name, version: version.version };
}

/** Registers uploaded ONNX bytes (stored in the write-once model store under their SHA-256) as a new version of `name`. */
export async function registerOnnxUpload(
  ctx: ServiceContext,
  input: { name: string; bytes: Uint8Array; description?: string; lineage?: Partial<ModelLineage> },
): Promise<{ name: string; version: string }> {
  authorize(ctx.actor, "models.write");
  const introspection = introspectOnnx(input.bytes, { maxBytes: maxModelBytes() });
  const digest = await putModelBytes(ctx.artifacts, input.bytes);
  const storePath = modelStorePath(digest);
  await ensureRegisteredModel(ctx, input.name);
  const lineage: ModelLineage = {
    runId: null,
    experimentId: null,
    runName: null,
    artifactPath: null,
    metrics: {},
    params: {},
    datasets: [],
    derivedFrom: null,
    ...input.lineage,
  };
  const version = await createModelVersion(ctx, {
    name: input.name,
    source: `mlflow-artifacts:/${storePath}`,
    description: input.description,
    onnx_path: storePath,
    model_digest: digest,
    introspection,
    lineage,
  });
  return { name: input.name, version: version.version };
}

/**
 * For versions registered by MLflow clients (model-versions/create): when the source is an .onnx file,
 * or a folder holding one, in the studio's artifact store, link and introspect it so the version page
 * and the playground work as for versions registered from the studio. Anything else stays a plain version.
 */
export async function attachOnnxIfPresent(ctx: ServiceContext, name: string, version: string): Promise<boolean> {
  const { row } = await findModelVersion(ctx.db, name, version);
  if (row.onnxPath) return true;
  const match = /^mlflow-artifacts:\/(?:\/[^/]*)?\/?(.*)$/.exec(row.storageLocation);
  if (!match) return false;
  let path = normaliseArtifactPath(match[1]);
  if (!path.toLowerCase().endsWith(".onnx")) {
    const onnx = (await ctx.artifacts.list(path)).filter((e) => !e.isDir && e.path.toLowerCase().endsWith(".onnx"));
    if (onnx.length !== 1) return false;
    path = onnx[0]!.path;
  }
  let pinned;
  try {
    pinned = await introspectAndPin(ctx, path);
  } catch (error) {
    // A model that reads external files is refused outright (the caller withdraws the version); other unreadable
    // files simply leave a plain, non-ONNX version.
    if (isExternalDataRefusal(error)) throw error;
    return false;
  }
  const lineage = row.lineage ?? (row.runId ? await lineageOfRun(ctx, row.runId, path) : null);
  await ctx.db
    .update(modelVersions)
    .set({ onnxPath: path, modelDigest: pinned.digest, introspection: pinned.introspection, lineage })
    .where(eq(modelVersions.versionId, row.versionId));
  return true;
}

/** Whether an error is the refusal of a model whose tensors live in external files. */
export function isExternalDataRefusal(error: unknown): boolean {
  return hasErrorCode(error, "INVALID_PARAMETER_VALUE") && /in external files/.test((error as Error).message);
}

/** The ONNX bytes of a registered version (playground, download), from the model store and verified against its digest. */
export async function readModelVersionOnnx(ctx: ServiceContext, name: string, version: string): Promise<{ bytes: Uint8Array; digest: string }> {
  authorize(ctx.actor, "studio.read");
  const { row } = await findModelVersion(ctx.db, name, version);
  if (!row.onnxPath && !row.modelDigest) {
    throw saidError(
      "INVALID_STATE",
      `Version ${version} of '${name}' has no ONNX file in the studio (source ${row.source}); register an .onnx artifact to use it here.`,
      sentence("error.onnx.no_onnx_file", { model: name, version, source: row.source }),
    );
  }
  return loadVersionModelBytes(ctx, row.versionId);
}

/**
 * The digest of a version's ONNX bytes, for URLs that name them (the playground's immutable model URL), or null when
 * the reader may not see it, the version does not exist, or its digest is not pinned yet (its first load pins it).
 */
export async function versionModelDigest(ctx: ServiceContext, name: string, version: string): Promise<string | null> {
  authorize(ctx.actor, "studio.read");
  try {
    return (await findModelVersion(ctx.db, name, version)).row.modelDigest ?? null;
  } catch (error) {
    if (hasErrorCode(error, "RESOURCE_DOES_NOT_EXIST")) return null;
    throw error;
  }
}

/**
 * scikit-learn's ZipMap output (a sequence of maps) cannot run in either JavaScript runtime: a new
 * version without it, probabilities as a tensor, recorded in lineage as derived from the original.
 */
export async function deriveVersionWithoutZipMap(ctx: ServiceContext, input: { name: string; version: string }): Promise<{ name: string; version: string }> {
  authorize(ctx.actor, "models.write");
  const { row } = await findModelVersion(ctx.db, input.name, input.version);
  const { bytes } = await readModelVersionOnnx(ctx, input.name, input.version);
  const derived = removeZipMap(bytes);
  const origin = (row.lineage ?? {}) as Partial<ModelLineage>;
  return registerOnnxUpload(ctx, {
    name: input.name,
    bytes: derived.bytes,
    description: `Version ${input.version} without its ZipMap output (${derived.removed.map((r) => `${r.replacedOutput} → ${r.newOutput}`).join(", ")}), so browsers and the server can run it.`,
    lineage: { ...origin, derivedFrom: { version: input.version, transform: "remove-zipmap" } },
  });
}
