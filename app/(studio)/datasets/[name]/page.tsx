// One dataset: its metadata, versions with quality and profile status, quality rules, a compare picker and lineage.
import type { Metadata } from "next";
import { DatasetPage } from "@/components/datasets/dataset-page";
import { notFound } from "next/navigation";
import { pageExists } from "@/server/navigation/page-exists";
import { nameFromSegment } from "@/lib/url-segment";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `Dataset ${nameFromSegment(name)}` };
}

export default async function DatasetRoute({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  if (!(await pageExists({ kind: "dataset", name: nameFromSegment(name) }))) notFound();
  return <DatasetPage name={nameFromSegment(name)} />;
}
