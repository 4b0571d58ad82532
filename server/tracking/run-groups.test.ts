// The grouped runs table: groups by a param or tag with the right runs, counts and metric figures; one group's
// runs as a table page; and 5,000 runs grouped in one request.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { appRouter } from "../root-router";
import { mlflowWire } from "../testing/mlflow-client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";

describe.each(testBackends)("runs grouped by a param or tag on %s", (kind) => {
  let studio: TestStudio;
  let trpc: ReturnType<typeof appRouter.createCaller>;
  let experimentId: string;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    trpc = appRouter.createCaller({ ...studio, req: new Request("http://studio.test/api/trpc") });
    const api = mlflowWire(studio);
    experimentId = (await api.post("experiments/create", { name: "grouping" })).body.experiment_id as string;
    const runs: { name: string; lr?: string; model?: string; acc?: number; loss?: number }[] = [
      { name: "a", lr: "0.1", model: "rf", acc: 0.8, loss: 0.3 },
      { name: "b", lr: "0.1", model: "gbm", acc: 0.9, loss: 0.2 },
      { name: "c", lr: "0.01", model: "rf", acc: 0.7 },
      { name: "d", lr: "0.1", model: "rf" },
      { name: "e", model: "gbm", acc: 0.5 },
      { name: "gone", lr: "0.1", acc: 0.1 },
    ];
    for (const [i, run] of runs.entries()) {
      const created = await api.post("runs/create", { experiment_id: experimentId, run_name: run.name, start_time: 1000 + i });
      ids[run.name] = (created.body.run as { info: { run_id: string } }).info.run_id;
      await api.post("runs/log-batch", {
        run_id: ids[run.name],
        params: run.lr ? [{ key: "lr", value: run.lr }] : [],
        tags: run.model ? [{ key: "model", value: run.model }] : [],
        metrics: [
          ...(run.acc !== undefined ? [{ key: "acc", value: run.acc, timestamp: 1, step: 0 }] : []),
          ...(run.loss !== undefined ? [{ key: "loss", value: run.loss, timestamp: 1, step: 0 }] : []),
        ],
      });
    }
    await api.post("runs/delete", { run_id: ids.gone });
    // A diverged run's NaN, as the Python client logs it (JSON from JavaScript cannot carry one).
    await studio.db.execute(sql`insert into latest_metrics (run_uuid, key, value, timestamp, step) values (${ids.d}, 'acc', 'NaN'::float8, 1, 0)`);
  });
  afterAll(async () => studio.close());

  it("groups active runs by a param's value, numbers in numeric order, runs without it in (none), with each metric's mean and min–max", async () => {
    const { groups } = await trpc.tracking.runGroups({ experiment_ids: [experimentId], group_by: { kind: "param", key: "lr" }, metrics: ["acc", "loss"] });
    expect(groups.map((g) => [g.value, g.runCount])).toEqual([
      ["0.01", 1],
      ["0.1", 3],
      [null, 1],
    ]);
    const tenth = groups[1];
    // Newest first, as the table lists runs; the deleted run is in no group.
    expect(tenth.runIds).toEqual([ids.d, ids.b, ids.a]);
    // d's NaN accuracy is left out of the figures instead of making them NaN; loss has two runs.
    expect(tenth.metrics.acc.count).toBe(2);
    expect(tenth.metrics.acc.mean).toBeCloseTo(0.85, 12);
    expect([tenth.metrics.acc.min, tenth.metrics.acc.max]).toEqual([0.8, 0.9]);
    expect(tenth.metrics.loss).toEqual({ mean: expect.closeTo(0.25, 12) as number, min: 0.2, max: 0.3, count: 2 });
    expect(groups[0].metrics).toEqual({ acc: { mean: 0.7, min: 0.7, max: 0.7, count: 1 } });
    expect(groups[2].runIds).toEqual([ids.e]);
  });

  it("groups by a tag within a filter", async () => {
    const { groups } = await trpc.tracking.runGroups({ experiment_ids: [experimentId], filter: "params.lr = '0.1'", group_by: { kind: "tag", key: "model" }, metrics: ["acc"] });
    expect(groups.map((g) => [g.value, g.runIds.length, g.metrics.acc?.mean])).toEqual([
      ["gbm", 1, 0.9],
      ["rf", 2, 0.8],
    ]);
  });

  it("pages one group's runs, the (none) group included, as the table's rows", async () => {
    const columns = { metrics: ["acc"], params: ["lr"], tags: [] };
    const names = (page: { runs: { info: { run_name: string } }[] }) => page.runs.map((r) => r.info.run_name);
    const tenth = await trpc.tracking.runsTable({ experiment_ids: [experimentId], columns, order_by: ["attributes.run_name ASC"], group: { kind: "param", key: "lr", value: "0.1" } });
    expect(names(tenth)).toEqual(["a", "b", "d"]);
    const none = await trpc.tracking.runsTable({ experiment_ids: [experimentId], columns, group: { kind: "param", key: "lr", value: null } });
    expect(names(none)).toEqual(["e"]);
    // The group narrows the user's filter, never widens it.
    const filtered = await trpc.tracking.runsTable({ experiment_ids: [experimentId], columns, filter: "metrics.loss < 0.25", group: { kind: "param", key: "lr", value: "0.1" } });
    expect(names(filtered)).toEqual(["b"]);
  });

  it("says what to fix when the grouping is wrong", async () => {
    const bad = (input: object) => trpc.tracking.runGroups({ experiment_ids: [experimentId], metrics: [], ...input } as never);
    await expect(bad({ group_by: { kind: "metric", key: "acc" } })).rejects.toThrow(/param|tag/);
    await expect(bad({ group_by: { kind: "param", key: "" } })).rejects.toThrow(/Name the param or tag/);
    await expect(bad({ group_by: { kind: "param", key: "lr" }, filter: "metrics.acc >" })).rejects.toThrow(/Missing value after '>'/);
  });
});

