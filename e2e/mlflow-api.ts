// A few MLflow REST calls (and `call` for any other endpoint) for the journeys, made the way a training script makes them (HTTP Basic as the admin).
import { expect, type APIRequestContext } from "@playwright/test";
import { E2E_ADMIN_PASSWORD, E2E_ADMIN_USERNAME } from "./credentials";

const authorization = `Basic ${Buffer.from(`${E2E_ADMIN_USERNAME}:${E2E_ADMIN_PASSWORD}`).toString("base64")}`;

export async function call<T>(request: APIRequestContext, method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const response = await request.fetch(`/api/2.0/mlflow/${path}`, {
    method,
    headers: { authorization, "content-type": "application/json" },
    ...(body === undefined ? {} : { data: body }),
  });
  expect(response.status(), `${method} ${path}: ${await response.text()}`).toBe(200);
  return (await response.json()) as T;
}

export async function createExperiment(request: APIRequestContext, name: string): Promise<string> {
  const body = await call<{ experiment_id: string }>(request, "POST", "experiments/create", { name });
  return body.experiment_id;
}

export interface LoggedRun {
  runName: string;
  params: Record<string, string>;
  /** Each metric's values over steps 0, 1, 2, … */
  metrics: Record<string, number[]>;
}

/** Creates a finished run with its params and step-wise metrics, in one log-batch as the mlflow client does. */
export async function logRun(request: APIRequestContext, experimentId: string, run: LoggedRun): Promise<{ runId: string; artifactUri: string }> {
  const started = Date.now() - 60_000;
  const created = await call<{ run: { info: { run_id: string; artifact_uri: string } } }>(request, "POST", "runs/create", {
    experiment_id: experimentId,
    run_name: run.runName,
    start_time: started,
    tags: [{ key: "mlflow.user", value: "e2e" }],
  });
  const runId = created.run.info.run_id;
  const metrics = Object.entries(run.metrics).flatMap(([key, values]) =>
    values.map((value, step) => ({ key, value, step, timestamp: started + step * 1000 })),
  );
  await call(request, "POST", "runs/log-batch", {
    run_id: runId,
    params: Object.entries(run.params).map(([key, value]) => ({ key, value })),
    metrics,
  });
  await call(request, "POST", "runs/update", { run_id: runId, status: "FINISHED", end_time: started + 42_000 });
  return { runId, artifactUri: created.run.info.artifact_uri };
}

/**
 * Logs many runs as the workers of a sweep do, `concurrency` at a time (a pool, so no run waits for a slow neighbour):
 * each run is two calls, runs/create (name, start, user tag) and one runs/log-batch (params and every metric point).
 * Unlike logRun the runs are not marked FINISHED, which saves a third of the calls: for journeys that check what was
 * logged, not run status. Returns the run ids in the order of `runs`.
 */
export async function logRuns(request: APIRequestContext, experimentId: string, runs: LoggedRun[], concurrency = 8): Promise<string[]> {
  const started = Date.now() - 60_000;
  const ids: string[] = new Array(runs.length);
  let next = 0;
  async function worker(): Promise<void> {
    for (let index = next++; index < runs.length; index = next++) {
      const run = runs[index]!;
      const created = await call<{ run: { info: { run_id: string } } }>(request, "POST", "runs/create", {
        experiment_id: experimentId,
        run_name: run.runName,
        start_time: started,
        tags: [{ key: "mlflow.user", value: "e2e" }],
      });
      ids[index] = created.run.info.run_id;
      await call(request, "POST", "runs/log-batch", {
        run_id: ids[index],
        params: Object.entries(run.params).map(([key, value]) => ({ key, value })),
        metrics: Object.entries(run.metrics).flatMap(([key, values]) => values.map((value, step) => ({ key, value, step, timestamp: started + step * 1000 }))),
      });
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, runs.length) }, worker));
  return ids;
}

/** Uploads one file through the artifact proxy, as mlflow.log_artifact does for a `mlflow-artifacts:/` run. */
export async function uploadArtifact(request: APIRequestContext, artifactUri: string, path: string, body: string | Buffer): Promise<void> {
  const root = artifactUri.replace(/^mlflow-artifacts:\/+/, "");
  const response = await request.put(`/api/2.0/mlflow-artifacts/artifacts/${root}/${path}`, { headers: { authorization }, data: body });
  expect(response.status(), `upload ${path}: ${await response.text()}`).toBe(200);
}
