import { describe, expect, it } from "vitest";
import { findCounterfactual, rangesFromRows, type FeatureRange } from "./counterfactual";
import type { FeatureBatch, FeatureValue } from "./shapley";

function batched(f: (values: FeatureValue[]) => number) {
  return async (batch: FeatureBatch) => Array.from({ length: batch.rowCount }, (_, r) => f(batch.columns.map((column) => column[r])));
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
// Approved (p ≥ 0.5) when income − loan / 2 ≥ 1,000.
const loanModel = batched(([income, loan]) => sigmoid(((income as number) - (loan as number) / 2 - 1000) / 100));
const loanRanges: FeatureRange[] = [
  { kind: "numeric", min: 0, max: 5000, scale: 1000 },
  { kind: "numeric", min: 0, max: 8000, scale: 2000 },
];

describe("findCounterfactual", () => {
  it("finds the smallest change of one actionable feature that flips a refusal, within its range", async () => {
    // income 1,800, loan 2,400: 1,800 − 1,200 = 600 < 1,000 → refused; approved if the loan were ≤ 1,600.
    const result = await findCounterfactual([1800, 2400], { predict: loanModel, actionable: [1], ranges: loanRanges });
    expect(result.found).toBe(true);
    if (!result.found) return;
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0].feature).toBe(1);
    expect(result.changes[0].from).toBe(2400);
    const to = result.changes[0].to as number;
    expect(to).toBeLessThanOrEqual(1600);
    // Grid + finer grid: within 1% of the range of the exact boundary.
    expect(to).toBeGreaterThan(1600 - 80);
    expect(result.output).toBeGreaterThanOrEqual(0.5);
  });

  it("prefers the feature whose change is smaller in its own scale", async () => {
    // Raising income by 400 (0.2 of its scale 2,000) beats lowering the loan by 800 (0.4 of its scale).
    const ranges: FeatureRange[] = [{ kind: "numeric", min: 0, max: 5000, scale: 2000 }, loanRanges[1]];
    const result = await findCounterfactual([1800, 2400], { predict: loanModel, actionable: [0, 1], ranges });
    expect(result.found && result.changes[0].feature).toBe(0);
  });

  it("uses two features when no single one can flip the decision", async () => {
    // Approved only when both a ≥ 0.7 and b ≥ 0.7 (ranges 0–1).
    const predict = batched(([a, b]) => ((a as number) >= 0.7 && (b as number) >= 0.7 ? 0.9 : 0.1));
    const ranges: FeatureRange[] = [
      { kind: "numeric", min: 0, max: 1, scale: 0.3 },
      { kind: "numeric", min: 0, max: 1, scale: 0.3 },
    ];
    const result = await findCounterfactual([0.2, 0.2], { predict, actionable: [0, 1], ranges });
    expect(result.found).toBe(true);
    if (result.found) {
      expect(result.changes.map((change) => change.feature)).toEqual([0, 1]);
      for (const change of result.changes) expect(change.to as number).toBeGreaterThanOrEqual(0.7);
    }
  });

  it("says none was found when the ranges or the actionable features cannot flip it", async () => {
    const narrow: FeatureRange[] = [loanRanges[0], { kind: "numeric", min: 2000, max: 8000, scale: 2000 }];
    expect((await findCounterfactual([1800, 2400], { predict: loanModel, actionable: [1], ranges: narrow })).found).toBe(false);
    expect((await findCounterfactual([1800, 2400], { predict: loanModel, actionable: [], ranges: loanRanges })).found).toBe(false);
  });

  it("changes a category to another one seen in training", async () => {
    const predict = batched(([, plan]) => (plan === "gold" ? 0.8 : 0.2));
    const ranges = rangesFromRows([
      [1, "basic"],
      [2, "gold"],
      [3, "silver"],
    ]);
    const result = await findCounterfactual([2, "basic"], { predict, actionable: [1], ranges });
    expect(result.found && result.changes[0]).toEqual({ feature: 1, from: "basic", to: "gold" });
  });
});

describe("rangesFromRows", () => {
  it("gives min, max and std of numbers and the categories of text", () => {
    expect(rangesFromRows([[1, "a"], [3, "b"]])).toEqual([
      { kind: "numeric", min: 1, max: 3, scale: 1 },
      { kind: "categorical", categories: ["a", "b"] },
    ]);
  });
});
