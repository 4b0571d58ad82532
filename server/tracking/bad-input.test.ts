// Bad input on the MLflow API: every malformed or out-of-bounds request gets the right code, a useful message, and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { expectMlflowError } from "../testing/expect-mlflow-error";

type Api = ReturnType<typeof mlflowWire>;


describe.each(testBackends)("bad input on %s", (kind) => {
  let studio: TestStudio;
  let api: Api;
  let runId: string;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    api = mlflowWire(studio);
    const exp = await api.post("experiments/create", { name: "bad-input" });
    const run = await api.post("runs/create", { experiment_id: exp.body.experiment_id, start_time: 1 });
    runId = (run.body.run as { info: { run_id: string } }).info.run_id;
  });
  afterAll(async () => studio.close());

  async function written(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of ["experiments", "runs", "params", "metrics", "latest_metrics", "tags", "tracked_datasets"]) {
      const rows = await queryRows<{ n: string | number }>(studio.db, sql`select count(*) as n from ${sql.raw(table)}`);
      counts[table] = Number(rows[0].n);
    }
    return counts;
  }

  it("refuses bodies that are not a JSON object with MALFORMED_REQUEST", async () => {
    const before = await written();
    expectMlflowError(await api.call("POST", "runs/log-batch", undefined, "{\"run_id\": "), 400, "MALFORMED_REQUEST", /JSON/);
    expectMlflowError(await api.call("POST", "runs/log-batch", undefined, "[1, 2]"), 400, "MALFORMED_REQUEST", /object/);
    expectMlflowError(await api.call("POST", "experiments/create", undefined, "null"), 400, "MALFORMED_REQUEST", /object/);
    expectMlflowError(await api.call("POST", "experiments/create", undefined, "42"), 400, "MALFORMED_REQUEST", /object/);
    expectMlflowError(await api.call("POST", "experiments/create", undefined, "\"not json\""), 400, "MALFORMED_REQUEST");
    expect(await written()).toEqual(before);
  });

  it("accepts a body encoded twice, as old MLflow clients send it", async () => {
    const res = await api.call("POST", "runs/set-tag", undefined, JSON.stringify(JSON.stringify({ run_id: runId, key: "twice", value: "ok" })));
    expect(res.status, res.text).toBe(200);
  });

  it("refuses wrong types and missing fields with INVALID_PARAMETER_VALUE naming the field", async () => {
    const before = await written();
    const cases: [string, unknown, RegExp][] = [
      ["runs/log-batch", { run_id: runId, metrics: "lots" }, /metrics/],
      ["runs/log-batch", { run_id: runId, metrics: [{ key: "m", value: 1 }] }, /metrics\.0\.timestamp/],
      ["runs/log-batch", { run_id: runId, metrics: [{ key: "m", value: [1], timestamp: 1 }] }, /metrics\.0\.value/],
      ["runs/log-batch", { run_id: runId, metrics: [{ key: "m", value: 1, timestamp: "yesterday" }] }, /timestamp/],
      ["runs/log-batch", { run_id: runId, metrics: [{ key: "m", value: 1, timestamp: 1, step: "1.5" }] }, /step/],
      ["runs/log-batch", { run_id: runId, params: [{ key: "p", value: 1 }] }, /params\.0\.value/],
      ["runs/log-batch", { run_id: runId, tags: [{ value: "v" }] }, /tags\.0\.key/],
      ["runs/log-batch", { run_id: 12345, params: [] }, /run_id/],
      ["runs/log-batch", { run_id: runId, metrics: [{ key: "m", value: 1, timestamp: 2 ** 64 }] }, /timestamp/],
      ["runs/create", { experiment_id: 1.5 }, /experiment_id/],
      ["runs/create", { experiment_id: "0", tags: "a=b" }, /tags/],
      ["experiments/create", { name: ["a"] }, /name/],
      ["runs/search", { experiment_ids: ["0"], max_results: "many" }, /max_results/],
      ["runs/search", { experiment_ids: ["0"], filter: 7 }, /filter/],
    ];
    for (const [endpoint, body, mentions] of cases) {
      expectMlflowError(await api.post(endpoint, body), 400, "INVALID_PARAMETER_VALUE", mentions);
    }
    expect(await written()).toEqual(before);
  });

  it("refuses a 10 MB body without reading it all", async () => {
    const before = await written();
    const big = JSON.stringify({ run_id: runId, tags: [{ key: "big", value: "x".repeat(10 * 1024 * 1024) }] });
    expectMlflowError(await api.call("POST", "runs/log-batch", undefined, big), 413, "REQUEST_TOO_LARGE", /5 MB/);
    expect(await written()).toEqual(before);
  });

  it("refuses unknown runs and experiments with RESOURCE_DOES_NOT_EXIST", async () => {
    const before = await written();
    const ghost = "feedfacefeedfacefeedfacefeedface";
    expectMlflowError(await api.post("runs/log-batch", { run_id: ghost, metrics: [{ key: "m", value: 1, timestamp: 1 }] }), 404, "RESOURCE_DOES_NOT_EXIST", /feedface/);
    expectMlflowError(await api.post("runs/log-metric", { run_id: ghost, key: "m", value: 1, timestamp: 1 }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.post("runs/set-tag", { run_id: ghost, key: "k", value: "v" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.post("runs/create", { experiment_id: "424242" }), 404, "RESOURCE_DOES_NOT_EXIST", /424242/);
    expectMlflowError(await api.get("artifacts/list", { run_id: ghost }), 404, "RESOURCE_DOES_NOT_EXIST");
    expect(await written()).toEqual(before);
  });

  it("stores huge and non-finite metric values and returns them as MLflow encodes them", async () => {
    const res = await api.call(
      "POST",
      "runs/log-batch",
      undefined,
      `{"run_id": "${runId}", "metrics": [
        {"key": "huge", "value": 1e308, "timestamp": 1, "step": 0},
        {"key": "tiny", "value": -1.7976931348623157e308, "timestamp": 1, "step": 0},
        {"key": "nan", "value": "NaN", "timestamp": 1, "step": 0},
        {"key": "inf", "value": "Infinity", "timestamp": 1, "step": 0},
        {"key": "ninf", "value": "-Infinity", "timestamp": 1, "step": 0},
        {"key": "big_step", "value": 1, "timestamp": "9007199254740991", "step": "-9007199254740991"}]}`,
    );
    expect(res.status, res.text).toBe(200);
    const run = await api.get("runs/get", { run_id: runId });
    const metrics = Object.fromEntries(
      ((run.body.run as { data: { metrics: { key: string; value: unknown; step: number; timestamp: number }[] } }).data.metrics).map((m) => [m.key, m]),
    );
    expect(metrics.huge.value).toBe(1e308);
    expect(metrics.tiny.value).toBe(-1.7976931348623157e308);
    expect(metrics.nan.value).toBe("NaN");
    expect(metrics.inf.value).toBe("Infinity");
    expect(metrics.ninf.value).toBe("-Infinity");
    expect(metrics.big_step).toMatchObject({ step: -9007199254740991, timestamp: 9007199254740991 });
    // NaN is still found by history and a re-sent NaN point is the same point.
    expect((await api.post("runs/log-metric", { run_id: runId, key: "nan", value: "NaN", timestamp: 1, step: 0 })).status).toBe(200);
    const history = await api.get("metrics/get-history", { run_id: runId, metric_key: "nan" });
    expect(history.body.metrics).toEqual([{ key: "nan", value: "NaN", timestamp: 1, step: 0 }]);
    expectMlflowError(await api.post("runs/log-metric", { run_id: runId, key: "m", value: "1e999x", timestamp: 1 }), 400, "INVALID_PARAMETER_VALUE", /value/);
  });

  it("refuses over-long and path-like keys and values, writing nothing of the batch", async () => {
    const before = await written();
    const batch = (extra: Record<string, unknown>) => ({
      run_id: runId,
      metrics: [{ key: "fine", value: 1, timestamp: 1, step: 0 }],
      ...extra,
    });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ params: [{ key: "k".repeat(251), value: "v" }] }, /250/],
      [{ params: [{ key: "p", value: "v".repeat(6001) }] }, /6000/],
      [{ tags: [{ key: "t", value: "v".repeat(8001) }] }, /8000/],
      [{ metrics: [{ key: "m".repeat(251), value: 1, timestamp: 1 }] }, /250/],
      [{ params: [{ key: "../escape", value: "v" }] }, /\.\./],
      [{ params: [{ key: "a/../b", value: "v" }] }, /normalised/],
      [{ tags: [{ key: "/abs", value: "v" }] }, /relative/],
      [{ metrics: [{ key: "a/./b", value: 1, timestamp: 1 }] }, /normalised/],
      [{ metrics: [{ key: "trailing/", value: 1, timestamp: 1 }] }, /normalised/],
      [{ params: [{ key: "semi;colon", value: "v" }] }, /alphanumerics/],
      [{ params: [{ key: "", value: "v" }] }, /empty/],
      [{ tags: [{ key: "back\\slash", value: "v" }] }, /alphanumerics/],
    ];
    for (const [extra, mentions] of cases) {
      expectMlflowError(await api.post("runs/log-batch", batch(extra)), 400, "INVALID_PARAMETER_VALUE", mentions);
    }
    expect(await written()).toEqual(before);
    // Names in other scripts and MLflow's punctuation are fine.
    const ok = await api.post("runs/log-batch", {
      run_id: runId,
      params: [{ key: "précision/τ-1:a b.c", value: "v".repeat(6000) }],
      tags: [{ key: "t", value: "v".repeat(8000) }],
    });
    expect(ok.status, ok.text).toBe(200);
  });

  it("refuses lone surrogates, NUL, deep JSON and malformed escapes with 400 naming what to fix, writing nothing", async () => {
    const before = await written();
    expectMlflowError(await api.call("POST", "experiments/create", undefined, '{"name": "churn \\ud800"}'), 400, "INVALID_PARAMETER_VALUE", /'name' is not valid Unicode/);
    expectMlflowError(await api.call("POST", "runs/set-tag", undefined, `{"run_id": "${runId}", "key": "t", "value": "\\udc00"}`), 400, "INVALID_PARAMETER_VALUE", /'value'/);
    expectMlflowError(await api.call("POST", "registered-models/create", undefined, '{"name": "m\\ud800"}'), 400, "INVALID_PARAMETER_VALUE", /'name'/);
    expectMlflowError(await api.post("registered-models/alias", { name: "m", alias: "a\u0000b", version: "1" }), 400, "INVALID_PARAMETER_VALUE", /NUL/);
    expectMlflowError(await api.get("registered-models/alias", { name: "m", alias: "a\u0000b" }), 400, "INVALID_PARAMETER_VALUE", /NUL/);
    const deep = `{"name": "deep", "tags": ${"[".repeat(20_000)}${"]".repeat(20_000)}}`;
    expectMlflowError(await api.call("POST", "experiments/create", undefined, deep), 400, "INVALID_PARAMETER_VALUE", /deeper than/);
    expectMlflowError(await api.call("POST", "experiments/create", undefined, JSON.stringify(deep)), 400, "INVALID_PARAMETER_VALUE", /deeper than/);
    const badEscape = await api.artifacts("GET", "0/%zz/model.onnx");
    expect(badEscape.status).toBe(400);
    expect(((await badEscape.json()) as { message: string }).message).toMatch(/percent-escape/);
    expect(await written()).toEqual(before);
  });

  it("refuses artifact locations outside the artifact store, as MLflow does, and keeps the good ones", async () => {
    const before = await written();
    for (const location of [
      "file:///etc",
      "/etc",
      "etc",
      "mlflow-artifacts:/../../etc",
      "mlflow-artifacts:/a/%2e%2e/%2E%2E/etc",
      "mlflow-artifacts:/a/..%2F..%2Fetc",
      "mlflow-artifacts:/",
      "mlflow-artifacts://host/a//b",
      "runs:/abc/model",
      "s3://bucket/a/../../b",
      "s3://bucket/x?versionId=1",
      "ftp://example.com/x",
    ]) {
      expectMlflowError(await api.post("experiments/create", { name: `loc ${location}`, artifact_location: location }), 400, "INVALID_PARAMETER_VALUE", /artifact_location/);
    }
    expect(await written()).toEqual(before);
    for (const location of ["mlflow-artifacts:/team-a/churn", "mlflow-artifacts://studio.example:5000/team-b", "s3://ml-bucket/experiments/churn"]) {
      const res = await api.post("experiments/create", { name: `ok ${location}`, artifact_location: location });
      expect(res.status, res.text).toBe(200);
      const run = await api.post("runs/create", { experiment_id: res.body.experiment_id });
      const listed = await api.get("artifacts/list", { run_id: (run.body.run as { info: { run_id: string } }).info.run_id });
      expect(listed.status, listed.text).toBe(200);
    }
  });

  it("refuses model names that resolve to other paths ('..', '%2e%2e', 'x%2Fy') at creation and rename", async () => {
    for (const name of ["..", ".", "%2e%2e", "x%2Fy", "a%00", "back\\slash", "tab\tname"]) {
      expectMlflowError(await api.post("registered-models/create", { name }), 400, "INVALID_PARAMETER_VALUE", /model name/);
    }
    expect((await api.post("registered-models/create", { name: "churn v2 (90% recall)" })).status).toBe(200);
    expectMlflowError(await api.post("registered-models/rename", { name: "churn v2 (90% recall)", new_name: "%2E%2E" }), 400, "INVALID_PARAMETER_VALUE", /new_name/);
    const names = (await api.get("registered-models/search", {})).body.registered_models as { name: string }[];
    expect(names.map((m) => m.name)).toEqual(["churn v2 (90% recall)"]);
  });

  it("never answers 500, whatever the body", async () => {
    const bodies: unknown[] = [
      {},
      { run_id: null },
      { run_id: runId, metrics: [null] },
      { run_id: runId, metrics: [{}] },
      { run_id: runId, params: [[]] },
      { run_id: runId, tags: { key: "a" } },
      { run_id: runId, metrics: [{ key: "m", value: {}, timestamp: 1 }] },
      { run_id: "x".repeat(10_000) },
      { run_id: runId, metrics: [{ key: "\u0000", value: 1, timestamp: 1 }] },
      { run_id: runId, params: [{ key: "nul", value: "a\u0000b" }] },
      { run_id: runId, tags: [{ key: "t", value: "\ud800" }] },
      { experiment_ids: [{}], filter: "metrics.a > 1" },
      { experiment_ids: ["99999999999999999999999"] },
      { experiment_id: "99999999999999999999999" },
    ];
    for (const endpoint of ["runs/log-batch", "runs/log-metric", "runs/create", "runs/search", "runs/update", "experiments/create", "experiments/get", "runs/log-inputs"]) {
      for (const body of bodies) {
        const res = endpoint === "experiments/get" ? await api.get(endpoint, body as Record<string, unknown>) : await api.post(endpoint, body);
        expect(res.status, `${endpoint} ${JSON.stringify(body).slice(0, 80)} → ${res.text}`).toBeLessThan(500);
      }
    }
  });
});
