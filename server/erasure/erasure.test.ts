// Erasure of a data subject, on the real database: the dry run counts without changing anything, the erasure removes
// the subject's log entries and feedback (blanking only their rows in batch requests), leaves other people's data, is
// audited with counts and a hash, never the key. Dataset versions holding the key are found through DuckDB.
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, inferenceFeedback, inferenceLog } from "@/db/schema";
import { systemActor, type Actor } from "../auth/actor";
import { registerDatasetVersion } from "../datasets/register-version";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { findRegisteredModel, findVersionByAlias } from "../registry/model-versions";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { setModelAlias } from "../registry/registered-models";
import { appRouter } from "../root-router";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { findSubjectInDatasets } from "./datasets";
import { deriveVersionWithoutSubject } from "./derive-version";
import { eraseSubject, planErasure, subjectKeyHash, subjectStillLogged } from "./service";
import { refusalOf, saidIn } from "../testing/said-error";

const ada: Actor = { userId: "u-ada", username: "ada", role: "admin", via: "session" };
const erin: Actor = { userId: "u-erin", username: "erin", role: "editor", via: "session" };

describe.each(testBackends)("erasure and retention on %s", (kind) => {
  let studio: TestStudio;
  let datasetRoot: string;
  let modelId: number;
  let versionId: number;
  const caller = (actor: Actor) => appRouter.createCaller({ ...studio.as(actor), actor, req: new Request("http://studio.test/api/trpc") });

  const log = (requestId: string, customerIds: (string | number)[], at = Date.now()) => ({
    modelId,
    versionId,
    requestId,
    at,
    latencyMs: 1,
    rowCount: customerIds.length,
    inputs: { customer_id: customerIds, income: customerIds.map((_, i) => 1000 + i) },
    predictions: customerIds.map(() => 1),
    protocol: "mlflow",
  });
  const feedback = (requestId: string, rowIndex: number, at = Date.now()) => ({ modelId, requestId, rowIndex, label: 1, at });

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    datasetRoot = await mkdtemp(path.join(os.tmpdir(), "erasure-datasets-"));
    const admin = studio.as(systemActor);
    await registerOnnxUpload(admin, { name: "churn", bytes: new Uint8Array(await readFile("fixtures/models/breast-cancer-rf-v1.onnx")) });
    await setModelAlias(admin, { name: "churn", alias: "production", version: "1", overrideReason: "erasure test: no review needed" });
    modelId = (await findRegisteredModel(studio.db, "churn")).modelId;
    versionId = (await findVersionByAlias(studio.db, "churn", "production")).versionId;
  });
  afterAll(async () => {
    await studio.close();
    await rm(datasetRoot, { recursive: true, force: true });
  });

  it("counts in a dry run, then erases the subject's entries and feedback in one go, keeping everyone else's", async () => {
    await studio.db.insert(inferenceLog).values([
      log("req-alone", ["C-1001"]),
      // Shadow traffic logs the same request again under the same id.
      { ...log("req-alone", ["C-1001"]), route: "shadow" as const },
      log("req-batch", ["C-2002", 1001, "C-1001"]),
      log("req-other", ["C-2002"]),
      // The number 1001 is not the text "C-1001".
      log("req-number", [1001]),
    ]);
    await studio.db.insert(inferenceFeedback).values([feedback("req-alone", 0), feedback("req-batch", 0), feedback("req-batch", 2), feedback("req-other", 0)]);
    const key = { column: "customer_id", value: "C-1001" };

    const plan = await planErasure(studio.as(ada), key);
    expect(plan).toEqual({
      keyHash: subjectKeyHash(key),
      inferenceEntriesDeleted: 2,
      inferenceEntriesRedacted: 1,
      inferenceRows: 3,
      // The labelling queue's items and labels are keyed the same way, so they are searched too (none here).
      linkedRows: [
        { table: "inference_feedback", rows: 2 },
        { table: "labelling_items", rows: 0 },
        { table: "labelling_labels", rows: 0 },
      ],
      models: ["churn"],
    });
    // The dry run changed nothing.
    expect(await studio.db.select().from(inferenceLog)).toHaveLength(5);
    expect(await studio.db.select().from(inferenceFeedback)).toHaveLength(4);

    expect(await eraseSubject(studio.as(ada), key)).toEqual(plan);
    expect(await subjectStillLogged(studio.db, key)).toBe(false);
    const left = await studio.db.select().from(inferenceLog).orderBy(inferenceLog.logId);
    expect(left.map((l) => l.requestId)).toEqual(["req-batch", "req-other", "req-number"]);
    // In the batch, only the subject's row is blanked; row numbers and the others' values stay.
    expect(left[0].inputs).toEqual({ customer_id: ["C-2002", 1001, null], income: [1000, 1001, null] });
    const labels = await studio.db.select().from(inferenceFeedback).orderBy(inferenceFeedback.feedbackId);
    expect(labels.map((f) => `${f.requestId}#${f.rowIndex}`)).toEqual(["req-batch#0", "req-other#0"]);

    // Audited with counts and the hash: neither the key nor erased values.
    const [entry] = await studio.db.select().from(auditLog).where(eq(auditLog.action, "data.erase"));
    expect(entry).toMatchObject({ actorUsername: "ada", targetType: "data_subject", targetId: subjectKeyHash(key) });
    expect(entry.after).toMatchObject({ inferenceEntriesDeleted: 2, inferenceRows: 3, linkedRows: plan.linkedRows });
    expect(JSON.stringify(entry)).not.toContain("C-1001");

    // A number key matches as text; a second erasure of the same key finds nothing.
    expect((await planErasure(studio.as(ada), { column: "customer_id", value: "1001" })).inferenceRows).toBe(2);
    expect((await planErasure(studio.as(ada), key)).inferenceRows).toBe(0);
  });

  it("erases from a table keyed by model, request and row that another part of the studio adds later (the labels)", async () => {
    // What the labelling queue's migration will create: no change to the erasure code is needed for it to be covered.
    await studio.db.execute(sql`create table labels (label_id bigserial primary key, model_id bigint not null, request_id text not null, row_index integer not null, label text not null)`);
    await studio.db.insert(inferenceLog).values([log("req-label", ["C-7007", "C-8008"])]);
    await studio.db.execute(sql`insert into labels (model_id, request_id, row_index, label) values (${modelId}, 'req-label', 0, 'yes'), (${modelId}, 'req-label', 1, 'no')`);
    const key = { column: "customer_id", value: "C-7007" };
    const plan = await planErasure(studio.as(ada), key);
    expect(plan.linkedRows).toEqual([
      { table: "inference_feedback", rows: 0 },
      { table: "labelling_items", rows: 0 },
      { table: "labelling_labels", rows: 0 },
      { table: "labels", rows: 1 },
    ]);
    expect((await eraseSubject(studio.as(ada), key)).linkedRows).toEqual(plan.linkedRows);
    const left = await queryRows<{ row_index: number }>(studio.db, sql`select row_index from labels`);
    expect(left.map((r) => r.row_index)).toEqual([1]);
    await studio.db.execute(sql`drop table labels`);
  });

  it("is for admins only, and says what to fix in a bad request", async () => {
    await expect(caller(erin).erasure.plan({ column: "customer_id", value: "C-1" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller(erin).erasure.erase({ column: "customer_id", value: "C-1" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller(ada).erasure.plan({ column: "", value: "C-1" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("column") });
    await expect(caller(ada).erasure.erase({ column: "customer_id", value: "C-1", modelName: "no-such-model" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("lists the dataset versions holding the key, searching a hashed column by its salted hash", async () => {
    const file = path.join(datasetRoot, "upload.csv");
    await writeFile(file, "customer_id,email_hint,income\nC-1001,a,10\nC-2002,b,20\nC-1001,c,30\n");
    const meta = { name: "customers", format: "csv" as const, masking: {} };
    await registerDatasetVersion(studio.as(systemActor), datasetRoot, meta, createReadStream(file));
    await writeFile(file, "customer_id,email_hint,income\nC-1001,a,10\nC-3003,b,20\n");
    await registerDatasetVersion(studio.as(systemActor), datasetRoot, { ...meta, masking: { customer_id: { action: "hash" } } }, createReadStream(file));
    await writeFile(file, "customer_id,email_hint,income\nC-3003,b,20\n");
    await registerDatasetVersion(studio.as(systemActor), datasetRoot, { ...meta, masking: { customer_id: { action: "keep" } } }, createReadStream(file));
    await waitForDatasetJobs();
    const found = await findSubjectInDatasets(studio.as(ada), { column: "customer_id", value: "C-1001" }, datasetRoot);
    expect(found.matches).toEqual([
      { dataset: "customers", version: 1, rows: 2, columnMasking: "keep" },
      { dataset: "customers", version: 2, rows: 1, columnMasking: "hash" },
    ]);
    expect(found.searchedVersions).toBe(3);
    expect(found.unreadable).toEqual([]);

    // New versions without the subject's rows; the hashed one stays hashed (its file is filtered, never masked again).
    const key = { column: "customer_id", value: "C-1001" };
    expect(await deriveVersionWithoutSubject(studio.as(ada), { dataset: "customers", version: 1, ...key }, datasetRoot)).toEqual({ dataset: "customers", version: 4, fromVersion: 1, rowsRemoved: 2, rows: 1 });
    expect(await deriveVersionWithoutSubject(studio.as(ada), { dataset: "customers", version: 2, ...key }, datasetRoot)).toMatchObject({ version: 5, rowsRemoved: 1, rows: 1 });
    await waitForDatasetJobs();
    expect((await findSubjectInDatasets(studio.as(ada), key, datasetRoot)).matches.map((m) => m.version)).toEqual([1, 2]);
    expect((await findSubjectInDatasets(studio.as(ada), { column: "customer_id", value: "C-3003" }, datasetRoot)).matches).toEqual([
      { dataset: "customers", version: 2, rows: 1, columnMasking: "hash" },
      { dataset: "customers", version: 3, rows: 1, columnMasking: "keep" },
      { dataset: "customers", version: 5, rows: 1, columnMasking: "hash" },
    ]);
    const detail = await caller(ada).datasets.version({ name: "customers", version: 5 });
    expect(detail).toMatchObject({ rowCount: 1, maskingPolicy: { customer_id: { action: "hash" } } });
    // Nothing left to remove, and never by someone who may not erase.
    const nothingLeft = await refusalOf(deriveVersionWithoutSubject(studio.as(ada), { dataset: "customers", version: 4, ...key }, datasetRoot));
    expect(nothingLeft).toMatchObject({ code: "INVALID_STATE", message: expect.stringContaining("nothing to remove") });
    // The erasure page says it in its reader's language: English word for word as the API says it, French in French.
    expect(saidIn("en", nothingLeft)).toBe(nothingLeft.message);
    expect(saidIn("fr", nothingLeft)).toBe("customers v4 ne contient aucune ligne dont «\u00a0customer_id\u00a0» vaut cette clé\u00a0: il n’y a rien à retirer.");
    await expect(caller(erin).erasure.deriveDatasetVersion({ dataset: "customers", version: 1, ...key })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

});
