// Tests of the first-start demo seed: written once, with the planned runs, curves, inputs and model artifacts.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { absoluteVersionPath } from "../datasets/dataset-store";
import { getDatasetLineage } from "../datasets/lineage";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { findVersion, listDatasets } from "../datasets/registry";
import { getModelVersionDetail } from "../registry/model-versions";
import { getRegisteredModelDetail, listRegisteredModels } from "../registry/registered-models";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { createExperiment, getExperimentByName, searchExperiments } from "../tracking/experiments";
import { getMetricHistory } from "../tracking/metric-history";
import { listRunArtifacts } from "../tracking/run-artifacts";
import { searchRuns } from "../tracking/search-runs";
import { BREAST_CANCER_EXPERIMENT, IRIS_EXPERIMENT, loadDemoPlan, seedDemoOnFirstStart } from "./demo";
import { synthesiseCurves } from "./demo-curves";
import { demoUsers } from "./demo-users";
import { waitForReviewJobs } from "../review/review-jobs";
import { getReview, listReviews, productionGate } from "../review/reviews";
import { getMonitoringView, listModelFlags } from "../monitoring/monitoring";

const fixturesDir = path.join(process.cwd(), "fixtures");
let studio: TestStudio | undefined;
let datasetRoot: string | undefined;
afterEach(async () => {
  await waitForDatasetJobs();
  await waitForReviewJobs();
  await studio?.close();
  studio = undefined;
  if (datasetRoot) await rm(datasetRoot, { recursive: true, force: true });
  datasetRoot = undefined;
});

