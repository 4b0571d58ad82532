// A matrix model's columns in a review: named by its training dataset (lineage) they are matched by name; named by
// nothing, the requester confirms the order once, and it is stored with the review and used by its evaluation.
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { registerDatasetVersion } from "../datasets/register-version";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { waitForReviewJobs } from "./review-jobs";
import { getReview, requestReview, reviewFormDefaults } from "./reviews";
import { defaultCriteria } from "./schema";

const fixtures = path.join(import.meta.dirname, "../../fixtures");
const erin: Actor = { userId: "u-erin", username: "erin", role: "editor", via: "session" };
const pixels = Array.from({ length: 64 }, (_, index) => `px${index}`);

describe.each(testBackends)("review column mapping on %s", (backend) => {
  let studio: TestStudio;
  let root: string;
  let trainVersion: number;
  let testVersion: number;
  const as = (actor: Actor) => studio.as(actor);
  const request = (modelName: string, columnOrder?: string[]) =>
    requestReview(
      as(erin),
      {
        modelName,
        modelVersion: "1",
        datasetName: "digits",
        datasetVersion: testVersion,
        labelColumn: "digit",
        sensitiveAttributes: [],
        criteria: { ...defaultCriteria("multiclass"), metricThresholds: [{ metric: "accuracy", op: "gte", threshold: 0.9 }] },
        requiredApprovals: 1,
        context: { businessGoal: "", expectedRoi: "", knownLimits: "" },
        ...(columnOrder ? { columnOrder } : {}),
      },
      root,
    );

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    root = await mkdtemp(path.join(os.tmpdir(), "studio-column-mapping-"));
    const meta = { name: "digits", format: "csv" as const, masking: {}, labelColumn: "digit", sensitiveAttributes: [] };
    const train = await registerDatasetVersion(as(erin), root, meta, createReadStream(path.join(fixtures, "datasets/digits.train.csv")));
    const test = await registerDatasetVersion(as(erin), root, meta, createReadStream(path.join(fixtures, "datasets/digits.test.csv")));
    trainVersion = train.version.version;
    testVersion = test.version.version;
    await waitForDatasetJobs();
    const bytes = new Uint8Array(await readFile(path.join(fixtures, "models/digits-mlp.onnx")));
    // The same ONNX bytes twice: once with lineage to its training dataset version, once uploaded alone.
    await registerOnnxUpload(as(erin), {
      name: "digits-trained",
      bytes,
      lineage: {
        datasets: [
          { name: "digits.train", digest: train.version.digest, context: "training", registry: { datasetName: "digits", version: trainVersion, qualityStatus: "none", qualityReason: null } },
        ],
      },
    });
    await registerOnnxUpload(as(erin), { name: "digits-nameless", bytes });
  }, 240_000); // registering and profiling datasets takes minutes on a busy shared machine
  afterAll(async () => {
    await waitForReviewJobs();
    await waitForDatasetJobs();
    await studio.close();
    await rm(root, { recursive: true, force: true });
  });

  it("tells the form whether the matrix input's columns are named: by the training dataset in lineage, or by nothing", async () => {
    const trained = await reviewFormDefaults(as(erin), { modelName: "digits-trained", modelVersion: "1" });
    expect(trained.matrixInput).toEqual({ inputName: "input", width: 64, names: pixels });
    const nameless = await reviewFormDefaults(as(erin), { modelName: "digits-nameless", modelVersion: "1" });
    expect(nameless.matrixInput).toEqual({ inputName: "input", width: 64, names: null });
  });

  it("matches a named model's columns by name, and refuses an order for it", async () => {
    await expect(request("digits-trained", pixels)).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/names its columns.*leave the column order out/) });
    const { id } = await request("digits-trained");
    await waitForReviewJobs();
    const review = await getReview(as(erin), id);
    expect(review.status).toBe("ready");
    expect(review.columnMapping).toBeNull();
    expect(review.report!.features).toEqual(pixels);
    expect(review.report!.notes).toContain("Columns were matched to the model's inputs by name, from the columns of the training dataset version in the model's lineage.");
  });

  it("asks for the column order when nothing names the columns, refuses a wrong one, stores and uses a confirmed one", async () => {
    await expect(request("digits-nameless")).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/Nothing names the 64 columns of the model's input 'input'.*confirm which dataset columns feed it/) });
    await expect(request("digits-nameless", [...pixels.slice(1), "digit"])).rejects.toMatchObject({ message: expect.stringMatching(/'digit' is the label column/) });
    await expect(request("digits-nameless", pixels.slice(0, 10))).rejects.toMatchObject({ message: expect.stringMatching(/The model takes 64 columns; the confirmed order lists 10/) });
    const { id } = await request("digits-nameless", pixels);
    await waitForReviewJobs();
    const review = await getReview(as(erin), id);
    expect(review.status).toBe("ready");
    expect(review.columnMapping).toMatchObject({ inputName: "input", columns: pixels, confirmedBy: "erin" });
    expect(review.report!.notes).toContain("Columns were matched to the model's inputs by name, from the column order confirmed by the requester.");
    expect(review.report!.classification!.accuracy).toBeGreaterThan(0.95);
  });
});
