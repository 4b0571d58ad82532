// MLflow conformance of the registered-model endpoints: shapes, search, rename, delete, tags, aliases, permissions and each error code, on every backend.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { expectMlflowError } from "../testing/expect-mlflow-error";
import { listAuditEntries } from "../auth/audit";
import { zModelVersion, zRegisteredModel, type RegisteredModel } from "./schema";

type Api = ReturnType<typeof mlflowWire>;

describe.each(testBackends)("registered-models REST API on %s", (kind) => {
  let studio: TestStudio;
  let api: Api;
  let runId: string;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    api = mlflowWire(studio);
    const run = await api.post("runs/create", { experiment_id: "0", run_name: "train" });
    runId = (run.body.run as { info: { run_id: string } }).info.run_id;
  });
  afterAll(async () => studio.close());

  async function createModel(name: string, extra: Record<string, unknown> = {}): Promise<RegisteredModel> {
    const res = await api.post("registered-models/create", { name, ...extra });
    expect(res.status, res.text).toBe(200);
    return zRegisteredModel.parse(res.body.registered_model);
  }
  async function createVersion(name: string): Promise<string> {
    const res = await api.post("model-versions/create", { name, source: `runs:/${runId}/model`, run_id: runId });
    expect(res.status, res.text).toBe(200);
    return zModelVersion.parse(res.body.model_version).version;
  }
  const getModel = async (name: string) => zRegisteredModel.parse((await api.get("registered-models/get", { name })).body.registered_model);

  it("creates a model and returns it from get in MLflow's shape", async () => {
    const created = await createModel("churn", { description: "Churn classifier", tags: [{ key: "team", value: "risk" }] });
    expect(created).toMatchObject({ name: "churn", description: "Churn classifier", tags: [{ key: "team", value: "risk" }], latest_versions: [], aliases: [] });
    expect(created.creation_timestamp).toBeGreaterThan(0);
    expect(created.last_updated_timestamp).toBe(created.creation_timestamp);
    const got = await api.get("registered-models/get", { name: "churn" });
    expect(got.status, got.text).toBe(200);
    expect(got.body.registered_model).toEqual(created);
    const ajax = await api.call("GET", "registered-models/get?name=churn");
    expect(ajax.status, ajax.text).toBe(200);
  });

  it("answers create and get errors with MLflow's codes", async () => {
    await createModel("dup");
    expectMlflowError(await api.post("registered-models/create", { name: "dup" }), 400, "RESOURCE_ALREADY_EXISTS", /dup/);
    expectMlflowError(await api.post("registered-models/create", {}), 400, "INVALID_PARAMETER_VALUE", /name/);
    expectMlflowError(await api.post("registered-models/create", { name: "" }), 400, "INVALID_PARAMETER_VALUE", /name/);
    expectMlflowError(await api.post("registered-models/create", { name: "a/b" }), 400, "INVALID_PARAMETER_VALUE", /a\/b/);
    expectMlflowError(await api.post("registered-models/create", { name: "ok", tags: [{ key: "../x", value: "v" }] }), 400, "INVALID_PARAMETER_VALUE");
    expectMlflowError(await api.get("registered-models/get", { name: "nope" }), 404, "RESOURCE_DOES_NOT_EXIST", /nope/);
    expectMlflowError(await api.get("registered-models/get", {}), 400, "INVALID_PARAMETER_VALUE", /name/);
    expectMlflowError(await api.post("registered-models/get", { name: "dup" }), 404, "ENDPOINT_NOT_FOUND");
  });

  it("updates the description with PATCH and returns the model", async () => {
    const created = await createModel("described");
    const res = await api.call("PATCH", "registered-models/update", { name: "described", description: "v2 notes" });
    expect(res.status, res.text).toBe(200);
    const model = zRegisteredModel.parse(res.body.registered_model);
    expect(model.description).toBe("v2 notes");
    expect(model.last_updated_timestamp).toBeGreaterThanOrEqual(created.last_updated_timestamp);
    expectMlflowError(await api.call("PATCH", "registered-models/update", { name: "absent", description: "x" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("renames a model keeping its versions, tags and aliases", async () => {
    await createModel("old-name", { tags: [{ key: "k", value: "v" }] });
    await createVersion("old-name");
    await createVersion("old-name");
    expect((await api.post("registered-models/alias", { name: "old-name", alias: "champion", version: "2" })).status).toBe(200);
    const res = await api.post("registered-models/rename", { name: "old-name", new_name: "new-name" });
    expect(res.status, res.text).toBe(200);
    expect(zRegisteredModel.parse(res.body.registered_model).name).toBe("new-name");
    const model = await getModel("new-name");
    expect(model.tags).toEqual([{ key: "k", value: "v" }]);
    expect(model.aliases).toEqual([{ alias: "champion", version: "2" }]);
    expect(model.latest_versions.map((v) => [v.name, v.version])).toEqual([["new-name", "2"]]);
    const v1 = await api.get("model-versions/get", { name: "new-name", version: "1" });
    expect(v1.status, v1.text).toBe(200);
    const byAlias = await api.get("registered-models/alias", { name: "new-name", alias: "champion" });
    expect(zModelVersion.parse(byAlias.body.model_version).version).toBe("2");
    expectMlflowError(await api.get("registered-models/get", { name: "old-name" }), 404, "RESOURCE_DOES_NOT_EXIST");
    await createModel("taken");
    expectMlflowError(await api.post("registered-models/rename", { name: "new-name", new_name: "taken" }), 400, "RESOURCE_ALREADY_EXISTS", /taken/);
    expectMlflowError(await api.post("registered-models/rename", { name: "absent", new_name: "z" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.post("registered-models/rename", { name: "new-name", new_name: "" }), 400, "INVALID_PARAMETER_VALUE", /new_name/);
  });

  it("deletes a model with its versions, tags and aliases; the name starts over at version 1", async () => {
    await createModel("doomed", { tags: [{ key: "k", value: "v" }] });
    await createVersion("doomed");
    await createVersion("doomed");
    await api.post("registered-models/alias", { name: "doomed", alias: "champion", version: "1" });
    const res = await api.call("DELETE", "registered-models/delete", { name: "doomed" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({});
    expectMlflowError(await api.get("registered-models/get", { name: "doomed" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.get("model-versions/get", { name: "doomed", version: "1" }), 404, "RESOURCE_DOES_NOT_EXIST");
    const left = await api.get("model-versions/search", { filter: "name = 'doomed'" });
    expect(left.body.model_versions).toEqual([]);
    expectMlflowError(await api.call("DELETE", "registered-models/delete", { name: "doomed" }), 404, "RESOURCE_DOES_NOT_EXIST");
    await createModel("doomed");
    expect(await createVersion("doomed")).toBe("1");
    expect((await getModel("doomed")).tags).toEqual([]);
    expect((await getModel("doomed")).aliases).toEqual([]);
  });

  it("searches models by name and tags, orders them and pages with tokens", async () => {
    for (const [i, team] of ["a", "b", "a", "b", "a"].entries()) {
      await createModel(`search-${i}`, { tags: [{ key: "team", value: team }] });
    }
    const names = (res: { body: Record<string, unknown> }) => (res.body.registered_models as RegisteredModel[]).map((m) => m.name);
    const liked = await api.get("registered-models/search", { filter: "name LIKE 'search-%'" });
    expect(liked.status, liked.text).toBe(200);
    expect(names(liked)).toEqual(["search-0", "search-1", "search-2", "search-3", "search-4"]);
    expect(names(await api.get("registered-models/search", { filter: "name = 'search-3'" }))).toEqual(["search-3"]);
    expect(names(await api.get("registered-models/search", { filter: "name ILIKE 'SEARCH-%' AND tags.team = 'b'" }))).toEqual(["search-1", "search-3"]);
    expect(names(await api.get("registered-models/search", { filter: "tags.`team` != 'b' and name like '%-%'", order_by: "name DESC" })).slice(0, 3)).toEqual([
      "search-4",
      "search-2",
      "search-0",
    ]);
    await api.call("PATCH", "registered-models/update", { name: "search-1", description: "touched" });
    const recent = await api.get("registered-models/search", { filter: "name LIKE 'search-%'", order_by: ["last_updated_timestamp DESC"], max_results: "1" });
    expect(names(recent)).toEqual(["search-1"]);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await api.get("registered-models/search", { filter: "name LIKE 'search-%'", max_results: "2", ...(token ? { page_token: token } : {}) });
      expect(page.status, page.text).toBe(200);
      seen.push(...names(page));
      token = page.body.next_page_token as string | undefined;
      pages++;
    } while (token);
    expect(seen).toEqual(["search-0", "search-1", "search-2", "search-3", "search-4"]);
    expect(pages).toBe(3);

    expectMlflowError(await api.get("registered-models/search", { page_token: "garbage" }), 400, "INVALID_PARAMETER_VALUE", /page token/);
    expectMlflowError(await api.get("registered-models/search", { filter: "name = " }), 400, "INVALID_PARAMETER_VALUE", /filter/);
    expectMlflowError(await api.get("registered-models/search", { filter: "colour = 'red'" }), 400, "INVALID_PARAMETER_VALUE", /colour/);
    expectMlflowError(await api.get("registered-models/search", { order_by: "colour" }), 400, "INVALID_PARAMETER_VALUE", /order_by/);
    expectMlflowError(await api.get("registered-models/search", { max_results: "1001" }), 400, "INVALID_PARAMETER_VALUE", /1000/);
    expectMlflowError(await api.get("registered-models/search", { max_results: "0" }), 400, "INVALID_PARAMETER_VALUE", /max_results/);
  });

  it("sets, overwrites and deletes model tags; deleting an absent tag is a no-op as in MLflow", async () => {
    await createModel("tagged");
    expect((await api.post("registered-models/set-tag", { name: "tagged", key: "k", value: "1" })).status).toBe(200);
    expect((await api.post("registered-models/set-tag", { name: "tagged", key: "k", value: "2" })).status).toBe(200);
    expect((await getModel("tagged")).tags).toEqual([{ key: "k", value: "2" }]);
    expect((await api.call("DELETE", "registered-models/delete-tag", { name: "tagged", key: "k" })).status).toBe(200);
    expect((await getModel("tagged")).tags).toEqual([]);
    expect((await api.call("DELETE", "registered-models/delete-tag", { name: "tagged", key: "k" })).status).toBe(200);
    expectMlflowError(await api.post("registered-models/set-tag", { name: "absent", key: "k", value: "v" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.call("DELETE", "registered-models/delete-tag", { name: "absent", key: "k" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.post("registered-models/set-tag", { name: "tagged", key: "", value: "v" }), 400, "INVALID_PARAMETER_VALUE");
    expectMlflowError(await api.post("registered-models/set-tag", { name: "tagged", key: "k", value: "x".repeat(5001) }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("sets, moves, reads and deletes aliases, refusing MLflow's reserved names", async () => {
    await createModel("aliased");
    await createVersion("aliased");
    await createVersion("aliased");
    expect((await api.post("registered-models/alias", { name: "aliased", alias: "champion", version: "1" })).status).toBe(200);
    expect((await api.post("registered-models/alias", { name: "aliased", alias: "challenger", version: 2 })).status).toBe(200);
    expect((await getModel("aliased")).aliases).toEqual([
      { alias: "challenger", version: "2" },
      { alias: "champion", version: "1" },
    ]);
    const v1 = zModelVersion.parse((await api.get("model-versions/get", { name: "aliased", version: "1" })).body.model_version);
    expect(v1.aliases).toEqual(["champion"]);

    // Moving an alias points it at the new version only.
    expect((await api.post("registered-models/alias", { name: "aliased", alias: "champion", version: "2" })).status).toBe(200);
    const moved = await api.get("registered-models/alias", { name: "aliased", alias: "champion" });
    expect(moved.status, moved.text).toBe(200);
    expect(zModelVersion.parse(moved.body.model_version)).toMatchObject({ name: "aliased", version: "2", aliases: ["challenger", "champion"] });
    const v1After = zModelVersion.parse((await api.get("model-versions/get", { name: "aliased", version: "1" })).body.model_version);
    expect(v1After.aliases).toEqual([]);

    expect((await api.call("DELETE", "registered-models/alias", { name: "aliased", alias: "champion" })).status).toBe(200);
    expectMlflowError(await api.get("registered-models/alias", { name: "aliased", alias: "champion" }), 404, "RESOURCE_DOES_NOT_EXIST", /champion/);
    expect((await getModel("aliased")).aliases).toEqual([{ alias: "challenger", version: "2" }]);
    expect((await api.call("DELETE", "registered-models/alias", { name: "aliased", alias: "champion" })).status).toBe(200);

    for (const reserved of ["latest", "LATEST", "v1", "V2"]) {
      expectMlflowError(await api.post("registered-models/alias", { name: "aliased", alias: reserved, version: "1" }), 400, "INVALID_PARAMETER_VALUE", /reserved/);
    }
    expectMlflowError(await api.post("registered-models/alias", { name: "aliased", alias: "has space", version: "1" }), 400, "INVALID_PARAMETER_VALUE", /alias/);
    expectMlflowError(await api.post("registered-models/alias", { name: "aliased", alias: "", version: "1" }), 400, "INVALID_PARAMETER_VALUE", /empty/);
    expectMlflowError(await api.post("registered-models/alias", { name: "aliased", alias: "x", version: "9" }), 404, "RESOURCE_DOES_NOT_EXIST", /version=9/);
    expectMlflowError(await api.post("registered-models/alias", { name: "absent", alias: "x", version: "1" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.post("registered-models/alias", { name: "aliased", alias: "x", version: "one" }), 400, "INVALID_PARAMETER_VALUE", /integer/);
    expectMlflowError(await api.call("DELETE", "registered-models/alias", { name: "absent", alias: "x" }), 404, "RESOURCE_DOES_NOT_EXIST");
    // v1a is not a version alias; only v<digits> is reserved.
    expect((await api.post("registered-models/alias", { name: "aliased", alias: "v1a", version: "1" })).status).toBe(200);
  });

  it("lets viewers read but not write, and audits every change", async () => {
    await createModel("guarded");
    await createVersion("guarded");
    const viewer = mlflowWire(studio.as({ userId: "u-viewer", username: "vera", role: "viewer", via: "token" }));
    expect((await viewer.get("registered-models/get", { name: "guarded" })).status).toBe(200);
    expect((await viewer.get("registered-models/search", {})).status).toBe(200);
    expect((await viewer.get("registered-models/alias", { name: "guarded", alias: "none" })).status).toBe(404);
    expectMlflowError(await viewer.post("registered-models/create", { name: "mine" }), 403, "PERMISSION_DENIED", /vera/);
    expectMlflowError(await viewer.post("registered-models/rename", { name: "guarded", new_name: "g2" }), 403, "PERMISSION_DENIED");
    expectMlflowError(await viewer.call("DELETE", "registered-models/delete", { name: "guarded" }), 403, "PERMISSION_DENIED");
    expectMlflowError(await viewer.post("registered-models/alias", { name: "guarded", alias: "production", version: "1" }), 403, "PERMISSION_DENIED");
    expectMlflowError(await viewer.post("registered-models/set-tag", { name: "guarded", key: "k", value: "v" }), 403, "PERMISSION_DENIED");
    expectMlflowError(await viewer.post("model-versions/create", { name: "guarded", source: `runs:/${runId}/model` }), 403, "PERMISSION_DENIED");
    expectMlflowError(await viewer.post("model-versions/transition-stage", { name: "guarded", version: "1", stage: "Production" }), 403, "PERMISSION_DENIED");

    // `production` needs an approved review (server/review/reviews.test.ts); other aliases do not.
    expectMlflowError(await api.post("registered-models/alias", { name: "guarded", alias: "production", version: "1" }), 400, "INVALID_STATE", /approved/);
    await api.post("registered-models/alias", { name: "guarded", alias: "champion", version: "1" });
    await api.post("model-versions/transition-stage", { name: "guarded", version: "1", stage: "Staging" });
    await api.post("registered-models/rename", { name: "guarded", new_name: "guarded-2" });
    await api.call("DELETE", "registered-models/delete", { name: "guarded-2" });
    const entries = await listAuditEntries(studio.db, { action: "registered_model" });
    const actions = entries.filter((e) => e.targetId.startsWith("guarded")).map((e) => e.action);
    expect(actions).toEqual(["registered_model.delete", "registered_model.rename", "registered_model.alias.set", "registered_model.create"]);
    const alias = entries.find((e) => e.action === "registered_model.alias.set" && e.targetId === "guarded");
    expect(alias?.after).toEqual({ alias: "champion", version: "1" });
    const stage = await listAuditEntries(studio.db, { action: "model_version.stage", targetId: "guarded/1" });
    expect(stage.map((e) => [e.before, e.after])).toEqual([[{ current_stage: "None" }, { current_stage: "Staging" }]]);
  });
});
