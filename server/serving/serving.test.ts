// Model serving over both protocols on real fixtures, compared with onnxruntime-node run directly; errors, aliases,
// token scopes, request ids, and an alias flipping under 4 concurrent clients without a failed request.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as ort from "onnxruntime-node";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { handleMlflowApi } from "../http/mlflow-api";
import { authenticateRequest } from "../auth/authenticate";
import { systemActor, type Actor } from "../auth/actor";
import { createUserAsSystem } from "../auth/accounts";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { clearTokenGrantCache, createToken, listOwnTokens, revokeToken } from "../auth/tokens";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { setModelAlias } from "../registry/registered-models";
import { and, eq, sql } from "drizzle-orm";
import { modelVersions, registeredModelAliases } from "@/db/schema";
import { ALIAS_CACHE_MS, ModelServer } from "./model-server";
import { invalidateServingModel, warmServingVersion } from "./hooks";
import { handleServing } from "./http";
import { flushInferenceLog } from "../monitoring/inference-log";
import { createServingServer } from "./standalone";

const RF = "fixtures/models/breast-cancer-rf-v1.onnx";
const RF2 = "fixtures/models/breast-cancer-rf-v2.onnx";
const CREDIT = "fixtures/models/credit-logreg.onnx";
const RIDGE = "fixtures/models/diabetes-ridge.onnx";

function csvRows(text: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = text.trim().split("\n");
  return { header: head!.split(","), rows: lines.map((l) => l.split(",")) };
}

