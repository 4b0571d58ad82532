// Running a served model's session, alone or on several requests at once: their rows stacked into one batch and the answers split back.
import * as ort from "onnxruntime-node";
import { sentence } from "@/lib/i18n/server-sentence";
import { badRequest } from "./tensors";
import type { ServedModel } from "./model-server";

/** Runs the session; an input onnxruntime refuses (wrong width, type) is the caller's to fix, not a server fault. */
export async function runModel(model: ServedModel, feeds: ort.InferenceSession.FeedsType, outputs: readonly string[]): Promise<ort.InferenceSession.OnnxValueMapType> {
  try {
    return await model.session.run(feeds, outputs as string[]);
  } catch (error) {
    throw scoringRefusal(error instanceof Error ? error.message : String(error));
  }
}

/** The error of a run onnxruntime refused, from its message (also what the shadow's scoring thread reports back). */
export function scoringRefusal(message: string) {
  const reason = message.split("\n")[0]!.replace(/^\[[^\]]*\]\s*/, "");
  return badRequest(`The model could not score this input: ${reason}`, sentence("error.serving.model_refused", { reason }));
}

type Cells = ort.Tensor["data"];

function rowsOf(tensor: ort.Tensor): number {
  return tensor.dims.length ? tensor.dims[0]! : 0;
}

function concatCells(parts: Cells[], length: number): Cells {
  const first = parts[0]!;
  if (Array.isArray(first)) return (parts as string[][]).flat();
  const Typed = (first as ArrayLike<unknown>).constructor as new (length: number) => Cells & { set(source: ArrayLike<unknown>, offset: number): void };
  const out = new Typed(length);
  let at = 0;
  for (const part of parts) {
    out.set(part as ArrayLike<unknown>, at);
    at += (part as ArrayLike<unknown>).length;
  }
  return out;
}

/** A tensor as plain data (what a worker thread can be sent): element type, cells, dimensions. */
export interface TensorData {
  type: ort.Tensor.Type;
  data: Cells;
  dims: number[];
}

/**
 * The feeds of several requests stacked along the first (row) dimension, or null when they cannot be: an input
 * missing from one of them, another element type, or other trailing dimensions (each is then scored alone).
 */
export function stackFeeds(feedsList: readonly Record<string, ort.Tensor>[]): { feeds: Record<string, ort.Tensor>; rows: number[] } | null {
  const stacked = stackFeedData(feedsList);
  if (!stacked) return null;
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(stacked.feeds)) feeds[name] = new ort.Tensor(t.type, t.data as never, t.dims);
  return { feeds, rows: stacked.rows };
}

/** stackFeeds' cells without the tensors: always fresh arrays (never one of the requests' own), so they can be transferred. */
export function stackFeedData(feedsList: readonly Record<string, ort.Tensor>[]): { feeds: Record<string, TensorData>; rows: number[] } | null {
  const first = feedsList[0];
  if (!first) return null;
  const names = Object.keys(first);
  if (!names.length) return null;
  if (feedsList.some((feeds) => Object.keys(feeds).length !== names.length || !feeds[names[0]!])) return null;
  const rows = feedsList.map((feeds) => rowsOf(feeds[names[0]!]!));
  const stacked: Record<string, TensorData> = {};
  for (const name of names) {
    const head = first[name]!;
    const trailing = head.dims.slice(1);
    const parts: Cells[] = [];
    let length = 0;
    for (let i = 0; i < feedsList.length; i++) {
      const tensor = feedsList[i]![name];
      if (!tensor || tensor.type !== head.type || tensor.dims.length !== head.dims.length || rowsOf(tensor) !== rows[i]) return null;
      if (tensor.dims.some((d, k) => k > 0 && d !== trailing[k - 1])) return null;
      parts.push(tensor.data);
      length += (tensor.data as ArrayLike<unknown>).length;
    }
    stacked[name] = { type: head.type, data: concatCells(parts, length), dims: [rows.reduce((a, b) => a + b, 0), ...trailing] };
  }
  return { feeds: stacked, rows };
}

/**
 * The answers of a stacked run split back per request (`rows` as stackFeeds gave them): each output whose first
 * dimension is the stacked row count is cut into slices; an output that is not per row (a sequence of another
 * length) is left out, since no request could claim it.
 */
export function splitResults(results: ort.InferenceSession.OnnxValueMapType, rows: readonly number[]): ort.InferenceSession.OnnxValueMapType[] {
  const total = rows.reduce((a, b) => a + b, 0);
  const split: Record<string, unknown>[] = rows.map(() => ({}));
  for (const [name, value] of Object.entries(results)) {
    if (value instanceof ort.Tensor && rowsOf(value) === total) {
      const width = total ? (value.data as ArrayLike<unknown>).length / total : 0;
      const cells = value.data as unknown as { slice(start: number, end: number): Cells };
      let row = 0;
      rows.forEach((n, i) => {
        split[i]![name] = new ort.Tensor(value.type, cells.slice(row * width, (row + n) * width) as never, [n, ...value.dims.slice(1)]);
        row += n;
      });
    } else if (Array.isArray(value) && value.length === total) {
      let row = 0;
      rows.forEach((n, i) => {
        split[i]![name] = value.slice(row, row + n);
        row += n;
      });
    }
  }
  return split as ort.InferenceSession.OnnxValueMapType[];
}
