// Robustness perturbations: seeded Gaussian noise of k × each numeric feature's std, and a share of missing values.
import { describe, expect, it } from "vitest";
import { finiteStd, withGaussianNoise, withMissingValues } from "./robustness";

const rows = 20_000;
const table = {
  // std 10 (uniform on 0..~34.6) and std 0.5: the noise must follow each column's own spread.
  wide: Array.from({ length: rows }, (_, index) => ((index * 7919) % rows) / rows * Math.sqrt(12) * 10),
  narrow: Array.from({ length: rows }, (_, index) => (index % 2 === 0 ? -0.5 : 0.5)),
  city: Array.from({ length: rows }, (_, index) => (index % 3 === 0 ? "Paris" : "Lyon")),
};

describe("withGaussianNoise", () => {
  it("adds noise whose std is k × the feature's std, leaves text alone and repeats with the seed", () => {
    const noisy = withGaussianNoise(table, 0.3, 42);
    for (const feature of ["wide", "narrow"] as const) {
      const added = (noisy[feature] as number[]).map((value, row) => value - table[feature][row]);
      const expected = 0.3 * finiteStd(table[feature]);
      expect(Math.abs(finiteStd(added) / expected - 1)).toBeLessThan(0.03);
      expect(Math.abs(added.reduce((sum, value) => sum + value, 0) / rows)).toBeLessThan(0.05 * expected);
    }
    expect(noisy.city).toBe(table.city);
    expect(withGaussianNoise(table, 0.3, 42)).toEqual(noisy);
    expect(withGaussianNoise(table, 0.3, 43).wide).not.toEqual(noisy.wide);
  });

  it("keeps missing numbers missing and changes nothing at scale 0", () => {
    const withGap = { x: [1, Number.NaN, 3, 5] };
    const noisy = withGaussianNoise(withGap, 0.1, 1).x as number[];
    expect(Number.isNaN(noisy[1])).toBe(true);
    expect(noisy.filter(Number.isFinite)).toHaveLength(3);
    expect(withGaussianNoise(withGap, 0, 1).x).toEqual(withGap.x);
    expect(finiteStd([1, Number.NaN, 3])).toBe(1);
  });

  it("refuses a negative scale", () => {
    expect(() => withGaussianNoise(table, -1, 1)).toThrow(/noise scale/);
  });
});

describe("withMissingValues", () => {
  it("makes about 10% of each column missing (NaN for numbers, empty text), the same cells for the seed", () => {
    const holed = withMissingValues(table, 0.1, 42);
    const wideMissing = (holed.wide as number[]).filter(Number.isNaN).length / rows;
    const cityMissing = (holed.city as string[]).filter((value) => value === "").length / rows;
    // Binomial(20,000, 0.1): std of the share is 0.0021.
    expect(Math.abs(wideMissing - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(cityMissing - 0.1)).toBeLessThan(0.01);
    (holed.wide as number[]).forEach((value, row) => {
      if (!Number.isNaN(value)) expect(value).toBe(table.wide[row]);
    });
    expect(withMissingValues(table, 0.1, 42)).toEqual(holed);
    expect(withMissingValues(table, 0.1, 7)).not.toEqual(holed);
    expect(table.wide.some(Number.isNaN)).toBe(false);
  });
});
