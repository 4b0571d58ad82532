// Between the playground's plain feeds/outputs and ORT's Tensor objects: onnxruntime-web in the page and worker, onnxruntime-node on the server.
import type { Feeds } from "@/lib/model-inputs";

/** An output tensor as plain JSON-friendly values: int64 become numbers, strings stay strings. */
export interface PlainOutput {
  type: string;
  dims: number[];
  data: (number | string)[];
}
export type PlainOutputs = Record<string, PlainOutput>;

/** The slice of onnxruntime-web's API this file needs, so the worker and a Node test can both pass the real module. */
export interface OrtTensorApi<T> {
  Tensor: new (type: never, data: never, dims: readonly number[]) => T;
}

interface TensorLike {
  type: string;
  dims: readonly number[];
  data: unknown;
}

export function toOrtFeeds<T>(ort: OrtTensorApi<T>, feeds: Feeds): Record<string, T> {
  const tensors: Record<string, T> = {};
  for (const [name, feed] of Object.entries(feeds)) tensors[name] = new ort.Tensor(feed.type as never, feed.data as never, feed.dims);
  return tensors;
}

export function fromOrtOutputs(results: Readonly<Record<string, TensorLike>>): PlainOutputs {
  const outputs: PlainOutputs = {};
  for (const [name, tensor] of Object.entries(results)) {
    const data = tensor.data;
    let values: (number | string)[];
    if (Array.isArray(data)) values = data.map((value) => (typeof value === "string" ? value : Number(value)));
    else if (data instanceof BigInt64Array || data instanceof BigUint64Array) values = Array.from(data, Number);
    else if (ArrayBuffer.isView(data)) values = Array.from(data as unknown as ArrayLike<number>);
    else throw new Error(`Output "${name}" is a ${tensor.type} the playground cannot read.`);
    outputs[name] = { type: tensor.type, dims: [...tensor.dims], data: values };
  }
  return outputs;
}

/** A feed as JSON-friendly values (typed arrays as number arrays, int64 as numbers, bool as 0/1): one row sent to the
 * server's onnxruntime-node (server/registry/playground-scoring.ts), which builds the same tensors from them. */
export interface PlainFeed {
  type: Feeds[string]["type"];
  dims: number[];
  data: number[] | string[];
}

export function plainFeeds(feeds: Feeds): Record<string, PlainFeed> {
  const plain: Record<string, PlainFeed> = {};
  for (const [name, feed] of Object.entries(feeds)) {
    const data = feed.type === "string" ? [...feed.data] : Array.from(feed.data as ArrayLike<number | bigint>, Number);
    plain[name] = { type: feed.type, dims: [...feed.dims], data };
  }
  return plain;
}
