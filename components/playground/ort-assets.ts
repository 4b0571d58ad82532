// URLs the playground loads at start: the model's bytes and onnxruntime-web's runtime files (served by app/ort).
// Plain functions, so the server page can emit preload hints for the same URLs the client fetches.

/** Where the studio serves a version's ONNX bytes (the registry's REST route). */
export function modelBytesUrl(name: string, version: string): string {
  return `/api/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/model.onnx`;
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
