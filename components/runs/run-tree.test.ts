// Unit tests of the runs table's tree of nested runs and of tick / shift-click selection.
import { describe, expect, it } from "vitest";
import { makeRun } from "@/lib/testing/make-run";
import type { Run } from "@/server/tracking/schema";
import { flattenRunTree, toggleRunSelection } from "./run-tree";

const run = (id: string, parent?: string) => makeRun(id, {}, {}, parent ? { "mlflow.parentRunId": parent } : {}, id);

describe("flattenRunTree", () => {
  const children: Record<string, Run[]> = { sweep: [run("t1", "sweep"), run("t2", "sweep")], t2: [run("fold", "t2")] };
  const counts = { sweep: 2, t2: 1 };

  it("shows parents collapsed with their counts until expanded", () => {
    const rows = flattenRunTree([run("sweep"), run("solo")], counts, new Set(), (id) => children[id]);
    expect(rows.map((r) => [r.run.info.run_id, r.depth, r.childCount])).toEqual([
      ["sweep", 0, 2],
      ["solo", 0, 0],
    ]);
  });

  it("puts expanded children under their parent, indented, recursively", () => {
    const rows = flattenRunTree([run("sweep"), run("solo")], counts, new Set(["sweep", "t2"]), (id) => children[id]);
    expect(rows.map((r) => `${"  ".repeat(r.depth)}${r.run.info.run_id}`)).toEqual(["sweep", "  t1", "  t2", "    fold", "solo"]);
    expect(rows[1].parentId).toBe("sweep");
  });

  it("shows a run once even when parent tags form a cycle", () => {
    const cyclic: Record<string, Run[]> = { a: [run("b", "a")], b: [run("a", "b")] };
    const rows = flattenRunTree([run("a", "b")], { a: 1, b: 1 }, new Set(["a", "b"]), (id) => cyclic[id]);
    expect(rows.map((r) => r.run.info.run_id)).toEqual(["a", "b"]);
  });
});

describe("toggleRunSelection", () => {
  const order = ["r1", "r2", "r3", "r4", "r5"];

  it("ticks and unticks one run, keeping the order runs were chosen in", () => {
    expect(toggleRunSelection(["r3"], "r1", true, null)).toEqual(["r3", "r1"]);
    expect(toggleRunSelection(["r3", "r1"], "r3", false, null)).toEqual(["r1"]);
  });

  it("shift-click ticks every row between the last click and this one, in either direction", () => {
    expect(toggleRunSelection(["r2"], "r4", true, { anchor: "r2", order })).toEqual(["r2", "r3", "r4"]);
    expect(toggleRunSelection(["r5"], "r2", true, { anchor: "r5", order })).toEqual(["r5", "r2", "r3", "r4"]);
  });

  it("shift-click on a ticked box unticks the range", () => {
    expect(toggleRunSelection(["r1", "r2", "r3", "r4"], "r3", false, { anchor: "r1", order })).toEqual(["r4"]);
  });

  it("without an anchor still in view, shift-click ticks just the one run", () => {
    expect(toggleRunSelection([], "r3", true, { anchor: "gone", order })).toEqual(["r3"]);
    expect(toggleRunSelection([], "r3", true, { anchor: null, order })).toEqual(["r3"]);
  });
});
