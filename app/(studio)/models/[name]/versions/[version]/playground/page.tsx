// A model version's playground: onnxruntime-web in the browser, cross-origin isolated by next.config.js for threads.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { preload, preloadModule } from "react-dom";
import { modelBytesUrl, ortRuntimeUrls } from "@/components/playground/ort-assets";
import { PlaygroundPage } from "@/components/playground/playground-page";
import { installedOrtVersion } from "@/server/ort/assets";
import { currentPageActor } from "@/server/auth/page-actor";
import { getServiceContext } from "@/server/service-context";
import { versionModelDigest } from "@/server/registry/onnx-versions";
import { preparePlaygroundServerSession } from "@/server/registry/playground-scoring";

/**
 * The version's digest for its immutable model URL, or null (then the plain URL, revalidated on each load). Also starts
 * the version's onnxruntime-node session, not awaited: Predict is answered by the server until the browser's runtime is
 * ready, and its first row then waits for the run only.
 */
async function modelDigestFor(name: string, version: string): Promise<string | null> {
  const actor = await currentPageActor();
  if (!actor) return null;
  const ctx = await getServiceContext(actor);
  preparePlaygroundServerSession(ctx, name, version).catch(() => undefined);
  return versionModelDigest(ctx, name, version).catch(() => null);
}

export async function generateMetadata({ params }: { params: Promise<{ name: string; version: string }> }): Promise<Metadata> {
  const { name, version } = await params;
  return { title: `Playground: ${name} v${version}` };
}

export default async function ModelPlaygroundPage({ params }: { params: Promise<{ name: string; version: string }> }) {
  const { name, version } = await params;
  // Registry versions are whole positive numbers; anything else is not a page.
  if (!/^\d+$/.test(version) || Number(version) < 1) notFound();
  // Hints in the document's head: the browser fetches ORT's 14 MB wasm, its glue and the model's bytes while it is
  // still parsing the page and its scripts, so the playground finds them there when it starts ORT. They match the
  // requests that follow (fetch() and ORT's streaming compile both ask same-origin, with credentials).
  const ort = ortRuntimeUrls(installedOrtVersion());
  // Named by its digest, the model's URL is cached for good: a returning visitor's browser has the bytes already.
  const modelDigest = await modelDigestFor(name, version);
  preload(ort.wasm, { as: "fetch", crossOrigin: "anonymous", type: "application/wasm" });
  preloadModule(ort.glue);
  preload(modelBytesUrl(name, version, modelDigest), { as: "fetch", crossOrigin: "anonymous" });
  return (
    <Suspense fallback={<p role="status">Loading the playground…</p>}>
      {/* The worker fetches ORT's runtime from /ort/<installed version>/ (app/ort), so the files can be cached for good. */}
      <PlaygroundPage name={name} version={version} ortVersion={installedOrtVersion()} modelDigest={modelDigest} />
    </Suspense>
  );
}
