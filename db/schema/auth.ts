// Accounts, web sessions, personal access tokens and the append-only audit log.
import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

export const users = pgTable(
  "users",
  {
    userId: text("user_id").primaryKey(),
    username: text("username").notNull(),
    displayName: text("display_name").notNull().default(""),
    passwordHash: text("password_hash").notNull(),
    role: text("role").notNull(),
    disabled: boolean("disabled").notNull().default(false),
    /** The studio language the user chose ("en", "fr"); null = follow the browser's Accept-Language. */
    locale: text("locale"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("users_username_uq").on(t.username)],
);

/** A web session; only the SHA-256 of its cookie value is stored, so a database leak yields no usable cookie. */
export const sessions = pgTable(
  "sessions",
  {
    sessionHash: text("session_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.userId, { onDelete: "cascade" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Personal access tokens: shown once, stored as SHA-256 (they are long random secrets, so a fast hash is enough). */
export const apiTokens = pgTable(
  "api_tokens",
  {
    tokenId: text("token_id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.userId, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** The first characters of the token, shown in lists so a user can tell tokens apart. */
    prefix: text("prefix").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }),
    lastUsedAt: bigint("last_used_at", { mode: "number" }),
    revokedAt: bigint("revoked_at", { mode: "number" }),
    /** What the token may do: "all" (everything its owner's role allows) or "serve" (only call serving endpoints). */
    scopes: jsonb("scopes").$type<string[]>().notNull().default(sql`'["all"]'::jsonb`),
  },
  (t) => [uniqueIndex("api_tokens_hash_uq").on(t.tokenHash), index("api_tokens_user_idx").on(t.userId)],
);

/** Append-only: a trigger (see the audit_log_append_only migration) refuses UPDATE and DELETE. */
export const auditLog = pgTable(
  "audit_log",
  {
    auditId: bigserial("audit_id", { mode: "number" }).primaryKey(),
    at: bigint("at", { mode: "number" }).notNull(),
    actorId: text("actor_id").notNull(),
    actorUsername: text("actor_username").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    before: jsonb("before").$type<Record<string, unknown> | null>(),
    after: jsonb("after").$type<Record<string, unknown> | null>(),
    meta: jsonb("meta").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_actor_idx").on(t.actorUsername, t.at),
    index("audit_log_target_idx").on(t.targetType, t.targetId),
  ],
);

/**
 * Failed sign-in counters (per account, per client, per account and client), in the database so every web
 * instance and serving process counts the same attempts. Fixed windows: one row per key, reset when its window ends.
 */
export const authThrottle = pgTable("auth_throttle", {
  throttleKey: text("throttle_key").primaryKey(),
  windowStartedAt: bigint("window_started_at", { mode: "number" }).notNull(),
  failures: integer("failures").notNull(),
});

/**
 * One row (id 1). `credentials_epoch` goes up in the transaction of every token revoke, password reset, account
 * disable or role change; a process that remembers verified tokens drops what it remembers when the epoch moved,
 * so a revoked credential stops working at once in every process at the cost of one primary-key read.
 */
export const authState = pgTable("auth_state", {
  id: integer("id").primaryKey(),
  credentialsEpoch: bigint("credentials_epoch", { mode: "number" }).notNull(),
});
