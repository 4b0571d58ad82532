// Logged models over the wire: what mlflow.<flavor>.log_model and MlflowClient's logged-model calls rely on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { zLoggedModel, zSearchLoggedModelsResponse } from "./logged-models-schema";
import { zRun } from "./schema";

describe.each(testBackends)("logged models on %s", (backend) => {
  let studio: TestStudio;
  let api: ReturnType<typeof mlflowWire>;
  let experimentId: string;
  let runId: string;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    api = mlflowWire(studio);
    experimentId = (await api.post("experiments/create", { name: "lm" })).body.experiment_id as string;
    const run = await api.post("runs/create", { experiment_id: experimentId, run_name: "train", start_time: 1 });
    runId = zRun.parse(run.body.run).info.run_id;
  });
  afterAll(async () => studio.close());

  async function create(body: Record<string, unknown> = {}) {
    const res = await api.post("logged-models", { experiment_id: experimentId, ...body });
    expect(res.status, res.text).toBe(200);
    return zLoggedModel.parse(res.body.model);
  }

  it("creates a pending model under the experiment's artifact location, with params and tags", async () => {
    const model = await create({
      name: "clf",
      source_run_id: runId,
      model_type: "Classifier",
      params: [{ key: "lr", value: "0.01" }],
      tags: [{ key: "mlflow.user", value: "ana" }],
    });
    expect(model.info.model_id).toMatch(/^m-[0-9a-f]{32}$/);
    expect(model.info).toMatchObject({
      experiment_id: experimentId,
      name: "clf",
      status: "LOGGED_MODEL_PENDING",
      source_run_id: runId,
      model_type: "Classifier",
      artifact_uri: `mlflow-artifacts:/${experimentId}/models/${model.info.model_id}/artifacts`,
      tags: [{ key: "mlflow.user", value: "ana" }],
    });
    expect(model.data).toEqual({ params: [{ key: "lr", value: "0.01" }], metrics: [] });
    const fetched = await api.get(`logged-models/${model.info.model_id}`);
    expect(zLoggedModel.parse(fetched.body.model)).toEqual(model);
  });

  it("generates a name when none is given and refuses names that break models:/ URIs", async () => {
    expect((await create()).info.name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    const bad = await api.post("logged-models", { experiment_id: experimentId, name: "a/b" });
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe("INVALID_PARAMETER_VALUE");
  });

  it("answers MLflow's error codes for unknown experiments, runs and models", async () => {
    const noExperiment = await api.post("logged-models", { experiment_id: "999999" });
    expect([noExperiment.status, noExperiment.body.error_code]).toEqual([404, "RESOURCE_DOES_NOT_EXIST"]);
    const noRun = await api.post("logged-models", { experiment_id: experimentId, source_run_id: "deadbeef" });
    expect([noRun.status, noRun.body.error_code]).toEqual([404, "RESOURCE_DOES_NOT_EXIST"]);
    const missing = await api.get("logged-models/m-00000000000000000000000000000000");
    expect([missing.status, missing.body.error_code]).toEqual([404, "RESOURCE_DOES_NOT_EXIST"]);
    const noId = await api.post("logged-models", {});
    expect([noId.status, noId.body.error_code]).toEqual([400, "INVALID_PARAMETER_VALUE"]);
  });

  it("finalizes with a status given by name or number", async () => {
    const model = await create();
    const ready = await api.call("PATCH", `logged-models/${model.info.model_id}`, { model_id: model.info.model_id, status: "LOGGED_MODEL_READY" });
    expect(ready.status, ready.text).toBe(200);
    expect(zLoggedModel.parse(ready.body.model).info.status).toBe("LOGGED_MODEL_READY");
    const failed = await api.call("PATCH", `logged-models/${model.info.model_id}`, { status: 3 });
    expect(zLoggedModel.parse(failed.body.model).info.status).toBe("LOGGED_MODEL_UPLOAD_FAILED");
    const bad = await api.call("PATCH", `logged-models/${model.info.model_id}`, { status: "DONE" });
    expect([bad.status, bad.body.error_code]).toEqual([400, "INVALID_PARAMETER_VALUE"]);
  });

  it("sets and deletes tags; params are immutable", async () => {
    const model = await create({ tags: [{ key: "keep", value: "1" }] });
    const id = model.info.model_id;
    const set = await api.call("PATCH", `logged-models/${id}/tags`, { tags: [{ key: "stage", value: "a" }, { key: "stage", value: "b" }] });
    expect(set.status, set.text).toBe(200);
    const tagsAfterSet = zLoggedModel.parse((await api.get(`logged-models/${id}`)).body.model).info.tags;
    expect(tagsAfterSet).toEqual(expect.arrayContaining([{ key: "keep", value: "1" }, { key: "stage", value: "b" }]));
    expect((await api.call("DELETE", `logged-models/${id}/tags/stage`)).status).toBe(200);
    const again = await api.call("DELETE", `logged-models/${id}/tags/stage`);
    expect([again.status, again.body.error_code]).toEqual([404, "RESOURCE_DOES_NOT_EXIST"]);
    expect(zLoggedModel.parse((await api.get(`logged-models/${id}`)).body.model).info.tags).toEqual([{ key: "keep", value: "1" }]);

    expect((await api.post(`logged-models/${id}/params`, { model_id: id, params: [{ key: "alpha", value: "1" }] })).status).toBe(200);
    expect((await api.post(`logged-models/${id}/params`, { params: [{ key: "alpha", value: "1" }] })).status).toBe(200);
    const changed = await api.post(`logged-models/${id}/params`, { params: [{ key: "alpha", value: "2" }] });
    expect([changed.status, changed.body.error_code]).toEqual([400, "INVALID_PARAMETER_VALUE"]);
    expect(zLoggedModel.parse((await api.get(`logged-models/${id}`)).body.model).data.params).toEqual([{ key: "alpha", value: "1" }]);
  });

  it("searches with MLflow's filter grammar, order_by and page tokens, and hides deleted models", async () => {
    const exp = (await api.post("experiments/create", { name: "lm-search" })).body.experiment_id as string;
    const ids: string[] = [];
    for (const [i, family] of ["rf", "rf", "gbm"].entries()) {
      const res = await api.post("logged-models", {
        experiment_id: exp,
        name: `model_${i}`,
        params: [{ key: "family", value: family }],
        tags: [{ key: "team", value: i === 2 ? "b" : "a" }],
      });
      ids.push(zLoggedModel.parse(res.body.model).info.model_id);
    }
    await api.call("PATCH", `logged-models/${ids[1]}`, { status: "LOGGED_MODEL_READY" });
    const search = async (body: Record<string, unknown>) => {
      const res = await api.post("logged-models/search", { experiment_ids: [exp], ...body });
      expect(res.status, res.text).toBe(200);
      return zSearchLoggedModelsResponse.parse(res.body);
    };
    const names = (r: { models: { info: { name: string } }[] }) => r.models.map((m) => m.info.name);

    expect(names(await search({ order_by: [{ field_name: "name", ascending: true }] }))).toEqual(["model_0", "model_1", "model_2"]);
    expect(names(await search({ filter: "params.family = 'rf' AND tags.team = 'a'", order_by: [{ field_name: "name" }] }))).toEqual(["model_0", "model_1"]);
    expect(names(await search({ filter: "status = 'READY'" }))).toEqual(["model_1"]);
    expect(names(await search({ filter: "attributes.name IN ('model_0', 'model_2')", order_by: [{ field_name: "name", ascending: false }] }))).toEqual(["model_2", "model_0"]);
    expect(names(await search({ filter: "name LIKE 'model_%' and creation_time > 0 and params.`family` != 'rf'" }))).toEqual(["model_2"]);

    const page1 = await search({ max_results: 2, order_by: [{ field_name: "name" }] });
    expect(names(page1)).toEqual(["model_0", "model_1"]);
    expect(page1.next_page_token).toBeTruthy();
    const page2 = await search({ max_results: 2, order_by: [{ field_name: "name" }], page_token: page1.next_page_token });
    expect(names(page2)).toEqual(["model_2"]);
    expect(page2.next_page_token).toBeUndefined();

    expect((await api.call("DELETE", `logged-models/${ids[0]}`, { model_id: ids[0] })).status).toBe(200);
    expect((await api.get(`logged-models/${ids[0]}`)).status).toBe(404);
    expect(names(await search({ order_by: [{ field_name: "name" }] }))).toEqual(["model_1", "model_2"]);

    const bad = await api.post("logged-models/search", { experiment_ids: [exp], filter: "name = 'x' OR name = 'y'" });
    expect([bad.status, bad.body.error_code]).toEqual([400, "INVALID_PARAMETER_VALUE"]);
    expect(bad.body.message).toContain("OR is not supported");
    const unknown = await api.post("logged-models/search", { experiment_ids: [exp], filter: "colour = 'red'" });
    expect(unknown.status).toBe(400);
    const metric = await api.post("logged-models/search", { experiment_ids: [exp], filter: "metrics.acc > 0.9" });
    expect([metric.status, metric.body.error_code]).toEqual([501, "NOT_IMPLEMENTED"]);
  });

  it("lists a logged model's files uploaded through the artifact proxy", async () => {
    const model = await create();
    const root = model.info.artifact_uri.replace(/^mlflow-artifacts:\//, "");
    expect((await api.artifacts("PUT", `${root}/MLmodel`, "flavors: {}\n")).status).toBe(200);
    expect((await api.artifacts("PUT", `${root}/data/model.pkl`, new Uint8Array([1, 2, 3]))).status).toBe(200);
    const listed = await api.get(`logged-models/${model.info.model_id}/artifacts/directories`);
    expect(listed.body).toEqual({
      root_uri: model.info.artifact_uri,
      files: [
        { path: "data", is_dir: true },
        { path: "MLmodel", is_dir: false, file_size: 12 },
      ],
    });
    const sub = await api.get(`logged-models/${model.info.model_id}/artifacts/directories`, { artifact_directory_path: "data" });
    expect(sub.body.files).toEqual([{ path: "data/model.pkl", is_dir: false, file_size: 3 }]);
  });

  it("records run outputs and checks both ends exist", async () => {
    const model = await create();
    const ok = await api.post("runs/outputs", { run_id: runId, models: [{ model_id: model.info.model_id, step: 0 }] });
    expect(ok.status, ok.text).toBe(200);
    const linked = zLoggedModel.parse((await api.get(`logged-models/${model.info.model_id}`)).body.model);
    expect(linked.info.source_run_id).toBe(runId);
    const noModel = await api.post("runs/log-outputs", { run_id: runId, models: [{ model_id: "m-missing", step: 0 }] });
    expect([noModel.status, noModel.body.error_code]).toEqual([404, "RESOURCE_DOES_NOT_EXIST"]);
    const noRun = await api.post("runs/outputs", { run_id: "deadbeef", models: [{ model_id: model.info.model_id, step: 0 }] });
    expect([noRun.status, noRun.body.error_code]).toEqual([404, "RESOURCE_DOES_NOT_EXIST"]);
  });

  it("appends each runs/log-model call to the mlflow.log-model.history tag", async () => {
    const mlmodel = (artifactPath: string) =>
      JSON.stringify({ artifact_path: artifactPath, flavors: { sklearn: { pickled_model: "model.pkl" } }, utc_time_created: "2026-11-24 10:00:00.000000", run_id: runId });
    expect((await api.post("runs/log-model", { run_id: runId, model_json: mlmodel("a") })).status).toBe(200);
    expect((await api.post("runs/log-model", { run_id: runId, model_json: mlmodel("b") })).status).toBe(200);
    const run = zRun.parse((await api.get("runs/get", { run_id: runId })).body.run);
    const history = JSON.parse(run.data.tags.find((t) => t.key === "mlflow.log-model.history")!.value) as { artifact_path: string }[];
    expect(history.map((m) => m.artifact_path)).toEqual(["a", "b"]);

    const missing = await api.post("runs/log-model", { run_id: runId, model_json: JSON.stringify({ artifact_path: "x" }) });
    expect([missing.status, missing.body.error_code]).toEqual([400, "INVALID_PARAMETER_VALUE"]);
    expect(missing.body.message).toContain("'flavors'");
    const malformed = await api.post("runs/log-model", { run_id: runId, model_json: "{not json" });
    expect([malformed.status, malformed.body.error_code]).toEqual([400, "INVALID_PARAMETER_VALUE"]);
    const noRun = await api.post("runs/log-model", { run_id: "deadbeef", model_json: mlmodel("c") });
    expect(noRun.status).toBe(404);
  });

  it("lets viewers read but not write", async () => {
    const model = await create();
    const viewer = mlflowWire(studio.as({ userId: "u-viewer", username: "vera", role: "viewer", via: "token" }));
    expect((await viewer.get(`logged-models/${model.info.model_id}`)).status).toBe(200);
    const denied = await viewer.post("logged-models", { experiment_id: experimentId });
    expect([denied.status, denied.body.error_code]).toEqual([403, "PERMISSION_DENIED"]);
  });
});
