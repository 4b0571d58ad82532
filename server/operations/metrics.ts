// The process's Prometheus metrics (prom-client): HTTP requests and latency per route, serving per model and version,
// the inference-log, canary/shadow-log and shadow queues, background job queues and log-batch ingestion.
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { inferenceLogStatus } from "../monitoring/inference-log";
import { routeLogDropped } from "../serving/route-log";
import { shadowQueueStatus } from "../serving/shadow-queue";
import { SeriesCounter, SeriesHistogram } from "./series-metrics";

/** Latency buckets in seconds: serving answers in milliseconds, log-batch and reports take up to seconds. */
const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A counter whose value is a running total kept elsewhere (a queue's own counters), read at scrape time. */
function mirroredCounter(registry: Registry, name: string, help: string, read: () => number): Counter {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

function createMetrics() {
  const registry = new Registry();
  // CPU, memory, event-loop delay, GC and handles of this process (prom-client's standard set).
  collectDefaultMetrics({ register: registry });
  // Counted on every request (serving's hot path among them): series found through maps, not hashed per call.
  const httpRequests = new SeriesCounter({
    name: "studio_http_requests_total",
    help: "HTTP requests answered, by surface (mlflow, trpc, serving), route template, method and status",
    labelNames: ["surface", "route", "method", "status"],
    registers: [registry],
  });
  const httpDuration = new SeriesHistogram({
    name: "studio_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by surface and route template",
    labelNames: ["surface", "route", "method"],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const servingRequests = new SeriesCounter({
    name: "studio_serving_requests_total",
    help: "Scoring requests by the model and version that answered or failed (empty when the request failed before a version was chosen) and status",
    labelNames: ["model", "version", "status"],
    registers: [registry],
  });
  const servingDuration = new SeriesHistogram({
    name: "studio_serving_request_duration_seconds",
    help: "Time to answer a scoring request, by model and version",
    labelNames: ["model", "version"],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const ingested = new Counter({
    name: "studio_ingested_points_total",
    help: "Metric points, params and tags written by log-batch",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "studio_inference_log_queued",
    help: "Inference log entries waiting to be written",
    registers: [registry],
    collect() {
      this.set(inferenceLogStatus().queued);
    },
  });
  new Gauge({
    name: "studio_inference_log_capacity",
    help: "Inference log entries the queue holds before it drops new ones",
    registers: [registry],
    collect() {
      this.set(inferenceLogStatus().maxQueued);
    },
  });
  mirroredCounter(registry, "studio_inference_log_written_total", "Inference log entries written", () => inferenceLogStatus().written);
  mirroredCounter(registry, "studio_inference_log_dropped_total", "Inference log entries dropped because the writer fell behind", () => inferenceLogStatus().dropped);
  mirroredCounter(registry, "studio_route_log_dropped_total", "Canary/shadow answers and serving errors dropped from their log because it fell behind", routeLogDropped);
  new Gauge({
    name: "studio_shadow_queue",
    help: "Shadow copies waiting (state=queued) or being scored (state=running)",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const status = shadowQueueStatus();
      this.set({ state: "queued" }, status.queued);
      this.set({ state: "running" }, status.running);
    },
  });
  mirroredCounter(registry, "studio_shadow_scored_total", "Shadow copies scored", () => shadowQueueStatus().scored);
  mirroredCounter(registry, "studio_shadow_dropped_total", "Shadow copies dropped because the shadow queue was full", () => shadowQueueStatus().dropped);
  const backgroundJobs = new Gauge({
    name: "studio_background_jobs",
    help: "Jobs of the shared queue (the jobs table, every process's) by kind (dataset.profile, review.evaluate, monitoring.refresh…) and state (queued, running, failed, done, cancelled)",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
  });
  return { registry, httpRequests, httpDuration, servingRequests, servingDuration, ingested, backgroundJobs };
}

type Metrics = ReturnType<typeof createMetrics>;

// One registry per process, whichever bundle (route handler, standalone server, test) loads this module first.
const holder = globalThis as unknown as { studioMetrics?: Metrics };

/** The queue label of a job kind: the names the gauge had before the queue moved to the database, so dashboards keep working. */
function queueLabel(kind: string): string {
  return ({ "dataset.profile": "dataset_profile", "review.evaluate": "review" } as Record<string, string>)[kind] ?? kind.replace(/\./g, "_");
}

/**
 * Sets the jobs gauge from the jobs table's counts (read at each scrape). The two long-standing queues are present at
 * zero when idle, as before; null (the database away) leaves the gauge empty rather than failing the scrape.
 */
export function observeJobCounts(counts: { kind: string; state: string; count: number }[] | null): void {
  const gauge = metrics().backgroundJobs;
  gauge.reset();
  if (!counts) return;
  for (const queue of ["dataset_profile", "review"]) for (const state of ["queued", "running", "failed"]) gauge.set({ queue, state }, 0);
  for (const { kind, state, count } of counts) gauge.set({ queue: queueLabel(kind), state }, count);
}

function metrics(): Metrics {
  holder.studioMetrics ??= createMetrics();
  return holder.studioMetrics;
}

export type Surface = "mlflow" | "trpc" | "serving";

/** Counts one answered HTTP request. `route` must be a template (bounded), never a raw path. */
export function observeHttpRequest(surface: Surface, route: string, method: string, status: number, seconds: number): void {
  const m = metrics();
  m.httpRequests.inc([surface, route, method, status]);
  m.httpDuration.observe([surface, route, method], seconds);
}

/** Counts one scoring request; `model`/`version` are those that answered ("" when none did). */
export function observeServingRequest(model: string, version: string, status: number, seconds: number): void {
  const m = metrics();
  m.servingRequests.inc([model, version, status]);
  m.servingDuration.observe([model, version], seconds);
}

/** Counts what a log-batch wrote. */
export function observeIngestion(counts: { metrics: number; params: number; tags: number }): void {
  const m = metrics();
  if (counts.metrics) m.ingested.inc({ kind: "metric" }, counts.metrics);
  if (counts.params) m.ingested.inc({ kind: "param" }, counts.params);
  if (counts.tags) m.ingested.inc({ kind: "tag" }, counts.tags);
}

/** The exposition: Prometheus text format and its content type. */
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
