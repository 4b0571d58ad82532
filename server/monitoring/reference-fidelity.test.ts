// Drift compares production values with the reference as written in its file: a yes/no or 007 category served as
// text is not a drift from a reference DuckDB would have sniffed into true/false or 7 (a false alarm before).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { promoteVersion } from "../deployments/deployments";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { registerDatasetVersion } from "../datasets/register-version";
import { findRegisteredModel, findVersionByAlias } from "../registry/model-versions";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { quirkyCreditModel, quirkyRenames, writeQuirkyCreditCsv } from "../testing/quirky-categories";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { flushInferenceLog, recordInference } from "./inference-log";
import { getMonitoringView, updateMonitoringSettings } from "./monitoring";
import { readReferenceData } from "./reference-data";
import { defaultMonitoringThresholds } from "./schema";

const admin: Actor = { userId: "u-ada", username: "ada", role: "admin", via: "session" };
const renames = quirkyRenames[0];
const numericColumns = ["age", "income", "employment_years", "loan_amount", "duration_months", "existing_credits"];

describe.each(testBackends)("monitoring reference as written on %s", (backend) => {
  let studio: TestStudio;
  let root: string;
  let trainFile: string;
  let served: Record<string, string>[];
  const previousRoot = process.env.STUDIO_DATASET_ROOT;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    root = await mkdtemp(path.join(os.tmpdir(), "studio-reference-fidelity-"));
    process.env.STUDIO_DATASET_ROOT = root;
    trainFile = path.join(root, "quirky-train.csv");
    await writeQuirkyCreditCsv(renames, trainFile, "credit.train");
    served = await writeQuirkyCreditCsv(renames, path.join(root, "quirky-test.csv"), "credit.test");
    await registerDatasetVersion(
      studio.as(admin),
      root,
      { name: "credit-quirky", format: "csv", description: "", source: "", licence: "", note: "", labelColumn: "approved", masking: {} },
      Readable.from([await readFile(trainFile)]),
    );
    await waitForDatasetJobs();
    await registerOnnxUpload(studio.as(admin), { name: "credit-quirky", bytes: quirkyCreditModel(renames) });
  });
  afterAll(async () => {
    await flushInferenceLog();
    await studio.close();
    await rm(root, { recursive: true, force: true });
    process.env.STUDIO_DATASET_ROOT = previousRoot;
  });

  it("reads the reference's categories as written", async () => {
    const reference = await readReferenceData(trainFile, "csv", `quirky-train-${backend}`);
    expect(Object.keys(reference.columns.get("sex")!.counts).sort()).toEqual(["no", "yes"]);
    expect(Object.keys(reference.columns.get("purpose")!.counts).sort()).toEqual(["007", "010", "08", "1.5", "1.50"]);
    expect(Object.keys(reference.columns.get("housing")!.counts).sort()).toEqual(["N", "NA", "Y"]);
    expect(reference.columns.get("income")!.kind).toBe("numeric");
  });

  it("finds no drift when production sends the same categories, as text, from the same distribution", async () => {
    await promoteVersion(studio.as(admin), { name: "credit-quirky", version: "1", overrideReason: "test: no review needed" });
    await updateMonitoringSettings(studio.as(admin), {
      name: "credit-quirky",
      sampleRate: 1,
      retentionDays: 30,
      thresholds: defaultMonitoringThresholds,
      reference: { datasetName: "credit-quirky", version: 1 },
    });
    const model = await findRegisteredModel(studio.db, "credit-quirky");
    const production = await findVersionByAlias(studio.db, "credit-quirky", "production");
    const hour = 3_600_000;
    const at = Math.floor(Date.now() / hour) * hour;
    served.forEach((row, index) =>
      recordInference(studio.db, {
        modelId: model.modelId,
        versionId: production.versionId,
        requestId: `quirky-${index}`,
        at: at + index,
        latencyMs: 1,
        // As serving logs them: the model's string inputs as the text sent, its numeric inputs as numbers.
        inputs: {
          ...Object.fromEntries(numericColumns.map((name) => [name, [Number(row[name])]])),
          sex: [row.sex],
          purpose: [row.purpose],
          housing: [row.housing],
        },
        predictions: [Number(row.approved)],
        protocol: "mlflow",
      }),
    );
    await flushInferenceLog();
    const view = await getMonitoringView(studio.as(admin), { name: "credit-quirky", window: "hour" });
    const latest = view.windows.at(-1)!;
    const byName = new Map(latest.features.map((feature) => [feature.feature, feature]));
    for (const name of ["sex", "purpose", "housing"]) {
      expect(byName.get(name), name).toMatchObject({ kind: "categorical", drifted: false });
    }
    expect(latest.features.filter((feature) => feature.drifted).map((feature) => feature.feature)).toEqual([]);
  });
});
