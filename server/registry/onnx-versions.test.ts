// Registering ONNX files as model versions: from a run's artifact (introspected, with lineage), by upload, and ZipMap-free derivations.
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { createExperiment } from "../tracking/experiments";
import { artifactRootOf, createRun, logBatch } from "../tracking/runs";
import { mlflowWire } from "../testing/mlflow-client";
import { getModelVersionDetail } from "./model-versions";
import { deriveVersionWithoutZipMap, readModelVersionOnnx, registerOnnxFromRun, registerOnnxUpload } from "./onnx-versions";
import { listRegisteredModels } from "./registered-models";

const models = path.join(import.meta.dirname, "../../fixtures/models");
const viewer: Actor = { userId: "u-viewer", username: "vera", role: "viewer", via: "session" };
const fixture = async (name: string) => new Uint8Array(await readFile(path.join(models, `${name}.onnx`)));

describe.each(testBackends)("ONNX model versions on %s", (backend) => {
  let studio: TestStudio;
  let runId: string;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    const { experiment_id } = await createExperiment(studio, { name: `onnx-${backend}` });
    const run = await createRun(studio, { experiment_id, run_name: "rf", start_time: 1, tags: [] });
    runId = run.info.run_id;
    await logBatch(studio, { run_id: runId, metrics: [{ key: "accuracy", value: 0.97, timestamp: 2, step: 0 }], params: [{ key: "n_estimators", value: "100" }] });
    const root = artifactRootOf(run.info)!;
    await studio.artifacts.put(`${root}/model/model.onnx`, await fixture("breast-cancer-rf-v1"));
    await studio.artifacts.put(`${root}/notes.txt`, new TextEncoder().encode("not a model"));
    await studio.artifacts.put(
      `${root}/model/MLmodel`,
      new TextEncoder().encode(
        `flavors:\n  onnx:\n    onnx_version: 1.12.0\nsignature:\n  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 30]}}]'\n  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'\n`,
      ),
    );
  });
  afterAll(async () => studio.close());

  it("registers a run's ONNX artifact with its graph summary and the run's metrics and params", async () => {
    const created = await registerOnnxFromRun(studio, { name: "bc", runId, artifactPath: "model/model.onnx", description: "first" });
    expect(created).toEqual({ name: "bc", version: "1" });
    const detail = await getModelVersionDetail(studio, "bc", "1");
    expect(detail.source).toBe(`runs:/${runId}/model/model.onnx`);
    expect(detail.run_id).toBe(runId);
    const introspection = detail.introspection as { inputs: { name: string; shape: unknown[] }[]; operators: { opType: string }[] };
    expect(introspection.inputs[0]).toMatchObject({ name: "input", shape: [null, 30] });
    expect(introspection.operators[0].opType).toBe("TreeEnsembleClassifier");
    // The MLmodel file logged beside it gives the signature MLflow clients know.
    expect((detail.introspection as { mlmodelSignature: unknown }).mlmodelSignature).toEqual({
      inputs: [{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1, 30] } }],
      outputs: [{ type: "tensor", "tensor-spec": { dtype: "int64", shape: [-1] } }],
    });
    expect(detail.lineage).toMatchObject({ runId, runName: "rf", metrics: { accuracy: 0.97 }, params: { n_estimators: "100" }, derivedFrom: null });
    const { bytes } = await readModelVersionOnnx(studio, "bc", "1");
    expect(Buffer.from(bytes).equals(Buffer.from(await fixture("breast-cancer-rf-v1")))).toBe(true);
  });

  it("links and introspects the ONNX file of a version an MLflow client registers over REST", async () => {
    const api = mlflowWire(studio);
    expect((await api.post("registered-models/create", { name: "from-client" })).status).toBe(200);
    const created = await api.post("model-versions/create", { name: "from-client", source: `runs:/${runId}/model`, run_id: runId });
    expect(created.status, created.text).toBe(200);
    const detail = await getModelVersionDetail(studio, "from-client", "1");
    expect(detail.onnx_path).toMatch(/model\/model\.onnx$/);
    expect(detail.introspection).toMatchObject({ usesZipMap: false });
    expect(detail.lineage).toMatchObject({ runId, metrics: { accuracy: 0.97 } });
    const plain = await api.post("model-versions/create", { name: "from-client", source: `runs:/${runId}/notes.txt` });
    expect(plain.status).toBe(200);
    expect((await getModelVersionDetail(studio, "from-client", "2")).introspection).toBeNull();
  });

  it("refuses files that are not ONNX, and registers nothing", async () => {
    await expect(registerOnnxFromRun(studio, { name: "broken", runId, artifactPath: "notes.txt" })).rejects.toThrow(/\.onnx/);
    const half = await fixture("iris-logreg");
    await expect(registerOnnxUpload(studio, { name: "broken", bytes: half.subarray(0, half.length / 2) })).rejects.toThrow(/ONNX/);
    expect((await listRegisteredModels(studio, { search: "broken" })).length).toBe(0);
  });

  it("refuses a viewer", async () => {
    await expect(registerOnnxUpload(studio.as(viewer), { name: "viewer-model", bytes: await fixture("iris-logreg") })).rejects.toThrow(/Permission denied/);
  });

  it("derives a ZipMap-free version that onnxruntime can run, recorded in lineage", async () => {
    await registerOnnxUpload(studio, { name: "iris-zip", bytes: await fixture("iris-logreg-zipmap") });
    expect((await getModelVersionDetail(studio, "iris-zip", "1")).introspection).toMatchObject({ usesZipMap: true });
    expect(await deriveVersionWithoutZipMap(studio, { name: "iris-zip", version: "1" })).toEqual({ name: "iris-zip", version: "2" });
    const derived = await getModelVersionDetail(studio, "iris-zip", "2");
    expect(derived.lineage).toMatchObject({ derivedFrom: { version: "1", transform: "remove-zipmap" } });
    const session = await ort.InferenceSession.create((await readModelVersionOnnx(studio, "iris-zip", "2")).bytes);
    const out = await session.run({ input: new ort.Tensor("float32", Float32Array.from([5.1, 3.5, 1.4, 0.2]), [1, 4]) });
    const probabilities = Object.values(out).find((t) => t.type === "float32" && t.dims.at(-1) === 3)!;
    expect(Array.from(probabilities.data as Float32Array).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    await expect(deriveVersionWithoutZipMap(studio, { name: "iris-zip", version: "2" })).rejects.toThrow(/ZipMap/);
  });
});
