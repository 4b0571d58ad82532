// A few thousand seeded malformed requests across the REST surface of the production build (MLflow API, artifact
// proxy, uploads, serving, OIP, feedback, exports, tRPC): none may answer 5xx, and the server must still answer after.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_BASE_URL } from "./credentials";
import { Dice, headersFor, nextRequest, PREFIX, type FuzzRequest, type Known } from "./fuzz-requests";

/** FUZZ_SEED replays a failing run request for request; FUZZ_REQUESTS and FUZZ_SECONDS bound it. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const MAX_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);
const BUDGET_MS = Number(process.env.FUZZ_SECONDS ?? 90) * 1000;
const IN_FLIGHT = 6;
const REQUEST_TIMEOUT_MS = 30_000;

function reproducer(request: FuzzRequest, status: number | string, headers: Record<string, string>): string {
  const body = request.body === undefined ? "" : typeof request.body === "string" ? request.body : `<${request.body.length} bytes>`;
  const shownHeaders = Object.fromEntries(Object.entries(headers).map(([h, v]) => [h, h === "authorization" ? v.replace(/mops_\w+/, "mops_…") : v]));
  return `${status} ${request.method} ${request.path.slice(0, 300)} ${JSON.stringify(shownHeaders)} ${JSON.stringify(body.slice(0, 300))}${body.length > 300 ? ` (+${body.length - 300} chars)` : ""}`;
}

async function call<T>(request: APIRequestContext, method: string, path: string, token: string, body?: unknown): Promise<T> {
  const response = await request.fetch(path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, ...(body === undefined ? {} : { data: body }) });
  expect(response.status(), `${method} ${path}: ${await response.text()}`).toBe(200);
  return (await response.json()) as T;
}

async function discover(request: APIRequestContext, cookieRequest: APIRequestContext): Promise<Known> {
  // An API token, made with the signed-in admin's session as the tokens page makes it.
  const made = await cookieRequest.post("/api/trpc/auth.createToken", { headers: { origin: E2E_BASE_URL, "content-type": "application/json" }, data: { json: { name: `${PREFIX} ${Date.now()}`, scope: "all" } } });
  expect(made.status(), await made.text()).toBe(200);
  const token = ((await made.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
  const m = "/api/2.0/mlflow";
  const { experiments } = await call<{ experiments: { experiment_id: string }[] }>(request, "GET", `${m}/experiments/search?max_results=50`, token);
  const { runs = [] } = await call<{ runs?: { info: { run_id: string; artifact_uri: string } }[] }>(request, "POST", `${m}/runs/search`, token, { experiment_ids: experiments.map((e) => e.experiment_id), max_results: 20 });
  const { registered_models: models = [] } = await call<{ registered_models?: { name: string; aliases?: { alias: string }[] }[] }>(request, "GET", `${m}/registered-models/search`, token);
  const datasets = await request.get("/api/datasets", { headers: { authorization: `Bearer ${token}` } });
  const datasetNames = datasets.ok() ? (((await datasets.json()) as { datasets?: { name: string }[] }).datasets ?? []).map((x) => x.name) : [];
  const metadata = await call<{ inputs: { name: string; shape: number[] }[] }>(request, "GET", "/v2/models/breast-cancer-rf", token);
  // The fuzzer's own experiment, run and model, the only targets of its writes.
  const fuzzExperimentId = (await call<{ experiment_id: string }>(request, "POST", `${m}/experiments/create`, token, { name: `${PREFIX}-target-${Date.now()}` })).experiment_id;
  const fuzzRun = await call<{ run: { info: { run_id: string } } }>(request, "POST", `${m}/runs/create`, token, { experiment_id: fuzzExperimentId, start_time: 1 });
  const fuzzModel = `${PREFIX}-model-${Date.now()}`;
  await call(request, "POST", `${m}/registered-models/create`, token, { name: fuzzModel });
  const input = metadata.inputs[0]!;
  return {
    token,
    experimentIds: experiments.map((e) => e.experiment_id),
    runIds: runs.map((r) => r.info.run_id),
    artifactRoots: runs.map((r) => r.info.artifact_uri.replace(/^mlflow-artifacts:\/+/, "")),
    modelNames: models.map((x) => x.name),
    aliases: [...new Set(models.flatMap((x) => (x.aliases ?? []).map((a) => a.alias))), "champion", "nope"],
    datasetNames: datasetNames.length ? datasetNames : ["none"],
    fuzzExperimentId,
    fuzzRunId: fuzzRun.run.info.run_id,
    fuzzModel,
    inputName: input.name,
    width: input.shape[input.shape.length - 1]! > 0 ? input.shape[input.shape.length - 1]! : 30,
  };
}

/** Soft-deletes what the fuzzer's accepted requests created, so later journeys see the demo as it was. */
async function cleanUp(request: APIRequestContext, k: Known, created: { experiments: Set<string>; runs: Set<string>; models: Set<string> }): Promise<void> {
  const m = "/api/2.0/mlflow";
  const headers = { authorization: `Bearer ${k.token}`, "content-type": "application/json" };
  for (const runId of created.runs) await request.post(`${m}/runs/delete`, { headers, data: { run_id: runId } });
  for (const id of [...created.experiments, k.fuzzExperimentId]) await request.post(`${m}/experiments/delete`, { headers, data: { experiment_id: id } });
  for (const name of [...created.models, k.fuzzModel, `${PREFIX}-onnx`]) await request.delete(`${m}/registered-models/delete`, { headers, data: { name } });
}

