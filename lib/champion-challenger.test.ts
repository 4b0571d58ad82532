// Champion vs challenger on known rows: agreement counted by hand, metrics checked against hand-computed values.
import { describe, expect, it } from "vitest";
import { compareClassifiers, compareRegressors } from "./champion-challenger";

describe("compareClassifiers", () => {
  it("counts the rows where both predict the same class and gives each one's accuracy and macro F1", () => {
    const labels = [0, 1, 1, 0];
    // champion predicts 0,1,0,0 (3/4 right); challenger 0,1,1,1 (3/4 right); they differ on rows 2 and 3.
    const champion = Float64Array.from([0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.7, 0.3]);
    const challenger = Float64Array.from([0.8, 0.2, 0.3, 0.7, 0.1, 0.9, 0.4, 0.6]);
    const result = compareClassifiers(labels, champion, challenger, 2);
    expect(result.champion.predictions).toEqual([0, 1, 0, 0]);
    expect(result.challenger.predictions).toEqual([0, 1, 1, 1]);
    expect(result.disagreements).toEqual([2, 3]);
    expect(result.agreementRate).toBe(0.5);
    expect(result.champion.metrics).toEqual([
      { name: "accuracy", value: 0.75 },
      // class 0: P 2/3, R 1, F1 0.8; class 1: P 1, R 0.5, F1 2/3 → macro 11/15.
      { name: "macro_f1", value: expect.closeTo(11 / 15, 12) },
    ]);
    expect(result.challenger.metrics[0]).toEqual({ name: "accuracy", value: 0.75 });
  });
});

describe("compareRegressors", () => {
  it("agrees within 1% of the label range, lists the largest gaps first, and gives RMSE, MAE and R²", () => {
    const truths = [0, 50, 100, 200];
    const champion = Float64Array.from([1, 50, 100, 190]);
    const challenger = Float64Array.from([2, 55, 130, 190]);
    const result = compareRegressors(truths, champion, challenger);
    // Tolerance 2 (1% of 200): rows 0 (gap 1) and 3 (gap 0) agree; rows 2 (gap 30) and 1 (gap 5) do not.
    expect(result.disagreements).toEqual([2, 1]);
    expect(result.agreeing).toBe(2);
    expect(result.agreementRule).toContain("(2)");
    const [rmse, mae, r2] = result.champion.metrics;
    expect(rmse).toEqual({ name: "rmse", value: expect.closeTo(Math.sqrt(101 / 4), 12) });
    expect(mae).toEqual({ name: "mae", value: 11 / 4 });
    expect(r2.name).toBe("r2");
    expect(r2.value).toBeCloseTo(1 - 101 / 21875, 12);
  });
});
