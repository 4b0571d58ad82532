// What the serving endpoints hand to the inference log: the request's feature columns and one prediction per row,
// read from the feeds and outputs the model ran on (so the log holds exactly what the model saw and said).
import { redactErrorForLog } from "../auth/log-redaction";
import type * as ort from "onnxruntime-node";
import type { Database } from "@/db/client";
import type { ServedModel } from "../serving/model-server";
import { recordInference } from "./inference-log";

/** Input rows logged per request at most (all of them for requests up to this size). */
export const MAX_LOGGED_INPUT_ROWS = 16;

function cellsOf(tensor: ort.Tensor): ArrayLike<number | bigint | string | boolean> {
  return tensor.data as ArrayLike<number | bigint | string | boolean>;
}

function plain(value: number | bigint | string | boolean | undefined): number | string | null {
  if (value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  return value;
}

/** The prediction of each row: the first single-column output (a classifier's label, a regressor's value). */
function predictionsOf(model: ServedModel, results: ort.InferenceSession.OnnxValueMapType, rows: number): (number | string)[] {
  for (const output of model.outputs) {
    const tensor = results[output.name] as ort.Tensor | undefined;
    if (!tensor || tensor.dims[0] !== rows) continue;
    const cells = cellsOf(tensor);
    if (cells.length !== rows) continue;
    const out = new Array<number | string>(rows);
    for (let r = 0; r < rows; r++) out[r] = plain(cells[r]) ?? Number.NaN;
    return out;
  }
  return [];
}

/** Queues the request for the log (sampled, batched, never on the response's critical path). Never throws. */
export function logServedRequest(
  db: Database,
  model: ServedModel,
  entry: { requestId: string; startedAt: number; feeds: Record<string, ort.Tensor>; results: ort.InferenceSession.OnnxValueMapType; protocol: "mlflow" | "v2" },
): void {
  try {
    const firstInput = model.inputs[0] ? entry.feeds[model.inputs[0].name] : undefined;
    const rows = firstInput?.dims[0] ?? 0;
    if (!rows) return;
    // Drift needs the distribution of inputs, not every row of a big batch: evenly spaced rows keep the log (and
    // its cost on the serving process) small; predictions are kept for every row, so feedback joins them all.
    const step = Math.max(1, rows / MAX_LOGGED_INPUT_ROWS);
    const sampled = Array.from({ length: Math.min(rows, MAX_LOGGED_INPUT_ROWS) }, (_, i) => Math.floor(i * step));
    const inputs: Record<string, (number | string | null)[]> = {};
    for (const field of model.fields) {
      const tensor = entry.feeds[model.inputs[field.input]!.name];
      if (!tensor) continue;
      const cells = cellsOf(tensor);
      const width = cells.length / rows;
      inputs[field.key] = sampled.map((r) => plain(cells[r * width + field.column]));
    }
    recordInference(db, {
      modelId: model.modelId,
      versionId: model.versionId,
      requestId: entry.requestId,
      at: Date.now(),
      latencyMs: performance.now() - entry.startedAt,
      inputs,
      predictions: predictionsOf(model, entry.results, rows),
      protocol: entry.protocol,
    });
  } catch (error) {
    console.error("[serving] could not log a request", redactErrorForLog(error));
  }
}
