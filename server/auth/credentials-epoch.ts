// The credentials epoch: one shared number that moves whenever a credential loses power, so caches in every process
// notice. Reading it from the database on every token-authenticated request was most of a served request's CPU
// (issue 18), so each process keeps it in memory and is told when it moves:
// - in this process, directly, once the transaction that moved it ends (changeCredentials);
// - in other processes, by PostgreSQL's NOTIFY, which the changing transaction sends and the server delivers at commit
//   to a LISTEN connection each process holds (PGlite belongs to one process: the direct path is the whole story);
// - and a short safety TTL bounds how long a value is trusted even if a notification were lost (plus the one read
//   that replaces it, which requests do not wait for). While the LISTEN
//   connection is down (not yet connected, or reconnecting) nothing is cached: every read asks the database.
// When the database itself cannot be reached, the last epoch read answers for a bounded time (outageCredentialsGraceMs).
import { eq, sql } from "drizzle-orm";
import { authState } from "@/db/schema";
import { onDatabaseClose, queryRows, type Database } from "@/db/client";
import { ChannelListener, postgresPoolOf } from "@/db/channel-listener";
import { isDatabaseUnavailable } from "@/db/availability";

/** The NOTIFY channel a credentials change is announced on (the payload is the new epoch). */
export const CREDENTIALS_CHANNEL = "studio_credentials_epoch";

/** How long an epoch is trusted without asking the database, notifications or not (STUDIO_CREDENTIALS_EPOCH_TTL_MS). */
export function credentialsEpochTtlMs(): number {
  // Read once per call: a token-authenticated request asks, and each environment read is a call into C++ (~0.5 µs).
  const raw = process.env.STUDIO_CREDENTIALS_EPOCH_TTL_MS;
  const configured = Number(raw);
  return Number.isFinite(configured) && configured >= 0 && raw !== "" ? configured : 1_000;
}

/**
 * How long the last epoch read is used when the database cannot be reached (STUDIO_OUTAGE_CREDENTIALS_GRACE_MS,
 * default 5 min; 0 turns it off). While the database is down nobody can revoke anything (a revoke is a write there), so
 * the last epoch is still the true one; the bound covers a replica cut off from a database others still write to.
 */
export function outageCredentialsGraceMs(): number {
  const configured = Number(process.env.STUDIO_OUTAGE_CREDENTIALS_GRACE_MS);
  return Number.isFinite(configured) && configured >= 0 && process.env.STUDIO_OUTAGE_CREDENTIALS_GRACE_MS !== "" ? configured : 5 * 60_000;
}

/** The transaction a credentials change runs in. */
export type CredentialsTransaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** One database's epoch as this process knows it. */
class EpochCache {
  private value: number | null = null;
  private readAt = 0;
  /** Moves on every invalidation: a read that started before one must not be remembered. */
  private generation = 0;
  /** Credential changes of this process still in their transaction: nothing is cached meanwhile. */
  private changing = 0;
  private inFlight: { generation: number; promise: Promise<number> } | null = null;
  /** The last epoch read from the database and when (the outage fallback). */
  private lastRead: { value: number; at: number } | null = null;
  /** Whether invalidations reach this cache: always on PGlite, while the LISTEN connection is up on PostgreSQL. */
  private informed: boolean;
  private listener: ChannelListener | null = null;

  constructor(private readonly db: Database) {
    const pool = (db as unknown as { $client?: unknown }).$client;
    const postgresPool = postgresPoolOf(db);
    // PGlite lives in this process only, so every change to it is made here. Any other driver is not known to tell
    // us of other processes' changes: nothing is cached for it.
    const isPglite = !!pool && typeof pool === "object" && typeof (pool as { dumpDataDir?: unknown }).dumpDataDir === "function";
    this.informed = isPglite;
    if (postgresPool) {
      const listener = new ChannelListener(postgresPool, {
        channel: CREDENTIALS_CHANNEL,
        applicationName: "studio credentials epoch",
        onNotification: () => this.invalidate(),
        // Anything that changed while no one listened is read afresh.
        onListening: () => {
          this.invalidate();
          this.informed = true;
        },
        onLost: () => {
          this.informed = false;
          this.invalidate();
        },
      });
      this.listener = listener;
      onDatabaseClose(db, async () => {
        this.informed = false;
        await listener.close();
      });
    }
  }

