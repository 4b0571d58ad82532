// An experiment: its runs, filtered and sorted on the server, with the view's state in the URL.
import type { Metadata } from "next";
import { Suspense } from "react";
import { RunsView } from "@/components/runs/runs-view";
import { notFound } from "next/navigation";
import { pageExists } from "@/server/navigation/page-exists";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export const metadata: Metadata = { title: "Runs" };

export default async function ExperimentPage({ params }: { params: Promise<{ experimentId: string }> }) {
  const { experimentId } = await params;
  if (!(await pageExists({ kind: "experiment", experimentId }))) notFound();
  return (
    <MoreClientMessages namespaces={["runsTable"]}>
      <Suspense fallback={<p role="status">Loading runs…</p>}>
        <RunsView experimentIds={[experimentId]} />
      </Suspense>
    </MoreClientMessages>
  );
}
