import { describe, expect, it } from "vitest";
import { packChartSeries, unpackChartSeries, type PointSeries } from "./chart-series-wire";

const series: PointSeries[] = [
  {
    runId: "a",
    key: "loss",
    points: [
      { step: 0, timestamp: 1_700_000_000_123, value: 0.07427536231884058 },
      { step: 5, timestamp: 1_700_000_000_999, value: -1e-300 },
    ],
    total: 9,
    downsampled: true,
    runStartTime: 1_700_000_000_000,
  },
  { runId: "b", key: "loss", points: [], total: 0, downsampled: false, runStartTime: 5 },
  { runId: "c", key: "acc", points: [{ step: 2, timestamp: 3, value: Number.MAX_VALUE }], total: 1, downsampled: false, runStartTime: 0 },
];

describe("chart series on the wire", () => {
  it("round-trips every series' x and value exactly, in order, with its fields", () => {
    const packed = packChartSeries(series, "step");
    expect(typeof packed.data).toBe("string");
    // Through JSON, as the response travels.
    const columns = unpackChartSeries(JSON.parse(JSON.stringify(packed)));
    expect(columns.map((c) => [c.runId, c.key, c.total, c.downsampled, c.runStartTime])).toEqual([
      ["a", "loss", 9, true, 1_700_000_000_000],
      ["b", "loss", 0, false, 5],
      ["c", "acc", 1, false, 0],
    ]);
    expect([...columns[0].x]).toEqual([0, 5]);
    expect([...columns[0].y]).toEqual([0.07427536231884058, -1e-300]);
    expect(columns[1].x.length).toBe(0);
    expect([...columns[2].y]).toEqual([Number.MAX_VALUE]);
  });

  it("carries timestamps as x on the time and relative axes", () => {
    for (const axis of ["time", "relative"] as const) {
      const columns = unpackChartSeries(packChartSeries(series, axis));
      expect([...columns[0].x]).toEqual([1_700_000_000_123, 1_700_000_000_999]);
    }
  });

  it("refuses data cut short instead of drawing garbage", () => {
    const packed = packChartSeries(series, "step");
    expect(() => unpackChartSeries({ ...packed, data: packed.data.slice(0, 16) })).toThrow(/cut short/);
  });
});
