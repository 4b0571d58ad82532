// The write-once, content-addressed store of registered ONNX bytes (key = SHA-256) and the one function that loads a
// version's model: by its digest, verified, refusing models that reference files; a mismatch flags and audits the version.
import { createHash } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { modelVersions, registeredModels } from "@/db/schema";
import type { Database } from "@/db/client";
import type { ArtifactStore } from "../artifacts/store";
import { systemActor } from "../auth/actor";
import { recordAudit } from "../auth/audit";
import { DomainError, invalidParameter } from "../errors";
import { assertSelfContainedOnnx, decodeOnnxModel } from "./onnx-introspection";
import { hasErrorCode, MODEL_STORE_PREFIX } from "./model-store-path";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";

// The store's folder inside the artifact root (model-store-path.ts): the MLflow artifact proxy refuses to write or
// delete under it, so run artifacts can be overwritten or deleted without ever touching a registered version's bytes.
export { isModelStorePath, MODEL_STORE_PREFIX } from "./model-store-path";

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function modelStorePath(digest: string): string {
  if (!/^[0-9a-f]{64}$/.test(digest)) throw invalidParameter(`'${digest}' is not a SHA-256 digest.`);
  return `${MODEL_STORE_PREFIX}/sha256/${digest.slice(0, 2)}/${digest}.onnx`;
}

