// `npm run worker` as real processes on PostgreSQL: it takes jobs a web process queued with STUDIO_JOBS=off, answers its
// operations endpoints, releases a running job on SIGTERM, and a worker killed with SIGKILL loses the job to another.
import type { ChildProcess } from "node:child_process";
import { createReadStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { datasetVersions, jobs } from "@/db/schema";
import { registerDatasetVersion } from "../datasets/register-version";
import { enqueueDatasetProfile, waitForDatasetJobs } from "../datasets/profile-jobs";
import { createTestStudio, type TestStudio } from "../testing/test-database";
import { freePort, spawnNode, type ChildUnderTest } from "../testing/child-process";

const url = process.env.TEST_DATABASE_URL;
if (!url) console.log("[tests] worker.test.ts needs TEST_DATABASE_URL: a separate worker process cannot share PGlite, so these tests do not run here.");

const METRICS_TOKEN = "worker-test-metrics-token";

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!url)("npm run worker", () => {
  let studio: TestStudio;
  let root: string;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    // This test process is the web instance of a team: it queues, the workers run.
    vi.stubEnv("STUDIO_JOBS", "off");
  });
  // Files share a module graph and process.env (vitest.config.ts): the next file runs its jobs again.
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
    await studio?.close();
  });

  function startWorker(env: Record<string, string> = {}): ChildUnderTest {
    const databaseUrl = (studio.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString;
    const worker = spawnNode(["--import", "tsx", path.join("server", "jobs", "worker-main.ts")], {
      DATABASE_URL: databaseUrl,
      STUDIO_DATASET_ROOT: root,
      STUDIO_ARTIFACT_ROOT: studio.artifactRoot,
      STUDIO_JOBS: "off",
      STUDIO_JOB_POLL_MS: "200",
      ...env,
    });
    children.push(worker.child);
    return worker;
  }

  async function profileJob(versionId: number) {
    const [row] = await studio.db.select().from(jobs).where(eq(jobs.dedupeKey, `dataset.profile:${versionId}`));
    return row;
  }

  async function profileStatus(versionId: number) {
    const [row] = await studio.db.select({ status: datasetVersions.profileStatus, rowCount: datasetVersions.rowCount }).from(datasetVersions).where(eq(datasetVersions.versionId, versionId));
    return row!;
  }

  /** A CSV large enough that profiling it takes a few seconds: time to stop or kill the worker while it runs. */
  async function registerBigCsv(name: string): Promise<number> {
    const lines = ["id,score,city"];
    for (let i = 0; i < 1_500_000; i++) lines.push(`${i},${i % 1000},${["Paris", "Lyon", "Nice"][i % 3]}`);
    const file = path.join(studio.artifactRoot, `${name}.csv`);
    await writeFile(file, lines.join("\n") + "\n");
    const registered = await registerDatasetVersion(studio, root, { name, format: "csv", masking: {} }, createReadStream(file), { profileLater: true });
    enqueueDatasetProfile(studio.db, root, registered.versionId);
    await waitForDatasetJobs();
    return registered.versionId;
  }

  it("runs the jobs a web process with STUDIO_JOBS=off queued, and answers /healthz, /readyz and /metrics", async () => {
    studio = await createTestStudio("postgres");
    root = path.join(studio.artifactRoot, "datasets");
    const small = await registerDatasetVersion(studio, root, { name: "iris-like", format: "csv", masking: {} }, createReadStream(path.join(import.meta.dirname, "../../fixtures/datasets/iris.train.csv")), { profileLater: true });
    enqueueDatasetProfile(studio.db, root, small.versionId);
    await waitForDatasetJobs();
    // Queued, and nobody in this process runs it.
    expect((await profileJob(small.versionId))!.state).toBe("queued");

    const port = await freePort();
    const worker = startWorker({ STUDIO_WORKER_PORT: String(port), STUDIO_METRICS_TOKEN: METRICS_TOKEN });
    // The job row is marked done just after the version: waiting for the job waits for both.
    await waitUntil(async () => (await profileJob(small.versionId))!.state === "done", `the worker profiles the version\n${worker.output()}`);
    expect((await profileStatus(small.versionId)).status).toBe("done");
    expect((await profileJob(small.versionId))).toMatchObject({ state: "done", attempts: 1 });

    const base = `http://127.0.0.1:${port}`;
    await waitUntil(async () => (await fetch(`${base}/healthz`)).ok, "the worker's endpoints");
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(metrics).toMatch(/^studio_background_jobs\{queue="dataset_profile",state="done"\} 1$/m);
    expect(metrics).toMatch(/^studio_background_jobs\{queue="monitoring_refresh",state="queued"\} 1$/m);
    expect((await fetch(`${base}/`)).status).toBe(404);

    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  });

  it("on SIGTERM releases the job it runs (past the grace period) and another worker finishes it", async () => {
    studio = await createTestStudio("postgres");
    root = path.join(studio.artifactRoot, "datasets");
    const versionId = await registerBigCsv("big-sigterm");
    const first = startWorker({ STUDIO_JOB_GRACE_MS: "0" });
    await waitUntil(async () => (await profileJob(versionId))!.state === "running", `the first worker claims the job\n${first.output()}`);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/1 released to the queue/);
    expect(await profileJob(versionId)).toMatchObject({ state: "queued", attempts: 0, lockedBy: null });

    const second = startWorker();
    await waitUntil(async () => (await profileJob(versionId))!.state === "done", `the second worker profiles it\n${second.output()}`, 120_000);
    expect((await profileStatus(versionId)).rowCount).toBe(1_500_000);
    expect(await profileJob(versionId)).toMatchObject({ state: "done", attempts: 1 });
  }, 180_000);

  it("a worker killed with SIGKILL loses its job when the lease expires, and another worker finishes it", async () => {
    studio = await createTestStudio("postgres");
    root = path.join(studio.artifactRoot, "datasets");
    const versionId = await registerBigCsv("big-sigkill");
    const leaseEnv = { STUDIO_JOB_LEASE_MS: "1500" };
    const doomed = startWorker(leaseEnv);
    await waitUntil(async () => (await profileJob(versionId))!.state === "running", `the first worker claims the job\n${doomed.output()}`);
    const survivor = startWorker(leaseEnv);
    doomed.child.kill("SIGKILL");
    await doomed.exited;
    await waitUntil(async () => (await profileJob(versionId))!.state === "done", `the survivor profiles it\n${survivor.output()}`, 120_000);
    const job = (await profileJob(versionId))!;
    expect(job).toMatchObject({ state: "done", attempts: 2 });
    expect(job.lastError).toMatch(/lease expired/);
    expect((await profileStatus(versionId)).rowCount).toBe(1_500_000);
  }, 180_000);
});
