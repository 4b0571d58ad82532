// Admins' webhooks: create, change, delete, list with their delivery log, and send a delivery again. Secrets are kept
// sealed (auth/secret-box.ts): given back once, at creation, and never read again but to sign a delivery.
import { randomBytes } from "node:crypto";
import { desc, eq, isNotNull, sql } from "drizzle-orm";
import { studioEvents, webhookDeliveries, webhooks } from "@/db/schema";
import { queryRows, type Database } from "@/db/client";
import { recordAudit } from "../auth/audit";
import { openSecret, sealSecret } from "../auth/secret-box";
import { authorize } from "../auth/permissions";
import { DomainError } from "../errors";
import type { ServiceContext } from "../service-context";
import type { CreateWebhookInput, UpdateWebhookInput, WebhookDelivery, WebhookSummary } from "./schema";
import { zCreateWebhook } from "./schema";
import { eventMessage } from "./events";

/** Only the origin goes to the audit log: chat-tool hook URLs carry their own secret in the path. */
function auditedUrl(url: string): string {
  return new URL(url).origin;
}

function secretHint(secret: string): string {
  return `…${secret.slice(-4)}`;
}

/** The columns that store a new secret: sealed, with its hint, and no plain copy. */
function storedSecret(secret: string) {
  return { sealedSecret: sealSecret(secret, "webhook-secret"), secretHint: secretHint(secret), plainSecret: null };
}

/** The secret that signs a hook's deliveries (a row from before sealing still holds it plain until the next start). */
export function signingSecretOf(hook: { sealedSecret: string | null; plainSecret: string | null }): string {
  if (hook.sealedSecret !== null) return openSecret(hook.sealedSecret, "webhook-secret");
  if (hook.plainSecret !== null) return hook.plainSecret;
  throw new DomainError("INTERNAL_ERROR", "This webhook has no secret: set a new one on the Webhooks page.");
}

/**
 * Seals the secrets stored plain before migration 0028 (SQL cannot: it has no key), once, at start-up; returns how many.
 * Each row is sealed only if its plain secret is still the one read, so a secret changed meanwhile is never overwritten.
 */
export async function sealPlainWebhookSecrets(db: Database): Promise<number> {
  const plain = await db.select({ hookId: webhooks.hookId, secret: webhooks.plainSecret }).from(webhooks).where(isNotNull(webhooks.plainSecret));
  if (!plain.length) return 0;
  const sealed = await queryRows<{ hook_id: number }>(
    db,
    sql`update webhooks w set sealed_secret = v.sealed, secret = null
        from (select unnest(${sql.param(plain.map((p) => p.hookId))}::bigint[]) as hook_id,
                     unnest(${sql.param(plain.map((p) => p.secret!))}::text[]) as plain,
                     unnest(${sql.param(plain.map((p) => sealSecret(p.secret!, "webhook-secret")))}::text[]) as sealed) v
        where w.hook_id = v.hook_id and w.secret = v.plain
        returning w.hook_id`,
  );
  return sealed.length;
}

async function findWebhook(ctx: ServiceContext, hookId: number) {
  const [row] = await ctx.db.select().from(webhooks).where(eq(webhooks.hookId, hookId));
  if (!row) throw new DomainError("RESOURCE_DOES_NOT_EXIST", `Webhook ${hookId} does not exist (it may have been deleted): reload the webhooks page.`);
  return row;
}

export async function listWebhooks(ctx: ServiceContext): Promise<WebhookSummary[]> {
  authorize(ctx.actor, "webhooks.manage");
  const rows = await ctx.db
    .select({
      hook: webhooks,
      delivered: sql<number>`count(${webhookDeliveries.deliveryId}) filter (where ${webhookDeliveries.status} = 'delivered')::int`,
      failed: sql<number>`count(${webhookDeliveries.deliveryId}) filter (where ${webhookDeliveries.status} = 'failed')::int`,
      pending: sql<number>`count(${webhookDeliveries.deliveryId}) filter (where ${webhookDeliveries.status} in ('pending', 'sending'))::int`,
    })
    .from(webhooks)
    .leftJoin(webhookDeliveries, eq(webhookDeliveries.hookId, webhooks.hookId))
    .groupBy(webhooks.hookId)
    .orderBy(webhooks.hookId);
  return rows.map(({ hook, delivered, failed, pending }) => ({
    hookId: hook.hookId,
    name: hook.name,
    url: hook.url,
    secretHint: hook.secretHint,
    events: hook.events,
    enabled: hook.enabled,
    createdBy: hook.createdBy,
    createdAt: hook.createdAt,
    deliveries: { delivered, failed, pending },
  }));
}

