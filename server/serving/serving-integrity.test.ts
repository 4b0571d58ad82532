// Serving says who answered (version, digest, approved review), serves unreviewed versions only by explicit version to
// editors, and refuses inputs it cannot score honestly (non-finite, beyond float32, null, impossible v2 shapes) with 400s.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { createUserAsSystem } from "../auth/accounts";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { createToken } from "../auth/tokens";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { registerDatasetVersion } from "../datasets/register-version";
import { listDeployments, promoteVersion } from "../deployments/deployments";
import { flushInferenceLog } from "../monitoring/inference-log";
import { onnxProtobuf } from "../registry/onnx-introspection";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { setModelAlias } from "../registry/registered-models";
import { waitForReviewJobs } from "../review/review-jobs";
import { decideReview, getReview, requestReview } from "../review/reviews";
import { defaultCriteria } from "../review/schema";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { handleServing } from "./http";
import { ModelServer } from "./model-server";

const fixtures = path.join(import.meta.dirname, "../../fixtures");
const fixture = async (name: string) => new Uint8Array(await readFile(path.join(fixtures, `models/${name}.onnx`)));
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const ada: Actor = { userId: "u-ada", username: "ada", role: "admin", via: "session" };

/** credit-logreg declaring in its ONNX metadata that it handles missing values. */
async function creditHandlingMissing(): Promise<Uint8Array> {
  const model = onnxProtobuf.ModelProto.decode(await fixture("credit-logreg"));
  model.metadataProps.push(onnxProtobuf.StringStringEntryProto.create({ key: "handles_missing_values", value: "true" }));
  return onnxProtobuf.ModelProto.encode(model).finish();
}

