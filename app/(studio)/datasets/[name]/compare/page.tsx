// Compare two versions of a dataset: schema diff and per-column drift; both versions live in the URL.
import type { Metadata } from "next";
import { Suspense } from "react";
import { CompareVersionsView } from "@/components/datasets/compare-versions-view";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `Compare versions of ${name}` };
}

export default async function CompareDatasetVersionsPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return (
    <Suspense fallback={<p role="status">Loading the comparison…</p>}>
      <CompareVersionsView name={name} />
    </Suspense>
  );
}
