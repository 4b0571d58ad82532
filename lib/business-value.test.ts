// The value of decisions against hand-computed figures on six rows, the profit curve's points and best threshold,
// the baselines, the bootstrap interval and the regression cost.
import { describe, expect, it } from "vitest";
import {
  binaryValueReport,
  confusionAt,
  curveIndexOf,
  curveThresholds,
  MAX_CUT_POINTS,
  profitCurve,
  regressionValueReport,
  valueAtThreshold,
  valueIntervalFromCounts,
  valuePerDecision,
} from "./business-value";
import { zValueSettings } from "./business-value-schema";

// Six decisions; a true positive earns 100, a false positive costs 50, a false negative 20, a true negative nothing.
const labels = [1, 1, 0, 1, 0, 0];
const probabilities = [0.9, 0.7, 0.6, 0.4, 0.3, 0.1];
const outcomes = { tp: 100, fp: -50, fn: -20, tn: 0 };

describe("expected value at a threshold", () => {
  it("counts p ≥ threshold as positive and weighs each outcome by its frequency", () => {
    const counts = confusionAt(labels, probabilities, 0.5);
    expect(counts).toEqual({ tp: 2, fp: 1, fn: 1, tn: 2 });
    // (2×100 − 1×50 − 1×20 + 2×0) / 6 = 130/6
    expect(valuePerDecision(counts, outcomes)).toBeCloseTo(130 / 6, 10);
    expect(confusionAt(labels, probabilities, 0.4)).toEqual({ tp: 3, fp: 1, fn: 0, tn: 2 });
  });

  it("builds the report: value per 1,000 and per year, baselines, best threshold", () => {
    const report = binaryValueReport(labels, probabilities, { outcomes, threshold: 0.5, yearlyVolume: 12_000 }, "1", { seed: 7 });
    expect(report.positives).toBe(3);
    expect(report.negatives).toBe(3);
    expect(report.atThreshold.perThousand).toBeCloseTo(130_000 / 6, 6);
    expect(report.atThreshold.perYear).toBeCloseTo((130 / 6) * 12_000, 6);
    // Accept all: 3 TP and 3 FP = (300 − 150)/6 = 25 per decision; reject all: 3 FN = −60/6 = −10.
    expect(report.acceptAll.perThousand).toBeCloseTo(25_000, 6);
    expect(report.rejectAll.perThousand).toBeCloseTo(-10_000, 6);
    expect(report.rejectAll.perYear).toBeCloseTo(-120_000, 6);
    // Best: every threshold in (0.3, 0.4] gives 3 TP and 1 FP = 250/6 per decision; the lowest such point is 0.31.
    expect(report.best.threshold).toBeCloseTo(0.31, 12);
    expect(report.best.perThousand).toBeCloseTo(250_000 / 6, 6);
  });

  it("draws the profit curve at hand-checked points", () => {
    const curve = profitCurve(labels, probabilities, outcomes, [0, 0.35, 0.65, 0.95, 1]);
    expect(curve.tp).toEqual([3, 3, 2, 0, 0]);
    expect(curve.fp).toEqual([3, 1, 0, 0, 0]);
    expect(curve.perThousand[0]).toBeCloseTo(25_000, 6);
    expect(curve.perThousand[1]).toBeCloseTo(250_000 / 6, 6);
    expect(curve.perThousand[2]).toBeCloseTo(180_000 / 6, 6);
    expect(curve.perThousand[3]).toBeCloseTo(-10_000, 6);
  });

  it("reads any curve point's value from the stored counts, and refuses a threshold off the curve", () => {
    const report = binaryValueReport(labels, probabilities, { outcomes, threshold: 0.5, yearlyVolume: null }, "1");
    const at = valueAtThreshold(report, 0.65, null, { interval: false })!;
    expect(at).toMatchObject({ tp: 2, fp: 0, fn: 1, tn: 3, perYear: null, interval: null });
    expect(at.perThousand).toBeCloseTo(30_000, 6);
    expect(valueAtThreshold(report, 0.655, null)).toBeNull();
  });
});

describe("curve thresholds", () => {
  it("hold 0, 0.01, …, 1, the distinct probabilities and the chosen threshold, ascending without duplicates", () => {
    const thresholds = curveThresholds([0.123, 0.5, 0.5], [0.4567]);
    expect(thresholds.length).toBe(101 + 2);
    expect(curveIndexOf(thresholds, 0.123)).toBeGreaterThan(0);
    expect(curveIndexOf(thresholds, 0.4567)).toBeGreaterThan(0);
    expect(curveIndexOf(thresholds, 0.37)).toBeGreaterThan(0);
    expect([...thresholds].sort((a, b) => a - b)).toEqual(thresholds);
  });

  it("thin many distinct probabilities to at most MAX_CUT_POINTS", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => (i + 0.5) / 10_000);
    expect(curveThresholds(many).length).toBeLessThanOrEqual(101 + MAX_CUT_POINTS);
  });
});

describe("bootstrap interval of the value", () => {
  it("brackets the estimate and narrows with more rows", () => {
    const small = valueIntervalFromCounts({ tp: 20, fp: 10, fn: 10, tn: 60 }, outcomes, { seed: 1 });
    const large = valueIntervalFromCounts({ tp: 2000, fp: 1000, fn: 1000, tn: 6000 }, outcomes, { seed: 1 });
    const estimate = 1000 * valuePerDecision({ tp: 20, fp: 10, fn: 10, tn: 60 }, outcomes);
    expect(small.lower).toBeLessThan(estimate);
    expect(small.upper).toBeGreaterThan(estimate);
    expect(large.upper - large.lower).toBeLessThan((small.upper - small.lower) / 5);
  });
});

describe("regression cost", () => {
  it("costs each unit of absolute error", () => {
    // |1 − 1.5| + |2 − 2| + |3 − 1| = 2.5 over 3 rows; at 10 per unit that is −8.33 per decision.
    const report = regressionValueReport([1, 2, 3], [1.5, 2, 1], 10, 1200, { seed: 3 });
    expect(report.meanAbsoluteError).toBeCloseTo(2.5 / 3, 12);
    expect(report.perThousand).toBeCloseTo(-25_000 / 3, 6);
    expect(report.perYear).toBeCloseTo(-10_000, 6);
    expect(report.interval!.lower).toBeLessThanOrEqual(report.perThousand);
  });
});

describe("value settings", () => {
  it("default to euros and a threshold of 0.5, and refuse a currency that is not ISO 4217-shaped", () => {
    expect(zValueSettings.parse({ outcomes })).toMatchObject({ currency: "EUR", threshold: 0.5, yearlyVolume: null });
    expect(zValueSettings.parse({ currency: "usd" }).currency).toBe("USD");
    expect(zValueSettings.safeParse({ currency: "euro" }).success).toBe(false);
    expect(zValueSettings.safeParse({ threshold: 1.5 }).success).toBe(false);
  });
});
