// One model version: lineage, ONNX graph summary, signature, runtime warnings, and links to the playground and the ONNX file.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ModelVersionPage } from "@/components/models/version-page";
import { pageExists } from "@/server/navigation/page-exists";
import { nameFromSegment } from "@/lib/url-segment";
import { installedOrtVersion } from "@/server/ort/assets";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export async function generateMetadata({ params }: { params: Promise<{ name: string; version: string }> }): Promise<Metadata> {
  const { name, version } = await params;
  return { title: `${nameFromSegment(name)} v${version}` };
}

export default async function ModelVersionRoute({ params }: { params: Promise<{ name: string; version: string }> }) {
  const { name, version } = await params;
  // MLflow numbers versions 1, 2, …; anything else is not a page.
  if (!/^\d+$/.test(version) || Number(version) < 1) notFound();
  if (!(await pageExists({ kind: "modelVersion", name: nameFromSegment(name), version: Number(version) }))) notFound();
  // The page warms the playground's runtime up (ORT's wasm, versioned URL) while it is read.
  return (
    <MoreClientMessages namespaces={["modelVersion", "monitoring", "reviewSentences", "reviews", "technicalFile"]}>
      <ModelVersionPage name={nameFromSegment(name)} version={String(Number(version))} ortVersion={installedOrtVersion()} />
    </MoreClientMessages>
  );
}
