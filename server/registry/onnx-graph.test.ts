// The ONNX graph preview: nodes in graph order with what they read and write, weights told apart, from a run's artifact or a version.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { appRouter } from "../root-router";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { createExperiment } from "../tracking/experiments";
import { artifactRootOf, createRun } from "../tracking/runs";
import { describeOnnxGraph } from "./onnx-graph";
import type { DomainError } from "../errors";
import { saidIn } from "../testing/said-error";
import { registerOnnxUpload } from "./onnx-versions";

const models = path.join(import.meta.dirname, "../../fixtures/models");
const fixture = async (name: string) => new Uint8Array(await readFile(path.join(models, `${name}.onnx`)));
const viewer: Actor = { userId: "u-viewer", username: "vera", role: "viewer", via: "session" };
const editor: Actor = { userId: "u-erin", username: "erin", role: "editor", via: "session" };

describe("describeOnnxGraph", () => {
  it("lists an MLP's nodes in order, its weights apart from the data, with inputs and outputs typed", async () => {
    const graph = describeOnnxGraph(await fixture("digits-mlp"));
    expect(graph.nodes.slice(0, 4).map((node) => [node.opType, node.inputs, node.outputs])).toEqual([
      ["Cast", ["input"], ["cast_input"]],
      ["MatMul", ["cast_input", "coefficient"], ["mul_result"]],
      ["Add", ["mul_result", "intercepts"], ["add_result"]],
      ["Relu", ["add_result"], ["next_activations"]],
    ]);
    expect(graph.topLevelNodeCount).toBe(graph.nodes.length);
    expect(graph.weights).toEqual(expect.arrayContaining(["coefficient", "intercepts", "coefficient1", "intercepts1"]));
    expect(graph.weights).not.toContain("input");
    expect(graph.introspection.inputs[0]).toMatchObject({ name: "input", elementType: "float32", shape: [null, 64] });
    expect(graph.introspection.operators.find((op) => op.opType === "MatMul")?.count).toBe(2);
  });

  it("caps the node list and keeps the full count", async () => {
    const graph = describeOnnxGraph(await fixture("digits-mlp"), 3);
    expect(graph.nodes).toHaveLength(3);
    expect(graph.topLevelNodeCount).toBeGreaterThan(3);
  });

  it("refuses bytes that are not a model, saying so", () => {
    expect(() => describeOnnxGraph(new TextEncoder().encode("col_a,col_b\n1,2\n"))).toThrow(/could not be read as an ONNX model/);
  });
});

describe.each(testBackends)("registry.onnxGraph on %s", (backend) => {
  let studio: TestStudio;
  let runId: string;
  let root: string;
  const callerFor = (actor: Actor) => appRouter.createCaller({ ...studio.as(actor), actor, req: new Request("http://studio.test/api/trpc") });

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    const { experiment_id } = await createExperiment(studio, { name: `graph-${backend}` });
    const run = await createRun(studio, { experiment_id, run_name: "iris", start_time: 1, tags: [] });
    runId = run.info.run_id;
    root = artifactRootOf(run.info)!;
    await studio.artifacts.put(`${root}/model/model.onnx`, await fixture("iris-logreg"));
    await studio.artifacts.put(`${root}/model/notes.onnx`, new TextEncoder().encode("not a model"));
    await registerOnnxUpload(studio.as(editor), { name: "ridge", bytes: await fixture("diabetes-ridge") });
  });
  afterAll(async () => studio.close());

  it("previews a run's .onnx artifact for a viewer", async () => {
    const graph = await callerFor(viewer).registry.onnxGraph({ source: "run", runId, path: "model/model.onnx" });
    expect(graph.nodes.map((node) => [node.opType, node.domain, node.outputs])).toEqual([
      ["LinearClassifier", "ai.onnx.ml", ["label", "probability_tensor"]],
      ["Normalizer", "ai.onnx.ml", ["probabilities"]],
    ]);
    expect(graph.introspection.outputs.map((output) => output.typeDescription)).toEqual(["tensor<int64>[?]", "tensor<float32>[?,3]"]);
  });

  it("previews the same file by its artifact store path, as the run page's artifact browser names it", async () => {
    const graph = await callerFor(viewer).registry.onnxGraph({ source: "artifact", path: `${root}/model/model.onnx` });
    expect(graph.nodes.map((node) => node.opType)).toEqual(["LinearClassifier", "Normalizer"]);
    await expect(callerFor(viewer).registry.onnxGraph({ source: "artifact", path: `${root}/../../etc/passwd.onnx` })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("previews a registered version", async () => {
    const graph = await callerFor(viewer).registry.onnxGraph({ source: "version", name: "ridge", version: "1" });
    expect(graph.nodes.map((node) => node.opType)).toEqual(["LinearRegressor"]);
    expect(graph.introspection.inputs[0].shape).toEqual([null, 10]);
  });

  it("answers bad requests with what to fix", async () => {
    await expect(callerFor(viewer).registry.onnxGraph({ source: "run", runId, path: "model/notes.onnx" })).rejects.toThrow(/could not be read as an ONNX model/);
    const notOnnx: unknown = await callerFor(viewer).registry.onnxGraph({ source: "run", runId, path: "model/MLmodel" }).catch((error: unknown) => error);
    expect(notOnnx).toMatchObject({ message: expect.stringMatching(/not an \.onnx file/) });
    // The run and version pages say it in the reader's language; English says exactly the server's message.
    const refusal = (notOnnx as { cause: DomainError }).cause;
    expect(saidIn("en", refusal)).toBe(refusal.message);
    expect(saidIn("fr", refusal)).toBe("«\u00a0model/MLmodel\u00a0» n'est pas un fichier .onnx\u00a0: seuls les modèles ONNX ont un aperçu du graphe.");
    await expect(callerFor(viewer).registry.onnxGraph({ source: "run", runId, path: "model/missing.onnx" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(viewer).registry.onnxGraph({ source: "version", name: "ridge", version: "9" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
