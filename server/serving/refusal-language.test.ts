// Serving's refusals in the caller's language (language cookie, else Accept-Language, else English): English callers
// read the same bytes as before; the standalone serving process says them from its own small table, which must be the
// catalogue's sentences exactly (UPDATE_SERVING_SENTENCES=1 rewrites it) and must not pull the catalogue in.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogues } from "@/messages";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";
import { systemActor } from "../auth/actor";
import { createUserAsSystem } from "../auth/accounts";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { createToken } from "../auth/tokens";
import { flushInferenceLog, recordInference } from "../monitoring/inference-log";
import { zFeedbackBody } from "../monitoring/feedback";
import { describeZodError, zodErrorSentence } from "../errors";
import { createModelVersion, findRegisteredModel, findVersionByAlias } from "../registry/model-versions";
import { introspectOnnx } from "../registry/onnx-introspection";
import { handleModelOnnxDownload } from "../registry/onnx-http";
import { modelStorePath } from "../registry/model-store";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { createRegisteredModel, setModelAlias } from "../registry/registered-models";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { frenchTypography, saidIn } from "../testing/said-error";
import { handleServing } from "./http";
import { ModelServer } from "./model-server";
import { flushRouteLog } from "./route-log";
import { SERVING_SENTENCE_KEYS } from "./refusal-language";

const root = path.resolve(import.meta.dirname, "../..");
const tablePath = (locale: string) => path.join(import.meta.dirname, "refusal-sentences", `${locale}.json`);

/** The `sentences` catalogue of `locale` cut down to SERVING_SENTENCE_KEYS, nested as the catalogue nests them. */
function servingTable(locale: "fr"): Record<string, unknown> {
  const table: Record<string, unknown> = {};
  for (const key of SERVING_SENTENCE_KEYS) {
    const parts = key.replace(/\.\*$/, "").split(".");
    let from: unknown = catalogues[locale].sentences;
    for (const part of parts) from = (from as Record<string, unknown> | undefined)?.[part];
    if (from === undefined) throw new Error(`the catalogue has no sentence ${key}`);
    let into = table;
    for (const part of parts.slice(0, -1)) into = (into[part] ??= {}) as Record<string, unknown>;
    into[parts[parts.length - 1]!] = from;
  }
  return table;
}

