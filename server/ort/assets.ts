// Serves onnxruntime-web's wasm runtime (node_modules/onnxruntime-web/dist) from the studio itself, so the playground needs no CDN.
import { createReadStream, readFileSync } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";

const ORT_PACKAGE = path.join(process.cwd(), "node_modules", "onnxruntime-web");
const ORT_DIST = path.join(ORT_PACKAGE, "dist");

// The files the wasm backend fetches at run time (SIMD + threads build; its Emscripten glue also starts the pthread
// workers). Nothing else in dist/ is served: the JS API itself is bundled into the scoring worker.
export const ORT_RUNTIME_FILES = new Map([
  ["ort-wasm-simd-threaded.wasm", "application/wasm"],
  ["ort-wasm-simd-threaded.mjs", "text/javascript; charset=utf-8"],
]);

let installedVersion: string | undefined;

/** The installed onnxruntime-web version; it is part of every asset URL, so the files may be cached for good. */
export function installedOrtVersion(): string {
  installedVersion ??= (JSON.parse(readFileSync(path.join(ORT_PACKAGE, "package.json"), "utf8")) as { version: string }).version;
  return installedVersion;
}

export interface OrtAsset {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  size: number;
}

/** Opens one allow-listed runtime file, or null for anything else: another version, other names, links out of dist/. */
export async function openOrtAsset(version: string, file: string): Promise<OrtAsset | null> {
  if (version !== installedOrtVersion()) return null;
  const contentType = ORT_RUNTIME_FILES.get(file);
  if (contentType === undefined) return null;
  try {
    const root = await realpath(ORT_DIST);
    const resolved = await realpath(path.join(ORT_DIST, file));
    if (!resolved.startsWith(root + path.sep)) return null;
    const info = await stat(resolved);
    if (!info.isFile()) return null;
    const body = Readable.toWeb(createReadStream(resolved)) as ReadableStream<Uint8Array>;
    return { body, contentType, size: info.size };
  } catch {
    return null;
  }
}
