// The labelling loop as people use it: an editor fills a queue from served traffic (lowest confidence first, or where
// a shadow disagreed), labellers label one item at a time with skip and undo, two-labeller items go to a third on
// disagreement, agreed labels (only those) become feedback that moves the live metric, and the labels leave as a
// masked dataset version. A labeller can do nothing else.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import Papa from "papaparse";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { datasetVersions, inferenceFeedback, inferenceLog, labellingItems, labellingLabels } from "@/db/schema";
import type { Actor } from "../auth/actor";
import { createUserAsSystem } from "../auth/accounts";
import { listAuditEntries } from "../auth/audit";
import { authenticateRequest } from "../auth/authenticate";
import { handleMlflowApi } from "../http/mlflow-api";
import { appRouter } from "../root-router";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { clearTokenGrantCache, createToken } from "../auth/tokens";
import { promoteVersion } from "../deployments/deployments";
import { findRegisteredModel, findVersionByAlias } from "../registry/model-versions";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { handleServing } from "../serving/http";
import { ModelServer } from "../serving/model-server";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { flushInferenceLog } from "../monitoring/inference-log";
import { getMonitoringView } from "../monitoring/monitoring";
import { exportLabelsAsDataset } from "./export";
import { giveLabel, nextLabellingItem, undoLastLabel } from "./labels";
import { fillLabellingQueue } from "./fill";
import { configureLabellingQueue, getLabellingQueue } from "./queue";
import { refusalOf, saidIn } from "../testing/said-error";

const fixtures = path.join(import.meta.dirname, "../../fixtures");

