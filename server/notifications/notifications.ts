// The signed-in user's notifications (the header's bell): list with the unread count, mark read. Each comes with its
// event's wording as a catalogue code and values, so the bell says it in the reader's language; the English text stays the fallback.
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { notifications, studioEvents } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { ServiceContext } from "../service-context";
import { eventMessage } from "./events";
import type { NotificationList } from "./schema";

export async function listMyNotifications(ctx: ServiceContext, limit = 20): Promise<NotificationList> {
  authorize(ctx.actor, "studio.read");
  const mine = eq(notifications.userId, ctx.actor.userId);
  const [{ unread }] = await ctx.db
    .select({ unread: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(mine, isNull(notifications.readAt)));
  const rows = await ctx.db
    .select({ note: notifications, data: studioEvents.data, message: studioEvents.message })
    .from(notifications)
    .leftJoin(studioEvents, eq(studioEvents.eventId, notifications.eventId))
    .where(mine)
    .orderBy(desc(notifications.notificationId))
    .limit(limit);
  return {
    unread,
    items: rows.map(({ note: r, data, message }) => ({
      notificationId: r.notificationId,
      type: r.type,
      text: r.text,
      message: eventMessage(r.type, data, message),
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
