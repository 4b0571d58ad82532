// What admins do with the shared job queue: list jobs by state, retry a failed one, cancel a queued one (both audited).
import { and, desc, eq, sql } from "drizzle-orm";
import { jobs } from "@/db/schema";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { DomainError } from "../errors";
import type { ServiceContext } from "../service-context";
import { DB_NOW, JOBS_CHANNEL } from "./queue";
import { jobKindHooks } from "./runner";
import type { JobSummary, zJobList } from "./schema";
import type { z } from "zod";

// The handlers' hooks (retry preparation) live with their areas: load them so a web process with STUDIO_JOBS=off has them.
async function loadJobKinds(): Promise<void> {
  await import("./studio-jobs");
}

export async function listJobs(ctx: ServiceContext, input: { state?: JobSummary["state"]; limit?: number }): Promise<z.infer<typeof zJobList>> {
  authorize(ctx.actor, "jobs.manage");
  const rows = await ctx.db
    .select()
    .from(jobs)
    .where(input.state ? eq(jobs.state, input.state) : undefined)
    .orderBy(desc(jobs.jobId))
    .limit(input.limit ?? 200);
  const counted = await ctx.db.select({ state: jobs.state, count: sql<number>`count(*)::int` }).from(jobs).groupBy(jobs.state);
  const counts = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
  for (const { state, count } of counted) counts[state] = Number(count);
  return {
    jobs: rows.map((r) => ({
      jobId: r.jobId,
      kind: r.kind,
      target: r.target,
      state: r.state,
      attempts: r.attempts,
      maxAttempts: r.maxAttempts,
      periodic: r.repeatEveryMs !== null,
      lastError: r.lastError,
      lockedBy: r.lockedBy,
      runAt: r.runAt,
      createdAt: r.createdAt,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
    })),
    counts,
  };
}

async function lockedJob(tx: Pick<ServiceContext["db"], "select">, jobId: number) {
  const [row] = await tx.select().from(jobs).where(eq(jobs.jobId, jobId)).for("update");
  if (!row) throw new DomainError("RESOURCE_DOES_NOT_EXIST", `Job #${jobId} does not exist (finished jobs are removed after 7 days).`);
  return row;
}

/** A failed job runs again from its first attempt, now; the row it works on is put back where its handler picks it up. */
export async function retryJob(ctx: ServiceContext, input: { jobId: number }): Promise<{ jobId: number }> {
  authorize(ctx.actor, "jobs.manage");
  await loadJobKinds();
  await ctx.db.transaction(async (tx) => {
    const job = await lockedJob(tx, input.jobId);
    if (job.state !== "failed") throw new DomainError("INVALID_STATE", `Job #${job.jobId} is ${job.state}: only a failed job can be retried.`);
    if (job.dedupeKey) {
      const [active] = await tx
        .select({ jobId: jobs.jobId })
        .from(jobs)
        .where(and(eq(jobs.dedupeKey, job.dedupeKey), sql`${jobs.state} in ('queued', 'running')`));
      if (active) throw new DomainError("INVALID_STATE", `Job #${active.jobId} already does the same work (${job.target}): it is queued or running.`);
    }
    await jobKindHooks(job.kind).beforeRetry?.(tx as unknown as ServiceContext["db"], job);
    await tx
      .update(jobs)
      .set({ state: "queued", attempts: 0, runAt: sql`${DB_NOW}`, lockedBy: null, leaseUntil: null, finishedAt: null })
      .where(eq(jobs.jobId, job.jobId));
    await tx.execute(sql`select pg_notify(${JOBS_CHANNEL}, ${job.kind})`);
    await recordAudit(tx, ctx.actor, {
      action: "job.retry",
      targetType: "job",
      targetId: String(job.jobId),
      before: { state: job.state, attempts: job.attempts, lastError: job.lastError },
      after: { state: "queued" },
      meta: { kind: job.kind, target: job.target },
    });
  });
  // This process's runner, if it runs jobs, looks at once (others hear the NOTIFY or poll).
  const { jobRunners } = await import("./runner");
  for (const runner of jobRunners()) if (runner.db === ctx.db) runner.wake();
  return { jobId: input.jobId };
}

/** A queued one-off job is dropped; periodic jobs cannot be (they would never run again). */
export async function cancelJob(ctx: ServiceContext, input: { jobId: number }): Promise<{ jobId: number }> {
  authorize(ctx.actor, "jobs.manage");
  await ctx.db.transaction(async (tx) => {
    const job = await lockedJob(tx, input.jobId);
    if (job.state !== "queued") throw new DomainError("INVALID_STATE", `Job #${job.jobId} is ${job.state}: only a queued job can be cancelled.`);
    if (job.repeatEveryMs !== null) throw new DomainError("INVALID_STATE", `Job #${job.jobId} (${job.kind}) is periodic: cancelling it would stop it for good.`);
    await tx.update(jobs).set({ state: "cancelled", finishedAt: sql`${DB_NOW}` }).where(eq(jobs.jobId, job.jobId));
    await recordAudit(tx, ctx.actor, {
      action: "job.cancel",
      targetType: "job",
      targetId: String(job.jobId),
      before: { state: "queued" },
      after: { state: "cancelled" },
      meta: { kind: job.kind, target: job.target },
    });
  });
  return { jobId: input.jobId };
}
