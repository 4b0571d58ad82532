// The sum property on a real model: breast-cancer-rf-v1 (100 trees, 30 features) run by onnxruntime-node.
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { SHAPLEY_SUM_TOLERANCE, shapleyValues, type FeatureBatch } from "./shapley";

function numericRows(path: string, limit: number): number[][] {
  // The fixture is plain numbers with a header line: no quoting to handle.
  const [, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  return lines.slice(0, limit).map((line) => line.split(",").slice(0, 30).map(Number));
}

describe("shapleyValues on breast-cancer-rf-v1", () => {
  it("sums to the forest's probability minus the base value, within the stated tolerance", async () => {
    const session = await ort.InferenceSession.create(readFileSync("fixtures/models/breast-cancer-rf-v1.onnx"), { intraOpNumThreads: 1 });
    const predict = async (batch: FeatureBatch) => {
      const data = new Float32Array(batch.rowCount * 30);
      batch.columns.forEach((column, j) => {
        for (let r = 0; r < batch.rowCount; r += 1) data[r * 30 + j] = column[r] as number;
      });
      const outputs = await session.run({ input: new ort.Tensor("float32", data, [batch.rowCount, 30]) }, ["probabilities"]);
      const probabilities = outputs.probabilities.data as Float32Array;
      return Array.from({ length: batch.rowCount }, (_, r) => probabilities[r * 2 + 1]);
    };
    const background = numericRows("fixtures/datasets/breast_cancer.train.csv", 100);
    const rows = numericRows("fixtures/datasets/breast_cancer.test.csv", 3);
    try {
      for (const row of rows) {
        const result = await shapleyValues(row, { background, predict });
        const [alone] = await predict({ rowCount: 1, columns: row.map((value) => Float64Array.of(value)) });
        expect(result.method).toBe("kernel");
        expect(result.output).toBeCloseTo(alone, 6);
        const sum = result.contributions.reduce((total, value) => total + value, 0);
        expect(Math.abs(sum - (result.output - result.baseValue))).toBeLessThan(SHAPLEY_SUM_TOLERANCE);
      }
    } finally {
      await session.release();
    }
  });
});
