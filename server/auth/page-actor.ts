// The signed-in reader of a page, for server components that decide what to render (the API still checks every call).
import { cookies } from "next/headers";
import { getDatabase } from "@/db/client";
import { authDisabled, localActor, type Actor } from "./actor";
import { SESSION_COOKIE, actorFromSession } from "./sessions";

export async function currentPageActor(): Promise<Actor | null> {
  if (authDisabled()) return localActor;
  const cookie = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!cookie) return null;
  const { db } = await getDatabase();
  return actorFromSession(db, cookie);
}
