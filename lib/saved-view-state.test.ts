// A saved compare view must bring back everything the compare page keeps in its link.
import { describe, expect, it } from "vitest";
import { compareStateToParams, parseCompareState } from "./compare-state";
import { VIEW_QUERY_KEYS, viewQueryOf } from "./saved-view-state";

describe("saved view state", () => {
  it("keeps every setting the compare page writes to its link", () => {
    const settings = Object.keys(compareStateToParams(parseCompareState(new URLSearchParams())));
    expect(settings.filter((key) => !VIEW_QUERY_KEYS.compare.includes(key))).toEqual([]);
  });

  it("takes a compare page's grouping, baseline and summary metric into the view, and leaves other parameters out", () => {
    const query = viewQueryOf("compare", new URLSearchParams("runs=a,b&group=params.lr&base=a&sm=loss&utm=x"));
    expect(query).toEqual({ runs: "a,b", group: "params.lr", base: "a", sm: "loss" });
  });

  it("takes the runs table's grouping into a runs view, with its filter, order, columns and open parents", () => {
    const query = viewQueryOf("runs", new URLSearchParams("filter=x&order=y&cols=metrics.acc&open=r1&group=params.lr&sel=r1&view=3"));
    expect(query).toEqual({ filter: "x", order: "y", cols: "metrics.acc", open: "r1", group: "params.lr" });
  });
});
