// Writing a studio event to the outbox: inside the caller's transaction, so an event exists exactly when its change does.
import { and, isNotNull, lt } from "drizzle-orm";
import { studioEvents } from "@/db/schema";
import type { Database } from "@/db/client";
import type { StudioEvent } from "./schema";

export async function emitStudioEvent(db: Pick<Database, "insert">, event: StudioEvent): Promise<void> {
  await db.insert(studioEvents).values({ type: event.type, at: Date.now(), text: event.text, data: event.data, message: event.message ?? null });
}

/** How long sent events (and with them their delivery log) are kept; notifications stay, unlinked from the event. */
export const EVENT_HISTORY_MS = 90 * 86_400_000;

/** Drops events fanned out longer ago than the history keeps; run by the hourly retention job. */
export async function pruneStudioEvents(db: Pick<Database, "delete">, now = Date.now()): Promise<number> {
  const gone = await db
    .delete(studioEvents)
    .where(and(isNotNull(studioEvents.fannedOutAt), lt(studioEvents.fannedOutAt, now - EVENT_HISTORY_MS)))
    .returning({ id: studioEvents.eventId });
  return gone.length;
}
