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
import { frenchTypography } from "../testing/said-error";

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

  const post = (query: string, body: Uint8Array, headers: Record<string, string> = {}) =>
    POST(
      new Request(`http://studio.test/api/models/upload${query}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream", ...headers },
        body: Buffer.from(body),
      }),
    );
  const refusal = async (response: Response) => ({ status: response.status, language: response.headers.get("content-language"), ...((await response.json()) as { error_code: string; message: string }) });
  const french = { "accept-language": "fr-FR,fr;q=0.9,en;q=0.5" };

  it("says its refusals in the caller's language: French for a French browser or language cookie, English byte for byte otherwise", async () => {
    const noName = "Missing 'name' query parameter: the registered model to add a version to.";
    expect(await refusal(await post("", new Uint8Array(4)))).toEqual({ status: 400, language: "en", error_code: "INVALID_PARAMETER_VALUE", message: noName });
    expect(await refusal(await post("", new Uint8Array(4), { "accept-language": "de-DE, *" }))).toMatchObject({ language: "en", message: noName });
    expect(await refusal(await post("", new Uint8Array(4), french))).toEqual({
      status: 400,
      language: "fr",
      error_code: "INVALID_PARAMETER_VALUE",
      message: frenchTypography("Paramètre de requête « name » manquant : le modèle enregistré auquel ajouter une version."),
    });
    // The language cookie (the user's setting) wins over the browser's language, as on the pages.
    expect(await refusal(await post("?name=empty", new Uint8Array(0), { cookie: "studio_locale=fr", "accept-language": "en" }))).toEqual({
      status: 400,
      language: "fr",
      error_code: "INVALID_PARAMETER_VALUE",
      message: frenchTypography("Le fichier est vide : envoyez un fichier de modèle .onnx."),
    });
    expect(await refusal(await post("?name=empty", new Uint8Array(0), { cookie: "studio_locale=en", ...french }))).toMatchObject({ language: "en", message: "The file is empty: upload an .onnx model file." });
  });

  it("says the upload limit in the caller's language and number format, MiB or bytes", async () => {
    const bytes = await sixteenMegabyteModel();
    const cases: [string, string, string][] = [
      [String(8 * 1024 * 1024), "8 MiB", "8 Mio"],
      [String(1.5 * 1024 * 1024), "1.5 MiB", "1,5 Mio"],
      ["1000", "1000 bytes", "1\u202f000 octets"],
    ];
    for (const [limit, english, frenchLimit] of cases) {
      process.env.STUDIO_MAX_MODEL_BYTES = limit;
      expect(await refusal(await post("?name=big", bytes))).toEqual({
        status: 413,
        language: "en",
        error_code: "REQUEST_TOO_LARGE",
        message: `The ONNX file is larger than the ${english} model upload limit (STUDIO_MAX_MODEL_BYTES); export a smaller model or ask an administrator to raise the limit.`,
      });
      expect(await refusal(await post("?name=big", bytes, french))).toEqual({
        status: 413,
        language: "fr",
        error_code: "REQUEST_TOO_LARGE",
        message: frenchTypography(
          `Le fichier ONNX dépasse la limite d’envoi des modèles, ${frenchLimit} (STUDIO_MAX_MODEL_BYTES) ; exportez un modèle plus petit ou demandez à un administrateur de relever la limite.`,
        ),
      });
    }
  });

  it("says the shared permission refusal in the caller's language too (it has a catalogue sentence now)", async () => {
    const viewer = await createUserAsSystem(studio.db, zCreateUser.parse({ username: "vic", password: "vic-password-1", role: "viewer" }));
    const viewerToken = (await createToken(studio.as({ userId: viewer.userId, username: "vic", role: "viewer", via: "session" }), zCreateToken.parse({ name: "v" }))).token;
    const response = await POST(
      new Request("http://studio.test/api/models/upload?name=x", { method: "POST", headers: { authorization: `Bearer ${viewerToken}`, ...french }, body: Buffer.from(new Uint8Array(4)) }),
    );
    expect(await refusal(response)).toMatchObject({ status: 403, language: "fr", error_code: "PERMISSION_DENIED", message: expect.stringMatching(/^Permission refusée\u00a0: «\u00a0vic\u00a0» a le rôle «\u00a0viewer\u00a0»/) });
  });

  it("is not behind proxy.ts, which buffers bodies and cuts them at 10 MB", () => {
    const matcher = new RegExp(`^${config.matcher[0]!.source}$`);
    expect(matcher.test("/api/models/upload")).toBe(false);
    expect(matcher.test("/models/big")).toBe(true);
  });
});
