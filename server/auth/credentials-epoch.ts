// The credentials epoch: one shared number that moves whenever a credential loses power, so caches in every process notice.
import { eq, sql } from "drizzle-orm";
import { authState } from "@/db/schema";
import type { Database } from "@/db/client";

/** Call inside the transaction that revokes a token, resets a password, disables an account or changes a role. */
export async function advanceCredentialsEpoch(tx: Pick<Database, "update">): Promise<void> {
  await tx
    .update(authState)
    .set({ credentialsEpoch: sql`${authState.credentialsEpoch} + 1` })
    .where(eq(authState.id, 1));
}

/** The current epoch: a primary-key read, cheaper than verifying a token again. */
export async function readCredentialsEpoch(db: Pick<Database, "select">): Promise<number> {
  const [row] = await db.select({ epoch: authState.credentialsEpoch }).from(authState).where(eq(authState.id, 1));
  return row?.epoch ?? 0;
}
