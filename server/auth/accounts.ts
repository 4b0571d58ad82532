// Account services: the first admin, creating users, roles, disabling, listing.
import { randomBytes } from "node:crypto";
import { asc, count, eq } from "drizzle-orm";
import type { z } from "zod";
import { sessions, users } from "@/db/schema";
import type { Database } from "@/db/client";
import { DomainError, notFound } from "../errors";
import type { ServiceContext } from "../service-context";
import { systemActor, type Role } from "./actor";
import { recordAudit } from "./audit";
import { changeCredentials } from "./credentials-epoch";
import { generatePassword, hashPassword } from "./passwords";
import { authorize } from "./permissions";
import type { zCreateUser } from "./schema";

export interface PublicUser {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: number;
}

function toPublicUser(row: typeof users.$inferSelect): PublicUser {
  return {
    userId: row.userId,
    username: row.username,
    displayName: row.displayName,
    role: row.role as Role,
    disabled: row.disabled,
    createdAt: row.createdAt,
  };
}

/** Inserts a user; the caller has checked permissions. Used by the admin service and first start. */
async function insertUser(
  db: Pick<Database, "insert" | "select">,
  input: { username: string; displayName?: string; password: string; role: Role },
): Promise<PublicUser> {
  const existing = await db.select({ id: users.userId }).from(users).where(eq(users.username, input.username));
  if (existing.length) throw new DomainError("RESOURCE_ALREADY_EXISTS", `A user named '${input.username}' already exists; choose another username.`);
  const now = Date.now();
  const [row] = await db
    .insert(users)
    .values({
      userId: randomBytes(12).toString("hex"),
      username: input.username,
      displayName: input.displayName ?? "",
      passwordHash: await hashPassword(input.password),
      role: input.role,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return toPublicUser(row);
}

/**
 * On first start with no accounts, creates `admin` with STUDIO_ADMIN_PASSWORD or a generated
 * one-time password, which is returned so start-up can print it once. It is never logged elsewhere.
 */
export async function ensureAdminAccount(db: Database): Promise<{ created: boolean; password?: string; generated?: boolean }> {
  const [{ n }] = await db.select({ n: count() }).from(users);
  if (n > 0) return { created: false };
  const fromEnv = process.env.STUDIO_ADMIN_PASSWORD;
  const password = fromEnv && fromEnv.length >= 10 ? fromEnv : generatePassword();
  await db.transaction(async (tx) => {
    const admin = await insertUser(tx, { username: "admin", displayName: "Administrator", password, role: "admin" });
    await recordAudit(tx, systemActor, { action: "user.create", targetType: "user", targetId: admin.username, after: { role: "admin" } });
  });
  return { created: true, password, generated: password !== fromEnv };
}

/** Creates an account without an acting admin: for the demo seed's users. */
export async function createUserAsSystem(db: Database, input: z.output<typeof zCreateUser>): Promise<PublicUser> {
  return db.transaction(async (tx) => {
    const user = await insertUser(tx, input);
    await recordAudit(tx, systemActor, { action: "user.create", targetType: "user", targetId: user.username, after: { role: user.role } });
    return user;
  });
}

export async function createUser(ctx: ServiceContext, input: z.output<typeof zCreateUser>): Promise<PublicUser> {
  authorize(ctx.actor, "users.manage");
  return ctx.db.transaction(async (tx) => {
    const user = await insertUser(tx, input);
    await recordAudit(tx, ctx.actor, {
      action: "user.create",
      targetType: "user",
      targetId: user.username,
      after: { role: user.role, displayName: user.displayName },
    });
    return user;
  });
}

export async function listUsers(ctx: ServiceContext): Promise<PublicUser[]> {
  authorize(ctx.actor, "users.manage");
  const rows = await ctx.db.select().from(users).orderBy(asc(users.username));
  return rows.map(toPublicUser);
}

async function findUser(db: Pick<Database, "select">, username: string) {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  if (!row) throw notFound(`No user named '${username}'.`);
  return row;
}

async function countActiveAdmins(db: Pick<Database, "select">): Promise<number> {
  const rows = await db.select({ role: users.role, disabled: users.disabled }).from(users);
  return rows.filter((r) => r.role === "admin" && !r.disabled).length;
}

export async function setUserRole(ctx: ServiceContext, username: string, role: Role): Promise<PublicUser> {
  authorize(ctx.actor, "users.manage");
  return changeCredentials(ctx.db, async (tx) => {
    const row = await findUser(tx, username);
    if (row.role === role) return toPublicUser(row);
    if (row.role === "admin" && !row.disabled && (await countActiveAdmins(tx)) <= 1) {
      throw new DomainError("INVALID_STATE", `'${username}' is the last active admin; make another user admin first.`);
    }
    const [updated] = await tx.update(users).set({ role, updatedAt: Date.now() }).where(eq(users.userId, row.userId)).returning();
    await recordAudit(tx, ctx.actor, { action: "user.role", targetType: "user", targetId: username, before: { role: row.role }, after: { role } });
    return toPublicUser(updated);
  });
}

/** Disabling ends the account's sessions and revokes nothing else: its tokens stop working because authentication checks `disabled`. */
export async function setUserDisabled(ctx: ServiceContext, username: string, disabled: boolean): Promise<PublicUser> {
  authorize(ctx.actor, "users.manage");
  return changeCredentials(ctx.db, async (tx) => {
    const row = await findUser(tx, username);
    if (row.disabled === disabled) return toPublicUser(row);
    if (disabled && row.userId === ctx.actor.userId) throw new DomainError("INVALID_STATE", "You cannot disable your own account.");
    if (disabled && row.role === "admin" && (await countActiveAdmins(tx)) <= 1) {
      throw new DomainError("INVALID_STATE", `'${username}' is the last active admin; make another user admin first.`);
    }
    const [updated] = await tx.update(users).set({ disabled, updatedAt: Date.now() }).where(eq(users.userId, row.userId)).returning();
    if (disabled) await tx.delete(sessions).where(eq(sessions.userId, row.userId));
    await recordAudit(tx, ctx.actor, {
      action: disabled ? "user.disable" : "user.enable",
      targetType: "user",
      targetId: username,
      before: { disabled: row.disabled },
      after: { disabled },
    });
    return toPublicUser(updated);
  });
}

export async function resetUserPassword(ctx: ServiceContext, username: string): Promise<{ password: string }> {
  authorize(ctx.actor, "users.manage");
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await changeCredentials(ctx.db, async (tx) => {
    const row = await findUser(tx, username);
    await tx.update(users).set({ passwordHash, updatedAt: Date.now() }).where(eq(users.userId, row.userId));
    await tx.delete(sessions).where(eq(sessions.userId, row.userId));
    await recordAudit(tx, ctx.actor, { action: "user.password-reset", targetType: "user", targetId: username });
  });
  return { password };
}
