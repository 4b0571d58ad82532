// Tests of the typed studio client against the real route handlers, called in-process through its fetch.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "@/server/testing/test-database";
import { IN_PROCESS_BASE_URL, inProcessFetch } from "@/cli/testing/in-process-fetch";
import { createStudioClient, splitBatch, StudioApiError, StudioUnreachableError, type StudioClient } from "./studio-client";

describe("splitBatch", () => {
  it("keeps every request within MLflow's limits and loses nothing", () => {
    const metrics = Array.from({ length: 2500 }, (_, i) => ({ key: "m", value: i, timestamp: 1, step: i }));
    const params = Array.from({ length: 150 }, (_, i) => ({ key: `p${i}`, value: "v" }));
    const tags = Array.from({ length: 30 }, (_, i) => ({ key: `t${i}`, value: "v" }));
    const chunks = splitBatch({ metrics, params, tags });
    for (const c of chunks) {
      expect(c.params.length).toBeLessThanOrEqual(100);
      expect(c.tags.length).toBeLessThanOrEqual(100);
      expect(c.metrics.length).toBeLessThanOrEqual(1000);
      expect(c.metrics.length + c.params.length + c.tags.length).toBeLessThanOrEqual(1000);
    }
    expect(chunks.flatMap((c) => c.metrics).map((m) => m.step)).toEqual(metrics.map((m) => m.step));
    expect(chunks.flatMap((c) => c.params)).toEqual(params);
    expect(chunks.flatMap((c) => c.tags)).toEqual(tags);
    expect(chunks[0].params).toHaveLength(100);
    expect(splitBatch({ metrics: [], params: [], tags: [] })).toEqual([]);
  });
});

