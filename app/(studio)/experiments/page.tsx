// Experiments: the list of experiments with search, create, rename, delete and restore.
import type { Metadata } from "next";
import { Suspense } from "react";
import { ExperimentsView } from "@/components/experiments/experiments-view";

export const metadata: Metadata = { title: "Experiments" };

export default function ExperimentsPage() {
  return (
    <Suspense fallback={<p role="status">Loading experiments…</p>}>
      <ExperimentsView />
    </Suspense>
  );
}