describe.each(testBackends)("5,000 runs grouped on %s", (kind) => {
  const RUNS = 5000;
  let studio: TestStudio;
  let experimentId: string;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    const [experiment] = await queryRows<{ experiment_id: string }>(studio.db, sql`
      insert into experiments (name, artifact_location, creation_time, last_update_time)
      values ('sweep', 'mlflow-artifacts:/sweep', 1, 1) returning experiment_id::text`);
    experimentId = experiment.experiment_id;
    const runIds = Array.from({ length: RUNS }, (_, i) => `g${String(i).padStart(5, "0")}${"e".repeat(26)}`);
    // Set-based, as a sweep's runs would land: 10 learning rates, one accuracy each.
    await studio.db.execute(sql`
      insert into runs (run_uuid, experiment_id, name, user_id, status, start_time, lifecycle_stage, artifact_uri)
      select id, ${Number(experimentId)}, 'sweep-' || i, 'test', 'FINISHED', 1000 + i, 'active', 'mlflow-artifacts:/sweep/' || id
      from unnest(${sql.param(runIds)}::text[]) with ordinality as u(id, i)`);
    await studio.db.execute(sql`
      insert into params (run_uuid, key, value) select id, 'lr', '0.' || (i % 10) from unnest(${sql.param(runIds)}::text[]) with ordinality as u(id, i)`);
    await studio.db.execute(sql`
      insert into latest_metrics (run_uuid, key, value, timestamp, step)
      select id, 'acc', (i % 10) / 10.0 + (i % 7) / 100.0, 1, 0 from unnest(${sql.param(runIds)}::text[]) with ordinality as u(id, i)`);
  });
  afterAll(async () => studio.close());

  it("returns ten groups of 500 runs with their figures in one request", async () => {
    const trpc = appRouter.createCaller({ ...studio, req: new Request("http://studio.test/api/trpc") });
    const started = performance.now();
    const { groups } = await trpc.tracking.runGroups({ experiment_ids: [experimentId], group_by: { kind: "param", key: "lr" }, metrics: ["acc"] });
    const ms = performance.now() - started;
    console.log(`runGroups over ${RUNS} runs on ${kind}: ${ms.toFixed(0)} ms`);
    expect(groups.map((g) => g.value)).toEqual(["0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"]);
    expect(groups.every((g) => g.runCount === 500 && g.runIds.length === 500)).toBe(true);
    expect(groups[3].metrics.acc.min).toBeCloseTo(0.3, 12);
    expect(groups[3].metrics.acc.max).toBeCloseTo(0.36, 12);
  });
});
