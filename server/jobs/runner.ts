// The loop that runs queued jobs: claims due jobs of the kinds it has handlers for (N at a time, 1 by default), keeps
// their leases alive while they run, and records the outcome. It wakes when a job is queued — directly in this
// process, by LISTEN/NOTIFY from other processes on PostgreSQL — and polls besides, for backoffs, periodic ticks
// and leases that expired. Every studio process may run one per database; the claim keeps each job to one of them.
import os from "node:os";
import { randomBytes } from "node:crypto";
import { onDatabaseClose, type Database } from "@/db/client";
import type { ArtifactStore } from "../artifacts/store";
import { redactErrorForLog } from "../auth/log-redaction";
import { DomainError } from "../errors";
import { claimJobs, completeJob, dueOneOffJobs, failJob, heartbeatJob, JOBS_CHANNEL, releaseJobs, type JobRow } from "./queue";

/** What a handler gets: the job, this process's database and stores, and a signal raised when the job is released. */
export interface JobContext {
  job: JobRow;
  db: Database;
  artifacts: ArtifactStore;
  datasetRoot: string;
  signal: AbortSignal;
}

export type JobHandler = (ctx: JobContext) => Promise<void>;

/** What a kind does besides running: record a give-up on the row it works on, and make that row runnable on a retry. */
export interface JobKindHooks {
  /** The job failed for good (attempts used up, or a DomainError): e.g. mark the dataset version's profiling failed. */
  onGiveUp?: (ctx: Omit<JobContext, "signal">, reason: string) => Promise<void>;
  /** An admin retries it: put the row it works on back where the handler picks it up. */
  beforeRetry?: (db: Database, job: JobRow) => Promise<void>;
}

/** The stores a runner's handlers use; the process-wide ones unless a caller (a test) gave its own. */
export interface RunnerStores {
  artifacts?: ArtifactStore;
  datasetRoot?: string;
}

const registry = globalThis as unknown as { studioJobHandlers?: Map<string, JobHandler>; studioJobHooks?: Map<string, JobKindHooks> };
const handlers = (registry.studioJobHandlers ??= new Map());
const kindHooks = (registry.studioJobHooks ??= new Map());

/** Registers the handler of a kind (and its hooks), for every runner of this process. */
export function registerJobHandler(kind: string, handler: JobHandler, hooks: JobKindHooks = {}): void {
  handlers.set(kind, handler);
  kindHooks.set(kind, hooks);
}

export function jobKindHooks(kind: string): JobKindHooks {
  return kindHooks.get(kind) ?? {};
}

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return process.env[name] && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** STUDIO_JOB_LEASE_MS (15 s): how long a claim holds without a heartbeat; a killed process's jobs return after it. */
export function jobLeaseMs(): number {
  return envNumber("STUDIO_JOB_LEASE_MS", 15_000);
}

export interface RunnerOptions extends RunnerStores {
  /** Handlers by kind; the registered ones when absent. */
  handlers?: Map<string, JobHandler>;
  concurrency?: number;
  leaseMs?: number;
  /** Lease renewal; a third of the lease by default, so two renewals can fail before it lapses. */
  heartbeatMs?: number;
  pollMs?: number;
  retryBaseMs?: number;
  /** Names this runner in `locked_by`. */
  name?: string;
}

type PgListener = {
  connect(): Promise<void>;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: "notification", listener: (message: { channel: string }) => void): void;
  on(event: "error" | "end", listener: (error?: Error) => void): void;
};

export class JobRunner {
  readonly owner: string;
  private readonly handlers: Map<string, JobHandler>;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly retryBaseMs: number;
  private readonly active = new Map<number, { done: Promise<void>; abort: AbortController }>();
  private pumping: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private started = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private listener: PgListener | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  /** Claims started, and the sequence number of the last one that found nothing (drain() compares them). */
  private claimsStarted = 0;
  private lastEmptyClaim = 0;
  readonly stores: RunnerStores;