describe.each(testBackends)("model serving on %s", (kind) => {
  let studio: TestStudio;
  let server: ModelServer;
  let token: string;
  let serveToken: string;
  /** Versions without an approved review answer only editors (and admins) by explicit version or alias. */
  let editorToken: string;
  let viewer: Actor;
  let rfSession: ort.InferenceSession;
  let creditSession: ort.InferenceSession;
  // breast cancer: 30 numeric features, first 5 test rows; credit: 9 mixed columns (strings), first 4 test rows.
  let rfColumns: string[];
  let rfRows: number[][];
  let creditColumns: string[];
  let creditRows: (string | number)[][];

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    server = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    const admin = studio.as(systemActor);
    await registerOnnxUpload(admin, { name: "breast-cancer", bytes: new Uint8Array(await readFile(RF)) });
    await registerOnnxUpload(admin, { name: "breast-cancer", bytes: new Uint8Array(await readFile(RF2)) });
    await setModelAlias(admin, { name: "breast-cancer", alias: "production", version: "1", overrideReason: "serving test: no review needed" });
    await setModelAlias(admin, { name: "breast-cancer", alias: "challenger", version: "2" });
    await registerOnnxUpload(admin, { name: "credit", bytes: new Uint8Array(await readFile(CREDIT)) });
    await setModelAlias(admin, { name: "credit", alias: "production", version: "1", overrideReason: "serving test: no review needed" });
    await registerOnnxUpload(admin, { name: "diabetes", bytes: new Uint8Array(await readFile(RIDGE)) });
    await setModelAlias(admin, { name: "diabetes", alias: "production", version: "1", overrideReason: "serving test: no review needed" });
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `vera-${kind}`, password: "viewer-password-1", role: "viewer" }));
    viewer = { userId: user.userId, username: user.username, role: "viewer", via: "session" };
    token = (await createToken(studio.as(viewer), zCreateToken.parse({ name: "all" }))).token;
    serveToken = (await createToken(studio.as(viewer), zCreateToken.parse({ name: "serve", scope: "serve" }))).token;
    const editorUser = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `eddie-${kind}`, password: "editor-password-1", role: "editor" }));
    const editor: Actor = { userId: editorUser.userId, username: editorUser.username, role: "editor", via: "session" };
    editorToken = (await createToken(studio.as(editor), zCreateToken.parse({ name: "editor" }))).token;
    rfSession = await ort.InferenceSession.create(new Uint8Array(await readFile(RF)));
    creditSession = await ort.InferenceSession.create(new Uint8Array(await readFile(CREDIT)));
    const bc = csvRows(await readFile("fixtures/datasets/breast_cancer.test.csv", "utf8"));
    rfColumns = bc.header.slice(0, 30);
    rfRows = bc.rows.slice(0, 5).map((r) => r.slice(0, 30).map(Number));
    const credit = csvRows(await readFile("fixtures/datasets/credit.test.csv", "utf8"));
    creditColumns = credit.header.slice(0, 9);
    const stringColumns = new Set(["sex", "purpose", "housing"]);
    creditRows = credit.rows.slice(0, 4).map((r) => r.slice(0, 9).map((v, i) => (stringColumns.has(creditColumns[i]!) ? v : Number(v))));
  });
  afterAll(async () => {
    // Served requests are logged in the background: write them before the database closes.
    await flushInferenceLog();
    await server.close();
    await rfSession.release();
    await creditSession.release();
    await studio.close();
  });

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const text = typeof body === "string" ? body : body === undefined ? "" : JSON.stringify(body);
    const answer = await handleServing(
      {
        method,
        pathname: path,
        headers: new Headers({ authorization: `Bearer ${token}`, "content-type": "application/json", ...headers }),
        text: async () => text,
      },
      server,
    );
    return { ...answer, json: JSON.parse(answer.body) as Record<string, unknown> };
  }

  async function rfExpected(rows: number[][]) {
    const out = await rfSession.run({ input: new ort.Tensor("float32", Float32Array.from(rows.flat()), [rows.length, 30]) });
    const label = Array.from(out.label!.data as BigInt64Array, Number);
    const probabilities = Array.from({ length: rows.length }, (_, r) => Array.from((out.probabilities!.data as Float32Array).slice(r * 2, r * 2 + 2)));
    return { label, probabilities };
  }

  async function creditExpected(rows: (string | number)[][]) {
    const feeds: Record<string, ort.Tensor> = {};
    creditColumns.forEach((name, c) => {
      const values = rows.map((r) => r[c]!);
      feeds[name] = typeof values[0] === "string" ? new ort.Tensor("string", values as string[], [rows.length, 1]) : new ort.Tensor("float32", Float32Array.from(values as number[]), [rows.length, 1]);
    });
    const out = await creditSession.run(feeds);
    const label = Array.from(out.label!.data as BigInt64Array, Number);
    const probabilities = Array.from({ length: rows.length }, (_, r) => Array.from((out.probabilities!.data as Float32Array).slice(r * 2, r * 2 + 2)));
    return { label, probabilities };
  }

  const perRow = (e: { label: number[]; probabilities: number[][] }) => e.label.map((label, r) => ({ label, probabilities: e.probabilities[r] }));

  it("scores every MLflow body shape on the random forest like onnxruntime-node run directly", async () => {
    const expected = await rfExpected(rfRows);
    const split = await call("POST", "/api/serve/breast-cancer/invocations", { dataframe_split: { columns: rfColumns, data: rfRows } });
    expect(split.status, split.body).toBe(200);
    expect(split.json.predictions).toEqual(perRow(expected));
    const records = rfRows.map((r) => Object.fromEntries(rfColumns.map((c, i) => [c, r[i]])));
    expect((await call("POST", "/api/serve/breast-cancer/invocations", { dataframe_records: records })).json.predictions).toEqual(perRow(expected));
    expect((await call("POST", "/api/serve/breast-cancer/invocations", { instances: rfRows })).json.predictions).toEqual(expected);
    expect((await call("POST", "/api/serve/breast-cancer/invocations", { inputs: rfRows })).json.predictions).toEqual(expected);
    expect((await call("POST", "/api/serve/breast-cancer/invocations", { inputs: { input: rfRows } })).json.predictions).toEqual(expected);
    const csv = [rfColumns.join(","), ...rfRows.map((r) => r.join(","))].join("\n");
    const fromCsv = await call("POST", "/api/serve/breast-cancer/invocations", csv, { "content-type": "text/csv" });
    expect(fromCsv.status, fromCsv.body).toBe(200);
    expect(fromCsv.json.predictions).toEqual(perRow(expected));
  });

  it("scores every MLflow body shape on the credit pipeline (string inputs) like onnxruntime-node", async () => {
    const expected = await creditExpected(creditRows);
    const split = await call("POST", "/api/serve/credit/invocations", { dataframe_split: { columns: creditColumns, data: creditRows } });
    expect(split.status, split.body).toBe(200);
    expect(split.json.predictions).toEqual(perRow(expected));
    const records = creditRows.map((r) => Object.fromEntries(creditColumns.map((c, i) => [c, r[i]])));
    expect((await call("POST", "/api/serve/credit/invocations", { dataframe_records: records })).json.predictions).toEqual(perRow(expected));
    expect((await call("POST", "/api/serve/credit/invocations", { instances: records })).json.predictions).toEqual(perRow(expected));
    const columnar = Object.fromEntries(creditColumns.map((c, i) => [c, creditRows.map((r) => r[i])]));
    expect((await call("POST", "/api/serve/credit/invocations", { inputs: columnar })).json.predictions).toEqual(expected);
    const csv = [creditColumns.join(","), ...creditRows.map((r) => r.join(","))].join("\n");
    expect((await call("POST", "/api/serve/credit/invocations", csv, { "content-type": "text/csv" })).json.predictions).toEqual(perRow(expected));
  });

  it("answers a regression model (one [N,1] output) with plain numbers per row, positional columns when unnamed", async () => {
    const { header, rows } = csvRows(await readFile("fixtures/datasets/diabetes.test.csv", "utf8"));
    const features = rows.slice(0, 3).map((r) => r.slice(0, 10).map(Number));
    const ridge = await ort.InferenceSession.create(new Uint8Array(await readFile(RIDGE)));
    const out = await ridge.run({ input: new ort.Tensor("float32", Float32Array.from(features.flat()), [3, 10]) });
    await ridge.release();
    const expected = Array.from(out.variable!.data as Float32Array);
    // The ONNX graph names no columns, so a DataFrame's columns are taken in order, whatever they are called.
    const split = await call("POST", "/api/serve/diabetes/invocations", { dataframe_split: { columns: header.slice(0, 10), data: features } });
    expect(split.status, split.body).toBe(200);
    expect(split.json.predictions).toEqual(expected);
    expect((await call("POST", "/api/serve/diabetes/invocations", { dataframe_split: { data: features } })).json.predictions).toEqual(expected);
    expect((await call("POST", "/api/serve/diabetes/invocations", { inputs: features })).json.predictions).toEqual(expected.map((v) => [v]));
    const narrow = await call("POST", "/api/serve/diabetes/invocations", { dataframe_split: { columns: header.slice(0, 9), data: features.map((r) => r.slice(0, 9)) } });
    expect(narrow.status).toBe(400);
    expect(narrow.json.message).toMatch(/takes 10 columns in order.*has 9/);
  });

  it("answers the Open Inference Protocol: health, metadata, readiness and typed-tensor inference", async () => {
    expect((await call("GET", "/v2/health/live")).json).toEqual({ live: true });
    expect((await call("GET", "/v2/health/ready")).json).toEqual({ ready: true });
    const meta = await call("GET", "/v2/models/breast-cancer");
    expect(meta.json).toEqual({
      name: "breast-cancer",
      versions: ["1"],
      platform: "onnxruntime",
      inputs: [{ name: "input", datatype: "FP32", shape: [-1, 30] }],
      outputs: [
        { name: "label", datatype: "INT64", shape: [-1] },
        { name: "probabilities", datatype: "FP32", shape: [-1, 2] },
      ],
    });
    expect((await call("GET", "/v2/models/breast-cancer/ready")).json).toEqual({ name: "breast-cancer", ready: true });
    const expected = await rfExpected(rfRows);
    const infer = await call("POST", "/v2/models/breast-cancer/infer", { id: "req-7", inputs: [{ name: "input", shape: [5, 30], datatype: "FP32", data: rfRows.flat() }] });
    expect(infer.status, infer.body).toBe(200);
    expect(infer.json).toEqual({
      model_name: "breast-cancer",
      model_version: "1",
      id: "req-7",
      outputs: [
        { name: "label", shape: [5], datatype: "INT64", data: expected.label },
        { name: "probabilities", shape: [5, 2], datatype: "FP32", data: expected.probabilities.flat() },
      ],
    });
    const nested = await call(
      "POST",
      "/v2/models/breast-cancer/versions/1/infer",
      { inputs: [{ name: "input", shape: [5, 30], datatype: "FP32", data: rfRows }], outputs: [{ name: "probabilities" }] },
      { authorization: `Bearer ${editorToken}` },
    );
    expect(nested.json.outputs).toEqual([{ name: "probabilities", shape: [5, 2], datatype: "FP32", data: expected.probabilities.flat() }]);

    const credit = await creditExpected(creditRows);
    const inputs = creditColumns.map((name, c) => ({
      name,
      shape: [creditRows.length, 1],
      datatype: typeof creditRows[0]![c] === "string" ? "BYTES" : "FP32",
      data: creditRows.map((r) => r[c]),
    }));
    const creditInfer = await call("POST", "/v2/models/credit/infer", { inputs });
    expect(creditInfer.status, creditInfer.body).toBe(200);
    expect(creditInfer.json.outputs).toEqual([
      { name: "label", shape: [4], datatype: "INT64", data: credit.label },
      { name: "probabilities", shape: [4, 2], datatype: "FP32", data: credit.probabilities.flat() },
    ]);
  });

  it("refuses wrong shapes, types, missing inputs and unknown columns with 400 and a message naming them", async () => {
    const mlflow = async (body: unknown, pattern: RegExp, model = "breast-cancer") => {
      const answer = await call("POST", `/api/serve/${model}/invocations`, body);
      expect(answer.status, answer.body).toBe(400);
      expect(answer.json.error_code).toBe("BAD_REQUEST");
      expect(answer.json.message).toMatch(pattern);
      expect(answer.body).not.toMatch(/at .*\.ts:\d+/);
    };
    await mlflow({ dataframe_split: { columns: creditColumns.slice(1), data: creditRows.map((r) => r.slice(1)) } }, /Missing column 'age'/, "credit");
    await mlflow({ dataframe_split: { columns: [...creditColumns, "colour"], data: creditRows.map((r) => [...r, "red"]) } }, /Unknown column "colour"/, "credit");
    await mlflow({ dataframe_records: [{ ...Object.fromEntries(creditColumns.map((c, i) => [c, creditRows[0]![i]])), sex: 1 }] }, /Column 'sex' \(row 1\) must be text/, "credit");
    await mlflow({ dataframe_records: [{ ...Object.fromEntries(creditColumns.map((c, i) => [c, creditRows[0]![i]])), age: "old" }] }, /Column 'age' \(row 1\) must be a number/, "credit");
    await mlflow({ inputs: [[1, 2, 3]] }, /shape \[1, 3\].*\[-1, 30\]/);
    await mlflow({ inputs: [[1, 2], [3]] }, /ragged/);
    await mlflow({ dataframe_split: { columns: rfColumns, data: [rfRows[0]!.slice(1)] } }, /row 1 must be a list of 30 values/);
    await mlflow({ dataframe_split: { columns: rfColumns, data: rfRows }, inputs: rfRows }, /exactly one/);
    await mlflow({ rows: [] }, /one of the fields dataframe_split/);
    await mlflow("{not json", /not valid JSON/);
    await mlflow({ inputs: { age: [30] } }, /Missing inputs 'sex'/, "credit");

    const oip = async (body: unknown, pattern: RegExp, model = "breast-cancer") => {
      const answer = await call("POST", `/v2/models/${model}/infer`, body);
      expect(answer.status, answer.body).toBe(400);
      expect(Object.keys(answer.json)).toEqual(["error"]);
      expect(answer.json.error).toMatch(pattern);
    };
    await oip({ inputs: [{ name: "input", shape: [1, 30], datatype: "FP64", data: rfRows[0] }] }, /datatype "FP64".*expects FP32/);
    await oip({ inputs: [{ name: "input", shape: [1, 29], datatype: "FP32", data: rfRows[0]!.slice(1) }] }, /shape \[1, 29\] has 29 at dimension 1.*\[-1, 30\]/);
    await oip({ inputs: [{ name: "input", shape: [2, 30], datatype: "FP32", data: rfRows[0] }] }, /needs 60 values, but the data holds 30/);
    await oip({ inputs: [{ name: "features", shape: [1, 30], datatype: "FP32", data: rfRows[0] }] }, /Unexpected input 'features'/);
    await oip({ inputs: [{ name: "age", shape: [1, 1], datatype: "FP32", data: [30] }] }, /Missing inputs 'sex'/, "credit");
    await oip({ inputs: [{ name: "sex", shape: [1, 1], datatype: "BYTES", data: [1] }, { name: "age", shape: [1, 1], datatype: "FP32", data: [30] }] }, /must be text/, "credit");
    await oip({ inputs: [{ name: "input", shape: [1, 30], datatype: "FP32", data: rfRows[0] }], outputs: [{ name: "score" }] }, /unknown output "score"/);
  });

  it("answers 404 for an unknown model, alias or version, in each protocol's error shape", async () => {
    const unknown = await call("POST", "/api/serve/nope/invocations", { inputs: rfRows });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error_code: "RESOURCE_DOES_NOT_EXIST", message: expect.stringMatching(/no registered model named 'nope'/) });
    expect((await call("POST", "/api/serve/breast-cancer@shadow/invocations", { inputs: rfRows })).json.message).toMatch(/no alias 'shadow'/);
    const v9 = await call("POST", "/v2/models/breast-cancer/versions/9/infer", { inputs: [] });
    expect(v9.status).toBe(404);
    expect(v9.json.error).toMatch(/no version 9/);
    expect((await call("GET", "/v2/models/nope")).status).toBe(404);
    expect((await call("GET", "/v2/models/nope/ready")).status).toBe(404);
  });

  it("resolves the production alias by default, @alias, explicit versions and URL-encoded references", async () => {
    const body = { inputs: [{ name: "input", shape: [1, 30], datatype: "FP32", data: rfRows[0] }] };
    const asEditor = { authorization: `Bearer ${editorToken}` };
    const versionOf = async (path: string) => {
      const answer = await call("POST", path, body, asEditor);
      expect(answer.status, answer.body).toBe(200);
      return answer.json.model_version;
    };
    expect(await versionOf("/v2/models/breast-cancer/infer")).toBe("1");
    expect(await versionOf("/v2/models/breast-cancer@challenger/infer")).toBe("2");
    expect(await versionOf("/v2/models/breast-cancer%40challenger/infer")).toBe("2");
    expect(await versionOf("/v2/models/breast-cancer/versions/2/infer")).toBe("2");
    expect(await versionOf("/v2/models/breast-cancer%2F2/infer")).toBe("2");
    const rf2 = await ort.InferenceSession.create(new Uint8Array(await readFile(RF2)));
    const direct = await rf2.run({ input: new ort.Tensor("float32", Float32Array.from(rfRows[0]!), [1, 30]) });
    await rf2.release();
    const viaAlias = await call("POST", "/api/serve/breast-cancer@challenger/invocations", { inputs: [rfRows[0]] }, asEditor);
    expect((viaAlias.json.predictions as { probabilities: number[][] }).probabilities[0]).toEqual(Array.from(direct.probabilities!.data as Float32Array));
    expect((await call("POST", "/api/serve/breast-cancer/2/invocations", { inputs: [rfRows[0]] }, asEditor)).json).toEqual(viaAlias.json);
    expect((await call("POST", "/api/serve/breast-cancer%2F2/invocations", { inputs: [rfRows[0]] }, asEditor)).json).toEqual(viaAlias.json);
  });

  it("follows an alias moved without notification (a lost NOTIFY) within a period plus one lookup, and no request waits for that lookup", async () => {
    const admin = studio.as(systemActor);
    await setModelAlias(admin, { name: "breast-cancer", alias: "staging", version: "1" });
    const body = { inputs: [{ name: "input", shape: [1, 30], datatype: "FP32", data: rfRows[0] }] };
    const versionOf = async () => {
      const answer = await call("POST", "/v2/models/breast-cancer@staging/infer", body, { authorization: `Bearer ${editorToken}` });
      expect(answer.status, answer.body).toBe(200);
      return answer.json.model_version;
    };
    // The clock (Date only; timers stay real) moves when the test says: "past its period, within twice it" is then
    // exact however slowly a loaded machine runs the steps in between.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      expect(await versionOf()).toBe("1");
      // What another process's promotion looks like when its notification is lost: the row moves with the triggers
      // off (session_replication_role), so no NOTIFY and no invalidation reaches this process; the safety TTL still
      // bounds it.
      const [staging] = await studio.db.select().from(registeredModelAliases).where(eq(registeredModelAliases.alias, "staging"));
      const [v2] = await studio.db
        .select({ versionId: modelVersions.versionId })
        .from(modelVersions)
        .where(and(eq(modelVersions.modelId, staging!.modelId), eq(modelVersions.version, 2)));
      await studio.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.update(registeredModelAliases).set({ versionId: v2!.versionId }).where(eq(registeredModelAliases.alias, "staging"));
      });
      expect(await versionOf()).toBe("1");
      vi.setSystemTime(Date.now() + ALIAS_CACHE_MS + 50);
      // Past its period the answer is still given, at once, while one lookup replaces it…
      expect(await versionOf()).toBe("1");
      // …and the requests after that lookup get the new version (within a real period, however the clock stands).
      const started = performance.now();
      while ((await versionOf()) !== "2") {
        expect(performance.now() - started).toBeLessThan(ALIAS_CACHE_MS);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it("lets a serve-scoped token call serving only, and refuses it on the MLflow API with 403", async () => {
    const served = await call("POST", "/api/serve/breast-cancer/invocations", { inputs: [rfRows[0]] }, { authorization: `Bearer ${serveToken}` });
    expect(served.status, served.body).toBe(200);
    expect((await call("GET", "/v2/models/breast-cancer", undefined, { authorization: `Bearer ${serveToken}` })).status).toBe(200);
    const request = new Request("http://studio.test/api/2.0/mlflow/registered-models/search", { headers: { authorization: `Bearer ${serveToken}` } });
    await expect(authenticateRequest(request, studio.db)).rejects.toMatchObject({ code: "PERMISSION_DENIED", message: expect.stringMatching(/'serve' scope/) });
    const mlflow = await handleMlflowApi(request, ["registered-models", "search"], async (r) => ({ db: studio.db, artifacts: studio.artifacts, actor: await authenticateRequest(r, studio.db) }));
    expect(mlflow.status).toBe(403);
    expect(await mlflow.text()).toMatch(/only call the model serving endpoints/);
    const listed = await listOwnTokens(studio.as(viewer));
    expect(listed.find((t) => t.name === "serve")?.scopes).toEqual(["serve"]);
    expect(listed.find((t) => t.name === "all")?.scopes).toEqual(["all"]);
    // Without credentials, or with a revoked token: 401.
    const anonymous = await handleServing({ method: "POST", pathname: "/api/serve/breast-cancer/invocations", headers: new Headers(), text: async () => "{}" }, server);
    expect(anonymous.status).toBe(401);
    const { token: doomed, summary } = await createToken(studio.as(viewer), zCreateToken.parse({ name: "doomed", scope: "serve" }));
    expect((await call("GET", "/v2/models/breast-cancer", undefined, { authorization: `Bearer ${doomed}` })).status).toBe(200);
    await revokeToken(studio.as(viewer), summary.tokenId);
    expect((await call("GET", "/v2/models/breast-cancer", undefined, { authorization: `Bearer ${doomed}` })).status).toBe(401);
    clearTokenGrantCache();
  });

  it("puts x-request-id on every answer, echoing the caller's", async () => {
    const echoed = await call("POST", "/api/serve/breast-cancer/invocations", { inputs: [rfRows[0]] }, { "x-request-id": "abc-123" });
    expect(echoed.headers["x-request-id"]).toBe("abc-123");
    const fresh = await call("POST", "/v2/models/nope/infer", {});
    expect(fresh.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect((await call("GET", "/v2/health/live")).headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect((await call("POST", "/api/serve/x/invocations", "{", { authorization: "Bearer mops_wrong" })).headers["x-request-id"]).toBeTruthy();
  });

  it("flips production between versions while 4 clients send requests, without a failed request", async () => {
    const admin = studio.as(systemActor);
    const body = { inputs: [{ name: "input", shape: [1, 30], datatype: "FP32", data: rfRows[0] }] };
    let stop = false;
    const seen = new Set<unknown>();
    const failures: string[] = [];
    let answered = 0;
    const client = async () => {
      while (!stop) {
        const answer = await call("POST", "/v2/models/breast-cancer/infer", body);
        answered++;
        if (answer.status !== 200) failures.push(answer.body);
        else seen.add(answer.json.model_version);
      }
    };
    const clients = Array.from({ length: 4 }, client);
    for (let flip = 0; flip < 10; flip++) {
      const version = flip % 2 === 0 ? "2" : "1";
      await setModelAlias(admin, { name: "breast-cancer", alias: "production", version, overrideReason: "serving test: alias flips under load" });
      await warmServingVersion("breast-cancer", version);
      invalidateServingModel("breast-cancer");
      await new Promise((ok) => setTimeout(ok, 20));
    }
    stop = true;
    await Promise.all(clients);
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(40);
    expect([...seen].sort()).toEqual(["1", "2"]);
    await setModelAlias(admin, { name: "breast-cancer", alias: "production", version: "1", overrideReason: "serving test: no review needed" });
    invalidateServingModel("breast-cancer");
    expect((await call("POST", "/v2/models/breast-cancer/infer", body)).json.model_version).toBe("1");
  });

  it("answers the same over the standalone node:http process's adapter", async () => {
    const http = createServingServer(server);
    await new Promise<void>((ok) => http.listen(0, "127.0.0.1", ok));
    try {
      const { port } = http.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/api/serve/credit/invocations?ignored=1`, {
        method: "POST",
        headers: { authorization: `Bearer ${serveToken}`, "content-type": "application/json", "x-request-id": "standalone-1" },
        body: JSON.stringify({ dataframe_split: { columns: creditColumns, data: creditRows } }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-request-id")).toBe("standalone-1");
      expect(((await response.json()) as { predictions: unknown }).predictions).toEqual(perRow(await creditExpected(creditRows)));
      const health = await fetch(`http://127.0.0.1:${port}/v2/health/ready`);
      expect(await health.json()).toEqual({ ready: true });
    } finally {
      await new Promise((ok) => http.close(ok));
    }
  });

  it("takes a settled alias answer and a loaded session without waiting, exactly as the awaited path gives them", async () => {
    const admin = studio.as(systemActor);
    const own = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }), { maxSessions: 1 });
    const ref = { name: "breast-cancer", alias: "challenger", version: null };
    try {
      // Nothing known yet: the first ask starts the lookup, which resolve() then shares.
      expect(own.resolvedNow(ref)).toBeUndefined();
      const resolved = await own.resolve(ref);
      expect(resolved.version).toBe("2");
      expect(own.resolvedNow(ref)).toBe(resolved);
      // No session loaded yet: only acquire() loads one; once loaded, acquireNow hands out the same model, counted.
      expect(own.acquireNow(resolved)).toBeUndefined();
      const model = await own.acquire(ref, resolved);
      const again = own.acquireNow(resolved);
      expect(again).toBe(model);
      expect(model.inFlight).toBe(2);
      own.release(again!);
      own.release(model);
      // A promotion in this process: the very next ask knows nothing, and the lookup it starts finds the new version.
      await setModelAlias(admin, { name: "breast-cancer", alias: "challenger", version: "1" });
      invalidateServingModel("breast-cancer");
      expect(own.resolvedNow(ref)).toBeUndefined();
      const promoted = await own.resolve(ref);
      expect(promoted.version).toBe("1");
      expect(own.resolvedNow(ref)).toBe(promoted);
      // Loading version 1 evicts version 2 (one session at most): an evicted model is never handed out without waiting.
      own.release(await own.acquire(ref, promoted));
      await new Promise((ok) => setTimeout(ok, 10));
      expect(model.retired).toBe(true);
      expect(own.acquireNow(resolved)).toBeUndefined();
      const loaded = own.acquireNow(promoted);
      expect(loaded?.version).toBe("1");
      own.release(loaded!);
    } finally {
      await setModelAlias(admin, { name: "breast-cancer", alias: "challenger", version: "2" });
      invalidateServingModel("breast-cancer");
      await own.close();
    }
  });

  it("keeps at most its bound of sessions and releases evicted ones only when idle", async () => {
    const small = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }), { maxSessions: 1 });
    try {
      const first = await small.acquire({ name: "breast-cancer", alias: null, version: "1" });
      const second = await small.acquire({ name: "breast-cancer", alias: null, version: "2" });
      await new Promise((ok) => setTimeout(ok, 10));
      expect(first.retired).toBe(true);
      // Still usable while in flight, though evicted.
      const out = await first.session.run({ input: new ort.Tensor("float32", Float32Array.from(rfRows[0]!), [1, 30]) });
      expect(out.label).toBeDefined();
      small.release(first);
      small.release(second);
      expect(second.retired).toBe(false);
    } finally {
      await small.close();
    }
  });
});
