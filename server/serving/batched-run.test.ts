// Stacking several requests' feeds into one run and splitting the answers back: each request gets exactly its rows.
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { splitResults, stackFeeds } from "./batched-run";

const matrix = (rows: number[][]) => new ort.Tensor("float32", Float32Array.from(rows.flat()), [rows.length, rows[0]!.length]);

describe("stackFeeds and splitResults", () => {
  it("stacks requests of different row counts along the rows and splits each output back to its request", () => {
    const stacked = stackFeeds([{ x: matrix([[1, 2]]) }, { x: matrix([[3, 4], [5, 6]]) }, { x: matrix([[7, 8]]) }]);
    expect(stacked?.rows).toEqual([1, 2, 1]);
    expect(stacked?.feeds.x!.dims).toEqual([4, 2]);
    expect([...(stacked!.feeds.x!.data as Float32Array)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    const label = new ort.Tensor("int64", BigInt64Array.from([0n, 1n, 1n, 0n]), [4]);
    const probabilities = new ort.Tensor("float32", Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.3, 0.7, 0.6, 0.4]), [4, 2]);
    const names = new ort.Tensor("string", ["a", "b", "c", "d"], [4, 1]);
    const split = splitResults({ label, probabilities, names }, stacked!.rows);
    expect(split.map((r) => [...((r.label as ort.Tensor).data as BigInt64Array)])).toEqual([[0n], [1n, 1n], [0n]]);
    expect(split.map((r) => (r.probabilities as ort.Tensor).dims)).toEqual([[1, 2], [2, 2], [1, 2]]);
    expect([...((split[1]!.probabilities as ort.Tensor).data as Float32Array)].map((v) => Number(v.toFixed(2)))).toEqual([0.2, 0.8, 0.3, 0.7]);
    expect(split.map((r) => (r.names as ort.Tensor).data)).toEqual([["a"], ["b", "c"], ["d"]]);
  });

  it("refuses to stack requests the model would see differently: another width, type or set of inputs", () => {
    expect(stackFeeds([{ x: matrix([[1, 2]]) }, { x: matrix([[1, 2, 3]]) }])).toBeNull();
    expect(stackFeeds([{ x: matrix([[1, 2]]) }, { x: new ort.Tensor("float64", Float64Array.from([1, 2]), [1, 2]) }])).toBeNull();
    expect(stackFeeds([{ x: matrix([[1, 2]]) }, { x: matrix([[1, 2]]), y: matrix([[1]]) }])).toBeNull();
    expect(stackFeeds([{ x: matrix([[1, 2]]) }, { y: matrix([[1, 2]]) }])).toBeNull();
  });
});
