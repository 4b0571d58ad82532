// Timing single rows whose cost is near the clock's resolution: blocks of runs timed as a whole.

/** Median of the per-run means of blocks of runs timed as a whole (robust to a block hit by a pause). */
export function medianBlockMean(blockTotalsMs: readonly number[], runsPerBlock: number): number {
  if (blockTotalsMs.length === 0 || runsPerBlock <= 0) return Number.NaN;
  const means = blockTotalsMs.map((total) => total / runsPerBlock).sort((a, b) => a - b);
  const middle = Math.floor(means.length / 2);
  return means.length % 2 ? means[middle]! : (means[middle - 1]! + means[middle]!) / 2;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Whether a warm-up's speed has stopped improving: the median of its last `window` block means (ms per run) is within
 * `tolerance` of the median of the `window` blocks before them, or slower. Medians, so that one block hit by a pause
 * (a collection, another task of the page) neither ends the warm-up nor keeps it going.
 */
export function warmUpSettled(blockMeansMs: readonly number[], window = 4, tolerance = 0.1): boolean {
  if (window < 1 || blockMeansMs.length < 2 * window) return false;
  const recent = median(blockMeansMs.slice(-window));
  const before = median(blockMeansMs.slice(-2 * window, -window));
  return recent >= before * (1 - tolerance);
}
