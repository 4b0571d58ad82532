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
import { authorize } from "./permissions";
import type { zCreateToken } from "./schema";
import { sha256 } from "./sessions";

export const TOKEN_PREFIX = "mops_";

export interface TokenSummary {
  tokenId: string;
  name: string;
  prefix: string;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
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
  };
  await ctx.db.transaction(async (tx) => {
    await tx.insert(apiTokens).values(row);
    await recordAudit(tx, ctx.actor, {
      action: "token.create",
      targetType: "token",
      targetId: row.tokenId,
      after: { name: row.name, prefix: row.prefix, expiresAt: row.expiresAt },
    });
  });
  return { token, summary: { ...row, lastUsedAt: null, revokedAt: null } };
}

export async function listOwnTokens(ctx: ServiceContext): Promise<TokenSummary[]> {
  authorize(ctx.actor, "tokens.manage-own");
  return ctx.db
    .select({
      tokenId: apiTokens.tokenId,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, ctx.actor.userId))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeToken(ctx: ServiceContext, tokenId: string): Promise<void> {
  authorize(ctx.actor, "tokens.manage-own");
  await ctx.db.transaction(async (tx) => {
    const revoked = await tx
      .update(apiTokens)
      .set({ revokedAt: Date.now() })
      .where(and(eq(apiTokens.tokenId, tokenId), eq(apiTokens.userId, ctx.actor.userId), isNull(apiTokens.revokedAt)))
      .returning({ name: apiTokens.name });
    if (!revoked.length) throw notFound(`You have no active token with id '${tokenId}'.`);
    await recordAudit(tx, ctx.actor, { action: "token.revoke", targetType: "token", targetId: tokenId, before: { name: revoked[0].name } });
  });
}

/** Last-used times are written at most once a minute per token, so busy clients do not write on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;

export async function actorFromToken(db: Database, token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const [row] = await db
    .select({
      tokenId: apiTokens.tokenId,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
      userId: users.userId,
      username: users.username,
      role: users.role,
      disabled: users.disabled,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.userId, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, sha256(token)));
  const now = Date.now();
  if (!row || row.disabled || row.revokedAt !== null || (row.expiresAt !== null && row.expiresAt <= now)) return null;
  if (row.lastUsedAt === null || now - row.lastUsedAt > LAST_USED_RESOLUTION_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.tokenId, row.tokenId));
  }
  return { userId: row.userId, username: row.username, role: row.role as Role, via: "token" };
}