async function readAll(artifacts: ArtifactStore, path: string, maxBytes: number): Promise<Uint8Array> {
  const { stream, size } = await artifacts.get(path);
  if (size > maxBytes) {
    stream.destroy();
    throw new DomainError("RESOURCE_EXHAUSTED", `The ONNX file is ${size} bytes; the registry reads at most ${maxBytes}.`);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

/** Registered bytes are read whatever the upload limit is today: it may have been lowered since they were stored. */
const STORE_READ_LIMIT = 4 * 1024 * 1024 * 1024;

async function readIfPresent(artifacts: ArtifactStore, path: string): Promise<Uint8Array | null> {
  try {
    return await readAll(artifacts, path, STORE_READ_LIMIT);
  } catch (error) {
    if (hasErrorCode(error, "RESOURCE_DOES_NOT_EXIST")) return null;
    throw error;
  }
}

/** Decodes and checks that the bytes hold a self-contained model. */
export function checkSelfContainedBytes(bytes: Uint8Array, maxBytes = STORE_READ_LIMIT): void {
  assertSelfContainedOnnx(decodeOnnxModel(bytes, maxBytes));
}

/**
 * Copies the bytes into the store under their SHA-256 unless a file with those very bytes is already there (write-once:
 * an existing, intact file is never rewritten; a damaged one is replaced by the bytes its name promises).
 */
export async function putModelBytes(artifacts: ArtifactStore, bytes: Uint8Array): Promise<string> {
  const digest = sha256Hex(bytes);
  const path = modelStorePath(digest);
  const existing = await readIfPresent(artifacts, path);
  if (existing && sha256Hex(existing) === digest) return digest;
  await artifacts.put(path, bytes);
  return digest;
}

export interface VerifiedModelBytes {
  bytes: Uint8Array;
  digest: string;
}

type Deps = { db: Pick<Database, "select" | "update" | "insert" | "transaction">; artifacts: ArtifactStore };

/**
 * Records that the version's stored bytes do not match its digest: flags the version (serving shows it and refuses it)
 * and writes one audit entry, the first time only, so a flood of refused requests leaves one row.
 */
async function flagIntegrityFailure(db: Deps["db"], versionId: number, message: string): Promise<void> {
  await db.transaction(async (tx) => {
    const now = Date.now();
    const [flagged] = await tx
      .update(modelVersions)
      .set({ integrityFailure: message, integrityFailedAt: now })
      .where(and(eq(modelVersions.versionId, versionId), isNull(modelVersions.integrityFailure)))
      .returning({ version: modelVersions.version, modelId: modelVersions.modelId, digest: modelVersions.modelDigest });
    if (!flagged) return;
    const [model] = await tx.select({ name: registeredModels.name }).from(registeredModels).where(eq(registeredModels.modelId, flagged.modelId));
    await recordAudit(tx, systemActor, {
      action: "model_version.integrity_failure",
      targetType: "model_version",
      targetId: `${model?.name ?? flagged.modelId}/${flagged.version}`,
      after: { model_digest: flagged.digest, failure: message },
      meta: { version_id: versionId, model_id: flagged.modelId },
    });
  });
}

function integrityAlteredText(version: string, actual: string, digest: string): string {
  return `The stored model bytes of version ${version} have SHA-256 ${actual}, not the registered ${digest}: they were altered after registration.`;
}

function integrityMissingText(version: string, digest: string): string {
  return `The stored model bytes of version ${version} (SHA-256 ${digest}) are missing from the model store.`;
}

/**
 * A stored integrity failure (the English text above, kept in model_versions.integrity_failure) as a catalogue
 * sentence, so pages say it in the reader's language without a column for its code; null for any other text.
 */
export function integrityFailureSentence(failure: string): ServerSentence | null {
  const altered = /^The stored model bytes of version (\d+) have SHA-256 ([0-9a-f]+), not the registered ([0-9a-f]+): they were altered after registration\.$/.exec(failure);
  if (altered && integrityAlteredText(altered[1]!, altered[2]!, altered[3]!) === failure) {
    return sentence("flag.integrity.altered", { version: altered[1]!, actual: altered[2]!, digest: altered[3]! });
  }
  const missing = /^The stored model bytes of version (\d+) \(SHA-256 ([0-9a-f]+)\) are missing from the model store\.$/.exec(failure);
  if (missing && integrityMissingText(missing[1]!, missing[2]!) === failure) return sentence("flag.integrity.missing", { version: missing[1]!, digest: missing[2]! });
  return null;
}

/**
 * The ONNX bytes of a registered version, loaded from the model store by the digest recorded at registration and
 * verified against it. Evaluation, the playground download and serving all load through here. Missing or altered
 * bytes: TEMPORARILY_UNAVAILABLE (503), the version flagged and audited. Versions registered before the store
 * existed are copied into it on first load (their bytes are trusted then, once, and pinned from that moment on).
 */
export async function loadVersionModelBytes(deps: Deps, versionId: number): Promise<VerifiedModelBytes> {
  const { db, artifacts } = deps;
  const [row] = await db
    .select({ version: modelVersions.version, onnxPath: modelVersions.onnxPath, digest: modelVersions.modelDigest, source: modelVersions.source })
    .from(modelVersions)
    .where(eq(modelVersions.versionId, versionId));
  if (!row) {
    throw new DomainError("RESOURCE_DOES_NOT_EXIST", `Model version ${versionId} does not exist (it may have been deleted).`, undefined, sentence("error.model_file.no_version", { versionId: String(versionId) }));
  }
  if (!row.onnxPath && !row.digest) {
    throw new DomainError(
      "INVALID_STATE",
      `Version ${row.version} has no ONNX file in the studio (source ${row.source}); register an .onnx artifact to use it here.`,
      undefined,
      sentence("error.model_file.no_onnx", { version: String(row.version), source: row.source }),
    );
  }
  let digest = row.digest;
  if (!digest) {
    const legacy = await readAll(artifacts, row.onnxPath!, STORE_READ_LIMIT);
    checkSelfContainedBytes(legacy);
    digest = await putModelBytes(artifacts, legacy);
    await db.update(modelVersions).set({ modelDigest: digest }).where(and(eq(modelVersions.versionId, versionId), isNull(modelVersions.modelDigest)));
    const [pinned] = await db.select({ digest: modelVersions.modelDigest }).from(modelVersions).where(eq(modelVersions.versionId, versionId));
    digest = pinned?.digest ?? digest;
  }
  const bytes = await readIfPresent(artifacts, modelStorePath(digest));
  const actual = bytes ? sha256Hex(bytes) : null;
  if (!bytes || actual !== digest) {
    const message = bytes ? integrityAlteredText(String(row.version), actual!, digest) : integrityMissingText(String(row.version), digest);
    await flagIntegrityFailure(db, versionId, message);
    const failure = integrityFailureSentence(message);
    throw new DomainError(
      "TEMPORARILY_UNAVAILABLE",
      `${message} The studio refuses to use them; an admin must restore the file or register the reviewed model again. The event is in the audit log.`,
      undefined,
      failure ? sentence("error.model_file.unavailable", { failure: [failure] }) : undefined,
    );
  }
  // Checked again at load: a model registered before this check existed may still point at external files.
  checkSelfContainedBytes(bytes);
  return { bytes, digest };
}
