// Permutation importance: deterministic with a seed, zero for an unused feature, exact for a model whose shuffled score is known.
import { describe, expect, it } from "vitest";
import { permutationImportance, type ColumnTable } from "./permutation-importance";

// A "model" that predicts y = x (the feature "signal") and ignores "noise"; its score is accuracy on y.
const rows = 40;
const table: ColumnTable = {
  signal: Array.from({ length: rows }, (_, index) => index % 2),
  noise: Array.from({ length: rows }, (_, index) => index * 7),
};
const truths = Array.from({ length: rows }, (_, index) => index % 2);
const accuracyOfSignal = (columns: ColumnTable) => columns.signal.filter((value, index) => value === truths[index]).length / rows;

describe("permutationImportance", () => {
  it("gives the same importances for the same seed and different ones for another seed", async () => {
    const first = await permutationImportance(table, accuracyOfSignal, { seed: 42, repeats: 5 });
    const again = await permutationImportance(table, accuracyOfSignal, { seed: 42, repeats: 5 });
    const other = await permutationImportance(table, accuracyOfSignal, { seed: 7, repeats: 5 });
    expect(again).toEqual(first);
    expect(other.features[0].importances).not.toEqual(first.features[0].importances);
  });

  it("finds the used feature important and the unused one worth exactly 0", async () => {
    const { baseline, features } = await permutationImportance(table, accuracyOfSignal, { seed: 1, repeats: 10 });
    expect(baseline).toBe(1);
    const [signal, noise] = features;
    // A shuffled balanced 0/1 column agrees with the truth about half the time, so the drop is near 0.5.
    expect(signal.feature).toBe("signal");
    expect(signal.mean).toBeGreaterThan(0.25);
    expect(signal.mean).toBeLessThan(0.75);
    expect(noise).toEqual({ feature: "noise", importances: new Array(10).fill(0), mean: 0, std: 0 });
  });

  it("reports mean and population std of the repeats", async () => {
    // A score that reads a counter: baseline 10, then shuffled scores 9, 7, 4 → importances 1, 3, 6
    // mean 10/3; deviations −7/3, −1/3, 8/3 → squares 49/9 + 1/9 + 64/9 = 114/9 → /3 = 114/27 → std √(114/27)
    const scores = [10, 9, 7, 4];
    let call = 0;
    const { features } = await permutationImportance({ a: [1, 2] }, () => scores[call++], { repeats: 3 });
    expect(features[0].importances).toEqual([1, 3, 6]);
    expect(features[0].mean).toBeCloseTo(10 / 3, 12);
    expect(features[0].std).toBeCloseTo(Math.sqrt(114 / 27), 12);
  });

  it("awaits an async score, reports progress and refuses unknown features", async () => {
    const progress: number[] = [];
    await permutationImportance(table, async (columns) => accuracyOfSignal(columns), {
      repeats: 2,
      onProgress: (done, total) => progress.push(done / total),
    });
    expect(progress).toEqual([0.25, 0.5, 0.75, 1]);
    await expect(permutationImportance(table, accuracyOfSignal, { features: ["age"] })).rejects.toThrow(/'age' is not a column/);
  });

  it("leaves the caller's table untouched", async () => {
    const before = [...table.signal];
    await permutationImportance(table, accuracyOfSignal, { seed: 3 });
    expect(table.signal).toEqual(before);
  });
});
