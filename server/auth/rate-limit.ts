// Sign-in attempt limiting, shared by every process through the database: per account, per client, and per both.
import { eq, inArray, lt, sql } from "drizzle-orm";
import { authThrottle } from "@/db/schema";
import type { Database } from "@/db/client";

type Executor = Pick<Database, "insert" | "update" | "delete">;

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

let lastSweepAt = 0;

/**
 * Counts an attempt before its password is checked and answers how many seconds to wait (0: go ahead). Counting
 * first, in one atomic upsert per counter, is what keeps parallel attempts inside the limit: checking, verifying
 * (argon2 takes a while) and recording afterwards would let a burst of simultaneous guesses all pass the check.
 * A correct password gives its attempt back (releaseSignInAttempt).
 */
export async function reserveSignInAttempt(db: Executor, username: string, clientAddress: string | null, now = Date.now()): Promise<number> {
  const expired = now - SIGN_IN_WINDOW_MS;
  let wait = 0;
  for (const { key, max } of keysFor(username, clientAddress)) {
    const [row] = await db
      .insert(authThrottle)
      .values({ throttleKey: key, windowStartedAt: now, failures: 1 })
      .onConflictDoUpdate({
        target: authThrottle.throttleKey,
        set: {
          failures: sql`case when ${authThrottle.windowStartedAt} <= ${expired} then 1 else ${authThrottle.failures} + 1 end`,
          windowStartedAt: sql`case when ${authThrottle.windowStartedAt} <= ${expired} then ${now} else ${authThrottle.windowStartedAt} end`,
        },
      })
      .returning({ failures: authThrottle.failures, windowStartedAt: authThrottle.windowStartedAt });
    if (row.failures > max) wait = Math.max(wait, Math.ceil((row.windowStartedAt + SIGN_IN_WINDOW_MS - now) / 1000));
  }
  // Bounded table: an attacker cycling usernames or addresses leaves rows that expire with their window.
  if (now - lastSweepAt > 60_000) {
    lastSweepAt = now;
    await db.delete(authThrottle).where(lt(authThrottle.windowStartedAt, expired));
  }
  return Math.max(wait, 0);
}

/**
 * A correct password: its reserved attempt does not count against the account or the client, and the
 * account+client counter starts again. The account counter keeps the failures, so an attacker gains no fresh
 * attempts from the owner signing in meanwhile.
 */
export async function releaseSignInAttempt(db: Executor, username: string, clientAddress: string | null): Promise<void> {
  const keys = keysFor(username, clientAddress)
    .map((k) => k.key)
    .filter((key) => !key.startsWith("account-client:"));
  await db
    .update(authThrottle)
    .set({ failures: sql`greatest(${authThrottle.failures} - 1, 0)` })
    .where(inArray(authThrottle.throttleKey, keys));
  if (clientAddress) await db.delete(authThrottle).where(eq(authThrottle.throttleKey, `account-client:${username}|${clientAddress}`));
}
