// Typed client of the studio's MLflow-compatible tracking API, for scripts, the CLI and the browser (global fetch).
import type { z } from "zod";
import type {
  DatasetInput,
  Experiment,
  KeyValue,
  Metric,
  MetricInput,
  Run,
  RunInfo,
  SearchRunsInput,
  zCreateExperiment,
  zCreateRun,
  zSearchExperiments,
  zUpdateRun,
} from "../server/tracking/schema";
import type {
  DatasetProfileOutput,
  DatasetSummary,
  DatasetVersionDetail,
  RegisterVersionMeta,
  RegisteredVersion,
} from "../server/datasets/schema";

/** MLflow's log-batch limits: the server refuses larger requests, so the client splits. */
export const BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, total: 1000 } as const;

/** Page size used when reading a whole metric history (what MLflow's own client asks for). */
const HISTORY_PAGE_SIZE = 25_000;

export type FetchFunction = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export interface StudioClientOptions {
  /** Where the studio answers, e.g. http://localhost:3000 (a path prefix is kept). */
  baseUrl: string;
  /** A personal access token, sent as `Authorization: Bearer …` (MLFLOW_TRACKING_TOKEN). */
  token?: string;
  /** Defaults to the global fetch (browser or Node ≥ 18); tests pass an in-process one. */
  fetch?: FetchFunction;
}

/** An error answered by the studio, in MLflow's shape: `{"error_code": …, "message": …}` and an HTTP status. */
export class StudioApiError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly status: number,
    readonly endpoint: string,
    /** The whole JSON error body: some answers carry data beside the message (a 422's columns, say). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "StudioApiError";
  }
}

/** The studio could not be reached at all (connection refused, DNS, TLS…): no HTTP answer. */
export class StudioUnreachableError extends Error {
  constructor(
    readonly baseUrl: string,
    cause: unknown,
  ) {
    super(`Cannot reach the studio at ${baseUrl}: ${cause instanceof Error ? describeNetworkCause(cause) : String(cause)}`, { cause });
    this.name = "StudioUnreachableError";
  }
}

function describeNetworkCause(error: Error): string {
  // Node's fetch says "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
  const inner = (error as Error & { cause?: unknown }).cause;
  if (inner instanceof Error) return `${error.message} (${(inner as Error & { code?: string }).code ?? inner.message})`;
  return error.message;
}

export type CreateExperimentOptions = Omit<z.input<typeof zCreateExperiment>, "name">;
export type CreateRunRequest = z.input<typeof zCreateRun>;
export type UpdateRunRequest = Omit<z.input<typeof zUpdateRun>, "run_uuid"> & { run_id: string };
export type SearchExperimentsRequest = z.input<typeof zSearchExperiments>;
export type SearchRunsRequest = SearchRunsInput;
export type RunStatus = RunInfo["status"];

/** A metric point to log: the timestamp defaults to now and the step to 0, as in MLflow. */
export type MetricPoint = Omit<MetricInput, "timestamp" | "step"> & { timestamp?: number; step?: number };

export interface LogBatchRequest {
  metrics?: MetricPoint[];
  params?: KeyValue[];
  tags?: KeyValue[];
}

export interface ArtifactFile {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

export type ArtifactBody = Uint8Array | ArrayBuffer | Blob | string;

/** The `meta` of a dataset upload as the caller writes it (masking may be left out). */
export type UploadDatasetMeta = Omit<RegisterVersionMeta, "masking"> & { masking?: RegisterVersionMeta["masking"] };

/** A dataset file's bytes: a stream (so a 2 GB file is never held whole in memory), a Blob/File, or bytes. */
export type DatasetBody = ReadableStream<Uint8Array> | Blob | Uint8Array | ArrayBuffer;

export interface DatasetProfileAnswer {
  dataset: string;
  version: number;
  digest: string;
  profile: DatasetProfileOutput;
}

/** Something that names a run's artifact root: a run, its info, or an artifact URI. */
export type ArtifactTarget = { info: Pick<RunInfo, "artifact_uri"> } | Pick<RunInfo, "artifact_uri">;

/** MLflow writes NaN and ±Infinity as strings in JSON; plain JSON.stringify would turn them into null. */
function toWireJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
}

function decodeDouble(value: unknown): number {
  return typeof value === "string" ? Number(value) : (value as number);
}

/** Metric values may arrive as "NaN" / "Infinity" strings; callers always get numbers. */
function decodeMetrics<T extends { value: number }>(metrics: T[] | undefined): T[] {
  return (metrics ?? []).map((m) => ({ ...m, value: decodeDouble(m.value) }));
}

