import { describe, expect, it } from "vitest";
import { planModelInputs, type ModelInputInfo } from "@/lib/model-inputs";
import { backgroundFromPreview, explainedOutputOf, feedsFromBatch, playgroundRanges, readExplainedOutput, rowValues } from "./explanation-model";

const matrix: ModelInputInfo[] = [{ name: "input", elementType: "float32", shape: [null, 2], kind: "tensor" }];
const plan = planModelInputs(matrix, { featureNames: ["income", "loan"], profiles: { income: { min: 0, max: 5000, mean: 1800, categories: null }, loan: { min: null, max: null, mean: null, categories: null } } });
const columns: ModelInputInfo[] = [
  { name: "age", elementType: "float32", shape: [null, 1], kind: "tensor" },
  { name: "plan", elementType: "string", shape: [null, 1], kind: "tensor" },
];
const columnsPlan = planModelInputs(columns);

describe("the playground's explanation plumbing", () => {
  it("builds row-major matrix feeds and per-column feeds straight from a column batch", () => {
    const feeds = feedsFromBatch(plan, matrix, { rowCount: 2, columns: [Float64Array.of(1, 2), Float64Array.of(10, 20)] });
    expect(feeds.input.dims).toEqual([2, 2]);
    expect(Array.from(feeds.input.data as Float32Array)).toEqual([1, 10, 2, 20]);
    const perColumn = feedsFromBatch(columnsPlan, columns, { rowCount: 2, columns: [Float64Array.of(30, 40), ["gold", "basic"]] });
    expect(perColumn.plan).toEqual({ type: "string", data: ["gold", "basic"], dims: [2, 1] });
    expect(Array.from(perColumn.age.data as Float32Array)).toEqual([30, 40]);
  });

  it("explains the positive class of a binary classifier and the value of a regressor", () => {
    const binary = { label: { type: "int64", dims: [2], data: [1, 0] }, probabilities: { type: "float32", dims: [2, 2], data: [0.2, 0.8, 0.9, 0.1] } };
    const explained = explainedOutputOf(binary);
    expect(explained).toEqual({ kind: "probability", classIndex: 1, classCount: 2 });
    expect(readExplainedOutput(binary, explained!)).toEqual([0.8, 0.1]);
    const regression = { variable: { type: "float32", dims: [2, 1], data: [150, 90] } };
    expect(readExplainedOutput(regression, explainedOutputOf(regression)!)).toEqual([150, 90]);
  });

  it("reads background rows from the training preview by field name, or none when a field has no column", () => {
    const preview = { columns: ["loan", "income", "label"], rows: [[2000, 1500, 1], [null, 2500, 0]] };
    expect(backgroundFromPreview(plan, preview)).toEqual([[1500, 2000], [2500, Number.NaN]]);
    expect(backgroundFromPreview(plan, { columns: ["income"], rows: [[1]] })).toBeNull();
    expect(backgroundFromPreview(plan, null)).toBeNull();
  });

  it("bounds counterfactuals by the training profile's range when known, else the background's", () => {
    const ranges = playgroundRanges(plan, [[1000, 2000], [3000, 4000]]);
    expect(ranges[0]).toEqual({ kind: "numeric", min: 0, max: 5000, scale: 1000 });
    expect(ranges[1]).toEqual({ kind: "numeric", min: 2000, max: 4000, scale: 1000 });
    expect(rowValues(columnsPlan, { age: 3, plan: "gold" })).toEqual([3, "gold"]);
  });
});
