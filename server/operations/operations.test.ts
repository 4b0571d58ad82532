// /metrics, /healthz and /readyz as a scraper and a probe see them: who may scrape, what the exposition counts, and readiness on a database that answers or not.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { createUserAsSystem } from "../auth/accounts";
import { createToken } from "../auth/tokens";
import { zCreateUser } from "../auth/schema";
import type { Actor, Role } from "../auth/actor";
import { handleServing } from "../serving/http";
import { ModelServer } from "../serving/model-server";
import { handleArtifactProxy } from "../artifacts/proxy";
import { handleMlflowApi } from "../http/mlflow-api";
import { livenessAnswer, metricsAnswer, readinessAnswer } from "./endpoints";

function scrape(authorization: string | null) {
  return { method: "GET", headers: new Headers(authorization ? { authorization } : {}) };
}

/** The value of one sample line of the exposition (labels in prom-client's order), or null when absent. */
function sample(exposition: string, series: string): number | null {
  const line = exposition.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

describe.each(testBackends)("operations endpoints on %s", (backend) => {
  let studio: TestStudio;
  const tokens = new Map<Role, string>();
  let adminActor: Actor;
  const database = async () => studio.db;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    for (const role of ["admin", "editor", "viewer"] as const) {
      const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `ops-${role}`, password: "password-1234", role }));
      const actor: Actor = { userId: user.userId, username: user.username, role, via: "token" };
      if (role === "admin") adminActor = actor;
      tokens.set(role, (await createToken(studio.as(actor), { name: "scraper", scope: "all" })).token);
    }
  });
  afterAll(async () => studio.close());
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("answers liveness without credentials and without details", () => {
    const answer = livenessAnswer();
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: "ok" });
  });

  it("is ready while the database answers, and 503 with a message (no internals) when it does not", async () => {
    const ready = await readinessAnswer(database);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: "ready" });

    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const down = await readinessAnswer(async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432 for role: "hunter2"');
    });
    expect(down.status).toBe(503);
    const body = JSON.parse(down.body);
    expect(body.status).toBe("unavailable");
    expect(body.message).toMatch(/database does not answer/);
    expect(down.body).not.toMatch(/ECONNREFUSED|5432|hunter2/);
    // The server log says why, with the quoted value masked.
    expect(quiet.mock.calls.map((c) => String(c[0])).join("\n")).not.toContain("hunter2");
  });

  it("lets only an admin's token or STUDIO_METRICS_TOKEN scrape, and says what to send otherwise", async () => {
    const anonymous = await metricsAnswer(scrape(null), database);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body).message).toMatch(/STUDIO_METRICS_TOKEN/);
    expect((await metricsAnswer(scrape(`Bearer ${tokens.get("viewer")}`), database)).status).toBe(403);
    expect((await metricsAnswer(scrape(`Bearer ${tokens.get("editor")}`), database)).status).toBe(403);
    expect((await metricsAnswer(scrape("Bearer mops_not-a-token"), database)).status).toBe(401);
    const admin = await metricsAnswer(scrape(`Bearer ${tokens.get("admin")}`), database);
    expect(admin.status).toBe(200);
    expect(admin.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);

    vi.stubEnv("STUDIO_METRICS_TOKEN", "scrape-secret-1234567890");
    const withToken = await metricsAnswer(scrape("Bearer scrape-secret-1234567890"), async () => {
      throw new Error("the metrics token needs no database");
    });
    expect(withToken.status).toBe(200);
    expect((await metricsAnswer(scrape("Bearer scrape-secret-wrong"), database)).status).toBe(401);
  });

  it("counts MLflow requests per route template and log-batch points, and logs one JSON line per failed request", async () => {
    const api = mlflowWire(studio.as(adminActor));
    const before = (await metricsAnswer(scrape(`Bearer ${tokens.get("admin")}`), database)).body;
    const okSeries = 'studio_http_requests_total{surface="mlflow",route="runs/log-batch",method="POST",status="200"}';
    const metricSeries = 'studio_ingested_points_total{kind="metric"}';

    const experiment = await api.post("experiments/create", { name: `ops-${backend}` });
    const run = await api.post("runs/create", { experiment_id: experiment.body.experiment_id });
    const runId = (run.body.run as { info: { run_id: string } }).info.run_id;
    for (let i = 0; i < 3; i++) {
      const logged = await api.post("runs/log-batch", { run_id: runId, metrics: [{ key: "loss", value: 1 / (i + 1), timestamp: 1, step: i }, { key: "acc", value: 0.5, timestamp: 1, step: i }], params: i === 0 ? [{ key: "lr", value: "0.1" }] : [] });
      expect(logged.status).toBe(200);
    }
    vi.stubEnv("STUDIO_LOG_ERRORS", "1");
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const bad = await api.post("runs/log-batch", { run_id: runId, metrics: [{ key: "loss", value: "not a number", timestamp: 1 }] });
    expect(bad.status).toBe(400);
    const lines = errors.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith("{"));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: "warn", msg: "request failed", surface: "mlflow", route: "runs/log-batch", status: 400, code: "INVALID_PARAMETER_VALUE" });
    expect(line.requestId).toMatch(/\S{8,}/);

    const after = (await metricsAnswer(scrape(`Bearer ${tokens.get("admin")}`), database)).body;
    expect((sample(after, okSeries) ?? 0) - (sample(before, okSeries) ?? 0)).toBe(3);
    expect((sample(after, metricSeries) ?? 0) - (sample(before, metricSeries) ?? 0)).toBe(6);
    expect(sample(after, 'studio_http_requests_total{surface="mlflow",route="runs/log-batch",method="POST",status="400"}')).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(/studio_http_request_duration_seconds_bucket\{le="0\.5",surface="mlflow",route="runs\/log-batch",method="POST"\} \d+/);
    // The queues and background jobs are there even when idle, and nothing secret is.
    for (const name of ["studio_inference_log_queued", "studio_inference_log_dropped_total", "studio_shadow_dropped_total", "studio_route_log_dropped_total", "process_resident_memory_bytes"]) {
      expect(sample(after, name), name).not.toBeNull();
    }
    expect(sample(after, 'studio_background_jobs{queue="review",state="queued"}')).toBe(0);
    expect(sample(after, 'studio_shadow_queue{state="running"}')).toBe(0);
    for (const token of tokens.values()) expect(after).not.toContain(token);
  });

  it("writes no line for a successful request unless STUDIO_LOG_REQUESTS=1", async () => {
    const search = () =>
      handleMlflowApi(new Request("http://studio.test/api/2.0/mlflow/experiments/search?max_results=1", { headers: { "x-request-id": "search-ops-1" } }), ["experiments", "search"], async () => studio.as(adminActor));
    const logs = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const lines = () => logs.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"route":"experiments/search"'));
    expect((await search()).status).toBe(200);
    expect(lines()).toHaveLength(0);
    vi.stubEnv("STUDIO_LOG_REQUESTS", "1");
    const answered = await search();
    expect(answered.status).toBe(200);
    expect(answered.headers.get("x-request-id")).toBe("search-ops-1");
    expect(lines()).toHaveLength(1);
    expect(JSON.parse(lines()[0]!)).toMatchObject({ level: "info", msg: "request", requestId: "search-ops-1", status: 200, method: "GET" });
  });

  it("counts artifact proxy requests under one route and echoes their request id", async () => {
    vi.stubEnv("STUDIO_LOG_ERRORS", "1");
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const series = 'studio_http_requests_total{surface="mlflow",route="mlflow-artifacts/artifacts",method="GET",status="404"}';
    const before = sample((await metricsAnswer(scrape(`Bearer ${tokens.get("admin")}`), database)).body, series) ?? 0;
    const request = new Request("http://studio.test/api/2.0/mlflow-artifacts/artifacts/0/nothing-here.txt", { headers: { "x-request-id": "art-ops-1" } });
    const answer = await handleArtifactProxy(request, ["0", "nothing-here.txt"], async () => studio.as(adminActor));
    expect(answer.status).toBe(404);
    expect(answer.headers.get("x-request-id")).toBe("art-ops-1");
    expect(errors.mock.calls.filter((c) => String(c[0]).includes('"requestId":"art-ops-1"'))).toHaveLength(1);
    expect(sample((await metricsAnswer(scrape(`Bearer ${tokens.get("admin")}`), database)).body, series)).toBe(before + 1);
  });

  it("keeps the caller's x-request-id on a serving error, counts it under its route template, and logs it once", async () => {
    vi.stubEnv("STUDIO_LOG_ERRORS", "1");
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const answer = await handleServing({
      method: "POST",
      pathname: "/api/serve/no-such-model/invocations",
      headers: new Headers({ "x-request-id": "req-ops-1", authorization: `Bearer ${tokens.get("viewer")}` }),
      text: async () => JSON.stringify({ inputs: [[1]] }),
      // The model server on this test's database: the process-wide one would open (and create) the default data
      // folder, where this test's token does not exist (a 401, not the 404 under test).
    }, new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts })));
    expect(answer.status).toBe(404);
    expect(answer.headers["x-request-id"]).toBe("req-ops-1");
    const lines = errors.mock.calls.map((c) => String(c[0])).filter((l) => l.includes("req-ops-1"));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ requestId: "req-ops-1", surface: "serving", route: "/api/serve/:model/invocations", status: 404 });
    expect(lines[0]).not.toContain(tokens.get("viewer")!);
    const exposition = (await metricsAnswer(scrape(`Bearer ${tokens.get("admin")}`), database)).body;
    expect(sample(exposition, 'studio_serving_requests_total{model="",version="",status="404"}')).toBeGreaterThanOrEqual(1);
    // A model name from the path is not a label until a model answered: a scan of made-up names adds no series.
    expect(exposition).not.toContain("no-such-model");
  });
});
