// A model version's playground: onnxruntime-web in the browser, cross-origin isolated by next.config.js for threads.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { PlaygroundPage } from "@/components/playground/playground-page";
import { installedOrtVersion } from "@/server/ort/assets";

export async function generateMetadata({ params }: { params: Promise<{ name: string; version: string }> }): Promise<Metadata> {
  const { name, version } = await params;
  return { title: `Playground: ${name} v${version}` };
}

export default async function ModelPlaygroundPage({ params }: { params: Promise<{ name: string; version: string }> }) {
  const { name, version } = await params;
  // Registry versions are whole positive numbers; anything else is not a page.
  if (!/^\d+$/.test(version) || Number(version) < 1) notFound();
  return (
    <Suspense fallback={<p role="status">Loading the playground…</p>}>
      {/* The worker fetches ORT's runtime from /ort/<installed version>/ (app/ort), so the files can be cached for good. */}
      <PlaygroundPage name={name} version={version} ortVersion={installedOrtVersion()} />
    </Suspense>
  );
}
