// Read results kept while the database's visible data is unchanged, or changed only by recorded writes elsewhere.
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";
import { parsePgSnapshot, xidsFinishedBetween } from "@/lib/pg-snapshot";

type Executor = Pick<Database, "execute">;

/*
 * Why a snapshot and not an invalidation list: pg_current_snapshot() (xmin:xmax:in-progress xids) names exactly which
 * transactions a statement sees. Any commit or abort of a transaction that wrote something either removes its xid from
 * the in-progress list or advances xmax, so two equal snapshots see the same committed data, whatever process, tool or
 * migration wrote it. A result read under snapshot S is therefore still the answer while the current snapshot is S:
 * reusing it costs one tiny query instead of the read. Any write anywhere in the database (a log-batch, a token's
 * last-used time) makes the next read miss and run the query again — this only pays off where identical reads
 * repeat with no writes between them (the runs page polling a finished experiment, a client re-reading a history).
 */

/** A column (or select item) holding the statement's own snapshot: add it to the query whose result is cached. */
export const SNAPSHOT_SQL: SQL = sql`pg_current_snapshot()::text`;

/** Total bytes of cached text per database; the least recently used entries go first. */
export const SNAPSHOT_CACHE_MAX_BYTES = 64 * 1024 * 1024;
/** A single result bigger than this is not kept: it would push out many others. */
const MAX_ENTRY_BYTES = 16 * 1024 * 1024;

/** What can be kept: a result whose `text` (or, already encoded, `bytes`) is most of its size. */
type Kept = { text: string } | { bytes: Buffer };

/** What is kept: a result and the snapshot it was read under. */
interface Entry {
  value: Kept;
  snapshot: string;
}

/** UTF-16 code units for text, close enough to the memory a string takes for a bound; bytes as they are. */
function sizeOf(value: Kept): number {
  return "bytes" in value ? value.bytes.length : value.text.length * 2;
}

class SnapshotCache {
  /** Map order is recency order: a hit moves its entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  hits = 0;
  misses = 0;
  /** Misses whose loader proved the remembered result still right under the new snapshot (and kept it). */
  confirmed = 0;

  get(key: string): Entry | undefined {
    return this.entries.get(key);
  }

  touch(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  set(key: string, entry: Entry): void {
    this.delete(key);
    const size = sizeOf(entry.value);
    if (size > MAX_ENTRY_BYTES) return;
    this.entries.set(key, entry);
    this.bytes += size;
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= SNAPSHOT_CACHE_MAX_BYTES) break;
      this.delete(oldest, old);
    }
  }

  private delete(key: string, entry = this.entries.get(key)): void {
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= sizeOf(entry.value);
  }
}

const caches = new WeakMap<object, SnapshotCache>();

/*
 * Why a log of this process's own writes: the bench's "search after a write" and a dashboard polling runs/search
 * while training runs log elsewhere both read under a snapshot that moved only because of writes the page cannot
 * see (another experiment's metrics, the rollup fold). A write that knows what it touched records its transaction id
 * here; a read whose snapshot moved can then keep its answer when every transaction that finished in between is
 * recorded as touching none of its experiments. Any transaction not recorded (another process, a migration, a tool,
 * a write path that does not record itself, an aborted statement) counts as touching everything: the read runs.
 */
/** How many recorded transactions are kept per database; older ones are forgotten (and then count as unknown). */
const WRITE_LOG_MAX = 50_000;
/** The most transactions a read compares before it gives up and runs its query. */
const XIDS_COMPARED_MAX = 4096;

class WriteLog {
  /** xid → the experiments whose runs, params, tags, latest metrics or inputs it may have written ([] for none). */
  private readonly experimentsByXid = new Map<number, readonly number[]>();
  highestXid = -1;
  /** Reads kept by the log (their snapshot had moved only by recorded writes elsewhere). */
  kept = 0;
  /** Reads the log could not keep: a transaction in between wrote one of their experiments, or is not recorded. */
  refusedTouching = 0;
  refusedUnrecorded = 0;

  note(xid: number, experimentIds: readonly number[]): void {
    this.experimentsByXid.set(xid, experimentIds);
    if (xid > this.highestXid) this.highestXid = xid;
    if (this.experimentsByXid.size > WRITE_LOG_MAX) {
      const oldest = this.experimentsByXid.keys().next().value as number;
      this.experimentsByXid.delete(oldest);
    }
  }

  /** True when every transaction that separates the two snapshots is recorded and wrote none of `experimentIds`. */
  onlyWritesElsewhere(before: string, now: string, experimentIds: readonly number[]): boolean {
    const a = parsePgSnapshot(before);
    const b = parsePgSnapshot(now);
    if (!a || !b) return false;
    const xids = xidsFinishedBetween(a, b, XIDS_COMPARED_MAX);
    if (!xids) return false;
    let touching = false;
    for (const xid of xids) {
      const touched = this.experimentsByXid.get(xid);
      if (!touched) {
        this.refusedUnrecorded++;
        return false;
      }
      if (touched.some((id) => experimentIds.includes(id))) touching = true;
    }
    if (touching) this.refusedTouching++;
    return !touching;
  }
}

const writeLogs = new WeakMap<object, WriteLog>();

function writeLogOf(db: Executor): WriteLog {
  let log = writeLogs.get(db);
  if (!log) {
    log = new WriteLog();
    writeLogs.set(db, log);
  }
  return log;
}

