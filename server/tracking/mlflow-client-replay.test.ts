// Replays, request by request, what the MLflow 3 Python client sends for a typical training script
// (see scripts/mlflow-client-check.py), and checks each answer parses into what the client expects.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire, type WireResponse } from "../testing/mlflow-client";
import { zLoggedModel, zSearchLoggedModelsResponse } from "./logged-models-schema";
import { zExperiment, zMetric, zRun, zRunInfo } from "./schema";

/*
 * The script replayed here (MLflow 3.x, MLFLOW_TRACKING_URI=http://localhost:3000):
 *   mlflow.set_experiment("replay")
 *   with mlflow.start_run(run_name="r") as run:
 *       mlflow.log_param("lr", 0.01); mlflow.log_params({"depth": 3})
 *       for s in range(5): mlflow.log_metric("loss", 1/(s+1), step=s)
 *       mlflow.set_tag("team", "a"); mlflow.log_dict({"a": 1}, "cfg/params.json")
 *       mlflow.log_input(mlflow.data.from_pandas(df, name="train"), context="training")
 *       mlflow.sklearn.log_model(clf, name="model")
 *   client.log_batch(run_id, metrics=[acc], params=[seed], tags=[stage])
 *   mlflow.search_runs(filter_string="metrics.loss < 0.5 and params.lr = '0.01'", order_by=["metrics.loss ASC"])
 *   client.get_metric_history(run_id, "loss"); client.list_artifacts(run_id, "cfg"); client.download_artifacts(run_id, "cfg")
 * Request bodies are what rest_store.py builds with message_to_json (proto field names, empty lists
 * left out); GET requests carry the same fields as a query string (rest_utils.call_endpoint).
 */

const zEmpty = z.object({}).strict();
const zFileInfo = z.object({ path: z.string(), is_dir: z.boolean(), file_size: z.number().optional() });

/** The tags MLflow's context providers add to runs and logged models (user, source). */
const contextTags = [
  { key: "mlflow.user", value: "ana" },
  { key: "mlflow.source.name", value: "train.py" },
  { key: "mlflow.source.type", value: "LOCAL" },
];

function ok<T>(res: WireResponse, schema: z.ZodType<T>): T {
  expect(res.status, res.text).toBe(200);
  return schema.parse(res.body);
}

