// tRPC procedures of the auth area: the current user, accounts (admin), tokens, permissions and the audit log.
import { z } from "zod";
import { anonymousProcedure, createTrpcRouter, permittedProcedure, protectedProcedure } from "../trpc";
import { authDisabled } from "./actor";
import { createUser, listUsers, resetUserPassword, setUserDisabled, setUserRole } from "./accounts";
import { listAuditEntries } from "./audit";
import { can, permissionTable, type Permission } from "./permissions";
import { getPreferences, setLocalePreference, zLocalePreference } from "./preferences";
import { zAuditQuery, zCreateToken, zCreateUser, zRole, zUsername } from "./schema";
import { createToken, listAllTokens, listOwnTokens, revokeAnyToken, revokeToken } from "./tokens";

const zTokenId = z.object({ tokenId: z.string().regex(/^[0-9a-f]{16}$/, "Token id must be the 16 hexadecimal characters shown in the tokens list") });

export const authRouter = createTrpcRouter({
  /** Who is signed in, what they may do, and whether accounts are switched off. */
  me: anonymousProcedure.query(({ ctx }) => ({
    actor: ctx.actor ? { username: ctx.actor.username, role: ctx.actor.role, via: ctx.actor.via } : null,
    authDisabled: authDisabled(),
    permissions: ctx.actor
      ? (Object.keys(permissionTable) as Permission[]).filter((p) => can(ctx.actor!, p))
      : [],
  })),
  permissionTable: protectedProcedure.query(() =>
    (Object.entries(permissionTable) as [Permission, (typeof permissionTable)[Permission]][]).map(([permission, entry]) => ({
      permission,
      description: entry.description,
      roles: [...entry.roles],
    })),
  ),
  users: protectedProcedure.query(({ ctx }) => listUsers(ctx)),
  createUser: protectedProcedure.input(zCreateUser).mutation(({ ctx, input }) => createUser(ctx, input)),
  setRole: protectedProcedure
    .input(z.object({ username: zUsername, role: zRole }))
    .mutation(({ ctx, input }) => setUserRole(ctx, input.username, input.role)),
  setDisabled: protectedProcedure
    .input(z.object({ username: zUsername, disabled: z.boolean() }))
    .mutation(({ ctx, input }) => setUserDisabled(ctx, input.username, input.disabled)),
  resetPassword: protectedProcedure
    .input(z.object({ username: zUsername }))
    .mutation(({ ctx, input }) => resetUserPassword(ctx, input.username)),
  /** The signed-in user's own preferences (language); any role may read and change its own. */
  preferences: protectedProcedure.query(({ ctx }) => getPreferences(ctx)),
  setLocale: protectedProcedure.input(zLocalePreference).mutation(({ ctx, input }) => setLocalePreference(ctx, input.locale)),
  tokens: protectedProcedure.query(({ ctx }) => listOwnTokens(ctx)),
  createToken: protectedProcedure.input(zCreateToken).mutation(({ ctx, input }) => createToken(ctx, input)),
  revokeToken: protectedProcedure.input(zTokenId).mutation(({ ctx, input }) => revokeToken(ctx, input.tokenId)),
  /** Admin: every user's tokens, and revoking any of them. */
  allTokens: protectedProcedure.query(({ ctx }) => listAllTokens(ctx)),
  revokeAnyToken: protectedProcedure.input(zTokenId).mutation(({ ctx, input }) => revokeAnyToken(ctx, input.tokenId)),
  auditLog: permittedProcedure("audit.read")
    .input(zAuditQuery)
    .query(({ ctx, input }) => listAuditEntries(ctx.db, input)),
});
