// The build's JS and CSS chunks (/_next/static/…), gzipped once per process and served ahead of Next.js
// (scripts/server.mjs).
//
// Next.js gzips every static chunk again for every browser that fetches it. A first visit of a page fetches its
// chunks (~300 KB of JS and CSS for the playground) while its document is still arriving, and that compression runs
// on the one event loop that is also writing the document: under load the document's last byte (and the form in it)
// came 100-300 ms later than without those fetches. The chunks are immutable (their names are their content's hash),
// so each is compressed once, at start-up in libuv's thread pool, and answered from memory with the headers Next.js
// gives them. Until that is done, for clients that do not accept gzip, for range requests and for every other URL,
// Next.js answers as before.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { acceptsGzip, sendGzippedAhead } from "./ort-wasm.mjs";

const gzipAsync = promisify(gzip);

/** The types Next.js sends these files with (its static file handler's). */
export const STATIC_TYPES = new Map([
  [".js", "application/javascript; charset=UTF-8"],
  [".css", "text/css; charset=UTF-8"],
]);

async function filesUnder(dir) {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)])));
  return nested.flat();
}

/**
 * Reads and gzips the build's static JS and CSS in the background; `handle(req, res)` answers one of their URLs
 * (`/_next/static/<path>`) from memory and returns true once it is ready, or returns false.
 */
export function createStaticGzipServer({ staticDir = path.join(process.cwd(), ".next", "static") } = {}) {
  /** URL path → the gzip and its type; filled as a whole, so a request never sees half of it. */
  let files = null;
  const ready = (async () => {
    const prepared = new Map();
    for (const file of await filesUnder(staticDir)) {
      const type = STATIC_TYPES.get(path.extname(file));
      if (type === undefined) continue;
      const body = await gzipAsync(await readFile(file), { level: 9 });
      prepared.set(`/_next/static/${path.relative(staticDir, file).split(path.sep).join("/")}`, { body, type });
    }
    files = prepared;
  })().catch((error) => {
    console.warn(`[studio] the static chunks are gzipped by Next.js per request: they could not be gzipped ahead (${error instanceof Error ? error.message : error})`);
  });

  function handle(req, res) {
    if (files === null || (req.method !== "GET" && req.method !== "HEAD")) return false;
    const file = files.get((req.url ?? "/").split("?", 1)[0]);
    if (file === undefined || req.headers.range !== undefined || !acceptsGzip(req.headers["accept-encoding"])) return false;
    // As Next.js answers them (the hash in the name changes with the content), with next.config.js's headers for
    // /_next/static (the playground's scoring worker is one of these chunks).
    sendGzippedAhead(req, res, file);
    return true;
  }

  return { ready, handle };
}
