// The job queue's operations on the `jobs` table: enqueue (deduplicated), claim with FOR UPDATE SKIP LOCKED under a
// lease, heartbeat, complete, fail with exponential backoff, release. Every time is the database's clock, so processes
// on machines whose clocks differ still agree on when a lease ends.
//
// Hand-written rather than pg-boss or graphile-worker: both need a pool of separate connections (pg-boss its own
// schema and several sessions, graphile-worker a pg Pool plus LISTEN) and neither runs on PGlite, the embedded default
// and the database of every test, which is one in-process connection. These few statements run the same on PGlite,
// the embedded PostgreSQL and a PostgreSQL server.
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";
import { jobs } from "@/db/schema";

/** The NOTIFY channel an enqueue is announced on (payload: the kind), so idle runners of other processes wake. */
export const JOBS_CHANNEL = "studio_jobs";

/** The database's clock in epoch milliseconds. */
export const DB_NOW = sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

export type JobState = "queued" | "running" | "done" | "failed" | "cancelled";
export type JobRow = typeof jobs.$inferSelect;
type Executor = Pick<Database, "execute">;

export interface EnqueueInput {
  kind: string;
  /** For people: what the job works on ("dataset version 12"). */
  target?: string;
  payload?: Record<string, unknown>;
  /** While a job with this key is queued or running, enqueueing it again returns that job instead of a second one. */
  dedupeKey?: string;
  maxAttempts?: number;
  /** Not before this long from now. */
  delayMs?: number;
  /** A periodic job: after each run it goes back to queued, due this long later (one row per kind, one run per tick). */
  repeatEveryMs?: number;
}

/** Columns as the raw statements return them, to JobRow. */
function toJobRow(row: Record<string, unknown>): JobRow {
  const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    jobId: Number(row.job_id),
    kind: String(row.kind),
    target: String(row.target ?? ""),
    payload: (typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>,
    dedupeKey: (row.dedupe_key as string | null) ?? null,
    state: row.state as JobState,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: Number(row.run_at),
    repeatEveryMs: num(row.repeat_every_ms),
    lockedBy: (row.locked_by as string | null) ?? null,
    leaseUntil: num(row.lease_until),
    lastError: (row.last_error as string | null) ?? null,
    createdAt: Number(row.created_at),
    startedAt: num(row.started_at),
    finishedAt: num(row.finished_at),
  };
}

/** Queues a job, or returns the queued/running one with the same dedupe key; `created` says which. */
export async function enqueueJob(db: Executor, input: EnqueueInput): Promise<{ jobId: number; created: boolean }> {
  const inserted = await queryRows<{ job_id: string | number }>(
    db,
    sql`insert into ${jobs} (kind, target, payload, dedupe_key, max_attempts, run_at, repeat_every_ms, created_at)
        values (${input.kind}, ${input.target ?? ""}, ${JSON.stringify(input.payload ?? {})}::jsonb, ${input.dedupeKey ?? null},
                ${input.maxAttempts ?? 3}, ${DB_NOW} + ${Math.max(0, Math.round(input.delayMs ?? 0))}, ${input.repeatEveryMs ?? null}, ${DB_NOW})
        on conflict (dedupe_key) where state in ('queued', 'running') do nothing
        returning job_id`,
  );
  if (inserted[0]) {
    // Delivered at commit when the caller is in a transaction; PGlite has no other process to tell.
    await db.execute(sql`select pg_notify(${JOBS_CHANNEL}, ${input.kind})`);
    return { jobId: Number(inserted[0].job_id), created: true };
  }
  const [existing] = await queryRows<{ job_id: string | number }>(
    db,
    sql`select job_id from ${jobs} where dedupe_key = ${input.dedupeKey ?? null} and state in ('queued', 'running') limit 1`,
  );
  // The other one finished between the insert and this read: rare, and queueing again is what the caller asked.
  if (!existing) return enqueueJob(db, input);
  return { jobId: Number(existing.job_id), created: false };
}

/**
 * Claims up to `limit` due jobs of these kinds for `owner`: queued ones whose time came, and running ones whose lease
 * expired (their process died). SKIP LOCKED makes concurrent claims take disjoint rows, so each claim is exclusive.
 */
export async function claimJobs(db: Executor, options: { owner: string; kinds: string[]; leaseMs: number; limit?: number }): Promise<JobRow[]> {
  if (!options.kinds.length) return [];
  const kinds = sql.join(options.kinds.map((k) => sql`${k}`), sql`, `);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`update ${jobs} j
        set state = 'running', attempts = j.attempts + 1, locked_by = ${options.owner}, lease_until = ${DB_NOW} + ${options.leaseMs},
            started_at = ${DB_NOW},
            last_error = case when j.state = 'running' then 'The process running it stopped before it finished (its lease expired); it was taken up again.' else j.last_error end
        from (
          select job_id from ${jobs}
          where kind in (${kinds})
            and ((state = 'queued' and run_at <= ${DB_NOW}) or (state = 'running' and lease_until < ${DB_NOW}))
          order by run_at, job_id
          limit ${options.limit ?? 1}
          for update skip locked
        ) due
        where j.job_id = due.job_id
        returning j.*`,
  );
  return rows.map(toJobRow);
}

/** Extends the lease of a job this owner still holds; false when it lost it (another process reclaimed it). */
export async function heartbeatJob(db: Executor, jobId: number, owner: string, leaseMs: number): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`update ${jobs} set lease_until = ${DB_NOW} + ${leaseMs} where job_id = ${jobId} and locked_by = ${owner} and state = 'running' returning job_id`,
  );
  return rows.length > 0;
}

