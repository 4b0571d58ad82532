// Web sessions: sign-in with a password (rate limited), cookie → actor, sign-out.
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import { sessions, users } from "@/db/schema";
import type { Database } from "@/db/client";
import { DomainError } from "../errors";
import type { Actor, Role } from "./actor";
import { recordAudit } from "./audit";
import { timingDummyHash, verifyPassword } from "./passwords";
import { releaseSignInAttempt, reserveSignInAttempt } from "./rate-limit";

export const SESSION_COOKIE = "studio_session";
export const SESSION_TTL_MS = Number(process.env.STUDIO_SESSION_HOURS ?? 12) * 3600_000;

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Checks a username and password and opens a session. The same message answers an unknown user,
 * a wrong password and a disabled account, so the form does not reveal which accounts exist.
 */
export async function signIn(
  db: Database,
  input: { username: string; password: string; /** The client address when known (see clientAddressOf), else null. */ clientKey: string | null },
): Promise<{ cookieValue: string; expiresAt: number; actor: Actor; /** The user's chosen language; null = follow the browser. */ locale: string | null }> {
  const username = input.username.trim().toLowerCase();
  const wait = await reserveSignInAttempt(db, username, input.clientKey);
  if (wait > 0) {
    throw new DomainError("REQUEST_LIMIT_EXCEEDED", `Too many failed sign-in attempts. Try again in ${wait} seconds.`);
  }
  const [user] = await db.select().from(users).where(eq(users.username, username));
  const ok = user ? await verifyPassword(user.passwordHash, input.password) : await verifyPassword(await timingDummyHash(), input.password);
  if (!user || !ok || user.disabled) {
    throw new DomainError("UNAUTHENTICATED", "Wrong username or password.");
  }
  await releaseSignInAttempt(db, username, input.clientKey);
  const cookieValue = randomBytes(32).toString("base64url");
  const now = Date.now();
  const expiresAt = now + SESSION_TTL_MS;
  const actor: Actor = { userId: user.userId, username: user.username, role: user.role as Role, via: "session" };
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(lt(sessions.expiresAt, now));
    await tx.insert(sessions).values({ sessionHash: sha256(cookieValue), userId: user.userId, createdAt: now, expiresAt });
    await recordAudit(tx, actor, { action: "session.sign-in", targetType: "user", targetId: user.username });
  });
  return { cookieValue, expiresAt, actor, locale: user.locale };
}

/** The actor behind a session cookie, or null when it is unknown, expired or its account is disabled. */
export async function actorFromSession(db: Database, cookieValue: string): Promise<Actor | null> {
  const [row] = await db
    .select({ userId: users.userId, username: users.username, role: users.role, disabled: users.disabled })
    .from(sessions)
    .innerJoin(users, eq(users.userId, sessions.userId))
    .where(and(eq(sessions.sessionHash, sha256(cookieValue)), gt(sessions.expiresAt, Date.now())));
  if (!row || row.disabled) return null;
  return { userId: row.userId, username: row.username, role: row.role as Role, via: "session" };
}

export async function signOut(db: Database, cookieValue: string, actor: Actor | null): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.sessionHash, sha256(cookieValue)));
    if (actor) await recordAudit(tx, actor, { action: "session.sign-out", targetType: "user", targetId: actor.username });
  });
}
