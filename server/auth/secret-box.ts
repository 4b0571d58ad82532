// Secrets the studio must keep but never show again (webhook signing secrets) are sealed with AES-256-GCM under the
// studio's secret key: STUDIO_SECRET_KEY when set (required when instances on several hosts share one database), else
// a key generated once into the data folder (`secret-key`, mode 0600). A copy of the database alone reveals nothing.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { studioDataDir } from "@/db/client";
import { DomainError } from "../errors";

const KEY_BYTES = 32;
const IV_BYTES = 12;
const FORMAT = "v1";
/** Binds a sealed value to what it is for: a sealed secret of another kind (later) cannot be passed off as this one. */
type Purpose = "webhook-secret";

const KEY_HELP = "32 random bytes written as 64 hex characters or in base64 (for example the output of `openssl rand -base64 32`)";

/** The key in STUDIO_SECRET_KEY's (or the key file's) text: 64 hex characters, or base64/base64url of 32 bytes. */
export function parseSecretKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : /^[A-Za-z0-9+/_-]+=*$/.test(trimmed) ? Buffer.from(trimmed, "base64") : null;
  if (!key || key.length !== KEY_BYTES) throw new Error(`${source} is not a usable key: it must be ${KEY_HELP}.`);
  return key;
}

/**
 * The key kept in `file`, created when missing: written whole to a private temp file, then linked into place, so no
 * process ever reads half a key, and two processes starting together agree on one (the second link fails, and that
 * process reads the winner's key instead of replacing it as a rename would).
 */
export function loadOrCreateKeyFile(file: string): Buffer {
  try {
    return readKeyFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    fs.writeFileSync(temp, `${randomBytes(KEY_BYTES).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    try {
      fs.linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
  return readKeyFile(file);
}

function readKeyFile(file: string): Buffer {
  const text = fs.readFileSync(file, "utf8");
  // A umask or a copy may have widened it: the key opens every sealed secret.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return parseSecretKey(text, file);
}

const holder = globalThis as unknown as { studioSecretKey?: Buffer };

/** The studio's key, read once per process. */
export function studioSecretKey(): Buffer {
  if (!holder.studioSecretKey) {
    const configured = process.env.STUDIO_SECRET_KEY;
    holder.studioSecretKey = configured?.trim() ? parseSecretKey(configured, "STUDIO_SECRET_KEY") : loadOrCreateKeyFile(path.join(studioDataDir(), "secret-key"));
  }
  return holder.studioSecretKey;
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url: a fresh IV each time, so sealing one secret twice gives two values. */
export function sealSecret(secret: string, purpose: Purpose, key: Buffer = studioSecretKey()): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(purpose));
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [FORMAT, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), sealed.toString("base64url")].join(".");
}

/** The secret a sealed value holds; a DomainError when it was sealed under another key (or altered). */
export function openSecret(sealed: string, purpose: Purpose, key: Buffer = studioSecretKey()): string {
  const [format, iv, tag, data] = sealed.split(".");
  if (format !== FORMAT || iv === undefined || tag === undefined || data === undefined) {
    throw new DomainError("INTERNAL_ERROR", "A stored secret is not in a format this studio reads: set a new one.");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new DomainError(
      "INTERNAL_ERROR",
      "A stored secret cannot be decrypted with this studio's key (STUDIO_SECRET_KEY, or secret-key in the data folder, changed since it was saved): restore that key, or set a new secret.",
    );
  }
}
