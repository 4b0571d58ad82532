import { describe, expect, it } from "vitest";
import { formatX, pointNearest, toPlotSeries, xOfPoint } from "./compare-series";

const pts = (values: number[], start = 0) =>
  values.map((value, i) => ({ step: start + i, timestamp: 10_000 + 1000 * (start + i), value }));

describe("toPlotSeries", () => {
  it("puts points on the chosen axis, in x order", () => {
    const points = [...pts([3, 4], 2), ...pts([1, 2])];
    expect(toPlotSeries(points, { axis: "step", runStartTime: 0, smoothing: 0, logScale: false }).points.map((p) => p.x)).toEqual([0, 1, 2, 3]);
    expect(toPlotSeries(points, { axis: "relative", runStartTime: 9_000, smoothing: 0, logScale: false }).points.map((p) => p.x)).toEqual([
      1000, 2000, 3000, 4000,
    ]);
    expect(xOfPoint(points[0], "time", 9_000)).toBe(12_000);
  });

  it("smooths the drawn value and keeps the logged one", () => {
    const { points } = toPlotSeries(pts([0, 10, 0, 10]), { axis: "step", runStartTime: 0, smoothing: 0.5, logScale: false });
    expect(points.map((p) => p.raw)).toEqual([0, 10, 0, 10]);
    // Debiased EMA with weight 0.5: 0, 20/3, 20/7, 100/15.
    expect(points.map((p) => Number(p.y.toFixed(4)))).toEqual([0, 6.6667, 2.8571, 6.6667]);
  });

  it("drops and counts values a log scale cannot show", () => {
    const result = toPlotSeries(pts([1, 0, -2, 5]), { axis: "step", runStartTime: 0, smoothing: 0, logScale: true });
    expect(result.points.map((p) => p.y)).toEqual([1, 5]);
    expect(result.droppedForLog).toBe(2);
  });
});

describe("pointNearest", () => {
  const series = toPlotSeries(pts([5, 6, 7, 8]).map((p) => ({ ...p, step: p.step * 10 })), {
    axis: "step",
    runStartTime: 0,
    smoothing: 0,
    logScale: false,
  }).points;

  it("finds the nearest point by binary search", () => {
    expect(pointNearest(series, 14)?.x).toBe(10);
    expect(pointNearest(series, 16)?.x).toBe(20);
    expect(pointNearest(series, 30)?.raw).toBe(8);
  });

  it("has no value far outside the run's span, but snaps within half a gap of its ends", () => {
    expect(pointNearest(series, 90)).toBeNull();
    expect(pointNearest(series, -20)).toBeNull();
    expect(pointNearest(series, 34)?.x).toBe(30);
    expect(pointNearest([], 1)).toBeNull();
  });
});

describe("formatX", () => {
  it("writes steps, clock times and durations", () => {
    expect(formatX(42, "step")).toBe("42");
    expect(formatX(Date.UTC(2026, 0, 1, 13, 5, 9), "time")).toBe("13:05:09");
    expect(formatX(12_345, "relative")).toBe("12.3s");
    expect(formatX(125_000, "relative")).toBe("2m 5s");
    expect(formatX(3_725_000, "relative")).toBe("1h 2m");
  });
});
