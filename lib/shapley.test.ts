import { describe, expect, it } from "vitest";
import { seededRandom } from "./seeded-random";
import { SHAPLEY_SUM_TOLERANCE, meanAbsoluteContributions, shapleyValues, solveLinearSystem, type FeatureBatch, type FeatureValue } from "./shapley";

/** A batched predict of a row-wise function, counting the rows scored. */
function batched(f: (values: FeatureValue[]) => number) {
  const calls = { rows: 0, batches: 0 };
  const predict = async (batch: FeatureBatch) => {
    calls.rows += batch.rowCount;
    calls.batches += 1;
    const out = new Float64Array(batch.rowCount);
    for (let r = 0; r < batch.rowCount; r += 1) out[r] = f(batch.columns.map((column) => column[r]));
    return out;
  };
  return { predict, calls };
}

function randomRows(count: number, width: number, seed: number): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Array.from({ length: width }, () => random() * 10 - 5));
}

function linearCase(width: number) {
  const weights = Array.from({ length: width }, (_, j) => (j % 3 === 0 ? -1 : 1) * (0.5 + j / 7));
  const background = randomRows(40, width, 7);
  const row = randomRows(1, width, 11)[0];
  const means = weights.map((_, j) => background.reduce((sum, b) => sum + (b[j] as number), 0) / background.length);
  const model = (values: FeatureValue[]) => 3 + values.reduce<number>((sum, value, j) => sum + weights[j] * (value as number), 0);
  const expected = weights.map((w, j) => w * (row[j] - means[j]));
  return { weights, background, row, model, expected };
}

describe("shapleyValues", () => {
  it("gives a linear model's known contributions, weight × (x − background mean), exactly (6 features, exact enumeration)", async () => {
    const { background, row, model, expected } = linearCase(6);
    const { predict } = batched(model);
    const result = await shapleyValues(row, { background, predict });
    expect(result.method).toBe("exact");
    result.contributions.forEach((value, j) => expect(Math.abs(value - expected[j])).toBeLessThan(1e-9));
  });

  it("gives a linear model's known contributions with KernelSHAP (30 features, sampled coalitions)", async () => {
    const { background, row, model, expected } = linearCase(30);
    const { predict, calls } = batched(model);
    const result = await shapleyValues(row, { background, predict, maxModelRows: 20_000, seed: 3 });
    expect(result.method).toBe("kernel");
    expect(calls.rows).toBeLessThanOrEqual(20_000 + 2 * background.length);
    result.contributions.forEach((value, j) => expect(Math.abs(value - expected[j])).toBeLessThan(1e-9));
    expect(result.baseValue).toBeCloseTo(background.reduce((sum, b) => sum + model(b), 0) / background.length, 9);
  });

  it("matches the Shapley formula on a model with an interaction (x0·x1 splits its effect equally)", async () => {
    // One background row at 0: v(S) = f(x_S, 0), so for f = x0·x1 + 2·x2 the interaction splits evenly.
    const { predict } = batched((v) => (v[0] as number) * (v[1] as number) + 2 * (v[2] as number));
    const result = await shapleyValues([2, 3, 1], { background: [[0, 0, 0]], predict });
    expect(result.contributions[0]).toBeCloseTo(3, 12);
    expect(result.contributions[1]).toBeCloseTo(3, 12);
    expect(result.contributions[2]).toBeCloseTo(2, 12);
    expect(result.output - result.baseValue).toBeCloseTo(8, 12);
  });

  it("keeps the sum property with KernelSHAP on a non-linear model with a text feature", async () => {
    const width = 14;
    const background = randomRows(30, width, 5).map((values, r): FeatureValue[] => [...values.slice(1), ["red", "green", "blue"][r % 3]]);
    const model = (v: FeatureValue[]) => Math.tanh((v[0] as number) * (v[1] as number) / 10) + (v[width - 1] === "red" ? 1 : 0) + Math.max(0, v[3] as number);
    const { predict } = batched(model);
    const row: FeatureValue[] = [...randomRows(1, width - 1, 9)[0], "red"];
    const result = await shapleyValues(row, { background, predict, maxModelRows: 10_000 });
    const sum = result.contributions.reduce((total, value) => total + value, 0);
    expect(Math.abs(sum - (result.output - result.baseValue))).toBeLessThan(SHAPLEY_SUM_TOLERANCE);
    expect(result.output).toBeCloseTo(model(row), 12);
    // A feature the model ignores gets next to nothing (sampling noise only, against effects of order 1).
    expect(Math.abs(result.contributions[5])).toBeLessThan(0.02);
  });

  it("replaces a text feature by background values, never an average", async () => {
    const seen = new Set<FeatureValue>();
    const predict = async (batch: FeatureBatch) => {
      for (const value of batch.columns[1]) seen.add(value);
      return Array.from({ length: batch.rowCount }, (_, r) => (batch.columns[1][r] === "yes" ? 1 : 0) + Number(batch.columns[0][r]));
    };
    const result = await shapleyValues([1, "yes"], { background: [[0, "no"], [2, "maybe"]], predict });
    expect([...seen].sort()).toEqual(["maybe", "no", "yes"]);
    expect(result.contributions[1]).toBeCloseTo(1, 12);
    expect(result.contributions[0]).toBeCloseTo(0, 12);
  });

  it("refuses rows and backgrounds of different widths, and an empty background", async () => {
    const { predict } = batched(() => 0);
    await expect(shapleyValues([1, 2], { background: [], predict })).rejects.toThrow(/background row/);
    await expect(shapleyValues([1, 2], { background: [[1]], predict })).rejects.toThrow(/Background row 1 has 1 values/);
  });
});

describe("solveLinearSystem and meanAbsoluteContributions", () => {
  it("solves a small system and reports a singular one", () => {
    expect(solveLinearSystem([[2, 1], [1, 3]], [3, 5])!.map((x) => Number(x.toFixed(12)))).toEqual([0.8, 1.4]);
    expect(solveLinearSystem([[1, 2], [2, 4]], [1, 2])).toBeNull();
  });

  it("averages absolute contributions per feature", () => {
    expect(meanAbsoluteContributions([{ contributions: [1, -2] }, { contributions: [-3, 0] }])).toEqual([2, 1]);
  });
});
