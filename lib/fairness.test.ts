// Group fairness rates and gaps on hand-computed examples (fairlearn's definitions).
import { describe, expect, it } from "vitest";
import { MISSING_GROUP, demographicParityRatio, fairnessByGroup, fairnessReport } from "./fairness";

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