function decodeRun(run: Run): Run {
  return { ...run, data: { ...run.data, metrics: decodeMetrics(run.data.metrics) } };
}

/** Splits a batch into requests within MLflow's limits; params go first so a conflicting one fails early. */
export function splitBatch(batch: { metrics: MetricInput[]; params: KeyValue[]; tags: KeyValue[] }): Array<{
  metrics: MetricInput[];
  params: KeyValue[];
  tags: KeyValue[];
}> {
  const chunks: Array<{ metrics: MetricInput[]; params: KeyValue[]; tags: KeyValue[] }> = [];
  let p = 0;
  let t = 0;
  let m = 0;
  while (p < batch.params.length || t < batch.tags.length || m < batch.metrics.length) {
    const params = batch.params.slice(p, p + BATCH_LIMITS.params);
    p += params.length;
    const tags = batch.tags.slice(t, t + BATCH_LIMITS.tags);
    t += tags.length;
    const room = Math.min(BATCH_LIMITS.metrics, BATCH_LIMITS.total - params.length - tags.length);
    const metrics = batch.metrics.slice(m, m + room);
    m += metrics.length;
    chunks.push({ metrics, params, tags });
  }
  return chunks;
}

function artifactRootOf(target: ArtifactTarget): string {
  const uri = "info" in target ? target.info.artifact_uri : target.artifact_uri;
  const match = /^mlflow-artifacts:\/(?:\/[^/]*)?\/?(.*)$/.exec(uri);
  if (!match) {
    throw new Error(
      `The run's artifacts live at '${uri}', outside the studio's artifact proxy; upload them with a client for that store.`,
    );
  }
  return match[1].replace(/\/+$/, "");
}

function encodePath(path: string): string {
  return path
    .split("/")
    .filter((segment) => segment !== "")
    .map(encodeURIComponent)
    .join("/");
}

