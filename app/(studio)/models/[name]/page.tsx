// One registered model: description, aliases, versions with stages and runs, and tags.
import type { Metadata } from "next";
import { ModelPage } from "@/components/models/model-page";

/** Next hands the segment over still percent-encoded in some cases; a malformed escape is left as typed. */
function modelNameFromSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `Model ${modelNameFromSegment(name)}` };
}

export default async function ModelRoute({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return <ModelPage name={modelNameFromSegment(name)} />;
}
