// The artifact proxy and artifacts/list as MLflow clients use them, and every way out of the artifact root refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTestStudio, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";

type Api = ReturnType<typeof mlflowWire>;

describe("artifact proxy and artifacts/list", () => {
  let studio: TestStudio;
  let api: Api;
  let runId: string;
  let experimentId: string;
  let runRoot: string;
  beforeAll(async () => {
    studio = await createTestStudio("pglite");
    api = mlflowWire(studio);
    experimentId = (await api.post("experiments/create", { name: "artifacts" })).body.experiment_id as string;
    const run = await api.post("runs/create", { experiment_id: experimentId, start_time: 1 });
    runId = (run.body.run as { info: { run_id: string } }).info.run_id;
    runRoot = `${experimentId}/${runId}/artifacts`;
  });
  afterAll(async () => studio.close());

  async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
    const body = (await res.json()) as { error_code: string; message: string };
    return { status: res.status, code: body.error_code, message: body.message };
  }

  it("uploads, downloads, lists and deletes files in nested folders", async () => {
    expect((await api.artifacts("PUT", `${runRoot}/model/MLmodel`, "flavors: {}\n")).status).toBe(200);
    expect((await api.artifacts("PUT", `${runRoot}/model/data/weights.bin`, new Uint8Array([0, 1, 2, 255]))).status).toBe(200);
    expect((await api.artifacts("PUT", `${runRoot}/notes%20v1.txt`, "hello")).status).toBe(200);
    // Re-uploading replaces the file.
    expect((await api.artifacts("PUT", `${runRoot}/notes%20v1.txt`, "hello again")).status).toBe(200);

    const file = await api.artifacts("GET", `${runRoot}/model/data/weights.bin`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/octet-stream");
    expect(file.headers.get("content-disposition")).toMatch(/attachment/);
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    expect(await (await api.artifacts("GET", `${runRoot}/notes%20v1.txt`)).text()).toBe("hello again");

    const listed = await api.artifacts("GET", "", undefined, `?path=${encodeURIComponent(`${runRoot}/model`)}`);
    expect(listed.status).toBe(200);
    const { files } = (await listed.json()) as { files: { path: string }[] };
    expect([...files].sort((a, b) => a.path.localeCompare(b.path))).toEqual([{ path: "data", is_dir: true }, { path: "MLmodel", is_dir: false, file_size: 12 }]);
    const empty = await api.artifacts("GET", "", undefined, `?path=${encodeURIComponent(`${runRoot}/absent`)}`);
    expect(await empty.json()).toEqual({ files: [] });

    // artifacts/list answers relative to the run's artifact root, as MLflow does.
    const top = await api.get("artifacts/list", { run_id: runId });
    expect(top.status, top.text).toBe(200);
    expect(top.body).toEqual({
      root_uri: `mlflow-artifacts:/${runRoot}`,
      files: [
        { path: "model", is_dir: true },
        { path: "notes v1.txt", is_dir: false, file_size: 11 },
      ],
    });
    const nested = await api.get("artifacts/list", { run_uuid: runId, path: "model/data" });
    expect(nested.body.files).toEqual([{ path: "model/data/weights.bin", is_dir: false, file_size: 4 }]);

    expect((await api.artifacts("DELETE", `${runRoot}/model/data`)).status).toBe(200);
    const afterDelete = await api.get("artifacts/list", { run_id: runId, path: "model" });
    expect(afterDelete.body.files).toEqual([{ path: "model/MLmodel", is_dir: false, file_size: 12 }]);
  });

  it("answers a missing file with RESOURCE_DOES_NOT_EXIST", async () => {
    expect(await errorOf(await api.artifacts("GET", `${runRoot}/nothing.txt`))).toMatchObject({ status: 404, code: "RESOURCE_DOES_NOT_EXIST" });
    expect(await errorOf(await api.artifacts("GET", `${runRoot}`))).toMatchObject({ status: 404, code: "RESOURCE_DOES_NOT_EXIST" });
  });

  it("refuses '..', absolute, backslash and NUL paths, in the URL, ?path= and artifacts/list", async () => {
    const refused = async (res: Response) => expect(await errorOf(res)).toMatchObject({ status: 400, code: "INVALID_PARAMETER_VALUE" });
    await refused(await api.artifacts("GET", "../../etc/passwd"));
    await refused(await api.artifacts("GET", `${runRoot}/..%2F..%2F..%2Fescape`));
    await refused(await api.artifacts("PUT", `${runRoot}/../../../escape.txt`, "x"));
    await refused(await api.artifacts("PUT", "%2Fetc%2Fevil", "x"));
    await refused(await api.artifacts("PUT", `${runRoot}/a%5C..%5C..%5Cb`, "x"));
    await refused(await api.artifacts("PUT", `${runRoot}/nul%00.txt`, "x"));
    await refused(await api.artifacts("DELETE", `..`));
    await refused(await api.artifacts("GET", "", undefined, "?path=..%2F.."));
    await refused(await api.artifacts("GET", "", undefined, "?path=%2Fetc"));
    const list = await api.get("artifacts/list", { run_id: runId, path: "../../.." });
    expect(list.status, list.text).toBe(400);
    expect(list.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    const absolute = await api.get("artifacts/list", { run_id: runId, path: "/etc" });
    expect(absolute.status, absolute.text).toBe(400);
  });

  it("refuses a symlink inside the root that points outside it", async () => {
    const outside = path.join(os.tmpdir(), `studio-outside-${process.pid}`);
    await mkdir(outside, { recursive: true });
    await writeFile(path.join(outside, "secret.txt"), "secret");
    await mkdir(path.join(studio.artifactRoot, runRoot), { recursive: true });
    await symlink(outside, path.join(studio.artifactRoot, runRoot, "link"));
    const read = await api.artifacts("GET", `${runRoot}/link/secret.txt`);
    expect(await errorOf(read)).toMatchObject({ status: 400, code: "INVALID_PARAMETER_VALUE" });
    const write = await api.artifacts("PUT", `${runRoot}/link/planted.txt`, "x");
    expect(await errorOf(write)).toMatchObject({ status: 400, code: "INVALID_PARAMETER_VALUE" });
    const listing = await api.artifacts("GET", "", undefined, `?path=${encodeURIComponent(`${runRoot}/link`)}`);
    expect(listing.status).toBe(400);
    const del = await api.artifacts("DELETE", `${runRoot}/link/secret.txt`);
    expect(del.status).toBe(400);
  });
});
