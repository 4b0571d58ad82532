// The compare page rendered to HTML from cached server answers: versions from the URL, drift headline, schema diff and the drift table.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { renderToStaticMarkup } from "react-dom/server";
import superjson from "superjson";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { TRPCProvider } from "@/components/trpc-provider";
import type { DatasetDetail, DatasetVersionSummary, VersionComparison } from "@/server/datasets/schema";
import type { AppRouter } from "@/server/root-router";
import { CompareVersionsView } from "./compare-versions-view";

let search = "";
vi.mock("next/navigation", () => ({
  usePathname: () => "/datasets/people/compare",
  useSearchParams: () => new URLSearchParams(search),
  useRouter: () => ({ push: () => undefined, replace: () => undefined, prefetch: () => undefined }),
}));

function summary(version: number): DatasetVersionSummary {
  return {
    version,
    digest: String(version).repeat(64),
    format: "csv",
    sizeBytes: 100,
    rowCount: 10 * version,
    columnCount: 2,
    originalFilename: `v${version}.csv`,
    note: `note ${version}`,
    profileStatus: "done",
    profileProgress: 1,
    profileStage: "",
    qualityStatus: "passed",
    qualityReason: null,
    maskedColumns: 0,
    createdBy: "alice",
    createdAt: 1,
  };
}

const dataset: DatasetDetail = {
  name: "people",
  description: "",
  source: "",
  licence: "",
  owner: "alice",
  labelColumn: null,
  sensitiveAttributes: [],
  createdAt: 1,
  updatedAt: 1,
  versions: [summary(1), summary(2), summary(3)],
  rules: [],
};

function comparison(reference: number, current: number, changes: Partial<VersionComparison> = {}): VersionComparison {
  return {
    reference: summary(reference),
    current: summary(current),
    schema: { added: [], removed: [], typeChanged: [], unchanged: 2 },
    columns: [
      { column: "age", kind: "numeric", test: "wasserstein", score: 0.4, threshold: 0.1, drifted: true, psi: 0.2, psiBand: "moderate", bins: [] },
      { column: "city", kind: "categorical", test: "chi-square", score: 0.6, threshold: 0.05, drifted: false, psi: 0.01, psiBand: "stable", bins: [] },
    ],
    skippedColumns: [],
    driftedColumns: 1,
    comparedColumns: 2,
    driftShareLimit: 0.5,
    datasetDrift: false,
    ...changes,
  };
}

function render(cached: { reference: number; current: number; result: VersionComparison }) {
  const queryClient = new QueryClient();
  const trpcClient = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "http://127.0.0.1:9/api/trpc", transformer: superjson })] });
  const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
  queryClient.setQueryData(trpc.datasets.get.queryKey({ name: "people" }), dataset);
  queryClient.setQueryData(trpc.datasets.compare.queryKey({ name: "people", reference: cached.reference, current: cached.current }), cached.result);
  return renderToStaticMarkup(
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <CompareVersionsView name="people" />
      </TRPCProvider>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  search = "";
});

describe("CompareVersionsView", () => {
  it("compares the versions named in the URL", () => {
    search = "reference=1&current=3";
    const html = render({ reference: 1, current: 3, result: comparison(1, 3) });
    expect(html).toContain("1 of 2 columns drifted — no dataset drift");
    expect(html).toContain("Same schema: 2 columns");
    expect(html).toContain('aria-label="Column drift"');
    expect(html).toContain("Normalised Wasserstein");
    expect(html).toContain("Chi-square p-value");
    expect(html).toMatch(/<option value="1" selected="">version 1/);
    expect(html).toMatch(/<option value="3" selected="">version 3/);
    expect(html).toContain('href="/datasets/people/versions/1"');
  });

  it("gives the share rule when a drifted column sits beside \"no dataset drift\"", () => {
    search = "reference=1&current=3";
    const html = render({ reference: 1, current: 3, result: comparison(1, 3, { comparedColumns: 12, driftedColumns: 1 }) });
    expect(html).toContain("1 of 12 columns drifted — no dataset drift");
    expect(html).toContain("Dataset drift is declared when at least 50% of the compared columns drift; here 8% did. The drifted columns below changed on their own");
  });

  it("says which columns were not tested because they identify rows", () => {
    search = "reference=1&current=3";
    const html = render({
      reference: 1,
      current: 3,
      result: comparison(1, 3, {
        skippedColumns: [
          { column: "customer_id", reason: "identifier-name" },
          { column: "email", reason: "identifier-distinct" },
        ],
      }),
    });
    expect(html).toContain("Not tested, because identifiers differ between versions by construction:");
    expect(html).toContain("customer_id (its name says it identifies rows); email (nearly every value appears once: it identifies rows)");
    expect(html).not.toMatch(/<th scope="row"[^>]*>customer_id/);
  });

  it("compares the latest version with the one before when the URL names none", () => {
    const html = render({ reference: 2, current: 3, result: comparison(2, 3, { driftedColumns: 2, datasetDrift: true }) });
    expect(html).toContain("2 of 2 columns drifted — dataset drift");
  });

  it("lists added, removed and retyped columns", () => {
    search = "reference=1&current=2";
    const html = render({
      reference: 1,
      current: 2,
      result: comparison(1, 2, {
        schema: { added: [{ column: "zip", type: "VARCHAR" }], removed: [{ column: "phone", type: "VARCHAR" }], typeChanged: [{ column: "age", from: "BIGINT", to: "DOUBLE" }], unchanged: 1 },
      }),
    });
    expect(html).not.toContain("Same schema");
    expect(html).toContain("<li>zip (VARCHAR)</li>");
    expect(html).toContain("<li>phone (VARCHAR)</li>");
    expect(html).toContain("<li>age: BIGINT → DOUBLE</li>");
  });

  it("asks for two different versions when both sides are the same", () => {
    search = "reference=2&current=2";
    const html = render({ reference: 2, current: 2, result: comparison(2, 2) });
    expect(html).toContain("choose two different versions");
    expect(html).not.toContain('aria-label="Column drift"');
  });
});
