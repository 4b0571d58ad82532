// Messages between the playground page and its scoring worker (also what the page's own single-row host answers).
import type { Feeds } from "@/lib/model-inputs";
import type { PlainOutputs } from "./ort-tensors";

/** A worker holds one session per slot: the version on the page, and the one it is compared with. */
export type SessionSlot = "main" | "challenger";

export type ScoringRequest =
  /** Starts ORT's runtime (fetch, compile and start its wasm) before any model is there; later loads wait for it. */
  | { kind: "warm-up"; id: number; wasmPaths: string }
  | { kind: "load"; id: number; slot: SessionSlot; model: ArrayBuffer; wasmPaths: string }
  | { kind: "run"; id: number; slot: SessionSlot; feeds: Feeds }
  | { kind: "release"; id: number; slot: SessionSlot };

export interface SessionInfo {
  loadMs: number;
  inputNames: string[];
  outputNames: string[];
  /** Threads ORT was configured with: more than one only when the page is cross-origin isolated. */
  threads: number;
  crossOriginIsolated: boolean;
}

export type ScoringReply =
  | { kind: "warmed"; id: number }
  | ({ kind: "loaded"; id: number } & SessionInfo)
  | { kind: "result"; id: number; outputs: PlainOutputs; runMs: number }
  | { kind: "released"; id: number }
  | { kind: "error"; id: number; message: string; operator: string | null };
