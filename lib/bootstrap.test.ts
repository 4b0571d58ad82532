import { describe, expect, it } from "vitest";
import { bootstrapInterval, sortedQuantile } from "./bootstrap";
import { seededNormal } from "./seeded-random";

describe("sortedQuantile", () => {
  it("interpolates between order statistics as numpy does", () => {
    expect(sortedQuantile([1, 2, 3, 4], 0.5)).toBeCloseTo(2.5, 12);
    expect(sortedQuantile([1, 2, 3, 4], 0)).toBe(1);
    expect(sortedQuantile([1, 2, 3, 4], 1)).toBe(4);
    expect(sortedQuantile([10, 20], 0.25)).toBeCloseTo(12.5, 12);
    expect(Number.isNaN(sortedQuantile([], 0.5))).toBe(true);
  });
});

describe("bootstrapInterval", () => {
  it("covers the true mean of a simulated population about as often as its level says", () => {
    // 200 samples of 100 draws from N(5, 2): a 95% interval for the mean should contain 5 in roughly 95% of them.
    const trials = 200;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const normal = seededNormal(1000 + t);
      const sample = Array.from({ length: 100 }, () => 5 + 2 * normal());
      const interval = bootstrapInterval(sample.length, (rows) => {
        let sum = 0;
        for (const row of rows) sum += sample[row];
        return sum / rows.length;
      }, { resamples: 400, seed: t });
      if (interval.lower <= 5 && 5 <= interval.upper) covered++;
    }
    // Binomial(200, 0.95) lies in [0.90, 0.99] with probability > 0.99; the percentile bootstrap runs slightly narrow.
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it("returns the statistic on the rows as they are, and the same interval for the same seed", () => {
    const values = [1, 0, 1, 1, 0, 1, 0, 1, 1, 1];
    const rate = (rows: Int32Array) => rows.reduce((sum, row) => sum + values[row], 0) / rows.length;
    const a = bootstrapInterval(values.length, rate, { seed: 7 });
    const b = bootstrapInterval(values.length, rate, { seed: 7 });
    expect(a.estimate).toBeCloseTo(0.7, 12);
    expect(a).toEqual(b);
    expect(a.lower).toBeLessThanOrEqual(0.7);
    expect(a.upper).toBeGreaterThanOrEqual(0.7);
  });

  it("leaves out resamples whose statistic is not finite", () => {
    const interval = bootstrapInterval(5, (rows) => (rows[0] === 0 ? Number.NaN : 1), { resamples: 100, seed: 3 });
    expect(interval.resamples).toBeLessThan(100);
    expect(interval.lower).toBe(1);
  });
});
