// The retention job on the real database: with no request arriving, it deletes inference-log entries and feedback past
// each model's retention, keeps the rest, and records each run so the monitoring settings can show it.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inferenceFeedback, inferenceLog, labellingItems, labellingLabels, labellingQueues, modelMonitoring, studioEvents } from "@/db/schema";
import { EVENT_HISTORY_MS, pruneStudioEvents } from "../notifications/outbox";
import { systemActor, type Actor } from "../auth/actor";
import { findRegisteredModel, findVersionByAlias } from "../registry/model-versions";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { setModelAlias } from "../registry/registered-models";
import { appRouter } from "../root-router";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { enforceRetention, lastRetentionRun } from "./retention";

const DAY_MS = 86_400_000;
const erin: Actor = { userId: "u-erin", username: "erin", role: "editor", via: "session" };

describe.each(testBackends)("retention job on %s", (kind) => {
  let studio: TestStudio;
  let modelId: number;
  let versionId: number;
  const caller = (actor: Actor) => appRouter.createCaller({ ...studio.as(actor), actor, req: new Request("http://studio.test/api/trpc") });
  const log = (requestId: string, customerIds: string[], at: number) => ({
    modelId,
    versionId,
    requestId,
    at,
    latencyMs: 1,
    rowCount: customerIds.length,
    inputs: { customer_id: customerIds },
    predictions: customerIds.map(() => 1),
    protocol: "mlflow",
  });
  const feedback = (requestId: string, rowIndex: number, at: number) => ({ modelId, requestId, rowIndex, label: 1, at });

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    const admin = studio.as(systemActor);
    await registerOnnxUpload(admin, { name: "churn", bytes: new Uint8Array(await readFile("fixtures/models/breast-cancer-rf-v1.onnx")) });
    await setModelAlias(admin, { name: "churn", alias: "production", version: "1", overrideReason: "retention test: no review needed" });
    modelId = (await findRegisteredModel(studio.db, "churn")).modelId;
    versionId = (await findVersionByAlias(studio.db, "churn", "production")).versionId;
  });
  afterAll(async () => {
    await studio.close();
  });

  it("runs retention without any request: deletes entries and feedback past each model's retention, and shows the run", async () => {
    const now = Date.now();
    await studio.db.insert(modelMonitoring).values({ modelId, retentionDays: 7, updatedAt: now }).onConflictDoUpdate({ target: modelMonitoring.modelId, set: { retentionDays: 7 } });
    await studio.db.insert(inferenceLog).values([log("old-1", ["x"], now - 8 * DAY_MS), log("old-2", ["y"], now - 30 * DAY_MS), log("recent", ["z"], now - 6 * DAY_MS)]);
    await studio.db.insert(inferenceFeedback).values([feedback("old-1", 0, now - 8 * DAY_MS), feedback("recent", 0, now - DAY_MS)]);
    expect(await lastRetentionRun(studio.as(erin), { name: "churn" })).toBeNull();

    const result = await enforceRetention(studio.db, now);
    expect(result).toMatchObject({ inferenceRowsDeleted: 2, feedbackRowsDeleted: 1 });
    const requestIds = (await studio.db.select({ id: inferenceLog.requestId }).from(inferenceLog)).map((r) => r.id);
    expect(requestIds).toContain("recent");
    expect(requestIds).not.toContain("old-1");
    expect(requestIds).not.toContain("old-2");
    expect(await caller(erin).monitoring.retention({ name: "churn" })).toEqual({ at: now, retentionDays: 7, inferenceRowsDeleted: 2, feedbackRowsDeleted: 1 });

    // A later run with nothing to delete is still recorded: the page shows the job is alive.
    await enforceRetention(studio.db, now + 1000);
    expect(await lastRetentionRun(studio.as(erin), { name: "churn" })).toMatchObject({ at: now + 1000, inferenceRowsDeleted: 0 });
  });

  it("deletes labelling items and labels past the model's retention with the log they copy, keeps recent ones", async () => {
    const now = Date.now();
    await studio.db.insert(modelMonitoring).values({ modelId, retentionDays: 7, updatedAt: now }).onConflictDoUpdate({ target: modelMonitoring.modelId, set: { retentionDays: 7 } });
    await studio.db.insert(labellingQueues).values({ modelId, strategy: "random", fillSize: 10, labelsRequired: 1, updatedBy: "erin", updatedAt: now });
    const item = (requestId: string, addedAt: number, rank: number) => ({ modelId, versionId, requestId, rowIndex: 0, inputs: [["customer_id", requestId]] as [string, string][], prediction: 1, rank, labelsRequired: 1, addedAt });
    const items = await studio.db
      .insert(labellingItems)
      .values([item("lab-old", now - 9 * DAY_MS, 1), item("lab-recent", now - DAY_MS, 2)])
      .returning({ itemId: labellingItems.itemId, requestId: labellingItems.requestId });
    const idOf = (requestId: string) => items.find((i) => i.requestId === requestId)!.itemId;
    const label = (requestId: string, labellerId: string, at: number) => ({ itemId: idOf(requestId), modelId, requestId, rowIndex: 0, labellerId, labeller: labellerId, label: 1, at });
    await studio.db.insert(labellingLabels).values([
      label("lab-old", "u-erin", now - 9 * DAY_MS),
      // A label given long ago on an item still in the queue: past retention, so it goes on its own.
      label("lab-recent", "u-erin", now - 8 * DAY_MS),
      label("lab-recent", "u-finn", now - DAY_MS),
    ]);

    const result = await enforceRetention(studio.db, now);
    expect(result.labellingRowsDeleted).toBe(3);
    expect((await studio.db.select({ requestId: labellingItems.requestId }).from(labellingItems)).map((i) => i.requestId)).toEqual(["lab-recent"]);
    const labels = await studio.db.select({ requestId: labellingLabels.requestId, labellerId: labellingLabels.labellerId }).from(labellingLabels);
    expect(labels).toEqual([{ requestId: "lab-recent", labellerId: "u-finn" }]);
  });

  it("drops studio events sent longer ago than their history keeps, never one still waiting", async () => {
    const now = Date.now();
    await studio.db.insert(studioEvents).values([
      { type: "model.promoted", at: 1, text: "old", fannedOutAt: now - EVENT_HISTORY_MS - 1 },
      { type: "model.promoted", at: 1, text: "recent", fannedOutAt: now - 1000 },
      { type: "model.promoted", at: 1, text: "waiting", fannedOutAt: null },
    ]);
    expect(await pruneStudioEvents(studio.db, now)).toBe(1);
    const texts = (await studio.db.select({ text: studioEvents.text }).from(studioEvents)).map((e) => e.text);
    expect(["old", "recent", "waiting"].filter((t) => texts.includes(t))).toEqual(["recent", "waiting"]);
  });
});
