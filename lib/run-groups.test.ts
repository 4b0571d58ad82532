// Grouped runs table: the link's group key, the order of groups, whole-group ticks, and the rows shown.
import { describe, expect, it } from "vitest";
import { flattenGroups, groupParam, groupSelectionState, orderGroups, parseGroupParam, toggleGroupSelection, type RunGroup } from "./run-groups";

function group(value: string | null, runIds: string[]): RunGroup {
  return { value, runCount: runIds.length, runIds, metrics: {} };
}

describe("group key in the link", () => {
  it("round-trips params and tags, keys with dots and spaces included", () => {
    for (const key of [{ kind: "param", key: "lr" }, { kind: "tag", key: "mlflow.source.type" }, { kind: "param", key: "batch size" }] as const) {
      expect(parseGroupParam(groupParam(key))).toEqual(key);
    }
  });
  it("ignores what names no param or tag", () => {
    for (const bad of [null, "", "lr", "metrics.acc", "params.", ".lr", "attributes.status"]) expect(parseGroupParam(bad)).toBeNull();
  });
});

describe("orderGroups", () => {
  it("orders numeric values as numbers and puts (none) last", () => {
    const ordered = orderGroups([group("0.1", []), group(null, []), group("10", []), group("2", []), group("1e-3", [])]);
    expect(ordered.map((g) => g.value)).toEqual(["1e-3", "0.1", "2", "10", null]);
  });
  it("orders text values by code point when any value is not a number", () => {
    expect(orderGroups([group("rf", []), group("10", []), group("Linear", []), group("gbm", [])]).map((g) => g.value)).toEqual(["10", "Linear", "gbm", "rf"]);
  });
  it("keeps the (none) group alone when no run has the key", () => {
    expect(orderGroups([group(null, ["a"])]).map((g) => g.value)).toEqual([null]);
  });
});

describe("whole-group selection", () => {
  it("says whether none, some or all of a group is ticked", () => {
    expect(groupSelectionState(["a", "b"], new Set())).toBe("none");
    expect(groupSelectionState(["a", "b"], new Set(["b", "z"]))).toBe("some");
    expect(groupSelectionState(["a", "b"], new Set(["a", "b"]))).toBe("all");
  });
  it("ticks a group's runs without duplicates and unticks only them", () => {
    expect(toggleGroupSelection(["z", "a"], ["a", "b"], true)).toEqual(["z", "a", "b"]);
    expect(toggleGroupSelection(["z", "a", "b"], ["a", "b"], false)).toEqual(["z"]);
  });
});

describe("flattenGroups", () => {
  const groups = [group("0.1", ["a", "b"]), group("0.2", ["c"]), group(null, ["d", "e", "f"])];
  it("shows only headers when every group is collapsed", () => {
    expect(flattenGroups(groups, new Set(), () => []).map((r) => r.type)).toEqual(["group", "group", "group"]);
  });
  it("puts an expanded group's runs under its header, and says when more runs are in it than were loaded", () => {
    const runs = new Map<string | null, string[]>([["0.1", ["a", "b"]], [null, ["d"]]]);
    const rows = flattenGroups(groups, new Set(["0.1", null]), (value) => runs.get(value));
    expect(rows.map((r) => (r.type === "group" ? `group ${r.group.value}` : r.type === "run" ? `run ${r.row}` : `more ${r.shown}/${r.total}`))).toEqual([
      "group 0.1",
      "run a",
      "run b",
      "group 0.2",
      "group null",
      "run d",
      "more 1/3",
    ]);
  });
});
