// Test support: renders a model page to HTML from answers already in the query cache (no server is ever called).
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import superjson from "superjson";
import { NextIntlClientProvider } from "next-intl";
import { messagesFor } from "@/messages";
import type { Locale } from "@/lib/i18n/locales";
import { TRPCProvider } from "@/components/trpc-provider";
import type { AppRouter } from "@/server/root-router";

export type CacheSeeder = (trpc: ReturnType<typeof createTRPCOptionsProxy<AppRouter>>, queryClient: QueryClient) => void;

export function renderWithCache(element: ReactNode, permissions: string[], seed: CacheSeeder, locale: Locale = "en"): string {
  const queryClient = new QueryClient();
  // Never called: the port is closed and every answer the page needs is already in the cache.
  const trpcClient = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "http://127.0.0.1:9/api/trpc", transformer: superjson })] });
  const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
  queryClient.setQueryData(trpc.auth.me.queryKey(), { actor: { username: "alice", role: "editor", via: "session" }, permissions } as never);
  seed(trpc, queryClient);
  return renderToStaticMarkup(
    <NextIntlClientProvider locale={locale} messages={messagesFor(locale)} timeZone="UTC">
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          {element}
        </TRPCProvider>
      </QueryClientProvider>
    </NextIntlClientProvider>,
  );
}
