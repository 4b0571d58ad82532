// The signed-in user's notifications (the header's bell): list with the unread count, mark read. Each comes with the
// values its sentence is made of, so the bell says it in the reader's language; the stored English text stays the fallback.
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { notifications, studioEvents } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { ServiceContext } from "../service-context";
import type { NotificationList, NotificationParams } from "./schema";

/** The values of the sentence the bell makes of an event, or null when the event lacks one (then the text is shown). */
export function notificationParams(type: string, data: Record<string, unknown> | null): NotificationParams | null {
  if (!data) return null;
  const keys = type === "review.requested" ? ["actor", "model", "reviewId"] : type === "review.decided" ? ["actor", "reviewId", "decision", "status"] : null;
  if (!keys) return null;
  const params: NotificationParams = {};
  for (const key of keys) {
    const value = data[key];
    if (typeof value !== "string" && typeof value !== "number") return null;
    // As text: a review id is a name here, not a number to write as 1,234.
    params[key] = String(value);
  }
  return params;
}

export async function listMyNotifications(ctx: ServiceContext, limit = 20): Promise<NotificationList> {
  authorize(ctx.actor, "studio.read");
  const mine = eq(notifications.userId, ctx.actor.userId);
  const [{ unread }] = await ctx.db
    .select({ unread: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(mine, isNull(notifications.readAt)));
  const rows = await ctx.db
    .select({ note: notifications, data: studioEvents.data })
    .from(notifications)
    .leftJoin(studioEvents, eq(studioEvents.eventId, notifications.eventId))
    .where(mine)
    .orderBy(desc(notifications.notificationId))
    .limit(limit);
  return {
    unread,
    items: rows.map(({ note: r, data }) => ({
      notificationId: r.notificationId,
      type: r.type,
      text: r.text,
      params: notificationParams(r.type, data),
      link: r.link,
      createdAt: r.createdAt,
      read: r.readAt !== null,
    })),
  };
}

/** Marks the given notifications (or all) of the signed-in user read; another user's ids are ignored, never touched. */
export async function markNotificationsRead(ctx: ServiceContext, input: { notificationIds?: number[] }): Promise<{ marked: number }> {
  authorize(ctx.actor, "studio.read");
  const conditions = [eq(notifications.userId, ctx.actor.userId), isNull(notifications.readAt)];
  if (input.notificationIds) {
    if (!input.notificationIds.length) return { marked: 0 };
    conditions.push(inArray(notifications.notificationId, input.notificationIds));
  }
  const marked = await ctx.db
    .update(notifications)
    .set({ readAt: Date.now() })
    .where(and(...conditions))
    .returning({ id: notifications.notificationId });
  return { marked: marked.length };
}
