// The admin's tokens page rendered from a cached list: owners, markup shown as text, a labelled revoke button per active token.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { renderToStaticMarkup } from "react-dom/server";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { TRPCProvider } from "@/components/trpc-provider";
import type { AppRouter } from "@/server/root-router";
import { AllTokensPanel } from "./all-tokens-panel";

type Listed = Awaited<ReturnType<ReturnType<AppRouter["createCaller"]>["auth"]["allTokens"]>>;

function render(tokens: Listed) {
  const queryClient = new QueryClient();
  const trpcClient = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "http://127.0.0.1:9/api/trpc", transformer: superjson })] });
  const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
  queryClient.setQueryData(trpc.auth.allTokens.queryKey(), tokens);
  return renderToStaticMarkup(
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <AllTokensPanel />
      </TRPCProvider>
    </QueryClientProvider>,
  );
}

const token = (over: Partial<Listed[number]>): Listed[number] => ({
  tokenId: "0123456789abcdef",
  name: "laptop",
  prefix: "mops_abc123",
  createdAt: Date.UTC(2026, 10, 1),
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
  scopes: ["all"],
  owner: "erin",
  ...over,
});

describe("AllTokensPanel", () => {
  it("lists every owner's tokens with a revoke button named after owner and token; revoked ones say so", () => {
    const html = render([
      token({}),
      token({ tokenId: "fedcba9876543210", owner: "vera", name: "<b>serve</b>", scopes: ["serve"] }),
      token({ tokenId: "00000000000000aa", owner: "sam", name: "old", revokedAt: Date.UTC(2026, 10, 2) }),
    ]);
    expect(html).toContain('aria-label="Revoke erin&#x27;s token laptop"');
    expect(html).toContain('aria-label="Revoke vera&#x27;s token &lt;b&gt;serve&lt;/b&gt;"');
    expect(html).toContain("<td>&lt;b&gt;serve&lt;/b&gt;</td>");
    expect(html).toContain("serving only");
    expect(html).toMatch(/<td>sam<\/td><td>old<\/td>[\s\S]*?revoked /);
    expect(html).not.toContain("Revoke sam&#x27;s token old");
    expect(html.match(/>Revoke</g)).toHaveLength(2);
  });

  it("says where tokens come from when nobody has one", () => {
    expect(render([])).toContain("Nobody has an API token yet");
  });
});
