import { describe, expect, it } from "vitest";
import { formatX, pointNearest, toPlotSeries } from "./compare-series";

const cols = (values: number[], xs = values.map((_, i) => i)) => ({ x: xs, y: values });
const step = { axis: "step" as const, runStartTime: 0, smoothing: 0, logScale: false };

describe("toPlotSeries", () => {
  it("puts points in x order, shifted by the run's start on the relative axis", () => {
    const series = cols([3, 4, 1, 2], [12_000, 13_000, 10_000, 11_000]);
    const onTime = toPlotSeries(series, { ...step, axis: "time" });
    expect([...onTime.x]).toEqual([10_000, 11_000, 12_000, 13_000]);
    expect([...onTime.raw]).toEqual([1, 2, 3, 4]);
    expect([...toPlotSeries(series, { ...step, axis: "relative", runStartTime: 9_000 }).x]).toEqual([1000, 2000, 3000, 4000]);
  });

  it("smooths the drawn value and keeps the logged one", () => {
    const plot = toPlotSeries(cols([0, 10, 0, 10]), { ...step, smoothing: 0.5 });
    expect([...plot.raw]).toEqual([0, 10, 0, 10]);
    // Debiased EMA with weight 0.5: 0, 20/3, 20/7, 100/15.
    expect([...plot.y].map((y) => Number(y.toFixed(4)))).toEqual([0, 6.6667, 2.8571, 6.6667]);
  });

  it("drops and counts values a log scale cannot show, and leaves out non-finite ones", () => {
    const result = toPlotSeries(cols([1, 0, -2, 5, Number.NaN]), { ...step, logScale: true });
    expect([...result.y]).toEqual([1, 5]);
    expect([...result.x]).toEqual([0, 3]);
    expect(result.droppedForLog).toBe(2);
  });
});

describe("pointNearest", () => {
  const xs = [0, 10, 20, 30];

  it("finds the nearest point by binary search", () => {
    expect(pointNearest(xs, 14)).toBe(1);
    expect(pointNearest(xs, 16)).toBe(2);
    expect(pointNearest(xs, 30)).toBe(3);
  });

  it("has no value far outside the run's span, but snaps within half a gap of its ends", () => {
    expect(pointNearest(xs, 90)).toBe(-1);
    expect(pointNearest(xs, -20)).toBe(-1);
    expect(pointNearest(xs, 34)).toBe(3);
    expect(pointNearest([], 1)).toBe(-1);
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