describe.each(testBackends)("MLflow 3 client replay on %s", (backend) => {
  let studio: TestStudio;
  let api: ReturnType<typeof mlflowWire>;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    api = mlflowWire(studio);
  });
  afterAll(async () => studio.close());

  it("runs the whole script, request by request", async () => {
    const t0 = Date.now();
    const getRun = async (runId: string) => ok(await api.get("runs/get", { run_uuid: runId, run_id: runId }), z.object({ run: zRun })).run;

    // mlflow.set_experiment("replay"): get-by-name answers 404, which the client turns into "create it".
    const lookup = await api.get("experiments/get-by-name", { experiment_name: "replay" });
    expect(lookup.status).toBe(404);
    expect(lookup.body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    const { experiment_id: experimentId } = ok(await api.post("experiments/create", { name: "replay" }), z.object({ experiment_id: z.string() }));
    const { experiment } = ok(await api.get("experiments/get", { experiment_id: experimentId }), z.object({ experiment: zExperiment }));
    expect(experiment).toMatchObject({ name: "replay", lifecycle_stage: "active", artifact_location: `mlflow-artifacts:/${experimentId}` });

    // mlflow.start_run(run_name="r")
    const { run: created } = ok(
      await api.post("runs/create", {
        experiment_id: experimentId,
        user_id: "ana",
        start_time: t0,
        tags: [...contextTags, { key: "mlflow.runName", value: "r" }],
        run_name: "r",
      }),
      z.object({ run: zRun }),
    );
    const runId = created.info.run_id;
    expect(created.info).toMatchObject({ run_name: "r", status: "RUNNING", experiment_id: experimentId, lifecycle_stage: "active" });
    const runRoot = created.info.artifact_uri.replace(/^mlflow-artifacts:\//, "");
    expect(runRoot).toBe(`${experimentId}/${runId}/artifacts`);

    // log_param, log_params, log_metric ×5, set_tag
    ok(await api.post("runs/log-parameter", { run_uuid: runId, run_id: runId, key: "lr", value: "0.01" }), zEmpty);
    ok(await api.post("runs/log-batch", { run_id: runId, params: [{ key: "depth", value: "3" }] }), zEmpty);
    for (let step = 0; step < 5; step++) {
      ok(await api.post("runs/log-metric", { run_uuid: runId, run_id: runId, key: "loss", value: 1 / (step + 1), timestamp: t0 + step, step }), zEmpty);
    }
    ok(await api.post("runs/set-tag", { run_uuid: runId, run_id: runId, key: "team", value: "a" }), zEmpty);

    // log_dict: the client resolves the run's artifact repository (runs/get), then PUTs through the proxy.
    expect((await getRun(runId)).info.artifact_uri).toBe(created.info.artifact_uri);
    const paramsJson = '{\n  "a": 1\n}';
    const put = await api.artifacts("PUT", `${runRoot}/cfg/params.json`, paramsJson);
    expect(put.status, await put.clone().text()).toBe(200);

    // log_input(from_pandas(df, name="train"), context="training")
    ok(
      await api.post("runs/log-inputs", {
        run_id: runId,
        datasets: [
          {
            tags: [{ key: "mlflow.data.context", value: "training" }],
            dataset: {
              name: "train",
              digest: "8d2c1f0b",
              source_type: "code",
              source: '{"tags": {"mlflow.user": "ana", "mlflow.source.name": "train.py", "mlflow.source.type": "LOCAL"}}',
              schema: '{"mlflow_colspec": [{"type": "double", "name": "x", "required": true}, {"type": "long", "name": "y", "required": true}]}',
              profile: '{"num_rows": 4, "num_elements": 8}',
            },
          },
        ],
      }),
      zEmpty,
    );

    // mlflow.sklearn.log_model(clf, name="model") — Model.log in MLflow 3:
    // 1. the run's params become the model's params
    const beforeModel = await getRun(runId);
    const runParams = beforeModel.data.params.map((p) => ({ key: p.key, value: p.value }));
    expect(runParams).toEqual(expect.arrayContaining([{ key: "lr", value: "0.01" }, { key: "depth", value: "3" }]));
    // 2. create the logged model (PENDING)
    const { model: pending } = ok(
      await api.post("logged-models", { experiment_id: experimentId, name: "model", source_run_id: runId, params: runParams, tags: contextTags }),
      z.object({ model: zLoggedModel }),
    );
    const modelId = pending.info.model_id;
    expect(pending.info).toMatchObject({ name: "model", status: "LOGGED_MODEL_PENDING", source_run_id: runId, experiment_id: experimentId });
    expect(pending.info.artifact_uri).toBe(`mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`);
    // 3. the model is an output of the run
    ok(await api.post("runs/outputs", { run_id: runId, models: [{ model_id: modelId, step: 0 }] }), zEmpty);
    // 4. the run's metrics at the model's step are linked to the model (history read, then re-logged)
    const current = await getRun(runId);
    expect(current.data.metrics.map((m) => m.key)).toEqual(["loss"]);
    const history = ok(
      await api.get("metrics/get-history", { run_uuid: runId, run_id: runId, metric_key: "loss", max_results: 25000 }),
      z.object({ metrics: z.array(zMetric), next_page_token: z.string().optional() }),
    );
    const atStep0 = history.metrics.filter((m) => m.step === 0);
    ok(await api.post("runs/log-batch", { run_id: runId, metrics: atStep0.map((m) => ({ ...m, model_id: modelId })) }), zEmpty);
    // 5. upload the MLflow Model directory to the logged model's location (get it first, then PUT each file)
    const { model: located } = ok(await api.get(`logged-models/${modelId}`), z.object({ model: zLoggedModel }));
    const modelRoot = located.info.artifact_uri.replace(/^mlflow-artifacts:\//, "");
    const mlmodel = {
      artifact_path: located.info.artifact_uri,
      flavors: {
        python_function: { model_path: "model.pkl", predict_fn: "predict", loader_module: "mlflow.sklearn", python_version: "3.12.3", env: { conda: "conda.yaml", virtualenv: "python_env.yaml" } },
        sklearn: { pickled_model: "model.pkl", sklearn_version: "1.5.2", serialization_format: "cloudpickle", code: null },
      },
      mlflow_version: "3.1.0",
      model_size_bytes: 3,
      model_uuid: modelId.slice(2),
      model_id: modelId,
      run_id: runId,
      utc_time_created: "2026-11-24 10:00:00.000000",
    };
    const modelFiles: Record<string, string | Uint8Array> = {
      MLmodel: `artifact_path: ${located.info.artifact_uri}\nflavors:\n  sklearn:\n    pickled_model: model.pkl\nmodel_id: ${modelId}\n`,
      "model.pkl": new Uint8Array([0x80, 0x05, 0x2e]),
      "conda.yaml": "channels:\n- conda-forge\ndependencies:\n- python=3.12.3\n- pip:\n  - mlflow==3.1.0\n  - scikit-learn==1.5.2\nname: mlflow-env\n",
      "python_env.yaml": "python: 3.12.3\nbuild_dependencies:\n- pip\ndependencies:\n- -r requirements.txt\n",
      "requirements.txt": "mlflow==3.1.0\nscikit-learn==1.5.2\n",
    };
    for (const [file, body] of Object.entries(modelFiles)) {
      const res = await api.artifacts("PUT", `${modelRoot}/${file}`, body);
      expect(res.status, `${file}: ${await res.clone().text()}`).toBe(200);
    }
    // 6. finalize: READY
    const { model: ready } = ok(
      await api.call("PATCH", `logged-models/${modelId}`, { model_id: modelId, status: "LOGGED_MODEL_READY" }),
      z.object({ model: zLoggedModel }),
    );
    expect(ready.info.status).toBe("LOGGED_MODEL_READY");
    expect(ready.data.params).toEqual(expect.arrayContaining(runParams));
    // 7. record the MLmodel in the run (runs/log-model → mlflow.log-model.history)
    ok(await api.post("runs/log-model", { run_id: runId, model_json: JSON.stringify(mlmodel) }), zEmpty);

    // leaving `with start_run()`: the client prints the run URL (runs/get), then terminates the run
    await getRun(runId);
    const { run_info: finished } = ok(
      await api.post("runs/update", { run_uuid: runId, run_id: runId, status: "FINISHED", end_time: t0 + 1000 }),
      z.object({ run_info: zRunInfo }),
    );
    expect(finished).toMatchObject({ status: "FINISHED", end_time: t0 + 1000 });

    // client.log_batch after the run ended (allowed: only deleted runs refuse writes)
    ok(
      await api.post("runs/log-batch", {
        run_id: runId,
        metrics: [{ key: "acc", value: 0.9, timestamp: t0 + 2000, step: 0 }],
        params: [{ key: "seed", value: "7" }],
        tags: [{ key: "stage", value: "final" }],
      }),
      zEmpty,
    );

    // mlflow.search_runs(filter_string=..., order_by=[...]) — one page of at most 10,000 runs
    const search = ok(
      await api.post("runs/search", {
        experiment_ids: [experimentId],
        filter: "metrics.loss < 0.5 and params.lr = '0.01'",
        run_view_type: "ACTIVE_ONLY",
        max_results: 10000,
        order_by: ["metrics.loss ASC"],
      }),
      z.object({ runs: z.array(zRun), next_page_token: z.string().optional() }),
    );
    expect(search.runs.map((r) => r.info.run_id)).toEqual([runId]);
    expect(search.next_page_token).toBeUndefined();
    const found = search.runs[0];
    expect(found.data.metrics).toEqual(expect.arrayContaining([expect.objectContaining({ key: "loss", value: 0.2, step: 4 }), expect.objectContaining({ key: "acc", value: 0.9 })]));
    const tagMap = Object.fromEntries(found.data.tags.map((t) => [t.key, t.value]));
    expect(tagMap).toMatchObject({ team: "a", stage: "final", "mlflow.runName": "r", "mlflow.user": "ana" });
    const modelHistory = z.array(z.object({ model_id: z.string(), artifact_path: z.string(), run_id: z.string() })).parse(JSON.parse(tagMap["mlflow.log-model.history"]));
    expect(modelHistory).toEqual([expect.objectContaining({ model_id: modelId, run_id: runId })]);
    expect(found.inputs.dataset_inputs).toEqual([
      expect.objectContaining({ tags: [{ key: "mlflow.data.context", value: "training" }], dataset: expect.objectContaining({ name: "train", digest: "8d2c1f0b" }) }),
    ]);

    // client.get_metric_history(run_id, "loss"): every point, in step order (the re-logged step-0 point is not doubled)
    const loss = ok(
      await api.get("metrics/get-history", { run_uuid: runId, run_id: runId, metric_key: "loss", max_results: 25000 }),
      z.object({ metrics: z.array(zMetric), next_page_token: z.string().optional() }),
    );
    expect(loss.metrics.map((m) => [m.step, m.value])).toEqual([0, 1, 2, 3, 4].map((s) => [s, 1 / (s + 1)]));
    expect(loss.next_page_token).toBeUndefined();

    // client.list_artifacts(run_id, "cfg"): runs/get, then the proxy lists the folder (names relative to it)
    await getRun(runId);
    const listed = await api.artifacts("GET", "", undefined, `?path=${encodeURIComponent(`${runRoot}/cfg`)}`);
    expect(listed.status).toBe(200);
    const cfg = z.object({ files: z.array(zFileInfo) }).parse(await listed.json());
    expect(cfg.files).toEqual([{ path: "params.json", is_dir: false, file_size: paramsJson.length }]);
    // The tracking server's own listing (artifacts/list) agrees, with paths relative to the run root.
    const tracked = ok(await api.get("artifacts/list", { run_id: runId, path: "cfg" }), z.object({ root_uri: z.string(), files: z.array(zFileInfo) }));
    expect(tracked.files).toEqual([{ path: "cfg/params.json", is_dir: false, file_size: paramsJson.length }]);

    // client.download_artifacts(run_id, "cfg"): runs/get, list (is it a folder?), then GET each file
    await getRun(runId);
    const download = await api.artifacts("GET", `${runRoot}/cfg/params.json`);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe(paramsJson);

    // The logged model is READY, findable, and its files are where `models:/<model_id>` loading will look.
    const { model: final } = ok(await api.get(`logged-models/${modelId}`), z.object({ model: zLoggedModel }));
    expect(final.info.status).toBe("LOGGED_MODEL_READY");
    const searched = ok(await api.post("logged-models/search", { experiment_ids: [experimentId] }), zSearchLoggedModelsResponse);
    expect(searched.models.map((m) => m.info.model_id)).toEqual([modelId]);
    const modelListing = await api.artifacts("GET", "", undefined, `?path=${encodeURIComponent(modelRoot)}`);
    const modelFileNames = z.object({ files: z.array(zFileInfo) }).parse(await modelListing.json()).files.map((f) => f.path);
    expect(modelFileNames.sort()).toEqual(Object.keys(modelFiles).sort());
    const pickled = await api.artifacts("GET", `${modelRoot}/model.pkl`);
    expect(new Uint8Array(await pickled.arrayBuffer())).toEqual(modelFiles["model.pkl"]);
  });
});
