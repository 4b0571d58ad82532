import { describe, expect, it } from "vitest";
import { deltaVsBaseline, isSingleValueMetric, sortSummaryRows, summaryExtremes, type MetricSummary } from "./compare-summary";

const row = (runId: string, last: number, min: number, max: number, steps: Partial<MetricSummary> = {}): MetricSummary => ({
  runId,
  key: "loss",
  count: 10,
  last,
  lastStep: 9,
  min,
  minStep: 0,
  max,
  maxStep: 0,
  ...steps,
});

const rows = [row("a", 0.3, 0.2, 0.9), row("b", 0.1, 0.05, 1.2, { minStep: 7 }), row("c", 0.5, 0.05, 0.7)];
const names: Record<string, string> = { a: "run-10", b: "run-2", c: "Run-3" };

describe("summary table", () => {
  it("sorts by any value column either way, ties in the runs' order", () => {
    expect(sortSummaryRows(rows, { column: "last", descending: false }, (id) => names[id]).map((r) => r.runId)).toEqual(["b", "a", "c"]);
    expect(sortSummaryRows(rows, { column: "max", descending: true }, (id) => names[id]).map((r) => r.runId)).toEqual(["b", "a", "c"]);
    expect(sortSummaryRows(rows, { column: "min", descending: false }, (id) => names[id]).map((r) => r.runId)).toEqual(["b", "c", "a"]);
    expect(sortSummaryRows(rows, { column: "minStep", descending: true }, (id) => names[id]).map((r) => r.runId)).toEqual(["b", "a", "c"]);
  });

  it("sorts runs by name in natural order, ignoring case", () => {
    expect(sortSummaryRows(rows, { column: "run", descending: false }, (id) => names[id]).map((r) => r.runId)).toEqual(["b", "c", "a"]);
  });

  it("marks the lowest minimum and the highest maximum, every run on a tie", () => {
    const { lowest, highest } = summaryExtremes(rows);
    expect([...lowest].sort()).toEqual(["b", "c"]);
    expect([...highest]).toEqual(["b"]);
    expect(summaryExtremes([]).lowest.size).toBe(0);
  });

  it("gives each value's difference from the baseline, relative to its size", () => {
    expect(deltaVsBaseline(0.3, 0.2).difference).toBeCloseTo(0.1, 12);
    expect(deltaVsBaseline(0.3, 0.2).relative).toBeCloseTo(0.5, 12);
    expect(deltaVsBaseline(-3, -2).relative).toBeCloseTo(-0.5, 12);
    expect(deltaVsBaseline(1, 0)).toEqual({ difference: 1, relative: null });
  });

  it("calls a metric single-valued when every run logged it at most once", () => {
    expect(isSingleValueMetric([1, 1, 0])).toBe(true);
    expect(isSingleValueMetric([1, 2])).toBe(false);
    expect(isSingleValueMetric([0, 0])).toBe(false);
    expect(isSingleValueMetric([])).toBe(false);
  });
});
