// The playground's scorer: single rows on the page's own thread, batches in the scoring worker.
//
// A one-row random forest takes ~15 µs in ORT, and a postMessage round trip to a worker costs more than that, so a
// worker can never score one row within 1.5× of in-process onnxruntime-node. A second ORT instance on the page
// (one thread) runs single rows directly; a batch still goes to the worker (a thread per core but one, at most 4) so a 10,000-row file
// or an explanation never freezes the page. The page's instance loads first (that is when Predict works); the
// worker is started only then, so on a 2-core machine the two wasm compilations do not compete for the first load.
import type { Feeds } from "@/lib/model-inputs";
import type * as Ort from "onnxruntime-web";
import type { PlainOutputs } from "@/lib/ort-plain-tensors";
import { ScoringError, WorkerScoringClient, replyOrThrow, sessionInfoOf, type ScoringClient } from "./scoring-client";
import { createScoringHost, type ScoringEnvironment } from "./scoring-host";
import type { ScoringReply, ScoringRequest, SessionInfo, SessionSlot } from "./scoring-protocol";
import { scoringPlace } from "./scoring-route";

type Host = (request: ScoringRequest) => Promise<ScoringReply>;
type OrtModule = Pick<typeof Ort, "InferenceSession" | "Tensor" | "env">;

/** ORT on the page's own thread: one thread (see ScoringEnvironment.maxThreads). */
export function pageScoringEnvironment(): ScoringEnvironment {
  return { crossOriginIsolated: globalThis.crossOriginIsolated === true, hardwareConcurrency: 1, maxThreads: 1 };
}

export class PlaygroundScorer implements ScoringClient {
  private pageHost: Promise<Host> | null = null;
  private worker: ScoringClient | null = null;
  private readonly workerLoads = new Map<SessionSlot, Promise<SessionInfo>>();
  private nextId = 1;
  private terminated = false;

  /**
   * @param loadOrt how the page gets onnxruntime-web (a dynamic import in the browser, so the page's bundle stays small)
   * @param startWorker a new scoring worker client; called once, after the first page-side load
   */
  constructor(
    private readonly loadOrt: () => Promise<OrtModule>,
    private readonly startWorker: () => ScoringClient = () => new WorkerScoringClient(),
  ) {}

  private host(): Promise<Host> {
    this.pageHost ??= this.loadOrt().then((ort) => createScoringHost(ort, pageScoringEnvironment()));
    return this.pageHost;
  }

  /** Loads the slot on the page, then hands the same bytes to the worker (no copy) for batches, in the background. */
  async load(slot: SessionSlot, model: ArrayBuffer, wasmPaths: string): Promise<SessionInfo> {
    const host = await this.host();
    // ORT copies the model into its own heap while creating the session, so the buffer may be transferred after.
    const loaded = replyOrThrow(await host({ kind: "load", id: this.nextId++, slot, model, wasmPaths }), "loaded");
    if (this.terminated) {
      // Closed while loading (React's development double effects do this): free what was just created.
      await host({ kind: "release", id: this.nextId++, slot });
      throw new ScoringError("The playground was closed.", null);
    }
    this.worker ??= this.startWorker();
    const inWorker = this.worker.load(slot, model, wasmPaths);
    // A failure is reported by the batch that waits for it; nobody may be waiting yet.
    inWorker.catch(() => undefined);
    this.workerLoads.set(slot, inWorker);
    return sessionInfoOf(loaded);
  }

  /** The worker's session info for a slot, once it has loaded (rejects with its load error). */
  batchInfo(slot: SessionSlot): Promise<SessionInfo> {
    return this.workerLoads.get(slot) ?? Promise.reject(new ScoringError("The model is not loaded yet; wait for it, or reload the page.", null));
  }

  async run(slot: SessionSlot, feeds: Feeds): Promise<{ outputs: PlainOutputs; runMs: number; roundTripMs: number }> {
    const started = performance.now();
    if (scoringPlace(feeds) === "page") {
      const host = await this.host();
      const result = replyOrThrow(await host({ kind: "run", id: this.nextId++, slot, feeds }), "result");
      return { outputs: result.outputs, runMs: result.runMs, roundTripMs: performance.now() - started };
    }
    await this.batchInfo(slot);
    if (!this.worker) throw new ScoringError("The scoring worker is not running; reload the page.", null);
    const result = await this.worker.run(slot, feeds);
    // Waiting for the worker's session is part of what the caller waited for.
    return { ...result, roundTripMs: performance.now() - started };
  }

  terminate(): void {
    this.terminated = true;
    this.worker?.terminate();
    // The page's ORT outlives this scorer (one wasm instance per page): free its sessions, after any run in flight
    // (the host answers in order).
    const slots = [...this.workerLoads.keys()];
    void this.pageHost?.then((host) => Promise.all(slots.map((slot) => host({ kind: "release", id: this.nextId++, slot })))).catch(() => undefined);
  }
}
