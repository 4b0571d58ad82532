// Checks a dropped or chosen file before it is sent to POST /api/models/upload, and reads that route's answer.
import { suggestedModelName } from "./register-name";

/** Why this file cannot be an ONNX model, said so the user knows what to pick instead; null when it may be one. */
export function onnxFileProblem(file: { name: string; size: number }): string | null {
  if (!/\.onnx$/i.test(file.name)) {
    const extension = /\.[^./]+$/.exec(file.name)?.[0];
    return `${file.name} is not an ONNX model${extension ? ` (${extension} file)` : ""}: choose a .onnx file, e.g. one exported with skl2onnx, torch.onnx or tf2onnx.`;
  }
  if (file.size === 0) return `${file.name} is empty: export the model again, then drop the new file.`;
  return null;
}

/** A dropped file's model name: its file name without .onnx, in the registry's usual lowercase-with-dashes. */
export function modelNameFromFile(fileName: string): string {
  return suggestedModelName(fileName);
}

export type OnnxUploadOutcome = { kind: "registered"; name: string; version: string } | { kind: "error"; message: string };

/** The route answers 201 { name, version }, or MLflow-style { error_code, message }. */
export function readOnnxUploadResponse(status: number, body: string): OnnxUploadOutcome {
  let parsed: unknown = null;
  try {
    parsed = body ? JSON.parse(body) : null;
  } catch {
    parsed = null;
  }
  if (status === 201 && parsed && typeof parsed === "object" && "name" in parsed && "version" in parsed) {
    return { kind: "registered", name: String(parsed.name), version: String(parsed.version) };
  }
  if (parsed && typeof parsed === "object" && "message" in parsed && typeof parsed.message === "string" && parsed.message) {
    return { kind: "error", message: parsed.message };
  }
  if (status === 401) return { kind: "error", message: "Your session has ended. Sign in again, then drop the file again." };
  if (status === 403) return { kind: "error", message: "Your role may not register models. Ask an admin for the editor role." };
  if (status === 413) return { kind: "error", message: "The file is larger than the server accepts. Export a smaller model or ask an admin to raise the limit." };
  return { kind: "error", message: `The server answered ${status || "nothing"} without an explanation. Nothing was registered; try again.` };
}
