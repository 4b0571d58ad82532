// Where the registry's write-once model store lives inside the artifact root (import-free, so the artifact proxy can
// refuse writes there without loading the ONNX reader), and recognising domain errors by code across bundles.
export const MODEL_STORE_PREFIX = "model-store";

/** Whether an (already normalised) artifact path lies in the model store. */
export function isModelStorePath(artifactPath: string): boolean {
  return artifactPath === MODEL_STORE_PREFIX || artifactPath.startsWith(`${MODEL_STORE_PREFIX}/`);
}

/**
 * Whether an error carries a DomainError code. By code, not instanceof: each Next.js route bundle has its own copy of
 * the DomainError class, so an error thrown by another bundle's copy fails instanceof.
 */
export function hasErrorCode(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === code;
}