/**
 * Records that transaction `xid` (pg_current_xact_id() of it) wrote search-visible data of at most these experiments
 * (runs and their params, tags, latest metrics and inputs; [] when it wrote none, as the rollup fold). Call it with
 * everything the transaction wrote or will write: a read may rely on it as soon as it is recorded. `db` is the
 * database the reads use; never record a transaction a caller handed in, which may write more than its callee knows.
 */
export function noteWrite(db: Executor, xid: string | number, experimentIds: readonly number[]): void {
  const id = Number(xid);
  if (!Number.isSafeInteger(id)) return;
  writeLogOf(db).note(id, experimentIds);
}

/** The transaction id a writing statement reports with its rows (pg_current_xact_id() assigns one if needed). */
export const CURRENT_XID_SQL: SQL = sql`pg_current_xact_id()::text`;

function cacheOf(db: Executor): SnapshotCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new SnapshotCache();
    caches.set(db, cache);
  }
  return cache;
}

/** Whether a result is kept under `key`, whatever snapshot it was read under (it may no longer hold). */
export function hasSnapshotCacheEntry(db: Executor, key: string): boolean {
  return cacheOf(db).get(key) !== undefined;
}

/** The result kept under `key`, whatever snapshot it was read under (it may no longer hold), without counting a use. */
export function peekSnapshotCacheEntry<T>(db: Executor, key: string): T | undefined {
  return cacheOf(db).get(key)?.value as T | undefined;
}

/** How often reads of this database were answered from the cache, and how often they ran (tests, benchmarks). */
export function snapshotCacheStats(db: Executor): {
  hits: number;
  misses: number;
  confirmed: number;
  /** Of the hits, those whose snapshot had moved, by recorded writes elsewhere only (the write log). */
  keptPastWrites: number;
  /** Reads the write log could not keep because a write in between touched their experiments. */
  refusedTouching: number;
  /** …because a transaction in between is not recorded (another process, another database of the same server). */
  refusedUnrecorded: number;
} {
  const cache = cacheOf(db);
  const log = writeLogOf(db);
  return {
    hits: cache.hits,
    misses: cache.misses,
    confirmed: cache.confirmed,
    keptPastWrites: log.kept,
    refusedTouching: log.refusedTouching,
    refusedUnrecorded: log.refusedUnrecorded,
  };
}

/**
 * What `load` would return now: the remembered result when the database's current snapshot is the one it was read
 * under, else `load`'s, remembered. One statement answers both questions: `load` gets `fresh`, a condition true
 * unless the current snapshot is the remembered one's; its statement must return `fresh` and SNAPSHOT_SQL as
 * columns and AND `fresh` into the WHERE of the scans that do the work, so that an unchanged snapshot costs no
 * more than asking for it (the condition holds no column, so PostgreSQL tests it once, before any scan), and
 * return `value` when `fresh` was true. A changed snapshot then costs one round trip rather than a check followed
 * by the read. `load` also gets the remembered result, if any, to keep when it can prove it still right under the
 * new snapshot (returning that same object). `load` must be deterministic given the data: the same rows in the same
 * order. `key` must name everything else the result depends on (the request, and who asks if the answer depends on it). Errors are never cached. `db`
 * is the database, never a transaction: a transaction's own writes do not change the snapshot it reports.
 * `experimentIds`: see noteWrite; only for a result that depends on these experiments' run data alone.
 */
export async function readThroughSnapshotCache<T extends Kept>(
  db: Executor,
  key: string,
  load: (fresh: SQL, previous: T | undefined) => Promise<{ value: T | undefined; snapshot: string }>,
  experimentIds?: readonly number[],
): Promise<T> {
  const cache = cacheOf(db);
  const known = cache.get(key);
  if (known && experimentIds) {
    // With `experimentIds` (the result depends on nothing but those experiments' runs and what hangs off them), a
    // snapshot moved only by recorded writes elsewhere keeps the result. That is asked first, in a statement of its
    // own, only when a write was recorded since the result was read: otherwise nothing could be kept but an
    // unchanged snapshot, which the load's own statement already checks.
    const log = writeLogOf(db);
    const xmin = Number(known.snapshot.slice(0, known.snapshot.indexOf(":")));
    if (log.highestXid >= xmin) {
      const [{ snapshot }] = await queryRows<{ snapshot: string }>(db, sql`select ${SNAPSHOT_SQL} as snapshot`);
      if (snapshot === known.snapshot || log.onlyWritesElsewhere(known.snapshot, snapshot, experimentIds)) {
        cache.hits++;
        if (snapshot !== known.snapshot) log.kept++;
        // Still the answer under the newer snapshot: remembering that one keeps the next comparison short.
        cache.touch(key, { value: known.value, snapshot });
        return known.value as T;
      }
    }
  }
  const result = await load(sql`(${SNAPSHOT_SQL} is distinct from ${known?.snapshot ?? null}::text)`, known?.value as T | undefined);
  if (known && result.snapshot === known.snapshot) {
    cache.hits++;
    cache.touch(key, known);
    return known.value as T;
  }
  if (result.value === undefined) {
    // `fresh` was false yet the snapshot differs: a load that breaks its contract, never the caller's input.
    throw new Error(`snapshot cache: the read for ${key} skipped its work under a changed snapshot`);
  }
  cache.misses++;
  if (known && result.value === known.value) cache.confirmed++;
  cache.set(key, { value: result.value, snapshot: result.snapshot });
  return result.value;
}
