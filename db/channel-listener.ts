// One LISTEN connection to a PostgreSQL database, kept up: how a process hears of changes other processes make (the
// credentials epoch, serving changes). It reconnects every second while down and says when it listens again, since
// notifications sent meanwhile are lost: each user then reads afresh what it caches.
import type { Database } from "./client";

const RECONNECT_MS = 1_000;

/** The part of a node-postgres pool a listener needs: the options to open a connection of its own. */
export type PostgresPool = { options: Record<string, unknown> };

type PgClient = {
  connect(): Promise<void>;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: "notification", listener: (message: { channel: string; payload?: string }) => void): void;
  on(event: "error" | "end", listener: (error?: Error) => void): void;
  processID?: number;
};

/** The node-postgres pool behind `db`, or null (PGlite belongs to one process: nothing to listen to there). */
export function postgresPoolOf(db: Database): PostgresPool | null {
  const pool = (db as unknown as { $client?: unknown }).$client;
  return !!pool && typeof pool === "object" && "options" in pool && "totalCount" in pool ? (pool as PostgresPool) : null;
}

export interface ChannelListenerOptions {
  channel: string;
  applicationName: string;
  onNotification: (payload: string | undefined) => void;
  /** The connection listens (first time or again): whatever was missed while it was down must be read afresh. */
  onListening?: () => void;
  /** The connection is down: notifications may be missed until onListening. */
  onLost?: () => void;
}

export class ChannelListener {
  private client: PgClient | null = null;
  private listening = false;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: PostgresPool,
    private readonly options: ChannelListenerOptions,
  ) {
    // The channel goes into SQL as an identifier: only the studio's own constant names are accepted.
    if (!/^[a-z_][a-z0-9_]*$/.test(options.channel)) throw new Error(`Not a channel name: ${options.channel}`);
    void this.connect();
  }

  /** The server PID of the connection while it listens, else null (tests wait for it, or cut it). */
  pid(): number | null {
    return this.listening ? (this.client?.processID ?? null) : null;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const { Client } = await import("pg");
    const client = new Client({ ...this.pool.options, application_name: this.options.applicationName }) as unknown as PgClient;
    this.client = client;
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      this.listening = false;
      this.options.onLost?.();
      if (!this.closed) this.reconnectTimer = setTimeout(() => void this.connect(), RECONNECT_MS);
      void client.end().catch(() => undefined);
    };
    client.on("error", lost);
    client.on("end", lost);
    client.on("notification", (message) => {
      if (message.channel === this.options.channel) this.options.onNotification(message.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${this.options.channel}`);
      if (this.client !== client || this.closed) return;
      this.listening = true;
      this.options.onListening?.();
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
