// Unit tests of the runs table's column choice and the URL order round trip.
import { describe, expect, it } from "vitest";
import {
  columnSelection,
  columnsParam,
  defaultColumns,
  nextOrder,
  orderColumnOf,
  parseColumnId,
  parseColumnsParam,
  parseOrderParam,
} from "./run-columns";

describe("key columns in the URL", () => {
  it("round-trips chosen columns, keys with dots and commas included", () => {
    const columns = [
      { kind: "metric" as const, key: "val.acc" },
      { kind: "param" as const, key: "layers, hidden" },
      { kind: "tag" as const, key: "team" },
    ];
    expect(parseColumnsParam(columnsParam(columns))).toEqual(columns);
    expect(parseColumnId("metrics.val.acc")).toEqual({ kind: "metric", key: "val.acc" });
  });

  it("tells no choice (defaults) from an empty choice, and drops ids it cannot read", () => {
    expect(parseColumnsParam(null)).toBeNull();
    expect(parseColumnsParam(columnsParam([]))).toEqual([]);
    expect(parseColumnsParam("metrics.acc,weights.x,params.")).toEqual([{ kind: "metric", key: "acc" }]);
  });

  it("defaults to the first 8 metrics and params, and asks the server for the chosen keys only", () => {
    const metrics = Array.from({ length: 12 }, (_, i) => `m${String(i).padStart(2, "0")}`);
    const defaults = defaultColumns({ metrics, params: ["depth", "lr"] });
    expect(defaults.map((c) => c.key)).toEqual([...metrics.slice(0, 8), "depth", "lr"]);
    expect(columnSelection(defaults)).toEqual({ metrics: metrics.slice(0, 8), params: ["depth", "lr"], tags: [] });
  });
});

describe("order", () => {
  it("defaults to newest first", () => {
    expect(parseOrderParam(null)).toEqual({ column: "attributes.start_time", ascending: false });
  });
  it("round-trips through the URL value and quotes keys", () => {
    const value = nextOrder(parseOrderParam(null), { kind: "metric", key: "val loss" });
    expect(value).toBe("metrics.`val loss` DESC");
    expect(parseOrderParam(value)).toEqual({ column: orderColumnOf({ kind: "metric", key: "val loss" }), ascending: false });
    expect(nextOrder(parseOrderParam(value), { kind: "metric", key: "val loss" })).toBe("metrics.`val loss` ASC");
  });
  it("starts names and params ascending", () => {
    expect(nextOrder(parseOrderParam(null), { kind: "attribute", key: "run_name" })).toBe("attributes.run_name ASC");
    expect(nextOrder(parseOrderParam(null), { kind: "param", key: "lr" })).toBe("params.`lr` ASC");
    expect(nextOrder(parseOrderParam(null), { kind: "tag", key: "team" })).toBe("tags.`team` ASC");
  });
});
