// bench/jobs-queue: how fast the shared job queue (server/jobs) moves no-op jobs through claim → complete, one runner
// against two runners with their own pools (two processes' worth), on a throwaway PostgreSQL database and on PGlite.
// The cost measured is the queue's own (claim, heartbeat, complete): real jobs (profiling, evaluation) take seconds.
// Run: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/jobs-queue.ts
import { openDatabase, type Database } from "@/db/client";
import { createTestStudio, testBackends } from "@/server/testing/test-database";
import { enqueueJob } from "@/server/jobs/queue";
import { JobRunner } from "@/server/jobs/runner";

const JOBS = Number(process.env.BENCH_JOBS ?? 1_000);

async function drainWith(db: Database, others: Database[], concurrency: number): Promise<{ enqueuePerSecond: number; jobsPerSecond: number; runs: number }> {
  let runs = 0;
  const handlers = new Map([["bench.noop", async () => void runs++]]);
  const enqueueStart = performance.now();
  for (let i = 0; i < JOBS; i++) await enqueueJob(db, { kind: "bench.noop", target: `item ${i}` });
  const enqueueSeconds = (performance.now() - enqueueStart) / 1000;
  const start = performance.now();
  const runners = [db, ...others].map((d) => new JobRunner(d, { handlers, concurrency, pollMs: 1_000 }).start());
  while (runs < JOBS) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = (performance.now() - start) / 1000;
  await Promise.all(runners.map((r) => r.stop(1_000)));
  return { enqueuePerSecond: JOBS / enqueueSeconds, jobsPerSecond: JOBS / seconds, runs };
}

async function main(): Promise<void> {
  for (const kind of testBackends) {
    for (const setup of [{ runners: 1, concurrency: 1 }, { runners: 2, concurrency: 1 }, { runners: 2, concurrency: 4 }]) {
      if (kind === "pglite" && setup.runners > 1) continue; // PGlite is one process's: a second runner shares its one connection.
      const studio = await createTestStudio(kind);
      const others: Database[] = [];
      const handles = [];
      if (setup.runners > 1) {
        const url = (studio.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString;
        const handle = await openDatabase({ url });
        handles.push(handle);
        others.push(handle.db);
      }
      const result = await drainWith(studio.db, others, setup.concurrency);
      console.log(
        `${kind.padEnd(8)} ${setup.runners} runner(s) × ${setup.concurrency}: ${JOBS} jobs, enqueue ${result.enqueuePerSecond.toFixed(0)}/s, claim+complete ${result.jobsPerSecond.toFixed(0)} jobs/s (runs ${result.runs})`,
      );
      for (const handle of handles) await handle.close();
      await studio.close();
    }
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
