// A model version's playground: onnxruntime-web in the browser, cross-origin isolated by next.config.js for threads.
import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { modelBytesUrl, ortRuntimeUrls } from "@/components/playground/ort-assets";
import { PlaygroundPage } from "@/components/playground/playground-page";
import { earlyPredictScriptSource } from "@/components/playground/early-predict-script";
import styles from "@/components/playground/playground.module.css";
import { installedOrtVersion } from "@/server/ort/assets";
import { currentPageActor } from "@/server/auth/page-actor";
import { getServiceContext } from "@/server/service-context";
import { playgroundPageData } from "@/server/registry/playground-form";
import type { ProfiledColumn } from "@/components/playground/training-context";
import type { ModelVersionDetail } from "@/server/registry/schema";
import { MoreClientMessages } from "@/components/i18n/client-messages";

/** The page's data for the signed-in reader (server/registry/playground-form.ts); nothing when no one is signed in. */
async function playgroundVersion(
  name: string,
  version: string,
): Promise<{ detail: ModelVersionDetail | null; digest: string | null; trainingProfile: ProfiledColumn[] | null | undefined }> {
  const actor = await currentPageActor();
  if (!actor) return { detail: null, digest: null, trainingProfile: undefined };
  return playgroundPageData(await getServiceContext(actor), name, version);
}

export async function generateMetadata({ params }: { params: Promise<{ name: string; version: string }> }): Promise<Metadata> {
  const { name, version } = await params;
  return { title: (await getTranslations("playground"))("metaTitle", { name, version }) };
}

export default async function ModelPlaygroundPage({ params }: { params: Promise<{ name: string; version: string }> }) {
  const { name, version } = await params;
  // Registry versions are whole positive numbers; anything else is not a page.
  if (!/^\d+$/.test(version) || Number(version) < 1) notFound();
  const ort = ortRuntimeUrls(installedOrtVersion());
  // Named by its digest, the model's URL is cached for good: a returning visitor's browser has the bytes already.
  const { detail, digest: modelDigest, trainingProfile } = await playgroundVersion(name, version);
  // Hints in the document's head (React hoists these <link>s there): the browser fetches ORT's 14 MB wasm, its glue and
  // the model's bytes while it is still parsing the page and its scripts, so the playground finds them there when it
  // starts ORT. They match the requests that follow (fetch() and ORT's streaming compile both ask same-origin, with
  // credentials). Elements, not react-dom's preload(): called from this server component, preload() reached the
  // browser only as a hint in the RSC payload, which React applies once the page's scripts run (the wasm's fetch
  // started 0.3-0.4 s after the document's last byte in traced first visits). Low priority: the page's own styles and
  // scripts, which the form and hydration wait for, go first.
  const runtimeHints = (
    <>
      <link rel="preload" href={ort.wasm} as="fetch" crossOrigin="anonymous" type="application/wasm" fetchPriority="low" />
      <link rel="modulepreload" href={ort.glue} />
      <link rel="preload" href={modelBytesUrl(name, version, modelDigest)} as="fetch" crossOrigin="anonymous" fetchPriority="low" />
    </>
  );
  // No Suspense boundary around it: React streams a boundary's content in a hidden element revealed by an inline
  // script, so the form and its Predict would not be there for the browser before (or without) the page's scripts.
  // The worker fetches ORT's runtime from /ort/<installed version>/ (app/ort), so the files can be cached for good.
  // Before the form in the document, so it runs (with this request's CSP nonce) before a press can land: a Predict
  // pressed before hydration is answered by it through the JSON route, without waiting for the app's scripts.
  const earlyEndpoint = `/api/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/playground-row`;
  // The early answer's words, from the reader's catalogue (placeholders left for the script to fill in).
  const t = await getTranslations("playground");
  const texts = { locale: await getLocale(), predictedLabel: t("predictedLabel"), outputName: t("outputName", { name: "{name}" }), latency: t("latency.early", { runMs: "{runMs}", roundTripMs: "{roundTripMs}" }) };
  const earlyScript = earlyPredictScriptSource(earlyEndpoint, { bars: styles.bars, bar: styles.bar, predicted: styles.predicted, track: styles.track, fill: styles.fill, hint: styles.hint }, texts);
  return (
    <MoreClientMessages namespaces={["playground", "reasons"]}>
      {runtimeHints}
      <script nonce={(await headers()).get("x-nonce") ?? undefined} dangerouslySetInnerHTML={{ __html: earlyScript }} />
      <PlaygroundPage name={name} version={version} ortVersion={installedOrtVersion()} modelDigest={modelDigest} initialDetail={detail} trainingProfile={trainingProfile} />
    </MoreClientMessages>
  );
}
