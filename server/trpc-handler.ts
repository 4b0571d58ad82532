// The HTTP side of the studio's tRPC endpoint, shared by the route (app/api/trpc) and the tests that go
// through real HTTP, so both run with the same options.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "./root-router";
import type { TrpcContext } from "./trpc";

export const TRPC_ENDPOINT = "/api/trpc";

export function handleTrpcRequest(req: Request, createContext: () => Promise<TrpcContext> | TrpcContext): Promise<Response> {
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req,
    router: appRouter,
    createContext,
    // Queries with long inputs (a comparison's run ids) come as POST: in a URL they outgrow the request line (HTTP 431).
    allowMethodOverride: true,
  });
}
