// Unit tests of the runs table's column groups, pinned columns and their sticky offsets.
import { describe, expect, it } from "vitest";
import { columnWidth, stickyOffsets, tableColumnGroups, togglePinned } from "./run-table-layout";

const columns = [
  { kind: "param" as const, key: "lr" },
  { kind: "metric" as const, key: "acc" },
  { kind: "tag" as const, key: "team" },
  { kind: "metric" as const, key: "loss" },
];

describe("runs table layout", () => {
  it("groups key columns as Metrics, Params, Tags after the run's details, whatever order they were chosen in", () => {
    const groups = tableColumnGroups(columns, { widths: {}, pinned: [] }, false);
    expect(groups.map((g) => [g.title, g.columnIds])).toEqual([
      [null, ["select", "name"]],
      ["Run", ["status", "start", "duration", "user"]],
      ["Metrics", ["metrics.acc", "metrics.loss"]],
      ["Params", ["params.lr"]],
      ["Tags", ["tags.team"]],
    ]);
  });

  it("adds the Experiment column when runs of several experiments are shown", () => {
    const run = tableColumnGroups(columns, { widths: {}, pinned: [] }, true).find((g) => g.title === "Run");
    expect(run?.columnIds[0]).toBe("experiment");
  });

  it("moves pinned columns beside the name, sticky at the summed widths of the columns before them", () => {
    const layout = togglePinned(togglePinned({ widths: { name: 300 }, pinned: [] }, "params.lr"), "metrics.loss");
    const groups = tableColumnGroups(columns, layout, false);
    expect(groups[1]).toEqual({ title: "Pinned", columnIds: ["params.lr", "metrics.loss"] });
    expect(groups.find((g) => g.title === "Metrics")?.columnIds).toEqual(["metrics.acc"]);
    const offsets = stickyOffsets(groups, layout);
    const select = columnWidth(layout, "select");
    expect([...offsets]).toEqual([
      ["select", 0],
      ["name", select],
      ["params.lr", select + 300],
      ["metrics.loss", select + 300 + columnWidth(layout, "params.lr")],
    ]);
    expect(togglePinned(layout, "params.lr").pinned).toEqual(["metrics.loss"]);
  });

  it("ignores a pinned column that is no longer shown", () => {
    const groups = tableColumnGroups(columns, { widths: {}, pinned: ["metrics.gone"] }, false);
    expect(groups.some((g) => g.title === "Pinned")).toBe(false);
  });
});
