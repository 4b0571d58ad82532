// Types of stall-trace.mjs (plain JavaScript so that worker threads import it as is).
export const stallTraceEnabled: boolean;
export function traceNow(): number;
export function traceEvent(src: string, fields: Record<string, unknown>): void;
export function schedstatReader(): { read(): { cpuNs: number; waitNs: number }; close(): void } | null;
export interface LoopGap {
  /** Epoch ms the gap began (the last on-time tick). */
  t: number;
  gapMs: number;
  cpuMs: number | null;
  runqueueMs: number | null;
  blockedMs: number | null;
}
export function monitorLoopGaps(thresholdMs: number, onGap: (gap: LoopGap) => void, tickMs?: number): () => void;
export function startEventLoopTrace(): () => void;
