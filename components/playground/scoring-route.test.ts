// Single rows on the page, everything else in the worker.
import { describe, expect, it } from "vitest";
import { feedRows, scoringPlace } from "./scoring-route";

const floats = (dims: number[]) => ({ type: "float32" as const, data: new Float32Array(dims.reduce((a, b) => a * b, 1)), dims });

describe("scoringPlace", () => {
  it("sends one row to the page and batches to the worker", () => {
    expect(scoringPlace({ input: floats([1, 30]) })).toBe("page");
    expect(scoringPlace({ input: floats([2, 30]) })).toBe("worker");
    expect(scoringPlace({ input: floats([10_000, 30]) })).toBe("worker");
  });

  it("counts rows on the first dimension of multi-input feeds, strings included", () => {
    const feeds = { age: floats([1, 1]), city: { type: "string" as const, data: ["Lyon"], dims: [1, 1] } };
    expect(feedRows(feeds)).toBe(1);
    expect(scoringPlace(feeds)).toBe("page");
    expect(feedRows({ age: floats([50, 1]), city: { type: "string" as const, data: Array(50).fill("Lyon"), dims: [50, 1] } })).toBe(50);
  });

  it("treats a scalar as one row and no feeds or zero rows as not a single row", () => {
    expect(feedRows({ x: { type: "float32", data: new Float32Array(1), dims: [] } })).toBe(1);
    expect(feedRows({})).toBe(0);
    expect(scoringPlace({})).toBe("worker");
    expect(scoringPlace({ input: floats([0, 30]) })).toBe("worker");
  });
});