test("thousands of malformed requests across the REST surface: no 5xx, and the server still answers", async ({ request: cookieRequest, playwright }) => {
  test.setTimeout(BUDGET_MS + 150_000);
  // No cookies here: requests authenticate with the token, or not at all.
  const request = await playwright.request.newContext({ baseURL: E2E_BASE_URL });
  const k = await discover(request, cookieRequest);
  expect(k.runIds.length, "the demo seed's runs").toBeGreaterThan(0);
  expect(k.modelNames).toContain("breast-cancer-rf");
  expect(k.aliases).toContain("production");

  const d = new Dice(SEED);
  const byStatus = new Map<string, number>();
  const byKindStatus = new Map<string, number>();
  const byErrorCode = new Map<string, number>();
  const failures: string[] = [];
  const created = { experiments: new Set<string>(), runs: new Set<string>(), models: new Set<string>() };
  const started = Date.now();
  let tried = 0;
  let resent = 0;

  async function send(fuzz: FuzzRequest, headers: Record<string, string>): Promise<void> {
    const client = fuzz.auth === "cookie" ? cookieRequest : request;
    let status = 0;
    let text = "";
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await client.fetch(fuzz.path, { method: fuzz.method, headers, data: fuzz.body, maxRedirects: 0, timeout: REQUEST_TIMEOUT_MS, failOnStatusCode: false });
        status = response.status();
        text = await response.text();
        break;
      } catch (error) {
        const message = String(error).split("\n")[0]!.slice(0, 120);
        // A kept-alive socket the server closed just as it was reused: the request never reached the server.
        if (attempt === 1 && /ECONNRESET|socket hang up/.test(message)) {
          resent++;
          continue;
        }
        failures.push(reproducer(fuzz, `no answer (${message})`, headers));
        byStatus.set("no answer", (byStatus.get("no answer") ?? 0) + 1);
        return;
      }
    }
    byStatus.set(String(status), (byStatus.get(String(status)) ?? 0) + 1);
    byKindStatus.set(`${fuzz.kind} ${status}`, (byKindStatus.get(`${fuzz.kind} ${status}`) ?? 0) + 1);
    if (status >= 500) failures.push(`${reproducer(fuzz, status, headers)} → ${text.slice(0, 200)}`);
    if (status >= 400 && status < 500) {
      const code = /"error_code"\s*:\s*"([A-Z_]+)"/.exec(text)?.[1] ?? (fuzz.kind === "oip" ? "(OIP {error})" : fuzz.kind === "trpc" ? "(tRPC)" : "(other)");
      byErrorCode.set(`${status} ${code}`, (byErrorCode.get(`${status} ${code}`) ?? 0) + 1);
    }
    if (status === 200 && fuzz.kind === "mlflow write") {
      const experiment = /"experiment_id"\s*:\s*"(\d+)"/.exec(text)?.[1];
      if (fuzz.path.endsWith("experiments/create") && experiment) created.experiments.add(experiment);
      const run = /"run_id"\s*:\s*"([0-9a-f]+)"/.exec(text)?.[1];
      if (fuzz.path.endsWith("runs/create") && run) created.runs.add(run);
      const model = /"registered_model"\s*:\s*\{\s*"name"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(text)?.[1];
      if (model) created.models.add(JSON.parse(model) as string);
    }
  }

  const inFlight = new Set<Promise<void>>();
  while (tried < MAX_REQUESTS && Date.now() - started < BUDGET_MS) {
    const fuzz = nextRequest(d, k);
    const headers = headersFor(fuzz, k, d);
    tried++;
    const sent = send(fuzz, headers).finally(() => inFlight.delete(sent));
    inFlight.add(sent);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const seconds = (Date.now() - started) / 1000;

  // Still answering: the API, serving readiness, and a real prediction from the production model.
  const health = await request.get("/api/2.0/mlflow/experiments/search?max_results=1", { headers: { authorization: `Bearer ${k.token}` } });
  const ready = await request.get("/v2/health/ready");
  const scored = await request.post("/api/serve/breast-cancer-rf@production/invocations", {
    headers: { authorization: `Bearer ${k.token}`, "content-type": "application/json" },
    data: { inputs: [Array.from({ length: k.width }, () => 1)] },
  });
  await cleanUp(request, k, created);

  const table = (counts: Map<string, number>) => [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([key, n]) => `  ${key.padEnd(48)} ${String(n).padStart(6)}`).join("\n");
  console.log(
    [
      `fuzz seed ${SEED}: ${tried} requests in ${seconds.toFixed(1)} s (${(tried / seconds).toFixed(0)}/s), ${failures.length} failing, ${resent} resent after a kept-alive socket reset`,
      "by status:",
      table(byStatus),
      "4xx by error code:",
      table(byErrorCode),
      "by kind and status:",
      table(byKindStatus),
      ...(failures.length ? ["failures (status method path headers body):", ...failures.slice(0, 40).map((f) => `  ${f}`)] : []),
    ].join("\n"),
  );

  expect(tried, "requests tried").toBeGreaterThanOrEqual(Math.min(MAX_REQUESTS, 500));
  expect(failures, `5xx or no answer, replay with FUZZ_SEED=${SEED}`).toEqual([]);
  expect(health.status()).toBe(200);
  expect(ready.status()).toBe(200);
  expect(scored.status(), await scored.text()).toBe(200);
  await request.dispose();
});

test("a request path Next.js cannot decode gets a JSON 400 that says what to fix, on every surface", async ({ playwright }) => {
  const request = await playwright.request.newContext({ baseURL: E2E_BASE_URL });
  const paths = ["/api/2.0/mlflow/%zz", "/ajax-api/2.0/mlflow/runs/%", "/api/serve/%zz/invocations", "/v2/%ED%A0%80", "/v2/models/%C0%AF/ready", "/api/trpc/%FF", "/models/%zz"];
  for (const path of paths) {
    for (const method of ["GET", "POST"] as const) {
      const response = await request.fetch(path, { method, data: method === "POST" ? "{}" : undefined, maxRedirects: 0 });
      expect(response.status(), `${method} ${path}`).toBe(400);
      const body = (await response.json()) as { error_code: string; message: string };
      expect(body.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(body.message).toContain("percent-escape");
    }
  }
  // A well-formed escape still reaches the route: an unknown model is the registry's 404, not the path check's 400.
  const missing = await request.get("/v2/models/no%20such%20model/ready");
  expect(missing.status()).not.toBe(400);
  await request.dispose();
});
