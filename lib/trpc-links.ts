// How the studio's pages reach tRPC: batched requests, with long query inputs sent in a POST body.
import { httpBatchLink, httpLink, splitLink, type TRPCLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@/server/root-router";

/**
 * Node takes a request line plus headers of up to 16 KiB; past it the answer is HTTP 431 with no body
 * (the compare page's "Unexpected end of JSON input" with 100 runs). GET batches are split well below that,
 * leaving room for cookies.
 */
export const MAX_QUERY_URL_LENGTH = 4_000;
/** A query whose input serialises longer than this goes as POST, batch-split or not. */
export const LONG_INPUT_CHARS = 1_500;

export function hasLongInput(input: unknown): boolean {
  if (input === undefined) return false;
  try {
    return JSON.stringify(input).length > LONG_INPUT_CHARS;
  } catch {
    return true;
  }
}

export function studioTrpcLinks(url: string, fetchImpl?: typeof fetch): TRPCLink<AppRouter>[] {
  const common = { url, transformer: superjson, ...(fetchImpl ? { fetch: fetchImpl } : {}) };
  const batched = splitLink({
    condition: (op) => op.type !== "query" || hasLongInput(op.input),
    // Mutations are POST anyway; long queries join them (the server allows the override for queries).
    true: httpBatchLink({ ...common, methodOverride: "POST" }),
    // Small queries stay GET: cacheable, and readable in the browser's network tab.
    false: httpBatchLink({ ...common, maxURLLength: MAX_QUERY_URL_LENGTH }),
  });
  return [
    splitLink({
      // A query that must not wait for the slowest of a batch (each compare chart) asks for its own request.
      condition: (op) => op.context.skipBatch === true,
      true: httpLink({ ...common, methodOverride: "POST" }),
      false: batched,
    }),
  ];
}
