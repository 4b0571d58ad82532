// The playground's scorer: the model loads in the scoring worker first, then on the page's own thread for single rows.
//
// A one-row random forest takes ~15 µs in ORT, and a postMessage round trip to a worker costs more than that, so a
// worker can never score one row within 1.5× of in-process onnxruntime-node: once the page's own ORT instance (one
// thread) has the model, single rows run there; batches always go to the worker (up to 4 threads) so a 10,000-row
// file or an explanation never freezes the page.
//
// The worker loads first because starting ORT is ~1 s of V8 work on its 14 MB wasm (compiling it, or reading it back
// from the code cache, then compiling lazily every function the first session calls): in the worker that work runs on
// the second core while the page hydrates, where on the page it held the page's thread. Predict works as soon as the
// worker has the model (a single row then pays the worker hop, ~0.1 ms); the page's instance is started after that
// and takes single rows over when it is ready.
import type { Feeds } from "@/lib/model-inputs";
import type * as Ort from "onnxruntime-web";
import type { PlainOutputs } from "./ort-tensors";
import { ScoringError, WorkerScoringClient, replyOrThrow, sessionInfoOf, type ScoringClient } from "./scoring-client";
import { createScoringHost, type ScoringEnvironment } from "./scoring-host";
import type { ScoringReply, ScoringRequest, SessionInfo, SessionSlot } from "./scoring-protocol";
import { scoringPlace, type ScoringPlace } from "./scoring-route";

type Host = (request: ScoringRequest) => Promise<ScoringReply>;
type OrtModule = Pick<typeof Ort, "InferenceSession" | "Tensor" | "env">;

/** ORT on the page's own thread: one thread (see ScoringEnvironment.maxThreads). */
export function pageScoringEnvironment(): ScoringEnvironment {
  return { crossOriginIsolated: globalThis.crossOriginIsolated === true, hardwareConcurrency: 1, maxThreads: 1 };
}

export interface ScoredRun {
  outputs: PlainOutputs;
  runMs: number;
  roundTripMs: number;
  /** Where the run was scored: a single row on the page once the page's instance has the model, else the worker. */
  place: ScoringPlace;
}

export class PlaygroundScorer implements ScoringClient {
  private pageHost: Promise<Host> | null = null;
  private worker: ScoringClient | null = null;
  private readonly workerLoads = new Map<SessionSlot, Promise<SessionInfo>>();
  /** Per slot: resolves true once the page's instance has the model (single rows go there), false if it failed. */
  private readonly pageLoads = new Map<SessionSlot, Promise<boolean>>();
  private readonly onPage = new Set<SessionSlot>();
  private nextId = 1;
  private terminated = false;

  /**
   * @param loadOrt how the page gets onnxruntime-web (a dynamic import in the browser, so the page's bundle stays small)
   * @param startWorker the scoring worker's client (possibly started, and its runtime warmed up, before the model's
   * bytes arrived); called once, at the first load
   */
  constructor(
    private readonly loadOrt: () => Promise<OrtModule>,
    private readonly startWorker: () => ScoringClient = () => new WorkerScoringClient(),
  ) {}

  private host(): Promise<Host> {
    this.pageHost ??= this.loadOrt().then((ort) => createScoringHost(ort, pageScoringEnvironment()));
    return this.pageHost;
  }

  /**
   * Loads the slot in the worker and resolves when it can score (what Predict waits for); then loads the same bytes on
   * the page in the background, for single rows. If the worker cannot load it (no worker, or it failed to start), the
   * page's instance loads it instead and its answer is the load's.
   */
  async load(slot: SessionSlot, model: ArrayBuffer, wasmPaths: string): Promise<SessionInfo> {
    this.onPage.delete(slot);
    this.pageLoads.delete(slot);
    // The worker gets the buffer (transferred, not copied); the page's instance loads from this copy afterwards.
    const pageCopy = model.slice(0);
    this.worker ??= this.startWorker();
    const inWorker = this.worker.load(slot, model, wasmPaths);
    // A failure is reported by the batch that waits for it; nobody may be waiting yet.
    inWorker.catch(() => undefined);
    this.workerLoads.set(slot, inWorker);
    let info: SessionInfo;
    try {
      info = await inWorker;
    } catch {
      // The page's own load says what is wrong with the model; if it succeeds, single rows work without the worker.
      const loaded = await this.loadOnPage(slot, pageCopy, wasmPaths);
      this.pageLoads.set(slot, Promise.resolve(true));
      return loaded;
    }
    if (this.terminated) throw new ScoringError("The playground was closed.", null);
    const onPage = this.loadOnPage(slot, pageCopy, wasmPaths).then(
      () => true,
      () => false, // single rows stay in the worker, which has the model
    );
    this.pageLoads.set(slot, onPage);
    return info;
  }

  private async loadOnPage(slot: SessionSlot, model: ArrayBuffer, wasmPaths: string): Promise<SessionInfo> {
    const host = await this.host();
    const loaded = replyOrThrow(await host({ kind: "load", id: this.nextId++, slot, model, wasmPaths }), "loaded");
    if (this.terminated) {
      // Closed while loading (React's development double effects do this): free what was just created.
      await host({ kind: "release", id: this.nextId++, slot });
      throw new ScoringError("The playground was closed.", null);
    }
    this.onPage.add(slot);
    return sessionInfoOf(loaded);
  }

  /** The worker's session info for a slot, once it has loaded (rejects with its load error). */
  batchInfo(slot: SessionSlot): Promise<SessionInfo> {
    return this.workerLoads.get(slot) ?? Promise.reject(new ScoringError("The model is not loaded yet; wait for it, or reload the page.", null));
  }

  /** Resolves true once single rows of the slot are scored on the page, false if they stay in the worker. */
  singleRowsSettled(slot: SessionSlot): Promise<boolean> {
    return this.pageLoads.get(slot) ?? Promise.resolve(false);
  }

  async run(slot: SessionSlot, feeds: Feeds): Promise<ScoredRun> {
    const started = performance.now();
    if (scoringPlace(feeds) === "page" && this.onPage.has(slot)) {
      const host = await this.host();
      const result = replyOrThrow(await host({ kind: "run", id: this.nextId++, slot, feeds }), "result");
      return { outputs: result.outputs, runMs: result.runMs, roundTripMs: performance.now() - started, place: "page" };
    }
    await this.batchInfo(slot);
    if (!this.worker) throw new ScoringError("The scoring worker is not running; reload the page.", null);
    const result = await this.worker.run(slot, feeds);
    // Waiting for the worker's session is part of what the caller waited for.
    return { ...result, roundTripMs: performance.now() - started, place: "worker" };
  }

  terminate(): void {
    this.terminated = true;
    this.worker?.terminate();
    // The page's ORT outlives this scorer (one wasm instance per page): free its sessions, after any run in flight
    // (the host answers in order).
    const slots = [...this.onPage];
    void this.pageHost?.then((host) => Promise.all(slots.map((slot) => host({ kind: "release", id: this.nextId++, slot })))).catch(() => undefined);
  }
}
