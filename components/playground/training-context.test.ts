// The training dataset from lineage, and feature names and ranges from its profile.
import { describe, expect, it } from "vitest";
import { formProfileColumns, trainingContext, trainingDatasetOf, type ProfiledColumn } from "./training-context";

const iris = [
  ["sepal_length_cm", 4.3, 7.9],
  ["sepal_width_cm", 2, 4.4],
  ["petal_length_cm", 1, 6.9],
  ["petal_width_cm", 0.1, 2.5],
  ["species", 0, 2],
].map(([name, min, max]): ProfiledColumn => ({ name: name as string, type: "number", min, max, mean: null, topValues: null }));

describe("trainingDatasetOf", () => {
  it("prefers the registered dataset used for training", () => {
    const lineage = {
      datasets: [
        { name: "eval", context: "evaluation", registry: { datasetName: "iris-test", version: 1 } },
        { name: "train", context: "training", registry: { datasetName: "iris", version: 3 } },
        { name: "raw", context: "training", registry: null },
      ],
    };
    expect(trainingDatasetOf(lineage)).toEqual({ name: "iris", version: 3 });
  });

  it("is null without lineage or registered datasets", () => {
    expect(trainingDatasetOf(null)).toBeNull();
    expect(trainingDatasetOf({ datasets: [{ name: "raw", context: null, registry: null }] })).toBeNull();
  });
});

describe("trainingContext", () => {
  const matrix = [{ name: "input", kind: "tensor" as const, elementType: "float32", shape: [null, 4] }];

  it("names a [N,4] input after the first four columns when the label is the fifth, with their ranges", () => {
    const context = trainingContext(matrix, iris);
    expect(context.featureNames).toEqual(["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"]);
    expect(context.profiles.petal_length_cm).toEqual({ min: 1, max: 6.9, mean: null, categories: null });
  });

  it("leaves names unknown when the column count does not fit, and lists text categories", () => {
    expect(trainingContext([{ ...matrix[0], shape: [null, 2] }], iris).featureNames).toBeNull();
    const text: ProfiledColumn = { name: "housing", type: "string", min: "free", max: "rent", mean: null, topValues: [{ value: "own", count: 9 }, { value: null, count: 2 }, { value: "rent", count: 1 }] };
    expect(trainingContext(matrix, [text]).profiles.housing).toEqual({ min: null, max: null, mean: null, categories: ["own", "rent"] });
  });

  it("takes the MLmodel signature's names first, and offers a text input the categories as written even when they look numeric", () => {
    const names = ["a", "b", "c", "d"];
    expect(trainingContext(matrix, iris, names).featureNames).toEqual(names);
    expect(trainingContext(matrix, null, names).featureNames).toEqual(names);
    const codes: ProfiledColumn = { name: "purpose", type: "integer", min: 7, max: 10, mean: 8, topValues: [{ value: "007", count: 5 }, { value: "010", count: 2 }] };
    expect(trainingContext(matrix, [codes]).profiles.purpose.categories).toEqual(["007", "010"]);
  });
});

describe("formProfileColumns", () => {
  it("keeps what the form reads of a profile (the same fields, names and ranges) and drops its histograms", () => {
    // Columns as the dataset profile stores them (server/datasets/schema.ts: zColumnProfile).
    const stored = iris.map((column, i) => ({
      ...column,
      duckdbType: "DOUBLE",
      missing: 0,
      missingShare: 0,
      distinct: 30 + i,
      std: 0.5,
      quantiles: { p25: 1, p50: 2, p75: 3 },
      histogram: { edges: Array.from({ length: 21 }, (_, k) => k / 20), counts: Array.from({ length: 20 }, (_, k) => k) },
    }));
    const kept = formProfileColumns(stored);
    expect(kept).toEqual(iris);
    expect(JSON.stringify(kept).length).toBeLessThan(JSON.stringify(stored).length / 3);
    const matrix = [{ name: "input", kind: "tensor" as const, elementType: "float32", shape: [null, 4] }];
    expect(trainingContext(matrix, kept)).toEqual(trainingContext(matrix, stored));
  });
});
