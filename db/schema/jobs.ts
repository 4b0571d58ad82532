// The job queue every studio process shares: background work (profiling, evaluations) and periodic ticks (monitoring
// refresh, retention, guards) as rows, claimed with FOR UPDATE SKIP LOCKED under a lease (server/jobs/queue.ts).
import { sql } from "drizzle-orm";
import { bigint, bigserial, check, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

export const jobs = pgTable(
  "jobs",
  {
    jobId: bigserial("job_id", { mode: "number" }).primaryKey(),
    /** Which handler runs it, e.g. "dataset.profile", "review.evaluate", "monitoring.refresh". */
    kind: text("kind").notNull(),
    /** What it works on, for people (the admin page): "dataset version 12", "review job 3". */
    target: text("target").notNull().default(""),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /** While queued or running, one job per key: asking twice to profile version 12 queues it once. */
    dedupeKey: text("dedupe_key"),
    state: text("state").$type<"queued" | "running" | "done" | "failed" | "cancelled">().notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(3),
    /** Not claimed before this time (epoch ms): retries back off through it, periodic jobs wait for their tick. */
    runAt: bigint("run_at", { mode: "number" }).notNull(),
    /** Periodic jobs: the next tick is queued this long after one finishes (or fails). */
    repeatEveryMs: bigint("repeat_every_ms", { mode: "number" }),
    /** The process holding it while running, and until when: past it, any process may reclaim the job. */
    lockedBy: text("locked_by"),
    leaseUntil: bigint("lease_until", { mode: "number" }),
    lastError: text("last_error"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    startedAt: bigint("started_at", { mode: "number" }),
    finishedAt: bigint("finished_at", { mode: "number" }),
  },
  (t) => [
    uniqueIndex("jobs_active_dedupe_idx").on(t.dedupeKey).where(sql`state in ('queued', 'running')`),
    index("jobs_claim_idx").on(t.runAt).where(sql`state in ('queued', 'running')`),
    index("jobs_state_idx").on(t.state, t.jobId),
    check("jobs_state_check", sql`${t.state} in ('queued', 'running', 'done', 'failed', 'cancelled')`),
  ],
);
