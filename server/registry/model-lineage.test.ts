// Lineage over MLflow's wire: versions a client registers (model-versions/create, as mlflow.register_model sends it) record
// their run's metrics and datasets; a from_pandas input links to the registry by MLflow's DataFrame digest, else by name and
// source; the dataset page lists them.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { getDatasetLineage } from "../datasets/lineage";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { registerDatasetVersion } from "../datasets/register-version";
import { getModelVersionDetail } from "./model-versions";
import { zModelLineage } from "./schema";

const fixtures = path.join(import.meta.dirname, "../../fixtures/datasets");

describe.each(testBackends)("model lineage from MLflow clients on %s", (backend) => {
  let studio: TestStudio;
  let root: string;
  let fileDigest: string;
  let api: ReturnType<typeof mlflowWire>;
  let previousRoot: string | undefined;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    api = mlflowWire(studio);
    root = await mkdtemp(path.join(os.tmpdir(), "studio-lineage-"));
    previousRoot = process.env.STUDIO_DATASET_ROOT;
    process.env.STUDIO_DATASET_ROOT = root;
    const bytes = await readFile(path.join(fixtures, "iris.train.csv"));
    const registered = await registerDatasetVersion(studio, root, { name: "iris", format: "csv", masking: {}, filename: "iris.train.csv" }, Readable.from([bytes]));
    fileDigest = registered.version.digest;
    await api.post("registered-models/create", { name: "iris-clf" });
  });
  afterAll(async () => {
    await waitForDatasetJobs();
    await studio.close();
    await rm(root, { recursive: true, force: true });
    if (previousRoot === undefined) delete process.env.STUDIO_DATASET_ROOT;
    else process.env.STUDIO_DATASET_ROOT = previousRoot;
  });

  async function trainingRun(dataset: { name: string; digest: string; source_type: string; source: string }) {
    const created = await api.post("runs/create", { experiment_id: "0", run_name: "train" });
    const runId = (created.body.run as { info: { run_id: string } }).info.run_id;
    await api.post("runs/log-batch", { run_id: runId, metrics: [{ key: "accuracy", value: 0.93, timestamp: 1, step: 0 }], params: [{ key: "C", value: "1.0" }] });
    const logged = await api.post("runs/log-inputs", {
      run_id: runId,
      datasets: [{ tags: [{ key: "mlflow.data.context", value: "training" }], dataset: { ...dataset, schema: "{}", profile: "{}" } }],
    });
    expect(logged.status).toBe(200);
    return runId;
  }

  const lineageOf = async (version: string) => zModelLineage.parse((await getModelVersionDetail(studio, "iris-clf", version)).lineage);

  it("a version created with a runs:/ source records the run's metrics, params and its dataset matched by content digest", async () => {
    const runId = await trainingRun({ name: "iris", digest: fileDigest.slice(0, 8), source_type: "local", source: '{"uri": "/elsewhere/renamed.csv"}' });
    const created = await api.post("model-versions/create", { name: "iris-clf", source: `runs:/${runId}/model` });
    expect(created.status).toBe(200);
    const version = (created.body.model_version as { version: string }).version;
    const lineage = await lineageOf(version);
    expect(lineage).toMatchObject({ runId, runName: "train", artifactPath: "model", metrics: { accuracy: 0.93 }, params: { C: "1.0" } });
    expect(lineage.datasets).toEqual([
      {
        name: "iris",
        digest: fileDigest.slice(0, 8),
        context: "training",
        registry: { datasetName: "iris", version: 1, qualityStatus: expect.any(String), qualityReason: null, matchedBy: "content digest" },
      },
    ]);
  });

  it("a version created as MLflow 2.x clients send it (artifact URI + run_id) records lineage, and a from_pandas input matches by name and source", async () => {
    // mlflow.data.from_pandas digests the DataFrame (an md5 prefix), not the file: only the name and the source's file name tie it to the registry.
    const runId = await trainingRun({ name: "IRIS", digest: "1a2b3c4d", source_type: "local", source: '{"uri": "/home/ds/data/iris.train.csv"}' });
    const run = (await api.get("runs/get", { run_id: runId })).body.run as { info: { artifact_uri: string } };
    const created = await api.post("model-versions/create", { name: "iris-clf", source: `${run.info.artifact_uri}/model`, run_id: runId });
    expect(created.status).toBe(200);
    const version = (created.body.model_version as { version: string }).version;
    const lineage = await lineageOf(version);
    expect(lineage).toMatchObject({ runId, artifactPath: "model", metrics: { accuracy: 0.93 } });
    expect(lineage.datasets[0]?.registry).toMatchObject({ datasetName: "iris", version: 1, matchedBy: "name and source" });

    // The dataset page lists the run (saying how it matched) and the model versions trained on it.
    const datasetLineage = await getDatasetLineage(studio, "iris");
    expect(datasetLineage.runs.find((r) => r.runId === runId)).toMatchObject({ version: 1, matchedBy: "name and source", context: "training" });
    expect(datasetLineage.modelVersions).toContainEqual({ name: "iris-clf", version, runId });
  });

  it("matches the digest MLflow computes of from_pandas(pd.read_csv(file)) as a content digest, whatever the source", async () => {
    // a7f73ad3: mlflow.data.digest_utils.compute_pandas_digest(pd.read_csv("iris.train.csv")) with MLflow 2.9.
    const runId = await trainingRun({ name: "iris", digest: "a7f73ad3", source_type: "code", source: '{"tags": {"mlflow.source.name": "train.py"}}' });
    const created = await api.post("model-versions/create", { name: "iris-clf", source: `runs:/${runId}/model` });
    const lineage = await lineageOf((created.body.model_version as { version: string }).version);
    expect(lineage.datasets[0]?.registry).toMatchObject({ datasetName: "iris", version: 1, matchedBy: "content digest" });
  });

  it("links nothing when the name matches but the source names another file, or the digest is unknown", async () => {
    const runId = await trainingRun({ name: "iris", digest: "ffffffff", source_type: "local", source: '{"uri": "/data/other.csv"}' });
    const created = await api.post("model-versions/create", { name: "iris-clf", source: `runs:/${runId}/model` });
    const lineage = await lineageOf((created.body.model_version as { version: string }).version);
    expect(lineage.datasets).toEqual([expect.objectContaining({ name: "iris", registry: null })]);
    const datasetLineage = await getDatasetLineage(studio, "iris");
    expect(datasetLineage.runs.some((r) => r.runId === runId)).toBe(false);
  });

  it("refuses a version from a run that does not exist, writing nothing", async () => {
    const created = await api.post("model-versions/create", { name: "iris-clf", source: "runs:/0123456789abcdef/model" });
    expect(created.status).toBe(404);
    expect(JSON.stringify(created.body)).toContain("0123456789abcdef");
  });
});
