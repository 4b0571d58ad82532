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

/**
 * Colours for the runs shown together, all different while there are no more runs than palette colours: each run
 * takes its own hash's colour when free, else the next free one. Runs are placed in hash order, so the answer
 * depends on the set of runs, not on their order on the page: every chart, legend and table of one comparison
 * agrees. Past the palette, further hues are spread by the golden angle (distinct, if less tuned).
 */
export function distinctRunColors(runIds: readonly string[]): Map<string, string> {
  const unique = [...new Set(runIds)].sort((a, b) => hashRunId(a) - hashRunId(b) || (a < b ? -1 : a > b ? 1 : 0));
  const colors = new Map<string, string>();
  const taken = new Set<number>();
  let extra = 0;
  for (const runId of unique) {
    if (taken.size < RUN_PALETTE.length) {
      let slot = hashRunId(runId) % RUN_PALETTE.length;
      while (taken.has(slot)) slot = (slot + 1) % RUN_PALETTE.length;
      taken.add(slot);
      colors.set(runId, RUN_PALETTE[slot]);
    } else {
      const hue = Math.round((extra++ * 137.508 + 20) % 360);
      colors.set(runId, `hsl(${hue} 62% 52%)`);
    }
  }
  return colors;
}
