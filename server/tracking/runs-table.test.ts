// The runs table's data: the keys its column chooser offers, and pages that carry only the chosen columns.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../root-router";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { exportRunsCsv } from "./runs-export";

describe.each(testBackends)("runs table on %s", (kind) => {
  let studio: TestStudio;
  let trpc: ReturnType<typeof appRouter.createCaller>;
  let experimentId: string;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    trpc = appRouter.createCaller({ ...studio, req: new Request("http://studio.test/api/trpc") });
    const api = mlflowWire(studio);
    experimentId = (await api.post("experiments/create", { name: "columns" })).body.experiment_id as string;
    const runs = [
      { name: "a", params: { lr: "0.1", "batch size": "32" }, metrics: { acc: 0.8, loss: 0.3 }, tags: { team: "vision" } },
      { name: "b", params: { lr: "0.01", depth: "4" }, metrics: { acc: 0.9, f1: 0.7 }, tags: { team: "nlp" } },
      { name: "gone", params: { secret_param: "1" }, metrics: { secret_metric: 1 }, tags: {} },
    ];
    for (const run of runs) {
      const created = await api.post("runs/create", { experiment_id: experimentId, run_name: run.name, start_time: 1 });
      const runId = (created.body.run as { info: { run_id: string } }).info.run_id;
      await api.post("runs/log-batch", {
        run_id: runId,
        params: Object.entries(run.params).map(([key, value]) => ({ key, value })),
        metrics: Object.entries(run.metrics).map(([key, value]) => ({ key, value, timestamp: 1, step: 0 })),
        tags: Object.entries(run.tags).map(([key, value]) => ({ key, value })),
      });
      if (run.name === "gone") await api.post("runs/delete", { run_id: runId });
    }
  });
  afterAll(async () => studio.close());

  it("lists every key of the active runs, sorted, and none of a deleted run's", async () => {
    const keys = await trpc.tracking.runKeys({ experimentIds: [experimentId] });
    expect(keys.metrics).toEqual(["acc", "f1", "loss"]);
    expect(keys.params).toEqual(["batch size", "depth", "lr"]);
    // MLflow's system tags (the run name) are listed too; the page decides which to show.
    expect(keys.tags).toContain("team");
    expect(keys.tags).not.toContain("secret_param");
  });

  it("loads only the chosen columns for each run of the page", async () => {
    const page = await trpc.tracking.runsTable({
      experiment_ids: [experimentId],
      order_by: ["metrics.acc DESC"],
      columns: { metrics: ["acc"], params: ["batch size"], tags: [] },
    });
    expect(page.runs.map((r) => r.info.run_name)).toEqual(["b", "a"]);
    expect(page.runs.map((r) => r.data.metrics.map((m) => [m.key, m.value]))).toEqual([[["acc", 0.9]], [["acc", 0.8]]]);
    expect(page.runs.map((r) => r.data.params)).toEqual([[], [{ key: "batch size", value: "32" }]]);
    expect(page.runs.every((r) => r.data.tags.length === 0)).toBe(true);
  });

  it("exports the view as CSV: same filter, order and chosen columns, formulas kept as text", async () => {
    const { csv, rows, truncated } = await exportRunsCsv(
      studio,
      { experiment_ids: experimentId, filter: "metrics.acc > 0.5", order: "metrics.acc ASC", cols: "metrics.acc,params.batch size,tags.team" },
    );
    expect(rows).toBe(2);
    expect(truncated).toBe(false);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("run_id,run_name,status,user,start_time,end_time,duration_s,metrics.acc,params.batch size,tags.team");
    expect(lines.slice(1).map((line) => line.split(",").slice(1, 2).concat(line.split(",").slice(7)))).toEqual([
      ["a", "0.8", "32", "vision"],
      ["b", "0.9", "", "nlp"],
    ]);
    await expect(exportRunsCsv(studio, { experiment_ids: experimentId, cols: "weights.x" })).rejects.toThrow(
      /not metrics.<key>, params.<key> or tags.<key>/,
    );
    await expect(exportRunsCsv(studio, { experiment_ids: experimentId, filter: "metrics.acc >" })).rejects.toThrow();
  });

  it("says what to fix when the input is wrong", async () => {
    await expect(trpc.tracking.runKeys({ experimentIds: [] })).rejects.toThrow(/at least one experiment/);
    await expect(trpc.tracking.runKeys({ experimentIds: ["abc"] })).rejects.toThrow(/experiment id/);
    const tooMany = Array.from({ length: 501 }, (_, i) => `m${i}`);
    await expect(
      trpc.tracking.runsTable({ experiment_ids: [experimentId], columns: { metrics: tooMany, params: [], tags: [] } }),
    ).rejects.toThrow(/at most 500 columns/);
  });
});

