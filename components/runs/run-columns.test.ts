// Unit tests of the runs table's column choice and the URL order round trip.
import { describe, expect, it } from "vitest";
import type { Run } from "@/server/tracking/schema";
import { nextOrder, orderColumnOf, parseOrderParam, pickKeyColumns } from "./run-columns";

function run(metrics: string[], params: string[]): Run {
  return {
    info: {
      run_id: "r", run_uuid: "r", run_name: "r", experiment_id: "1", user_id: "u", status: "FINISHED",
      start_time: 0, artifact_uri: "", lifecycle_stage: "active",
    },
    data: {
      metrics: metrics.map((key) => ({ key, value: 1, timestamp: 0, step: 0 })),
      params: params.map((key) => ({ key, value: "1" })),
      tags: [],
    },
    inputs: { dataset_inputs: [] },
  };
}

describe("pickKeyColumns", () => {
  it("keeps first-seen order and at most 8 keys of each kind", () => {
    const keys = Array.from({ length: 12 }, (_, i) => `m${i}`);
    const picked = pickKeyColumns([run(["acc", "loss"], ["lr"]), run(keys, ["lr", "depth"])]);
    expect(picked.metricKeys).toEqual(["acc", "loss", "m0", "m1", "m2", "m3", "m4", "m5"]);
    expect(picked.paramKeys).toEqual(["lr", "depth"]);
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
  });
});
