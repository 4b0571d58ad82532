// Deleting model and dataset versions: refused (409, saying why) in production, with an alias or under review; otherwise audited and gone.
import { createReadStream } from "node:fs";
import { access, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { listAuditEntries } from "../auth/audit";
import { absoluteVersionPath } from "../datasets/dataset-store";
import { deleteDatasetVersion } from "../datasets/delete-version";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { registerDatasetVersion } from "../datasets/register-version";
import { findVersion } from "../datasets/registry";
import { appRouter } from "../root-router";
import { waitForReviewJobs } from "../review/review-jobs";
import { requestReview } from "../review/reviews";
import { defaultCriteria } from "../review/schema";
import { mlflowWire } from "../testing/mlflow-client";
import { refusalOf, saidIn } from "../testing/said-error";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { registerOnnxUpload } from "./onnx-versions";
import { setModelAlias } from "./registered-models";

const fixtures = path.join(import.meta.dirname, "../../fixtures");
const admin: Actor = { userId: "admin-1", username: "ada", role: "admin", via: "session" };
const editor: Actor = { userId: "editor-1", username: "erin", role: "editor", via: "session" };
const viewer: Actor = { userId: "viewer-1", username: "vera", role: "viewer", via: "session" };

describe.each(testBackends)("deleting versions on %s", (kind) => {
  let studio: TestStudio;
  let datasetRoot: string;
  const callerFor = (actor: Actor) => appRouter.createCaller({ ...studio.as(actor), req: new Request("http://studio.test/api/trpc") });

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    datasetRoot = await mkdtemp(path.join(os.tmpdir(), "studio-version-deletion-"));
    const bytes = new Uint8Array(await readFile(path.join(fixtures, "models/credit-logreg.onnx")));
    for (let i = 0; i < 4; i++) await registerOnnxUpload(studio.as(editor), { name: "credit", bytes });
    for (const name of ["credit-test", "spare"]) {
      await registerDatasetVersion(
        studio.as(editor),
        datasetRoot,
        { name, format: "csv", masking: {}, labelColumn: "approved", sensitiveAttributes: ["sex"] },
        createReadStream(path.join(fixtures, "datasets/credit.test.csv")),
      );
    }
    await waitForDatasetJobs();
  });
  afterAll(async () => {
    await waitForReviewJobs();
    await studio.close();
    await rm(datasetRoot, { recursive: true, force: true });
  });

  const versionExists = async (version: string) => (await mlflowWire(studio).get("model-versions/get", { name: "credit", version })).status === 200;

  it("refuses a version holding an alias, over REST and tRPC, then deletes it once the alias is gone, audited", async () => {
    await setModelAlias(studio.as(editor), { name: "credit", alias: "champion", version: "2" });
    const rest = await mlflowWire(studio.as(editor)).call("DELETE", "model-versions/delete", { name: "credit", version: "2" });
    expect(rest.status).toBe(409);
    expect(rest.body).toMatchObject({ error_code: "RESOURCE_CONFLICT", message: expect.stringContaining("holds the alias 'champion'") });
    await expect(callerFor(editor).registry.deleteVersion({ name: "credit", version: "2" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await versionExists("2")).toBe(true);

    await callerFor(editor).registry.deleteAlias({ name: "credit", alias: "champion" });
    await expect(callerFor(editor).registry.deleteVersion({ name: "credit", version: "2" })).resolves.toEqual({ ok: true });
    expect(await versionExists("2")).toBe(false);
    const [entry] = await listAuditEntries(studio.db, { action: "model_version.delete", targetId: "credit/2" });
    expect(entry).toMatchObject({ actorUsername: "erin", before: { current_stage: "None" } });
  });

  it("refuses a version in production", async () => {
    await setModelAlias(studio.as(admin), { name: "credit", alias: "production", version: "3", overrideReason: "Deletion test: production without a review." });
    await expect(callerFor(admin).registry.deleteVersion({ name: "credit", version: "3" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("is in production (alias 'production')"),
    });
    expect(await versionExists("3")).toBe(true);
  });

  it("refuses a model version and its dataset version while a review of them is undecided", async () => {
    const { id } = await requestReview(
      studio.as(editor),
      {
        modelName: "credit",
        modelVersion: "4",
        datasetName: "credit-test",
        datasetVersion: 1,
        labelColumn: "approved",
        sensitiveAttributes: ["sex"],
        criteria: { ...defaultCriteria("binary"), maxGroupGap: null },
        requiredApprovals: 1,
        context: { businessGoal: "Deletion test", expectedRoi: "", knownLimits: "" },
      },
      datasetRoot,
    );
    await expect(callerFor(editor).registry.deleteVersion({ name: "credit", version: "4" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(`is under review #${id}`),
    });
    const kept = await refusalOf(deleteDatasetVersion(studio.as(editor), datasetRoot, { name: "credit-test", version: 1 }));
    expect(kept).toMatchObject({ code: "RESOURCE_CONFLICT", message: expect.stringContaining(`review #${id}`) });
    // Said on the dataset page in the reader's language: English word for word, French with the review's status in French.
    expect(saidIn("en", kept)).toBe(kept.message);
    expect(saidIn("fr", kept)).toMatch(new RegExp(`^La version 1 de «\u00a0credit-test\u00a0» est (en revue \\(revue n°\u00a0${id}, |la donnée d’évaluation de la revue n°\u00a0${id} \\()`));
    expect(await versionExists("4")).toBe(true);
  });

  it("deletes a dataset version no review or monitor uses: row, file and audit entry; a viewer may not", async () => {
    const spare = await callerFor(viewer).datasets.get({ name: "spare" });
    expect(spare.versions).toHaveLength(1);
    await expect(callerFor(viewer).datasets.deleteVersion({ name: "spare", version: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(viewer).registry.deleteVersion({ name: "credit", version: "1" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const file = absoluteVersionPath(datasetRoot, (await findVersion(studio.db, "spare", 1)).row.storagePath);
    await access(file);
    await expect(deleteDatasetVersion(studio.as(editor), datasetRoot, { name: "spare", version: 1 })).resolves.toEqual({ name: "spare", version: 1 });
    expect((await callerFor(viewer).datasets.get({ name: "spare" })).versions).toHaveLength(0);
    await expect(access(file)).rejects.toThrow();
    const [entry] = await listAuditEntries(studio.db, { action: "dataset_version.delete", targetId: "spare/1" });
    expect(entry).toMatchObject({ actorUsername: "erin", before: { digest: spare.versions[0]!.digest } });
    await expect(deleteDatasetVersion(studio.as(editor), datasetRoot, { name: "spare", version: 1 })).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
  });
});
