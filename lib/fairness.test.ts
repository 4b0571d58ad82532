// Group fairness rates and gaps on hand-computed examples (fairlearn's definitions).
import { describe, expect, it } from "vitest";
import { MISSING_GROUP, PROXY_ASSOCIATION_THRESHOLD, correlationRatio, cramersV, demographicParityRatio, fairnessByGroup, fairnessIntervals, fairnessReport, proxyFlags, smallGroups } from "./fairness";

describe("fairnessReport on a hand-computed example", () => {
  // group A: labels 1 1 0 0 1, predictions 1 0 0 1 1
  //   selected 3/5 = 0.6; correct ✓✗✓✗✓ 3/5 = 0.6; positives 3, TP 2 → TPR 2/3; negatives 2, FP 1 → FPR 1/2
  // group B: labels 1 0 0 1, predictions 1 0 0 0
  //   selected 1/4 = 0.25; correct ✓✓✓✗ 3/4; positives 2, TP 1 → TPR 1/2; negatives 2, FP 0 → FPR 0
  const labels = [1, 1, 0, 0, 1, 1, 0, 0, 1];
  const predictions = [1, 0, 0, 1, 1, 1, 0, 0, 0];
  // Rows interleaved differently from the blocks above, to check grouping does not rely on order.
  const order = [0, 5, 1, 6, 2, 7, 3, 8, 4];
  const groupOf = (index: number) => (index < 5 ? "A" : "B");
  const report = fairnessReport(
    order.map((index) => labels[index]),
    order.map((index) => predictions[index]),
    order.map(groupOf),
  );

  it("gives each group's size, selection rate, accuracy, TPR and FPR", () => {
    const [a, b] = report.groups;
    expect(a).toMatchObject({ group: "A", size: 5, positives: 3, negatives: 2, selectionRate: 0.6, accuracy: 0.6, falsePositiveRate: 0.5 });
    expect(a.truePositiveRate).toBeCloseTo(2 / 3, 12);
    expect(b).toEqual({
      group: "B",
      size: 4,
      positives: 2,
      negatives: 2,
      selectionRate: 0.25,
      accuracy: 0.75,
      truePositiveRate: 0.5,
      falsePositiveRate: 0,
    });
  });

  it("gives the parity gaps", () => {
    // demographic parity difference 0.6 − 0.25 = 0.35; ratio 0.25 / 0.6 = 5/12
    expect(report.demographicParityDifference).toBeCloseTo(0.35, 12);
    expect(report.demographicParityRatio).toBeCloseTo(5 / 12, 12);
    // equal opportunity difference 2/3 − 1/2 = 1/6
    expect(report.equalOpportunityDifference).toBeCloseTo(1 / 6, 12);
  });
});

describe("edge cases", () => {
  it("counts a group without positives as TPR 0, as fairlearn does, and says how many positives it had", () => {
    // A: labels 1 1, predictions 1 0 → TPR 1/2; C: labels 0 0, predictions 1 0 → no positives → TPR 0, FPR 1/2
    const report = fairnessReport([1, 1, 0, 0], [1, 0, 1, 0], ["A", "A", "C", "C"]);
    expect(report.groups[1]).toMatchObject({ group: "C", positives: 0, truePositiveRate: 0, falsePositiveRate: 0.5 });
    expect(report.equalOpportunityDifference).toBe(0.5);
  });

  it("puts rows with a missing attribute in their own group", () => {
    const groups = fairnessByGroup([1, 0, 1], [1, 1, 0], ["F", null, undefined]);
    expect(groups.map((rates) => [rates.group, rates.size])).toEqual([
      [MISSING_GROUP, 2],
      ["F", 1],
    ]);
  });

  it("has parity ratio 1 when no group is selected, and gaps 0 for a single group", () => {
    expect(demographicParityRatio(fairnessByGroup([1, 0], [0, 0], ["A", "B"]))).toBe(1);
    const single = fairnessReport([1, 0], [1, 1], ["A", "A"]);
    expect([single.demographicParityDifference, single.demographicParityRatio, single.equalOpportunityDifference]).toEqual([0, 1, 0]);
  });

  it("refuses labels or predictions other than 0/1 and mismatched lengths", () => {
    expect(() => fairnessByGroup([2], [1], ["A"])).toThrow(/0\/1/);
    expect(() => fairnessByGroup([1, 0], [1], ["A", "B"])).toThrow(/one of each per row/);
  });
});

describe("small groups", () => {
  it("names the groups under 30 rows", () => {
    const groups = [...Array(30).fill("A"), ...Array(29).fill("B")];
    const rates = fairnessByGroup(groups.map(() => 1), groups.map(() => 1), groups);
    expect(smallGroups(rates)).toEqual(["B"]);
  });
});

