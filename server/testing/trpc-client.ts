// A typed tRPC client whose requests go through the studio's real HTTP handler (handleTrpcRequest: errorFormatter,
// request log, status codes) in this process, as the pages' client reads them, without a listening server.
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import type { ServiceContext } from "../service-context";
import type { AppRouter } from "../root-router";
import { handleTrpcRequest } from "../trpc-handler";

/** `context` is the caller's service context (e.g. `studio.as(actor)`); each request is added to it as `req`. */
export function trpcClientThroughHandler(context: () => ServiceContext) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: "http://studio.test/api/trpc",
        transformer: superjson,
        fetch: (url, init) => {
          const request = new Request(url, init as RequestInit);
          return handleTrpcRequest(request, () => ({ ...context(), req: request }));
        },
      }),
    ],
  });
}
