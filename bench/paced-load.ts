// An open-loop load generator: requests go out at an even pace (one every 1/rate s, on a millisecond clock), whether
// or not earlier ones have been answered, as independent callers arrive. autocannon's `overallRate` is not that: each
// of its connections sends its share of the second back to back, waiting for each answer, then idles until the next
// second, so its p99 measures how long a burst of `connections` concurrent requests takes to drain rather than the
// latency of an evenly loaded server — any extra CPU on the server shows up there many times over.
// Latency is timed from each request's scheduled start, so a client that falls behind (its own event loop late)
// counts against the measure rather than hiding it (no coordinated omission).
import http from "node:http";
import { percentile } from "@/lib/percentile";

export interface PacedLoadOptions {
  url: string;
  method?: string;
  body: string;
  rate: number;
  seconds: number;
  /** Headers of the i-th request (e.g. one of several caller keys). */
  headers: (index: number) => Record<string, string>;
  /** Called with each answer's status and headers. */
  onAnswer?: (status: number, headers: http.IncomingHttpHeaders) => void;
  /** Keep each request's scheduled start, how late it went out and its latency (bench/shadow-stalls.ts reads them). */
  timeline?: boolean;
}

/** Per request, by index: scheduled start (epoch ms), how late the client sent it (ms), latency (ms; NaN: failed). */
export interface PacedTimeline {
  scheduledAt: Float64Array;
  sendLagMs: Float64Array;
  latencyMs: Float64Array;
}

export interface PacedLoadResult {
  sent: number;
  answered: number;
  failed: number;
  /** Milliseconds, from each request's scheduled start to its answer's last byte. */
  p50: number;
  p99: number;
  /** Every answer's latency (ms, ascending), for pooling several phases of one arm. */
  latencies: number[];
  /** From the first request sent to the last answer: longer than `seconds` when the server fell behind. */
  elapsedSeconds: number;
  timeline?: PacedTimeline;
}

export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(options.url);
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  let answered = 0;
  let failed = 0;
  let settled = 0;
  let sent = 0;
  const body = Buffer.from(options.body);
  const started = performance.now();
  const interval = 1000 / options.rate;
  const timeline: PacedTimeline | undefined = options.timeline
    ? { scheduledAt: new Float64Array(total), sendLagMs: new Float64Array(total), latencyMs: new Float64Array(total).fill(Number.NaN) }
    : undefined;

  await new Promise<void>((resolve) => {
    const settle = () => {
      settled++;
      if (settled === total) resolve();
    };
    const send = (index: number, scheduledAt: number) => {
      if (timeline) {
        timeline.scheduledAt[index] = performance.timeOrigin + scheduledAt;
        timeline.sendLagMs[index] = performance.now() - scheduledAt;
      }
      const request = http.request(
        { agent, host: target.hostname, port: target.port, path: target.pathname + target.search, method: options.method ?? "POST", headers: { ...options.headers(index), "content-length": body.length } },
        (response) => {
          response.resume();
          response.on("end", () => {
            const latency = performance.now() - scheduledAt;
            latencies.push(latency);
            if (timeline) timeline.latencyMs[index] = latency;
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) answered++;
            else failed++;
            options.onAnswer?.(status, response.headers);
            settle();
          });
        },
      );
      request.on("error", () => {
        failed++;
        settle();
      });
      request.end(body);
    };
    // A millisecond tick sends every request whose time has come: at 1,000 req/s about one per tick.
    const tick = () => {
      const now = performance.now();
      while (sent < total && started + sent * interval <= now) {
        send(sent, started + sent * interval);
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, started + sent * interval - performance.now()));
    };
    tick();
  });
  const elapsedSeconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { sent, answered, failed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), latencies, elapsedSeconds, timeline };
}
