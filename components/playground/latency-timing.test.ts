// Block timing of the latency check and bench/playground: the median of per-run means, robust to one block hit by a pause.
import { describe, expect, it } from "vitest";
import { medianBlockMean, warmUpSettled } from "./latency-timing";

describe("medianBlockMean", () => {
  it("divides each block by its runs and takes the median, ignoring an outlying block", () => {
    expect(medianBlockMean([3, 3.2, 2.8, 50, 3.1], 200)).toBeCloseTo(0.0155, 6);
    expect(medianBlockMean([2, 4], 100)).toBeCloseTo(0.03, 6);
    expect(medianBlockMean([1.5], 100)).toBeCloseTo(0.015, 6);
  });
});

describe("medianBlockMean without blocks", () => {
  it("is NaN rather than a made-up number", () => {
    expect(medianBlockMean([], 200)).toBeNaN();
    expect(medianBlockMean([1], 0)).toBeNaN();
  });
});

describe("warmUpSettled", () => {
  // Block means in µs per run as the check saw them on a busy page (bench/README, i18-playground5), as ms.
  const ms = (us: number[]) => us.map((u) => u / 1000);

  it("keeps warming up while the blocks are still getting faster", () => {
    expect(warmUpSettled(ms([186, 114, 96, 124, 82, 61, 127, 66, 59, 536, 32, 48, 36, 71, 65, 39, 40, 24, 26, 28, 28, 19]))).toBe(false);
    expect(warmUpSettled(ms([45, 44, 46, 45, 30, 31, 29, 30]))).toBe(false);
  });

  it("stops once the last blocks are no faster than the ones before", () => {
    expect(warmUpSettled(ms([170, 160, 80, 50, 18, 17, 18, 19, 17, 18, 18, 17]))).toBe(true);
    // Slower at the end (the page busy) is settled too: waiting longer would not measure the model's speed better.
    expect(warmUpSettled(ms([18, 17, 18, 19, 25, 24, 30, 22]))).toBe(true);
  });

  it("is not fooled by one block hit by a pause", () => {
    expect(warmUpSettled(ms([18, 17, 18, 18, 17, 400, 18, 17]))).toBe(true);
    expect(warmUpSettled(ms([45, 44, 46, 45, 30, 31, 2, 30]))).toBe(false);
  });

  it("needs two windows of blocks before it can say", () => {
    expect(warmUpSettled(ms([18, 18, 18, 18, 18, 18, 18]))).toBe(false);
    expect(warmUpSettled([], 4)).toBe(false);
    expect(warmUpSettled([1, 1], 0)).toBe(false);
  });
});
