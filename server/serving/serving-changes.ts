// Serving replicas follow alias, production, canary/shadow and review changes made by other processes within a
// second: the changing transaction sends NOTIFY studio_serving (database triggers, migration 0026, payload the model's
// name or '*'), and each process holds one LISTEN connection per PostgreSQL database that turns the notification into
// refreshServingModel (hooks.ts). Same pattern as the credentials epoch (server/auth/credentials-epoch.ts); the alias
// cache's TTL (ALIAS_CACHE_MS) stays as the safety net for a lost notification. While the LISTEN connection is down it
// reconnects every second, and reads every model afresh once it is back (it may have missed notifications).
// PGlite belongs to one process, whose own writes invalidate directly: nothing to listen to there.
import { onDatabaseClose, type Database } from "@/db/client";
import { refreshServingModel } from "./hooks";

/** The NOTIFY channel of serving changes (payload: the model's name, or '*' for every model). */
export const SERVING_CHANNEL = "studio_serving";

const RECONNECT_MS = 1_000;

type PgPool = { options: Record<string, unknown> };
type PgClient = {
  connect(): Promise<void>;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: "notification", listener: (message: { channel: string; payload?: string }) => void): void;
  on(event: "error" | "end", listener: (error?: Error) => void): void;
  processID?: number;
};

class ServingChangeListener {
  private client: PgClient | null = null;
  private listening = false;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  /** Whether a connection was ever up: a reconnection (not the first connection) refreshes every model. */
  private everListened = false;

  constructor(private readonly pool: PgPool) {
    void this.connect();
  }

  pid(): number | null {
    return this.listening ? (this.client?.processID ?? null) : null;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const { Client } = await import("pg");
    const client = new Client({ ...this.pool.options, application_name: "studio serving changes" }) as unknown as PgClient;
    this.client = client;
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      this.listening = false;
      if (!this.closed) this.reconnectTimer = setTimeout(() => void this.connect(), RECONNECT_MS);
      void client.end().catch(() => undefined);
    };
    client.on("error", lost);
    client.on("end", lost);
    client.on("notification", (message) => {
      if (message.channel !== SERVING_CHANNEL) return;
      refreshServingModel(!message.payload || message.payload === "*" ? null : message.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${SERVING_CHANNEL}`);
      if (this.client !== client || this.closed) return;
      this.listening = true;
      if (this.everListened) refreshServingModel(null);
      this.everListened = true;
    } catch {
      lost();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}

const followed = new WeakMap<object, ServingChangeListener | null>();

/** Starts following serving changes announced on `db` (once per database; nothing for PGlite). */
export function followServingChanges(db: Database): void {
  if (followed.has(db)) return;
  const pool = (db as unknown as { $client?: unknown }).$client;
  const isPostgresPool = !!pool && typeof pool === "object" && "options" in pool && "totalCount" in pool;
  if (!isPostgresPool) {
    followed.set(db, null);
    return;
  }
  const listener = new ServingChangeListener(pool as PgPool);
  followed.set(db, listener);
  onDatabaseClose(db, () => listener.close());
}

/** The server PID of the LISTEN connection for `db` while it listens, or null (tests wait for it, or cut it). */
export function servingChangesListenerPid(db: Database): number | null {
  return followed.get(db)?.pid() ?? null;
}
