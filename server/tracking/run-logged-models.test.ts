// A run's log_model history as models: flavours, the ONNX file of each folder, Register from the run page and the versions it made.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { appRouter } from "../root-router";
import { mlflowWire } from "../testing/mlflow-client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { parseLogModelHistory } from "./run-logged-models";

const editor: Actor = { userId: "editor-1", username: "erin", role: "editor", via: "session" };
const fixtures = path.join(import.meta.dirname, "../../fixtures");

const mlmodel = (artifactPath: string, runId: string, flavors: Record<string, unknown>) =>
  JSON.stringify({ artifact_path: artifactPath, flavors, utc_time_created: "2026-12-06 10:00:00.000000", run_id: runId });

describe("parseLogModelHistory", () => {
  it("reads each logged folder once (the latest entry wins), skipping malformed entries", () => {
    const value = JSON.stringify([
      { artifact_path: "model", flavors: { sklearn: {} }, utc_time_created: "a" },
      { flavors: {} },
      { artifact_path: "model", flavors: { sklearn: {}, python_function: {} }, utc_time_created: "b" },
      { artifact_path: "onnx", flavors: { onnx: {} } },
    ]);
    expect(parseLogModelHistory(value)).toEqual([
      { artifactPath: "model", flavors: ["python_function", "sklearn"], loggedAt: "b" },
      { artifactPath: "onnx", flavors: ["onnx"], loggedAt: null },
    ]);
    expect(parseLogModelHistory("not json")).toEqual([]);
    expect(parseLogModelHistory('{"artifact_path": "model"}')).toEqual([]);
  });
});

describe.each(testBackends)("a run's logged models on %s", (kind) => {
  let studio: TestStudio;
  let runId: string;
  const caller = () => appRouter.createCaller({ ...studio.as(editor), req: new Request("http://studio.test/api/trpc") });

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    const api = mlflowWire(studio);
    const created = await api.post("runs/create", { experiment_id: "0", run_name: "trainer" });
    const info = (created.body.run as { info: { run_id: string; artifact_uri: string } }).info;
    runId = info.run_id;
    const root = info.artifact_uri.replace(/^mlflow-artifacts:\/+/, "");
    await api.post("runs/log-batch", { run_id: runId, metrics: [{ key: "auc", value: 0.88, timestamp: 1, step: 0 }] });
    // What mlflow.sklearn.log_model and mlflow.onnx.log_model leave: the files, then the history entry.
    expect((await api.artifacts("PUT", `${root}/model/MLmodel`, "flavors: {sklearn: {}}\n")).status).toBe(200);
    expect((await api.artifacts("PUT", `${root}/model/model.pkl`, "pickle bytes")).status).toBe(200);
    const onnx = new Uint8Array(await readFile(path.join(fixtures, "models/credit-logreg.onnx")));
    expect((await api.artifacts("PUT", `${root}/onnx_model/model.onnx`, onnx)).status).toBe(200);
    for (const [folder, flavors] of [["model", { sklearn: {}, python_function: {} }], ["onnx_model", { onnx: {} }]] as const) {
      expect((await api.post("runs/log-model", { run_id: runId, model_json: mlmodel(folder, runId, flavors) })).status).toBe(200);
    }
  });
  afterAll(async () => studio.close());

  it("lists each logged model with its flavours and ONNX file, then the versions Register makes from it, with lineage", async () => {
    const before = await caller().tracking.runLoggedModels({ runId });
    expect(before).toEqual([
      expect.objectContaining({ artifactPath: "model", flavors: ["python_function", "sklearn"], onnxPath: null, registeredVersions: [] }),
      expect.objectContaining({ artifactPath: "onnx_model", flavors: ["onnx"], onnxPath: "onnx_model/model.onnx", registeredVersions: [] }),
    ]);

    // A non-ONNX folder becomes a plain version of runs:/<run>/model; the ONNX file an introspected one.
    await expect(caller().registry.registerFromRun({ name: "churn", runId, artifactPath: "model" })).resolves.toEqual({ name: "churn", version: "1" });
    await expect(caller().registry.registerFromRun({ name: "churn", runId, artifactPath: "onnx_model/model.onnx" })).resolves.toEqual({ name: "churn", version: "2" });
    const plain = await caller().registry.version({ name: "churn", version: "1" });
    expect(plain).toMatchObject({ source: `runs:/${runId}/model`, run_id: runId, onnx_path: null, lineage: { runId, metrics: { auc: 0.88 }, artifactPath: "model" } });
    expect((await caller().registry.version({ name: "churn", version: "2" })).introspection).not.toBeNull();

    const after = await caller().tracking.runLoggedModels({ runId });
    expect(after.map((m) => [m.artifactPath, m.registeredVersions])).toEqual([
      ["model", [{ name: "churn", version: "1" }]],
      ["onnx_model", [{ name: "churn", version: "2" }]],
    ]);
  });

  it("lists nothing for a run that logged no model", async () => {
    const other = await mlflowWire(studio).post("runs/create", { experiment_id: "0" });
    const otherId = (other.body.run as { info: { run_id: string } }).info.run_id;
    expect(await caller().tracking.runLoggedModels({ runId: otherId })).toEqual([]);
  });
});
