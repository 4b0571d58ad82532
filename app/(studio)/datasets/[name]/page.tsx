// One dataset: its metadata, versions with quality and profile status, quality rules, a compare picker and lineage.
import type { Metadata } from "next";
import { DatasetPage } from "@/components/datasets/dataset-page";

/** Next hands the segment over still percent-encoded in some cases; a malformed escape is left as typed. */
function datasetNameFromSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `Dataset ${datasetNameFromSegment(name)}` };
}

export default async function DatasetRoute({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return <DatasetPage name={datasetNameFromSegment(name)} />;
}
