// How the playground's panels score (ScoringClient), and the page's side of the scoring worker: promises over its
// messages, and the worker's own failures turned into errors.
import type { Feeds } from "@/lib/model-inputs";
import type { PlainOutputs } from "@/lib/ort-plain-tensors";
import type { ScoringReply, ScoringRequest, SessionInfo, SessionSlot } from "./scoring-protocol";

/** An ORT failure, with the operator it names when it names one (an operator the wasm build lacks, typically). */
export class ScoringError extends Error {
  constructor(
    message: string,
    readonly operator: string | null,
  ) {
    super(message);
  }
}

/** What every panel of the playground scores through (PlaygroundScorer: single rows on the page, batches in the worker). */
export interface ScoringClient {
  /** Creates the slot's session from the model bytes (which may be handed over to a worker: do not reuse them). */
  load(slot: SessionSlot, model: ArrayBuffer, wasmPaths: string): Promise<SessionInfo>;
  /** Runs the slot's session; runMs is ORT's run alone, roundTripMs everything the caller waited for. */
  run(slot: SessionSlot, feeds: Feeds): Promise<{ outputs: PlainOutputs; runMs: number; roundTripMs: number }>;
  terminate(): void;
}

/** A reply of the scoring host as a value, or its error reply as a ScoringError. */
export function replyOrThrow<K extends ScoringReply["kind"]>(reply: ScoringReply, kind: K): Extract<ScoringReply, { kind: K }> {
  if (reply.kind === "error") throw new ScoringError(reply.message, reply.operator);
  if (reply.kind !== kind) throw new ScoringError(`Unexpected reply ${reply.kind}; expected ${kind}.`, null);
  return reply as Extract<ScoringReply, { kind: K }>;
}

/** The session facts of a "loaded" reply. */
export function sessionInfoOf(reply: Extract<ScoringReply, { kind: "loaded" }>): SessionInfo {
  return { loadMs: reply.loadMs, inputNames: reply.inputNames, outputNames: reply.outputNames, threads: reply.threads, crossOriginIsolated: reply.crossOriginIsolated };
}

type Pending = { resolve: (reply: ScoringReply) => void; reject: (error: Error) => void };
type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

/** ORT sessions in a Web Worker (threads when the page is cross-origin isolated), for everything but single rows. */
export class WorkerScoringClient implements ScoringClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor() {
    this.worker = new Worker(new URL("./scoring-worker.ts", import.meta.url), { type: "module" });
    this.worker.addEventListener("message", (event: MessageEvent<ScoringReply>) => {
      const pending = this.pending.get(event.data.id);
      if (!pending) return;
      this.pending.delete(event.data.id);
      if (event.data.kind === "error") pending.reject(new ScoringError(event.data.message, event.data.operator));
      else pending.resolve(event.data);
    });
    this.worker.addEventListener("error", (event) => {
      const error = new ScoringError(`The scoring worker failed: ${event.message || "it could not start"}. Reload the page to try again.`, null);
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    });
  }

  private send(request: WithoutId<ScoringRequest>, transfer: Transferable[] = []): Promise<ScoringReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  /** Creates the slot's session from the model bytes (handed over to the worker, not copied). */
  async load(slot: SessionSlot, model: ArrayBuffer, wasmPaths: string): Promise<SessionInfo> {
    const reply = await this.send({ kind: "load", slot, model, wasmPaths }, [model]);
    return sessionInfoOf(replyOrThrow(reply, "loaded"));
  }

  /** Runs the slot's session; runMs is ORT's run alone, roundTripMs adds the trip to the worker and back. */
  async run(slot: SessionSlot, feeds: Feeds): Promise<{ outputs: PlainOutputs; runMs: number; roundTripMs: number }> {
    const started = performance.now();
    const reply = replyOrThrow(await this.send({ kind: "run", slot, feeds }), "result");
    return { outputs: reply.outputs, runMs: reply.runMs, roundTripMs: performance.now() - started };
  }

  terminate(): void {
    this.worker.terminate();
    for (const pending of this.pending.values()) pending.reject(new ScoringError("The playground was closed.", null));
    this.pending.clear();
  }
}
