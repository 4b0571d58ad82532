// Block timing of the latency check and bench/playground: the median of per-run means, robust to one block hit by a pause.
import { describe, expect, it } from "vitest";
import { medianBlockMean } from "./latency-timing";

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
