// Regression metrics against scikit-learn's numbers in the diabetes-ridge sidecar and a hand-computed example.
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { mae, r2, residuals, rmse } from "./regression-metrics";

// The tolerance for agreeing with scikit-learn.
const TOLERANCE = 1e-6;

describe("diabetes-ridge on diabetes.test.csv agrees with scikit-learn's test_metrics", () => {
  const sidecar = JSON.parse(readFileSync("fixtures/models/diabetes-ridge.model.json", "utf8")) as {
    label_column: string;
    test_metrics: { rmse: number; mae: number; r2: number };
  };
  // For a regressor, expected.json's "label" holds scikit-learn's prediction of each test row, in file order.
  const expected = JSON.parse(readFileSync("fixtures/models/diabetes-ridge.expected.json", "utf8")) as { rows: number; label: number[] };
  const records = Papa.parse<Record<string, string>>(readFileSync("fixtures/datasets/diabetes.test.csv", "utf8"), {
    header: true,
    skipEmptyLines: true,
  }).data;
  const truths = records.map((record) => Number(record[sidecar.label_column]));

  it("reads one prediction per test row", () => {
    expect(truths).toHaveLength(expected.rows);
    expect(expected.label).toHaveLength(expected.rows);
  });

  it("RMSE, MAE and R² within 1e-6", () => {
    expect(Math.abs(rmse(truths, expected.label) - sidecar.test_metrics.rmse)).toBeLessThan(TOLERANCE);
    expect(Math.abs(mae(truths, expected.label) - sidecar.test_metrics.mae)).toBeLessThan(TOLERANCE);
    expect(Math.abs(r2(truths, expected.label) - sidecar.test_metrics.r2)).toBeLessThan(TOLERANCE);
  });
});

describe("hand-computed example", () => {
  // scikit-learn's documented example: y = [3, -0.5, 2, 7], ŷ = [2.5, 0.0, 2, 8]
  const truths = [3, -0.5, 2, 7];
  const predictions = [2.5, 0.0, 2, 8];

  it("residuals are truth − prediction", () => {
    expect(residuals(truths, predictions)).toEqual([0.5, -0.5, 0, -1]);
  });

  it("matches scikit-learn's documented MSE 0.375, MAE 0.5 and R² 0.948…", () => {
    // squares 0.25 + 0.25 + 0 + 1 = 1.5 → MSE 1.5/4 = 0.375 → RMSE √0.375 = 0.6123724…
    expect(rmse(truths, predictions)).toBeCloseTo(Math.sqrt(0.375), 12);
    // |0.5| + |−0.5| + 0 + |−1| = 2 → 2/4 = 0.5
    expect(mae(truths, predictions)).toBe(0.5);
    // mean y = 11.5/4 = 2.875; SS_tot = 0.015625 + 11.390625 + 0.765625 + 17.015625 = 29.1875
    // R² = 1 − 1.5/29.1875 = 0.9486081…
    expect(r2(truths, predictions)).toBeCloseTo(1 - 1.5 / 29.1875, 12);
    expect(r2(truths, predictions)).toBeCloseTo(0.9486081, 7);
  });

  it("R² of a constant truth is 1 when exact and 0 otherwise (scikit-learn's force_finite)", () => {
    expect(r2([2, 2], [2, 2])).toBe(1);
    expect(r2([2, 2], [1, 3])).toBe(0);
  });

  it("refuses mismatched lengths and missing values", () => {
    expect(() => rmse([1, 2], [1])).toThrow(/one prediction per row/);
    expect(() => mae([1, Number.NaN], [1, 2])).toThrow(/non-finite/);
  });
});