describe.each(testBackends)("labelling on %s", (backend) => {
  let studio: TestStudio;
  let server: ModelServer;
  let datasetRoot: string;
  const people: Record<string, Actor> = {};
  const as = (who: string) => studio.as(people[who]!);
  /** The credit test rows as the serving API received them. */
  let records: Record<string, string | number>[] = [];
  const columns = ["age", "sex", "income", "employment_years", "loan_amount", "duration_months", "purpose", "housing", "existing_credits"];

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    datasetRoot = await mkdtemp(path.join(os.tmpdir(), "labelling-datasets-"));
    server = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    await registerOnnxUpload(studio, { name: "credit", bytes: new Uint8Array(await readFile(path.join(fixtures, "models/credit-logreg.onnx"))) });
    await promoteVersion(studio, { name: "credit", version: "1", overrideReason: "labelling test: no review needed" });
    for (const [username, role] of [
      ["ed", "editor"],
      ["lab1", "labeller"],
      ["lab2", "labeller"],
      ["lab3", "labeller"],
    ] as const) {
      const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `${username}-${backend}`, password: "labelling-password-1", role }));
      people[username] = { userId: user.userId, username: user.username, role, via: "session" };
    }
    const token = (await createToken(studio.as(people.ed!), zCreateToken.parse({ name: "serve", scope: "serve" }))).token;
    clearTokenGrantCache();
    const parsed = Papa.parse<Record<string, string | number>>(await readFile(path.join(fixtures, "datasets/credit.test.csv"), "utf8"), {
      header: true,
      dynamicTyping: true,
      skipEmptyLines: true,
    });
    records = parsed.data.slice(0, 40).map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => column !== "approved")));
    // Eight requests of five rows: every row's inputs are logged (up to 16 per request).
    for (let r = 0; r < 8; r++) {
      const answer = await handleServing(
        {
          method: "POST",
          pathname: "/api/serve/credit/invocations",
          headers: new Headers({ authorization: `Bearer ${token}`, "content-type": "application/json", "x-request-id": `req-${r}` }),
          text: async () => JSON.stringify({ dataframe_records: records.slice(r * 5, r * 5 + 5) }),
        },
        server,
      );
      expect(answer.status, answer.body).toBe(200);
    }
    await flushInferenceLog();
  });
  afterAll(async () => {
    await server.close();
    await studio.close();
    await rm(datasetRoot, { recursive: true, force: true });
  });

  it("fills the queue with the least confident answers first, inputs in the model's column order, the answer hidden", async () => {
    await expect(fillLabellingQueue(as("ed"), { name: "credit" })).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
    await configureLabellingQueue(as("ed"), { name: "credit", strategy: "low_confidence", fillSize: 12, labelsRequired: 1 });
    expect(await fillLabellingQueue(as("ed"), { name: "credit" })).toEqual({ added: 12, candidates: 40 });
    const items = await studio.db.select().from(labellingItems).orderBy(labellingItems.rank);
    const confidences = items.map((i) => i.confidence!);
    expect(confidences.every((c) => c >= 0.5 && c <= 1)).toBe(true);
    expect(confidences).toEqual([...confidences].sort((a, b) => a - b));
    expect(items.every((i) => i.prediction === 0 || i.prediction === 1)).toBe(true);

    const next = await nextLabellingItem(as("lab1"), { name: "credit" });
    expect(next.classes).toEqual(["0", "1"]);
    expect(next.item!.inputs.map(([c]) => c)).toEqual(columns);
    const first = items[0]!;
    const sent = records[Number(first.requestId.slice(4)) * 5 + first.rowIndex]!;
    expect(next.item).toMatchObject({ requestId: first.requestId, rowIndex: first.rowIndex, tieBreak: false });
    expect(Object.fromEntries(next.item!.inputs)).toEqual(sent);
    expect(JSON.stringify(next)).not.toMatch(/prediction|confidence/);
    expect(next).toMatchObject({ doneByMe: 0, waitingForMe: 12, undoable: null });

    // A second fill adds only rows not queued yet.
    expect(await fillLabellingQueue(as("ed"), { name: "credit" })).toEqual({ added: 12, candidates: 28 });
  });

  it("turns each agreed label into feedback once: the live metric moves; skip passes an item on; undo takes a label and its feedback back", async () => {
    const live = async () => (await getMonitoringView(studio, { name: "credit", window: "hour" })).windows.at(-1)!.liveMetric;
    expect(await live()).toBeNull();
    const labelled: { requestId: string; row: number; label: number }[] = [];
    for (let k = 0; k < 4; k++) {
      const { item } = await nextLabellingItem(as("lab1"), { name: "credit" });
      const [row] = await studio.db.select().from(labellingItems).where(eq(labellingItems.itemId, item!.itemId));
      // Right on the first three, wrong on the fourth.
      const label = k < 3 ? (row!.prediction as number) : 1 - (row!.prediction as number);
      expect(await giveLabel(as("lab1"), { name: "credit", itemId: item!.itemId, label: String(label) })).toEqual({ status: "agreed" });
      labelled.push({ requestId: item!.requestId, row: item!.rowIndex, label });
    }
    const feedback = await studio.db.select().from(inferenceFeedback).orderBy(inferenceFeedback.feedbackId);
    expect(feedback.map((f) => [f.requestId, f.rowIndex, f.label, f.source, f.postedBy])).toEqual(labelled.map((l) => [l.requestId, l.row, l.label, "labelling", `lab1-${backend}`]));
    expect(await live()).toMatchObject({ name: "accuracy", value: 0.75, count: 4 });

    const skipped = (await nextLabellingItem(as("lab1"), { name: "credit" })).item!;
    expect(await giveLabel(as("lab1"), { name: "credit", itemId: skipped.itemId, label: null })).toEqual({ status: "open" });
    expect((await nextLabellingItem(as("lab1"), { name: "credit" })).item!.itemId).not.toBe(skipped.itemId);
    expect((await nextLabellingItem(as("lab2"), { name: "credit" })).item!.itemId).toBe(skipped.itemId);

    // Undo the skip, then the wrong label: its feedback goes and the metric returns to three right of three.
    expect(await undoLastLabel(as("lab1"), { name: "credit" })).toEqual({ itemId: skipped.itemId });
    expect(await undoLastLabel(as("lab1"), { name: "credit" })).toEqual({ itemId: (await itemOf(labelled[3]!)).itemId });
    expect(await live()).toMatchObject({ value: 1, count: 3 });
    expect((await nextLabellingItem(as("lab1"), { name: "credit" })).item!.itemId).toBe((await itemOf(labelled[3]!)).itemId);
    const notAClass = await refusalOf(giveLabel(as("lab1"), { name: "credit", itemId: skipped.itemId, label: "maybe" }));
    expect(notAClass).toMatchObject({ code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/not one of the model's classes \(0, 1\)/) });
    // The labeller's page says it in their language: English word for word as the API says it, French in French.
    expect(saidIn("en", notAClass)).toBe(notAClass.message);
    expect(saidIn("fr", notAClass)).toBe("\"maybe\" n’est pas une des classes du modèle (0, 1)\u00a0: choisissez-en une, ou passez.");
    await expect(giveLabel(as("lab1"), { name: "credit", itemId: (await itemOf(labelled[0]!)).itemId, label: "1" })).rejects.toMatchObject({ code: "INVALID_STATE" });

    // Labels are audited per labeller and hour, not per keystroke.
    expect((await listAuditEntries(studio.db, { action: "labelling.label", actor: `lab1-${backend}` })).length).toBe(1);
  });

  async function itemOf(l: { requestId: string; row: number }) {
    const [item] = await studio.db
      .select()
      .from(labellingItems)
      .where(and(eq(labellingItems.requestId, l.requestId), eq(labellingItems.rowIndex, l.row)));
    return item!;
  }

  it("with two labellers per item, a disagreement goes to a third and only a settled label counts; the agreement rate is shown", async () => {
    await configureLabellingQueue(as("ed"), { name: "credit", strategy: "random", fillSize: 2, labelsRequired: 2 });
    await fillLabellingQueue(as("ed"), { name: "credit" });
    const fresh = await studio.db.select().from(labellingItems).where(eq(labellingItems.labelsRequired, 2)).orderBy(labellingItems.rank);
    expect(fresh).toHaveLength(2);
    const [a, b] = fresh as [(typeof fresh)[0], (typeof fresh)[0]];
    const feedbackCount = async () => (await studio.db.select().from(inferenceFeedback)).length;
    const before = await feedbackCount();

    expect(await giveLabel(as("lab1"), { name: "credit", itemId: a.itemId, label: "0" })).toEqual({ status: "open" });
    expect(await giveLabel(as("lab2"), { name: "credit", itemId: a.itemId, label: "1" })).toEqual({ status: "open" });
    expect(await feedbackCount()).toBe(before);
    expect((await getLabellingQueue(as("ed"), { name: "credit" }))!.progress).toMatchObject({ awaitingThird: 1, pairs: 1, agreementRate: 0 });
    // The third labeller is offered the tie first, marked as such; the first two are not offered it again.
    const third = await nextLabellingItem(as("lab3"), { name: "credit" });
    expect(third.item).toMatchObject({ itemId: a.itemId, tieBreak: true });
    expect(await giveLabel(as("lab3"), { name: "credit", itemId: a.itemId, label: "1" })).toEqual({ status: "agreed" });
    const [settled] = await studio.db
      .select()
      .from(inferenceFeedback)
      .where(and(eq(inferenceFeedback.requestId, a.requestId), eq(inferenceFeedback.rowIndex, a.rowIndex), isNull(inferenceFeedback.supersededAt)));
    expect(settled).toMatchObject({ label: 1, source: "labelling", rowIndex: a.rowIndex });

    expect(await giveLabel(as("lab1"), { name: "credit", itemId: b.itemId, label: "1" })).toEqual({ status: "open" });
    expect(await giveLabel(as("lab3"), { name: "credit", itemId: b.itemId, label: "1" })).toEqual({ status: "agreed" });
    expect((await getLabellingQueue(as("lab2"), { name: "credit" }))!.progress).toMatchObject({ pairs: 2, agreementRate: 0.5, awaitingThird: 0 });
    // Others labelled after lab1 on these items: lab1's answer is part of their decision and cannot be undone.
    const notUndone = await refusalOf(undoLastLabel(as("lab1"), { name: "credit" }));
    expect(notUndone).toMatchObject({ code: "INVALID_STATE", message: expect.stringMatching(/labelled this item after you/) });
    expect(saidIn("en", notUndone)).toBe(notUndone.message);
    expect(saidIn("fr", notUndone)).toMatch(/^lab\d-\w+ a annoté cet élément après vous, votre réponse fait donc partie de sa décision et ne peut pas être annulée\.$/);
    // Every label is kept keyed by (model, request id, row), for erasure.
    const kept = await studio.db.select().from(labellingLabels).where(eq(labellingLabels.itemId, a.itemId));
    expect(kept.map((l) => [l.requestId, l.rowIndex, l.label])).toEqual([
      [a.requestId, a.rowIndex, 0],
      [a.requestId, a.rowIndex, 1],
      [a.requestId, a.rowIndex, 1],
    ]);
  });

  it("fills by disagreement: rows where a shadow answered the same request differently", async () => {
    const model = await findRegisteredModel(studio.db, "credit");
    const version = await findVersionByAlias(studio.db, "credit", "production");
    const [logged] = await studio.db.select().from(inferenceLog).where(eq(inferenceLog.requestId, "req-7"));
    const flipped = logged!.predictions.map((p, i) => (i === 2 ? 1 - Number(p) : p));
    await studio.db.insert(inferenceLog).values({ ...logged!, logId: undefined, modelId: model.modelId, versionId: version.versionId, predictions: flipped, route: "shadow" });
    await studio.db.delete(labellingItems).where(eq(labellingItems.requestId, "req-7"));
    await configureLabellingQueue(as("ed"), { name: "credit", strategy: "disagreement", fillSize: 10, labelsRequired: 1 });
    expect(await fillLabellingQueue(as("ed"), { name: "credit" })).toEqual({ added: 1, candidates: 1 });
    const [item] = await studio.db.select().from(labellingItems).where(eq(labellingItems.requestId, "req-7"));
    expect(item).toMatchObject({ rowIndex: 2, prediction: logged!.predictions[2], challengerPrediction: flipped[2] });
  });

  it("exports agreed labels as a masked dataset version", async () => {
    await expect(exportLabelsAsDataset(as("lab1"), { name: "credit", datasetName: "credit-labels" }, { datasetRoot })).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    const result = await exportLabelsAsDataset(as("ed"), { name: "credit", datasetName: "credit-labels", masking: { sex: { action: "drop" } } }, { datasetRoot });
    const agreed = (await studio.db.select().from(labellingItems)).filter((i) => i.status === "agreed");
    expect(result).toEqual({ dataset: "credit-labels", version: 1, rows: agreed.length, created: true });
    const [stored] = await studio.db.select().from(datasetVersions);
    expect(stored!.columns).toEqual([...columns.filter((c) => c !== "sex"), "label"]);
    expect(stored!.rowCount).toBe(agreed.length);
    expect((await listAuditEntries(studio.db, { action: "labelling.export" }))[0]!.after).toMatchObject({ dataset: "credit-labels", version: 1 });
  });

  it("lets a labeller label and nothing else", async () => {
    for (const call of [
      () => configureLabellingQueue(as("lab1"), { name: "credit", strategy: "random", fillSize: 5, labelsRequired: 1 }),
      () => fillLabellingQueue(as("lab1"), { name: "credit" }),
      () => getMonitoringView(as("lab1"), { name: "credit", window: "hour" }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    }
    // Reads that only ask for a signed-in caller are closed to a labeller too: tRPC outside labelling, and every REST API.
    const caller = appRouter.createCaller({ ...as("lab1"), req: new Request("http://studio.test/api/trpc") });
    await expect(caller.tracking.experimentSummaries({})).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/may only label/) });
    expect((await caller.labelling.queues()).map((q) => q.model)).toEqual(["credit"]);
    const basic = `Basic ${Buffer.from(`lab1-${backend}:labelling-password-1`).toString("base64")}`;
    const rest = await handleMlflowApi(
      new Request("http://studio.test/api/2.0/mlflow/experiments/search", { method: "POST", body: "{}", headers: { authorization: basic, "content-type": "application/json" } }),
      ["experiments", "search"],
      async (request) => ({ db: studio.db, artifacts: studio.artifacts, actor: await authenticateRequest(request, studio.db) }),
    );
    expect(rest.status).toBe(403);
  });
});
