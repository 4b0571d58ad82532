// The model name first offered when registering a run's .onnx artifact, and which artifacts can be registered.

/** Only ONNX files can be registered from a run: the registry introspects and serves ONNX. */
export function isRegistrableArtifact(path: string): boolean {
  return /\.onnx$/i.test(path);
}

/**
 * "model/model.onnx" says little, so the run name is preferred; otherwise the file name, or the folder when the file
 * is the generic "model.onnx". Lowercase with dashes, as model names usually are.
 */
export function suggestedModelName(artifactPath: string, runName?: string): string {
  const parts = artifactPath.split("/").filter(Boolean);
  const file = (parts.at(-1) ?? "").replace(/\.onnx$/i, "");
  const folder = parts.at(-2) ?? "";
  const base = runName?.trim() || (file === "model" && folder && folder !== "model" ? folder : file);
  return base
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 200);
}
