// The HTTP side of the studio's tRPC endpoint, shared by the route (app/api/trpc) and the tests that go
// through real HTTP, so both run with the same options.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "./root-router";
import type { TrpcContext } from "./trpc";
import { describeZodError, isZodError } from "./errors";
import { observeAnsweredRequest, requestIdFrom } from "./operations/request-log";

export const TRPC_ENDPOINT = "/api/trpc";

const procedures = new Set(Object.keys(appRouter._def.procedures));

/** The metrics' route label: the procedure's name, "(batch)" for several, "(unknown)" for names no router has. */
function procedureLabel(url: string): string {
  const path = decodeURIComponent(new URL(url).pathname.slice(TRPC_ENDPOINT.length + 1));
  const names = path.split(",");
  if (!names.every((name) => procedures.has(name))) return "(unknown)";
  return names.length === 1 ? names[0]! : "(batch)";
}

export async function handleTrpcRequest(req: Request, createContext: () => Promise<TrpcContext> | TrpcContext): Promise<Response> {
  const startedAt = performance.now();
  const requestId = requestIdFrom(req.headers);
  let failure: { code: string; message: string } | undefined;
  const response = await fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req,
    router: appRouter,
    createContext,
    // Queries with long inputs (a comparison's run ids) come as POST: in a URL they outgrow the request line (HTTP 431).
    allowMethodOverride: true,
    onError: ({ error }) => {
      // The first failure of a batch names the line; the status says whether it was the caller's or ours.
      // A refused input's message as the caller reads it (trpc.ts's errorFormatter), not tRPC's JSON dump of zod's issues.
      failure ??= { code: error.code, message: isZodError(error.cause) ? describeZodError(error.cause) : error.message };
    },
  });
  let route = "(unknown)";
  try {
    route = procedureLabel(req.url);
  } catch {
    // A malformed percent-escape in the path: counted as unknown.
  }
  observeAnsweredRequest({ surface: "trpc", route, method: req.method, status: response.status, requestId, startedAt, error: failure });
  return response;
}
