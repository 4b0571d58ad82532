// Stable colours for runs: a run keeps its colour in every chart, legend and reload, whoever else is compared.

/**
 * Twelve hues that stay apart for the common kinds of colour blindness and read on light and dark
 * backgrounds (Tableau/Okabe-Ito inspired). More runs than colours share hues; the legend and the
 * tooltip still name every run.
 */
export const RUN_PALETTE = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#59a14f",
  "#b07aa1",
  "#76b7b2",
  "#edc948",
  "#ff9da7",
  "#9c755f",
  "#0072b2",
  "#d55e00",
  "#009e73",
] as const;

/** FNV-1a over the run id: cheap, well spread, and the same in every browser and on the server. */
export function hashRunId(runId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    hash ^= runId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function runColor(runId: string): string {
  return RUN_PALETTE[hashRunId(runId) % RUN_PALETTE.length];
}
