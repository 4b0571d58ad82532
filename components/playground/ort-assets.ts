// URLs the playground loads at start: the model's bytes and onnxruntime-web's runtime files (served by app/ort).
// Plain functions, so the server page can emit preload hints for the same URLs the client fetches.

/**
 * Where the studio serves a version's ONNX bytes (the registry's REST route). With the bytes' sha256 digest the URL
 * names those very bytes, so the answer is cached for good (Cache-Control: immutable) and a second visit loads the
 * model from the browser's HTTP cache without a request; without it, each load revalidates.
 */
export function modelBytesUrl(name: string, version: string, digest?: string | null): string {
  const url = `/api/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/model.onnx`;
  return digest ? `${url}?digest=${encodeURIComponent(digest)}` : url;
}

/** The folder ORT's wasm backend loads its runtime from: versioned, so the files are cached for good. */
export function ortWasmPaths(ortVersion: string): string {
  return `/ort/${encodeURIComponent(ortVersion)}/`;
}

/** The runtime files ORT's wasm backend fetches (the SIMD + threads build and its Emscripten glue). */
export function ortRuntimeUrls(ortVersion: string): { wasm: string; glue: string } {
  const base = ortWasmPaths(ortVersion);
  return { wasm: `${base}ort-wasm-simd-threaded.wasm`, glue: `${base}ort-wasm-simd-threaded.mjs` };
}