describe("fairnessIntervals", () => {
  it("brackets each group's rates and the gaps, and repeats exactly for its seed", () => {
    // Group A selects 60% of 200 rows, group B 30% of 200 rows; labels independent of predictions.
    const labels: number[] = [];
    const predictions: number[] = [];
    const groups: string[] = [];
    for (let i = 0; i < 200; i += 1) {
      groups.push("A", "B");
      predictions.push(i % 10 < 6 ? 1 : 0, i % 10 < 3 ? 1 : 0);
      labels.push(i % 2, i % 2);
    }
    const intervals = fairnessIntervals(labels, predictions, groups, { resamples: 400, seed: 7 });
    const [a, b] = intervals.groups;
    expect(a.group).toBe("A");
    expect(a.selectionRate.lower).toBeLessThan(0.6);
    expect(a.selectionRate.upper).toBeGreaterThan(0.6);
    // A binomial rate of 0.6 on 200 rows has standard error 0.035: the 95% interval is about ±0.068.
    expect(a.selectionRate.upper - a.selectionRate.lower).toBeGreaterThan(0.09);
    expect(a.selectionRate.upper - a.selectionRate.lower).toBeLessThan(0.18);
    expect(b.selectionRate.lower).toBeLessThan(0.3);
    expect(b.selectionRate.upper).toBeGreaterThan(0.3);
    expect(intervals.demographicParityDifference.lower).toBeLessThan(0.3);
    expect(intervals.demographicParityDifference.upper).toBeGreaterThan(0.3);
    expect(intervals.demographicParityDifference.lower).toBeGreaterThan(0.1);
    expect(a.truePositiveRate).not.toBeNull();
    expect(intervals.equalOpportunityDifference.upper).toBeGreaterThan(intervals.equalOpportunityDifference.lower);
    expect(fairnessIntervals(labels, predictions, groups, { resamples: 400, seed: 7 })).toEqual(intervals);
  });

  it("gives no TPR interval to a group without positive rows", () => {
    const intervals = fairnessIntervals([1, 0, 1, 0, 0, 0], [1, 0, 0, 1, 0, 1], ["A", "A", "A", "B", "B", "B"], { resamples: 50 });
    expect(intervals.groups[1].group).toBe("B");
    expect(intervals.groups[1].truePositiveRate).toBeNull();
  });
});

describe("association with a sensitive attribute", () => {
  it("computes Cramér's V on a hand-worked 2×2 table", () => {
    // Table [[30, 10], [10, 30]]: expected 20 in every cell, χ² = 4 × 100/20 = 20, n = 80 → V = √(20/80) = 0.5.
    const a = [...Array(40).fill("m"), ...Array(40).fill("f")];
    const b = [...Array(30).fill("x"), ...Array(10).fill("y"), ...Array(10).fill("x"), ...Array(30).fill("y")];
    expect(cramersV(a, b)).toBeCloseTo(0.5, 12);
    expect(cramersV(a, a)).toBeCloseTo(1, 12);
  });

  it("computes the correlation ratio on a hand-worked example", () => {
    // Groups m: 1, 2, 3 (mean 2), f: 5, 6, 7 (mean 6); grand mean 4.
    // Between: 3·(2−4)² + 3·(6−4)² = 24; total: 9+4+1+1+4+9 = 28 → η = √(24/28).
    expect(correlationRatio(["m", "m", "m", "f", "f", "f"], [1, 2, 3, 5, 6, 7])).toBeCloseTo(Math.sqrt(24 / 28), 12);
    expect(correlationRatio(["m", "f", "m", "f"], [1, 1, 1, 1])).toBe(0);
  });

  it("flags the attribute as a direct input and strong proxies, strongest first, and not weak ones", () => {
    const sex = ["m", "m", "m", "f", "f", "f"];
    const flags = proxyFlags("sex", sex, [
      { name: "sex", values: sex },
      { name: "height", values: [180, 175, 178, 160, 162, 158] },
      { name: "title", values: ["Mr", "Mr", "Mr", "Ms", "Ms", "Ms"] },
      { name: "income", values: [1, 5, 3, 2, 6, 4] },
    ]);
    expect(flags.map((flag) => [flag.feature, flag.measure])).toEqual([
      ["sex", "direct"],
      ["title", "cramers_v"],
      ["height", "correlation_ratio"],
    ]);
    expect(flags[2].strength).toBeGreaterThanOrEqual(PROXY_ASSOCIATION_THRESHOLD);
  });
});