/** Returns the secret once (generated when none was given): the receiver needs it to check signatures. */
export async function createWebhook(ctx: ServiceContext, input: CreateWebhookInput): Promise<{ hookId: number; secret: string }> {
  authorize(ctx.actor, "webhooks.manage");
  const parsed = zCreateWebhook.parse(input);
  const secret = parsed.secret ?? `whsec_${randomBytes(24).toString("base64url")}`;
  const now = Date.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhooks)
      .values({ name: parsed.name, url: parsed.url, ...storedSecret(secret), events: [...new Set(parsed.events)], enabled: parsed.enabled, createdBy: ctx.actor.username, createdAt: now, updatedAt: now })
      .returning({ hookId: webhooks.hookId });
    await recordAudit(tx, ctx.actor, {
      action: "webhook.create",
      targetType: "webhook",
      targetId: String(row.hookId),
      after: { name: parsed.name, origin: auditedUrl(parsed.url), events: parsed.events, enabled: parsed.enabled },
    });
    return { hookId: row.hookId, secret };
  });
}

export async function updateWebhook(ctx: ServiceContext, input: UpdateWebhookInput): Promise<void> {
  authorize(ctx.actor, "webhooks.manage");
  const before = await findWebhook(ctx, input.hookId);
  const changes = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.events !== undefined ? { events: [...new Set(input.events)] } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    ...(input.secret !== undefined ? storedSecret(input.secret) : {}),
  };
  await ctx.db.transaction(async (tx) => {
    await tx.update(webhooks).set({ ...changes, updatedAt: Date.now() }).where(eq(webhooks.hookId, input.hookId));
    const view = (h: { name: string; url: string; events: string[]; enabled: boolean }) => ({ name: h.name, origin: auditedUrl(h.url), events: h.events, enabled: h.enabled });
    await recordAudit(tx, ctx.actor, {
      action: "webhook.update",
      targetType: "webhook",
      targetId: String(input.hookId),
      before: view(before),
      after: view({ ...before, ...changes }),
      meta: input.secret !== undefined ? { secretChanged: true } : {},
    });
  });
}

export async function deleteWebhook(ctx: ServiceContext, hookId: number): Promise<void> {
  authorize(ctx.actor, "webhooks.manage");
  const before = await findWebhook(ctx, hookId);
  await ctx.db.transaction(async (tx) => {
    await tx.delete(webhooks).where(eq(webhooks.hookId, hookId));
    await recordAudit(tx, ctx.actor, { action: "webhook.delete", targetType: "webhook", targetId: String(hookId), before: { name: before.name, origin: auditedUrl(before.url) } });
  });
}

/** The hook's latest deliveries, newest first. */
export async function listWebhookDeliveries(ctx: ServiceContext, input: { hookId: number; limit?: number }): Promise<WebhookDelivery[]> {
  authorize(ctx.actor, "webhooks.manage");
  await findWebhook(ctx, input.hookId);
  const rows = await ctx.db
    .select({ delivery: webhookDeliveries, text: studioEvents.text, type: studioEvents.type, data: studioEvents.data, message: studioEvents.message })
    .from(webhookDeliveries)
    .innerJoin(studioEvents, eq(studioEvents.eventId, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.hookId, input.hookId))
    .orderBy(desc(webhookDeliveries.deliveryId))
    .limit(input.limit ?? 50);
  return rows.map(({ delivery: d, text, type, data, message }) => ({
    deliveryId: d.deliveryId,
    hookId: d.hookId,
    eventId: d.eventId,
    eventType: d.eventType,
    text,
    message: eventMessage(type, data, message),
    status: d.status,
    attempts: d.attempts,
    responseCode: d.responseCode,
    error: d.error,
    errorMessage: d.errorMessage,
    createdAt: d.createdAt,
    lastAttemptAt: d.lastAttemptAt,
    nextAttemptAt: d.status === "pending" || d.status === "sending" ? d.nextAttemptAt : null,
  }));
}

/** "Send again": a new delivery of the same event to the same hook, due now; the old entry stays in the log as it was. */
export async function resendWebhookDelivery(ctx: ServiceContext, deliveryId: number): Promise<{ deliveryId: number }> {
  authorize(ctx.actor, "webhooks.manage");
  const [original] = await ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.deliveryId, deliveryId));
  if (!original) throw new DomainError("RESOURCE_DOES_NOT_EXIST", `Delivery ${deliveryId} does not exist (its webhook may have been deleted): reload the page.`);
  const now = Date.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({ hookId: original.hookId, eventId: original.eventId, eventType: original.eventType, status: "pending", nextAttemptAt: now, createdAt: now })
      .returning({ deliveryId: webhookDeliveries.deliveryId });
    await recordAudit(tx, ctx.actor, {
      action: "webhook.resend",
      targetType: "webhook",
      targetId: String(original.hookId),
      meta: { deliveryId: original.deliveryId, newDeliveryId: row.deliveryId, eventId: original.eventId },
    });
    return { deliveryId: row.deliveryId };
  });
}
