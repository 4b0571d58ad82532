// The MLflow API's hot endpoints answered by the studio's own server in front of Next.js (scripts/server.mjs), with
// the same handler as the Next.js route: same authentication, parsing, answers and metrics. The two large reads
// (runs/search, metrics/get-history) and the two ingestion writes (runs/log-batch, runs/log-metric); every other
// request, and any path that is not exactly one of these, still goes to Next.js.
//
// Why: Next.js's routing of one API request (router, proxy.ts, the app-route runtime, response piping) cost 2.5 ms at
// best and 5–7 ms typically on the 2-core bench machine, against 0.6 ms for a bare node:http answer; an uncached
// runs/search spends about as long in the database. These reads are what MLflow clients repeat (a dashboard polling
// runs/search, the client paging a long history), and these writes are what a training loop sends all the time, so
// their latency and throughput are the studio's. For the MLflow API, Next.js adds nothing the handler does not do
// itself: proxy.ts only sets the security headers (set here too), and handleMlflowApi answers every failure itself
// (a database outage included, which it notes for the page gate), so Next.js's onRequestError never sees one.
import type { IncomingMessage, ServerResponse } from "node:http";
import { SECURITY_HEADERS } from "@/lib/security-headers";
import { answerMlflowApi, type ContextResolver } from "./mlflow-api";
import { MAX_JSON_BODY_BYTES, type MlflowRequest } from "./mlflow-wire";

/** Exactly these method + path pairs under the two prefixes; anything else (a trailing slash, an escape) is Next.js's. */
const DIRECT_ENDPOINTS = new Set(["GET runs/search", "POST runs/search", "GET metrics/get-history", "POST runs/log-batch", "POST runs/log-metric"]);
const PREFIXES = ["/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"];

/** What scripts/server.mjs calls for each request: true when the request was taken (and will be answered) here. */
export type DirectRequestHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

/** The key under which instrumentation.ts publishes the handler for scripts/server.mjs (one realm, two module graphs). */
export const DIRECT_HANDLER_KEY = Symbol.for("modelops-studio.directMlflowReads");

/** The endpoint path (e.g. "runs/search") when this request is one of the direct endpoints, else null. */
export function directReadPath(method: string | undefined, url: string | undefined): string | null {
  const target = url ?? "/";
  const query = target.indexOf("?");
  const path = query < 0 ? target : target.slice(0, query);
  const prefix = PREFIXES.find((p) => path.startsWith(p));
  if (!prefix) return null;
  const endpoint = path.slice(prefix.length);
  return DIRECT_ENDPOINTS.has(`${method} ${endpoint}`) ? endpoint : null;
}

/** Thrown when the client goes away before its body has arrived: there is nobody left to answer. */
class ClientGone extends Error {}

/**
 * The body's bytes straight from the socket, at most `limit` + 1 of them: one byte past what the handler accepts is
 * enough for it to refuse the request with its own 413 (bodyBytesAsText), so the answer is decided as soon as that many
 * have arrived, and the rest is read and dropped in the background (the connection stays usable). One Buffer instead
 * of a web stream over the socket (Readable.toWeb), whose per-chunk promise machinery showed in a log-batch profile.
 */
function readBodyUpTo(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = () => {
      settled = true;
      resolve(Buffer.concat(chunks, size).subarray(0, limit + 1));
    };
    request.on("data", (chunk: Buffer) => {
      if (settled) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) settle();
    });
    request.on("end", () => settled || settle());
    request.on("error", () => settled || ((settled = true), reject(new ClientGone())));
    request.on("close", () => settled || ((settled = true), reject(new ClientGone())));
  });
}

/**
 * The request as the handler reads it (method, headers and URL; the URL only carries the query string to it, so an
 * odd Host cannot matter) and the body's bytes beside it. No fetch Request: its construction (an AbortSignal, header
 * guards, a body stream the handler never reads) showed in a runs/search profile, and reading the bytes back through
 * its web stream cost ~0.3 ms of CPU per 80 KB log-batch.
 */
async function toMlflowRequest(request: IncomingMessage): Promise<{ mlflowRequest: MlflowRequest; body: Buffer | undefined }> {
  const headers = new Headers();
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    // HTTP/2 pseudo-headers cannot occur on node:http/1.1; invalid names would throw, so they are left out.
    try {
      headers.append(raw[i], raw[i + 1]);
    } catch {
      // a header the fetch API refuses is not one the handler reads
    }
  }
  const method = request.method ?? "GET";
  const url = new URL(request.url ?? "/", "http://studio.local").href;
  const hasBody = method !== "GET" && method !== "HEAD";
  // A request without a body still gives the handler bytes (none), so that it never looks for a body stream.
  const body = hasBody ? await readBodyUpTo(request, MAX_JSON_BODY_BYTES) : undefined;
  return { mlflowRequest: { method, url, headers }, body };
}

async function answer(request: IncomingMessage, response: ServerResponse, endpoint: string, resolveContext?: ContextResolver): Promise<void> {
  let read: Awaited<ReturnType<typeof toMlflowRequest>>;
  try {
    read = await toMlflowRequest(request);
  } catch {
    // The client closed its connection mid-body (ClientGone): nothing was read, nothing is done, nobody to answer.
    response.destroy();
    return;
  }
  try {
    const answered = await answerMlflowApi(read.mlflowRequest, endpoint.split("/"), resolveContext, read.body);
    // The body goes to the socket as it is: a kept page's bytes are written, not copied; text is encoded once, there.
    const headers: Record<string, string> = { ...SECURITY_HEADERS, ...answered.headers };
    headers["content-length"] = String(typeof answered.body === "string" ? Buffer.byteLength(answered.body) : answered.body.length);
    response.writeHead(answered.status, headers);
    response.end(answered.body);
  } catch (error) {
    // answerMlflowApi answers every failure itself; this is a broken socket or a bug, never the caller's input.
    console.error(JSON.stringify({ level: "error", msg: "direct MLflow request failed", error: error instanceof Error ? error.message : String(error) }));
    if (!response.headersSent) {
      response.writeHead(500, { "content-type": "application/json", ...SECURITY_HEADERS });
      response.end(JSON.stringify({ error_code: "INTERNAL_ERROR", message: "The request failed inside the studio; see its log." }));
    } else {
      response.destroy();
    }
  }
}

/** The handler scripts/server.mjs uses; `resolveContext` replaces authentication's database in tests. */
export function createDirectMlflowReads(resolveContext?: ContextResolver): DirectRequestHandler {
  return (request, response) => {
    const endpoint = directReadPath(request.method, request.url);
    if (!endpoint) return false;
    void answer(request, response, endpoint, resolveContext);
    return true;
  };
}

/** Called once by instrumentation.ts, in the server process, after the studio has started. */
export function publishDirectMlflowReads(): void {
  (globalThis as Record<symbol, unknown>)[DIRECT_HANDLER_KEY] = createDirectMlflowReads();
}
