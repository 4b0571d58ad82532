import { describe, expect, it } from "vitest";
import { logExtent, logTicks, makeScale, niceTicks, paddedExtent } from "./chart-scale";

describe("chart axes", () => {
  it("picks round ticks 1, 2 or 5 × 10^k apart inside the range", () => {
    expect(niceTicks(0, 100_000, 5)).toEqual([0, 20_000, 40_000, 60_000, 80_000, 100_000]);
    expect(niceTicks(0.03, 0.31, 4)).toEqual([0.1, 0.2, 0.3]);
    expect(niceTicks(-1.2, 1.2, 6)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(5, 5)).toEqual([5]);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });

  it("puts log ticks on powers of ten, thinned over many decades", () => {
    expect(logTicks(0.01, 10)).toEqual([0.01, 0.1, 1, 10]);
    expect(logTicks(1e-12, 1, 4)).toEqual([1e-12, 1e-8, 1e-4, 1]);
    expect(logTicks(0, 10)).toEqual([]);
  });

  it("pads extents so lines never touch the frame, and gives a flat line room", () => {
    expect(paddedExtent(0, 10)).toEqual({ min: -0.5, max: 10.5 });
    expect(paddedExtent(3, 3)).toEqual({ min: 2, max: 4 });
    expect(logExtent(0.03, 2)).toEqual({ min: 0.01, max: 10 });
    expect(logExtent(-1, 2)).toBeNull();
  });

  it("maps values to pixels and back, linearly and on a log scale", () => {
    const linear = makeScale({ min: 0, max: 10 }, { min: 50, max: 150 });
    expect(linear.toPx(5)).toBe(100);
    expect(linear.fromPx(150)).toBe(10);
    // Pixel y grows downwards: a range from bottom to top inverts the axis.
    const log = makeScale({ min: 0.01, max: 100 }, { min: 200, max: 0 }, true);
    expect(log.toPx(1)).toBeCloseTo(100, 9);
    expect(log.fromPx(50)).toBeCloseTo(10, 9);
  });
});
