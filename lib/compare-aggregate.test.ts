import { describe, expect, it } from "vitest";
import type { Run } from "@/server/tracking/schema";
import { aggregateSeries, groupRuns } from "./compare-aggregate";

const round = (values: ArrayLike<number>) => Array.from(values, (v) => Number(v.toFixed(6)));

describe("aggregateSeries", () => {
  it("averages runs sampled at different steps on a common grid, with the min–max band", () => {
    const a = { x: [0, 10], y: [0, 10] };
    const b = { x: [0, 5, 10], y: [2, 4, 6] };
    const curve = aggregateSeries([a, b], 3);
    expect(round(curve.x)).toEqual([0, 5, 10]);
    // At 5: a interpolates to 5, b is 4.
    expect(round(curve.mean)).toEqual([1, 4.5, 8]);
    expect(round(curve.min)).toEqual([0, 4, 6]);
    expect(round(curve.max)).toEqual([2, 5, 10]);
    expect(Array.from(curve.runs)).toEqual([2, 2, 2]);
  });

  it("counts a run only inside its own span, so one that stopped early does not pull the mean", () => {
    const long = { x: [0, 100], y: [1, 1] };
    const short = { x: [0, 40], y: [3, 3] };
    const curve = aggregateSeries([long, short], 11);
    expect(round(curve.mean)).toEqual([2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(curve.runs)).toEqual([2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1]);
  });

  it("leaves out grid points no run covers and non-finite values, and handles single points", () => {
    const curve = aggregateSeries([{ x: [0, 1], y: [1, 1] }, { x: [9, 10], y: [5, Number.NaN] }], 11);
    expect(round(curve.x)).toEqual([0, 1, 9]);
    expect(round(curve.mean)).toEqual([1, 1, 5]);
    const single = aggregateSeries([{ x: [3], y: [2] }, { x: [3], y: [4] }], 50);
    expect(round(single.x)).toEqual([3]);
    expect(round(single.mean)).toEqual([3]);
    expect(aggregateSeries([], 10).x.length).toBe(0);
  });
});

describe("groupRuns", () => {
  const run = (id: string, params: Record<string, string>, tags: Record<string, string> = {}): Run =>
    ({
      info: { run_id: id },
      data: {
        metrics: [],
        params: Object.entries(params).map(([key, value]) => ({ key, value })),
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      },
    }) as unknown as Run;

  it("groups by a param's value in order of first appearance, runs without it last", () => {
    const runs = [run("1", { model: "rf" }), run("2", {}), run("3", { model: "mlp" }), run("4", { model: "rf" })];
    expect(groupRuns(runs, "params.model")).toEqual([
      { value: "rf", runIds: ["1", "4"] },
      { value: "mlp", runIds: ["3"] },
      { value: null, runIds: ["2"] },
    ]);
  });

  it("groups by a tag", () => {
    expect(groupRuns([run("1", {}, { team: "a" }), run("2", {}, { team: "a" })], "tags.team")).toEqual([{ value: "a", runIds: ["1", "2"] }]);
  });
});