  invalidate(): void {
    this.generation++;
    this.value = null;
  }

  beginChange(): void {
    this.changing++;
    this.invalidate();
  }

  endChange(): void {
    this.changing--;
    this.invalidate();
  }

  /** The PID of the LISTEN connection's server process while it is listening (tests). */
  listenerPid(): number | null {
    return this.informed ? (this.listener?.pid() ?? null) : null;
  }

  async read(): Promise<number> {
    const now = Date.now();
    const known = this.known(now);
    if (known !== undefined) return known;
    // Requests arriving together share one read, unless an invalidation came after it started.
    if (this.inFlight && this.inFlight.generation === this.generation) return this.inFlight.promise;
    return this.startRead(now);
  }

  /** The epoch read() gives from memory, or undefined when read() has to ask the database. */
  known(now: number): number | undefined {
    if (this.value === null || !this.informed || this.changing !== 0) return undefined;
    const ttl = credentialsEpochTtlMs();
    if (now - this.readAt < ttl) return this.value;
    // Past the safety TTL (no notification said it moved): the next value is read, and requests do not queue behind
    // that read unless the value is two periods old (serving's p99 would otherwise take a round trip every second).
    if (now - this.readAt < 2 * ttl) {
      if (!this.inFlight) this.startRead(now).catch(() => undefined);
      return this.value;
    }
    return undefined;
  }

  private startRead(now: number): Promise<number> {
    const generation = this.generation;
    const promise = readStoredEpoch(this.db).then(
      (epoch) => {
        this.lastRead = { value: epoch, at: Date.now() };
        if (this.inFlight?.promise === promise) this.inFlight = null;
        if (generation === this.generation && this.changing === 0) {
          this.value = epoch;
          this.readAt = now;
        }
        return epoch;
      },
      (error: unknown) => {
        if (this.inFlight?.promise === promise) this.inFlight = null;
        // The database is unreachable: the last epoch read still holds for a bounded time (outageCredentialsGraceMs).
        const last = this.lastRead;
        if (last && isDatabaseUnavailable(error) && Date.now() - last.at < outageCredentialsGraceMs() && this.changing === 0) return last.value;
        throw error;
      },
    );
    this.inFlight = { generation, promise };
    return promise;
  }
}

const caches = new WeakMap<object, EpochCache>();

function cacheOf(db: Database): EpochCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new EpochCache(db);
    caches.set(db, cache);
  }
  return cache;
}

async function readStoredEpoch(db: Pick<Database, "select">): Promise<number> {
  const [row] = await db.select({ epoch: authState.credentialsEpoch }).from(authState).where(eq(authState.id, 1));
  return row?.epoch ?? 0;
}

/**
 * Runs `change` (a revoke, password reset, disable or role change) in a transaction that also advances the epoch
 * and announces it; this process's cached epoch is not trusted while it runs and is forgotten once it ends, so the
 * change bites here the moment this returns, and in other processes as soon as the notification arrives.
 */
export async function changeCredentials<T>(db: Database, change: (tx: CredentialsTransaction) => Promise<T>): Promise<T> {
  const cache = cacheOf(db);
  cache.beginChange();
  try {
    return await db.transaction(async (tx) => {
      const result = await change(tx);
      await queryRows(
        tx,
        sql`with advanced as (update ${authState} set credentials_epoch = credentials_epoch + 1 where id = 1 returning credentials_epoch)
            select pg_notify(${CREDENTIALS_CHANNEL}, credentials_epoch::text) from advanced`,
      );
      return result;
    });
  } finally {
    cache.endChange();
  }
}

/** The current epoch: from memory while this process is told of changes, else a primary-key read. */
export function readCredentialsEpoch(db: Database): Promise<number> {
  return cacheOf(db).read();
}

/** The epoch readCredentialsEpoch would give from memory, without waiting a turn; undefined when it must be read. */
export function knownCredentialsEpoch(db: Database): number | undefined {
  return cacheOf(db).known(Date.now());
}

/** The server PID of the LISTEN connection for `db` once it listens, or null (tests: to cut it). */
export function credentialsListenerPid(db: Database): number | null {
  return cacheOf(db).listenerPid();
}
