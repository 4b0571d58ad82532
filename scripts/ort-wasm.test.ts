// ORT's wasm served ahead of Next.js: a signed-in browser that accepts gzip gets the gzip made once, which inflates to
// the installed file byte for byte, with the headers the playground and its cache need; anything else falls through.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawGet } from "@/server/testing/raw-http";
import { SECURITY_HEADERS as TS_SECURITY_HEADERS } from "@/lib/security-headers";
import { acceptsGzip, createOrtWasmServer, ORT_WASM_FILE, SECURITY_HEADERS } from "./ort-wasm.mjs";

const version = (JSON.parse(readFileSync("node_modules/onnxruntime-web/package.json", "utf8")) as { version: string }).version;
const wasmPath = `/ort/${version}/${ORT_WASM_FILE}`;
const installed = readFileSync(`node_modules/onnxruntime-web/dist/${ORT_WASM_FILE}`);

let server: http.Server;
let base = "";
beforeAll(async () => {
  const ortWasm = createOrtWasmServer({ authOff: false });
  await ortWasm.ready;
  server = http.createServer((req, res) => {
    if (ortWasm.handle(req, res)) return;
    res.writeHead(418, { "content-type": "text/plain" }).end("fell through");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A raw request to this test's server. */
const get = (urlPath: string, headers: Record<string, string>, method = "GET") => rawGet(`${base}${urlPath}`, headers, method);

const signedIn = { cookie: "studio_session=abc", "accept-encoding": "gzip, deflate, br, zstd" };

describe("ORT's wasm gzipped ahead of Next.js", () => {
  it("answers a signed-in browser with a gzip of the installed wasm and the headers streaming compile and the cache need", async () => {
    const res = await get(wasmPath, signedIn);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/wasm");
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(installed.length / 3);
    expect(gunzipSync(res.body).equals(installed)).toBe(true);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(res.headers["vary"]).toBe("Accept-Encoding");
    expect(res.headers["cross-origin-resource-policy"]).toBe("same-origin");
    expect(res.headers["cross-origin-embedder-policy"]).toBe("require-corp");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    // A query string (none is used today) names the same file.
    expect((await get(`${wasmPath}?v=1`, signedIn)).status).toBe(200);
    const head = await get(wasmPath, signedIn, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it("leaves to Next.js what it must decide: no session, no gzip, another version or file, another method", async () => {
    expect((await get(wasmPath, { "accept-encoding": "gzip" })).status).toBe(418);
    expect((await get(wasmPath, { cookie: "studio_session=", "accept-encoding": "gzip" })).status).toBe(418);
    expect((await get(wasmPath, { cookie: "studio_session=abc" })).status).toBe(418);
    expect((await get(wasmPath, { cookie: "studio_session=abc", "accept-encoding": "gzip;q=0, br" })).status).toBe(418);
    expect((await get(`/ort/0.0.1/${ORT_WASM_FILE}`, signedIn)).status).toBe(418);
    expect((await get(`/ort/${version}/ort-wasm-simd-threaded.mjs`, signedIn)).status).toBe(418);
    expect((await get(wasmPath, signedIn, "POST")).status).toBe(418);
  });

  it("reads Accept-Encoding as HTTP does", () => {
    expect(acceptsGzip("gzip")).toBe(true);
    expect(acceptsGzip("br, GZIP;q=0.5")).toBe(true);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("identity")).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });

  it("sends the security headers every answer of the studio carries", () => {
    expect(SECURITY_HEADERS).toEqual(TS_SECURITY_HEADERS);
  });
});
