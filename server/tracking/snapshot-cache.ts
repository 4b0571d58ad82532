// Read results kept while the database's visible data is unchanged: each is stored with the MVCC snapshot its query ran under.
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";

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

/** What is kept: a result whose `text` is most of its size, and the snapshot it was read under. */
interface Entry {
  value: { text: string };
  snapshot: string;
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
    // UTF-16 code units, close enough to the memory a string takes for a bound.
    const size = entry.value.text.length * 2;
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
    this.bytes -= entry.value.text.length * 2;
  }
}

const caches = new WeakMap<object, SnapshotCache>();

function cacheOf(db: Executor): SnapshotCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new SnapshotCache();
    caches.set(db, cache);
  }
  return cache;
}

/** How often reads of this database were answered from the cache, and how often they ran (tests, benchmarks). */
export function snapshotCacheStats(db: Executor): { hits: number; misses: number; confirmed: number } {
  const cache = cacheOf(db);
  return { hits: cache.hits, misses: cache.misses, confirmed: cache.confirmed };
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
 */
export async function readThroughSnapshotCache<T extends { text: string }>(
  db: Executor,
  key: string,
  load: (fresh: SQL, previous: T | undefined) => Promise<{ value: T | undefined; snapshot: string }>,
): Promise<T> {
  const cache = cacheOf(db);
  const known = cache.get(key);
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
