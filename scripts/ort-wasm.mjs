// onnxruntime-web's 14 MB wasm, gzipped once per process and served ahead of Next.js (scripts/server.mjs).
//
// Next.js's response compression gzips the file again for every browser that fetches it (~350 ms of the server's CPU
// per first visit, and the browser's streaming compile waits on it), and an App Router route cannot send bytes it
// compressed ahead: Next drops Content-Encoding and Content-Length from its answer. So the server answers this one
// URL itself, with the gzip made once at start-up (in libuv's thread pool, off the event loop). Until that gzip is
// ready, for clients that do not accept gzip, and for every other URL, app/ort answers as before.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";

const gzipAsync = promisify(gzip);

export const ORT_WASM_FILE = "ort-wasm-simd-threaded.wasm";

// What proxy.ts does for /ort/ (a page path there): without a session cookie, a sign-in redirect. Requests without
// one fall through to Next.js, which answers them as it always did.
const SESSION_COOKIE = "studio_session";

// lib/security-headers.ts's SECURITY_HEADERS (this file is plain JS; scripts/ort-wasm.test.ts checks they agree).
export const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
};

/** True when an Accept-Encoding header value accepts gzip (by name or `*`, with a non-zero q). */
export function acceptsGzip(header) {
  if (typeof header !== "string") return false;
  return header.split(",").some((part) => {
    const [coding, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    if (coding !== "gzip" && coding !== "*") return false;
    const q = params.find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * Answers a body gzipped once ahead: cached for good (its URL names its version or content hash), with the
 * cross-origin isolation headers the playground needs of everything it loads (COEP require-corp, as app/ort and
 * next.config.js's /_next/static headers give them), and no body for HEAD.
 */
export function sendGzippedAhead(req, res, { body, type, headers = {} }) {
  res.writeHead(200, {
    ...headers,
    "Content-Type": type,
    "Content-Encoding": "gzip",
    "Content-Length": String(body.length),
    Vary: "Accept-Encoding",
    "Cache-Control": "public, max-age=31536000, immutable",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

function hasSessionCookie(cookieHeader) {
  if (typeof cookieHeader !== "string") return false;
  return cookieHeader.split(";").some((pair) => pair.trim().startsWith(`${SESSION_COOKIE}=`) && pair.trim().length > SESSION_COOKIE.length + 1);
}

/**
 * Reads and gzips the installed onnxruntime-web's wasm in the background; `handle(req, res)` answers its URL
 * (`/ort/<version>/ort-wasm-simd-threaded.wasm`) once the gzip is ready and returns true, or returns false.
 */
export function createOrtWasmServer({ packageDir = path.join(process.cwd(), "node_modules", "onnxruntime-web"), authOff = process.env.STUDIO_AUTH === "off" } = {}) {
  let prepared = null;
  const ready = (async () => {
    const { version } = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8"));
    const bytes = await readFile(path.join(packageDir, "dist", ORT_WASM_FILE));
    // Level 9: made once, and 14 MB becomes ~3.7 MB (the browser inflates it in well under 100 ms).
    const body = await gzipAsync(bytes, { level: 9 });
    prepared = { urlPath: `/ort/${encodeURIComponent(version)}/${ORT_WASM_FILE}`, body };
  })().catch((error) => {
    // Not fatal: app/ort serves the file (Next.js gzips it per request).
    console.warn(`[studio] ORT's wasm is served by Next.js: it could not be gzipped ahead (${error instanceof Error ? error.message : error})`);
  });

  function handle(req, res) {
    if (prepared === null || (req.method !== "GET" && req.method !== "HEAD")) return false;
    if ((req.url ?? "/").split("?", 1)[0] !== prepared.urlPath) return false;
    if (!acceptsGzip(req.headers["accept-encoding"])) return false;
    if (!authOff && !hasSessionCookie(req.headers.cookie)) return false;
    // application/wasm: what lets ORT's WebAssembly.instantiateStreaming compile while the bytes arrive, and
    // Chromium keep the compiled code in its cache beside this response.
    sendGzippedAhead(req, res, { body: prepared.body, type: "application/wasm", headers: SECURITY_HEADERS });
    return true;
  }

  return { ready, handle };
}
