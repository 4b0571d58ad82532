// Reading outputs as predictions, comparing versions, sweep ranges, batch chunks and result columns; ORT error operators.
import { describe, expect, it } from "vitest";
import type { PlainOutputs } from "@/lib/ort-plain-tensors";
import {
  chunkRanges,
  classifyOutputs,
  comparePredictions,
  operatorInError,
  readPredictions,
  resultColumns,
  resultRow,
  withFileColumns,
  sweepPoints,
  sweepRange,
} from "./prediction-format";

const classifier: PlainOutputs = {
  label: { type: "int64", dims: [2], data: [0, 2] },
  probabilities: { type: "float32", dims: [2, 3], data: [0.9, 0.08, 0.02, 0.1, 0.2, 0.7] },
};
const regressor: PlainOutputs = { variable: { type: "float32", dims: [2, 1], data: [151.5, 80.25] } };

describe("readPredictions", () => {
  it("finds the label and probabilities of a classifier, row by row", () => {
    expect(classifyOutputs(classifier)).toEqual({ label: "label", probabilities: "probabilities" });
    const rows = readPredictions(classifier);
    expect(rows).toHaveLength(2);
    expect(rows[1].label).toBe(2);
    expect(rows[1].probabilities).toEqual([0.1, 0.2, 0.7]);
  });

  it("reads a regressor's [N,1] output as values, with neither label nor probabilities", () => {
    expect(classifyOutputs(regressor)).toEqual({ label: null, probabilities: null });
    expect(readPredictions(regressor).map((row) => row.values.variable)).toEqual([151.5, 80.25]);
  });
});

describe("comparePredictions", () => {
  it("gives the challenger's change per class and whether the label moved", () => {
    const [champion] = readPredictions(classifier);
    const challenger = { ...champion, label: 1, probabilities: [0.4, 0.5, 0.1] };
    const difference = comparePredictions(champion, challenger);
    expect(difference.labelChanged).toBe(true);
    expect(difference.probabilityDelta!.map((d) => Number(d.toFixed(6)))).toEqual([-0.5, 0.42, 0.08]);
    expect(difference.maxAbsDelta).toBeCloseTo(0.5, 10);
  });

  it("compares numeric values when there are no probabilities", () => {
    const [a, b] = readPredictions(regressor);
    expect(comparePredictions(a, b)).toEqual({ labelChanged: false, probabilityDelta: null, maxAbsDelta: 71.25 });
  });
});

describe("sweeps and batches", () => {
  it("spaces points evenly and ends exactly at the maximum", () => {
    const points = sweepPoints(4.3, 7.9, 50);
    expect(points).toHaveLength(50);
    expect(points[0]).toBe(4.3);
    expect(points[49]).toBe(7.9);
    expect(points[1] - points[0]).toBeCloseTo(3.6 / 49, 12);
    expect(sweepPoints(2, 2, 50)).toEqual([2]);
  });

  it("sweeps the profiled range, else ±3×|value|, else ±1", () => {
    expect(sweepRange({ min: 1, max: 6.9 }, 3)).toEqual({ min: 1, max: 6.9 });
    expect(sweepRange({ min: null, max: null }, -2)).toEqual({ min: -6, max: 6 });
    expect(sweepRange({ min: 5, max: 5 }, 0)).toEqual({ min: -1, max: 1 });
  });

  it("cuts rows into chunks that cover them once", () => {
    expect(chunkRanges(1001, 500)).toEqual([[0, 500], [500, 1000], [1000, 1001]]);
    expect(chunkRanges(0, 500)).toEqual([]);
  });

  it("lays out scored rows as inputs, label and one column per class", () => {
    const [first] = readPredictions(classifier);
    expect(resultColumns(["a", "b"], first)).toEqual(["a", "b", "predicted_label", "probability_0", "probability_1", "probability_2"]);
    expect(resultRow({ a: 1, b: "x" }, ["a", "b"], first)).toEqual([1, "x", 0, 0.9, 0.08, 0.02]);
    const [reg] = readPredictions(regressor);
    expect(resultColumns(["a"], reg)).toEqual(["a", "variable"]);
    expect(resultRow({ a: 2 }, ["a"], reg)).toEqual([2, 151.5]);
  });

  it("keeps the file's other columns (the label, an id) as written beside the inputs", () => {
    const [first] = readPredictions(classifier);
    const record = { id: "r-7", a: "1.50", b: "x", species: "setosa" };
    const cells = withFileColumns({ a: 1.5, b: "x" }, record, ["id", "species"]);
    expect(resultRow(cells, ["a", "b", "id", "species"], first)).toEqual([1.5, "x", "r-7", "setosa", 0, 0.9, 0.08, 0.02]);
    expect(withFileColumns({ a: 1 }, { a: "1" }, ["label"])).toEqual({ a: 1, label: null });
  });
});

describe("operatorInError", () => {
  it("names the operator of ORT's missing-kernel error, and nothing for other errors", () => {
    expect(operatorInError("Could not find an implementation for ZipMap(1) node with name 'ZipMap'")).toBe("ZipMap");
    expect(operatorInError("failed to call OrtRun(). ERROR_CODE: 2, ERROR_MESSAGE: Unexpected input data type")).toBeNull();
  });
});
