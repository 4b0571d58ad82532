// Compare runs: their metrics as line charts, their params side by side; the whole view lives in the URL.
import type { Metadata } from "next";
import { Suspense } from "react";
import { CompareView } from "@/components/compare/compare-view";
import { parseCompareState } from "@/lib/compare-state";
import { currentPageActor } from "@/server/auth/page-actor";
import { getServiceContext } from "@/server/service-context";
import { startCompareChartPrefetch } from "@/server/tracking/compare-prefetch";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export const metadata: Metadata = { title: "Compare runs" };

type SearchParams = Record<string, string | string[] | undefined>;

function toQuery(searchParams: SearchParams): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(key, item);
  }
  return query;
}

export default async function ComparePage({ params, searchParams }: { params: Promise<{ experimentId: string }>; searchParams: Promise<SearchParams> }) {
  const { experimentId } = await params;
  // The first charts' data is asked for now, not awaited: it streams into the page behind the HTML, so the charts
  // draw once hydrated instead of asking (after measuring themselves, the session and the runs) ~1.5 s later.
  const openContext = () => currentPageActor().then((actor) => (actor ? getServiceContext(actor) : null));
  const earlyCharts = startCompareChartPrefetch(openContext, parseCompareState(toQuery(await searchParams)));
  return (
    <MoreClientMessages namespaces={["compareRuns", "runsTable"]}>
      <Suspense fallback={<p role="status">Loading the comparison…</p>}>
        <CompareView experimentId={experimentId} earlyCharts={earlyCharts} />
      </Suspense>
    </MoreClientMessages>
  );
}
