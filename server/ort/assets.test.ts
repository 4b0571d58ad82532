// The ORT asset route serves only the allow-listed runtime files of the installed version, and nothing outside dist/.
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/ort/[version]/[file]/route";
import { installedOrtVersion, openOrtAsset, ORT_RUNTIME_FILES } from "./assets";

const version = installedOrtVersion();
const get = (v: string, file: string) => GET(new Request(`http://studio.test/ort/${v}/${file}`), { params: Promise.resolve({ version: v, file }) });

describe("ORT runtime assets", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it("serves each allow-listed file with its type, isolation headers and immutable caching", async () => {
    expect(version).toMatch(/^1\.\d+\.\d+/);
    for (const [file, type] of ORT_RUNTIME_FILES) {
      const response = await get(version, file);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(type);
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
      const body = new Uint8Array(await response.arrayBuffer());
      const onDisk = await readFile(path.join("node_modules/onnxruntime-web/dist", file));
      expect(body.length).toBe(onDisk.length);
      expect(Number(response.headers.get("content-length"))).toBe(onDisk.length);
    }
    const wasm = new Uint8Array(await (await get(version, "ort-wasm-simd-threaded.wasm")).arrayBuffer());
    expect(Array.from(wasm.subarray(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]);
  });

  it("answers 404 for other versions, other dist files, traversal and odd names", async () => {
    expect((await get("0.0.1", "ort-wasm-simd-threaded.wasm")).status).toBe(404);
    for (const file of ["ort.min.js", "ort.node.min.mjs", "ort-wasm-simd-threaded.jsep.wasm", "../package.json", "..%2Fpackage.json", "", "ort-wasm-simd-threaded.wasm/"]) {
      expect((await get(version, file)).status, file).toBe(404);
    }
  });

  it("refuses an allow-listed name that resolves outside dist/ (a link out)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "ort-assets-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const fakePackage = path.join(dir, "node_modules", "onnxruntime-web");
    await mkdir(path.join(fakePackage, "dist"), { recursive: true });
    await writeFile(path.join(fakePackage, "package.json"), JSON.stringify({ version }));
    await writeFile(path.join(fakePackage, "dist", "ort-wasm-simd-threaded.wasm"), "\0asm");
    await writeFile(path.join(dir, "secret.mjs"), "export const secret = 1;");
    await symlink(path.join(dir, "secret.mjs"), path.join(fakePackage, "dist", "ort-wasm-simd-threaded.mjs"));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      // A fresh module instance so its paths are taken from this working directory.
      vi.resetModules();
      const fresh = await import("./assets");
      expect(await fresh.openOrtAsset(version, "ort-wasm-simd-threaded.mjs")).toBeNull();
      expect(await fresh.openOrtAsset(version, "ort-wasm-simd-threaded.wasm")).toMatchObject({ size: 4, contentType: "application/wasm" });
    } finally {
      process.chdir(cwd);
    }
    expect(await openOrtAsset(version, "ort-wasm-simd-threaded.mjs")).not.toBeNull();
  });
});
