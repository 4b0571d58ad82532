// Run management over tRPC: rename, tags, delete/restore are audited, seen by MLflow clients, refused for viewers and bad input; nested runs link both ways.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../root-router";
import type { Actor } from "../auth/actor";
import { listAuditEntries } from "../auth/audit";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";

const editor: Actor = { userId: "editor-1", username: "edith", role: "editor", via: "session" };
const viewer: Actor = { userId: "viewer-1", username: "victor", role: "viewer", via: "session" };

describe.each(testBackends)("run management on %s", (kind) => {
  let studio: TestStudio;
  const callerFor = (actor: Actor) => appRouter.createCaller({ ...studio.as(actor), req: new Request("http://studio.test/api/trpc") });
  const newRun = async (body: Record<string, unknown> = {}) => {
    const created = await mlflowWire(studio).post("runs/create", { experiment_id: "0", ...body });
    return (created.body.run as { info: { run_id: string } }).info.run_id;
  };
  const wireRun = async (runId: string) =>
    (await mlflowWire(studio).get("runs/get", { run_id: runId })).body.run as {
      info: { run_name: string; lifecycle_stage: string };
      data: { tags: { key: string; value: string }[] };
    };

  beforeAll(async () => {
    studio = await createTestStudio(kind);
  });
  afterAll(async () => studio.close());

  it("renames a run: the new name is what MLflow clients read, and the audit log has before and after", async () => {
    const runId = await newRun({ run_name: "first-try" });
    await expect(callerFor(editor).tracking.renameRun({ runId, name: "  baseline  " })).resolves.toEqual({ runId, name: "baseline" });
    const run = await wireRun(runId);
    expect(run.info.run_name).toBe("baseline");
    expect(run.data.tags).toContainEqual({ key: "mlflow.runName", value: "baseline" });
    const audit = await listAuditEntries(studio.db, { targetId: runId, action: "run.update" });
    expect(audit[0]).toMatchObject({ actorUsername: "edith", before: { run_name: "first-try" }, after: { run_name: "baseline" } });
  });

  it("adds, changes and deletes a tag, each audited", async () => {
    const runId = await newRun();
    const caller = callerFor(editor);
    await caller.tracking.setRunTag({ runId, key: "team", value: "vision" });
    await caller.tracking.setRunTag({ runId, key: "team", value: "speech" });
    expect((await wireRun(runId)).data.tags).toContainEqual({ key: "team", value: "speech" });
    await caller.tracking.deleteRunTag({ runId, key: "team" });
    expect((await wireRun(runId)).data.tags.some((t) => t.key === "team")).toBe(false);
    const actions = (await listAuditEntries(studio.db, { targetId: runId })).map((e) => [e.action, e.before, e.after]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ["run.tag.set", null, { team: "vision" }],
        ["run.tag.set", { team: "vision" }, { team: "speech" }],
        ["run.tag.delete", { team: "speech" }, null],
      ]),
    );
  });

  it("refuses MLflow's own tags, bad keys and empty names with a message saying what to do", async () => {
    const runId = await newRun({ run_name: "kept" });
    const caller = callerFor(editor);
    await expect(caller.tracking.setRunTag({ runId, key: "mlflow.runName", value: "x" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Rename the run or edit its notes instead"),
    });
    await expect(caller.tracking.deleteRunTag({ runId, key: "mlflow.user" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.tracking.setRunTag({ runId, key: "a/../b", value: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.tracking.renameRun({ runId, name: "   " })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("cannot be empty") });
    await expect(caller.tracking.deleteRunTag({ runId, key: "never-set" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await wireRun(runId)).info.run_name).toBe("kept");
  });

  it("deletes and restores a run; a deleted run's tags cannot change", async () => {
    const runId = await newRun();
    const caller = callerFor(editor);
    await caller.tracking.setRunDeleted({ runId, deleted: true });
    expect((await wireRun(runId)).info.lifecycle_stage).toBe("deleted");
    await expect(caller.tracking.setRunTag({ runId, key: "team", value: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("restore it") });
    await caller.tracking.setRunDeleted({ runId, deleted: false });
    expect((await wireRun(runId)).info.lifecycle_stage).toBe("active");
    const actions = (await listAuditEntries(studio.db, { targetId: runId })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["run.delete", "run.restore"]));
  });

  it("refuses a viewer every change and leaves the run as it was", async () => {
    const runId = await newRun({ run_name: "untouched" });
    const caller = callerFor(viewer);
    for (const attempt of [
      caller.tracking.renameRun({ runId, name: "defaced" }),
      caller.tracking.setRunTag({ runId, key: "team", value: "x" }),
      caller.tracking.setRunDeleted({ runId, deleted: true }),
    ]) {
      await expect(attempt).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    const run = await wireRun(runId);
    expect(run.info).toMatchObject({ run_name: "untouched", lifecycle_stage: "active" });
    expect(run.data.tags.some((t) => t.key === "team")).toBe(false);
  });

  it("links a nested run's parent and lists a parent's children in start order, deleted ones marked", async () => {
    const parent = await newRun({ run_name: "sweep" });
    const first = await newRun({ run_name: "trial-1", start_time: 1000, tags: [{ key: "mlflow.parentRunId", value: parent }] });
    const second = await newRun({ run_name: "trial-2", start_time: 2000, tags: [{ key: "mlflow.parentRunId", value: parent }] });
    const orphan = await newRun({ run_name: "orphan", tags: [{ key: "mlflow.parentRunId", value: "no-such-run" }] });
    await callerFor(editor).tracking.setRunDeleted({ runId: second, deleted: true });
    const caller = callerFor(viewer);
    const family = await caller.tracking.runFamily({ runId: parent });
    expect(family.parent).toBeNull();
    expect(family.children.map((c) => [c.runName, c.deleted])).toEqual([
      ["trial-1", false],
      ["trial-2", true],
    ]);
    expect(await caller.tracking.runFamily({ runId: first })).toMatchObject({ parent: { runId: parent, runName: "sweep", experimentId: "0" }, children: [] });
    expect(await caller.tracking.runFamily({ runId: orphan })).toMatchObject({ parent: null, missingParentId: "no-such-run" });
    await expect(caller.tracking.runFamily({ runId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
