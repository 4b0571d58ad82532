// The registry's tRPC reads for the pages (models list, model page, version page), and version numbering under concurrent registrations.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { appRouter } from "../root-router";
import type { Actor } from "../auth/actor";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { createModelVersion } from "./model-versions";

const viewer: Actor = { userId: "viewer-1", username: "victor", role: "viewer", via: "session" };

describe.each(testBackends)("registry tRPC reads on %s", (kind) => {
  let studio: TestStudio;
  let runId: string;
  const callerFor = (actor: Actor | null) =>
    appRouter.createCaller({ ...studio.as(actor ?? viewer), actor, req: new Request("http://studio.test/api/trpc") });

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    const api = mlflowWire(studio);
    const run = await api.post("runs/create", { experiment_id: "0", run_name: "train" });
    runId = (run.body.run as { info: { run_id: string } }).info.run_id;
    for (const name of ["iris-logreg", "iris-forest", "churn-gbm"]) {
      await api.post("registered-models/create", { name, tags: [{ key: "task", value: "classification" }] });
    }
    await api.post("model-versions/create", { name: "iris-logreg", source: `runs:/${runId}/model`, run_id: runId });
    await createModelVersion(studio, {
      name: "iris-logreg",
      source: `runs:/${runId}/model`,
      run_id: runId,
      onnx_path: "model/model.onnx",
      lineage: { run_id: runId, datasets: [{ name: "iris", version: 1 }] },
    });
    await api.post("registered-models/alias", { name: "iris-logreg", alias: "champion", version: "2" });
    await api.post("model-versions/transition-stage", { name: "iris-logreg", version: "1", stage: "Archived" });
  });
  afterAll(async () => studio.close());

  it("lists models matching the search text, any case", async () => {
    const all = await callerFor(viewer).registry.listModels({});
    expect(all.map((m) => m.name).sort()).toEqual(["churn-gbm", "iris-forest", "iris-logreg"]);
    const iris = await callerFor(viewer).registry.listModels({ search: "IRIS" });
    expect(iris.map((m) => m.name).sort()).toEqual(["iris-forest", "iris-logreg"]);
    expect(await callerFor(viewer).registry.listModels({ search: "%" })).toEqual([]);
  });

  it("shows a model with all its versions, newest first, its aliases and tags", async () => {
    const model = await callerFor(viewer).registry.model({ name: "iris-logreg" });
    expect(model.versions.map((v) => [v.version, v.current_stage, v.aliases])).toEqual([
      ["2", "None", ["champion"]],
      ["1", "Archived", []],
    ]);
    expect(model.aliases).toEqual([{ alias: "champion", version: "2" }]);
    expect(model.tags).toEqual([{ key: "task", value: "classification" }]);
    await expect(callerFor(viewer).registry.model({ name: "absent" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("shows a version with its files, ONNX link and lineage", async () => {
    const run = await mlflowWire(studio).get("runs/get", { run_id: runId });
    const artifactUri = (run.body.run as { info: { artifact_uri: string } }).info.artifact_uri;
    const version = await callerFor(viewer).registry.version({ name: "iris-logreg", version: 2 });
    expect(version).toMatchObject({
      version: "2",
      storage_location: `${artifactUri}/model`,
      onnx_path: "model/model.onnx",
      introspection: null,
      lineage: { run_id: runId, datasets: [{ name: "iris", version: 1 }] },
    });
    expect((await callerFor(viewer).registry.version({ name: "iris-logreg", version: "1" })).onnx_path).toBeNull();
    await expect(callerFor(viewer).registry.version({ name: "iris-logreg", version: "9" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses callers who are not signed in", async () => {
    await expect(callerFor(null).registry.listModels({})).rejects.toBeInstanceOf(TRPCError);
    await expect(callerFor(null).registry.listModels({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("numbers concurrent registrations of one model 1…n without gaps or clashes", async () => {
    const api = mlflowWire(studio);
    await api.post("registered-models/create", { name: "busy" });
    const results = await Promise.all(
      Array.from({ length: 12 }, () => api.post("model-versions/create", { name: "busy", source: `runs:/${runId}/model` })),
    );
    for (const res of results) expect(res.status, res.text).toBe(200);
    const numbers = results.map((res) => Number((res.body.model_version as { version: string }).version)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});