  constructor(
    readonly db: Database,
    options: RunnerOptions = {},
  ) {
    this.handlers = options.handlers ?? handlers;
    this.concurrency = Math.max(1, options.concurrency ?? envNumber("STUDIO_JOB_CONCURRENCY", 1));
    this.leaseMs = options.leaseMs ?? jobLeaseMs();
    this.heartbeatMs = options.heartbeatMs ?? Math.max(50, Math.floor(this.leaseMs / 3));
    this.pollMs = options.pollMs ?? envNumber("STUDIO_JOB_POLL_MS", 2_000);
    this.retryBaseMs = options.retryBaseMs ?? envNumber("STUDIO_JOB_RETRY_BASE_MS", 10_000);
    this.owner = `${options.name ?? "runner"}@${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.stores = { artifacts: options.artifacts, datasetRoot: options.datasetRoot };
  }

  /** Starts polling and listening; jobs already due are claimed at once. */
  start(): this {
    if (this.started) return this;
    this.started = true;
    this.schedulePoll();
    void this.listen();
    this.wake();
    return this;
  }

  /** Jobs this runner is running now. */
  runningCount(): number {
    return this.active.size;
  }

  /** Looks for due jobs now (a job was queued). */
  wake(): void {
    if (this.stopped) return;
    void this.pump();
  }

  /**
   * Resolves once no due job is left for this runner and none runs (tests, the demo seed). Jobs waiting for a
   * backoff or a periodic tick are not due and are not waited for.
   */
  async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      if (this.active.size) {
        await Promise.race([...this.active.values()].map((a) => a.done));
        continue;
      }
      const before = this.claimsStarted;
      await this.pump();
      if (!this.active.size && this.lastEmptyClaim > before) return;
    }
  }

  /**
   * Stops claiming; jobs still running after `graceMs` are released (queued again at once, for another process) and
   * their handlers told through their signal. Resolves when done.
   */
  async stop(graceMs = 0): Promise<{ finished: number; released: number }> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    const running = [...this.active.values()].map((a) => a.done);
    const before = this.active.size;
    if (running.length && graceMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(running), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    const left = [...this.active.keys()];
    let released = 0;
    if (left.length) {
      released = await releaseJobs(this.db, left, this.owner).catch(() => 0);
      for (const id of left) this.active.get(id)?.abort.abort();
    }
    return { finished: before - left.length, released };
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => {
      this.wake();
      this.schedulePoll();
    }, this.pollMs);
    this.pollTimer.unref?.();
  }

  private pump(): Promise<void> {
    this.again = true;
    this.pumping ??= this.claimLoop().finally(() => {
      this.pumping = null;
    });
    return this.pumping;
  }

  private async claimLoop(): Promise<void> {
    while (this.again && !this.stopped) {
      this.again = false;
      while (!this.stopped && this.active.size < this.concurrency) {
        const seq = ++this.claimsStarted;
        let claimed: JobRow[];
        try {
          claimed = await claimJobs(this.db, { owner: this.owner, kinds: [...this.handlers.keys()], leaseMs: this.leaseMs, limit: 1 });
        } catch (error) {
          // The database away (restarting, closed under a test): the next poll tries again.
          if (!this.stopped) console.warn(`[studio] jobs: could not claim a job: ${error instanceof Error ? error.message : String(error)}`);
          return;
        }
        if (!claimed.length) {
          this.lastEmptyClaim = Math.max(this.lastEmptyClaim, seq);
          break;
        }
        if (this.stopped) {
          // Claimed while stop() ran: given straight back rather than started on a closing database.
          await releaseJobs(this.db, claimed.map((j) => j.jobId), this.owner).catch(() => undefined);
          return;
        }
        for (const job of claimed) this.run(job);
      }
    }
  }

  private run(job: JobRow): void {
    const abort = new AbortController();
    const done = this.execute(job, abort).finally(() => {
      this.active.delete(job.jobId);
      this.wake();
    });
    this.active.set(job.jobId, { done, abort });
  }

  private async execute(job: JobRow, abort: AbortController): Promise<void> {
    const heartbeat = setInterval(() => {
      heartbeatJob(this.db, job.jobId, this.owner, this.leaseMs)
        .then((held) => {
          // Another process reclaimed it (this one stalled past its lease): tell the handler; its outcome is not recorded.
          if (!held) abort.abort();
        })
        .catch(() => undefined);
    }, this.heartbeatMs);
    heartbeat.unref?.();
    const { getArtifactStore } = await import("../service-context");
    const { getDatasetRoot } = await import("../datasets/dataset-store");
    const ctx = {
      job,
      db: this.db,
      artifacts: this.stores.artifacts ?? getArtifactStore(),
      datasetRoot: this.stores.datasetRoot ?? getDatasetRoot(),
    };
    try {
      if (job.attempts > job.maxAttempts) {
        await this.giveUp(
          ctx,
          `Stopped ${job.maxAttempts} time(s) while running (the process running it ended each time) and given up. Retry it from the Jobs page.`,
        );
        return;
      }
      await this.handlers.get(job.kind)!({ ...ctx, signal: abort.signal });
      if (!abort.signal.aborted) await completeJob(this.db, job.jobId, this.owner);
    } catch (error) {
      if (abort.signal.aborted) return;
      // A DomainError says what the user must change (a file that cannot be read): trying again cannot help.
      const permanent = error instanceof DomainError;
      const message = permanent ? error.message : error instanceof Error ? error.message : String(error);
      if (!permanent) console.error(`[studio] job ${job.jobId} (${job.kind}) failed`, redactErrorForLog(error));
      if (permanent) await this.giveUp(ctx, message).catch(() => undefined);
      else {
        const outcome = await failJob(this.db, job.jobId, this.owner, message.slice(0, 2_000), this.retryBaseMs).catch(() => "lost" as const);
        if (outcome === "failed") await jobKindHooks(job.kind).onGiveUp?.(ctx, message).catch(() => undefined);
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async giveUp(ctx: Omit<JobContext, "signal">, reason: string): Promise<void> {
    const outcome = await failJob(this.db, ctx.job.jobId, this.owner, reason.slice(0, 2_000), this.retryBaseMs, { permanent: true });
    if (outcome === "failed") await jobKindHooks(ctx.job.kind).onGiveUp?.(ctx, reason);
  }

  /** On PostgreSQL, a LISTEN connection wakes this runner when another process queues a job. */
  private async listen(): Promise<void> {
    const pool = (this.db as unknown as { $client?: unknown }).$client;
    const isPostgresPool = !!pool && typeof pool === "object" && "options" in pool && "totalCount" in pool;
    if (!isPostgresPool || this.stopped) return;
    const { Client } = await import("pg");
    const client = new Client((pool as { options: Record<string, unknown> }).options) as unknown as PgListener;
    this.listener = client;
    const lost = () => {
      if (this.listener !== client) return;
      this.listener = null;
      void client.end().catch(() => undefined);
      if (!this.stopped) {
        this.reconnectTimer = setTimeout(() => void this.listen(), 1_000);
        this.reconnectTimer.unref?.();
      }
    };
    client.on("error", lost);
    client.on("end", lost);
    client.on("notification", (message) => {
      if (message.channel === JOBS_CHANNEL) this.wake();
    });
    try {
      await client.connect();
      await client.query(`listen ${JOBS_CHANNEL}`);
      if (this.listener !== client) await client.end().catch(() => undefined);
      else this.wake();
    } catch {
      lost();
    }
  }
}

// --- The process's runners: one per database, started by the studio, the worker, or the first enqueue of a test. ---

const processRunners = globalThis as unknown as { studioJobRunners?: Map<Database, JobRunner>; studioJobEnqueues?: Set<Promise<unknown>> };
const runners = (processRunners.studioJobRunners ??= new Map());
const pendingEnqueues = (processRunners.studioJobEnqueues ??= new Set());

/** Whether this process runs jobs: yes unless STUDIO_JOBS=off (web instances of a team that leave jobs to workers). */
export function jobsEnabledHere(): boolean {
  return (process.env.STUDIO_JOBS ?? "").toLowerCase() !== "off";
}

/** This process's runner for `db`, started on first use (when jobs run here); null when STUDIO_JOBS=off. */
export function ensureJobRunner(db: Database, stores: RunnerStores = {}, options: Omit<RunnerOptions, keyof RunnerStores> = {}): JobRunner | null {
  if (!jobsEnabledHere()) return null;
  let runner = runners.get(db);
  if (!runner) {
    runner = new JobRunner(db, { ...options, ...stores }).start();
    runners.set(db, runner);
    const started = runner;
    onDatabaseClose(db, async () => {
      runners.delete(db);
      await started.stop(0);
    });
  } else {
    // A test's own stores, given by its first enqueue that had them.
    runner.stores.artifacts ??= stores.artifacts;
    runner.stores.datasetRoot ??= stores.datasetRoot;
  }
  return runner;
}

/** This process's runners (the worker's health and shutdown). */
export function jobRunners(): JobRunner[] {
  return [...runners.values()];
}

/** Follows an enqueue made without awaiting it (callers that return at once), so waitForJobs sees it. */
export function trackEnqueue(promise: Promise<unknown>): void {
  const tracked = promise.catch((error: unknown) => console.error("[studio] could not queue a job", redactErrorForLog(error)));
  pendingEnqueues.add(tracked);
  void tracked.finally(() => pendingEnqueues.delete(tracked));
}

/**
 * Resolves when this process's queued jobs are done (tests, the demo seed): its pending enqueues, then its runners
 * drained. Given `db` that this process runs no jobs for (STUDIO_JOBS=off), it waits for other processes to empty the
 * queue of due one-off jobs instead, up to `timeoutMs`.
 */
export async function waitForJobs(db?: Database, timeoutMs = 10 * 60_000): Promise<void> {
  for (;;) {
    while (pendingEnqueues.size) await Promise.all([...pendingEnqueues]);
    await Promise.all([...runners.values()].map((r) => r.drain()));
    if (!pendingEnqueues.size) break;
  }
  if (!db || runners.has(db)) return;
  const deadline = Date.now() + timeoutMs;
  while ((await dueOneOffJobs(db)) > 0) {
    if (Date.now() > deadline) {
      throw new Error(
        `Jobs are still queued after ${Math.round(timeoutMs / 1000)} s and this process does not run them (STUDIO_JOBS=off): start a worker (npm run worker) or another instance with jobs on.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Stops every runner of this process: running jobs get `graceMs` to finish, then are released (SIGTERM). */
export async function stopJobRunners(graceMs: number): Promise<{ finished: number; released: number }> {
  const all = [...runners.values()];
  runners.clear();
  const results = await Promise.all(all.map((r) => r.stop(graceMs)));
  return results.reduce((sum, r) => ({ finished: sum.finished + r.finished, released: sum.released + r.released }), { finished: 0, released: 0 });
}
