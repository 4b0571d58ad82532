// Known values from scipy 1.10 (norm.ppf, norm.sf) and the textbook sample-size formulas they implement.
import { describe, expect, it } from "vitest";
import { callerPosition, mcnemarSampleSize, normalQuantile, twoProportionSampleSize, twoProportionZTest } from "./canary-stats";

describe("twoProportionZTest", () => {
  it("matches the pooled z-test computed with scipy", () => {
    const a = twoProportionZTest(45, 100, 30, 100)!;
    expect(a.statistic).toBeCloseTo(2.1908902300206647, 9);
    expect(a.pValue).toBeCloseTo(0.02845973691631055, 7);
    const b = twoProportionZTest(520, 1000, 480, 1000)!;
    expect(b.statistic).toBeCloseTo(1.7888543819998333, 9);
    expect(b.pValue).toBeCloseTo(0.0736382701203024, 7);
  });
  it("says nothing without requests, and sees no difference when every request agrees", () => {
    expect(twoProportionZTest(0, 0, 3, 10)).toBeNull();
    expect(twoProportionZTest(10, 10, 20, 20)).toEqual({ statistic: 0, pValue: 1 });
  });
});

describe("normalQuantile", () => {
  it("matches scipy's norm.ppf", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.95996398, 7);
    expect(normalQuantile(0.8)).toBeCloseTo(0.84162123, 7);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.09023231, 7);
    expect(normalQuantile(0.999999)).toBeCloseTo(4.75342431, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
  });
  it("refuses probabilities outside (0, 1)", () => {
    expect(() => normalQuantile(1)).toThrow(/strictly between 0 and 1/);
  });
});

describe("sample sizes", () => {
  it("two proportions: 0.6 vs 0.5 needs 388 per group at α 0.05 and power 0.8 (387.34 rounded up)", () => {
    expect(twoProportionSampleSize(0.6, 0.5)).toBe(388);
    expect(twoProportionSampleSize(0.95, 0.9)).toBe(435);
    expect(twoProportionSampleSize(0.7, 0.7)).toBeNull();
  });
  it("McNemar: discordant 0.125 / 0.075 needs 626 pairs (Connor 1987: 625.55)", () => {
    expect(mcnemarSampleSize(0.125, 0.075)).toBe(626);
    expect(mcnemarSampleSize(0.1, 0.05)).toBe(469);
    expect(mcnemarSampleSize(0.1, 0.1)).toBeNull();
  });
  it("asks for more requests when the power asked for is higher", () => {
    expect(twoProportionSampleSize(0.6, 0.5, { power: 0.9 })!).toBeGreaterThan(388);
  });
});

describe("callerPosition", () => {
  it("puts the same key at the same place, and spreads keys evenly", () => {
    expect(callerPosition("customer-42")).toBe(callerPosition("customer-42"));
    let below10 = 0;
    for (let i = 0; i < 10_000; i++) if (callerPosition(`customer-${i}`) < 0.1) below10++;
    // 10% of 10,000 keys, within 4 standard deviations (σ = 30).
    expect(Math.abs(below10 - 1000)).toBeLessThan(120);
  });
});
