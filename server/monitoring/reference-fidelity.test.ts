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
import { createTranslator } from "next-intl";
import { sentenceText, type SentenceTranslator } from "@/lib/i18n/server-sentence";
import { catalogues } from "@/messages";

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
  }, 240_000); // registering and profiling datasets takes minutes on a busy shared machine
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

describe.each(testBackends)("monitoring an unnamed matrix model on %s", (backend) => {
  let studio: TestStudio;
  let root: string;
  const previousRoot = process.env.STUDIO_DATASET_ROOT;
  const fixtures = path.join(import.meta.dirname, "../../fixtures");
  const meta = (name: string) => ({ name, format: "csv" as const, description: "", source: "", licence: "", note: "", labelColumn: "malignant", masking: {} });

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    root = await mkdtemp(path.join(os.tmpdir(), "studio-reference-names-"));
    process.env.STUDIO_DATASET_ROOT = root;
    const trainText = await readFile(path.join(fixtures, "datasets/breast_cancer.train.csv"), "utf8");
    const train = await registerDatasetVersion(studio.as(admin), root, meta("bc-train"), Readable.from([Buffer.from(trainText)]));
    // The same rows with the columns in reverse order: a reference chosen for monitoring need not keep the training order.
    const lines = trainText.trim().split("\n").map((line) => line.split(",").reverse().join(","));
    await registerDatasetVersion(studio.as(admin), root, meta("bc-reversed"), Readable.from([Buffer.from(lines.join("\n") + "\n")]));
    await waitForDatasetJobs();
    const bytes = new Uint8Array(await readFile(path.join(fixtures, "models/breast-cancer-rf-v1.onnx")));
    const lineage = { datasets: [{ name: "bc.train", digest: train.version.digest, context: "training", registry: { datasetName: "bc-train", version: 1, qualityStatus: "none", qualityReason: null } }] };
    await registerOnnxUpload(studio.as(admin), { name: "bc-lineage", bytes, lineage });
    await registerOnnxUpload(studio.as(admin), { name: "bc-nameless", bytes });
  }, 240_000); // registering and profiling datasets takes minutes on a busy shared machine
  afterAll(async () => {
    await flushInferenceLog();
    await studio.close();
    await rm(root, { recursive: true, force: true });
    process.env.STUDIO_DATASET_ROOT = previousRoot;
  });

  /** The stable test rows as serving logs an unnamed [N,30] input: keys x0…x29 in the model's column order. */
  async function serveStable(modelName: string) {
    const text = await readFile(path.join(fixtures, "datasets/breast_cancer.production-stable.csv"), "utf8");
    const [header, ...lines] = text.trim().split("\n").map((line) => line.split(","));
    const features = header.filter((name) => name !== "malignant");
    await promoteVersion(studio.as(admin), { name: modelName, version: "1", overrideReason: "test: no review needed" });
    await updateMonitoringSettings(studio.as(admin), { name: modelName, sampleRate: 1, retentionDays: 30, thresholds: defaultMonitoringThresholds, reference: { datasetName: "bc-reversed", version: 1 } });
    const model = await findRegisteredModel(studio.db, modelName);
    const production = await findVersionByAlias(studio.db, modelName, "production");
    const at = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    lines.forEach((cells, index) =>
      recordInference(studio.db, {
        modelId: model.modelId,
        versionId: production.versionId,
        requestId: `${modelName}-${index}`,
        at: at + index,
        latencyMs: 1,
        inputs: Object.fromEntries(features.map((name, column) => [`x${column}`, [Number(cells[header.indexOf(name)])]])),
        predictions: [0],
        protocol: "mlflow",
      }),
    );
    await flushInferenceLog();
    return getMonitoringView(studio.as(admin), { name: modelName, window: "hour" });
  }

  it("names x0… after the training dataset in lineage, so a reference in another column order shows no drift on stable traffic", async () => {
    const view = await serveStable("bc-lineage");
    const latest = view.windows.at(-1)!;
    expect(view.referenceProblem).toBeNull();
    expect(latest.features).toHaveLength(30);
    expect(latest.features.map((feature) => feature.feature)).toContain("mean_radius");
    expect(latest.features.filter((feature) => feature.drifted).map((feature) => feature.feature)).toEqual([]);
  });

  it("with nothing naming the columns, matches none by position and says why", async () => {
    const view = await serveStable("bc-nameless");
    expect(view.referenceProblem).toMatch(/input 'input' names none of its columns.*cannot be matched with the reference's columns by name/);
    // The page says it from its code: the same English, or French for a French reader.
    const say = (locale: "en" | "fr") =>
      sentenceText(createTranslator({ locale, messages: catalogues[locale], namespace: "sentences" }) as unknown as SentenceTranslator, view.referenceProblemMessage, "(no wording)");
    expect(say("en")).toBe(view.referenceProblem);
    expect(say("fr")).toMatch(/^L'entrée «\u00a0input\u00a0» de la version en production ne nomme aucune de ses colonnes/);
    expect(view.windows.at(-1)!.features).toEqual([]);
    expect(view.unnamedMatrix).toMatchObject({ inputName: "input", width: 30, confirmedOrder: null });
    expect(view.unnamedMatrix!.referenceColumns).toContain("mean_radius");
  });

  it("matches an unnamed matrix by the column order a person confirmed for the production version, and checks that order", async () => {
    const text = await readFile(path.join(fixtures, "datasets/breast_cancer.production-stable.csv"), "utf8");
    const order = text.split("\n")[0]!.split(",").filter((name) => name !== "malignant");
    const settings = { name: "bc-nameless", sampleRate: 1, retentionDays: 30, thresholds: defaultMonitoringThresholds, reference: { datasetName: "bc-reversed", version: 1 } };
    await expect(updateMonitoringSettings(studio.as(admin), { ...settings, columnOrder: order.slice(1) })).rejects.toMatchObject({
      code: "INVALID_PARAMETER_VALUE",
      message: expect.stringMatching(/has 30 columns, and 29 names were given/),
    });
    await expect(updateMonitoringSettings(studio.as(admin), { ...settings, columnOrder: [...order.slice(1), order[1]!] })).rejects.toMatchObject({
      message: expect.stringMatching(/repeated: mean_texture/),
    });
    await expect(updateMonitoringSettings(studio.as(admin), { ...settings, name: "bc-lineage", columnOrder: order })).rejects.toMatchObject({
      message: expect.stringMatching(/already names its columns/),
    });

    await updateMonitoringSettings(studio.as(admin), { ...settings, columnOrder: order });
    const view = await getMonitoringView(studio.as(admin), { name: "bc-nameless", window: "hour" });
    expect(view.referenceProblem).toBeNull();
    expect(view.unnamedMatrix).toMatchObject({ width: 30, confirmedOrder: order });
    const latest = view.windows.at(-1)!;
    expect(latest.features).toHaveLength(30);
    expect(latest.features.filter((feature) => feature.drifted).map((feature) => feature.feature)).toEqual([]);
    // Saving the settings without an order keeps the confirmed one.
    await updateMonitoringSettings(studio.as(admin), settings);
    expect((await getMonitoringView(studio.as(admin), { name: "bc-nameless", window: "hour" })).unnamedMatrix?.confirmedOrder).toEqual(order);
  });
});
