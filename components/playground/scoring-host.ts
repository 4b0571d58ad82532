// The scoring logic behind both the worker and the page's own single-row scorer: sessions per slot, one request at a time, ORT errors turned into replies.
import type * as Ort from "onnxruntime-web";
import { fromOrtOutputs, toOrtFeeds } from "@/lib/ort-plain-tensors";
import { operatorInError } from "./prediction-format";
import type { ScoringReply, ScoringRequest, SessionSlot } from "./scoring-protocol";

type OrtModule = Pick<typeof Ort, "InferenceSession" | "Tensor" | "env">;

export interface ScoringEnvironment {
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** At most this many ORT threads (default 4; see ortThreadCount). The page's own thread asks for 1: a single row gains nothing from
   * threads, and ORT's pthreads would make the page's thread busy-wait for them. */
  maxThreads?: number;
}

/**
 * ORT's threads for an environment: none but the caller's unless cross-origin isolated (no SharedArrayBuffer), and
 * never more than the cores minus one. The page's thread, the browser and, on the machine that runs it, the studio's
 * own server need a core too; a pool thread that has to share one makes the whole run wait for it, while its partner
 * spins. Measured on 2 cores (bench/README.md, issue 18): the 100-tree forest's 10,000-row batch took 41–43 ms in the
 * worker on one thread against 87–93 ms on two (medians of 20, load 8–13), and onnxruntime-node showed the same
 * (27 against 77 ms).
 */
export function ortThreadCount(environment: ScoringEnvironment): number {
  if (!environment.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(environment.maxThreads ?? 4, environment.hardwareConcurrency - 1));
}

/**
 * Sets ORT's flags for this environment and returns its thread count. ORT reads the flags once, when the first session
 * starts the wasm runtime, so once they are set (by an earlier host or the runtime's warm-up) they are left alone.
 */
export function configureOrt(ort: Pick<OrtModule, "env">, wasmPaths: string, environment: ScoringEnvironment): number {
  if (ort.env.wasm.wasmPaths === wasmPaths) return ort.env.wasm.numThreads ?? 1;
  // Files come from the studio (app/ort), never a CDN.
  ort.env.wasm.wasmPaths = wasmPaths;
  // SharedArrayBuffer, hence threads, exists only in a cross-origin isolated page; the worker shares its isolation.
  const threads = ortThreadCount(environment);
  ort.env.wasm.numThreads = threads;
  // In the worker, ORT's own proxy worker would only add a hop; on the page, single rows are run there on purpose.
  ort.env.wasm.proxy = false;
  return threads;
}

/** Answers requests in arrival order (a wasm session must not run while it is still running or being replaced). */
export function createScoringHost(ort: OrtModule, environment: ScoringEnvironment): (request: ScoringRequest) => Promise<ScoringReply> {
  const sessions = new Map<SessionSlot, Ort.InferenceSession>();
  let threads = 1;
  let queue: Promise<unknown> = Promise.resolve();

  async function handle(request: ScoringRequest): Promise<ScoringReply> {
    switch (request.kind) {
      case "load": {
        threads = configureOrt(ort, request.wasmPaths, environment);
        await sessions.get(request.slot)?.release();
        sessions.delete(request.slot);
        const started = performance.now();
        const session = await ort.InferenceSession.create(new Uint8Array(request.model), { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
        const loadMs = performance.now() - started;
        sessions.set(request.slot, session);
        return {
          kind: "loaded",
          id: request.id,
          loadMs,
          inputNames: [...session.inputNames],
          outputNames: [...session.outputNames],
          threads,
          crossOriginIsolated: environment.crossOriginIsolated,
        };
      }
      case "run": {
        const session = sessions.get(request.slot);
        if (!session) throw new Error("The model is not loaded yet; wait for it, or reload the page.");
        const feeds = toOrtFeeds(ort, request.feeds);
        const started = performance.now();
        const results = await session.run(feeds);
        const runMs = performance.now() - started;
        const outputs = fromOrtOutputs(results as unknown as Record<string, Ort.Tensor>);
        for (const tensor of Object.values(results)) tensor.dispose();
        return { kind: "result", id: request.id, outputs, runMs };
      }
      case "release": {
        await sessions.get(request.slot)?.release();
        sessions.delete(request.slot);
        return { kind: "released", id: request.id };
      }
    }
  }

  return (request) => {
    const reply = queue.then(async (): Promise<ScoringReply> => {
      try {
        return await handle(request);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { kind: "error", id: request.id, message, operator: operatorInError(message) };
      }
    });
    queue = reply;
    return reply;
  };
}
