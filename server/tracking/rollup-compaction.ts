// Rollup compaction: folds the points log-batch queued in metric_rollup_backlog (batches that re-sent stored points
// or ran in a transaction) into metric_rollups, in the background after writes and, for the runs a chart reads, before
// the read.
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { PgTransaction } from "drizzle-orm/pg-core";
import { foldBacklog } from "./metric-rollups";
import { noteWrite } from "./snapshot-cache";

type Executor = Pick<Database, "execute">;

/**
 * A fold writes only the rollups and their backlog, which no search reads: recorded as touching no experiment, so a
 * search kept while training runs log elsewhere stays kept across the folds that follow their batches. A fold inside
 * a caller's transaction is not recorded: that transaction may write more.
 */
function noteFold(db: Executor, rows: { xid?: string }[]): void {
  const xid = rows[0]?.xid;
  if (xid && !(db instanceof PgTransaction)) noteWrite(db, xid, []);
}

/** Backlog rows (one per logged batch, ≤ 1,000 points each) one background statement folds: bigger folds share buckets. */
export const COMPACTION_BATCHES_PER_FOLD = 64;

/** How long the background compactor waits after a write, so a burst of batches is folded together. */
const COMPACTION_DELAY_MS = 50;

/**
 * Folds up to `limit` of the oldest backlog rows that no other compactor holds. SKIP LOCKED lets
 * several processes compact side by side, each row folded by exactly one of them. Returns how many
 * backlog rows were folded (0 when there is nothing left to take).
 */
export async function compactRollupBacklog(db: Executor, limit = COMPACTION_BATCHES_PER_FOLD): Promise<number> {
  const result = (await db.execute(
    foldBacklog(sql`
      delete from metric_rollup_backlog
      where id in (select id from metric_rollup_backlog order by id limit ${limit} for update skip locked)
      returning run_uuid, keys, steps, times, vals`),
  )) as unknown as { rows: { folded: string | number; xid: string }[] };
  noteFold(db, result.rows);
  return Number(result.rows[0].folded);
}

/** PostgreSQL's deadlock_detected: two catch-ups that claimed shared rows in different orders; one is retried. */
const DEADLOCK = "40P01";

/**
 * Folds every queued point of these runs into the rollups before a chart reads them. Rows another
 * compactor is folding are waited for, not skipped (FOR UPDATE without SKIP LOCKED): once that
 * compactor commits they are gone and its merge is visible to the read that follows.
 */
export async function catchUpRollups(db: Executor, runIds: string[]): Promise<void> {
  if (!runIds.length) return;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = (await db.execute(
        foldBacklog(sql`
          delete from metric_rollup_backlog
          where id in (select id from metric_rollup_backlog where run_uuid = any(${sql.param(runIds)}::text[]) order by id for update)
          returning run_uuid, keys, steps, times, vals`),
      )) as unknown as { rows: { xid: string }[] };
      noteFold(db, result.rows);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK || attempt >= 3) throw error;
    }
  }
}

interface CompactorState {
  timer?: ReturnType<typeof setTimeout>;
  running?: Promise<void>;
  /** Holds on the background pass (pauseRollupCompaction); a write meanwhile leaves `wanted` set. */
  paused: number;
  wanted: boolean;
}

const compactors = new WeakMap<object, CompactorState>();

function compactorOf(db: Executor): CompactorState {
  let state = compactors.get(db);
  if (!state) {
    state = { paused: 0, wanted: false };
    compactors.set(db, state);
  }
  return state;
}

/**
 * Holds the background pass until the returned resume is called (a bulk load that folds once at the
 * end, or a test that must see the backlog as writes left it). Reads still catch up their runs.
 */
export function pauseRollupCompaction(db: Executor): () => void {
  const state = compactorOf(db);
  state.paused++;
  let resumed = false;
  return () => {
    if (resumed) return;
    resumed = true;
    state.paused--;
    if (!state.paused && state.wanted) {
      state.wanted = false;
      scheduleRollupCompaction(db);
    }
  };
}

/** A database that was closed under a pending compaction (tests, shutdown): its backlog waits for the next start. */
function isClosedDatabase(error: unknown): boolean {
  // drizzle wraps the driver's error ("Failed query: …") and keeps it as the cause.
  for (let e = error as { message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (/is closed|after calling end|Connection terminated|terminating connection/i.test(String(e.message ?? e))) return true;
  }
  return false;
}

/**
 * Asks for a background fold of the backlog soon. Calls within the delay coalesce into one pass, and
 * a pass runs until the backlog is empty. Losing the process loses nothing: the backlog is in the
 * database and the next pass (or a chart read) folds it.
 */
export function scheduleRollupCompaction(db: Executor): void {
  const state = compactorOf(db);
  if (state.paused) {
    state.wanted = true;
    return;
  }
  if (state.timer || state.running) return;
  const s = state;
  s.timer = setTimeout(() => {
    s.timer = undefined;
    s.running = (async () => {
      try {
        while ((await compactRollupBacklog(db)) > 0) {
          // keep folding until nothing is left
        }
      } catch (error) {
        if (!isClosedDatabase(error)) console.warn(`[tracking] rollup compaction failed; it is retried on the next write or chart read: ${(error as Error).message}`);
      } finally {
        s.running = undefined;
      }
    })();
  }, COMPACTION_DELAY_MS);
  // A pending fold must not keep a CLI or test process alive: the backlog is durable.
  s.timer.unref?.();
}

/** Waits until no background pass is scheduled or running (tests and benchmarks that must see it finish). */
export async function backgroundCompactionSettled(db: Executor): Promise<void> {
  const state = compactors.get(db);
  while (state && (state.timer || state.running)) {
    await (state.running ?? new Promise((resolve) => setTimeout(resolve, COMPACTION_DELAY_MS)));
  }
}
