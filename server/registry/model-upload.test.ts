// POST /api/models/upload through its route handler: a 16 MB model is accepted whole, one over STUDIO_MAX_MODEL_BYTES
// gets 413 saying the limit, and proxy.ts (which cuts bodies at 10 MB) does not stand in front of the route.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/models/upload/route";
import { config } from "@/proxy";
import { createUserAsSystem } from "../auth/accounts";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { createToken } from "../auth/tokens";
import { createTestStudio, type TestStudio } from "../testing/test-database";
import { onnxProtobuf } from "./onnx-introspection";
import { readModelVersionOnnx } from "./onnx-versions";

/** iris-logreg carrying an extra (unused) 16 MB initializer: a real model past the proxy's 10 MB cut. */
async function sixteenMegabyteModel(): Promise<Uint8Array> {
  const model = onnxProtobuf.ModelProto.decode(new Uint8Array(await readFile(path.join(import.meta.dirname, "../../fixtures/models/iris-logreg.onnx"))));
  const floats = 4 * 1024 * 1024;
  const raw = new Uint8Array(floats * 4);
  for (let i = 0; i < raw.length; i += 4097) raw[i] = i & 0xff;
  model.graph!.initializer!.push(onnxProtobuf.TensorProto.create({ name: "padding", dims: [floats], dataType: onnxProtobuf.TensorProto.DataType.FLOAT, rawData: raw }));
  return onnxProtobuf.ModelProto.encode(model).finish();
}

describe("model upload route", () => {
  let studio: TestStudio;
  let token: string;
  const globals = globalThis as { studioDb?: Promise<unknown>; studioArtifacts?: unknown };

  beforeAll(async () => {
    studio = await createTestStudio("pglite");
    // The route handler opens the process-wide database and artifact store: point them at this test's.
    globals.studioDb = Promise.resolve(studio.handle);
    globals.studioArtifacts = studio.artifacts;
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: "uma", password: "uma-password-1", role: "editor" }));
    token = (await createToken(studio.as({ userId: user.userId, username: "uma", role: "editor", via: "session" }), zCreateToken.parse({ name: "u" }))).token;
  });
  afterEach(() => {
    delete process.env.STUDIO_MAX_MODEL_BYTES;
  });
  afterAll(async () => {
    delete globals.studioDb;
    delete globals.studioArtifacts;
    await studio.close();
  });

  const upload = (bytes: Uint8Array, withLength = true) =>
    POST(
      new Request("http://studio.test/api/models/upload?name=big", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream", ...(withLength ? { "content-length": String(bytes.byteLength) } : {}) },
        body: Buffer.from(bytes),
      }),
    );

  it("accepts a 16 MB model whole and stores exactly its bytes", async () => {
    const bytes = await sixteenMegabyteModel();
    expect(bytes.byteLength).toBeGreaterThan(16 * 1024 * 1024);
    const response = await upload(bytes);
    expect(response.status, await response.clone().text()).toBe(201);
    expect(await response.json()).toEqual({ name: "big", version: "1" });
    const stored = await readModelVersionOnnx(studio.as({ userId: "x", username: "x", role: "viewer", via: "session" }), "big", "1");
    expect(stored.digest).toBe(createHash("sha256").update(bytes).digest("hex"));
  });

  it("answers 413 with the limit when the file is over STUDIO_MAX_MODEL_BYTES, declared or not", async () => {
    process.env.STUDIO_MAX_MODEL_BYTES = String(8 * 1024 * 1024);
    const bytes = await sixteenMegabyteModel();
    for (const withLength of [true, false]) {
      const response = await upload(bytes, withLength);
      expect(response.status).toBe(413);
      expect((await response.json()).message).toMatch(/larger than the 8 MiB model upload limit \(STUDIO_MAX_MODEL_BYTES\)/);
    }
  });

  it("is not behind proxy.ts, which buffers bodies and cuts them at 10 MB", () => {
    const matcher = new RegExp(`^${config.matcher[0]!.source}$`);
    expect(matcher.test("/api/models/upload")).toBe(false);
    expect(matcher.test("/models/big")).toBe(true);
  });
});
