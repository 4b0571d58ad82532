// Compare two versions of a dataset: schema diff and per-column drift; both versions live in the URL.
import type { Metadata } from "next";
import { Suspense } from "react";
import { CompareVersionsView } from "@/components/datasets/compare-versions-view";
import { notFound } from "next/navigation";
import { pageExists } from "@/server/navigation/page-exists";
import { nameFromSegment } from "@/lib/url-segment";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `Compare versions of ${name}` };
}

export default async function CompareDatasetVersionsPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  if (!(await pageExists({ kind: "dataset", name: nameFromSegment(name) }))) notFound();
  return (
    <Suspense fallback={<p role="status">Loading the comparison…</p>}>
      <CompareVersionsView name={name} />
    </Suspense>
  );
}
