// POST /api/models/<name>/versions/<v>/playground-row: the early answer to a Predict pressed before hydration. Checked
// with real session cookies: the row as the form posts it is answered as onnxruntime-node answers it, a bad value gets
// its field's message, and the caller checks are the form's (signed in, same origin, not a labeller only).
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { playgroundFieldName } from "@/components/playground/form-field-name";
import { createUserAsSystem } from "../auth/accounts";
import { authenticateRequest } from "../auth/authenticate";
import { zCreateUser } from "../auth/schema";
import { SESSION_COOKIE, signIn } from "../auth/sessions";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { registerOnnxUpload } from "./onnx-versions";
import { handlePlaygroundRow, MAX_PLAYGROUND_ROW_FORM_BYTES } from "./playground-row-http";

const root = path.join(import.meta.dirname, "../..");
const IRIS = path.join(root, "fixtures/models/iris-logreg.onnx");
const STUDIO = "http://studio.test";

function formBody(fields: Record<string, string>): string {
  const body = new URLSearchParams({ model: "iris", modelVersion: "1" });
  for (const [key, value] of Object.entries(fields)) body.set(playgroundFieldName(key), value);
  return body.toString();
}

describe.each(testBackends)("the playground's early-answer route on %s", (backend) => {
  let studio: TestStudio;
  const cookies: Record<"viewer" | "labeller", string> = { viewer: "", labeller: "" };

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    await registerOnnxUpload(studio, { name: "iris", bytes: new Uint8Array(await readFile(IRIS)) });
    for (const role of ["viewer", "labeller"] as const) {
      const username = `${role}-${backend}`;
      await createUserAsSystem(studio.db, zCreateUser.parse({ username, password: "playground-row-password-1", role }));
      cookies[role] = (await signIn(studio.db, { username, password: "playground-row-password-1", clientKey: null })).cookieValue;
    }
    // A database, a model and two password hashes: minutes on a two-core machine shared by several builds.
  }, 300_000);
  afterAll(async () => studio.close());

  function post(body: string, { as = "viewer", origin = STUDIO, version = "1" }: { as?: "viewer" | "labeller"; origin?: string; version?: string } = {}) {
    const request = new Request(`${STUDIO}/api/models/iris/versions/${version}/playground-row`, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: `${SESSION_COOKIE}=${encodeURIComponent(cookies[as])}`, origin, host: "studio.test" },
    });
    return handlePlaygroundRow(request, Promise.resolve({ name: "iris", version }), async (r) => studio.as(await authenticateRequest(r, studio.db)));
  }

  it("answers the posted row as onnxruntime-node does, with the row and what the page shows", async () => {
    const row = [6.3, 2.5, 4.9, 1.5];
    const session = await ort.InferenceSession.create(IRIS);
    const expected = await session.run({ input: new ort.Tensor("float32", Float32Array.from(row), [1, 4]) });
    const response = await post(formBody(Object.fromEntries(row.map((value, i) => [`x${i}`, String(value)]))));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const answer = await response.json();
    expect(answer.row).toEqual({ x0: 6.3, x1: 2.5, x2: 4.9, x3: 1.5 });
    expect(answer.shown.label).toBe(String(expected.label!.data[0]));
    const probabilities = Array.from(expected.probabilities!.data as Float32Array);
    expect(answer.shown.probabilities.map((p: { text: string }) => p.text)).toEqual(probabilities.map((p) => `${(p * 100).toFixed(1)}%`));
    expect(answer.shown.probabilities.filter((p: { best: boolean }) => p.best).map((p: { name: string }) => p.name)).toEqual([`class ${probabilities.indexOf(Math.max(...probabilities))}`]);
    expect(answer.prediction.runMs).toBeGreaterThanOrEqual(0);
  });

  it("the address names the version: hidden fields naming another are not followed", async () => {
    const body = formBody({ x0: "5.1", x1: "3.5", x2: "1.4", x3: "0.2" }).replace("modelVersion=1", "modelVersion=7");
    expect((await post(body)).status).toBe(200);
    const absent = await post(body, { version: "7" });
    expect(absent.status).toBe(404);
    expect((await absent.json()).message).toMatch(/iris/);
  });

  it("refuses a value that is not a number with 400 and that field's message, scoring nothing", async () => {
    const response = await post(formBody({ x0: "5.1", x1: "abc", x2: "1.4", x3: "0.2" }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE", field_errors: { x1: '"x1" must be a number.' } });
    expect(body.message).toContain('"x1" must be a number.');
    expect(body).not.toHaveProperty("prediction");
  });

  it("refuses a labeller (403), another site's post (403) and a caller without a session (401)", async () => {
    const fields = formBody({ x0: "5.1", x1: "3.5", x2: "1.4", x3: "0.2" });
    const labeller = await post(fields, { as: "labeller" });
    expect(labeller.status).toBe(403);
    expect((await labeller.json()).message).toMatch(/may only label/);
    const elsewhere = await post(fields, { origin: "https://elsewhere.example" });
    expect(elsewhere.status).toBe(403);
    expect((await elsewhere.json()).message).toMatch(/Cross-site request refused/);
    const anonymous = await handlePlaygroundRow(
      new Request(`${STUDIO}/api/models/iris/versions/1/playground-row`, { method: "POST", body: fields, headers: { origin: STUDIO, host: "studio.test" } }),
      Promise.resolve({ name: "iris", version: "1" }),
      async (r) => studio.as(await authenticateRequest(r, studio.db)),
    );
    expect(anonymous.status).toBe(401);
  });

  it("refuses a body past its limit with 413 before reading it whole", async () => {
    const response = await post(`model=iris&x=${"1".repeat(MAX_PLAYGROUND_ROW_FORM_BYTES)}`);
    expect(response.status).toBe(413);
    expect((await response.json()).message).toMatch(/form's fields/);
  });
});
