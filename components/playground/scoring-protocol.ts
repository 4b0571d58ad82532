// Messages between the playground page and its scoring worker (onnxruntime-web sessions live in the worker only).
import type { Feeds } from "@/lib/model-inputs";
import type { PlainOutputs } from "@/lib/ort-plain-tensors";

/** A worker holds one session per slot: the version on the page, and the one it is compared with. */
export type SessionSlot = "main" | "challenger";

export type ScoringRequest =
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
  | ({ kind: "loaded"; id: number } & SessionInfo)
  | { kind: "result"; id: number; outputs: PlainOutputs; runMs: number }
  | { kind: "released"; id: number }
  | { kind: "error"; id: number; message: string; operator: string | null };