describe.each(testBackends)("serving integrity on %s", (kind) => {
  let studio: TestStudio;
  let server: ModelServer;
  let datasetRoot: string;
  let viewerToken: string;
  let editorToken: string;
  let reviewId: number;
  let creditBytes: Uint8Array;
  let columns: string[];
  let rows: (string | number)[][];

  async function user(name: string, role: "editor" | "reviewer" | "viewer"): Promise<Actor> {
    const created = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `${name}-${kind}`, password: `${name}-password-1`, role }));
    return { userId: created.userId, username: created.username, role, via: "session" };
  }

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    server = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    datasetRoot = await mkdtemp(path.join(os.tmpdir(), "studio-serving-integrity-"));
    const erin = await user("erin", "editor");
    const rita = await user("rita", "reviewer");
    const vera = await user("vera", "viewer");
    viewerToken = (await createToken(studio.as(vera), zCreateToken.parse({ name: "v" }))).token;
    editorToken = (await createToken(studio.as(erin), zCreateToken.parse({ name: "e" }))).token;

    // v1 reviewed and approved on the held-out split, then promoted by the editor through the gate.
    creditBytes = await fixture("credit-logreg");
    await registerOnnxUpload(studio.as(erin), { name: "credit", bytes: creditBytes });
    const test = await registerDatasetVersion(
      studio.as(erin),
      datasetRoot,
      { name: "credit-test", format: "csv", masking: {}, labelColumn: "approved", sensitiveAttributes: ["sex"] },
      createReadStream(path.join(fixtures, "datasets/credit.test.csv")),
    );
    await waitForDatasetJobs();
    reviewId = (
      await requestReview(
        studio.as(erin),
        {
          modelName: "credit",
          modelVersion: "1",
          datasetName: "credit-test",
          datasetVersion: test.version.version,
          labelColumn: "approved",
          sensitiveAttributes: ["sex"],
          criteria: { ...defaultCriteria("binary"), maxGroupGap: null },
          requiredApprovals: 1,
          context: { businessGoal: "Serve a reviewed model", expectedRoi: "", knownLimits: "" },
        },
        datasetRoot,
      )
    ).id;
    await waitForReviewJobs();
    const evaluated = await getReview(studio.as(erin), reviewId);
    expect(evaluated.status).toBe("ready");
    // Whatever the default criteria say of this small credit model, this test is about what gets served once approved.
    const exceptions = (evaluated.criteriaResults ?? []).filter((r) => !r.passed).map((r) => ({ key: r.key, justification: "Accepted for the integrity test." }));
    await decideReview(studio.as(rita), { id: reviewId, decision: "approve", comment: "Accepted for the integrity test, including any documented exception.", exceptions });
    await promoteVersion(studio.as(erin), { name: "credit", version: "1" });
    // v2: the very same bytes, but this version was never reviewed.
    await registerOnnxUpload(studio.as(erin), { name: "credit", bytes: creditBytes });
    await setModelAlias(studio.as(erin), { name: "credit", alias: "challenger", version: "2" });
    await registerOnnxUpload(studio.as(erin), { name: "credit", bytes: await creditHandlingMissing() });
    await registerOnnxUpload(studio.as(erin), { name: "rf", bytes: await fixture("breast-cancer-rf-v1") });

    const [header, ...lines] = (await readFile(path.join(fixtures, "datasets/credit.test.csv"), "utf8")).trim().split("\n");
    columns = header!.split(",").slice(0, 9);
    const text = new Set(["sex", "purpose", "housing"]);
    rows = lines.slice(0, 2).map((l) => l.split(",").slice(0, 9).map((v, i) => (text.has(columns[i]!) ? v : Number(v))));
  });
  afterAll(async () => {
    await flushInferenceLog();
    await server.close();
    await studio.close();
    await rm(datasetRoot, { recursive: true, force: true });
  });

  async function call(pathname: string, body: unknown, token = viewerToken, contentType = "application/json") {
    const answer = await handleServing(
      {
        method: "POST",
        pathname,
        headers: new Headers({ authorization: `Bearer ${token}`, "content-type": contentType }),
        text: async () => (typeof body === "string" ? body : JSON.stringify(body)),
      },
      server,
    );
    return { ...answer, json: JSON.parse(answer.body) as Record<string, unknown> };
  }
  const split = (data: unknown[][]) => ({ dataframe_split: { columns, data } });

  it("says which version, bytes and approved review answered, in both protocols and on the Deployments page", async () => {
    const mlflow = await call("/api/serve/credit/invocations", split(rows));
    expect(mlflow.status, mlflow.body).toBe(200);
    expect(mlflow.headers).toMatchObject({ "x-model-version": "1", "x-model-digest": sha256(creditBytes), "x-review-id": String(reviewId) });
    const inputs = columns.map((name, c) => ({ name, shape: [1, 1], datatype: typeof rows[0]![c] === "string" ? "BYTES" : "FP32", data: [rows[0]![c]] }));
    const oip = await call("/v2/models/credit/infer", { inputs });
    expect(oip.status, oip.body).toBe(200);
    expect(oip.headers).toMatchObject({ "x-model-version": "1", "x-model-digest": sha256(creditBytes), "x-review-id": String(reviewId) });
    const production = (await listDeployments(studio.as(ada))).find((d) => d.modelName === "credit" && d.alias === "production");
    expect(production).toMatchObject({ version: "1", modelDigest: sha256(creditBytes), reviewId });
  });

  it("serves a version without an approved review only by explicit version or alias to editors, with x-review-id: none", async () => {
    for (const pathname of ["/api/serve/credit/2/invocations", "/api/serve/credit@challenger/invocations"]) {
      const refused = await call(pathname, split(rows));
      expect(refused.status).toBe(403);
      expect(refused.json.message).toMatch(/no approved review: only users allowed to test models/);
      const tested = await call(pathname, split(rows), editorToken);
      expect(tested.status, tested.body).toBe(200);
      expect(tested.headers).toMatchObject({ "x-model-version": "2", "x-model-digest": sha256(creditBytes), "x-review-id": "none" });
    }
    // Same bytes as the approved v1, but the approval belongs to v1: v2 cannot take production without a review.
    await expect(promoteVersion(studio.as({ ...ada, role: "editor", username: "erin2" }), { name: "credit", version: "2" })).rejects.toMatchObject({ code: "INVALID_STATE" });
    const stillOne = await call("/api/serve/credit/invocations", split(rows), editorToken);
    expect(stillOne.headers["x-model-version"]).toBe("1");
  });

  it("refuses non-finite, beyond-float32 and null inputs with 400 naming the column", async () => {
    const income = columns.indexOf("income");
    const withIncome = (value: unknown) => [rows[0]!.map((v, i) => (i === income ? value : v))];
    const huge = await call("/api/serve/credit/invocations", split(withIncome(1e308)));
    expect(huge.status).toBe(400);
    expect(huge.json.message).toMatch(/Column 'income' \(row 1\) is 1e\+308, outside the range of the model's float32 input/);
    const nulled = await call("/api/serve/credit/invocations", split(withIncome(null)));
    expect(nulled.status).toBe(400);
    expect(nulled.json.message).toMatch(/Column 'income' \(row 1\) is missing .*does not declare that it handles missing values/);
    // JSON has no Infinity, but 1e999 parses to it.
    const infinite = await call("/api/serve/credit/invocations", JSON.stringify(split(withIncome(12345.5))).replace("12345.5", "1e999"));
    expect(infinite.json.message).toMatch(/Column 'income' \(row 1\) must be a finite number/);
    expect(infinite.status).toBe(400);
    const csv = [columns.join(","), rows[0]!.map((v, i) => (i === income ? "" : v)).join(",")].join("\n");
    const emptyCell = await call("/api/serve/credit/invocations", csv, viewerToken, "text/csv");
    expect(emptyCell.status).toBe(400);
    expect(emptyCell.json.message).toMatch(/Column 'income'/);
    const oip = await call("/v2/models/credit/infer", {
      inputs: columns.map((name, c) => ({ name, shape: [1, 1], datatype: typeof rows[0]![c] === "string" ? "BYTES" : "FP32", data: [c === income ? -1e39 : rows[0]![c]] })),
    });
    expect(oip.status).toBe(400);
    expect(JSON.parse(oip.body).error).toMatch(/Input 'income' value 1 is -1e\+39, outside the range/);
    // A model that declares it handles missing values takes null.
    const declared = await call("/api/serve/credit/3/invocations", split(withIncome(null)), editorToken);
    expect(declared.status, declared.body).toBe(200);
  });

  it("answers a v2 tensor whose declared shape does not match its data with 400, even for [1e9, 30]", async () => {
    const row = Array.from({ length: 30 }, () => 1);
    const answer = await call("/v2/models/rf/versions/1/infer", { inputs: [{ name: "input", shape: [1e9, 30], datatype: "FP32", data: row }] }, editorToken);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error).toMatch(/shape \[1000000000, 30\] needs 30000000000 values, but the data holds 30/);
  });
});