describe.each(testBackends)("demo seed (%s)", (backend) => {
  it("seeds a fresh database once, with the planned runs and curves", async () => {
    studio = await createTestStudio(backend);
    datasetRoot = await mkdtemp(path.join(os.tmpdir(), "studio-seed-datasets-"));
    const first = await seedDemoOnFirstStart(studio.db, studio.artifacts, { env: {}, datasetRoot });
    expect(first.status).toBe("seeded");
    const second = await seedDemoOnFirstStart(studio.db, studio.artifacts, { env: {}, datasetRoot });
    expect(second).toEqual({ status: "skipped", reason: "the database already holds experiments or runs" });

    const { experiments } = await searchExperiments(studio, { view_type: "ALL" });
    expect(experiments.map((e) => e.name).sort()).toEqual(["Default", BREAST_CANCER_EXPERIMENT, IRIS_EXPERIMENT].sort());

    const plan = await loadDemoPlan(fixturesDir);
    const planned = plan.experiments.find((e) => e.name === BREAST_CANCER_EXPERIMENT)!;
    const experiment = await getExperimentByName(studio, BREAST_CANCER_EXPERIMENT);
    const { runs } = await searchRuns(studio, { experiment_ids: [experiment.experiment_id], order_by: ["metrics.val_accuracy DESC"] });
    expect(runs).toHaveLength(12);
    expect(runs.filter((r) => r.info.status === "FAILED")).toHaveLength(1);
    expect(runs.filter((r) => r.info.status === "KILLED")).toHaveLength(1);
    expect(runs.filter((r) => r.info.status === "FINISHED")).toHaveLength(10);

    for (const run of runs) {
      const expected = planned.runs.find((p) => p.runName === run.info.run_name)!;
      expect(expected).toBeDefined();
      const history = await getMetricHistory(studio, { run_id: run.info.run_id, metric_key: "val_accuracy" });
      expect(history.metrics).toHaveLength(expected.loggedSteps);
      expect(history.metrics.at(-1)?.step).toBe(expected.loggedSteps - 1);
      expect(run.data.metrics.map((m) => m.key).sort()).toEqual(["train_loss", "val_accuracy", "val_auc", "val_loss"]);
      expect(run.data.params.map((p) => p.key).sort()).toEqual(["criterion", "max_depth", "max_features", "min_samples_leaf", "n_estimators", "seed"]);
      const tagKeys = run.data.tags.map((t) => t.key);
      expect(tagKeys).toEqual(expect.arrayContaining(["mlflow.source.name", "mlflow.source.type", "team", "mlflow.note.content", "mlflow.runName"]));
      expect(run.info.end_time).toBeGreaterThan(run.info.start_time);
      const training = run.inputs.dataset_inputs.find((i) => i.tags.some((t) => t.value === "training"));
      expect(training?.dataset.name).toBe("breast_cancer.train");
      expect(training?.dataset.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.parse(training!.dataset.schema!).mlflow_colspec).toHaveLength(31);
    }
    expect(new Set(runs.map((r) => r.info.start_time)).size).toBe(12);
    expect(Math.max(...runs.map((r) => r.info.start_time)) - Math.min(...runs.map((r) => r.info.start_time))).toBeGreaterThan(14 * 24 * 3600 * 1000);

    // The two best runs are the fixture models' own, scoring exactly their sidecar test metrics, with the model attached.
    const [best, second2] = runs;
    const metric = (run: (typeof runs)[number], key: string) => run.data.metrics.find((m) => m.key === key)!.value;
    expect(metric(best, "val_accuracy")).toBeCloseTo(0.972027972027972, 12);
    expect(metric(best, "val_auc")).toBeCloseTo(0.9949685534591195, 12);
    expect(best.data.params).toEqual(expect.arrayContaining([{ key: "n_estimators", value: "100" }, { key: "max_depth", value: "8" }]));
    expect(metric(second2, "val_accuracy")).toBeCloseTo(0.9440559440559441, 12);
    for (const run of [best, second2]) {
      const listed = await listRunArtifacts(studio, run.info.run_id, "model");
      expect(listed.files.map((f) => f.path)).toEqual(["model/MLmodel", "model/model.json", "model/model.onnx"]);
    }
    const onnxSize = (await listRunArtifacts(studio, best.info.run_id, "model")).files.find((f) => f.path.endsWith(".onnx"))?.file_size;
    expect(onnxSize).toBe(126421);

    const iris = await getExperimentByName(studio, IRIS_EXPERIMENT);
    const irisRuns = await searchRuns(studio, { experiment_ids: [iris.experiment_id] });
    expect(irisRuns.runs).toHaveLength(3);

    // Datasets: registered through the upload path, profiled, checked, masked, and linked to the runs that trained on them.
    await waitForDatasetJobs();
    const datasets = await listDatasets(studio, {});
    expect(datasets.map((d) => d.name).sort()).toEqual(["breast-cancer", "credit-applications", "customers"]);
    // The full data is version 1; the held-out test splits the reviews evaluate on are version 2.
    const latestVersions = Object.fromEntries(datasets.map((d) => [d.name, d.latest!.version]));
    expect(latestVersions).toEqual({ "breast-cancer": 2, "credit-applications": 2, customers: 1 });
    for (const dataset of datasets) expect(dataset.latest).toMatchObject({ profileStatus: "done" });
    const customers = datasets.find((d) => d.name === "customers")!;
    expect(customers.latest!.qualityStatus).toBe("failed");
    expect(customers.latest!.qualityReason).toMatch(/city/);
    const stored = await readFile(absoluteVersionPath(datasetRoot!, (await findVersion(studio.db, "customers", 1)).row.storagePath), "utf8");
    expect(stored).not.toMatch(/@example\.com|FR\d{25}/);
    expect(stored.split("\n")[0]).not.toMatch(/card_number|nir/);
    expect(datasets.find((d) => d.name === "credit-applications")!.latest!.qualityStatus).toBe("passed");
    const lineage = await getDatasetLineage(studio, "breast-cancer");
    // Each run trained on version 1 and measured its validation scores on the test split, version 2.
    expect(lineage.runs).toHaveLength(24);
    expect(lineage.runs.filter((r) => r.version === 1).every((r) => r.context === "training")).toBe(true);
    expect(lineage.runs.filter((r) => r.version === 2).every((r) => r.context === "evaluation")).toBe(true);
    expect(lineage.runs.filter((r) => r.version === 2)).toHaveLength(12);

    // Models: champion and challenger from the two best runs, with lineage back to run and dataset; the fixtures as uploads.
    const models = await listRegisteredModels(studio, {});
    expect(models.map((m) => m.name).sort()).toEqual(["breast-cancer-rf", "credit-logreg", "diabetes-ridge", "digits-mlp", "iris-logreg", "iris-logreg-zipmap"]);
    const forest = await getRegisteredModelDetail(studio, "breast-cancer-rf");
    expect(forest.aliases).toEqual(expect.arrayContaining([{ alias: "champion", version: "1" }, { alias: "challenger", version: "2" }]));
    const champion = await getModelVersionDetail(studio, "breast-cancer-rf", "1");
    const championLineage = champion.lineage as { runId: string; metrics: Record<string, number>; datasets: { registry: { datasetName: string } | null }[] };
    expect(championLineage.runId).toBe(best.info.run_id);
    expect(championLineage.metrics.val_accuracy).toBeCloseTo(0.972027972027972, 12);
    expect(championLineage.datasets.map((d) => d.registry?.datasetName)).toContain("breast-cancer");
    expect((champion.introspection as { operators: { opType: string }[] }).operators.map((o) => o.opType)).toContain("TreeEnsembleClassifier");
    // The MLmodel logged beside the model names the 30 columns, as mlflow.onnx.log_model with a signature does.
    const signature = (champion.introspection as { mlmodelSignature: { inputs: { name?: string }[] } | null }).mlmodelSignature;
    expect(signature?.inputs.map((input) => input.name).slice(0, 2)).toEqual(["mean_radius", "mean_texture"]);
    expect(signature?.inputs).toHaveLength(30);
    // Reviews: the champion approved by the demo reviewer (not its registrant) and promoted through the gate; the credit model waiting.
    await waitForReviewJobs();
    const decided = await listReviews(studio, { filter: "decided" });
    expect(decided.map((r) => [r.modelName, r.modelVersion, r.datasetName, r.datasetVersion, r.status])).toEqual([["breast-cancer-rf", "1", "breast-cancer", 2, "approved"]]);
    const approvedReview = await getReview(studio, decided[0].id);
    expect(approvedReview.decisions.map((d) => [d.reviewer, d.decision])).toEqual([["bob", "approve"]]);
    expect(demoUsers.find((u) => u.username === "bob")?.role).toBe("reviewer");
    expect(approvedReview.modelOwner).not.toBe("bob");
    expect(approvedReview.report?.rowCount).toBe(143);
    expect(approvedReview.trainingOverlap).toBeNull();
    expect(forest.aliases).toEqual(expect.arrayContaining([{ alias: "production", version: "1" }]));
    expect(await productionGate(studio, { name: "breast-cancer-rf", version: "1" })).toMatchObject({ approved: true, approvedReviewId: approvedReview.id });
    const waiting = await listReviews(studio, { filter: "waiting" });
    expect(waiting.map((r) => [r.modelName, r.modelVersion, r.datasetName, r.status])).toEqual([["credit-logreg", "1", "credit-applications", "ready"]]);
    const credit = await getReview(studio, waiting[0].id);
    expect(credit.sensitiveAttributes).toEqual(["sex"]);
    expect(credit.report?.fairness.map((f) => f.attribute)).toEqual(["sex"]);
    const bob = { userId: "someone-else", username: "bob", role: "reviewer" as const, via: "session" as const };
    expect((await listReviews(studio.as(bob), { filter: "mine_to_review" })).map((r) => r.id)).toEqual([credit.id]);

    // The drift flag is there from the start, for the models list and the model page.
    expect(Object.keys(await listModelFlags(studio))).toEqual(["breast-cancer-rf"]);
    // Production traffic: three stable hours, then two hours of the drift fixture with feedback on the last.
    const monitoring = await getMonitoringView(studio, { name: "breast-cancer-rf", window: "hour" }, datasetRoot);
    expect(monitoring.reference).toMatchObject({ datasetName: "breast-cancer", version: 1, source: "lineage" });
    const served = monitoring.windows.filter((w) => w.requests > 0);
    expect(served.map((w) => w.requests)).toEqual([143, 143, 143, 143, 143]);
    expect(served.map((w) => w.features.filter((f) => f.drifted).map((f) => f.feature).sort())).toEqual([
      [],
      [],
      [],
      ["mean_radius", "mean_texture", "worst_concavity"],
      ["mean_radius", "mean_texture", "worst_concavity"],
    ]);
    expect(served.at(-1)?.liveMetric).toMatchObject({ name: "accuracy", count: 143 });
    expect(monitoring.flag.reasons.join(" ")).toMatch(/mean_radius, mean_texture, worst_concavity/);

    const derived = await getModelVersionDetail(studio, "iris-logreg-zipmap", "2");
    expect(derived.lineage).toMatchObject({ derivedFrom: { version: "1", transform: "remove-zipmap" } });
    expect((derived.introspection as { usesZipMap: boolean }).usesZipMap).toBe(false);
    // The whole demo (12 runs of curves, datasets, reviews, served traffic) on one PGlite: about 15 s alone, and the
    // suite runs two test files at once, so on a busy two-core machine it needs more than the default minute.
  }, 150_000);

  it("seeds nothing with STUDIO_SEED=none, or when the studio already has experiments", async () => {
    studio = await createTestStudio(backend);
    expect(await seedDemoOnFirstStart(studio.db, studio.artifacts, { env: { STUDIO_SEED: "none" } })).toEqual({
      status: "skipped",
      reason: "STUDIO_SEED=none",
    });
    expect((await searchExperiments(studio, { view_type: "ALL" })).experiments.map((e) => e.name)).toEqual(["Default"]);
    await createExperiment(studio, { name: "someone's work" });
    expect(await seedDemoOnFirstStart(studio.db, studio.artifacts, { env: {} })).toMatchObject({ status: "skipped" });
    expect((await searchExperiments(studio, { view_type: "ALL" })).experiments).toHaveLength(2);
  });
});

describe("demo curves", () => {
  it("draws the same curves every time, ending on the planned scores", () => {
    const spec = {
      plannedSteps: 2000, loggedSteps: 2000, finalAccuracy: 0.95, finalAuc: 0.99, finalValLoss: 0.12, finalTrainLoss: 0.05, overfit: 0.01,
      valRows: 143, startAccuracy: 0.6, startAuc: 0.8, startLoss: Math.log(2), divergesAtEnd: false, seed: 5,
    };
    const a = synthesiseCurves(spec);
    expect(synthesiseCurves(spec)).toEqual(a);
    expect(a.val_accuracy).toHaveLength(2000);
    expect(a.val_accuracy.at(-1)).toBe(0.95);
    expect(a.val_auc.at(-1)).toBe(0.99);
    expect(a.train_loss[0]).toBeGreaterThan(a.train_loss[1999] * 3);
    expect(a.train_loss.every(Number.isFinite)).toBe(true);
    const failed = synthesiseCurves({ ...spec, loggedSteps: 800, divergesAtEnd: true });
    expect(failed.train_loss).toHaveLength(800);
    expect(failed.train_loss.at(-1)).toBeNaN();
  });
});
