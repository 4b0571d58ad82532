// One row of the playground scored by the server's onnxruntime-node, for the moments before the browser's own runtime
// (onnxruntime-web: a 14 MB wasm to fetch and compile) is ready. Same permission as the model bytes the playground
// downloads (studio.read), the same verified bytes, the same plain outputs as the browser's; the row is validated
// against the version's graph and is neither logged nor stored.
import * as ort from "onnxruntime-node";
import { z } from "zod";
import { fromOrtOutputs } from "@/lib/ort-plain-tensors";
import type { ModelInputInfo } from "@/lib/model-inputs";
import { authorize } from "../auth/permissions";
import { invalidParameter, saidError } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import type { ServiceContext } from "../service-context";
import type { OnnxIntrospection } from "./onnx-introspection";
import { findModelVersion, type ModelVersionRow } from "./model-versions";
import { readModelVersionOnnx } from "./onnx-versions";

/** Values in one row's feeds, all inputs together: a one-row tabular model takes tens, an image a few hundred thousand. */
export const MAX_PLAYGROUND_ROW_VALUES = 1_000_000;
/** Sessions kept: the playground's version and the one it is compared with, for a few people at once. */
const MAX_SESSIONS = 4;

const zFeed = z.object({
  type: z.enum(["float32", "float64", "int32", "int64", "bool", "string"]),
  dims: z.array(z.number().int().min(0).max(MAX_PLAYGROUND_ROW_VALUES)).max(8),
  data: z.union([z.array(z.number().finite()), z.array(z.string().max(100_000))]),
});

export const zPlaygroundRowRequest = z.object({
  name: z.string().min(1).max(500),
  version: z.string().regex(/^\d+$/, "Version numbers are whole numbers"),
  feeds: z.record(z.string().min(1).max(500), zFeed),
});
export type PlaygroundRowRequest = z.infer<typeof zPlaygroundRowRequest>;

export const zPlaygroundRowResult = z.object({
  outputs: z.record(z.string(), z.object({ type: z.string(), dims: z.array(z.number()), data: z.array(z.union([z.number(), z.string()])) })),
  /** Time inside onnxruntime-node's run, as the page reports its own. */
  runMs: z.number(),
});
export type PlaygroundRowResult = z.infer<typeof zPlaygroundRowResult>;

interface CachedSession {
  session: Promise<ort.InferenceSession>;
  inFlight: number;
  retired: boolean;
}

// Keyed by the bytes' digest (verified when read), so a version's session is never another's. The studio's model-session
// caches live beside the code that needs them (serving: ModelServer); this one only serves playground rows.
const sessions = new Map<string, CachedSession>();

