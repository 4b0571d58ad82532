// MLflow conformance of the model-version endpoints: numbering, sources, stages, latest versions, search, tags and each error code, on every backend.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { expectMlflowError } from "../testing/expect-mlflow-error";
import { transitionModelVersionStage } from "./model-versions";
import { zModelVersion, type ModelVersion } from "./schema";

type Api = ReturnType<typeof mlflowWire>;

describe.each(testBackends)("model-versions REST API on %s", (kind) => {
  let studio: TestStudio;
  let api: Api;
  let runId: string;
  let otherRunId: string;
  let runArtifactUri: string;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    api = mlflowWire(studio);
    const run = await api.post("runs/create", { experiment_id: "0", run_name: "train" });
    ({ run_id: runId, artifact_uri: runArtifactUri } = (run.body.run as { info: { run_id: string; artifact_uri: string } }).info);
    const other = await api.post("runs/create", { experiment_id: "0", run_name: "retrain" });
    otherRunId = (other.body.run as { info: { run_id: string } }).info.run_id;
  });
  afterAll(async () => studio.close());

  async function createModel(name: string): Promise<void> {
    const res = await api.post("registered-models/create", { name });
    expect(res.status, res.text).toBe(200);
  }
  async function createVersion(name: string, extra: Record<string, unknown> = {}): Promise<ModelVersion> {
    const res = await api.post("model-versions/create", { name, source: `runs:/${runId}/model`, run_id: runId, ...extra });
    expect(res.status, res.text).toBe(200);
    return zModelVersion.parse(res.body.model_version);
  }
  const getVersion = async (name: string, version: string) =>
    zModelVersion.parse((await api.get("model-versions/get", { name, version })).body.model_version);
  const transition = (name: string, version: string, stage: string, archive = false) =>
    api.post("model-versions/transition-stage", { name, version, stage, archive_existing_versions: archive });

  it("registers versions numbered 1, 2, 3 per model in MLflow's shape, READY at once", async () => {
    await createModel("numbered");
    await createModel("numbered-other");
    const v1 = await createVersion("numbered", {
      description: "first",
      run_link: "http://studio.test/runs/1",
      tags: [{ key: "validated", value: "yes" }],
    });
    expect(v1).toMatchObject({
      name: "numbered",
      version: "1",
      current_stage: "None",
      description: "first",
      source: `runs:/${runId}/model`,
      run_id: runId,
      status: "READY",
      run_link: "http://studio.test/runs/1",
      tags: [{ key: "validated", value: "yes" }],
      aliases: [],
    });
    expect(v1.creation_timestamp).toBeGreaterThan(0);
    expect((await createVersion("numbered")).version).toBe("2");
    expect((await createVersion("numbered-other")).version).toBe("1");
    expect((await createVersion("numbered")).version).toBe("3");
    expect(await getVersion("numbered", "1")).toEqual(v1);
    // A deleted version's number is not issued again.
    expect((await api.call("DELETE", "model-versions/delete", { name: "numbered", version: "3" })).status).toBe(200);
    expect((await createVersion("numbered")).version).toBe("4");
  });

  it("resolves the download URI of runs:/, models:/ and logged-model sources", async () => {
    await createModel("sourced");
    await createVersion("sourced");
    const uri = await api.get("model-versions/get-download-uri", { name: "sourced", version: "1" });
    expect(uri.status, uri.text).toBe(200);
    expect(uri.body).toEqual({ artifact_uri: `${runArtifactUri}/model` });

    const copy = await api.post("model-versions/create", { name: "sourced", source: "models:/sourced/1" });
    expect(copy.status, copy.text).toBe(200);
    expect((await api.get("model-versions/get-download-uri", { name: "sourced", version: "2" })).body.artifact_uri).toBe(`${runArtifactUri}/model`);

    await transition("sourced", "1", "Staging");
    expect((await api.post("model-versions/create", { name: "sourced", source: "models:/sourced/staging" })).status).toBe(200);
    expect((await api.post("model-versions/create", { name: "sourced", source: "models:/sourced/latest" })).status).toBe(200);
    expect((await api.get("model-versions/get-download-uri", { name: "sourced", version: "4" })).body.artifact_uri).toBe(`${runArtifactUri}/model`);
    expectMlflowError(await api.post("model-versions/create", { name: "sourced", source: "models:/sourced/Production" }), 404, "RESOURCE_DOES_NOT_EXIST", /Production/);
    const logged = await api.post("logged-models", { experiment_id: "0", name: "clf", source_run_id: runId });
    const modelId = (logged.body.model as { info: { model_id: string; artifact_uri: string } }).info;
    const fromLogged = await api.post("model-versions/create", { name: "sourced", source: `models:/${modelId.model_id}`, model_id: modelId.model_id });
    expect(fromLogged.status, fromLogged.text).toBe(200);
    expect(zModelVersion.parse(fromLogged.body.model_version)).toMatchObject({ version: "5", model_id: modelId.model_id });
    expect((await api.get("model-versions/get-download-uri", { name: "sourced", version: "5" })).body.artifact_uri).toBe(modelId.artifact_uri);

    const remote = await api.post("model-versions/create", { name: "sourced", source: "mlflow-artifacts:/uploads/model.onnx" });
    expect(zModelVersion.parse(remote.body.model_version).version).toBe("6");
    expect((await api.get("model-versions/get-download-uri", { name: "sourced", version: "6" })).body.artifact_uri).toBe("mlflow-artifacts:/uploads/model.onnx");
  });

  it("answers create, get and update errors with MLflow's codes", async () => {
    await createModel("strict");
    await createVersion("strict");
    expectMlflowError(await api.post("model-versions/create", { name: "absent", source: `runs:/${runId}/model` }), 404, "RESOURCE_DOES_NOT_EXIST", /absent/);
    expectMlflowError(await api.post("model-versions/create", { name: "strict", source: "runs:/0000dead/model" }), 404, "RESOURCE_DOES_NOT_EXIST", /0000dead/);
    expectMlflowError(await api.post("model-versions/create", { name: "strict", source: "s3://b/m", run_id: "0000dead" }), 404, "RESOURCE_DOES_NOT_EXIST", /0000dead/);
    expectMlflowError(await api.post("model-versions/create", { name: "strict", source: "/home/me/model" }), 400, "INVALID_PARAMETER_VALUE", /local path/);
    expectMlflowError(await api.post("model-versions/create", { name: "strict", source: `runs:/${runId}/../../etc` }), 400, "INVALID_PARAMETER_VALUE", /\.\./);
    expectMlflowError(await api.post("model-versions/create", { name: "strict", source: "models:/strict/9" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.post("model-versions/create", { name: "strict", source: "" }), 400, "INVALID_PARAMETER_VALUE", /source/);
    expectMlflowError(await api.post("model-versions/create", { name: "strict" }), 400, "INVALID_PARAMETER_VALUE", /source/);
    expectMlflowError(await api.get("model-versions/get", { name: "strict", version: "7" }), 404, "RESOURCE_DOES_NOT_EXIST", /version=7/);
    expectMlflowError(await api.get("model-versions/get", { name: "strict", version: "abc" }), 400, "INVALID_PARAMETER_VALUE", /integer/);
    expectMlflowError(await api.get("model-versions/get", { name: "absent", version: "1" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.get("model-versions/get-download-uri", { name: "strict", version: "7" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.call("DELETE", "model-versions/delete", { name: "strict", version: "7" }), 404, "RESOURCE_DOES_NOT_EXIST");

    const updated = await api.call("PATCH", "model-versions/update", { name: "strict", version: "1", description: "calibrated" });
    expect(updated.status, updated.text).toBe(200);
    expect(zModelVersion.parse(updated.body.model_version).description).toBe("calibrated");
    expectMlflowError(await api.call("PATCH", "model-versions/update", { name: "strict", version: "7", description: "x" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("transitions stages case-insensitively and archives the stage's other versions when asked", async () => {
    await createModel("staged");
    for (let i = 0; i < 3; i++) await createVersion("staged");
    const staged = await transition("staged", "1", "staging");
    expect(staged.status, staged.text).toBe(200);
    expect(zModelVersion.parse(staged.body.model_version).current_stage).toBe("Staging");
    expect((await transition("staged", "2", "Staging")).status).toBe(200);
    // Without archiving, two versions can share a stage.
    expect((await getVersion("staged", "1")).current_stage).toBe("Staging");
    const archived = await transition("staged", "3", "Staging", true);
    expect(archived.status, archived.text).toBe(200);
    expect((await getVersion("staged", "1")).current_stage).toBe("Archived");
    expect((await getVersion("staged", "2")).current_stage).toBe("Archived");
    expect((await getVersion("staged", "3")).current_stage).toBe("Staging");
    // Production, in any case, is behind the acceptance-review gate (server/review/reviews.test.ts covers approved versions).
    expectMlflowError(await transition("staged", "3", "production"), 400, "INVALID_STATE", /approved acceptance review/);

    expectMlflowError(await transition("staged", "1", "Shipping"), 400, "INVALID_PARAMETER_VALUE", /stage/);
    expectMlflowError(await transition("staged", "1", "Archived", true), 400, "INVALID_PARAMETER_VALUE", /Active stage/);
    expectMlflowError(await transition("staged", "9", "Staging"), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await transition("absent", "1", "Staging"), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("answers get-latest-versions with the highest version per stage, by POST or GET", async () => {
    await createModel("latest");
    for (let i = 0; i < 5; i++) await createVersion("latest");
    // No review here: an admin's override with a reason puts version 1 in Production.
    await transitionModelVersionStage(studio, { name: "latest", version: "1", stage: "Production", overrideReason: "stage listing test" });
    await transition("latest", "2", "Staging");
    await transition("latest", "3", "Staging");
    await transition("latest", "4", "Archived");
    const versionsOf = (res: { body: Record<string, unknown> }) =>
      (res.body.model_versions as ModelVersion[]).map((v) => `${v.current_stage}:${v.version}`).sort();
    const all = await api.post("registered-models/get-latest-versions", { name: "latest" });
    expect(all.status, all.text).toBe(200);
    expect(versionsOf(all)).toEqual(["Archived:4", "None:5", "Production:1", "Staging:3"]);
    expect(versionsOf(await api.post("registered-models/get-latest-versions", { name: "latest", stages: ["staging", "Production"] }))).toEqual([
      "Production:1",
      "Staging:3",
    ]);
    expect(versionsOf(await api.get("registered-models/get-latest-versions", { name: "latest", stages: "None" }))).toEqual(["None:5"]);
    const model = await api.get("registered-models/get", { name: "latest" });
    expect(versionsOf({ body: { model_versions: (model.body.registered_model as { latest_versions: ModelVersion[] }).latest_versions } })).toEqual(
      versionsOf(all),
    );
    expectMlflowError(await api.post("registered-models/get-latest-versions", { name: "latest", stages: ["Shipping"] }), 400, "INVALID_PARAMETER_VALUE", /stage/);
    expectMlflowError(await api.post("registered-models/get-latest-versions", { name: "absent" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("searches versions by name, run, source, number and tags, paging with tokens", async () => {
    await createModel("found");
    await createVersion("found", { tags: [{ key: "flavor", value: "onnx" }] });
    await createVersion("found", { source: `runs:/${otherRunId}/onnx`, run_id: otherRunId });
    await createVersion("found", { source: "mlflow-artifacts:/uploads/found.onnx", run_id: undefined });
    const versions = (res: { body: Record<string, unknown> }) => (res.body.model_versions as ModelVersion[]).map((v) => v.version);
    const byName = await api.get("model-versions/search", { filter: "name = 'found'" });
    expect(byName.status, byName.text).toBe(200);
    expect(versions(byName)).toEqual(["3", "2", "1"]);
    expect(versions(await api.get("model-versions/search", { filter: `name='found' AND run_id = '${otherRunId}'` }))).toEqual(["2"]);
    expect(versions(await api.get("model-versions/search", { filter: `name = 'found' and run_id IN ('${otherRunId}', '${runId}')` }))).toEqual(["2", "1"]);
    expect(versions(await api.get("model-versions/search", { filter: "name = 'found' AND source_path LIKE '%.onnx'" }))).toEqual(["3"]);
    expect(versions(await api.get("model-versions/search", { filter: "name = 'found' AND tags.flavor = 'onnx'" }))).toEqual(["1"]);
    expect(versions(await api.get("model-versions/search", { filter: "name = 'found' AND version_number >= 2", order_by: "version_number ASC" }))).toEqual(["2", "3"]);

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await api.get("model-versions/search", { filter: "name = 'found'", max_results: "2", ...(token ? { page_token: token } : {}) });
      expect(page.status, page.text).toBe(200);
      seen.push(...versions(page));
      token = page.body.next_page_token as string | undefined;
    } while (token);
    expect(seen).toEqual(["3", "2", "1"]);

    expectMlflowError(await api.get("model-versions/search", { filter: "name = 'found' OR name = 'x'" }), 400, "INVALID_PARAMETER_VALUE", /filter/);
    expectMlflowError(await api.get("model-versions/search", { filter: "version_number = 'two'" }), 400, "INVALID_PARAMETER_VALUE", /number/);
    expectMlflowError(await api.get("model-versions/search", { filter: "run_id LIKE 'a%'" }), 400, "INVALID_PARAMETER_VALUE", /run_id/);
    expectMlflowError(await api.get("model-versions/search", { page_token: "garbage" }), 400, "INVALID_PARAMETER_VALUE", /page token/);
    expectMlflowError(await api.get("model-versions/search", { order_by: "size DESC" }), 400, "INVALID_PARAMETER_VALUE", /order_by/);
  });

  it("sets and deletes version tags; a version holding an alias is not deleted until the alias moves", async () => {
    await createModel("versioned");
    await createVersion("versioned");
    await createVersion("versioned");
    expect((await api.post("model-versions/set-tag", { name: "versioned", version: "1", key: "k", value: "1" })).status).toBe(200);
    expect((await api.post("model-versions/set-tag", { name: "versioned", version: "1", key: "k", value: "2" })).status).toBe(200);
    expect((await getVersion("versioned", "1")).tags).toEqual([{ key: "k", value: "2" }]);
    expect((await api.call("DELETE", "model-versions/delete-tag", { name: "versioned", version: "1", key: "k" })).status).toBe(200);
    expect((await getVersion("versioned", "1")).tags).toEqual([]);
    expect((await api.call("DELETE", "model-versions/delete-tag", { name: "versioned", version: "1", key: "k" })).status).toBe(200);
    expectMlflowError(await api.post("model-versions/set-tag", { name: "versioned", version: "9", key: "k", value: "v" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.post("model-versions/set-tag", { name: "versioned", version: "1", key: "/abs", value: "v" }), 400, "INVALID_PARAMETER_VALUE");

    await api.post("registered-models/alias", { name: "versioned", alias: "champion", version: "1" });
    await api.post("registered-models/alias", { name: "versioned", alias: "challenger", version: "2" });
    // Unlike MLflow, which drops the alias with the version: here `versioned@champion` is a serving endpoint, so the delete is refused until the alias goes.
    expectMlflowError(await api.call("DELETE", "model-versions/delete", { name: "versioned", version: "1" }), 409, "RESOURCE_CONFLICT", /holds the alias 'champion'/);
    expect((await api.call("DELETE", "registered-models/alias", { name: "versioned", alias: "champion" })).status).toBe(200);
    expect((await api.call("DELETE", "model-versions/delete", { name: "versioned", version: "1" })).status).toBe(200);
    expectMlflowError(await api.get("model-versions/get", { name: "versioned", version: "1" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.get("registered-models/alias", { name: "versioned", alias: "champion" }), 404, "RESOURCE_DOES_NOT_EXIST");
    const model = await api.get("registered-models/get", { name: "versioned" });
    expect((model.body.registered_model as { aliases: unknown[] }).aliases).toEqual([{ alias: "challenger", version: "2" }]);
  });
});
