// Timing single rows whose cost is near the clock's resolution: blocks of runs timed as a whole.

/** Median of the per-run means of blocks of runs timed as a whole (robust to a block hit by a pause). */
export function medianBlockMean(blockTotalsMs: readonly number[], runsPerBlock: number): number {
  if (blockTotalsMs.length === 0 || runsPerBlock <= 0) return Number.NaN;
  const means = blockTotalsMs.map((total) => total / runsPerBlock).sort((a, b) => a - b);
  const middle = Math.floor(means.length / 2);
  return means.length % 2 ? means[middle]! : (means[middle - 1]! + means[middle]!) / 2;
}
