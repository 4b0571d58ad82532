// The preview window rendered to HTML from a cached first page: row numbers, table semantics, nulls, and how many rows are loaded.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { renderToStaticMarkup } from "react-dom/server";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { TRPCProvider } from "@/components/trpc-provider";
import type { AppRouter } from "@/server/root-router";
import { VersionPreview } from "./version-preview";

type Page = { columns: string[]; rows: (string | number | boolean | null)[][]; totalRows: number };

function render(pages: Page[]) {
  const queryClient = new QueryClient();
  const trpcClient = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "http://127.0.0.1:9/api/trpc", transformer: superjson })] });
  const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
  queryClient.setQueryData([...trpc.datasets.preview.queryKey({ name: "people", version: 2, limit: 200 }), "pages"], {
    pages,
    pageParams: pages.map((_, i) => i * 200),
  });
  return renderToStaticMarkup(
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <VersionPreview name="people" version={2} />
      </TRPCProvider>
    </QueryClientProvider>,
  );
}

const columns = ["email", "age", "<i>odd</i>"];
const page = (from: number, count: number, totalRows: number): Page => ({
  columns,
  rows: Array.from({ length: count }, (_, i) => [`h${from + i}`, from + i === 0 ? null : from + i, true]),
  totalRows,
});

describe("VersionPreview", () => {
  it("renders a labelled table whose row count is the whole version and numbers the rows from 1", () => {
    const html = render([page(0, 200, 1000)]);
    expect(html).toContain('aria-label="Preview rows"');
    expect(html).toContain('aria-rowcount="1001"');
    expect(html).toMatch(/<tr aria-rowindex="2"[^>]*><th scope="row"[^>]*>1<\/th><td[^>]*>h0<\/td><td class="[^"]*nullCell[^"]*">null<\/td><td>true<\/td>/);
    expect(html).toContain("&lt;i&gt;odd&lt;/i&gt;");
    // Only a window of the 200 loaded rows is in the page.
    expect(html).not.toContain(">h199<");
    expect(html).toContain("200 of 1,000 rows loaded; scroll the table to load more.");
    expect(html).toContain("Load 200 more");
  });

  it("stops offering more once every row is loaded", () => {
    const html = render([page(0, 200, 250), page(200, 50, 250)]);
    expect(html).toContain("250 of 250 rows loaded.");
    expect(html).not.toContain("Load 200 more");
  });

  it("says what to do when the version has no rows", () => {
    expect(render([{ columns, rows: [], totalRows: 0 }])).toContain("This version has no rows");
  });
});
