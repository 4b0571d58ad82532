// GET /api/models/<name>/versions/<v>/model.onnx: revalidated when plain, cached for good when the URL names the digest.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { modelBytesUrl } from "@/components/playground/ort-assets";
import { handleModelOnnxDownload } from "./onnx-http";
import { registerOnnxUpload } from "./onnx-versions";

const viewer: Actor = { userId: "u-viewer", username: "vera", role: "viewer", via: "session" };

describe.each(testBackends)("model bytes route on %s", (backend) => {
  let studio: TestStudio;
  let bytes: Uint8Array;
  let digest: string;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    bytes = new Uint8Array(await readFile(path.join(import.meta.dirname, "../../fixtures/models/breast-cancer-rf-v1.onnx")));
    digest = createHash("sha256").update(bytes).digest("hex");
    await registerOnnxUpload(studio, { name: "bc model", bytes });
  });
  afterAll(async () => studio.close());

  function get(url: string, headers: Record<string, string> = {}) {
    const request = new Request(`http://studio.test${url}`, { headers });
    return handleModelOnnxDownload(request, Promise.resolve({ name: encodeURIComponent("bc model"), version: "1" }), async () => studio.as(viewer));
  }

  it("without a digest: the bytes, revalidated on every use by their ETag", async () => {
    const response = await get(modelBytesUrl("bc model", "1"));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    expect(response.headers.get("etag")).toBe(`"${digest}"`);
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    expect((await get(modelBytesUrl("bc model", "1"), { "if-none-match": `"${digest}"` })).status).toBe(304);
  });

  it("with the version's digest in the URL: the same bytes, cached for good (never by a shared cache)", async () => {
    const url = modelBytesUrl("bc model", "1", digest);
    expect(url).toBe(`/api/models/bc%20model/versions/1/model.onnx?digest=${digest}`);
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });

  it("a digest that is not the version's is 404, and a malformed one 400 saying what a digest is", async () => {
    const other = await get(modelBytesUrl("bc model", "1", "0".repeat(64)));
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ error_code: "RESOURCE_DOES_NOT_EXIST", message: expect.stringContaining("reload the page") });
    const malformed = await get(`${modelBytesUrl("bc model", "1")}?digest=abc`);
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).message).toMatch(/sha256 digest/);
  });
});
