// The settling rules a labeller relies on: when an item counts as agreed, when it goes to a third person, when it stays disputed.
import { describe, expect, it } from "vitest";
import { agreementRate, itemVerdict } from "./labelling-agreement";

describe("itemVerdict", () => {
  it("takes the first label when one labeller is enough", () => {
    expect(itemVerdict([], 1)).toEqual({ status: "open", needed: 1 });
    expect(itemVerdict(["cat"], 1)).toEqual({ status: "agreed", label: "cat" });
  });
  it("waits for a second labeller, agrees when both match (numbers and their text alike)", () => {
    expect(itemVerdict([], 2)).toEqual({ status: "open", needed: 2 });
    expect(itemVerdict([1], 2)).toEqual({ status: "open", needed: 1 });
    expect(itemVerdict([1, "1"], 2)).toEqual({ status: "agreed", label: 1 });
  });
  it("sends a disagreement to a third labeller, whose label decides by majority or leaves it disputed", () => {
    expect(itemVerdict([0, 1], 2)).toEqual({ status: "open", needed: 1 });
    expect(itemVerdict([0, 1, 1], 2)).toEqual({ status: "agreed", label: 1 });
    expect(itemVerdict([0, 1, 0], 2)).toEqual({ status: "agreed", label: 0 });
    expect(itemVerdict(["a", "b", "c"], 2)).toEqual({ status: "disputed" });
  });
});

describe("agreementRate", () => {
  it("counts only items with two labels, comparing the first two", () => {
    expect(agreementRate([[1], []])).toEqual({ rate: null, pairs: 0, agreed: 0 });
    expect(agreementRate([[1, 1], [0, 1, 1], [2, 2, 5], ["x"]])).toEqual({ rate: 2 / 3, pairs: 3, agreed: 2 });
  });
});
