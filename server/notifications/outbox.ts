// Writing a studio event to the outbox: inside the caller's transaction, so an event exists exactly when its change does.
import { studioEvents } from "@/db/schema";
import type { Database } from "@/db/client";
import type { StudioEvent } from "./schema";

export async function emitStudioEvent(db: Pick<Database, "insert">, event: StudioEvent): Promise<void> {
  await db.insert(studioEvents).values({ type: event.type, at: Date.now(), text: event.text, data: event.data });
}