function sessionFor(digest: string, bytes: () => Promise<Uint8Array>): CachedSession {
  let cached = sessions.get(digest);
  if (cached) {
    // Most recently used last: the first key is the one to evict.
    sessions.delete(digest);
    sessions.set(digest, cached);
    return cached;
  }
  const session = bytes().then((model) => ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all" }));
  cached = { session, inFlight: 0, retired: false };
  sessions.set(digest, cached);
  session.catch(() => {
    if (sessions.get(digest) === cached) sessions.delete(digest);
  });
  while (sessions.size > MAX_SESSIONS) {
    const [oldestDigest, oldest] = sessions.entries().next().value!;
    sessions.delete(oldestDigest);
    oldest.retired = true;
    if (oldest.inFlight === 0) void oldest.session.then((s) => s.release()).catch(() => undefined);
  }
  return cached;
}

async function versionForScoring(ctx: ServiceContext, name: string, version: string, found?: ModelVersionRow): Promise<{ digest: string; inputs: ModelInputInfo[]; bytes: () => Promise<Uint8Array> }> {
  authorize(ctx.actor, "studio.read");
  const row = found ?? (await findModelVersion(ctx.db, name, version)).row;
  const introspection = row.introspection as OnnxIntrospection | null;
  if (!introspection) {
    throw saidError(
      "INVALID_STATE",
      `Version ${version} of '${name}' has no ONNX graph the studio could read, so it cannot be scored.`,
      sentence("error.playground.no_graph", { model: name, version }),
    );
  }
  if (!row.modelDigest) {
    // Not pinned yet: reading the bytes pins and verifies them (the playground's own download does the same).
    const { bytes, digest } = await readModelVersionOnnx(ctx, name, version);
    return { digest, inputs: introspection.inputs, bytes: async () => bytes };
  }
  return { digest: row.modelDigest, inputs: introspection.inputs, bytes: async () => (await readModelVersionOnnx(ctx, name, version)).bytes };
}

/** Checks the feeds are one row for exactly the model's inputs, and builds onnxruntime-node's tensors from them. */
export function tensorsForRow(inputs: readonly ModelInputInfo[], feeds: PlaygroundRowRequest["feeds"]): Record<string, ort.Tensor> {
  const expected = new Set(inputs.map((input) => input.name));
  const unknown = Object.keys(feeds).filter((feedName) => !expected.has(feedName));
  if (unknown.length) {
    const names = unknown.map((n) => `'${n}'`).join(", ");
    const known = [...expected].map((n) => `'${n}'`).join(", ");
    throw invalidParameter(`The model has no input ${names}; its inputs are ${known}.`, sentence("error.playground.unknown_input", { names, known }));
  }
  const tensors: Record<string, ort.Tensor> = {};
  let values = 0;
  for (const input of inputs) {
    const feed = feeds[input.name];
    const inputName = input.name;
    if (!feed) throw invalidParameter(`Input '${inputName}' is missing: give every input of the model a value.`, sentence("error.playground.input_missing", { input: inputName }));
    if (feed.type !== input.elementType) {
      throw invalidParameter(
        `Input '${inputName}' takes ${input.elementType} values, not ${feed.type}.`,
        sentence("error.playground.input_type", { input: inputName, expected: input.elementType, sent: feed.type }),
      );
    }
    const size = feed.dims.reduce((product, dim) => product * dim, 1);
    if (size !== feed.data.length) {
      throw invalidParameter(
        `Input '${inputName}': shape [${feed.dims.join(", ")}] holds ${size} values, but ${feed.data.length} were sent.`,
        sentence("error.playground.input_size", { input: inputName, shape: feed.dims.join(", "), size, sent: feed.data.length }),
      );
    }
    const rows = feed.dims.length === 0 ? 1 : feed.dims[0];
    if (rows !== 1) {
      throw invalidParameter(
        `Input '${inputName}' holds ${rows} rows; the server scores one row at a time (batches run in the browser).`,
        sentence("error.playground.input_rows", { input: inputName, rows }),
      );
    }
    values += size;
    if (values > MAX_PLAYGROUND_ROW_VALUES) {
      throw invalidParameter(
        `The row holds more than ${MAX_PLAYGROUND_ROW_VALUES.toLocaleString("en")} values; wait for the browser's runtime to score it.`,
        sentence("error.playground.row_too_large", { max: MAX_PLAYGROUND_ROW_VALUES }),
      );
    }
    const isText = feed.type === "string";
    if (feed.data.some((value) => (typeof value === "string") !== isText)) {
      throw invalidParameter(`Input '${inputName}' takes ${isText ? "text" : "numbers"} only.`, sentence("error.playground.input_kind", { input: inputName, kind: isText ? "text" : "numbers" }));
    }
    const numbers = feed.data as number[];
    switch (feed.type) {
      case "string":
        tensors[input.name] = new ort.Tensor("string", feed.data as string[], feed.dims);
        break;
      case "float32":
        tensors[input.name] = new ort.Tensor("float32", Float32Array.from(numbers), feed.dims);
        break;
      case "float64":
        tensors[input.name] = new ort.Tensor("float64", Float64Array.from(numbers), feed.dims);
        break;
      case "int32":
        if (!numbers.every((n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31)) {
          throw invalidParameter(`Input '${inputName}' takes 32-bit whole numbers.`, sentence("error.playground.input_int32", { input: inputName }));
        }
        tensors[input.name] = new ort.Tensor("int32", Int32Array.from(numbers), feed.dims);
        break;
      case "int64":
        if (!numbers.every(Number.isSafeInteger)) {
          throw invalidParameter(`Input '${inputName}' takes whole numbers (at most 2^53 in size).`, sentence("error.playground.input_int64", { input: inputName }));
        }
        tensors[input.name] = new ort.Tensor("int64", BigInt64Array.from(numbers, BigInt), feed.dims);
        break;
      case "bool":
        if (!numbers.every((n) => n === 0 || n === 1)) throw invalidParameter(`Input '${inputName}' takes 0 or 1 (false or true).`, sentence("error.playground.input_bool", { input: inputName }));
        tensors[input.name] = new ort.Tensor("bool", Uint8Array.from(numbers), feed.dims);
        break;
    }
  }
  return tensors;
}

/** Scores one playground row of a version with onnxruntime-node; outputs in the form the page's own ORT gives them. */
export async function scorePlaygroundRow(ctx: ServiceContext, request: PlaygroundRowRequest): Promise<PlaygroundRowResult> {
  const { digest, inputs, bytes } = await versionForScoring(ctx, request.name, request.version);
  const feeds = tensorsForRow(inputs, request.feeds);
  const cached = sessionFor(digest, bytes);
  cached.inFlight++;
  try {
    const session = await cached.session;
    const started = performance.now();
    let results: ort.InferenceSession.OnnxValueMapType;
    try {
      results = await session.run(feeds);
    } catch (error) {
      // ORT's message names the node or input at fault; the row's values are not in it.
      const reason = error instanceof Error ? error.message : String(error);
      throw invalidParameter(`onnxruntime-node could not score the row: ${reason}`, sentence("error.playground.run_failed", { reason }));
    }
    const runMs = performance.now() - started;
    return { outputs: fromOrtOutputs(results as unknown as Record<string, ort.Tensor>), runMs };
  } finally {
    cached.inFlight--;
    if (cached.retired && cached.inFlight === 0) void cached.session.then((s) => s.release()).catch(() => undefined);
  }
}

/**
 * Creates the version's server session ahead of the first row (the playground page calls it while it renders), so the
 * first Predict before the browser's runtime is ready waits only for the run. Errors are left for scorePlaygroundRow.
 * `found`: the version's row when the caller has read it already (the page), so it is not looked up again.
 */
export async function preparePlaygroundServerSession(ctx: ServiceContext, name: string, version: string, found?: ModelVersionRow): Promise<void> {
  const { digest, bytes } = await versionForScoring(ctx, name, version, found);
  await sessionFor(digest, bytes).session;
}