export function createStudioClient(options: StudioClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const fetchImpl: FetchFunction = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const authHeaders: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};

  async function send(url: string, endpoint: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetchImpl(url, { ...init, headers: { ...authHeaders, ...(init.headers as Record<string, string>) } });
    } catch (error) {
      throw new StudioUnreachableError(baseUrl, error);
    }
    if (response.ok) return response;
    const text = await response.text();
    let errorCode = `HTTP_${response.status}`;
    let message = text.trim().slice(0, 500) || response.statusText || `HTTP ${response.status}`;
    let details: Record<string, unknown> = {};
    try {
      const body = JSON.parse(text) as { error_code?: unknown; message?: unknown };
      if (typeof body.error_code === "string") errorCode = body.error_code;
      if (typeof body.message === "string") message = body.message;
      if (body && typeof body === "object" && !Array.isArray(body)) details = body as Record<string, unknown>;
    } catch {
      // Not JSON (a proxy's HTML page, say): keep the text as the message.
    }
    throw new StudioApiError(errorCode, message, response.status, endpoint, details);
  }

  async function call<T>(method: "GET" | "POST", endpoint: string, payload: Record<string, unknown> = {}): Promise<T> {
    const url = new URL(`${baseUrl}/api/2.0/mlflow/${endpoint}`);
    const init: RequestInit = { method };
    if (method === "GET") {
      for (const [key, value] of Object.entries(payload)) {
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
      }
    } else {
      init.body = toWireJson(payload);
      init.headers = { "content-type": "application/json" };
    }
    const response = await send(url.toString(), endpoint, init);
    const text = await response.text();
    return (text ? JSON.parse(text) : {}) as T;
  }

  async function getExperimentByName(name: string): Promise<Experiment | null> {
    try {
      const { experiment } = await call<{ experiment: Experiment }>("GET", "experiments/get-by-name", { experiment_name: name });
      return experiment;
    } catch (error) {
      if (error instanceof StudioApiError && error.errorCode === "RESOURCE_DOES_NOT_EXIST") return null;
      throw error;
    }
  }

  async function getExperiment(experimentId: string): Promise<Experiment> {
    const { experiment } = await call<{ experiment: Experiment }>("GET", "experiments/get", { experiment_id: experimentId });
    return experiment;
  }

  async function createExperiment(name: string, extra: CreateExperimentOptions = {}): Promise<string> {
    const { experiment_id } = await call<{ experiment_id: string }>("POST", "experiments/create", { name, ...extra });
    return experiment_id;
  }

  async function searchExperiments(request: SearchExperimentsRequest = {}): Promise<{ experiments: Experiment[]; next_page_token?: string }> {
    const page = await call<{ experiments?: Experiment[]; next_page_token?: string }>("POST", "experiments/search", request);
    return { experiments: page.experiments ?? [], ...(page.next_page_token ? { next_page_token: page.next_page_token } : {}) };
  }

  async function* iterateExperiments(request: Omit<SearchExperimentsRequest, "page_token"> = {}): AsyncGenerator<Experiment> {
    let pageToken: string | undefined;
    do {
      const page = await searchExperiments({ ...request, ...(pageToken ? { page_token: pageToken } : {}) });
      yield* page.experiments;
      pageToken = page.next_page_token;
    } while (pageToken);
  }

  async function searchRuns(request: SearchRunsRequest): Promise<{ runs: Run[]; next_page_token?: string }> {
    const page = await call<{ runs?: Run[]; next_page_token?: string }>("POST", "runs/search", request);
    return { runs: (page.runs ?? []).map(decodeRun), ...(page.next_page_token ? { next_page_token: page.next_page_token } : {}) };
  }

  /** Every run matching the search, page after page; stop early by breaking out of the loop. */
  async function* iterateRuns(request: Omit<SearchRunsRequest, "page_token">): AsyncGenerator<Run> {
    let pageToken: string | undefined;
    do {
      const page = await searchRuns({ ...request, ...(pageToken ? { page_token: pageToken } : {}) });
      yield* page.runs;
      pageToken = page.next_page_token;
    } while (pageToken);
  }

  async function getRun(runId: string): Promise<Run> {
    const { run } = await call<{ run: Run }>("GET", "runs/get", { run_id: runId });
    return decodeRun(run);
  }

  async function updateRun(request: UpdateRunRequest): Promise<RunInfo> {
    const { run_info } = await call<{ run_info: RunInfo }>("POST", "runs/update", request);
    return run_info;
  }

  async function logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    const now = Date.now();
    const metrics: MetricInput[] = (batch.metrics ?? []).map((m) => ({
      key: m.key,
      value: m.value,
      timestamp: m.timestamp ?? now,
      step: m.step ?? 0,
    }));
    // Sequential on purpose: params must land before anything else, and order keeps retries simple.
    for (const chunk of splitBatch({ metrics, params: batch.params ?? [], tags: batch.tags ?? [] })) {
      await call("POST", "runs/log-batch", { run_id: runId, ...chunk });
    }
  }

  async function getMetricHistory(runId: string, metricKey: string): Promise<Metric[]> {
    const points: Metric[] = [];
    let pageToken: string | undefined;
    do {
      const page = await call<{ metrics?: Metric[]; next_page_token?: string }>("GET", "metrics/get-history", {
        run_id: runId,
        metric_key: metricKey,
        max_results: HISTORY_PAGE_SIZE,
        page_token: pageToken,
      });
      points.push(...decodeMetrics(page.metrics));
      pageToken = page.next_page_token;
    } while (pageToken);
    return points;
  }

  async function uploadArtifact(target: ArtifactTarget, artifactPath: string, body: ArtifactBody): Promise<void> {
    const path = `${artifactRootOf(target)}/${artifactPath}`;
    const url = `${baseUrl}/api/2.0/mlflow-artifacts/artifacts/${encodePath(path)}`;
    const payload: BodyInit = typeof body === "string" || body instanceof Blob ? body : new Uint8Array(body);
    await send(url, "mlflow-artifacts/artifacts", { method: "PUT", body: payload, headers: { "content-type": "application/octet-stream" } });
  }

  async function downloadArtifact(target: ArtifactTarget, artifactPath: string): Promise<Uint8Array> {
    const url = `${baseUrl}/api/2.0/mlflow-artifacts/artifacts/${encodePath(`${artifactRootOf(target)}/${artifactPath}`)}`;
    const response = await send(url, "mlflow-artifacts/artifacts", { method: "GET" });
    return new Uint8Array(await response.arrayBuffer());
  }

  async function listArtifacts(runId: string, path = ""): Promise<{ root_uri: string; files: ArtifactFile[] }> {
    const listed = await call<{ root_uri: string; files?: ArtifactFile[] }>("GET", "artifacts/list", {
      run_id: runId,
      ...(path ? { path } : {}),
    });
    return { root_uri: listed.root_uri, files: listed.files ?? [] };
  }

  async function studioJson<T>(method: "GET" | "POST", path: string, endpoint: string, init: RequestInit = {}): Promise<T> {
    const response = await send(`${baseUrl}${path}`, endpoint, { ...init, method });
    const text = await response.text();
    return (text ? JSON.parse(text) : {}) as T;
  }

  const datasetPath = (name: string, version: number) => `/api/datasets/${encodeURIComponent(name)}/versions/${version}`;

  /** Registers the bytes as a version of the dataset `meta.name`: 201 when new, 200 with `created: false` when the same bytes are already a version. */
  async function uploadDatasetVersion(meta: UploadDatasetMeta, body: DatasetBody): Promise<RegisteredVersion> {
    const query = new URLSearchParams({ meta: JSON.stringify({ ...meta, masking: meta.masking ?? {} }) });
    const streamed = typeof ReadableStream !== "undefined" && body instanceof ReadableStream;
    const payload: BodyInit = streamed || body instanceof Blob ? (body as BodyInit) : new Uint8Array(body as ArrayBuffer);
    // A streamed request body needs half-duplex in fetch (Node and Chromium); RequestInit's DOM type does not know it yet.
    const init = { body: payload, headers: { "content-type": "application/octet-stream" }, ...(streamed ? { duplex: "half" } : {}) } as RequestInit;
    return studioJson<RegisteredVersion>("POST", `/api/datasets/upload?${query}`, "datasets/upload", init);
  }

  async function listDatasets(search = ""): Promise<DatasetSummary[]> {
    const query = search.trim() ? `?${new URLSearchParams({ q: search.trim() })}` : "";
    const { datasets } = await studioJson<{ datasets?: DatasetSummary[] }>("GET", `/api/datasets${query}`, "datasets");
    return datasets ?? [];
  }

  return {
    baseUrl,
    uploadDatasetVersion,
    listDatasets,
    /** One version with its PII findings, masking policy, profile and quality status. */
    getDatasetVersion(name: string, version: number): Promise<DatasetVersionDetail> {
      return studioJson<DatasetVersionDetail>("GET", datasetPath(name, version), "datasets/versions");
    },
    /** The version's profile; a 409 StudioApiError while it is still being profiled. */
    getDatasetProfile(name: string, version: number): Promise<DatasetProfileAnswer> {
      return studioJson<DatasetProfileAnswer>("GET", `${datasetPath(name, version)}/profile`, "datasets/versions/profile");
    },
    createExperiment,
    getExperiment,
    getExperimentByName,
    /** The experiment with this name, created when missing (a concurrent creator wins without an error). */
    async getOrCreateExperiment(name: string, extra: CreateExperimentOptions = {}): Promise<Experiment> {
      const existing = await getExperimentByName(name);
      if (existing) return existing;
      try {
        return await getExperiment(await createExperiment(name, extra));
      } catch (error) {
        if (error instanceof StudioApiError && error.errorCode === "RESOURCE_ALREADY_EXISTS") {
          const created = await getExperimentByName(name);
          if (created) return created;
        }
        throw error;
      }
    },
    searchExperiments,
    iterateExperiments,
    async createRun(request: CreateRunRequest = {}): Promise<Run> {
      const { run } = await call<{ run: Run }>("POST", "runs/create", request);
      return decodeRun(run);
    },
    getRun,
    updateRun,
    /** Marks a run as ended (FINISHED by default) at `endTime` (now by default). */
    finishRun(runId: string, status: RunStatus = "FINISHED", endTime: number = Date.now()): Promise<RunInfo> {
      return updateRun({ run_id: runId, status, end_time: endTime });
    },
    async logParam(runId: string, key: string, value: string | number | boolean): Promise<void> {
      await call("POST", "runs/log-parameter", { run_id: runId, key, value: String(value) });
    },
    async logMetric(runId: string, key: string, value: number, at: { step?: number; timestamp?: number } = {}): Promise<void> {
      await call("POST", "runs/log-metric", { run_id: runId, key, value, timestamp: at.timestamp ?? Date.now(), step: at.step ?? 0 });
    },
    async setTag(runId: string, key: string, value: string): Promise<void> {
      await call("POST", "runs/set-tag", { run_id: runId, key, value });
    },
    logBatch,
    async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
      await call("POST", "runs/log-inputs", { run_id: runId, datasets });
    },
    searchRuns,
    iterateRuns,
    getMetricHistory,
    uploadArtifact,
    downloadArtifact,
    listArtifacts,
  };
}

export type StudioClient = ReturnType<typeof createStudioClient>;
