// The job queue under the conditions a team runs it in: several runners (on PostgreSQL, separate connection pools as
// separate processes would have), a runner that dies holding a job, failures, shutdown, and periodic ticks.
import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openDatabase, type Database, type DatabaseHandle } from "@/db/client";
import { jobs } from "@/db/schema";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { claimJobs, enqueueJob, schedulePeriodicJob } from "./queue";
import { JobRunner, waitForJobs, type JobHandler } from "./runner";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the queue");
    await sleep(25);
  }
}

async function jobRow(db: Database, jobId: number) {
  const [row] = await db.select().from(jobs).where(eq(jobs.jobId, jobId));
  return row!;
}

describe.each(testBackends)("job queue on %s", (kind) => {
  let studio: TestStudio;
  const opened: DatabaseHandle[] = [];
  const runners: JobRunner[] = [];

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop(0)));
    await Promise.all(opened.splice(0).map((h) => h.close()));
    await studio?.close();
  });

  /** A second database handle as another process would hold it: its own pool on PostgreSQL; PGlite has one connection. */
  async function secondDatabase(): Promise<Database> {
    if (kind === "pglite") return studio.db;
    const url = ((studio.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString);
    const handle = await openDatabase({ url });
    opened.push(handle);
    return handle.db;
  }

  function runner(db: Database, handlers: Record<string, JobHandler>, options: ConstructorParameters<typeof JobRunner>[1] = {}): JobRunner {
    const r = new JobRunner(db, { handlers: new Map(Object.entries(handlers)), pollMs: 50, ...options });
    runners.push(r);
    return r;
  }

  it("runs each job exactly once with two runners claiming concurrently", async () => {
    studio = await createTestStudio(kind);
    const other = await secondDatabase();
    const runs = new Map<number, number>();
    const handler: JobHandler = async ({ job }) => {
      runs.set(job.jobId, (runs.get(job.jobId) ?? 0) + 1);
      await sleep(5);
    };
    const ids: number[] = [];
    for (let i = 0; i < 60; i++) ids.push((await enqueueJob(studio.db, { kind: "test.count", target: `item ${i}` })).jobId);
    runner(studio.db, { "test.count": handler }, { concurrency: 3, name: "a" }).start();
    runner(other, { "test.count": handler }, { concurrency: 3, name: "b" }).start();
    await waitUntil(async () => (await studio.db.select().from(jobs).where(eq(jobs.state, "done"))).length === ids.length);
    expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 1));
    const rows = await studio.db.select().from(jobs);
    expect(rows.every((r) => r.attempts === 1 && r.lockedBy === null)).toBe(true);
  });

  it("waits for another process to drain the queue when this one runs no jobs (the demo seed with STUDIO_JOBS=off)", async () => {
    studio = await createTestStudio(kind);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await enqueueJob(studio.db, { kind: "test.elsewhere" })).jobId);
    // A periodic job never drains: it is not waited for.
    await schedulePeriodicJob(studio.db, "test.elsewhere-tick", 60_000, 0);
    // "Another process": a runner this process's waitForJobs does not know of.
    runner(await secondDatabase(), { "test.elsewhere": async () => void (await sleep(100)) }).start();
    await waitForJobs(studio.db);
    const rows = await studio.db.select().from(jobs).where(eq(jobs.kind, "test.elsewhere"));
    expect(rows.map((r) => r.state)).toEqual(ids.map(() => "done"));
  });

  it("deduplicates while queued or running, and queues again once finished", async () => {
    studio = await createTestStudio(kind);
    const first = await enqueueJob(studio.db, { kind: "test.dedupe", dedupeKey: "profile:12" });
    const again = await enqueueJob(studio.db, { kind: "test.dedupe", dedupeKey: "profile:12" });
    expect(again).toEqual({ jobId: first.jobId, created: false });
    await runner(studio.db, { "test.dedupe": async () => undefined }).start().drain();
    expect((await jobRow(studio.db, first.jobId)).state).toBe("done");
    const later = await enqueueJob(studio.db, { kind: "test.dedupe", dedupeKey: "profile:12" });
    expect(later.created).toBe(true);
    expect(later.jobId).not.toBe(first.jobId);
  });

  it("reclaims the job of a runner that died once its lease expires", async () => {
    studio = await createTestStudio(kind);
    const { jobId } = await enqueueJob(studio.db, { kind: "test.crash" });
    // A runner claims it and is killed: no heartbeat, no release.
    const [held] = await claimJobs(studio.db, { owner: "killed-worker", kinds: ["test.crash"], leaseMs: 300 });
    expect(held!.jobId).toBe(jobId);
    let ranAt = 0;
    const survivor = runner(await secondDatabase(), { "test.crash": async () => void (ranAt = Date.now()) }).start();
    // Not before the lease ends.
    await sleep(100);
    expect(ranAt).toBe(0);
    await waitUntil(async () => (await jobRow(studio.db, jobId)).state === "done");
    const row = await jobRow(studio.db, jobId);
    expect(row.attempts).toBe(2);
    expect(row.lastError).toMatch(/lease expired/);
    expect(survivor.runningCount()).toBe(0);
  });

  it("keeps a long job's lease alive with heartbeats, so no one else takes it", async () => {
    studio = await createTestStudio(kind);
    const { jobId } = await enqueueJob(studio.db, { kind: "test.long" });
    let starts = 0;
    const handler: JobHandler = async () => {
      starts++;
      await sleep(900);
    };
    runner(studio.db, { "test.long": handler }, { leaseMs: 300, name: "a" }).start();
    runner(await secondDatabase(), { "test.long": handler }, { leaseMs: 300, name: "b" }).start();
    await waitUntil(async () => (await jobRow(studio.db, jobId)).state === "done");
    expect(starts).toBe(1);
  });

  it("retries a failing job with exponential backoff, then marks it failed with the reason", async () => {
    studio = await createTestStudio(kind);
    const { jobId } = await enqueueJob(studio.db, { kind: "test.fail", maxAttempts: 3 });
    const attemptsAt: number[] = [];
    runner(studio.db, { "test.fail": async () => {
      attemptsAt.push(Date.now());
      throw new Error("the file cannot be read");
    } }, { retryBaseMs: 150 }).start();
    await waitUntil(async () => (await jobRow(studio.db, jobId)).state === "failed");
    const row = await jobRow(studio.db, jobId);
    expect(row.attempts).toBe(3);
    expect(row.lastError).toBe("the file cannot be read");
    expect(attemptsAt).toHaveLength(3);
    // 150 ms after the first failure, 300 ms after the second (lower bounds: a slow machine only waits longer).
    expect(attemptsAt[1]! - attemptsAt[0]!).toBeGreaterThanOrEqual(140);
    expect(attemptsAt[2]! - attemptsAt[1]!).toBeGreaterThanOrEqual(290);
  });

  it("on shutdown lets a job finish within the grace period, and releases one that does not", async () => {
    studio = await createTestStudio(kind);
    const quick = await enqueueJob(studio.db, { kind: "test.quick" });
    const first = runner(studio.db, { "test.quick": async () => void (await sleep(150)) }).start();
    await waitUntil(async () => (await jobRow(studio.db, quick.jobId)).state === "running");
    expect(await first.stop(5_000)).toEqual({ finished: 1, released: 0 });
    expect((await jobRow(studio.db, quick.jobId)).state).toBe("done");

    const slow = await enqueueJob(studio.db, { kind: "test.slow" });
    let aborted = false;
    const stopping = runner(studio.db, { "test.slow": ({ signal }) => new Promise<void>((resolve) => signal.addEventListener("abort", () => ((aborted = true), resolve()))) }).start();
    await waitUntil(async () => (await jobRow(studio.db, slow.jobId)).state === "running");
    expect(await stopping.stop(100)).toEqual({ finished: 0, released: 1 });
    expect(aborted).toBe(true);
    const released = await jobRow(studio.db, slow.jobId);
    expect(released).toMatchObject({ state: "queued", attempts: 0, lockedBy: null, leaseUntil: null });
    // Another process takes it at once, not after a lease.
    await runner(await secondDatabase(), { "test.slow": async () => undefined }).start().drain();
    expect((await jobRow(studio.db, slow.jobId)).state).toBe("done");
  });

  it("runs a periodic job once per tick across two runners", async () => {
    studio = await createTestStudio(kind);
    const everyMs = 150;
    const runsOf: { start: number; end: number }[] = [];
    const handler: JobHandler = async () => {
      const start = Date.now();
      await sleep(30);
      runsOf.push({ start, end: Date.now() });
    };
    await schedulePeriodicJob(studio.db, "test.tick", everyMs, 0);
    // Every process schedules it at start-up: still one row.
    await schedulePeriodicJob(await secondDatabase(), "test.tick", everyMs, 0);
    runner(studio.db, { "test.tick": handler }, { name: "a" }).start();
    runner(await secondDatabase(), { "test.tick": handler }, { name: "b" }).start();
    const windowMs = 1_500;
    await sleep(windowMs);
    await Promise.all(runners.splice(0).map((r) => r.stop(1_000)));
    expect(await studio.db.select().from(jobs).where(eq(jobs.kind, "test.tick"))).toHaveLength(1);
    expect(runsOf.length).toBeGreaterThanOrEqual(2);
    expect(runsOf.length).toBeLessThanOrEqual(Math.floor(windowMs / everyMs) + 1);
    runsOf.sort((x, y) => x.start - y.start);
    for (let i = 1; i < runsOf.length; i++) {
      // Never two at once, and the next tick only `everyMs` after the previous one finished.
      expect(runsOf[i]!.start - runsOf[i - 1]!.end).toBeGreaterThanOrEqual(everyMs - 10);
    }
  });
});