/** The modules a file imports statically (import … from, export … from), resolved to files of this repository. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const match of text.matchAll(/^(?:import|export)\s(?!type\s)[^;]*?\sfrom\s+"([^"]+)"/gms)) {
    const specifier = match[1]!;
    const base = specifier.startsWith("@/") ? path.join(root, specifier.slice(2)) : specifier.startsWith(".") ? path.resolve(path.dirname(file), specifier) : null;
    if (!base) continue;
    const resolved = [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")].find((candidate) => /\.(ts|tsx|mjs|json)$/.test(candidate) && existsSync(candidate));
    if (resolved) found.push(resolved);
  }
  return found;
}

describe("the serving process's refusal sentences", () => {
  it("are the catalogue's sentences, exactly those serving says", () => {
    for (const locale of ["fr"] as const) {
      const expected = `${JSON.stringify(servingTable(locale), null, 2)}\n`;
      if (process.env.UPDATE_SERVING_SENTENCES === "1") writeFileSync(tablePath(locale), expected);
      expect(readFileSync(tablePath(locale), "utf8"), `server/serving/refusal-sentences/${locale}.json is out of date: run UPDATE_SERVING_SENTENCES=1 npx vitest run server/serving/refusal-language.test.ts`).toBe(expected);
    }
  });

  it("keep the catalogue out of the standalone serving process: no static import reaches messages/", () => {
    const seen = new Set<string>();
    const queue = [path.join(root, "server/serving/standalone.ts")];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      if (!file.endsWith(".json")) queue.push(...staticImports(file));
    }
    expect(seen.size).toBeGreaterThan(20);
    expect(seen.has(path.join(root, "server/serving/refusal-language.ts"))).toBe(true);
    // (lib/review-words.ts reads the English review sentences, one namespace: that is not the catalogue.)
    const catalogue = [...seen].map((file) => path.relative(root, file)).filter((file) => /^messages\/(index\.ts|fr\/|[a-z]+\/sentences\.json)|said-response\.ts$/.test(file));
    expect(catalogue).toEqual([]);
  });
});

const FRENCH = { "accept-language": "fr-CH, fr;q=0.9, en;q=0.8" };

describe.each(testBackends)("serving refusals in the caller's language on %s", (kind) => {
  let studio: TestStudio;
  let server: ModelServer;
  let viewerToken: string;
  let rfRow: number[];
  let creditColumns: string[];
  let creditRow: string[];

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    server = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    const admin = studio.as(systemActor);
    const rf = new Uint8Array(await readFile(path.join(root, "fixtures/models/breast-cancer-rf-v1.onnx")));
    await registerOnnxUpload(admin, { name: "breast-cancer", bytes: rf });
    await setModelAlias(admin, { name: "breast-cancer", alias: "production", version: "1", overrideReason: "serving refusals test" });
    await registerOnnxUpload(admin, { name: "breast-cancer", bytes: new Uint8Array(await readFile(path.join(root, "fixtures/models/breast-cancer-rf-v2.onnx"))) });
    await registerOnnxUpload(admin, { name: "unpromoted", bytes: rf });
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `vic-${kind}`, password: "viewer-password-1", role: "viewer" }));
    viewerToken = (await createToken(studio.as({ userId: user.userId, username: user.username, role: "viewer", via: "session" }), zCreateToken.parse({ name: "serve", scope: "serve" }))).token;
    const csv = (await readFile(path.join(root, "fixtures/datasets/breast_cancer.test.csv"), "utf8")).trim().split("\n");
    rfRow = csv[1]!.split(",").slice(0, 30).map(Number);
    await registerOnnxUpload(admin, { name: "credit", bytes: new Uint8Array(await readFile(path.join(root, "fixtures/models/credit-logreg.onnx"))) });
    await setModelAlias(admin, { name: "credit", alias: "production", version: "1", overrideReason: "serving refusals test" });
    const credit = (await readFile(path.join(root, "fixtures/datasets/credit.test.csv"), "utf8")).trim().split("\n");
    creditColumns = credit[0]!.split(",").slice(0, 9);
    creditRow = credit[1]!.split(",").slice(0, 9);
  });
  afterAll(async () => {
    // Refused production requests are logged in the background (the guards' error rates): written before the close.
    await flushRouteLog();
    await flushInferenceLog();
    await server.close();
    await studio.close();
  });

  async function call(method: string, pathname: string, body: string, headers: Record<string, string> = {}, modelServer = server) {
    const answer = await handleServing({ method, pathname, headers: new Headers({ "content-type": "application/json", ...headers }), text: async () => body }, modelServer);
    return { status: answer.status, language: answer.headers["content-language"] ?? null, body: answer.body };
  }

  /**
   * The refusal in English (no language asked, and English asked) and in French (Accept-Language, and the cookie): the
   * same status; English the server's message byte for byte, which is also the catalogue's English of `said`; French
   * the catalogue's French of `said`, said by the serving table.
   */
  async function expectRefusal(
    request: { method?: string; path: string; body?: string; headers?: Record<string, string>; server?: ModelServer },
    status: number,
    englishBody: string,
    said: ServerSentence,
  ) {
    const send = (headers: Record<string, string>) =>
      call(request.method ?? "POST", request.path, request.body ?? JSON.stringify({ inputs: [rfRow] }), { ...request.headers, ...headers }, request.server);
    const english = await send({});
    expect(english).toEqual({ status, language: "en", body: englishBody });
    expect(await send({ "accept-language": "en-GB,en;q=0.9" })).toEqual(english);
    expect(await send({ ...FRENCH, cookie: "studio_locale=en" })).toEqual(english);
    const englishMessage = (JSON.parse(englishBody) as { message?: string; error?: string }).message ?? (JSON.parse(englishBody) as { error: string }).error;
    expect(saidIn("en", { message: "(not in the catalogue)", sentence: said })).toBe(englishMessage);

    const french = await send(FRENCH);
    expect(french.status).toBe(status);
    expect(french.language).toBe("fr");
    const frenchMessage = saidIn("fr", { message: englishMessage, sentence: said });
    expect(frenchMessage).not.toBe(englishMessage);
    expect(french.body).toBe(englishBody.replace(JSON.stringify(englishMessage), JSON.stringify(frenchMessage)));
    expect(await send({ cookie: "theme=dark; studio_locale=fr" })).toEqual(french);
    return JSON.parse(french.body) as Record<string, string>;
  }

  const bearer = () => ({ authorization: `Bearer ${viewerToken}` });

  it("401: no credentials, on both protocols, and credentials that are not a token", async () => {
    const required =
      "Authentication required: send 'Authorization: Bearer <token>' with an API token (scope 'serve' or 'all') from the studio's Tokens page.";
    const french = await expectRefusal({ path: "/api/serve/breast-cancer/invocations" }, 401, JSON.stringify({ error_code: "UNAUTHENTICATED", message: required }), sentence("error.auth.required_serving"));
    expect(french.message).toBe(frenchTypography("Authentification requise : envoyez « Authorization: Bearer <jeton> » avec un jeton d’API (portée « serve » ou « all ») de la page Jetons du studio."));
    await expectRefusal({ path: "/v2/models/breast-cancer/infer" }, 401, JSON.stringify({ error: required }), sentence("error.auth.required_serving"));
    await expectRefusal(
      { path: "/api/serve/breast-cancer/invocations", headers: { authorization: "Bearer mst_not-a-token" } },
      401,
      JSON.stringify({ error_code: "UNAUTHENTICATED", message: "Invalid credentials: the token is unknown, revoked or expired, or the username/password is wrong." }),
      sentence("error.auth.invalid_credentials"),
    );
  });

  it("403: a version without an approved review, called by version by a viewer's token", async () => {
    const message =
      "Version 2 of 'breast-cancer' has no approved review: only users allowed to test models (editors, admins) may call it by version or alias. Use the production endpoint, or ask for a review.";
    const french = await expectRefusal(
      { path: "/api/serve/breast-cancer/2/invocations", headers: bearer() },
      403,
      JSON.stringify({ error_code: "PERMISSION_DENIED", message }),
      sentence("error.serving.unreviewed", { version: "2", model: "breast-cancer" }),
    );
    expect(french.message).toMatch(/^La version 2 de «\u00a0breast-cancer\u00a0» n’a pas de revue approuvée\u00a0:/);
  });

  it("404: no such model, version, alias or endpoint, and the wrong method", async () => {
    await expectRefusal(
      { path: "/api/serve/no-such-model/invocations", headers: bearer() },
      404,
      JSON.stringify({ error_code: "RESOURCE_DOES_NOT_EXIST", message: "There is no registered model named 'no-such-model'." }),
      sentence("error.serving.no_model", { model: "no-such-model" }),
    );
    await expectRefusal(
      { path: "/v2/models/breast-cancer/versions/9/infer", headers: bearer() },
      404,
      JSON.stringify({ error: "Model 'breast-cancer' has no version 9." }),
      sentence("error.serving.no_version", { model: "breast-cancer", version: "9" }),
    );
    await expectRefusal(
      { path: "/api/serve/unpromoted/invocations", headers: bearer() },
      404,
      JSON.stringify({ error_code: "RESOURCE_DOES_NOT_EXIST", message: "Model 'unpromoted' has no alias 'production': promote a version to production, or call <model>@<alias> or an explicit version." }),
      sentence("error.serving.no_production", { model: "unpromoted", alias: "production" }),
    );
    await expectRefusal(
      { path: "/api/serve/breast-cancer@champion/invocations", headers: bearer() },
      404,
      JSON.stringify({ error_code: "RESOURCE_DOES_NOT_EXIST", message: "Model 'breast-cancer' has no alias 'champion'." }),
      sentence("error.serving.no_alias", { model: "breast-cancer", alias: "champion" }),
    );
    await expectRefusal(
      { path: "/api/serve/breast-cancer/predict", headers: bearer() },
      404,
      JSON.stringify({ error_code: "ENDPOINT_NOT_FOUND", message: "No serving endpoint at /api/serve/breast-cancer/predict; call POST /api/serve/<model>/invocations." }),
      sentence("error.serving.no_endpoint", { path: "/api/serve/breast-cancer/predict" }),
    );
    await expectRefusal(
      { path: "/v2/models/breast-cancer/versions/1/explain", method: "GET", headers: bearer() },
      404,
      JSON.stringify({ error: "No serving endpoint at /v2/models/breast-cancer/versions/1/explain." }),
      sentence("error.serving.no_endpoint_v2", { path: "/v2/models/breast-cancer/versions/1/explain" }),
    );
    await expectRefusal(
      { path: "/api/serve/breast-cancer/invocations", method: "GET", headers: bearer() },
      404,
      JSON.stringify({ error_code: "ENDPOINT_NOT_FOUND", message: "Use POST for /api/serve/<model>/invocations." }),
      sentence("error.serving.use_post_invocations"),
    );
    await expectRefusal({ path: "/v2/models/breast-cancer/infer", method: "GET", headers: bearer() }, 404, JSON.stringify({ error: "Use POST for …/infer." }), sentence("error.serving.use_post_infer"));
    await expectRefusal({ path: "/v2/health/live", method: "POST" }, 404, JSON.stringify({ error: "Use GET for /v2/health/live." }), sentence("error.serving.use_get", { path: "/v2/health/live" }));
  });

  it("400: a body that is not JSON, an unsupported content type, unknown and missing columns", async () => {
    const reason = (() => {
      try {
        JSON.parse("{not json");
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    })();
    await expectRefusal(
      { path: "/api/serve/breast-cancer/invocations", body: "{not json", headers: bearer() },
      400,
      JSON.stringify({ error_code: "BAD_REQUEST", message: `The body is not valid JSON: ${reason}.` }),
      sentence("error.serving.not_json", { reason }),
    );
    await expectRefusal(
      { path: "/api/serve/breast-cancer/invocations", headers: { ...bearer(), "content-type": "text/plain" } },
      400,
      JSON.stringify({ error_code: "BAD_REQUEST", message: "Content-Type 'text/plain' is not supported: send application/json (MLflow's scoring protocol) or text/csv." }),
      sentence("error.serving.content_type", { type: "text/plain" }),
    );
    const known = creditColumns.join(", ");
    const frame = (columns: string[]) => JSON.stringify({ dataframe_split: { columns, data: [creditRow.slice(0, columns.length)] } });
    await expectRefusal(
      { path: "/api/serve/credit/invocations", body: frame([...creditColumns.slice(0, 8), "colour"]), headers: bearer() },
      400,
      JSON.stringify({ error_code: "BAD_REQUEST", message: `Unknown column "colour": the model takes ${known}.` }),
      sentence("error.serving.unknown_column", { column: '"colour"', known }),
    );
    const missing = creditColumns.slice(7).map((c) => `'${c}'`).join(", ");
    const french = await expectRefusal(
      { path: "/api/serve/credit/invocations", body: frame(creditColumns.slice(0, 7)), headers: bearer() },
      400,
      JSON.stringify({ error_code: "BAD_REQUEST", message: `Missing columns ${missing}: the model takes ${known}.` }),
      sentence("error.serving.missing_columns", { count: 2, columns: missing, known }),
    );
    expect(french.message).toBe(frenchTypography(`Colonnes manquantes ${missing} : le modèle prend ${known}.`));
    await expectRefusal(
      { path: "/api/serve/breast-cancer/invocations", body: "[1, 2]", headers: bearer() },
      400,
      JSON.stringify({ error_code: "BAD_REQUEST", message: "The body must be a JSON object with one of dataframe_split, dataframe_records, instances, inputs." }),
      sentence("error.serving.body_not_object", { fields: "dataframe_split, dataframe_records, instances, inputs" }),
    );
  });

  it("400: the request's shape and values, on both protocols (every such refusal: request-refusals.test.ts)", async () => {
    const short = rfRow.slice(0, 3);
    const french = await expectRefusal(
      { path: "/api/serve/breast-cancer/invocations", body: JSON.stringify({ inputs: [short] }), headers: bearer() },
      400,
      JSON.stringify({ error_code: "BAD_REQUEST", message: "'inputs': shape [1, 3] has 3 at dimension 1, but the model's input 'input' has shape [-1, 30]." }),
      sentence("error.serving.shape_dimension", {
        label: [sentence("error.serving.label.field", { field: "inputs" })],
        shape: "[1, 3]",
        size: "3",
        dimension: "1",
        input: "input",
        expected: "[-1, 30]",
      }),
    );
    expect(french.message).toBe(frenchTypography("Dans « inputs », la forme [1, 3] a 3 à la dimension 1, mais l’entrée « input » du modèle a la forme [-1, 30]."));
    const data = [...rfRow.slice(0, 29), "big"];
    const where = [sentence("error.serving.at.value", { label: [sentence("error.serving.label.input", { name: "input" })], index: "30" })];
    await expectRefusal(
      { path: "/v2/models/breast-cancer/infer", body: JSON.stringify({ inputs: [{ name: "input", shape: [1, 30], datatype: "FP32", data }] }), headers: bearer() },
      400,
      JSON.stringify({ error: `Input 'input' value 30 must be a number, got text "big".` }),
      sentence("error.serving.must_be_number", { where, got: [sentence("error.serving.value.text", { text: '"big"' })] }),
    );
    await expectRefusal(
      { path: "/v2/models/breast-cancer/infer", body: JSON.stringify({ inputs: [{ name: "input", shape: [1, 30], datatype: "FP64", data: rfRow }] }), headers: bearer() },
      400,
      JSON.stringify({ error: `Input 'input' has datatype "FP64", but the model expects FP32.` }),
      sentence("error.serving.oip_datatype", { input: "input", datatype: '"FP64"', expected: "FP32" }),
    );
    await expectRefusal(
      { path: "/api/serve/credit/invocations", body: JSON.stringify({ dataframe_records: [] }), headers: bearer() },
      400,
      JSON.stringify({ error_code: "BAD_REQUEST", message: "'dataframe_records' is empty: send at least one record." }),
      sentence("error.serving.records_empty", { what: "dataframe_records" }),
    );
  });

  it("400 INVALID_STATE: versions serving cannot serve (no ONNX file, not introspected, inputs it cannot build, a ZipMap)", async () => {
    const admin = studio.as(systemActor);
    const editor = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `eve-${kind}`, password: "editor-password-1", role: "editor" }));
    const editorToken = (await createToken(studio.as({ userId: editor.userId, username: editor.username, role: "editor", via: "session" }), zCreateToken.parse({ name: "serve", scope: "serve" }))).token;
    const asEditor = { authorization: `Bearer ${editorToken}` };
    const introspection = introspectOnnx(new Uint8Array(await readFile(path.join(root, "fixtures/models/breast-cancer-rf-v1.onnx"))));
    await createRegisteredModel(admin, { name: "pickled" });
    await createModelVersion(admin, { name: "pickled", source: "mlflow-artifacts:/legacy/model.pkl" });
    await createModelVersion(admin, { name: "pickled", source: "mlflow-artifacts:/legacy/forest.onnx", onnx_path: "legacy/forest.onnx" });
    await createModelVersion(admin, {
      name: "pickled",
      source: "mlflow-artifacts:/legacy/seq.onnx",
      onnx_path: "legacy/seq.onnx",
      introspection: { ...introspection, inputs: introspection.inputs.map((input) => ({ ...input, kind: "sequence", typeDescription: "sequence of map(string, float)" })) },
    });
    await registerOnnxUpload(admin, { name: "iris-zipmap", bytes: new Uint8Array(await readFile(path.join(root, "fixtures/models/iris-logreg-zipmap.onnx"))) });

    const noOnnx = await expectRefusal(
      { path: "/api/serve/pickled/1/invocations", headers: asEditor },
      400,
      JSON.stringify({ error_code: "INVALID_STATE", message: "Version 1 of 'pickled' has no ONNX file in the studio; only ONNX versions can be served." }),
      sentence("error.serving.no_onnx_file", { version: "1", model: "pickled" }),
    );
    expect(noOnnx.message).toBe(frenchTypography("La version 1 de « pickled » n’a pas de fichier ONNX dans le studio ; seules les versions ONNX peuvent être servies."));
    await expectRefusal(
      { path: "/v2/models/pickled/versions/2/infer", headers: asEditor },
      400,
      JSON.stringify({ error: "Version 2 of 'pickled' has not been introspected; register its ONNX file again." }),
      sentence("error.serving.not_introspected", { version: "2", model: "pickled" }),
    );
    await expectRefusal(
      { path: "/api/serve/pickled/3/invocations", headers: asEditor },
      400,
      JSON.stringify({ error_code: "INVALID_STATE", message: "Version 3 of 'pickled' takes inputs serving cannot build: input (sequence of map(string, float))." }),
      sentence("error.serving.unservable_inputs", { version: "3", model: "pickled", inputs: "input (sequence of map(string, float))" }),
    );
    const outputs = introspectOnnx(new Uint8Array(await readFile(path.join(root, "fixtures/models/iris-logreg-zipmap.onnx"))))
      .outputs.filter((output) => output.kind !== "tensor")
      .map((output) => output.name)
      .join(", ");
    await expectRefusal(
      { path: "/api/serve/iris-zipmap/1/invocations", headers: asEditor },
      400,
      JSON.stringify({
        error_code: "INVALID_STATE",
        message: `Version 1 of 'iris-zipmap' has outputs that are not tensors (${outputs}), e.g. a ZipMap; derive a version without ZipMap on its model page and serve that.`,
      }),
      sentence("error.serving.non_tensor_outputs", { version: "1", model: "iris-zipmap", outputs }),
    );
  });

  it("feedback's refusals: who may post, a malformed body, an unknown model, and labels that do not fit the requests", async () => {
    const feedback = (body: unknown, headers: Record<string, string>, model = "breast-cancer") => ({ path: `/api/serve/${model}/feedback`, body: JSON.stringify(body), headers });
    const viewer = await expectRefusal(
      feedback({ request_id: "fb-1", label: 1 }, bearer()),
      403,
      JSON.stringify({
        error_code: "PERMISSION_DENIED",
        message: `Permission denied: 'vic-${kind}' has role 'viewer', which cannot post feedback labels. Use an API token with the 'serve' scope owned by a non-viewer account, or an editor's or admin's credentials.`,
      }),
      sentence("error.feedback.permission", { username: `vic-${kind}`, role: "viewer" }),
    );
    expect(viewer.message).toMatch(/^Permission refusée\u00a0: «\u00a0vic-\w+\u00a0» a le rôle «\u00a0viewer\u00a0», qui ne permet pas de publier des étiquettes/);

    const labeller = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `lea-${kind}`, password: "editor-password-1", role: "editor" }));
    const token = (await createToken(studio.as({ userId: labeller.userId, username: labeller.username, role: "editor", via: "session" }), zCreateToken.parse({ name: "fb", scope: "serve" }))).token;
    const asLabeller = { authorization: `Bearer ${token}` };
    const malformed = { request_id: "", label: 1 };
    const issues = zFeedbackBody.safeParse(malformed).error!;
    const invalid = await expectRefusal(
      feedback(malformed, asLabeller),
      400,
      JSON.stringify({ error_code: "INVALID_PARAMETER_VALUE", message: `Invalid feedback: ${describeZodError(issues)}` }),
      sentence("error.feedback.invalid", { issues: [zodErrorSentence(issues)] }),
    );
    expect(invalid.message).toMatch(/^Retour non valide\u00a0: /);
    await expectRefusal(
      feedback({ request_id: "fb-1", label: 1 }, asLabeller, "no-such-model"),
      404,
      JSON.stringify({ error_code: "RESOURCE_DOES_NOT_EXIST", message: "Registered Model with name=no-such-model not found." }),
      sentence("error.not_found.model", { model: "no-such-model" }),
    );

    // A logged two-row request of the production version (a binary classifier: classes 0 and 1).
    const model = await findRegisteredModel(studio.db, "breast-cancer");
    const production = await findVersionByAlias(studio.db, "breast-cancer", "production");
    recordInference(studio.db, { modelId: model.modelId, versionId: production.versionId, requestId: "fb-1", at: Date.now(), latencyMs: 1, inputs: {}, predictions: [0, 1], protocol: "mlflow" });
    await flushInferenceLog();
    const labels = [
      { request_id: "fb-1", row: 0, label: 1 },
      { request_id: "fb-1", row: 0, label: 0 },
      { request_id: "fb-1", row: 2, label: 1 },
      { request_id: "fb-1", row: 1, label: "maybe" },
      { request_id: "fb-404", label: 1 },
    ];
    const message =
      "Feedback refused, nothing was stored: 4 problems: request fb-1 row 0 is labelled twice in this post: send one label per row; " +
      "unknown request id 'fb-404': 'breast-cancer' logged no such request (not sampled, expired, another model's, or a mistyped id); " +
      "request fb-1 had 2 rows, so it has no row 2; request fb-1 row 1: 'maybe' is not one of the model's classes (0, 1). Fix them and send the post again.";
    const refused = await expectRefusal(
      feedback({ feedback: labels }, asLabeller),
      400,
      JSON.stringify({ error_code: "INVALID_PARAMETER_VALUE", message }),
      sentence("error.feedback.refused", {
        count: 4,
        total: "4",
        more: "no",
        problems: [
          sentence("error.feedback.labelled_twice", { request: "fb-1", row: "0" }),
          sentence("error.feedback.unknown_requests", { count: 1, ids: "'fb-404'", model: "breast-cancer" }),
          sentence("error.feedback.no_such_row", { request: "fb-1", count: 2, rows: "2", row: "2" }),
          sentence("error.feedback.not_a_class", { request: "fb-1", row: "1", label: "'maybe'", classes: "0, 1" }),
        ],
      }),
    );
    expect(refused.message).toBe(
      frenchTypography(
        "Retour refusé, rien n’a été enregistré : 4 problèmes : la ligne 0 de la requête fb-1 est étiquetée deux fois dans cet envoi : envoyez une étiquette par ligne ; " +
          "identifiant de requête inconnu 'fb-404' : « breast-cancer » n’a journalisé aucune requête de ce nom (non échantillonnée, expirée, d’un autre modèle, ou identifiant mal saisi) ; " +
          "la requête fb-1 avait 2 lignes : elle n’a donc pas de ligne 2 ; requête fb-1, ligne 1 : 'maybe' n’est pas une des classes du modèle (0, 1). Corrigez-les et envoyez-le de nouveau.",
      ),
    );

    // Past ten problems, the first ten are listed and the rest is said to go on.
    const rows = Array.from({ length: 12 }, (_, i) => i + 2);
    const many = await expectRefusal(
      feedback({ feedback: rows.map((row) => ({ request_id: "fb-1", row, label: 1 })) }, asLabeller),
      400,
      JSON.stringify({
        error_code: "INVALID_PARAMETER_VALUE",
        message: `Feedback refused, nothing was stored: 12 problems: ${rows.slice(0, 10).map((row) => `request fb-1 had 2 rows, so it has no row ${row}`).join("; ")}; …. Fix them and send the post again.`,
      }),
      sentence("error.feedback.refused", {
        count: 12,
        total: "12",
        more: "yes",
        problems: rows.slice(0, 10).map((row) => sentence("error.feedback.no_such_row", { request: "fb-1", count: 2, rows: "2", row: String(row) })),
      }),
    );
    expect(many.message).toMatch(/^Retour refusé, rien n’a été enregistré\u00a0: 12 problèmes\u00a0: la requête fb-1 avait 2 lignes/);
    expect(many.message).toMatch(/pas de ligne 11\u00a0; …\. Corrigez-les et envoyez-le de nouveau\.$/);
  });

  it("a model file that cannot be loaded (altered on disk): 503 in the caller's language, from serving and the model download", async () => {
    // A model no other case serves: its stored file is shared by digest.
    const bytes = new Uint8Array(await readFile(path.join(root, "fixtures/models/diabetes-ridge.onnx")));
    await registerOnnxUpload(studio.as(systemActor), { name: "tampered", bytes });
    await setModelAlias(studio.as(systemActor), { name: "tampered", alias: "production", version: "1", overrideReason: "serving refusals test" });
    const digest = createHash("sha256").update(bytes).digest("hex");
    const altered = new Uint8Array(await readFile(path.join(root, "fixtures/models/digits-mlp.onnx")));
    await writeFile(path.join(studio.artifactRoot, modelStorePath(digest)), altered);
    const actual = createHash("sha256").update(altered).digest("hex");
    const failure = `The stored model bytes of version 1 have SHA-256 ${actual}, not the registered ${digest}: they were altered after registration.`;
    const message = `${failure} The studio refuses to use them; an admin must restore the file or register the reviewed model again. The event is in the audit log.`;
    const said = sentence("error.model_file.unavailable", { failure: [sentence("flag.integrity.altered", { version: "1", actual, digest })] });
    // A server that has not loaded the version yet (the alias change warmed the shared one before the file changed).
    const fresh = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    const french = await expectRefusal({ path: "/api/serve/tampered/invocations", headers: bearer(), server: fresh }, 503, JSON.stringify({ error_code: "TEMPORARILY_UNAVAILABLE", message }), said).finally(() =>
      fresh.close(),
    );
    expect(french.message).toBe(
      frenchTypography(
        `Les octets stockés du modèle de la version 1 ont le SHA-256 ${actual}, et non le ${digest} enregistré : ils ont été modifiés après l'enregistrement. Le studio refuse de les utiliser ; un administrateur doit restaurer le fichier ou enregistrer à nouveau le modèle revu. L’événement figure dans le journal d’audit.`,
      ),
    );

    // The playground loads the same file through the model download: the same refusal, said the same way.
    const download = async (headers: Record<string, string>) => {
      const response = await handleModelOnnxDownload(new Request("http://studio.test/api/models/tampered/versions/1/onnx", { headers }), Promise.resolve({ name: "tampered", version: "1" }), async () =>
        studio.as(systemActor),
      );
      return { status: response.status, language: response.headers.get("content-language"), body: (await response.json()) as Record<string, unknown> };
    };
    expect(await download({})).toEqual({ status: 503, language: "en", body: { error_code: "TEMPORARILY_UNAVAILABLE", message } });
    expect(await download(FRENCH)).toEqual({ status: 503, language: "fr", body: { error_code: "TEMPORARILY_UNAVAILABLE", message: french.message } });
  });
});
