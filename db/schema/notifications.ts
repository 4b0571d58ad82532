// Telling people: the outbox of studio events, admins' webhooks and their delivery log, in-studio notifications, retention runs.
import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { registeredModels } from "./registry";
import type { ServerSentence } from "@/lib/i18n/server-sentence";

/**
 * The outbox: one row per event worth telling (review requested, promotion, canary stopped…), written in the
 * transaction of the change (recordAudit writes it for the audited actions) and fanned out later, off the request path,
 * into webhook deliveries and notifications.
 */
export const studioEvents = pgTable(
  "studio_events",
  {
    eventId: bigserial("event_id", { mode: "number" }).primaryKey(),
    type: text("type").notNull(),
    at: bigint("at", { mode: "number" }).notNull(),
    /** One sentence for people (Slack's `text`, the notification). */
    text: text("text").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /**
     * `text` as a catalogue code and its values, for the pages (delivery log, bell) in the reader's language. Kept
     * beside `data`, not in it: the webhook body sends `data` and stays as it was.
     */
    message: jsonb("message").$type<ServerSentence>(),
    /** Set once deliveries and notifications were made for it. */
    fannedOutAt: bigint("fanned_out_at", { mode: "number" }),
  },
  (t) => [index("studio_events_pending_idx").on(t.eventId).where(sql`fanned_out_at is null`)],
);

/**
 * A webhook an admin configured. The secret signs each body (HMAC-SHA256); it is kept encrypted (server/notifications/
 * secret-box.ts), shown once at creation and never sent back again.
 */
export const webhooks = pgTable("webhooks", {
  hookId: bigserial("hook_id", { mode: "number" }).primaryKey(),
  name: text("name").notNull(),
  url: text("url").notNull(),
  /** A secret stored before encryption at rest (migration 0028): sealed into `sealedSecret` and cleared at startup. */
  plainSecret: text("secret"),
  /** The secret, AES-256-GCM under the studio's secret key: `v1.<iv>.<tag>.<ciphertext>` (base64url). */
  sealedSecret: text("sealed_secret"),
  /** The secret's last four characters, so an admin can tell secrets apart without the studio decrypting them to list. */
  secretHint: text("secret_hint").notNull().default(""),
  /** Event types it receives (server/notifications/schema.ts studioEventTypes). */
  events: jsonb("events").$type<string[]>().notNull(),
  enabled: boolean("enabled").notNull().default(true),
  createdBy: text("created_by").notNull(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
});

/** One event sent (or being sent) to one hook: the delivery log, with its retries. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    deliveryId: bigserial("delivery_id", { mode: "number" }).primaryKey(),
    hookId: bigint("hook_id", { mode: "number" })
      .notNull()
      .references(() => webhooks.hookId, { onDelete: "cascade" }),
    eventId: bigint("event_id", { mode: "number" })
      .notNull()
      .references(() => studioEvents.eventId, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    /** pending (waiting for its next attempt), sending, delivered, failed (attempts exhausted). */
    status: text("status").$type<"pending" | "sending" | "delivered" | "failed">().notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: bigint("next_attempt_at", { mode: "number" }).notNull(),
    lastAttemptAt: bigint("last_attempt_at", { mode: "number" }),
    responseCode: integer("response_code"),
    error: text("error"),
    /** `error` as a catalogue code and its values, for the delivery log in the reader's language. */
    errorMessage: jsonb("error_message").$type<ServerSentence>(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`status in ('pending', 'sending')`),
    index("webhook_deliveries_hook_idx").on(t.hookId, t.deliveryId),
  ],
);

/** A notification inside the studio for one person (the bell in the header). */
export const notifications = pgTable(
  "notifications",
  {
    notificationId: bigserial("notification_id", { mode: "number" }).primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.userId, { onDelete: "cascade" }),
    eventId: bigint("event_id", { mode: "number" }).references(() => studioEvents.eventId, { onDelete: "set null" }),
    type: text("type").notNull(),
    text: text("text").notNull(),
    /** A studio path to open (e.g. /reviews/12), or null. */
    link: text("link"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    readAt: bigint("read_at", { mode: "number" }),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.notificationId)],
);

/** One run of the retention job for one model: what it deleted, so the monitoring settings can show that it ran. */
export const retentionRuns = pgTable(
  "retention_runs",
  {
    runId: bigserial("run_id", { mode: "number" }).primaryKey(),
    modelId: bigint("model_id", { mode: "number" })
      .notNull()
      .references(() => registeredModels.modelId, { onDelete: "cascade" }),
    at: bigint("at", { mode: "number" }).notNull(),
    retentionDays: integer("retention_days").notNull(),
    inferenceRowsDeleted: integer("inference_rows_deleted").notNull(),
    feedbackRowsDeleted: integer("feedback_rows_deleted").notNull(),
  },
  (t) => [index("retention_runs_model_idx").on(t.modelId, t.at)],
);
