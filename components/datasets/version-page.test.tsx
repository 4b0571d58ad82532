// The version page rendered to HTML from cached server answers: quality banner, profiling progress, tabs from the URL, writer-only controls.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { renderToStaticMarkup } from "react-dom/server";
import superjson from "superjson";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { TRPCProvider } from "@/components/trpc-provider";
import type { DatasetVersionDetail } from "@/server/datasets/schema";
import type { AppRouter } from "@/server/root-router";
import { VersionPage } from "./version-page";

let search = "";
vi.mock("next/navigation", () => ({
  usePathname: () => "/datasets/people/versions/2",
  useSearchParams: () => new URLSearchParams(search),
  useRouter: () => ({ push: () => undefined, replace: () => undefined, prefetch: () => undefined }),
}));

function version(overrides: Partial<DatasetVersionDetail> = {}): DatasetVersionDetail {
  return {
    datasetName: "people",
    version: 2,
    digest: "ab".repeat(32),
    format: "csv",
    sizeBytes: 1_500_000,
    rowCount: 1000,
    columnCount: 3,
    originalFilename: "people.csv",
    note: "<b>second</b> upload",
    profileStatus: "done",
    profileProgress: 1,
    profileStage: "",
    qualityStatus: "passed",
    qualityReason: null,
    maskedColumns: 1,
    createdBy: "alice",
    createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    columns: ["email", "age", "city"],
    maskingPolicy: { email: { action: "hash" } },
    piiFindings: [{ column: "email", kind: "email", matched: 10, checked: 10, share: 1 }],
    profile: null,
    profileError: null,
    qualityResults: [],
    ...overrides,
  };
}

function render(detail: DatasetVersionDetail, permissions: string[]) {
  const queryClient = new QueryClient();
  // Never called: every answer the page needs is already in the cache.
  const trpcClient = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "http://127.0.0.1:9/api/trpc", transformer: superjson })] });
  const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
  queryClient.setQueryData(trpc.datasets.version.queryKey({ name: "people", version: 2 }), detail);
  queryClient.setQueryData(trpc.auth.me.queryKey(), { actor: { username: "alice", role: "editor", via: "session" }, permissions } as never);
  return renderToStaticMarkup(
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <VersionPage name="people" version={2} />
      </TRPCProvider>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  search = "";
});

describe("VersionPage", () => {
  it("shows the full digest, size, rows, creator and the note as text", () => {
    const html = render(version(), ["studio.read"]);
    expect(html).toContain("ab".repeat(32));
    expect(html).toContain("Copy digest");
    expect(html).toContain("1.5 MB");
    expect(html).toContain("1,000");
    expect(html).toContain("2026-01-02 03:04:05 UTC");
    expect(html).toContain("&lt;b&gt;second&lt;/b&gt; upload");
    expect(html).toContain('href="/api/datasets/people/versions/2/download"');
  });

  it("puts a failed version's reason in a banner", () => {
    const html = render(version({ qualityStatus: "failed", qualityReason: "Marked by bob: labels shifted" }), ["studio.read"]);
    expect(html).toContain("This version failed quality");
    expect(html).toContain("Marked by bob: labels shifted");
    const passed = render(version(), ["studio.read"]);
    expect(passed).not.toContain("This version failed quality");
  });

  it("shows profiling progress and stage while the server works, and the error with what to do when it failed", () => {
    const running = render(version({ profileStatus: "running", profileProgress: 0.42, profileStage: "histograms" }), ["studio.read"]);
    expect(running).toMatch(/<progress[^>]*max="100"[^>]*value="42"/);
    expect(running).toContain("42% — histograms");
    const failed = render(version({ profileStatus: "failed", profileError: "Row 12 has 4 fields, expected 3" }), ["studio.read"]);
    expect(failed).toContain("Profiling failed");
    expect(failed).toContain("Row 12 has 4 fields, expected 3");
    expect(failed).toContain("register the corrected file as a new version");
    expect(failed).not.toContain("<progress");
  });

  it("shows on the version itself which personal data was kept as it is, by decision", () => {
    expect(render(version(), ["studio.read"])).toContain("<dt>Personal data</dt><dd>1 flagged column masked</dd>");
    const kept = render(version({ maskingPolicy: { email: { action: "keep" } } }), ["studio.read"]);
    expect(kept).toMatch(/<dt>Personal data<\/dt><dd class="[^"]*">kept as is by decision \(keep\): email<\/dd>/);
  });

  it("opens the tab named in the URL, Profile by default", () => {
    expect(render(version(), ["studio.read"])).toMatch(/<h2>Profile<\/h2>/);
    search = "tab=masking";
    const masking = render(version(), ["studio.read"]);
    expect(masking).toMatch(/<h2>Masking<\/h2>/);
    expect(masking).toContain('aria-label="Masking policy"');
    expect(masking).toMatch(/id="tab-masking"[^>]*aria-selected="true"|aria-selected="true"[^>]*id="tab-masking"/);
  });

  it("offers re-check and marking to writers only, and points to the dataset page when no rules exist", () => {
    search = "tab=quality";
    const viewer = render(version({ qualityStatus: "none" }), ["studio.read"]);
    expect(viewer).toContain("No rules declared: add them on the");
    expect(viewer).toContain('href="/datasets/people"');
    expect(viewer).not.toContain("Re-check with current rules");
    expect(viewer).not.toContain("Mark as failed quality");
    const writer = render(version({ qualityStatus: "none" }), ["studio.read", "datasets.write"]);
    expect(writer).toContain("Re-check with current rules");
    expect(writer).toContain("Mark as failed quality");
    expect(writer).toContain("Reason (required)");
    const marked = render(version({ qualityStatus: "failed", qualityReason: "Marked by bob: x" }), ["studio.read", "datasets.write"]);
    expect(marked).toContain("Clear the mark");
    expect(marked).toContain("Reason for clearing (optional)");
  });

  it("lists quality results with counts and sample offending rows", () => {
    search = "tab=quality";
    const html = render(
      version({
        qualityStatus: "failed",
        qualityReason: "age: 3 values outside 0..120",
        qualityResults: [
          { ruleId: 1, kind: "range", column: "age", passed: false, failingCount: 3, checkedCount: 1000, message: "3 values outside 0..120", sampleRows: [{ age: 130, city: null }] },
          { ruleId: 2, kind: "not_null", column: "email", passed: true, failingCount: 0, checkedCount: 1000, message: "no missing values", sampleRows: [] },
        ],
      }),
      ["studio.read"],
    );
    expect(html).toContain('aria-label="Quality results"');
    expect(html).toContain(">fail<");
    expect(html).toContain(">pass<");
    expect(html).toContain("not null");
    expect(html).toContain("Sample offending rows: range on age");
    expect(html).toContain("<td>130</td>");
  });
});
