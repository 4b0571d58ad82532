"use client";
// On a model version's page, in the first idle moment: fetch and compile the playground's ORT wasm and fetch the
// model's bytes, so "Open playground" finds both in the browser's HTTP cache (their URLs are cacheable for good).
import { useEffect, useState } from "react";
import { modelBytesUrl, ortRuntimeUrls } from "./ort-assets";

type WarmUpState = "waiting" | "done" | "failed";

/** Nothing visible; its data-state says whether the runtime and the model are in the browser's cache yet. */
export function PlaygroundWarmUp({ name, version, modelDigest, ortVersion }: { name: string; version: string; modelDigest: string | null; ortVersion: string }) {
  const [state, setState] = useState<WarmUpState>("waiting");
  useEffect(() => {
    // Not for someone who asked to save data: the wasm is 3.7 MB gzipped.
    const connection = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection;
    if (connection?.saveData || typeof WebAssembly.compileStreaming !== "function") return;
    let cancelled = false;
    const warm = () => {
      const wasm = WebAssembly.compileStreaming(fetch(ortRuntimeUrls(ortVersion).wasm, { credentials: "same-origin" }));
      // Only a digest-named URL is cached for good; a plain one would be fetched again by the playground anyway.
      const model = modelDigest ? fetch(modelBytesUrl(name, version, modelDigest), { credentials: "same-origin" }).then((r) => r.arrayBuffer()) : Promise.resolve(null);
      Promise.all([wasm, model]).then(
        () => !cancelled && setState("done"),
        () => !cancelled && setState("failed"),
      );
    };
    // After the page's own work: idle time, or a second at most.
    const idle = typeof requestIdleCallback === "function" ? requestIdleCallback(warm, { timeout: 1_000 }) : null;
    const timer = idle === null ? setTimeout(warm, 200) : null;
    return () => {
      cancelled = true;
      if (idle !== null) cancelIdleCallback(idle);
      if (timer !== null) clearTimeout(timer);
    };
  }, [name, version, modelDigest, ortVersion]);
  return <span hidden data-testid="playground-warm-up" data-state={state} />;
}
