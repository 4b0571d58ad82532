// Sealing secrets at rest: what is stored reveals nothing and opens only under the key that sealed it, for its purpose;
// the key comes from STUDIO_SECRET_KEY in a form people can paste, or from a private key file made once.
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOrCreateKeyFile, openSecret, parseSecretKey, sealSecret } from "./secret-box";

describe("secret box", () => {
  const key = randomBytes(32);
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "studio-secret-key-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("seals a secret into a value that does not contain it and opens it again with the same key", () => {
    const secret = "whsec_the-customer-signing-secret";
    const sealed = sealSecret(secret, "webhook-secret", key);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(Buffer.from(secret).toString("base64url"));
    expect(openSecret(sealed, "webhook-secret", key)).toBe(secret);
    // A fresh IV each time: equal secrets are not recognisable in the table.
    expect(sealSecret(secret, "webhook-secret", key)).not.toBe(sealed);
  });

  it("refuses to open under another key, or a value that was altered, saying what to do", () => {
    const sealed = sealSecret("whsec_kept-apart-0001", "webhook-secret", key);
    expect(() => openSecret(sealed, "webhook-secret", randomBytes(32))).toThrow(/cannot be decrypted with this studio's key.*set a new secret/);
    const [format, iv, tag, data] = sealed.split(".");
    const flipped = Buffer.from(data!, "base64url");
    flipped[0] ^= 1;
    expect(() => openSecret([format, iv, tag, flipped.toString("base64url")].join("."), "webhook-secret", key)).toThrow(/cannot be decrypted/);
    expect(() => openSecret("plain-text-secret", "webhook-secret", key)).toThrow(/not in a format this studio reads/);
  });

  it("reads STUDIO_SECRET_KEY as 64 hex characters or base64 of 32 bytes, and rejects anything else with how to make one", () => {
    expect(parseSecretKey(key.toString("hex"), "STUDIO_SECRET_KEY").equals(key)).toBe(true);
    expect(parseSecretKey(` ${key.toString("base64")}\n`, "STUDIO_SECRET_KEY").equals(key)).toBe(true);
    expect(parseSecretKey(key.toString("base64url"), "STUDIO_SECRET_KEY").equals(key)).toBe(true);
    expect(() => parseSecretKey("correct horse battery staple", "STUDIO_SECRET_KEY")).toThrow(/STUDIO_SECRET_KEY is not a usable key.*openssl rand -base64 32/);
    expect(() => parseSecretKey(randomBytes(16).toString("hex"), "STUDIO_SECRET_KEY")).toThrow(/not a usable key/);
  });

  it("makes the key file once, readable by its owner only, and reads the same key afterwards", async () => {
    const file = path.join(dir, "data", "secret-key");
    const made = loadOrCreateKeyFile(file);
    expect(made).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKeyFile(file).equals(made)).toBe(true);
    expect(parseSecretKey(await readFile(file, "utf8"), file).equals(made)).toBe(true);
    // A copy that widened it is narrowed again when read; no temp file is left behind.
    await chmod(file, 0o644);
    expect(loadOrCreateKeyFile(file).equals(made)).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const { readdir } = await import("node:fs/promises");
    expect(await readdir(path.dirname(file))).toEqual(["secret-key"]);
  });
});
