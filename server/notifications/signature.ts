// Webhook signatures: HMAC-SHA256 over "<timestamp>.<raw body>", so a receiver can check both who sent a body and that it is fresh.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-studio-signature";
export const TIMESTAMP_HEADER = "x-studio-timestamp";
/** How old a signed timestamp a receiver should still accept (replay window). */
export const SIGNATURE_TOLERANCE_S = 300;

export function signWebhookBody(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex")}`;
}

/**
 * What a receiver does (and what our tests do): recompute the signature over the timestamp and raw body, compare in
 * constant time, and refuse a timestamp outside the replay window.
 */
export function verifyWebhookSignature(
  secret: string,
  input: { signature: string | null | undefined; timestamp: string | null | undefined; body: string },
  nowSeconds = Math.floor(Date.now() / 1000),
): { ok: true } | { ok: false; reason: string } {
  const timestamp = Number(input.timestamp);
  if (!input.timestamp || !Number.isInteger(timestamp)) return { ok: false, reason: "missing or malformed timestamp" };
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_S) return { ok: false, reason: "timestamp outside the replay window" };
  if (!input.signature) return { ok: false, reason: "missing signature" };
  const expected = Buffer.from(signWebhookBody(secret, timestamp, input.body));
  const given = Buffer.from(input.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "signature does not match" };
  return { ok: true };
}
