// Compare runs: their metrics as line charts, their params side by side; the whole view lives in the URL.
import type { Metadata } from "next";
import { Suspense } from "react";
import { CompareView } from "@/components/compare/compare-view";

export const metadata: Metadata = { title: "Compare runs" };

export default async function ComparePage({ params }: { params: Promise<{ experimentId: string }> }) {
  const { experimentId } = await params;
  return (
    <Suspense fallback={<p role="status">Loading the comparison…</p>}>
      <CompareView experimentId={experimentId} />
    </Suspense>
  );
}
