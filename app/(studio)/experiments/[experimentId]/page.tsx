// An experiment: its runs, filtered and sorted on the server, with the view's state in the URL.
import type { Metadata } from "next";
import { Suspense } from "react";
import { RunsView } from "@/components/runs/runs-view";

export const metadata: Metadata = { title: "Runs" };

export default async function ExperimentPage({ params }: { params: Promise<{ experimentId: string }> }) {
  const { experimentId } = await params;
  return (
    <Suspense fallback={<p role="status">Loading runs…</p>}>
      <RunsView experimentIds={[experimentId]} />
    </Suspense>
  );
}
