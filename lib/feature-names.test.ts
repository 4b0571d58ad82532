// Where a matrix model's column names come from, and how a file's header is checked against them.
import { describe, expect, it } from "vitest";
import { columnOrderProblems, compareColumns, matrixFeatureNames, parseColumnOrder } from "./feature-names";

describe("matrixFeatureNames", () => {
  it("prefers the MLmodel signature, then the training dataset's columns without its label, else knows nothing", () => {
    expect(matrixFeatureNames(2, { signatureNames: ["a", "b"], trainingColumns: ["x", "y", "label"], trainingLabel: "label" })).toEqual({ names: ["a", "b"], source: "signature" });
    expect(matrixFeatureNames(2, { signatureNames: [], trainingColumns: ["x", "label", "y"], trainingLabel: "label" })).toEqual({ names: ["x", "y"], source: "training-dataset" });
    expect(matrixFeatureNames(3, { signatureNames: ["a", "b"], trainingColumns: ["x", "y", "label"], trainingLabel: "label" })).toBeNull();
    expect(matrixFeatureNames(2, {})).toBeNull();
    expect(matrixFeatureNames(0, { signatureNames: [] })).toBeNull();
  });
});

describe("compareColumns and columnOrderProblems", () => {
  it("lists the model's columns a file lacks and the file's columns the model does not take", () => {
    expect(compareColumns(["px0", "px1"], ["px1", "id", "digit", "px0"], ["digit"])).toEqual({ missing: [], extra: ["id"] });
    expect(compareColumns(["px0", "px1"], ["x0", "x1"])).toEqual({ missing: ["px0", "px1"], extra: ["x0", "x1"] });
  });

  it("words what is wrong with a confirmed order", () => {
    expect(columnOrderProblems(["a", "b"], 2, ["a", "b", "y"])).toEqual([]);
    expect(columnOrderProblems(["a", "a", "z"], 2, ["a", "b"])).toEqual([
      "The model takes 2 columns; the confirmed order lists 3.",
      "Each column may appear once; repeated: 'a'.",
      "Not columns of the file: 'z'.",
    ]);
    expect(parseColumnOrder(" a, b\nc ,, ")).toEqual(["a", "b", "c"]);
  });
});
