// The MLflow reads and ingestion writes scripts/server.mjs answers ahead of Next.js: the same answers as the route,
// over real HTTP, and every other request left to Next.js.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../errors";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { createDirectMlflowReads, directReadPath } from "./direct-mlflow-reads";

const TOKEN = "Bearer direct-reads-test";
/** A token of a viewer, who may read runs but not write them. */
const VIEWER_TOKEN = "Bearer direct-reads-viewer";
/** What the stand-in for Next.js answers, so a test can tell who answered. */
const NEXT_STATUS = 299;

describe("directReadPath", () => {
  it("takes runs/search (GET, POST) and metrics/get-history (GET) under both prefixes, with any query string", () => {
    expect(directReadPath("POST", "/api/2.0/mlflow/runs/search")).toBe("runs/search");
    expect(directReadPath("GET", "/api/2.0/mlflow/runs/search?experiment_ids=1")).toBe("runs/search");
    expect(directReadPath("GET", "/ajax-api/2.0/mlflow/metrics/get-history?run_id=a&metric_key=b")).toBe("metrics/get-history");
  });

  it("takes the ingestion writes runs/log-batch and runs/log-metric (POST) under both prefixes", () => {
    expect(directReadPath("POST", "/api/2.0/mlflow/runs/log-batch")).toBe("runs/log-batch");
    expect(directReadPath("POST", "/ajax-api/2.0/mlflow/runs/log-metric")).toBe("runs/log-metric");
  });

  it("leaves everything else to Next.js: writes, other methods, other paths, and any path spelled differently", () => {
    const others: [string, string][] = [
      ["GET", "/api/2.0/mlflow/runs/log-batch"],
      ["POST", "/api/2.0/mlflow/runs/log-batch/"],
      ["POST", "/api/2.0/mlflow/runs/log-parameter"],
      ["POST", "/api/2.0/mlflow/runs/set-tag"],
      ["POST", "/api/2.0/mlflow/metrics/get-history"],
      ["HEAD", "/api/2.0/mlflow/runs/search"],
      ["DELETE", "/api/2.0/mlflow/runs/search"],
      ["POST", "/api/2.0/mlflow/runs/search/"],
      ["POST", "/api/2.0/mlflow//runs/search"],
      ["POST", "/api/2.0/mlflow/runs%2Fsearch"],
      ["POST", "/api/2.0/mlflow/./runs/search"],
      ["GET", "/api/2.0/mlflow-artifacts/artifacts/runs/search"],
      ["GET", "/api/2.0/mlflow/runs/get?run_id=a"],
      ["GET", "/experiments"],
    ];
    for (const [method, url] of others) expect(directReadPath(method, url), `${method} ${url}`).toBeNull();
  });
});

