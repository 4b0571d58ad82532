import { describe, expect, it } from "vitest";
import { compareFloat8, latestPointPerKey } from "./latest-metric-points";

describe("compareFloat8", () => {
  it("orders as PostgreSQL's float8: -Infinity, finite, Infinity, then NaN; NaN equals NaN and -0 equals 0", () => {
    const sorted = [NaN, 1, -Infinity, Infinity, -2.5, 0].sort(compareFloat8);
    expect(sorted).toEqual([-Infinity, -2.5, 0, 1, Infinity, NaN]);
    expect(compareFloat8(NaN, NaN)).toBe(0);
    expect(compareFloat8(-0, 0)).toBe(0);
    expect(compareFloat8(NaN, Infinity)).toBe(1);
    expect(compareFloat8(Infinity, NaN)).toBe(-1);
  });
});

describe("latestPointPerKey", () => {
  const arrays = (points: [string, number, number, number][]) => ({
    keys: points.map((p) => p[0]),
    steps: points.map((p) => p[1]),
    timestamps: points.map((p) => p[2]),
    values: points.map((p) => p[3]),
  });

  it("takes per key the greatest step, then timestamp, then value, whatever the order points come in", () => {
    const latest = latestPointPerKey(
      arrays([
        ["acc", 3, 50, 0.9],
        ["loss", 7, 1, 0.5],
        ["acc", 2, 99, 0.1],
        ["acc", 3, 50, 0.7],
        ["loss", 7, 2, 0.1],
        ["acc", 3, 10, 0.8],
        ["loss", 6, 100, 9],
      ]),
    );
    expect(latest).toEqual(arrays([["acc", 3, 50, 0.9], ["loss", 7, 2, 0.1]]));
  });

  it("ranks NaN above every number and Infinity above finite values, as the database does", () => {
    expect(latestPointPerKey(arrays([["m", 1, 1, NaN], ["m", 1, 1, Infinity], ["m", 1, 1, 5]])).values).toEqual([NaN]);
    expect(latestPointPerKey(arrays([["m", 1, 1, -Infinity], ["m", 1, 1, Infinity], ["m", 1, 1, 5]])).values).toEqual([Infinity]);
    expect(latestPointPerKey(arrays([["m", 1, 1, -Infinity], ["m", 1, 1, -5]])).values).toEqual([-5]);
  });

  it("answers nothing for an empty batch", () => {
    expect(latestPointPerKey(arrays([]))).toEqual({ keys: [], steps: [], timestamps: [], values: [] });
  });
});
