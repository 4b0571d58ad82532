// The runs of several experiments in one table (?experiments=1,2), chosen on the experiments page.
import type { Metadata } from "next";
import Link from "@/components/ui/intent-link";
import { Suspense } from "react";
import { RunsView } from "@/components/runs/runs-view";
import { decodeUrlList } from "@/lib/url-list";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export const metadata: Metadata = { title: "Runs" };

export default async function RunsOfExperimentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).experiments;
  const experimentIds = decodeUrlList(typeof raw === "string" ? raw : null).filter((id) => /^\d+$/.test(id));
  if (!experimentIds.length) {
    return (
      <>
        <h1>Runs</h1>
        <p>
          No experiments are chosen. Tick experiments on the <Link href="/experiments">experiments page</Link> and press “Show their runs”.
        </p>
      </>
    );
  }
  return (
    <MoreClientMessages namespaces={["runsTable"]}>
      <Suspense fallback={<p role="status">Loading runs…</p>}>
        <RunsView experimentIds={experimentIds} />
      </Suspense>
    </MoreClientMessages>
  );
}
