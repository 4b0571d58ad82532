// Personal access tokens for scripts and the MLflow client: create (shown once), list, revoke, authenticate.
import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { z } from "zod";
import { apiTokens, users } from "@/db/schema";
import type { Database } from "@/db/client";
import { notFound } from "../errors";
import type { ServiceContext } from "../service-context";
import type { Actor, Role } from "./actor";
import { recordAudit } from "./audit";
import { changeCredentials, knownCredentialsEpoch, outageCredentialsGraceMs, readCredentialsEpoch } from "./credentials-epoch";
import { isDatabaseUnavailable } from "@/db/availability";
import { authorize } from "./permissions";
import type { zCreateToken } from "./schema";
import { sha256 } from "./sessions";

export const TOKEN_PREFIX = "mops_";

/** What a token may do: "all" = everything its owner may do; "serve" = only the model serving endpoints. */
export const TOKEN_SCOPES = ["all", "serve"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface TokenSummary {
  tokenId: string;
  name: string;
  prefix: string;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
  scopes: string[];
}

export async function createToken(
  ctx: ServiceContext,
  input: z.output<typeof zCreateToken>,
): Promise<{ token: string; summary: TokenSummary }> {
  authorize(ctx.actor, "tokens.manage-own");
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const now = Date.now();
  const row = {
    tokenId: randomBytes(8).toString("hex"),
    userId: ctx.actor.userId,
    name: input.name,
    tokenHash: sha256(token),
    prefix: token.slice(0, TOKEN_PREFIX.length + 6),
    createdAt: now,
    expiresAt: input.expiresInDays ? now + input.expiresInDays * 86_400_000 : null,
    scopes: [input.scope ?? "all"],
  };
  await ctx.db.transaction(async (tx) => {
    await tx.insert(apiTokens).values(row);
    await recordAudit(tx, ctx.actor, {
      action: "token.create",
      targetType: "token",
      targetId: row.tokenId,
      after: { name: row.name, prefix: row.prefix, expiresAt: row.expiresAt, scopes: row.scopes },
    });
  });
  // Named field by field: the row holds the token's hash and owner id, which no answer carries.
  const summary: TokenSummary = {
    tokenId: row.tokenId,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: null,
    revokedAt: null,
    scopes: row.scopes,
  };
  return { token, summary };
}

/** What a token list shows: never the hash, nor the owner's id. */
const tokenSummaryColumns = {
  tokenId: apiTokens.tokenId,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  createdAt: apiTokens.createdAt,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
  scopes: apiTokens.scopes,
};

export async function listOwnTokens(ctx: ServiceContext): Promise<TokenSummary[]> {
  authorize(ctx.actor, "tokens.manage-own");
  return ctx.db
    .select(tokenSummaryColumns)
    .from(apiTokens)
    .where(eq(apiTokens.userId, ctx.actor.userId))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeToken(ctx: ServiceContext, tokenId: string): Promise<void> {
  authorize(ctx.actor, "tokens.manage-own");
  await revoke(ctx, tokenId, ctx.actor.userId);
}

/** Every user's tokens with their owner, newest first: for the admin's tokens page. */
export async function listAllTokens(ctx: ServiceContext): Promise<(TokenSummary & { owner: string })[]> {
  authorize(ctx.actor, "tokens.manage-any");
  return ctx.db
    .select({ ...tokenSummaryColumns, owner: users.username })
    .from(apiTokens)
    .innerJoin(users, eq(users.userId, apiTokens.userId))
    .orderBy(desc(apiTokens.createdAt))
    .limit(5000);
}

/** An admin revokes anyone's token (a leaked laptop, a departed colleague); the audit entry names the owner. */
export async function revokeAnyToken(ctx: ServiceContext, tokenId: string): Promise<void> {
  authorize(ctx.actor, "tokens.manage-any");
  await revoke(ctx, tokenId, null);
}

async function revoke(ctx: ServiceContext, tokenId: string, ownerId: string | null): Promise<void> {
  await changeCredentials(ctx.db, async (tx) => {
    const revoked = await tx
      .update(apiTokens)
      .set({ revokedAt: Date.now() })
      .where(and(eq(apiTokens.tokenId, tokenId), ownerId === null ? undefined : eq(apiTokens.userId, ownerId), isNull(apiTokens.revokedAt)))
      .returning({ name: apiTokens.name, userId: apiTokens.userId });
    if (!revoked.length) {
      throw notFound(ownerId === null ? `No active token has id '${tokenId}'; it may be revoked already.` : `You have no active token with id '${tokenId}'.`);
    }
    const [owner] = await tx.select({ username: users.username }).from(users).where(eq(users.userId, revoked[0].userId));
    await recordAudit(tx, ctx.actor, {
      action: "token.revoke",
      targetType: "token",
      targetId: tokenId,
      before: { name: revoked[0].name, owner: owner?.username ?? null, revokedAt: null },
    });
  });
}

/** Last-used times are written at most once a minute per token, so busy clients do not write on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** A verified token: who it acts for and what it may do. */
export interface TokenGrant {
  actor: Actor;
  scopes: string[];
}

/**
 * Verified tokens are remembered so hot paths (model serving) do not join tokens and users on every call. An
 * entry holds only while the shared credentials epoch (see credentials-epoch.ts) is the one it was verified
 * under: a revoke, reset, disable or role change anywhere advances the epoch, and every process then verifies
 * again, so a revoked token stops working at once in every process. TOKEN_GRANT_CACHE_MS bounds an entry's life.
 */
export const TOKEN_GRANT_CACHE_MS = Number(process.env.STUDIO_TOKEN_CACHE_MS) || 2_000;
const TOKEN_GRANT_CACHE_MAX = 10_000;
const tokenGrantCache = new Map<string, { grant: TokenGrant | null; until: number; expiresAt: number | null; epoch: number; refreshing?: boolean }>();

/** Forgets every remembered token (tests). */
export function clearTokenGrantCache(): void {
  tokenGrantCache.clear();
}

/**
 * The sha256 of the tokens seen last: a serving caller sends the same token on every request, and hashing it cost
 * ~5 µs of the serving thread each time. A pure function of the token, so nothing to invalidate; bounded like the
 * grant cache (a caller spraying made-up tokens only refills it).
 */
const tokenHashes = new Map<string, string>();
const TOKEN_HASHES_MAX = 1_000;

function tokenHashOf(token: string): string {
  let hash = tokenHashes.get(token);
  if (hash === undefined) {
    hash = sha256(token);
    if (tokenHashes.size >= TOKEN_HASHES_MAX) tokenHashes.clear();
    tokenHashes.set(token, hash);
  }
  return hash;
}

/**
 * What grantFromToken would give at once from memory — the epoch known and the token verified under it within its
 * period — or undefined when it would have to wait (a read, a verification, a refresh: then call grantFromToken).
 */
export function grantKnownNow(db: Database, token: string): TokenGrant | null | undefined {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const epoch = knownCredentialsEpoch(db);
  if (epoch === undefined) return undefined;
  const now = Date.now();
  const cached = tokenGrantCache.get(tokenHashOf(token));
  if (cached && cached.epoch === epoch && (cached.expiresAt === null || cached.expiresAt > now) && cached.until > now) return cached.grant;
  return undefined;
}

export async function grantFromToken(db: Database, token: string): Promise<TokenGrant | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const hash = tokenHashOf(token);
  const now = Date.now();
  const epoch = await readCredentialsEpoch(db);
  const cached = tokenGrantCache.get(hash);
  if (cached && cached.epoch === epoch && (cached.expiresAt === null || cached.expiresAt > now)) {
    if (cached.until > now) return cached.grant;
    // Nothing moved the epoch (no revoke, disable or role change anywhere): the grant is verified again, once, while
    // requests keep it for one more period instead of each waiting on the join (serving's tail latency).
    if (cached.until + TOKEN_GRANT_CACHE_MS > now) {
      if (!cached.refreshing) {
        cached.refreshing = true;
        verifyToken(db, hash, epoch, now).catch(() => {
          cached.refreshing = false;
        });
      }
      return cached.grant;
    }
  }
  try {
    return await verifyToken(db, hash, epoch, now);
  } catch (error) {
    // A database outage: the grant verified last under this same epoch holds for a bounded time (see
    // outageCredentialsGraceMs in credentials-epoch.ts for why that is safe), so serving keeps answering its callers.
    const verifiedAt = cached ? cached.until - TOKEN_GRANT_CACHE_MS : 0;
    if (cached && cached.epoch === epoch && (cached.expiresAt === null || cached.expiresAt > now) && isDatabaseUnavailable(error) && now - verifiedAt < outageCredentialsGraceMs()) {
      return cached.grant;
    }
    throw error;
  }
}

/** Reads a token by its hash and remembers what it grants under `epoch`. */
async function verifyToken(db: Database, hash: string, epoch: number, now: number): Promise<TokenGrant | null> {
  const [row] = await db
    .select({
      tokenId: apiTokens.tokenId,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
      scopes: apiTokens.scopes,
      userId: users.userId,
      username: users.username,
      role: users.role,
      disabled: users.disabled,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.userId, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, hash));
  let grant: TokenGrant | null = null;
  if (row && !row.disabled && row.revokedAt === null && (row.expiresAt === null || row.expiresAt > now)) {
    if (row.lastUsedAt === null || now - row.lastUsedAt > LAST_USED_RESOLUTION_MS) {
      await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.tokenId, row.tokenId));
    }
    grant = {
      actor: { userId: row.userId, username: row.username, role: row.role as Role, via: "token" },
      scopes: Array.isArray(row.scopes) && row.scopes.length ? row.scopes : ["all"],
    };
  }
  if (tokenGrantCache.size >= TOKEN_GRANT_CACHE_MAX) tokenGrantCache.clear();
  tokenGrantCache.set(hash, { grant, until: now + TOKEN_GRANT_CACHE_MS, expiresAt: row?.expiresAt ?? null, epoch });
  return grant;
}

export async function actorFromToken(db: Database, token: string): Promise<Actor | null> {
  return (await grantFromToken(db, token))?.actor ?? null;
}

/** True when the token may only call the serving endpoints. */
export function isServeOnly(scopes: readonly string[]): boolean {
  return !scopes.includes("all");
}
