// The standalone serving process's own /healthz, /readyz and /metrics over real HTTP: a scrape after a few scoring
// requests counts them per model and version, and readiness turns 503 when its database does not answer.
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { systemActor, type Actor } from "../auth/actor";
import { createUserAsSystem } from "../auth/accounts";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { createToken } from "../auth/tokens";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { setModelAlias } from "../registry/registered-models";
import { flushInferenceLog } from "../monitoring/inference-log";
import { ModelServer } from "./model-server";
import { createServingServer } from "./standalone";

function csvRows(text: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = text.trim().split("\n");
  return { header: head!.split(","), rows: lines.map((l) => l.split(",")) };
}

async function listening(server: ReturnType<typeof createServingServer>): Promise<string> {
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.each(testBackends)("standalone serving operations on %s", (kind) => {
  let studio: TestStudio;
  let models: ModelServer;
  let http: ReturnType<typeof createServingServer>;
  let base: string;
  let adminToken: string;
  let viewerToken: string;
  let columns: string[];
  let rows: (string | number)[][];

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    models = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    const system = studio.as(systemActor);
    await registerOnnxUpload(system, { name: "credit", bytes: new Uint8Array(await readFile("fixtures/models/credit-logreg.onnx")) });
    await setModelAlias(system, { name: "credit", alias: "production", version: "1", overrideReason: "operations test: no review needed" });
    for (const role of ["admin", "viewer"] as const) {
      const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `ops-${role}-${kind}`, password: "password-1234", role }));
      const actor: Actor = { userId: user.userId, username: user.username, role, via: "session" };
      const { token } = await createToken(studio.as(actor), zCreateToken.parse({ name: "ops" }));
      if (role === "admin") adminToken = token;
      else viewerToken = token;
    }
    const credit = csvRows(await readFile("fixtures/datasets/credit.test.csv", "utf8"));
    columns = credit.header.slice(0, 9);
    const strings = new Set(["sex", "purpose", "housing"]);
    rows = credit.rows.slice(0, 3).map((r) => r.slice(0, 9).map((v, i) => (strings.has(columns[i]!) ? v : Number(v))));
    http = createServingServer(models);
    base = await listening(http);
  });
  afterAll(async () => {
    await new Promise((ok) => http.close(ok));
    await flushInferenceLog();
    await models.close();
    await studio.close();
  });

  it("answers probes without credentials and without details", async () => {
    const live = await fetch(`${base}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
    expect(ready.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("counts scoring requests per model and version in its own /metrics, which only an admin may scrape", async () => {
    const series = 'studio_serving_requests_total{model="credit",version="1",status="200"}';
    const scrape = async (authorization?: string) => fetch(`${base}/metrics`, { headers: authorization ? { authorization } : {} });
    const refusedSeries = 'studio_serving_requests_total{model="credit",version="1",status="400"}';
    const count = (text: string, name = series) => Number(text.split("\n").find((l) => l.startsWith(`${name} `))?.slice(name.length + 1) ?? 0);
    const first = await (await scrape(`Bearer ${adminToken}`)).text();
    const before = count(first);
    for (let i = 0; i < 3; i++) {
      const scored = await fetch(`${base}/api/serve/credit@production/invocations`, {
        method: "POST",
        headers: { authorization: `Bearer ${viewerToken}`, "content-type": "application/json" },
        body: JSON.stringify({ dataframe_split: { columns, data: rows } }),
      });
      expect(scored.status).toBe(200);
    }
    // Input the model refuses: still the model's and version's request, with its 400.
    const wrong = await fetch(`${base}/api/serve/credit@production/invocations`, {
      method: "POST",
      headers: { authorization: `Bearer ${viewerToken}`, "content-type": "application/json" },
      body: JSON.stringify({ dataframe_split: { columns: ["not-a-column"], data: [[1]] } }),
    });
    expect(wrong.status).toBe(400);
    vi.stubEnv("STUDIO_LOG_ERRORS", "1");
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const refused = await fetch(`${base}/api/serve/credit/invocations`, { method: "POST", headers: { "x-request-id": "ops-standalone-401" }, body: "{}" });
    expect(refused.status).toBe(401);
    expect(quiet.mock.calls.filter((c) => String(c[0]).includes('"requestId":"ops-standalone-401"'))).toHaveLength(1);
    quiet.mockRestore();
    vi.unstubAllEnvs();

    expect((await scrape()).status).toBe(401);
    expect((await scrape(`Bearer ${viewerToken}`)).status).toBe(403);
    const scraped = await scrape(`Bearer ${adminToken}`);
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await scraped.text();
    expect(count(text) - before).toBe(3);
    expect(count(text, refusedSeries) - count(first, refusedSeries)).toBe(1);
    expect(text).toMatch(/studio_serving_request_duration_seconds_count\{model="credit",version="1"\} [1-9]/);
    expect(text).toMatch(/studio_http_requests_total\{surface="serving",route="\/api\/serve\/:model\/invocations",method="POST",status="401"\} [1-9]/);
    expect(text).toMatch(/studio_inference_log_written_total \d+/);
  });

  it("is not ready while its database does not answer, and says so in JSON", async () => {
    const broken = new ModelServer(async () => {
      throw new Error("database is down");
    });
    const server = createServingServer(broken);
    const url = await listening(server);
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: "unavailable", reason: "database: the check failed", message: expect.stringMatching(/database does not answer/) });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      quiet.mockRestore();
      await new Promise((ok) => server.close(ok));
      await broken.close();
    }
  });
});