/** Marks a held job done; a periodic one goes back to queued for its next tick. False when the owner no longer held it. */
export async function completeJob(db: Executor, jobId: number, owner: string): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`update ${jobs}
        set state = case when repeat_every_ms is null then 'done' else 'queued' end,
            run_at = case when repeat_every_ms is null then run_at else ${DB_NOW} + repeat_every_ms end,
            attempts = case when repeat_every_ms is null then attempts else 0 end,
            last_error = case when repeat_every_ms is null then last_error else null end,
            finished_at = ${DB_NOW}, locked_by = null, lease_until = null
        where job_id = ${jobId} and locked_by = ${owner} and state = 'running'
        returning job_id`,
  );
  return rows.length > 0;
}

/** Wait before attempt n+1 after n failed attempts: base, 2×base, 4×base… capped at an hour. */
export function retryBackoffMs(failedAttempts: number, baseMs: number): number {
  return Math.min(3_600_000, baseMs * 2 ** Math.max(0, failedAttempts - 1));
}

/**
 * Records a failed attempt of a held job: queued again after the backoff while attempts remain, else failed with the
 * reason. A periodic job's tick is not retried: it goes back to queued for its next tick, keeping the error.
 */
export async function failJob(
  db: Executor,
  jobId: number,
  owner: string,
  error: string,
  retryBaseMs: number,
  options: { permanent?: boolean } = {},
): Promise<"retrying" | "failed" | "lost"> {
  const [row] = await queryRows<{ state: string; attempts: number; max_attempts: number; repeat_every_ms: string | number | null }>(
    db,
    sql`select state, attempts, max_attempts, repeat_every_ms from ${jobs} where job_id = ${jobId} and locked_by = ${owner} and state = 'running'`,
  );
  if (!row) return "lost";
  const retry = row.repeat_every_ms !== null || (!options.permanent && row.attempts < row.max_attempts);
  const delay = row.repeat_every_ms !== null ? Number(row.repeat_every_ms) : retryBackoffMs(row.attempts, retryBaseMs);
  const updated = await queryRows(
    db,
    retry
      ? sql`update ${jobs} set state = 'queued', run_at = ${DB_NOW} + ${delay}, last_error = ${error}, locked_by = null, lease_until = null,
                attempts = case when repeat_every_ms is null then attempts else 0 end, finished_at = ${DB_NOW}
            where job_id = ${jobId} and locked_by = ${owner} and state = 'running' returning job_id`
      : sql`update ${jobs} set state = 'failed', last_error = ${error}, locked_by = null, lease_until = null, finished_at = ${DB_NOW}
            where job_id = ${jobId} and locked_by = ${owner} and state = 'running' returning job_id`,
  );
  if (!updated.length) return "lost";
  return retry ? "retrying" : "failed";
}

/** Gives held jobs back (a stopping process): queued again at once, the interrupted attempt not counted. */
export async function releaseJobs(db: Executor, jobIds: number[], owner: string): Promise<number> {
  if (!jobIds.length) return 0;
  const ids = sql.join(jobIds.map((id) => sql`${id}`), sql`, `);
  const rows = await queryRows(
    db,
    sql`update ${jobs} set state = 'queued', run_at = ${DB_NOW}, locked_by = null, lease_until = null, attempts = greatest(0, attempts - 1)
        where job_id in (${ids}) and locked_by = ${owner} and state = 'running' returning job_id`,
  );
  return rows.length;
}

/** Queues a periodic job once (its row is shared by every process): the first run after `firstDelayMs`. */
export async function schedulePeriodicJob(db: Executor, kind: string, everyMs: number, firstDelayMs = everyMs): Promise<void> {
  await enqueueJob(db, { kind, target: "periodic", dedupeKey: `periodic:${kind}`, repeatEveryMs: everyMs, delayMs: firstDelayMs, maxAttempts: 1 });
  // A changed interval (another STUDIO_*_EVERY_MS) applies from the next tick.
  await db.execute(sql`update ${jobs} set repeat_every_ms = ${everyMs} where dedupe_key = ${`periodic:${kind}`} and state in ('queued', 'running')`);
}

/** Removes finished one-off jobs older than `olderThanMs` (the retention job), so the table does not grow for ever. */
export async function pruneFinishedJobs(db: Executor, olderThanMs: number): Promise<number> {
  const rows = await queryRows(
    db,
    sql`delete from ${jobs} where state in ('done', 'cancelled') and repeat_every_ms is null and finished_at < ${DB_NOW} - ${olderThanMs} returning job_id`,
  );
  return rows.length;
}

/** Jobs by kind and state (the metrics). */
export async function countJobsByState(db: Executor): Promise<{ kind: string; state: JobState; count: number }[]> {
  const rows = await queryRows<{ kind: string; state: JobState; count: string | number }>(
    db,
    sql`select kind, state, count(*) as count from ${jobs} group by kind, state`,
  );
  return rows.map((r) => ({ kind: r.kind, state: r.state, count: Number(r.count) }));
}

/** One-off jobs due or running (what "wait until the queue is drained" waits for; periodic ticks never drain). */
export async function dueOneOffJobs(db: Executor): Promise<number> {
  const [row] = await queryRows<{ n: string | number }>(
    db,
    sql`select count(*) as n from ${jobs}
        where repeat_every_ms is null and (state = 'running' or (state = 'queued' and run_at <= ${DB_NOW}))`,
  );
  return Number(row?.n ?? 0);
}
