// The Jobs admin page's service: a profiling job that fails (its stored file went missing) shows as failed with the
// reason; an admin's retry (audited) runs it again once the file is back; cancelling; and only admins may.
import { mkdtemp, rename, rm } from "node:fs/promises";
import { createReadStream } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { datasetVersions } from "@/db/schema";
import type { Actor } from "../auth/actor";
import { listAuditEntries } from "../auth/audit";
import { absoluteVersionPath } from "../datasets/dataset-store";
import { enqueueDatasetProfile, waitForDatasetJobs } from "../datasets/profile-jobs";
import { registerDatasetVersion } from "../datasets/register-version";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { enqueueJob, schedulePeriodicJob } from "./queue";
import { cancelJob, listJobs, retryJob } from "./admin";

const viewer: Actor = { userId: "u-viewer", username: "vera", role: "viewer", via: "session" };

describe.each(testBackends)("jobs admin on %s", (kind) => {
  let studio: TestStudio;
  let root: string;

  afterEach(async () => {
    await studio?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("shows a failed profiling job with its reason, and a retry runs it again once the file is back", async () => {
    studio = await createTestStudio(kind);
    root = await mkdtemp(path.join(os.tmpdir(), "studio-jobs-admin-"));
    const registered = await registerDatasetVersion(studio, root, { name: "iris", format: "csv", masking: {} }, createReadStream("fixtures/datasets/iris.train.csv"), { profileLater: true });
    const [row] = await studio.db.select().from(datasetVersions).where(eq(datasetVersions.versionId, registered.versionId));
    const stored = absoluteVersionPath(root, row!.storagePath);
    // The stored file is unreadable when profiling runs (a disk unmounted, a restore half done).
    await rename(stored, `${stored}.away`);
    enqueueDatasetProfile(studio.db, root, registered.versionId);
    await waitForDatasetJobs();

    const failed = await listJobs(studio, { state: "failed" });
    expect(failed.jobs).toHaveLength(1);
    const job = failed.jobs[0]!;
    expect(job).toMatchObject({ kind: "dataset.profile", target: "iris v1", state: "failed", attempts: 1, periodic: false });
    // The reason the version's page shows too.
    expect(job.lastError).toMatch(/could not be read/);
    expect((await studio.db.select().from(datasetVersions).where(eq(datasetVersions.versionId, registered.versionId)))[0]!.profileError).toBe(job.lastError);
    expect(failed.counts.failed).toBe(1);

    await expect(retryJob(studio.as(viewer), { jobId: job.jobId })).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    await expect(listJobs(studio.as(viewer), {})).rejects.toMatchObject({ code: "PERMISSION_DENIED" });

    await rename(`${stored}.away`, stored);
    await retryJob(studio, { jobId: job.jobId });
    await waitForDatasetJobs();
    const [after] = (await listJobs(studio, {})).jobs.filter((j) => j.jobId === job.jobId);
    expect(after).toMatchObject({ state: "done", attempts: 1 });
    const [version] = await studio.db.select().from(datasetVersions).where(eq(datasetVersions.versionId, registered.versionId));
    expect(version).toMatchObject({ profileStatus: "done", rowCount: 112 });

    const audit = await listAuditEntries(studio.db, { targetType: "job", targetId: String(job.jobId) });
    expect(audit.map((e) => [e.action, e.actorUsername, (e.before as { state: string }).state])).toEqual([["job.retry", studio.actor.username, "failed"]]);
    await expect(retryJob(studio, { jobId: job.jobId })).rejects.toMatchObject({ code: "INVALID_STATE", message: expect.stringMatching(/only a failed job/) });
    await expect(retryJob(studio, { jobId: 999_999 })).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
  });

  it("cancels a queued job (audited), but neither a periodic one nor one that is not queued", async () => {
    studio = await createTestStudio(kind);
    root = await mkdtemp(path.join(os.tmpdir(), "studio-jobs-admin-"));
    // A kind no runner of this process handles: it stays queued.
    const { jobId } = await enqueueJob(studio.db, { kind: "test.never-run", target: "something" });
    await schedulePeriodicJob(studio.db, "test.periodic", 60_000);
    const periodic = (await listJobs(studio, { state: "queued" })).jobs.find((j) => j.kind === "test.periodic")!;
    expect(periodic.periodic).toBe(true);
    await expect(cancelJob(studio, { jobId: periodic.jobId })).rejects.toMatchObject({ code: "INVALID_STATE", message: expect.stringMatching(/periodic/) });
    await expect(cancelJob(studio.as(viewer), { jobId })).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    await cancelJob(studio, { jobId });
    expect((await listJobs(studio, { state: "cancelled" })).jobs.map((j) => j.jobId)).toEqual([jobId]);
    await expect(cancelJob(studio, { jobId })).rejects.toMatchObject({ code: "INVALID_STATE" });
    expect((await listAuditEntries(studio.db, { targetType: "job", targetId: String(jobId) })).map((e) => e.action)).toEqual(["job.cancel"]);
  });
});
