// Serving replicas follow alias, production, canary/shadow and review changes made by other processes within a
// second: the changing transaction sends NOTIFY studio_serving (database triggers, migration 0027, payload the model's
// name or '*'), and each process holds one LISTEN connection per PostgreSQL database (db/channel-listener.ts, as the
// credentials epoch does) that turns the notification into refreshServingModel (hooks.ts). The alias cache's TTL
// (ALIAS_CACHE_MS) stays as the safety net for a lost notification. While the LISTEN connection is down it
// reconnects every second, and reads every model afresh once it is back (it may have missed notifications).
// PGlite belongs to one process, whose own writes invalidate directly: nothing to listen to there.
import { onDatabaseClose, type Database } from "@/db/client";
import { ChannelListener, postgresPoolOf } from "@/db/channel-listener";
import { refreshServingModel } from "./hooks";

/** The NOTIFY channel of serving changes (payload: the model's name, or '*' for every model). */
export const SERVING_CHANNEL = "studio_serving";

const followed = new WeakMap<object, ChannelListener | null>();

/** Starts following serving changes announced on `db` (once per database; nothing for PGlite). */
export function followServingChanges(db: Database): void {
  if (followed.has(db)) return;
  const pool = postgresPoolOf(db);
  if (!pool) {
    followed.set(db, null);
    return;
  }
  // A reconnection (not the first connection) refreshes every model: notifications sent while it was down are lost.
  let everListened = false;
  const listener = new ChannelListener(pool, {
    channel: SERVING_CHANNEL,
    applicationName: "studio serving changes",
    onNotification: (payload) => refreshServingModel(!payload || payload === "*" ? null : payload),
    onListening: () => {
      if (everListened) refreshServingModel(null);
      everListened = true;
    },
  });
  followed.set(db, listener);
  onDatabaseClose(db, () => listener.close());
}

/** The server PID of the LISTEN connection for `db` while it listens, or null (tests wait for it, or cut it). */
export function servingChangesListenerPid(db: Database): number | null {
  return followed.get(db)?.pid() ?? null;
}
