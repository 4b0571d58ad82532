// The build's static chunks gzipped ahead of Next.js: a browser that accepts gzip gets the gzip made once, which
// inflates to the file byte for byte, with the headers Next.js gives these files; anything else falls through.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawGet } from "@/server/testing/raw-http";
import { createStaticGzipServer } from "./static-gzip.mjs";

const dir = mkdtempSync(path.join(os.tmpdir(), "static-gzip-test-"));
const staticDir = path.join(dir, ".next", "static");
const script = Buffer.from(`self.chunk=${JSON.stringify("x".repeat(5000))};\n`.repeat(20));
const style = Buffer.from(".card{color:red}\n".repeat(400));
mkdirSync(path.join(staticDir, "chunks"), { recursive: true });
mkdirSync(path.join(staticDir, "build-id"), { recursive: true });
writeFileSync(path.join(staticDir, "chunks", "0abc-12.js"), script);
writeFileSync(path.join(staticDir, "chunks", "9xyz.css"), style);
writeFileSync(path.join(staticDir, "chunks", "0abc-12.js.map"), "{}");
writeFileSync(path.join(staticDir, "build-id", "_buildManifest.js"), "self.__BUILD_MANIFEST={};");
writeFileSync(path.join(dir, "secret.js"), "not served");

let server: http.Server;
let base = "";
beforeAll(async () => {
  const chunks = createStaticGzipServer({ staticDir });
  await chunks.ready;
  server = http.createServer((req, res) => {
    if (chunks.handle(req, res)) return;
    res.writeHead(418, { "content-type": "text/plain" }).end("fell through");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** A raw request to this test's server. */
const get = (urlPath: string, headers: Record<string, string>, method = "GET") => rawGet(`${base}${urlPath}`, headers, method);

const browser = { "accept-encoding": "gzip, deflate, br, zstd" };

describe("static chunks gzipped ahead of Next.js", () => {
  it("answers a JS chunk with a gzip of the file and the headers Next.js gives it", async () => {
    const res = await get("/_next/static/chunks/0abc-12.js", browser);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/javascript; charset=UTF-8");
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    expect(gunzipSync(res.body).equals(script)).toBe(true);
    expect(res.body.length).toBeLessThan(script.length / 10);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(res.headers["vary"]).toBe("Accept-Encoding");
    // The playground's scoring worker is a static chunk: an isolated page's worker needs these (next.config.js).
    expect(res.headers["cross-origin-embedder-policy"]).toBe("require-corp");
    expect(res.headers["cross-origin-resource-policy"]).toBe("same-origin");
    const head = await get("/_next/static/chunks/0abc-12.js", browser, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it("answers CSS and files in nested folders, a query string naming the same file", async () => {
    const css = await get("/_next/static/chunks/9xyz.css?v=1", browser);
    expect(css.headers["content-type"]).toBe("text/css; charset=UTF-8");
    expect(gunzipSync(css.body).equals(style)).toBe(true);
    expect((await get("/_next/static/build-id/_buildManifest.js", browser)).status).toBe(200);
  });

  it("leaves to Next.js what it does not hold or cannot answer so", async () => {
    const fellThrough = async (urlPath: string, headers: Record<string, string>, method = "GET") => (await get(urlPath, headers, method)).status;
    expect(await fellThrough("/_next/static/chunks/missing.js", browser)).toBe(418);
    expect(await fellThrough("/_next/static/chunks/0abc-12.js.map", browser)).toBe(418);
    expect(await fellThrough("/_next/static/../../secret.js", browser)).toBe(418);
    expect(await fellThrough("/_next/static/chunks/0abc-12.js", { "accept-encoding": "identity" })).toBe(418);
    expect(await fellThrough("/_next/static/chunks/0abc-12.js", {})).toBe(418);
    expect(await fellThrough("/_next/static/chunks/0abc-12.js", { ...browser, range: "bytes=0-10" })).toBe(418);
    expect(await fellThrough("/_next/static/chunks/0abc-12.js", browser, "POST")).toBe(418);
  });

  it("falls through for everything when the build has no static folder", async () => {
    const none = createStaticGzipServer({ staticDir: path.join(dir, "nothing-here") });
    await none.ready;
    const req = { method: "GET", url: "/_next/static/chunks/0abc-12.js", headers: browser } as unknown as http.IncomingMessage;
    expect(none.handle(req, {} as http.ServerResponse)).toBe(false);
  });
});