describe.each(testBackends)("nested runs in the runs table on %s", (kind) => {
  let studio: TestStudio;
  let trpc: ReturnType<typeof appRouter.createCaller>;
  let experimentId: string;
  const ids: Record<string, string> = {};
  const columns = { metrics: ["acc"], params: [], tags: [] };
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    trpc = appRouter.createCaller({ ...studio, req: new Request("http://studio.test/api/trpc") });
    const api = mlflowWire(studio);
    experimentId = (await api.post("experiments/create", { name: "sweeps" })).body.experiment_id as string;
    // sweep → trial-1, trial-2 (→ fold-a); gone-parent (deleted) → orphan; solo on its own.
    const runs: { name: string; parent?: string; acc: number }[] = [
      { name: "sweep", acc: 0.5 },
      { name: "trial-1", parent: "sweep", acc: 0.7 },
      { name: "trial-2", parent: "sweep", acc: 0.9 },
      { name: "fold-a", parent: "trial-2", acc: 0.95 },
      { name: "gone-parent", acc: 0.1 },
      { name: "orphan", parent: "gone-parent", acc: 0.2 },
      { name: "solo", acc: 0.6 },
    ];
    for (const run of runs) {
      const tags = run.parent ? [{ key: "mlflow.parentRunId", value: ids[run.parent] }] : [];
      const created = await api.post("runs/create", { experiment_id: experimentId, run_name: run.name, start_time: 1, tags });
      ids[run.name] = (created.body.run as { info: { run_id: string } }).info.run_id;
      await api.post("runs/log-metric", { run_id: ids[run.name], key: "acc", value: run.acc, timestamp: 1, step: 0 });
    }
    await api.post("runs/delete", { run_id: ids["gone-parent"] });
  });
  afterAll(async () => studio.close());

  const names = (page: { runs: { info: { run_name: string } }[] }) => page.runs.map((r) => r.info.run_name);

  it("collapsed, lists only top-level runs with their count of nested runs; a run whose parent is deleted stays reachable", async () => {
    const page = await trpc.tracking.runsTable({ experiment_ids: [experimentId], order_by: ["attributes.run_name ASC"], columns, nesting: "top-level" });
    expect(names(page)).toEqual(["orphan", "solo", "sweep"]);
    expect(page.child_counts).toEqual({ [ids.sweep]: 2 });
  });

  it("expanding a parent lists its children, each with its own nested count", async () => {
    const page = await trpc.tracking.runsTable({
      experiment_ids: [experimentId],
      filter: `tags.\`mlflow.parentRunId\` = '${ids.sweep}'`,
      order_by: ["metrics.acc DESC"],
      columns,
    });
    expect(names(page)).toEqual(["trial-2", "trial-1"]);
    expect(page.child_counts).toEqual({ [ids["trial-2"]]: 1 });
    // The parent tag comes with each run, whatever columns were chosen, so the table can say where a run sits.
    expect(page.runs[0].data.tags).toEqual([{ key: "mlflow.parentRunId", value: ids.sweep }]);
  });

  it("a filter still finds nested runs, flat", async () => {
    const page = await trpc.tracking.runsTable({ experiment_ids: [experimentId], filter: "metrics.acc > 0.8", order_by: ["metrics.acc DESC"], columns });
    expect(names(page)).toEqual(["fold-a", "trial-2"]);
  });
});

describe.each(testBackends)("runs by id on %s", (kind) => {
  it("returns the runs asked for in that order, leaving out unknown ids", async () => {
    const studio = await createTestStudio(kind);
    try {
      const trpc = appRouter.createCaller({ ...studio, req: new Request("http://studio.test/api/trpc") });
      const api = mlflowWire(studio);
      const ids: string[] = [];
      for (const name of ["first", "second"]) {
        const created = await api.post("runs/create", { experiment_id: "0", run_name: name, start_time: 1 });
        ids.push((created.body.run as { info: { run_id: string } }).info.run_id);
      }
      const runs = await trpc.tracking.runsByIds({ runIds: [ids[1], "ffffffffffffffffffffffffffffffff", ids[0]] });
      expect(runs.map((r) => r.info.run_name)).toEqual(["second", "first"]);
      await expect(trpc.tracking.runsByIds({ runIds: [] })).rejects.toThrow(/at least one run/);
    } finally {
      await studio.close();
    }
  });
});