describe.each(testBackends)("studio client (%s)", (backend) => {
  let studio: TestStudio;
  let client: StudioClient;
  const requests: Request[] = [];

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    client = createStudioClient({
      baseUrl: `${IN_PROCESS_BASE_URL}/`,
      token: "secret-token",
      fetch: inProcessFetch(studio, (request) => requests.push(request)),
    });
  });
  afterAll(async () => studio.close());

  it("creates, finds and gets-or-creates experiments", async () => {
    const id = await client.createExperiment("client-exp", { tags: [{ key: "team", value: "a" }] });
    expect(id).toMatch(/^\d+$/);
    const found = await client.getExperimentByName("client-exp");
    expect(found?.experiment_id).toBe(id);
    expect(found?.tags).toEqual([{ key: "team", value: "a" }]);
    expect(await client.getExperimentByName("no-such-experiment")).toBeNull();
    expect((await client.getOrCreateExperiment("client-exp")).experiment_id).toBe(id);
    const fresh = await client.getOrCreateExperiment("client-exp-2");
    expect(fresh.name).toBe("client-exp-2");
    const names: string[] = [];
    for await (const e of client.iterateExperiments({ max_results: 1 })) names.push(e.name);
    expect(names.sort()).toEqual(["Default", "client-exp", "client-exp-2"]);
    expect(requests.at(-1)?.headers.get("authorization")).toBe("Bearer secret-token");
  });

  it("throws StudioApiError with MLflow's error code, message and status", async () => {
    const error = await client.createExperiment("client-exp").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioApiError);
    expect(error).toMatchObject({ errorCode: "RESOURCE_ALREADY_EXISTS", status: 400 });
    expect((error as StudioApiError).message).toContain("already exists");
    await expect(client.getRun("0123456789abcdef")).rejects.toMatchObject({ errorCode: "RESOURCE_DOES_NOT_EXIST", status: 404 });
  });

  it("logs params, metrics, tags and big batches, and reads them back", async () => {
    const experiment = await client.getOrCreateExperiment("client-logging");
    const run = await client.createRun({ experiment_id: experiment.experiment_id, run_name: "r1", start_time: 1000 });
    const runId = run.info.run_id;
    await client.logParam(runId, "lr", 0.01);
    await client.logMetric(runId, "single", 1.5, { step: 3, timestamp: 10 });
    await client.setTag(runId, "team", "vision");
    const metrics = Array.from({ length: 2500 }, (_, step) => ({ key: "loss", value: 1 / (step + 1), step, timestamp: 2000 + step }));
    metrics.push({ key: "weird", value: Number.NaN, step: 0, timestamp: 1 }, { key: "weird", value: Infinity, step: 1, timestamp: 1 });
    const params = Array.from({ length: 120 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
    const before = requests.length;
    await client.logBatch(runId, { metrics, params, tags: [{ key: "stage", value: "dev" }] });
    expect(requests.length - before).toBe(3);

    const history = await client.getMetricHistory(runId, "loss");
    expect(history).toHaveLength(2500);
    expect(history[2499]).toEqual({ key: "loss", value: 1 / 2500, step: 2499, timestamp: 4499 });
    const weird = await client.getMetricHistory(runId, "weird");
    expect(weird.map((m) => m.value)).toEqual([Number.NaN, Infinity]);

    const conflict = await client.logParam(runId, "lr", "0.02").catch((e: unknown) => e);
    expect(conflict).toMatchObject({ errorCode: "INVALID_PARAMETER_VALUE", status: 400 });

    await client.logInputs(runId, [
      { tags: [{ key: "mlflow.data.context", value: "training" }], dataset: { name: "d", digest: "abc", source_type: "local", source: "{}" } },
    ]);
    const finished = await client.finishRun(runId, "FINISHED", 9999);
    expect(finished).toMatchObject({ status: "FINISHED", end_time: 9999 });
    const fetched = await client.getRun(runId);
    expect(fetched.data.params).toHaveLength(121);
    expect(fetched.data.tags).toEqual(expect.arrayContaining([{ key: "team", value: "vision" }, { key: "stage", value: "dev" }]));
    expect(fetched.inputs.dataset_inputs[0].dataset.name).toBe("d");
  });

  it("searches runs with filter, order_by and pages", async () => {
    const experiment = await client.getOrCreateExperiment("client-search");
    for (let i = 0; i < 7; i++) {
      const run = await client.createRun({ experiment_id: experiment.experiment_id, run_name: `run-${i}`, start_time: 1000 + i });
      await client.logBatch(run.info.run_id, { metrics: [{ key: "acc", value: i / 10, step: 0 }], params: [{ key: "i", value: String(i) }] });
    }
    const first = await client.searchRuns({
      experiment_ids: [experiment.experiment_id],
      filter: "metrics.acc >= 0.2",
      order_by: ["metrics.acc DESC"],
      max_results: 2,
    });
    expect(first.runs.map((r) => r.info.run_name)).toEqual(["run-6", "run-5"]);
    expect(first.next_page_token).toBeTruthy();
    const all: string[] = [];
    for await (const run of client.iterateRuns({
      experiment_ids: [experiment.experiment_id],
      filter: "metrics.acc >= 0.2",
      order_by: ["metrics.acc DESC"],
      max_results: 2,
    })) {
      all.push(run.info.run_name);
    }
    expect(all).toEqual(["run-6", "run-5", "run-4", "run-3", "run-2"]);
    await expect(client.searchRuns({ experiment_ids: [experiment.experiment_id], filter: "metrics.acc >>> 1" })).rejects.toMatchObject({
      errorCode: "INVALID_PARAMETER_VALUE",
    });
  });

  it("uploads, lists and downloads artifacts through the proxy", async () => {
    const experiment = await client.getOrCreateExperiment("client-artifacts");
    const run = await client.createRun({ experiment_id: experiment.experiment_id });
    const bytes = new Uint8Array([0, 1, 2, 250, 251]);
    await client.uploadArtifact(run, "model/model.onnx", bytes);
    await client.uploadArtifact(run.info, "model/notes name.md", "# hello");
    await client.uploadArtifact(run, "summary.json", new Blob(['{"ok":true}']));
    const root = await client.listArtifacts(run.info.run_id);
    expect(root.files).toEqual([
      { path: "model", is_dir: true },
      { path: "summary.json", is_dir: false, file_size: 11 },
    ]);
    const model = await client.listArtifacts(run.info.run_id, "model");
    expect(model.files.map((f) => f.path)).toEqual(["model/model.onnx", "model/notes name.md"]);
    expect(Array.from(await client.downloadArtifact(run, "model/model.onnx"))).toEqual([0, 1, 2, 250, 251]);
    await expect(client.downloadArtifact(run, "missing.txt")).rejects.toMatchObject({ errorCode: "RESOURCE_DOES_NOT_EXIST", status: 404 });
  });

  it("reports a non-JSON error page with its status", async () => {
    const stray = createStudioClient({ baseUrl: `${IN_PROCESS_BASE_URL}/elsewhere`, fetch: inProcessFetch(studio) });
    await expect(stray.createExperiment("x")).rejects.toMatchObject({ errorCode: "HTTP_404", status: 404 });
  });
});

describe("unreachable studio", () => {
  it("names the URL and the network cause", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:3999"), { code: "ECONNREFUSED" });
    const client = createStudioClient({
      baseUrl: "http://127.0.0.1:3999",
      fetch: async () => {
        throw new TypeError("fetch failed", { cause: refused });
      },
    });
    const error = await client.searchExperiments().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioUnreachableError);
    expect((error as Error).message).toBe("Cannot reach the studio at http://127.0.0.1:3999: fetch failed (ECONNREFUSED)");
  });
});
