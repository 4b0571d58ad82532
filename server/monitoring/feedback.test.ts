// Feedback labels are evidence: who may post them, who posted is recorded, bad labels and unknown requests are refused
// with nothing stored, and a second label supersedes the first (both kept) while live metrics count only the latest.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inferenceFeedback } from "@/db/schema";
import type { Actor } from "../auth/actor";
import { createUserAsSystem } from "../auth/accounts";
import { listAuditEntries } from "../auth/audit";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { clearTokenGrantCache, createToken } from "../auth/tokens";
import { promoteVersion } from "../deployments/deployments";
import { findRegisteredModel, findVersionByAlias } from "../registry/model-versions";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { handleServing } from "../serving/http";
import { ModelServer } from "../serving/model-server";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { recordFeedback } from "./feedback";
import { flushInferenceLog, recordInference } from "./inference-log";
import { getMonitoringView } from "./monitoring";

const fixtures = path.join(import.meta.dirname, "../../fixtures");

describe.each(testBackends)("feedback on %s", (backend) => {
  let studio: TestStudio;
  let server: ModelServer;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {};
  /** Predictions of the logged requests bc-0 … bc-9 (one row each) and the two-row request bc-pair. */
  const predictions: number[] = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1];

  const post = async (token: string, model: string, body: unknown) => {
    const answer = await handleServing(
      { method: "POST", pathname: `/api/serve/${model}/feedback`, headers: new Headers({ authorization: `Bearer ${token}`, "content-type": "application/json" }), text: async () => JSON.stringify(body) },
      server,
    );
    return { status: answer.status, json: JSON.parse(answer.body) as Record<string, unknown> };
  };
  const stored = async () => studio.db.select().from(inferenceFeedback).orderBy(inferenceFeedback.feedbackId);

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    server = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    await registerOnnxUpload(studio, { name: "bc", bytes: new Uint8Array(await readFile(path.join(fixtures, "models/breast-cancer-rf-v1.onnx"))) });
    await registerOnnxUpload(studio, { name: "diabetes", bytes: new Uint8Array(await readFile(path.join(fixtures, "models/diabetes-ridge.onnx"))) });
    for (const name of ["bc", "diabetes"]) await promoteVersion(studio, { name, version: "1", overrideReason: "feedback test: no review needed" });
    const bc = await findRegisteredModel(studio.db, "bc");
    const bcVersion = await findVersionByAlias(studio.db, "bc", "production");
    const now = Date.now();
    predictions.forEach((predicted, r) =>
      recordInference(studio.db, { modelId: bc.modelId, versionId: bcVersion.versionId, requestId: `bc-${r}`, at: now + r, latencyMs: 1, inputs: {}, predictions: [predicted], protocol: "mlflow" }),
    );
    recordInference(studio.db, { modelId: bc.modelId, versionId: bcVersion.versionId, requestId: "bc-pair", at: now, latencyMs: 1, inputs: {}, predictions: [0, 1], protocol: "mlflow" });
    const diabetes = await findRegisteredModel(studio.db, "diabetes");
    const diabetesVersion = await findVersionByAlias(studio.db, "diabetes", "production");
    recordInference(studio.db, { modelId: diabetes.modelId, versionId: diabetesVersion.versionId, requestId: "dia-0", at: now, latencyMs: 1, inputs: {}, predictions: [151.2], protocol: "mlflow" });
    await flushInferenceLog();
    for (const [username, role, scope] of [
      ["svc-viewer", "viewer", "serve"],
      ["svc-reviewer", "reviewer", "serve"],
      ["reviewer-all", "reviewer", "all"],
      ["editor-all", "editor", "all"],
    ] as const) {
      const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `${username}-${backend}`, password: "feedback-password-123", role }));
      actors[username] = { userId: user.userId, username: user.username, role, via: "session" };
      tokens[username] = (await createToken(studio.as(actors[username]), zCreateToken.parse({ name: username, scope }))).token;
    }
    clearTokenGrantCache();
  });
  afterAll(async () => {
    await server.close();
    await studio.close();
  });

  it("takes labels only from editors, admins and serve-scoped tokens of non-viewers, and records who posted", async () => {
    const viewerToken = await post(tokens["svc-viewer"]!, "bc", { request_id: "bc-0", label: 1 });
    expect(viewerToken.status).toBe(403);
    expect(String(viewerToken.json.message)).toMatch(/role 'viewer'.*cannot post feedback/);
    const reviewerAll = await post(tokens["reviewer-all"]!, "bc", { request_id: "bc-0", label: 1 });
    expect(reviewerAll.status).toBe(403);
    await expect(recordFeedback(studio.as({ ...actors["svc-viewer"]!, via: "session" }), { name: "bc", body: { request_id: "bc-0", label: 1 } })).rejects.toMatchObject({
      code: "PERMISSION_DENIED",
    });
    expect(await stored()).toEqual([]);

    const serving = await post(tokens["svc-reviewer"]!, "bc", { request_id: "bc-0", label: 1 });
    expect(serving).toEqual({ status: 200, json: { accepted: 1, superseded: [] } });
    const editor = await post(tokens["editor-all"]!, "bc", { request_id: "bc-1", label: 0 });
    expect(editor.status).toBe(200);
    expect((await stored()).map((row) => [row.requestId, row.label, row.postedBy, row.postedById, row.supersededAt])).toEqual([
      ["bc-0", 1, `svc-reviewer-${backend}`, actors["svc-reviewer"]!.userId, null],
      ["bc-1", 0, `editor-all-${backend}`, actors["editor-all"]!.userId, null],
    ]);
    const audit = await listAuditEntries(studio.db, { action: "feedback.record", targetId: "bc" });
    expect(audit.map((e) => [e.actorUsername, (e.after as { requestIds: string[] }).requestIds])).toEqual([
      [`editor-all-${backend}`, ["bc-1"]],
      [`svc-reviewer-${backend}`, ["bc-0"]],
    ]);
  });

  it("refuses labels outside the model's classes, non-numbers for a regressor, unknown requests and rows, storing nothing", async () => {
    const before = await stored();
    const editor = tokens["editor-all"]!;
    const outside = await post(editor, "bc", { feedback: [{ request_id: "bc-2", label: 1 }, { request_id: "bc-3", label: 2 }, { request_id: "bc-4", label: "yes" }] });
    expect(outside.status).toBe(400);
    expect(String(outside.json.message)).toMatch(/nothing was stored: 2 problems: request bc-3 row 0: 2 is not one of the model's classes \(0, 1\); request bc-4 row 0: 'yes' is not one/);
    const unknown = await post(editor, "bc", { feedback: [{ request_id: "bc-2", label: 1 }, { request_id: "never-served", label: 1 }] });
    expect(unknown.status).toBe(400);
    expect(String(unknown.json.message)).toMatch(/unknown request id 'never-served'.*logged no such request/);
    // A request id of another model is unknown to this one.
    expect((await post(editor, "bc", { request_id: "dia-0", label: 1 })).status).toBe(400);
    const row = await post(editor, "bc", { request_id: "bc-pair", row: 2, label: 1 });
    expect(String(row.json.message)).toMatch(/bc-pair had 2 rows, so it has no row 2/);
    const twice = await post(editor, "bc", { feedback: [{ request_id: "bc-2", label: 1 }, { request_id: "bc-2", label: 0 }] });
    expect(String(twice.json.message)).toMatch(/labelled twice in this post/);
    const text = await post(editor, "diabetes", { request_id: "dia-0", label: "151.0" });
    expect(text.status).toBe(400);
    expect(String(text.json.message)).toMatch(/'151\.0' is not a number, and this model predicts numbers/);
    expect(await stored()).toEqual(before);
    expect((await post(editor, "diabetes", { request_id: "dia-0", label: 148.5 })).status).toBe(200);
    expect((await post(editor, "bc", { request_id: "bc-pair", labels: ["0", 1] })).status).toBe(200);
  });

  it("lets a second label supersede the first, keeps both, and counts only the latest in live metrics", async () => {
    const editor = tokens["editor-all"]!;
    // Label every single-row request with its prediction: live accuracy 1.
    const right = predictions.slice(2).map((label, r) => ({ request_id: `bc-${r + 2}`, label }));
    expect((await post(editor, "bc", { feedback: right })).status).toBe(200);
    const accuracyNow = async () => (await getMonitoringView(studio, { name: "bc", window: "hour" })).windows.at(-1)!.liveMetric;
    const perfect = await accuracyNow();
    expect(perfect).toMatchObject({ name: "accuracy", value: 1, count: 12 });

    // bc-0 was labelled 1 (its prediction) by the serving token; a correction says 0.
    const corrected = await post(editor, "bc", { request_id: "bc-0", label: 0 });
    expect(corrected).toEqual({
      status: 200,
      json: { accepted: 1, superseded: [{ request_id: "bc-0", row: 0, previous_label: 1, previous_by: `svc-reviewer-${backend}`, label: 0 }] },
    });
    const rows = await studio.db.select().from(inferenceFeedback).where(and(eq(inferenceFeedback.requestId, "bc-0"))).orderBy(inferenceFeedback.feedbackId);
    expect(rows.map((r) => [r.label, r.postedBy, r.supersededAt === null])).toEqual([
      [1, `svc-reviewer-${backend}`, false],
      [0, `editor-all-${backend}`, true],
    ]);
    expect(await accuracyNow()).toMatchObject({ name: "accuracy", value: 11 / 12, count: 12 });
    const audit = await listAuditEntries(studio.db, { action: "feedback.record", targetId: "bc", limit: 1 });
    expect(audit[0]!.before).toEqual({ superseded: [{ requestId: "bc-0", row: 0, label: 1, postedBy: `svc-reviewer-${backend}` }] });
  });
});
