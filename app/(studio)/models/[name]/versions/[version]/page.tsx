// One model version: lineage, ONNX graph summary, signature, runtime warnings, and links to the playground and the ONNX file.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ModelVersionPage } from "@/components/models/version-page";

function modelNameFromSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ name: string; version: string }> }): Promise<Metadata> {
  const { name, version } = await params;
  return { title: `${modelNameFromSegment(name)} v${version}` };
}

export default async function ModelVersionRoute({ params }: { params: Promise<{ name: string; version: string }> }) {
  const { name, version } = await params;
  // MLflow numbers versions 1, 2, …; anything else is not a page.
  if (!/^\d+$/.test(version) || Number(version) < 1) notFound();
  return <ModelVersionPage name={modelNameFromSegment(name)} version={String(Number(version))} />;
}
