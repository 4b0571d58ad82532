// MLflow conformance of the experiment endpoints: shapes, lifecycle, tags and each error code, on every backend.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { expectMlflowError } from "../testing/expect-mlflow-error";

type Api = ReturnType<typeof mlflowWire>;


interface WireExperiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
  tags?: { key: string; value: string }[];
}

describe.each(testBackends)("experiments REST API on %s", (kind) => {
  let studio: TestStudio;
  let api: Api;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    api = mlflowWire(studio);
  });
  afterAll(async () => studio.close());

  async function create(name: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await api.post("experiments/create", { name, ...extra });
    expect(res.status, res.text).toBe(200);
    return res.body.experiment_id as string;
  }

  it("creates an experiment and returns it from get and get-by-name in MLflow's shape", async () => {
    const id = await create("churn", { tags: [{ key: "team", value: "risk" }] });
    expect(id).toMatch(/^\d+$/);
    const got = await api.get("experiments/get", { experiment_id: id });
    expect(got.status, got.text).toBe(200);
    const exp = got.body.experiment as WireExperiment;
    expect(exp).toMatchObject({
      experiment_id: id,
      name: "churn",
      artifact_location: `mlflow-artifacts:/${id}`,
      lifecycle_stage: "active",
      tags: [{ key: "team", value: "risk" }],
    });
    expect(exp.creation_time).toBeGreaterThan(0);
    expect(exp.last_update_time).toBeGreaterThanOrEqual(exp.creation_time);
    const byName = await api.get("experiments/get-by-name", { experiment_name: "churn" });
    expect(byName.status).toBe(200);
    expect((byName.body.experiment as WireExperiment).experiment_id).toBe(id);
  });

  it("has the Default experiment with id 0", async () => {
    const res = await api.get("experiments/get", { experiment_id: "0" });
    expect((res.body.experiment as WireExperiment).name).toBe("Default");
  });

  it("answers the create, get and update errors with MLflow's codes", async () => {
    await create("dup");
    expectMlflowError(await api.post("experiments/create", { name: "dup" }), 400, "RESOURCE_ALREADY_EXISTS", /dup/);
    expectMlflowError(await api.post("experiments/create", {}), 400, "INVALID_PARAMETER_VALUE", /name/);
    expectMlflowError(await api.post("experiments/create", { name: "" }), 400, "INVALID_PARAMETER_VALUE", /name/);
    expectMlflowError(await api.post("experiments/create", { name: 42 }), 400, "INVALID_PARAMETER_VALUE", /name/);
    expectMlflowError(await api.post("experiments/create", { name: "x".repeat(501) }), 400, "INVALID_PARAMETER_VALUE");
    expectMlflowError(await api.get("experiments/get", { experiment_id: "987654" }), 404, "RESOURCE_DOES_NOT_EXIST", /987654/);
    expectMlflowError(await api.get("experiments/get", {}), 400, "INVALID_PARAMETER_VALUE", /experiment_id/);
    expectMlflowError(await api.get("experiments/get", { experiment_id: "abc" }), 400, "INVALID_PARAMETER_VALUE", /experiment_id/);
    expectMlflowError(await api.get("experiments/get-by-name", { experiment_name: "nope" }), 404, "RESOURCE_DOES_NOT_EXIST", /nope/);
    expectMlflowError(await api.get("experiments/get-by-name", {}), 400, "INVALID_PARAMETER_VALUE", /experiment_name/);
    expectMlflowError(await api.post("experiments/update", { experiment_id: "987654", new_name: "z" }), 404, "RESOURCE_DOES_NOT_EXIST");
    const other = await create("other");
    expectMlflowError(await api.post("experiments/update", { experiment_id: other, new_name: "dup" }), 400, "RESOURCE_ALREADY_EXISTS");
    expectMlflowError(await api.post("experiments/update", { experiment_id: other }), 400, "INVALID_PARAMETER_VALUE", /new_name/);
  });

  it("renames an experiment", async () => {
    const id = await create("before-rename");
    const res = await api.post("experiments/update", { experiment_id: id, new_name: "after-rename" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({});
    const got = await api.get("experiments/get-by-name", { experiment_name: "after-rename" });
    expect((got.body.experiment as WireExperiment).experiment_id).toBe(id);
    expectMlflowError(await api.get("experiments/get-by-name", { experiment_name: "before-rename" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("deletes and restores an experiment with its runs, as MLflow does", async () => {
    const id = await create("lifecycle");
    const run = await api.post("runs/create", { experiment_id: id });
    const runId = (run.body.run as { info: { run_id: string } }).info.run_id;
    expect((await api.post("experiments/delete", { experiment_id: id })).status).toBe(200);
    const got = await api.get("experiments/get", { experiment_id: id });
    expect((got.body.experiment as WireExperiment).lifecycle_stage).toBe("deleted");
    // A deleted experiment's runs are deleted with it and hidden from search.
    const runAfter = await api.get("runs/get", { run_id: runId });
    expect((runAfter.body.run as { info: { lifecycle_stage: string } }).info.lifecycle_stage).toBe("deleted");
    const search = await api.post("runs/search", { experiment_ids: [id] });
    expect(search.body.runs ?? []).toEqual([]);
    // MLflow looks a deleted experiment up among active ones only, so deleting it again is "not found".
    expectMlflowError(await api.post("experiments/delete", { experiment_id: id }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.post("experiments/update", { experiment_id: id, new_name: "renamed" }), 400, "INVALID_STATE");
    expectMlflowError(await api.post("runs/create", { experiment_id: id }), 400, "INVALID_PARAMETER_VALUE", /active/);
    expectMlflowError(
      await api.post("experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "v" }),
      400,
      "INVALID_PARAMETER_VALUE",
      /active/,
    );
    // Its name stays taken while it is deleted.
    expectMlflowError(await api.post("experiments/create", { name: "lifecycle" }), 400, "RESOURCE_ALREADY_EXISTS");

    expect((await api.post("experiments/restore", { experiment_id: id })).status).toBe(200);
    const restored = await api.get("experiments/get", { experiment_id: id });
    expect((restored.body.experiment as WireExperiment).lifecycle_stage).toBe("active");
    const runRestored = await api.get("runs/get", { run_id: runId });
    expect((runRestored.body.run as { info: { lifecycle_stage: string } }).info.lifecycle_stage).toBe("active");
    expectMlflowError(await api.post("experiments/restore", { experiment_id: id }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.post("experiments/delete", { experiment_id: "987654" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.post("experiments/restore", { experiment_id: "987654" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("sets, overwrites and deletes experiment tags", async () => {
    const id = await create("tagged");
    expect((await api.post("experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "1" })).status).toBe(200);
    expect((await api.post("experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "2" })).status).toBe(200);
    const got = await api.get("experiments/get", { experiment_id: id });
    expect((got.body.experiment as WireExperiment).tags).toEqual([{ key: "k", value: "2" }]);
    expect((await api.post("experiments/delete-experiment-tag", { experiment_id: id, key: "k" })).status).toBe(200);
    const after = await api.get("experiments/get", { experiment_id: id });
    expect((after.body.experiment as WireExperiment).tags ?? []).toEqual([]);
    expectMlflowError(await api.post("experiments/set-experiment-tag", { experiment_id: "987654", key: "k", value: "v" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.post("experiments/set-experiment-tag", { experiment_id: id, value: "v" }), 400, "INVALID_PARAMETER_VALUE", /key/);
    expectMlflowError(await api.post("experiments/set-experiment-tag", { experiment_id: id, key: "../x", value: "v" }), 400, "INVALID_PARAMETER_VALUE");
    expectMlflowError(await api.post("experiments/delete-experiment-tag", { experiment_id: id, key: "absent" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("searches experiments by filter, view type and order, paging with tokens", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await create(`search-${i}`, { tags: [{ key: "group", value: i % 2 ? "odd" : "even" }] }));
    await api.post("experiments/delete", { experiment_id: ids[4] });

    const liked = await api.post("experiments/search", { filter: "name LIKE 'search-%'", order_by: ["name ASC"] });
    expect(liked.status, liked.text).toBe(200);
    expect((liked.body.experiments as WireExperiment[]).map((e) => e.name)).toEqual(["search-0", "search-1", "search-2", "search-3"]);

    const odd = await api.post("experiments/search", { filter: "tags.group = 'odd' and name ILIKE 'SEARCH-%'" });
    expect((odd.body.experiments as WireExperiment[]).map((e) => e.name).sort()).toEqual(["search-1", "search-3"]);

    const deleted = await api.get("experiments/search", { view_type: "DELETED_ONLY", filter: "name LIKE 'search-%'" });
    expect((deleted.body.experiments as WireExperiment[]).map((e) => e.name)).toEqual(["search-4"]);

    const all = await api.get("experiments/search", { view_type: "ALL", filter: "name LIKE 'search-%'", order_by: "name DESC" });
    expect((all.body.experiments as WireExperiment[]).map((e) => e.name)).toEqual(["search-4", "search-3", "search-2", "search-1", "search-0"]);

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await api.get("experiments/search", {
        max_results: "2",
        filter: "name LIKE 'search-%'",
        order_by: "name ASC",
        ...(token ? { page_token: token } : {}),
      });
      expect(page.status, page.text).toBe(200);
      seen.push(...(page.body.experiments as WireExperiment[]).map((e) => e.name));
      token = page.body.next_page_token as string | undefined;
    } while (token);
    expect(seen).toEqual(["search-0", "search-1", "search-2", "search-3"]);

    expectMlflowError(await api.post("experiments/search", { filter: "name = " }), 400, "INVALID_PARAMETER_VALUE", /filter/);
    expectMlflowError(await api.post("experiments/search", { order_by: ["colour DESC"] }), 400, "INVALID_PARAMETER_VALUE", /order_by/);
    expectMlflowError(await api.post("experiments/search", { max_results: 0 }), 400, "INVALID_PARAMETER_VALUE", /max_results/);
    expectMlflowError(await api.post("experiments/search", { page_token: "garbage" }), 400, "INVALID_PARAMETER_VALUE", /page token/);
    expectMlflowError(await api.post("experiments/search", { view_type: "SOME" }), 400, "INVALID_PARAMETER_VALUE", /view_type/);
  });

  it("answers an unknown endpoint or method with ENDPOINT_NOT_FOUND", async () => {
    expectMlflowError(await api.post("experiments/frobnicate", {}), 404, "ENDPOINT_NOT_FOUND");
    expectMlflowError(await api.get("experiments/create", { name: "x" }), 404, "ENDPOINT_NOT_FOUND");
    expectMlflowError(await api.get("nothing/here"), 404, "ENDPOINT_NOT_FOUND");
  });
});
