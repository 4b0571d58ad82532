// The playground's Web Worker: creates onnxruntime-web sessions (wasm backend) and runs them, off the page's main thread.
import * as ort from "onnxruntime-web/wasm";
import { fromOrtOutputs, toOrtFeeds } from "./ort-tensors";
import { operatorInError } from "./prediction-format";
import type { ScoringReply, ScoringRequest, SessionSlot } from "./scoring-protocol";

interface WorkerScope {
  crossOriginIsolated: boolean;
  navigator: { hardwareConcurrency?: number };
  postMessage(message: ScoringReply): void;
  addEventListener(type: "message", listener: (event: MessageEvent<ScoringRequest>) => void): void;
}
const scope = self as unknown as WorkerScope;

// ORT reads its flags once, when the first session starts the wasm runtime.
let threads = 1;
function configureOnce(wasmPaths: string): void {
  if (ort.env.wasm.wasmPaths === wasmPaths) return;
  // Files come from the studio (app/ort), never a CDN.
  ort.env.wasm.wasmPaths = wasmPaths;
  // SharedArrayBuffer, hence threads, exists only in a cross-origin isolated page; the worker shares its isolation.
  threads = scope.crossOriginIsolated ? Math.max(1, Math.min(4, scope.navigator.hardwareConcurrency ?? 1)) : 1;
  ort.env.wasm.numThreads = threads;
  // This worker is already off the main thread; ORT's own proxy worker would only add a hop.
  ort.env.wasm.proxy = false;
}

const sessions = new Map<SessionSlot, ort.InferenceSession>();
// One request at a time: a wasm session must not be run while it is still running or being replaced.
let queue: Promise<void> = Promise.resolve();

async function handle(request: ScoringRequest): Promise<ScoringReply> {
  switch (request.kind) {
    case "load": {
      configureOnce(request.wasmPaths);
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
        crossOriginIsolated: scope.crossOriginIsolated,
      };
    }
    case "run": {
      const session = sessions.get(request.slot);
      if (!session) throw new Error("The model is not loaded yet; wait for it, or reload the page.");
      const feeds = toOrtFeeds(ort, request.feeds);
      const started = performance.now();
      const results = await session.run(feeds);
      const runMs = performance.now() - started;
      const outputs = fromOrtOutputs(results as unknown as Record<string, ort.Tensor>);
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

scope.addEventListener("message", (event) => {
  const request = event.data;
  queue = queue.then(async () => {
    try {
      scope.postMessage(await handle(request));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      scope.postMessage({ kind: "error", id: request.id, message, operator: operatorInError(message) });
    }
  });
});
