// Smoke test of the tracking REST API end to end on an in-memory database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";

let studio: TestStudio;
beforeAll(async () => {
  studio = await createTestStudio();
});
afterAll(async () => studio.close());

describe("tracking smoke", () => {
  it("creates an experiment and a run, logs, searches", async () => {
    const api = mlflowWire(studio);
    const exp = await api.post("experiments/create", { name: "smoke" });
    expect(exp.status).toBe(200);
    const experimentId = exp.body.experiment_id as string;
    const run = await api.post("runs/create", { experiment_id: experimentId, run_name: "r1", start_time: 1 });
    expect(run.status).toBe(200);
    const runId = (run.body.run as { info: { run_id: string } }).info.run_id;
    const batch = await api.post("runs/log-batch", {
      run_id: runId,
      metrics: [{ key: "acc", value: 0.9, timestamp: 5, step: 1 }, { key: "loss", value: "NaN", timestamp: 5, step: 1 }],
      params: [{ key: "lr", value: "0.01" }],
      tags: [{ key: "team", value: "a" }],
    });
    expect(batch.status, batch.text).toBe(200);
    const again = await api.post("runs/log-batch", { run_id: runId, params: [{ key: "lr", value: "0.02" }] });
    expect(again.status).toBe(400);
    expect(again.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    const search = await api.post("runs/search", { experiment_ids: [experimentId], filter: "metrics.acc > 0.5 and params.lr = '0.01'", order_by: ["metrics.acc DESC"] });
    expect(search.status, search.text).toBe(200);
    expect((search.body.runs as unknown[]).length).toBe(1);
    const history = await api.get("metrics/get-history", { run_id: runId, metric_key: "loss" });
    expect(history.text).toContain('"NaN"');
    const put = await api.artifacts("PUT", `${experimentId}/${runId}/artifacts/model/a.txt`, "hello");
    expect(put.status).toBe(200);
    const list = await api.get("artifacts/list", { run_id: runId, path: "model" });
    expect(list.body.files).toEqual([{ path: "model/a.txt", is_dir: false, file_size: 5 }]);
    const escape = await api.artifacts("GET", `../../etc/passwd`);
    expect(escape.status).toBe(400);
  });
});
