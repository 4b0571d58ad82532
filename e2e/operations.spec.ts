// Journey of an operator: probes answer without a session, a scraper without credentials is told what to send, and
// after a few MLflow, tRPC and scoring requests the admin's scrape of /metrics counts them per route and per model.
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { expect, test } from "@playwright/test";
import { E2E_ADMIN_PASSWORD, E2E_ADMIN_USERNAME, E2E_BASE_URL, E2E_DEMO_PASSWORD, E2E_STORAGE_STATE } from "./credentials";

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
const admin = basic(E2E_ADMIN_USERNAME, E2E_ADMIN_PASSWORD);
const MODEL = "breast-cancer-rf";

/**
 * The sum of the samples whose series match a regular expression (0 when none): the demo model's production may have
 * moved between versions earlier in the run, so its requests can sit in one series per version.
 */
function valueOf(exposition: string, series: RegExp): number {
  return exposition
    .split("\n")
    .filter((l) => series.test(l.slice(0, l.lastIndexOf(" "))))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
}

test("probes answer without a session, and /metrics counts MLflow, tRPC and scoring requests for the admin only", async ({ playwright }) => {
  // No cookies at all: a probe or a scraper has no session.
  const anonymous = await playwright.request.newContext({ baseURL: E2E_BASE_URL, storageState: { cookies: [], origins: [] } });
  const live = await anonymous.get("/healthz");
  expect(live.status()).toBe(200);
  expect(await live.json()).toEqual({ status: "ok" });
  const ready = await anonymous.get("/readyz", { maxRedirects: 0 });
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ status: "ready" });

  const refused = await anonymous.get("/metrics", { maxRedirects: 0 });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).message).toContain("STUDIO_METRICS_TOKEN");
  expect((await anonymous.get("/metrics", { headers: { authorization: basic("victor", E2E_DEMO_PASSWORD) } })).status()).toBe(403);

  const scrape = async () => {
    const answer = await anonymous.get("/metrics", { headers: { authorization: admin } });
    expect(answer.status()).toBe(200);
    expect(answer.headers()["content-type"]).toMatch(/^text\/plain/);
    return answer.text();
  };
  const before = await scrape();

  // A training script: an experiment, a run, two batches (one refused with its request id echoed).
  const post = (path: string, data: unknown, headers: Record<string, string> = {}) =>
    anonymous.post(`/api/2.0/mlflow/${path}`, { headers: { authorization: admin, ...headers }, data });
  const experiment = await (await post("experiments/create", { name: `operations-${Date.now()}` })).json();
  const run = await (await post("runs/create", { experiment_id: experiment.experiment_id })).json();
  for (let step = 0; step < 2; step++) {
    const logged = await post("runs/log-batch", { run_id: run.run.info.run_id, metrics: [{ key: "loss", value: 1 / (step + 1), timestamp: Date.now(), step }] });
    expect(logged.status()).toBe(200);
  }
  const bad = await post("runs/log-batch", { run_id: run.run.info.run_id, metrics: [{ key: "loss", value: "NaN?", timestamp: 1 }] }, { "x-request-id": "e2e-ops-bad-batch" });
  expect(bad.status()).toBe(400);
  expect(bad.headers()["x-request-id"]).toBe("e2e-ops-bad-batch");

  // The studio's own pages: a tRPC query with the admin's session.
  const session = await playwright.request.newContext({ baseURL: E2E_BASE_URL, storageState: E2E_STORAGE_STATE });
  expect((await session.get("/api/trpc/auth.me")).status()).toBe(200);
  await session.dispose();

  // Production traffic to the demo model.
  const rows = Papa.parse<Record<string, number>>(readFileSync("fixtures/datasets/breast_cancer.production-stable.csv", "utf8"), { header: true, dynamicTyping: true, skipEmptyLines: true }).data;
  const columns = Object.keys(rows[0]!).filter((c) => c !== "malignant");
  for (let i = 0; i < 3; i++) {
    const scored = await anonymous.post(`/api/serve/${MODEL}/invocations`, {
      headers: { authorization: admin, "content-type": "application/json" },
      data: { dataframe_split: { columns, data: [columns.map((c) => rows[i]![c])] } },
    });
    expect(scored.status(), await scored.text()).toBe(200);
  }

  const after = await scrape();
  const delta = (series: RegExp) => valueOf(after, series) - valueOf(before, series);
  expect(delta(/^studio_http_requests_total\{surface="mlflow",route="runs\/log-batch",method="POST",status="200"\}$/)).toBe(2);
  expect(delta(/^studio_http_requests_total\{surface="mlflow",route="runs\/log-batch",method="POST",status="400"\}$/)).toBe(1);
  expect(delta(/^studio_ingested_points_total\{kind="metric"\}$/)).toBe(2);
  expect(delta(/^studio_http_requests_total\{surface="trpc",route="auth\.me",method="GET",status="200"\}$/)).toBeGreaterThanOrEqual(1);
  expect(delta(new RegExp(`^studio_serving_requests_total\\{model="${MODEL}",version="\\d+",status="200"\\}$`))).toBe(3);
  expect(after).toMatch(/^studio_inference_log_queued \d+$/m);
  expect(after).toMatch(/^studio_background_jobs\{queue="dataset_profile",state="queued"\} \d+$/m);
  // No credentials in the exposition.
  expect(after).not.toContain(E2E_ADMIN_PASSWORD);
  await anonymous.dispose();
});
