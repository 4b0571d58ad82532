// Nearest-rank percentiles on hand-checked samples.
import { describe, expect, it } from "vitest";
import { latencySummary, percentile } from "./percentile";

describe("percentile", () => {
  it("picks the nearest-rank sample", () => {
    const samples = [15, 20, 35, 40, 50];
    expect(percentile(samples, 5)).toBe(15);
    expect(percentile(samples, 30)).toBe(20);
    expect(percentile(samples, 40)).toBe(20);
    expect(percentile(samples, 50)).toBe(35);
    expect(percentile(samples, 100)).toBe(50);
  });

  it("does not reorder its input and is NaN without samples", () => {
    const samples = [3, 1, 2];
    expect(percentile(samples, 50)).toBe(2);
    expect(samples).toEqual([3, 1, 2]);
    expect(percentile([], 50)).toBeNaN();
  });

  it("summarises latencies as p50, p95 and p99", () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(latencySummary(samples)).toEqual({ p50: 50, p95: 95, p99: 99 });
  });
});
