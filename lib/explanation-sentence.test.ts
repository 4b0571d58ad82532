import { describe, expect, it } from "vitest";
import { backgroundMeans, sentenceParts } from "./explanation-sentence";

describe("sentenceParts", () => {
  it("names the features that moved the score most, with their value against the background's mean", () => {
    const means = backgroundMeans([
      [1000, 5, "rent"],
      [2600, 15, "own"],
    ]);
    expect(means).toEqual([1800, 10, null]);
    const parts = sentenceParts(["income", "years", "housing"], [1200, 12, "own"], [-0.3, 0.05, 0.1], means);
    expect(parts).toEqual([
      { feature: "income", value: 1200, reference: 1800, relation: "below", direction: "down", contribution: -0.3 },
      { feature: "housing", value: "own", reference: null, relation: "is", direction: "up", contribution: 0.1 },
    ]);
  });

  it("says nothing when no feature moved the output", () => {
    expect(sentenceParts(["a"], [1], [0], [1])).toEqual([]);
  });
});
