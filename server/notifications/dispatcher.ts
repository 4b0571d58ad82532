// Off the request path: turns outbox events into webhook deliveries and notifications, then sends due deliveries with retries.
import { and, eq, inArray, isNull, lte } from "drizzle-orm";
import { notifications, reviews, studioEvents, users, webhookDeliveries, webhooks } from "@/db/schema";
import type { Database } from "@/db/client";
import { redactErrorForLog } from "../auth/log-redaction";
import { permissionTable } from "../auth/permissions";
import { signWebhookBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./signature";
import { signingSecretOf } from "./webhooks";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";

/** Attempts per delivery before it is marked failed (an admin can still send it again). */
export const MAX_DELIVERY_ATTEMPTS = 5;
const DELIVERY_TIMEOUT_MS = 10_000;
/** A delivery claimed by a process that then died is taken up again after this long. */
const SENDING_LEASE_MS = 60_000;
const DISPATCH_EVERY_MS = 1_000;

/** Wait before attempt n+1 after n failed attempts: 10 s, 20 s, 40 s, 80 s… capped at an hour. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(3_600_000, 10_000 * 2 ** Math.max(0, failedAttempts - 1));
}

type Executor = Pick<Database, "select" | "insert" | "update">;

/** Who hears of an event inside the studio: reviewers for a request, the requester for a decision. */
async function recipientsOf(tx: Executor, type: string, data: Record<string, unknown>): Promise<string[]> {
  const actorId = typeof data.actorId === "string" ? data.actorId : null;
  let ids: string[] = [];
  if (type === "review.requested") {
    const rows = await tx
      .select({ userId: users.userId })
      .from(users)
      .where(and(inArray(users.role, [...permissionTable["reviews.decide"].roles]), eq(users.disabled, false)));
    ids = rows.map((r) => r.userId);
  } else if (type === "review.decided" && typeof data.reviewId === "number") {
    const rows = await tx
      .select({ userId: users.userId })
      .from(reviews)
      .innerJoin(users, eq(users.userId, reviews.requestedById))
      .where(and(eq(reviews.reviewId, data.reviewId), eq(users.disabled, false)));
    ids = rows.map((r) => r.userId);
  }
  return ids.filter((id) => id !== actorId);
}

function linkOf(type: string, data: Record<string, unknown>): string | null {
  if ((type === "review.requested" || type === "review.decided") && typeof data.reviewId === "number") return `/reviews/${data.reviewId}`;
  if (typeof data.model === "string") return `/models/${encodeURIComponent(data.model)}`;
  if (typeof data.dataset === "string" && type === "dataset.quality_failed") return `/datasets/${encodeURIComponent(data.dataset)}`;
  return null;
}

/** Makes the deliveries and notifications of events not yet fanned out; returns how many events it handled. */
export async function fanOutStudioEvents(db: Database, limit = 100): Promise<number> {
  return db.transaction(async (tx) => {
    const events = await tx
      .select()
      .from(studioEvents)
      .where(isNull(studioEvents.fannedOutAt))
      .orderBy(studioEvents.eventId)
      .limit(limit)
      .for("update", { skipLocked: true });
    if (!events.length) return 0;
    const now = Date.now();
    const hooks = await tx.select({ hookId: webhooks.hookId, events: webhooks.events }).from(webhooks).where(eq(webhooks.enabled, true));
    const deliveries = events.flatMap((event) =>
      hooks
        .filter((hook) => hook.events.includes(event.type))
        .map((hook) => ({ hookId: hook.hookId, eventId: event.eventId, eventType: event.type, status: "pending" as const, nextAttemptAt: now, createdAt: now })),
    );
    if (deliveries.length) await tx.insert(webhookDeliveries).values(deliveries);
    const notes: (typeof notifications.$inferInsert)[] = [];
    for (const event of events) {
      // At most a few review events per tick: one small query each is cheaper than a general join over every kind.
      for (const userId of await recipientsOf(tx, event.type, event.data)) {
        notes.push({ userId, eventId: event.eventId, type: event.type, text: event.text, link: linkOf(event.type, event.data), createdAt: now });
      }
    }
    if (notes.length) await tx.insert(notifications).values(notes);
    await tx
      .update(studioEvents)
      .set({ fannedOutAt: now })
      .where(inArray(studioEvents.eventId, events.map((e) => e.eventId)));
    return events.length;
  });
}

/** Slack reads &, < and > in `text` as markup (<!channel> pings everyone): a model named so must not. */
function slackSafe(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The JSON body a hook receives; `text` makes it postable as-is to a Slack-compatible incoming webhook; `data` keeps raw values. */
export function webhookBody(event: { eventId: number; type: string; at: number; text: string; data: Record<string, unknown> }): string {
  return JSON.stringify({ id: `evt_${event.eventId}`, type: event.type, at: new Date(event.at).toISOString(), text: slackSafe(event.text), data: event.data });
}

async function postDelivery(
  delivery: { deliveryId: number; eventType: string },
  hook: { url: string; sealedSecret: string | null; plainSecret: string | null },
  body: string,
): Promise<{ ok: boolean; responseCode: number | null; error: string | null; errorMessage: ServerSentence | null }> {
  const timestamp = Math.floor(Date.now() / 1000);
  let secret: string;
  try {
    secret = signingSecretOf(hook);
  } catch (error) {
    return { ok: false, responseCode: null, error: error instanceof Error ? error.message : String(error), errorMessage: null };
  }
  try {
    const response = await fetch(hook.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "ModelOps-Studio-Webhooks/1",
        "x-studio-event": delivery.eventType,
        "x-studio-delivery": String(delivery.deliveryId),
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhookBody(secret, timestamp, body),
      },
      body,
      // A redirect could point the studio at an address the admin never chose: it counts as a failure instead.
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, responseCode: response.status, error: null, errorMessage: null };
    if (response.status >= 300 && response.status < 400) {
      return { ok: false, responseCode: response.status, error: "The receiver answered with a redirect, which is not followed: give its final URL.", errorMessage: sentence("delivery.redirect") };
    }
    return { ok: false, responseCode: response.status, error: `The receiver answered HTTP ${response.status}.`, errorMessage: sentence("delivery.http_status", { status: response.status }) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const name = (error as { name?: string }).name;
    if (name === "TimeoutError") {
      const seconds = DELIVERY_TIMEOUT_MS / 1000;
      return { ok: false, responseCode: null, error: `No answer within ${seconds} s.`, errorMessage: sentence("delivery.timeout", { seconds }) };
    }
    // The cause is the system's own word (ECONNREFUSED, or its message when it has no code): said as it is in every language.
    const because = cause?.code ?? cause?.message;
    return {
      ok: false,
      responseCode: null,
      error: `Could not reach the receiver${because ? ` (${because})` : ""}.`,
      errorMessage: because ? sentence("delivery.unreachable_because", { cause: because }) : sentence("delivery.unreachable"),
    };
  }
}

/** Sends the deliveries that are due (claimed with SKIP LOCKED, so two processes never send the same one); returns how many it tried. */
export async function deliverDueWebhooks(db: Database, limit = 20): Promise<number> {
  const now = Date.now();
  const claimed = await db
    .update(webhookDeliveries)
    .set({ status: "sending", nextAttemptAt: now + SENDING_LEASE_MS })
    .where(
      inArray(
        webhookDeliveries.deliveryId,
        db
          .select({ id: webhookDeliveries.deliveryId })
          .from(webhookDeliveries)
          .where(and(inArray(webhookDeliveries.status, ["pending", "sending"]), lte(webhookDeliveries.nextAttemptAt, now)))
          .orderBy(webhookDeliveries.nextAttemptAt)
          .limit(limit)
          .for("update", { skipLocked: true }),
      ),
    )
    .returning();
  if (!claimed.length) return 0;
  const hookRows = await db
    .select()
    .from(webhooks)
    .where(inArray(webhooks.hookId, [...new Set(claimed.map((d) => d.hookId))]));
  const eventRows = await db
    .select()
    .from(studioEvents)
    .where(inArray(studioEvents.eventId, [...new Set(claimed.map((d) => d.eventId))]));
  const hooksById = new Map(hookRows.map((h) => [h.hookId, h]));
  const eventsById = new Map(eventRows.map((e) => [e.eventId, e]));
  await Promise.all(
    claimed.map(async (delivery) => {
      const hook = hooksById.get(delivery.hookId)!;
      const event = eventsById.get(delivery.eventId)!;
      const result = hook.enabled
        ? await postDelivery(delivery, hook, webhookBody(event))
        : {
            ok: false,
            responseCode: null,
            error: "The webhook was disabled before this delivery was sent: enable it and send again.",
            errorMessage: sentence("delivery.disabled"),
          };
      const attempts = delivery.attempts + 1;
      const at = Date.now();
      const status = result.ok ? "delivered" : attempts >= MAX_DELIVERY_ATTEMPTS || !hook.enabled ? "failed" : "pending";
      await db
        .update(webhookDeliveries)
        .set({
          status,
          attempts,
          lastAttemptAt: at,
          responseCode: result.responseCode,
          error: result.error,
          errorMessage: result.errorMessage,
          nextAttemptAt: status === "pending" ? at + retryDelayMs(attempts) : at,
        })
        .where(eq(webhookDeliveries.deliveryId, delivery.deliveryId));
    }),
  );
  return claimed.length;
}

/** One pass: fan out new events, then send what is due. Tests call it directly; the studio runs it every second. */
export async function dispatchStudioEvents(db: Database): Promise<{ events: number; deliveries: number }> {
  const events = await fanOutStudioEvents(db);
  const deliveries = await deliverDueWebhooks(db);
  return { events, deliveries };
}

export function startNotificationDispatcher(db: Database): void {
  const holder = globalThis as unknown as { studioNotificationDispatcher?: ReturnType<typeof setInterval> };
  if (holder.studioNotificationDispatcher) return;
  let running = false;
  holder.studioNotificationDispatcher = setInterval(() => {
    if (running) return;
    running = true;
    dispatchStudioEvents(db)
      .catch((error: unknown) => {
        // The database going away as the studio stops (admin shutdown, "shutting down") is no failure worth a stack.
        if (["57P01", "57P03"].includes((error as { code?: string }).code ?? "")) return;
        console.error("[studio] notification dispatch failed", redactErrorForLog(error));
      })
      .finally(() => {
        running = false;
      });
  }, DISPATCH_EVERY_MS);
  holder.studioNotificationDispatcher.unref?.();
}

/** Stops the dispatch loop (a process shutting down); a delivery being sent finishes or is taken up after its lease. */
export function stopNotificationDispatcher(): void {
  const holder = globalThis as unknown as { studioNotificationDispatcher?: ReturnType<typeof setInterval> };
  if (holder.studioNotificationDispatcher) clearInterval(holder.studioNotificationDispatcher);
  holder.studioNotificationDispatcher = undefined;
}
