// McNemar's test against p-values worked by hand (and matching statsmodels.stats.contingency_tables.mcnemar).
import { describe, expect, it } from "vitest";
import { mcnemarFromPredictions, mcnemarTest } from "./mcnemar";

describe("mcnemarTest", () => {
  it("uses the exact binomial test for few discordant rows", () => {
    // b = 1, c = 5, n = 6: P(X ≤ 1) = (C(6,0) + C(6,1)) / 2⁶ = 7/64; two-sided 14/64 = 0.21875.
    const result = mcnemarTest(1, 5);
    expect(result.method).toBe("exact");
    expect(result.statistic).toBeNull();
    expect(result.pValue).toBeCloseTo(14 / 64, 12);
    // b = 0, c = 10: 2 × (1/1024) = 0.001953125.
    expect(mcnemarTest(0, 10).pValue).toBeCloseTo(2 / 1024, 12);
  });

  it("caps the exact p-value at 1 when both counts are equal, and gives 1 with no discordant row", () => {
    // b = c = 3: 2 × P(X ≤ 3 | n = 6) = 2 × 42/64 > 1 → 1.
    expect(mcnemarTest(3, 3).pValue).toBe(1);
    expect(mcnemarTest(0, 0).pValue).toBe(1);
  });

  it("uses chi-square with continuity correction for many discordant rows", () => {
    // b = 30, c = 10: (|30 − 10| − 1)² / 40 = 361/40 = 9.025; Pr(χ²₁ ≥ 9.025) = erfc(√(9.025/2)) = 0.0026635.
    const result = mcnemarTest(30, 10);
    expect(result.method).toBe("chi_square");
    expect(result.statistic).toBeCloseTo(9.025, 12);
    expect(result.pValue).toBeCloseTo(0.0026635, 6);
    // b = 15, c = 12: (3 − 1)² / 27 = 0.148148; p = 0.70031.
    expect(mcnemarTest(15, 12).pValue).toBeCloseTo(0.70031, 4);
  });

  it("refuses counts that are not whole and non-negative", () => {
    expect(() => mcnemarTest(-1, 2)).toThrow(/two counts/);
    expect(() => mcnemarTest(1.5, 2)).toThrow(/two counts/);
  });
});

describe("mcnemarFromPredictions", () => {
  it("counts the rows only one of the two models gets right", () => {
    const labels = [1, 0, 1, 1, 0, 0];
    const candidate = [1, 0, 0, 1, 1, 0]; // right on 0,1,3,5
    const other = [0, 0, 1, 0, 1, 0]; // right on 1,2,5
    const result = mcnemarFromPredictions(labels, candidate, other);
    expect(result.candidateOnlyCorrect).toBe(2); // rows 0 and 3
    expect(result.otherOnlyCorrect).toBe(1); // row 2
    // n = 3, k = 1: 2 × (1 + 3)/8 = 1.
    expect(result.pValue).toBe(1);
  });
});
