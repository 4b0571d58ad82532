// Sign-in attempt limiting, shared by every process through the database: per account, per client, and per both.
import { inArray, lt, sql } from "drizzle-orm";
import { authThrottle } from "@/db/schema";
import type { Database } from "@/db/client";

type Executor = Pick<Database, "select" | "insert" | "delete">;

export const SIGN_IN_WINDOW_MS = 15 * 60_000;

/**
 * Failures allowed per window. The account limit holds whatever address the attempts claim to come from, so
 * rotating X-Forwarded-For buys nothing; the tighter account+client limit lets the account's owner in from
 * elsewhere while one client is being refused; the client limit stops one address trying many accounts.
 */
export const SIGN_IN_LIMITS = { account: 10, client: 50, accountAndClient: 5 } as const;

interface ThrottleKey {
  key: string;
  max: number;
}

/** The counters an attempt touches. Without a trusted client address (see clientAddressOf) only the account counts. */
function keysFor(username: string, clientAddress: string | null): ThrottleKey[] {
  const keys: ThrottleKey[] = [{ key: `account:${username}`, max: SIGN_IN_LIMITS.account }];
  if (clientAddress) {
    keys.push({ key: `client:${clientAddress}`, max: SIGN_IN_LIMITS.client });
    keys.push({ key: `account-client:${username}|${clientAddress}`, max: SIGN_IN_LIMITS.accountAndClient });
  }
  return keys;
}

/** Seconds to wait before this username may be tried again from this client; 0 when it may now. */
export async function signInRetryAfterSeconds(db: Executor, username: string, clientAddress: string | null, now = Date.now()): Promise<number> {
  const keys = keysFor(username, clientAddress);
  const rows = await db
    .select()
    .from(authThrottle)
    .where(inArray(authThrottle.throttleKey, keys.map((k) => k.key)));
  let wait = 0;
  for (const row of rows) {
    const max = keys.find((k) => k.key === row.throttleKey)!.max;
    const endsAt = row.windowStartedAt + SIGN_IN_WINDOW_MS;
    if (row.failures >= max && endsAt > now) wait = Math.max(wait, Math.ceil((endsAt - now) / 1000));
  }
  return wait;
}

let lastSweepAt = 0;

/** Counts one failed attempt on every counter it touches (one statement per counter, atomic under concurrency). */
export async function recordSignInFailure(db: Executor, username: string, clientAddress: string | null, now = Date.now()): Promise<void> {
  const expired = now - SIGN_IN_WINDOW_MS;
  for (const { key } of keysFor(username, clientAddress)) {
    await db
      .insert(authThrottle)
      .values({ throttleKey: key, windowStartedAt: now, failures: 1 })
      .onConflictDoUpdate({
        target: authThrottle.throttleKey,
        set: {
          failures: sql`case when ${authThrottle.windowStartedAt} <= ${expired} then 1 else ${authThrottle.failures} + 1 end`,
          windowStartedAt: sql`case when ${authThrottle.windowStartedAt} <= ${expired} then ${now} else ${authThrottle.windowStartedAt} end`,
        },
      });
  }
  // Bounded table: an attacker cycling usernames or addresses leaves rows that expire with their window.
  if (now - lastSweepAt > 60_000) {
    lastSweepAt = now;
    await db.delete(authThrottle).where(lt(authThrottle.windowStartedAt, expired));
  }
}

/**
 * A successful sign-in clears its account+client counter only: the account counter keeps counting, so an
 * attacker gains no fresh attempts from the owner signing in meanwhile.
 */
export async function clearSignInFailures(db: Executor, username: string, clientAddress: string | null): Promise<void> {
  if (!clientAddress) return;
  await db.delete(authThrottle).where(inArray(authThrottle.throttleKey, [`account-client:${username}|${clientAddress}`]));
}