describe.each(testBackends)("direct MLflow reads over HTTP on %s", (kind) => {
  let studio: TestStudio;
  let server: http.Server;
  let base: string;
  let runId: string;
  let experimentId: string;

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    const direct = createDirectMlflowReads(async (request) => {
      const authorization = request.headers.get("authorization");
      if (authorization === VIEWER_TOKEN) return studio.as({ userId: "viewer-1", username: "viewer", role: "viewer", via: "token" });
      if (authorization !== TOKEN) throw new DomainError("UNAUTHENTICATED", "Authentication required.");
      return studio;
    });
    server = http.createServer((request, response) => {
      if (direct(request, response)) return;
      response.writeHead(NEXT_STATUS).end("next");
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const api = mlflowWire(studio);
    experimentId = (await api.post("experiments/create", { name: "direct" })).body.experiment_id as string;
    for (let i = 0; i < 3; i++) {
      const run = (await api.post("runs/create", { experiment_id: experimentId, run_name: `run-${i}`, start_time: 1_000 + i })).body.run as { info: { run_id: string } };
      runId = run.info.run_id;
      await api.post("runs/log-batch", {
        run_id: runId,
        params: [{ key: "p", value: `v${i}` }],
        metrics: Array.from({ length: 250 }, (_, step) => ({ key: "loss", value: step === 7 ? "NaN" : 1 / (step + i + 1), timestamp: 5_000 + step, step })),
      });
    }
  });
  afterAll(async () => {
    await new Promise((ok) => server.close(ok));
    await studio.close();
  });

  const send = (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { authorization: TOKEN, "content-type": "application/json", "accept-encoding": "gzip", ...(init.headers ?? {}) } });

  it("answers runs/search and a paged get-history with the route's exact bytes, uncompressed, with the security headers", async () => {
    const api = mlflowWire(studio);
    const search = { experiment_ids: [experimentId], filter: "params.p != 'v1'", order_by: ["attributes.start_time ASC"], max_results: 1 };
    const viaRoute = await api.post("runs/search", search);
    const viaDirect = await send("/api/2.0/mlflow/runs/search", { method: "POST", body: JSON.stringify(search) });
    expect(viaDirect.status).toBe(200);
    expect(await viaDirect.text()).toBe(viaRoute.text);
    expect(viaRoute.body.next_page_token).toBeTruthy();
    expect(viaDirect.headers.get("content-encoding")).toBeNull();
    expect(viaDirect.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(viaDirect.headers.get("x-content-type-options")).toBe("nosniff");
    expect(viaDirect.headers.get("x-frame-options")).toBe("DENY");
    expect(viaDirect.headers.get("content-type")).toBe("application/json");
    expect(viaDirect.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

    // GET search with repeated query keys, as older clients send it.
    const getSearch = await send(`/ajax-api/2.0/mlflow/runs/search?experiment_ids=${experimentId}&max_results=5`);
    expect(((await getSearch.json()) as { runs: unknown[] }).runs).toHaveLength(3);

    // The whole history in pages of 100, following next_page_token: every step once, NaN as MLflow writes it.
    const steps: number[] = [];
    let token = "";
    let pages = 0;
    do {
      const query = `run_id=${runId}&metric_key=loss&max_results=100${token ? `&page_token=${encodeURIComponent(token)}` : ""}`;
      const viaRouteText = (await api.get("metrics/get-history", Object.fromEntries(new URLSearchParams(query)))).text;
      const page = await send(`/api/2.0/mlflow/metrics/get-history?${query}`);
      const text = await page.text();
      expect(text).toBe(viaRouteText);
      const body = JSON.parse(text) as { metrics: { step: number; value: number | string }[]; next_page_token?: string };
      for (const point of body.metrics) {
        steps.push(point.step);
        if (point.step === 7) expect(point.value).toBe("NaN");
      }
      token = body.next_page_token ?? "";
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(steps).toEqual(Array.from({ length: 250 }, (_, step) => step));
  });

  it("answers bad input and missing credentials as the route does: MLflow's error JSON and status", async () => {
    const malformed = await send("/api/2.0/mlflow/runs/search", { method: "POST", body: "{not json" });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error_code: string }).error_code).toBe("MALFORMED_REQUEST");

    const badFilter = await send("/api/2.0/mlflow/runs/search", { method: "POST", body: JSON.stringify({ experiment_ids: [experimentId], filter: "metrics.loss >" }) });
    expect(badFilter.status).toBe(400);
    expect(((await badFilter.json()) as { error_code: string }).error_code).toBe("INVALID_PARAMETER_VALUE");

    const unknownRun = await send("/api/2.0/mlflow/metrics/get-history?run_id=nope&metric_key=loss");
    expect(unknownRun.status).toBe(404);

    const anonymous = await fetch(`${base}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error_code: string }).error_code).toBe("UNAUTHENTICATED");
    expect(anonymous.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("takes log-batch and log-metric: every acknowledged point is stored, as the route stores it", async () => {
    const api = mlflowWire(studio);
    const run = (await api.post("runs/create", { experiment_id: experimentId, run_name: "direct-writes" })).body.run as { info: { run_id: string } };
    const writeRun = run.info.run_id;
    const batch = (first: number) => Array.from({ length: 1_000 }, (_, i) => ({ key: `m${i % 4}`, value: first + i, timestamp: 9_000 + i, step: first + i }));
    // Four clients at once on one keep-alive agent each, as a training job's loggers would be.
    const answers = await Promise.all(
      [0, 1_000, 2_000, 3_000].map((first) => send("/api/2.0/mlflow/runs/log-batch", { method: "POST", body: JSON.stringify({ run_id: writeRun, metrics: batch(first) }) })),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(await answer.text()).toBe("{}");
      expect(answer.headers.get("cache-control")).toBe("no-store, no-transform");
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
    }
    const single = await send("/ajax-api/2.0/mlflow/runs/log-metric", { method: "POST", body: JSON.stringify({ run_id: writeRun, key: "m0", value: -1, timestamp: 20_000, step: 10_000 }) });
    expect(single.status).toBe(200);

    const stored = (await api.get("metrics/get-history", { run_id: writeRun, metric_key: "m0" })).body.metrics as { step: number; value: number }[];
    expect(stored.map((p) => p.step)).toEqual([...Array.from({ length: 1_000 }, (_, i) => i * 4), 10_000]);
    const latest = ((await api.get("runs/get", { run_id: writeRun })).body.run as { data: { metrics: { key: string; value: number; step: number }[] } }).data.metrics;
    expect(latest.find((m) => m.key === "m0")).toMatchObject({ value: -1, step: 10_000 });
    expect(latest.find((m) => m.key === "m3")).toMatchObject({ value: 3_999, step: 3_999 });
  });

  it("refuses bad writes as the route does: same status and error JSON, nothing stored", async () => {
    const api = mlflowWire(studio);
    const run = (await api.post("runs/create", { experiment_id: experimentId, run_name: "direct-bad-writes" })).body.run as { info: { run_id: string } };
    const badRun = run.info.run_id;
    const cases: unknown[] = [
      { run_id: badRun, metrics: [{ key: "ok", value: 1, timestamp: 1, step: 0 }, { key: "bad", value: "not a number", timestamp: 1 }] },
      { run_id: badRun, metrics: [{ key: "../escape", value: 1, timestamp: 1 }] },
      { run_id: "0123456789abcdef0123456789abcdef", metrics: [{ key: "k", value: 1, timestamp: 1 }] },
      { run_id: badRun, metrics: Array.from({ length: 1_001 }, (_, step) => ({ key: "k", value: 1, timestamp: 1, step })) },
    ];
    for (const body of cases) {
      const viaRoute = await api.post("runs/log-batch", body);
      const viaDirect = await send("/api/2.0/mlflow/runs/log-batch", { method: "POST", body: JSON.stringify(body) });
      expect(viaRoute.status).toBeGreaterThanOrEqual(400);
      expect(viaDirect.status).toBe(viaRoute.status);
      expect(await viaDirect.text()).toBe(viaRoute.text);
    }
    const malformed = await send("/api/2.0/mlflow/runs/log-metric", { method: "POST", body: "{\"run_id\": " });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error_code: string }).error_code).toBe("MALFORMED_REQUEST");

    // Over the body limit: refused with 413 before the body is held, and the server still answers afterwards.
    const huge = await send("/api/2.0/mlflow/runs/log-batch", { method: "POST", body: `{"run_id":"${badRun}","metrics":[${"1,".repeat(3_000_000)}1]}` });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error_code: string }).error_code).toBe("REQUEST_TOO_LARGE");

    const anonymous = await fetch(`${base}/api/2.0/mlflow/runs/log-batch`, { method: "POST", body: JSON.stringify({ run_id: badRun, metrics: [{ key: "k", value: 1, timestamp: 1 }] }) });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error_code: string }).error_code).toBe("UNAUTHENTICATED");

    const viewer = await send("/api/2.0/mlflow/runs/log-metric", {
      method: "POST",
      headers: { authorization: VIEWER_TOKEN },
      body: JSON.stringify({ run_id: badRun, key: "k", value: 1, timestamp: 1 }),
    });
    expect(viewer.status).toBe(403);
    expect(((await viewer.json()) as { error_code: string }).error_code).toBe("PERMISSION_DENIED");

    const latest = ((await api.get("runs/get", { run_id: badRun })).body.run as { data: { metrics: unknown[] } }).data.metrics;
    expect(latest).toEqual([]);
    expect((await api.get("metrics/get-history", { run_id: badRun, metric_key: "ok" })).body.metrics ?? []).toEqual([]);
  });

  it("hands every other request to Next.js untouched", async () => {
    const write = await send("/api/2.0/mlflow/runs/log-parameter", { method: "POST", body: JSON.stringify({ run_id: runId, key: "x", value: "1" }) });
    expect(write.status).toBe(NEXT_STATUS);
    expect((await send("/api/2.0/mlflow/runs/search/", { method: "POST", body: "{}" })).status).toBe(NEXT_STATUS);
    expect((await send(`/api/2.0/mlflow/runs/get?run_id=${runId}`)).status).toBe(NEXT_STATUS);
  });
});
