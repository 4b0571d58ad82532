// Run notes over tRPC: editors save markdown that MLflow clients read back as the note tag; viewers and overlong notes are refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUN_NOTE_MAX_LENGTH, RUN_NOTE_TAG } from "@/lib/run-note";
import { appRouter } from "../root-router";
import type { Actor } from "../auth/actor";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { MAX_TAG_VALUE_LENGTH } from "./validation";

const editor: Actor = { userId: "editor-1", username: "edith", role: "editor", via: "session" };
const viewer: Actor = { userId: "viewer-1", username: "victor", role: "viewer", via: "session" };

describe.each(testBackends)("run notes on %s", (kind) => {
  let studio: TestStudio;
  let runId: string;
  const callerFor = (actor: Actor) => appRouter.createCaller({ ...studio.as(actor), req: new Request("http://studio.test/api/trpc") });

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    const api = mlflowWire(studio);
    const created = await api.post("runs/create", { experiment_id: "0", run_name: "noted" });
    runId = (created.body.run as { info: { run_id: string } }).info.run_id;
  });
  afterAll(async () => studio.close());

  const noteOf = async (id: string) => {
    const run = await callerFor(viewer).tracking.run({ runId: id });
    return run.data.tags.find((t) => t.key === RUN_NOTE_TAG)?.value;
  };

  it("keeps the notes limit in step with MLflow's tag value limit", () => {
    expect(RUN_NOTE_MAX_LENGTH).toBe(MAX_TAG_VALUE_LENGTH);
  });

  it("saves an editor's notes, readable over tRPC and as the MLflow note tag", async () => {
    const content = "# Findings\n\nThe **deeper** model wins.\n\n<script>alert(1)</script>";
    await expect(callerFor(editor).tracking.setRunNote({ runId, content })).resolves.toEqual({ content });
    expect(await noteOf(runId)).toBe(content);
    const wire = await mlflowWire(studio).get("runs/get", { run_id: runId });
    const tags = (wire.body.run as { data: { tags: { key: string; value: string }[] } }).data.tags;
    expect(tags).toContainEqual({ key: RUN_NOTE_TAG, value: content });

    await callerFor(editor).tracking.setRunNote({ runId, content: "Second thoughts." });
    expect(await noteOf(runId)).toBe("Second thoughts.");
  });

  it("refuses a viewer and leaves the notes as they were", async () => {
    await callerFor(editor).tracking.setRunNote({ runId, content: "Before the viewer." });
    await expect(callerFor(viewer).tracking.setRunNote({ runId, content: "Defaced" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("Permission denied: 'victor' has role 'viewer'"),
    });
    expect(await noteOf(runId)).toBe("Before the viewer.");
  });

  it("refuses notes over the limit with a message saying how long they are and what to do", async () => {
    await callerFor(editor).tracking.setRunNote({ runId, content: "Kept." });
    const tooLong = "x".repeat(RUN_NOTE_MAX_LENGTH + 1);
    await expect(callerFor(editor).tracking.setRunNote({ runId, content: tooLong })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining(`Notes can be at most ${RUN_NOTE_MAX_LENGTH} characters; these have ${RUN_NOTE_MAX_LENGTH + 1}.`),
    });
    await expect(callerFor(editor).tracking.setRunNote({ runId, content: "x".repeat(RUN_NOTE_MAX_LENGTH) })).resolves.toBeDefined();
    expect(await noteOf(runId)).toHaveLength(RUN_NOTE_MAX_LENGTH);
  });

  it("says so when the run does not exist", async () => {
    await expect(callerFor(editor).tracking.setRunNote({ runId: "0123456789abcdef0123456789abcdef", content: "?" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
