// MLflow conformance of the run endpoints: create/get/update/delete/restore, logging and its rules, on every backend.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { expectMlflowError } from "../testing/expect-mlflow-error";

type Api = ReturnType<typeof mlflowWire>;
interface KV {
  key: string;
  value: string;
}
interface WireMetric {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}
interface WireRun {
  info: {
    run_id: string;
    run_uuid: string;
    run_name: string;
    experiment_id: string;
    user_id: string;
    status: string;
    start_time: number;
    end_time?: number;
    artifact_uri: string;
    lifecycle_stage: string;
  };
  data: { metrics?: WireMetric[]; params?: KV[]; tags?: KV[] };
  inputs?: { dataset_inputs?: { tags?: KV[]; dataset: Record<string, string> }[] };
}


const tagMap = (run: WireRun) => Object.fromEntries((run.data.tags ?? []).map((t) => [t.key, t.value]));
const paramMap = (run: WireRun) => Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value]));
const metricMap = (run: WireRun) => Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m]));

describe.each(testBackends)("runs REST API on %s", (kind) => {
  let studio: TestStudio;
  let api: Api;
  let experimentId: string;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    api = mlflowWire(studio);
    experimentId = (await api.post("experiments/create", { name: "runs" })).body.experiment_id as string;
  });
  afterAll(async () => studio.close());

  async function newRun(extra: Record<string, unknown> = {}): Promise<WireRun> {
    const res = await api.post("runs/create", { experiment_id: experimentId, start_time: Date.now(), ...extra });
    expect(res.status, res.text).toBe(200);
    return res.body.run as WireRun;
  }
  async function getRun(runId: string): Promise<WireRun> {
    const res = await api.get("runs/get", { run_id: runId });
    expect(res.status, res.text).toBe(200);
    return res.body.run as WireRun;
  }
  async function count(table: "params" | "tags" | "metrics" | "latest_metrics", runId: string): Promise<number> {
    const rows = await queryRows<{ n: string | number }>(studio.db, sql`select count(*) as n from ${sql.raw(table)} where run_uuid = ${runId}`);
    return Number(rows[0].n);
  }

  it("creates a run as the Python client does and returns MLflow's run shape", async () => {
    const run = await newRun({
      run_name: "first",
      start_time: "1700000000000",
      user_id: "alice",
      tags: [{ key: "mlflow.source.name", value: "train.py" }, { key: "mlflow.source.type", value: "LOCAL" }],
    });
    expect(run.info).toMatchObject({
      run_name: "first",
      experiment_id: experimentId,
      status: "RUNNING",
      start_time: 1700000000000,
      lifecycle_stage: "active",
      user_id: "alice",
    });
    expect(run.info.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(run.info.run_uuid).toBe(run.info.run_id);
    expect(run.info.end_time).toBeUndefined();
    expect(run.info.artifact_uri).toBe(`mlflow-artifacts:/${experimentId}/${run.info.run_id}/artifacts`);
    expect(tagMap(run)).toMatchObject({ "mlflow.runName": "first", "mlflow.user": "alice", "mlflow.source.name": "train.py" });
    const again = await getRun(run.info.run_id);
    expect(again.info).toEqual(run.info);
    const byUuid = await api.get("runs/get", { run_uuid: run.info.run_id });
    expect((byUuid.body.run as WireRun).info.run_id).toBe(run.info.run_id);
  });

  it("names a run from the mlflow.runName tag, or generates a name", async () => {
    const tagged = await newRun({ tags: [{ key: "mlflow.runName", value: "from-tag" }] });
    expect(tagged.info.run_name).toBe("from-tag");
    const unnamed = await newRun();
    expect(unnamed.info.run_name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(tagMap(unnamed)["mlflow.runName"]).toBe(unnamed.info.run_name);
    expectMlflowError(
      await api.post("runs/create", { experiment_id: experimentId, run_name: "a", tags: [{ key: "mlflow.runName", value: "b" }] }),
      400,
      "INVALID_PARAMETER_VALUE",
      /run_name/,
    );
  });

  it("puts a run without experiment_id into the Default experiment", async () => {
    const res = await api.post("runs/create", { start_time: 1 });
    expect(res.status, res.text).toBe(200);
    expect((res.body.run as WireRun).info.experiment_id).toBe("0");
  });

  it("answers run creation and lookup errors with MLflow's codes", async () => {
    expectMlflowError(await api.post("runs/create", { experiment_id: "987654" }), 404, "RESOURCE_DOES_NOT_EXIST", /987654/);
    expectMlflowError(await api.post("runs/create", { experiment_id: experimentId, start_time: "soon" }), 400, "INVALID_PARAMETER_VALUE", /start_time/);
    expectMlflowError(await api.post("runs/create", { experiment_id: experimentId, tags: [{ key: "a//b", value: "x" }] }), 400, "INVALID_PARAMETER_VALUE", /a\/\/b/);
    expectMlflowError(await api.get("runs/get", { run_id: "0123456789abcdef0123456789abcdef" }), 404, "RESOURCE_DOES_NOT_EXIST", /0123456789abcdef/);
    expectMlflowError(await api.get("runs/get", {}), 400, "INVALID_PARAMETER_VALUE", /run_id/);
    expectMlflowError(await api.get("runs/get", { run_id: "../etc" }), 400, "INVALID_PARAMETER_VALUE", /run_id/);
  });

  it("updates a run's status, end time and name (with its mlflow.runName tag)", async () => {
    const run = await newRun({ run_name: "old" });
    const res = await api.post("runs/update", {
      run_id: run.info.run_id,
      run_uuid: run.info.run_id,
      status: "FINISHED",
      end_time: String(run.info.start_time + 5000),
      run_name: "new",
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.run_info).toMatchObject({ run_id: run.info.run_id, status: "FINISHED", end_time: run.info.start_time + 5000, run_name: "new" });
    const after = await getRun(run.info.run_id);
    expect(after.info.run_name).toBe("new");
    expect(tagMap(after)["mlflow.runName"]).toBe("new");
    // Status alone keeps the name.
    const failed = await api.post("runs/update", { run_id: run.info.run_id, status: "FAILED" });
    expect(failed.body.run_info).toMatchObject({ status: "FAILED", run_name: "new", end_time: run.info.start_time + 5000 });

    expectMlflowError(await api.post("runs/update", { run_id: run.info.run_id, status: "DONE" }), 400, "INVALID_PARAMETER_VALUE", /status/);
    expectMlflowError(await api.post("runs/update", { status: "FINISHED" }), 400, "INVALID_PARAMETER_VALUE", /run_id/);
    expectMlflowError(await api.post("runs/update", { run_id: "0123456789abcdef0123456789abcdef", status: "FINISHED" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("renames a run when the mlflow.runName tag is set", async () => {
    const run = await newRun({ run_name: "tagged-old" });
    expect((await api.post("runs/set-tag", { run_id: run.info.run_id, key: "mlflow.runName", value: "tagged-new" })).status).toBe(200);
    expect((await getRun(run.info.run_id)).info.run_name).toBe("tagged-new");
  });

  it("deletes and restores runs; deleted runs refuse writes and are hidden from search unless asked", async () => {
    const run = await newRun({ run_name: "to-delete" });
    const id = run.info.run_id;
    expect((await api.post("runs/delete", { run_id: id })).status).toBe(200);
    expect((await getRun(id)).info.lifecycle_stage).toBe("deleted");
    const names = async (runViewType?: string) => {
      const res = await api.post("runs/search", {
        experiment_ids: [experimentId],
        filter: "attributes.run_name = 'to-delete'",
        ...(runViewType ? { run_view_type: runViewType } : {}),
      });
      expect(res.status, res.text).toBe(200);
      return ((res.body.runs ?? []) as WireRun[]).map((r) => r.info.run_id);
    };
    expect(await names()).toEqual([]);
    expect(await names("ACTIVE_ONLY")).toEqual([]);
    expect(await names("DELETED_ONLY")).toEqual([id]);
    expect(await names("ALL")).toEqual([id]);

    expectMlflowError(await api.post("runs/log-parameter", { run_id: id, key: "p", value: "1" }), 400, "INVALID_PARAMETER_VALUE", /active/);
    expectMlflowError(await api.post("runs/update", { run_id: id, status: "FINISHED" }), 400, "INVALID_PARAMETER_VALUE", /active/);
    expectMlflowError(await api.post("runs/delete-tag", { run_id: id, key: "mlflow.runName" }), 400, "INVALID_PARAMETER_VALUE", /active/);

    expect((await api.post("runs/restore", { run_id: id })).status).toBe(200);
    expect((await getRun(id)).info.lifecycle_stage).toBe("active");
    expect(await names()).toEqual([id]);
    expectMlflowError(await api.post("runs/delete", { run_id: "0123456789abcdef0123456789abcdef" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.post("runs/restore", { run_id: "0123456789abcdef0123456789abcdef" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.post("runs/delete", {}), 400, "INVALID_PARAMETER_VALUE", /run_id/);
  });

  it("logs single metrics, params and tags as the Python client sends them", async () => {
    const id = (await newRun()).info.run_id;
    const ok = async (endpoint: string, body: Record<string, unknown>) => {
      const res = await api.post(endpoint, { run_id: id, run_uuid: id, ...body });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({});
    };
    await ok("runs/log-metric", { key: "loss", value: 0.5, timestamp: 1000, step: 0 });
    await ok("runs/log-metric", { key: "loss", value: "0.25", timestamp: "2000", step: "1" });
    await ok("runs/log-metric", { key: "no_step", value: 3, timestamp: 1000 });
    await ok("runs/log-parameter", { key: "lr", value: "0.01" });
    await ok("runs/log-parameter", { key: "lr", value: "0.01" });
    await ok("runs/set-tag", { key: "team", value: "a" });
    await ok("runs/set-tag", { key: "team", value: "b" });
    const run = await getRun(id);
    expect(metricMap(run).loss).toEqual({ key: "loss", value: 0.25, timestamp: 2000, step: 1 });
    expect(metricMap(run).no_step).toEqual({ key: "no_step", value: 3, timestamp: 1000, step: 0 });
    expect(paramMap(run)).toEqual({ lr: "0.01" });
    expect(tagMap(run).team).toBe("b");

    expectMlflowError(await api.post("runs/log-parameter", { run_id: id, key: "lr", value: "0.02" }), 400, "INVALID_PARAMETER_VALUE", /lr.*0\.01.*0\.02/);
    expect(paramMap(await getRun(id))).toEqual({ lr: "0.01" });

    await ok("runs/delete-tag", { key: "team" });
    expect(tagMap(await getRun(id)).team).toBeUndefined();
    expectMlflowError(await api.post("runs/delete-tag", { run_id: id, key: "team" }), 404, "RESOURCE_DOES_NOT_EXIST", /team/);
    expectMlflowError(await api.post("runs/delete-tag", { run_id: "0123456789abcdef0123456789abcdef", key: "team" }), 404, "RESOURCE_DOES_NOT_EXIST");

    expectMlflowError(await api.post("runs/log-metric", { run_id: id, key: "m", timestamp: 1 }), 400, "INVALID_PARAMETER_VALUE", /value/);
    expectMlflowError(await api.post("runs/log-metric", { run_id: id, key: "m", value: 1 }), 400, "INVALID_PARAMETER_VALUE", /timestamp/);
    expectMlflowError(await api.post("runs/log-metric", { run_id: id, key: "m", value: "high", timestamp: 1 }), 400, "INVALID_PARAMETER_VALUE", /value/);
    expectMlflowError(await api.post("runs/log-metric", { run_id: id, key: "m", value: 1, timestamp: -5 }), 400, "INVALID_PARAMETER_VALUE", /timestamp/);
    expectMlflowError(await api.post("runs/log-metric", { run_id: id, key: "m", value: true, timestamp: 1 }), 400, "INVALID_PARAMETER_VALUE", /value/);
    expectMlflowError(await api.post("runs/log-metric", { run_id: id, key: "m", value: 1, timestamp: 1, step: 1.5 }), 400, "INVALID_PARAMETER_VALUE", /step/);
    expectMlflowError(await api.post("runs/log-metric", { run_id: "0123456789abcdef0123456789abcdef", key: "m", value: 1, timestamp: 1 }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.post("runs/log-parameter", { run_id: id, key: "p" }), 400, "INVALID_PARAMETER_VALUE", /value/);
    expectMlflowError(await api.post("runs/log-parameter", { run_id: id, value: "v" }), 400, "INVALID_PARAMETER_VALUE", /key/);
    expectMlflowError(await api.post("runs/set-tag", { key: "k", value: "v" }), 400, "INVALID_PARAMETER_VALUE", /run_id/);
    expect(await count("metrics", id)).toBe(3);
  });

  it("keeps as latest metric the point with the greatest (step, timestamp, value)", async () => {
    const id = (await newRun()).info.run_id;
    const res = await api.post("runs/log-batch", {
      run_id: id,
      metrics: [
        { key: "acc", value: 0.9, timestamp: 50, step: 3 },
        { key: "acc", value: 0.1, timestamp: 99, step: 2 },
        { key: "acc", value: 0.7, timestamp: 50, step: 3 },
        { key: "acc", value: 0.8, timestamp: 10, step: 3 },
      ],
    });
    expect(res.status, res.text).toBe(200);
    expect(metricMap(await getRun(id)).acc).toEqual({ key: "acc", value: 0.9, timestamp: 50, step: 3 });
    // A later batch with a smaller step does not replace it; a larger step does.
    await api.post("runs/log-metric", { run_id: id, key: "acc", value: 1, timestamp: 1000, step: 1 });
    expect(metricMap(await getRun(id)).acc.value).toBe(0.9);
    await api.post("runs/log-metric", { run_id: id, key: "acc", value: 0.2, timestamp: 1, step: 4 });
    expect(metricMap(await getRun(id)).acc).toEqual({ key: "acc", value: 0.2, timestamp: 1, step: 4 });
  });

  it("keeps as latest metric what the database itself ranks greatest over the stored history, NaN and ±Infinity included", async () => {
    const id = (await newRun()).info.run_id;
    // Ties on step and timestamp decided by the value, within batches and across them; NaN ranks above Infinity. Each
    // batch's points are all new (distinct, over its own steps), as a training loop sends them; later batches go back
    // and forth in steps, so some must not replace the latest value and some must.
    const special = ["NaN", "Infinity", "-Infinity"];
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (const firstStep of [50, 10, 60, 0, 30, 70, 65]) {
      const metrics = new Map<string, { key: string; value: number | string; timestamp: number; step: number }>();
      while (metrics.size < 200) {
        const pick = next() % 12;
        const point = { key: `k${next() % 5}`, value: pick < 3 ? special[pick] : (next() % 1000) / 8 - 60, timestamp: 1_000 + (next() % 3), step: firstStep + (next() % 4) };
        metrics.set(JSON.stringify(point), point);
      }
      const res = await api.post("runs/log-batch", { run_id: id, metrics: [...metrics.values()] });
      expect(res.status, res.text).toBe(200);
    }
    // And one all-new batch whose ties at the top step and timestamp are decided by NaN and ±Infinity alone.
    const top = (key: string, value: number | string) => ({ key, value, timestamp: 2_000, step: 100 });
    const ties = [top("k0", 5), top("k0", "NaN"), top("k0", "Infinity"), top("k1", "Infinity"), top("k1", 5), top("k2", "-Infinity"), top("k2", -5)];
    expect((await api.post("runs/log-batch", { run_id: id, metrics: ties })).status).toBe(200);
    const expected = await queryRows<{ key: string; step: string | number; timestamp: string | number; value: number | string }>(studio.db, sql`
      select distinct on (key) key, step, timestamp, value::text as value from metrics where run_uuid = ${id}
      order by key, step desc, timestamp desc, metrics.value desc`);
    const stored = await queryRows<{ key: string; step: string | number; timestamp: string | number; value: number | string }>(studio.db, sql`
      select key, step, timestamp, value::text as value from latest_metrics where run_uuid = ${id} order by key`);
    expect(expected).toHaveLength(5);
    expect(stored.map((r) => ({ ...r, step: Number(r.step), timestamp: Number(r.timestamp) }))).toEqual(
      expected.map((r) => ({ ...r, step: Number(r.step), timestamp: Number(r.timestamp) })),
    );
  });

  it("log-batch: params are immutable and a refused batch writes nothing", async () => {
    const id = (await newRun()).info.run_id;
    const first = await api.post("runs/log-batch", { run_id: id, params: [{ key: "lr", value: "0.1" }] });
    expect(first.status, first.text).toBe(200);
    const before = { params: await count("params", id), tags: await count("tags", id), metrics: await count("metrics", id) };
    const refused = await api.post("runs/log-batch", {
      run_id: id,
      metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }],
      params: [{ key: "depth", value: "3" }, { key: "lr", value: "0.2" }],
      tags: [{ key: "t", value: "x" }],
    });
    expectMlflowError(refused, 400, "INVALID_PARAMETER_VALUE", /lr/);
    expect({ params: await count("params", id), tags: await count("tags", id), metrics: await count("metrics", id) }).toEqual(before);
    expect(await count("latest_metrics", id)).toBe(0);
    // The same value again is fine, and the rest of that batch is then written.
    const same = await api.post("runs/log-batch", { run_id: id, params: [{ key: "lr", value: "0.1" }, { key: "depth", value: "3" }] });
    expect(same.status, same.text).toBe(200);
    expect(paramMap(await getRun(id))).toEqual({ lr: "0.1", depth: "3" });
    // Two values for one key in one request are refused too.
    expectMlflowError(
      await api.post("runs/log-batch", { run_id: id, params: [{ key: "new", value: "1" }, { key: "new", value: "2" }] }),
      400,
      "INVALID_PARAMETER_VALUE",
      /new/,
    );
    expect(paramMap(await getRun(id)).new).toBeUndefined();
  });

  it("log-batch: limits of 1000 metrics, 100 params, 100 tags and 1000 entities refuse the whole batch", async () => {
    const id = (await newRun()).info.run_id;
    const metrics = (n: number) => Array.from({ length: n }, (_, i) => ({ key: "m", value: i, timestamp: 1, step: i }));
    const kvs = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: "v" }));
    const tagsBefore = await count("tags", id);
    expectMlflowError(await api.post("runs/log-batch", { run_id: id, metrics: metrics(1001) }), 400, "INVALID_PARAMETER_VALUE", /1000 metrics/);
    expectMlflowError(await api.post("runs/log-batch", { run_id: id, params: kvs(101, "p") }), 400, "INVALID_PARAMETER_VALUE", /100 params/);
    expectMlflowError(await api.post("runs/log-batch", { run_id: id, tags: kvs(101, "t") }), 400, "INVALID_PARAMETER_VALUE", /100 tags/);
    expectMlflowError(
      await api.post("runs/log-batch", { run_id: id, metrics: metrics(950), params: kvs(30, "p"), tags: kvs(30, "t") }),
      400,
      "INVALID_PARAMETER_VALUE",
      /1000/,
    );
    expect(await count("metrics", id)).toBe(0);
    expect(await count("params", id)).toBe(0);
    expect(await count("tags", id)).toBe(tagsBefore);
    const full = await api.post("runs/log-batch", { run_id: id, metrics: metrics(1000) });
    expect(full.status, full.text).toBe(200);
    expect(await count("metrics", id)).toBe(1000);
    const mixed = await api.post("runs/log-batch", { run_id: id, metrics: metrics(800), params: kvs(100, "p"), tags: kvs(100, "t") });
    expect(mixed.status, mixed.text).toBe(200);
  });

  it("log-batch: an identical batch re-sent changes nothing and does not fail", async () => {
    const id = (await newRun()).info.run_id;
    const batch = {
      run_id: id,
      metrics: [
        { key: "loss", value: 0.5, timestamp: 10, step: 0 },
        { key: "loss", value: 0.4, timestamp: 20, step: 1 },
        { key: "loss", value: "NaN", timestamp: 30, step: 2 },
      ],
      params: [{ key: "lr", value: "0.1" }],
      tags: [{ key: "team", value: "a" }],
    };
    expect((await api.post("runs/log-batch", batch)).status).toBe(200);
    const snapshot = await getRun(id);
    const counts = { metrics: await count("metrics", id), params: await count("params", id), tags: await count("tags", id) };
    const retry = await api.post("runs/log-batch", batch);
    expect(retry.status, retry.text).toBe(200);
    expect({ metrics: await count("metrics", id), params: await count("params", id), tags: await count("tags", id) }).toEqual(counts);
    expect(await getRun(id)).toEqual(snapshot);
    const history = await api.get("metrics/get-history", { run_id: id, metric_key: "loss" });
    expect((history.body.metrics as WireMetric[]).length).toBe(3);
  });

  it("log-batch: an empty batch is accepted; an unknown run is not found", async () => {
    const id = (await newRun()).info.run_id;
    expect((await api.post("runs/log-batch", { run_id: id })).status).toBe(200);
    expect((await api.post("runs/log-batch", { run_id: id, metrics: [], params: [], tags: [] })).status).toBe(200);
    expectMlflowError(await api.post("runs/log-batch", { run_id: "0123456789abcdef0123456789abcdef", params: [{ key: "a", value: "b" }] }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.post("runs/log-batch", { params: [{ key: "a", value: "b" }] }), 400, "INVALID_PARAMETER_VALUE", /run_id/);
  });

  it("log-inputs links datasets with their tags, once per dataset", async () => {
    const id = (await newRun()).info.run_id;
    const dataset = { name: "iris", digest: "abc123", source_type: "local", source: "{\"uri\": \"/data/iris.csv\"}", schema: "{}" };
    const body = { run_id: id, datasets: [{ tags: [{ key: "mlflow.data.context", value: "training" }], dataset }] };
    expect((await api.post("runs/log-inputs", body)).status).toBe(200);
    expect((await api.post("runs/log-inputs", body)).status).toBe(200);
    const run = await getRun(id);
    expect(run.inputs?.dataset_inputs).toEqual([{ tags: [{ key: "mlflow.data.context", value: "training" }], dataset }]);
    expectMlflowError(await api.post("runs/log-inputs", { run_id: id, datasets: [{ dataset: { name: "x" } }] }), 400, "INVALID_PARAMETER_VALUE", /digest/);
    expectMlflowError(await api.post("runs/log-inputs", { run_id: "0123456789abcdef0123456789abcdef", datasets: [] }), 404, "RESOURCE_DOES_NOT_EXIST");
  });
});
