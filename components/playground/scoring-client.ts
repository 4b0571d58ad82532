// The page's side of the scoring worker: promises over its messages, and the worker's own failures turned into errors.
import type { Feeds } from "@/lib/model-inputs";
import type { PlainOutputs } from "./ort-tensors";
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

type Pending = { resolve: (reply: ScoringReply) => void; reject: (error: Error) => void };
type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

export class ScoringClient {
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
    if (reply.kind !== "loaded") throw new ScoringError(`Unexpected reply ${reply.kind} to load.`, null);
    return {
      loadMs: reply.loadMs,
      inputNames: reply.inputNames,
      outputNames: reply.outputNames,
      threads: reply.threads,
      crossOriginIsolated: reply.crossOriginIsolated,
    };
  }

  /** Runs the slot's session; runMs is ORT's run alone, roundTripMs adds the trip to the worker and back. */
  async run(slot: SessionSlot, feeds: Feeds): Promise<{ outputs: PlainOutputs; runMs: number; roundTripMs: number }> {
    const started = performance.now();
    const reply = await this.send({ kind: "run", slot, feeds });
    if (reply.kind !== "result") throw new ScoringError(`Unexpected reply ${reply.kind} to run.`, null);
    return { outputs: reply.outputs, runMs: reply.runMs, roundTripMs: performance.now() - started };
  }

  terminate(): void {
    this.worker.terminate();
    for (const pending of this.pending.values()) pending.reject(new ScoringError("The playground was closed.", null));
    this.pending.clear();
  }
}
