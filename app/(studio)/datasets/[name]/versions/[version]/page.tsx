// One dataset version: facts, quality, profiling progress, and its profile, quality, preview and masking tabs (tab in the URL).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { VersionPage } from "@/components/datasets/version-page";
import { pageExists } from "@/server/navigation/page-exists";
import { nameFromSegment } from "@/lib/url-segment";

export async function generateMetadata({ params }: { params: Promise<{ name: string; version: string }> }): Promise<Metadata> {
  const { name, version } = await params;
  return { title: `${name} v${version}` };
}

export default async function DatasetVersionPage({ params }: { params: Promise<{ name: string; version: string }> }) {
  const { name, version } = await params;
  // Only whole positive numbers name a version; anything else is not a page.
  if (!/^\d+$/.test(version) || Number(version) < 1) notFound();
  if (!(await pageExists({ kind: "datasetVersion", name: nameFromSegment(name), version: Number(version) }))) notFound();
  return (
    <Suspense fallback={<p role="status">Loading the version…</p>}>
      <VersionPage name={name} version={Number(version)} />
    </Suspense>
  );
}
