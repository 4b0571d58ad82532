// Where the registry's write-once model store lives inside the artifact root; import-free so the artifact proxy can
// refuse writes there without loading the ONNX reader.
export const MODEL_STORE_PREFIX = "model-store";

/** Whether an (already normalised) artifact path lies in the model store. */
export function isModelStorePath(artifactPath: string): boolean {
  return artifactPath === MODEL_STORE_PREFIX || artifactPath.startsWith(`${MODEL_STORE_PREFIX}/`);
}
