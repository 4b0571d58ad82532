// One place per answered API request: the metrics, a JSON line per failed request (with its x-request-id), and a JSON
// line per request only when STUDIO_LOG_REQUESTS=1 (off by default: stdout is not a request log).
import { randomUUID } from "node:crypto";
import { observeHttpRequest, type Surface } from "./metrics";

/** The caller's x-request-id when it is a plain token, else a fresh one (never echo arbitrary header text into logs). */
export function requestIdFrom(headers: { get(name: string): string | null }): string {
  const given = headers.get("x-request-id");
  return given && /^[\w.:@/+=-]{1,200}$/.test(given) ? given : randomUUID();
}

export interface AnsweredRequest {
  surface: Surface;
  /** A route template (bounded set), e.g. "runs/log-batch"; never the raw path. */
  route: string;
  method: string;
  status: number;
  requestId: string;
  startedAt: number;
  /** The error code and message the caller got, for failed requests (already written for the caller: no secrets). */
  error?: { code: string; message: string };
}

/** Longest message kept in a log line: a message may quote the caller's input. */
const MAX_LOGGED_MESSAGE = 300;

function logRequestsEnabled(): boolean {
  return process.env.STUDIO_LOG_REQUESTS === "1";
}

/** On unless STUDIO_LOG_ERRORS=0 (the test suite sets it: its thousands of deliberate refusals are not news). */
function logErrorsEnabled(): boolean {
  return process.env.STUDIO_LOG_ERRORS !== "0";
}

/** Counts the request and writes its JSON line when it failed (or when per-request lines are on). Never throws. */
export function observeAnsweredRequest(answered: AnsweredRequest): void {
  try {
    const durationMs = performance.now() - answered.startedAt;
    observeHttpRequest(answered.surface, answered.route, answered.method, answered.status, durationMs / 1000);
    const failed = answered.status >= 400;
    if (failed ? !logErrorsEnabled() && !logRequestsEnabled() : !logRequestsEnabled()) return;
    const line = {
      time: new Date().toISOString(),
      level: answered.status >= 500 ? "error" : failed ? "warn" : "info",
      msg: failed ? "request failed" : "request",
      requestId: answered.requestId,
      surface: answered.surface,
      route: answered.route,
      method: answered.method,
      status: answered.status,
      durationMs: Math.round(durationMs * 10) / 10,
      ...(answered.error ? { code: answered.error.code, message: answered.error.message.slice(0, MAX_LOGGED_MESSAGE) } : {}),
    };
    (failed ? console.error : console.log)(JSON.stringify(line));
  } catch {
    // Observing a request must never fail it.
  }
}
