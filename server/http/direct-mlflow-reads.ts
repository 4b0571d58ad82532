// The MLflow API's two large reads (runs/search, metrics/get-history) answered by the studio's own server in front of
// Next.js (scripts/server.mjs), with the same handler as the Next.js route: same authentication, parsing, answers and
// metrics. Every other request, and any path that is not exactly one of these, still goes to Next.js.
//
// Why: Next.js's routing of one API request (router, proxy.ts, the app-route runtime, response piping) cost 2.5 ms at
// best and 5–7 ms typically on the 2-core bench machine, against 0.6 ms for a bare node:http answer; an uncached
// runs/search spends about as long in the database. These two reads are what MLflow clients repeat (a dashboard
// polling runs/search, the client paging a long history), so their latency is the studio's latency. Writes keep
// Next.js's route: nothing here has to know what else they touch.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { SECURITY_HEADERS } from "@/lib/security-headers";
import { handleMlflowApi, type ContextResolver } from "./mlflow-api";

/** Exactly these method + path pairs under the two prefixes; anything else (a trailing slash, an escape) is Next.js's. */
const DIRECT_READS = new Set(["GET runs/search", "POST runs/search", "GET metrics/get-history"]);
const PREFIXES = ["/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"];

/** What scripts/server.mjs calls for each request: true when the request was taken (and will be answered) here. */
export type DirectRequestHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

/** The key under which instrumentation.ts publishes the handler for scripts/server.mjs (one realm, two module graphs). */
export const DIRECT_HANDLER_KEY = Symbol.for("modelops-studio.directMlflowReads");

/** The endpoint path (e.g. "runs/search") when this request is one of the direct reads, else null. */
export function directReadPath(method: string | undefined, url: string | undefined): string | null {
  const target = url ?? "/";
  const query = target.indexOf("?");
  const path = query < 0 ? target : target.slice(0, query);
  const prefix = PREFIXES.find((p) => path.startsWith(p));
  if (!prefix) return null;
  const endpoint = path.slice(prefix.length);
  return DIRECT_READS.has(`${method} ${endpoint}`) ? endpoint : null;
}

/** A fetch Request for the handler: the URL only carries the query string to it, so an odd Host cannot matter. */
function toFetchRequest(request: IncomingMessage): Request {
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
  const url = new URL(request.url ?? "/", "http://studio.local");
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new Request(url, {
    method: request.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(request) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  } as RequestInit);
}

async function answer(request: IncomingMessage, response: ServerResponse, endpoint: string, resolveContext?: ContextResolver): Promise<void> {
  try {
    const answered = await handleMlflowApi(toFetchRequest(request), endpoint.split("/"), resolveContext);
    const body = Buffer.from(await answered.arrayBuffer());
    const headers: Record<string, string> = { ...SECURITY_HEADERS };
    answered.headers.forEach((value, name) => (headers[name] = value));
    headers["content-length"] = String(body.length);
    response.writeHead(answered.status, headers);
    response.end(body);
  } catch (error) {
    // handleMlflowApi answers every failure itself; this is a broken socket or a bug, never the caller's input.
    console.error(JSON.stringify({ level: "error", msg: "direct MLflow read failed", error: error instanceof Error ? error.message : String(error) }));
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
