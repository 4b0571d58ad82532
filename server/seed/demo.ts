// First-start demo data: two experiments of realistic runs, datasets, models and reviews built from the repository's fixtures, through the services.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Database } from "@/db/client";
import type { ArtifactStore } from "../artifacts/store";
import { systemActor } from "../auth/actor";
import type { ServiceContext } from "../service-context";
import { createExperiment, searchExperiments } from "../tracking/experiments";
import { artifactRootOf, createRun, logBatch, logInputs, updateRun } from "../tracking/runs";
import type { DatasetInput, KeyValue, MetricInput, RunInfo } from "../tracking/schema";
import { searchRuns } from "../tracking/search-runs";
import { MAX_METRICS_PER_BATCH } from "../tracking/validation";
import { synthesiseCurves, seededRandom, type CurveSpec } from "./demo-curves";
import { getDatasetRoot } from "../datasets/dataset-store";
import { seedDemoDatasets } from "./demo-datasets";
import { seedDemoModels } from "./demo-models";
import { seedDemoReviews } from "./demo-reviews";
import { seedDemoTraffic } from "./demo-traffic";
import { signatureToMlmodelStrings, type ModelSignature } from "@/lib/model-signature";

export const BREAST_CANCER_EXPERIMENT = "Demo: breast cancer classifier";
export const IRIS_EXPERIMENT = "Demo: iris";

/**
 * Reads a fixture at run time. The path is only known at run time, so it is hidden from Next's file
 * tracer, which would otherwise trace the whole project into the build.
 */
function readFixture(fixturesDir: string, ...parts: string[]): Promise<Buffer> {
  const file = path.join(/* turbopackIgnore: true */ fixturesDir, ...parts);
  return readFile(/* turbopackIgnore: true */ file);
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/** The part of a fixture model's sidecar JSON the seed relies on. */
const zModelSidecar = z.object({
  name: z.string(),
  test_metrics: z.object({ accuracy: z.number(), roc_auc: z.number(), log_loss: z.number() }),
});

type FixtureModel = "breast-cancer-rf-v1" | "breast-cancer-rf-v2" | "iris-logreg";

interface PlannedRun {
  runName: string;
  params: Record<string, string>;
  /** Steps the run was meant to train for, and those it got through before it ended. */
  plannedSteps: number;
  loggedSteps: number;
  status: "FINISHED" | "FAILED" | "KILLED";
  /** Final validation scores; a fixture model's own test metrics when `model` is set. */
  finalAccuracy: number;
  finalAuc: number;
  finalValLoss: number;
  /** A fixture model whose ONNX file and sidecar become the run's `model/` artifacts. */
  model?: FixtureModel;
  daysAgo: number;
  minutes: number;
  note: string;
}

interface ExperimentPlan {
  name: string;
  description: string;
  team: string;
  sourceName: string;
  trainFile: string;
  testFile: string;
  valRows: number;
  startAccuracy: number;
  startAuc: number;
  classes: number;
  runs: PlannedRun[];
}

/** Accuracies on the 143-row held-out split are multiples of 1/143. */
const outOf143 = (correct: number) => correct / 143;

function randomForest(
  n: number,
  depth: number | null,
  leaf: number,
  criterion: "gini" | "entropy" | "log_loss",
  seed: number,
): Record<string, string> {
  return {
    n_estimators: String(n),
    max_depth: depth === null ? "None" : String(depth),
    min_samples_leaf: String(leaf),
    criterion,
    max_features: "sqrt",
    seed: String(seed),
  };
}

const rfName = (p: Record<string, string>) => `rf-${p.n_estimators}t-d${p.max_depth === "None" ? "max" : p.max_depth}-l${p.min_samples_leaf}-${p.criterion}`;

function breastCancerRuns(v1: z.infer<typeof zModelSidecar>, v2: z.infer<typeof zModelSidecar>): PlannedRun[] {
  const sweep: Array<Omit<PlannedRun, "runName" | "note"> & { note?: string }> = [
    { params: randomForest(10, 2, 4, "gini", 42), plannedSteps: 2000, loggedSteps: 2000, status: "FINISHED", finalAccuracy: outOf143(130), finalAuc: 0.9684, finalValLoss: 0.241, daysAgo: 24, minutes: 4 },
    { params: randomForest(20, 3, 8, "gini", 42), plannedSteps: 2100, loggedSteps: 2100, status: "FINISHED", finalAccuracy: outOf143(131), finalAuc: 0.9791, finalValLoss: 0.198, daysAgo: 22.5, minutes: 6 },
    { params: randomForest(30, 4, 1, "gini", 42), plannedSteps: 2400, loggedSteps: 2400, status: "FINISHED", finalAccuracy: v2.test_metrics.accuracy, finalAuc: v2.test_metrics.roc_auc, finalValLoss: v2.test_metrics.log_loss, model: "breast-cancer-rf-v2", daysAgo: 20, minutes: 9,
      note: "**Challenger.** Small and fast (30 trees, depth 4): best AUC of the sweep for a fifth of the champion's size. Exported to ONNX as `breast-cancer-rf-v2`." },
    { params: randomForest(50, 4, 2, "entropy", 7), plannedSteps: 2400, loggedSteps: 2400, status: "FINISHED", finalAccuracy: outOf143(133), finalAuc: 0.9893, finalValLoss: 0.132, daysAgo: 18, minutes: 11 },
    { params: randomForest(50, 6, 4, "entropy", 42), plannedSteps: 2500, loggedSteps: 2500, status: "FINISHED", finalAccuracy: outOf143(133), finalAuc: 0.9912, finalValLoss: 0.127, daysAgo: 16, minutes: 12 },
    { params: randomForest(150, 10, 1, "entropy", 99), plannedSteps: 2800, loggedSteps: 910, status: "FAILED", finalAccuracy: outOf143(133), finalAuc: 0.9905, finalValLoss: 0.129, daysAgo: 14.5, minutes: 7,
      note: "**Failed.** The loss diverged to NaN around step 900 after a bad learning-rate warm-up; see the `train_loss` spike. Re-run with `seed=13`." },
    { params: randomForest(80, 8, 4, "entropy", 7), plannedSteps: 2600, loggedSteps: 2600, status: "FINISHED", finalAccuracy: outOf143(134), finalAuc: 0.9921, finalValLoss: 0.118, daysAgo: 12, minutes: 17 },
    { params: randomForest(100, 8, 1, "gini", 42), plannedSteps: 2600, loggedSteps: 2600, status: "FINISHED", finalAccuracy: v1.test_metrics.accuracy, finalAuc: v1.test_metrics.roc_auc, finalValLoss: v1.test_metrics.log_loss, model: "breast-cancer-rf-v1", daysAgo: 10, minutes: 21,
      note: "**Champion.** Best validation accuracy of the sweep (100 trees, depth 8). Exported to ONNX as `breast-cancer-rf-v1`; next step: acceptance review against `breast_cancer.test`." },
    { params: randomForest(100, 6, 2, "gini", 123), plannedSteps: 2600, loggedSteps: 2600, status: "FINISHED", finalAccuracy: outOf143(134), finalAuc: 0.9938, finalValLoss: 0.116, daysAgo: 8, minutes: 19 },
    { params: randomForest(200, 16, 1, "entropy", 42), plannedSteps: 2800, loggedSteps: 2800, status: "FINISHED", finalAccuracy: outOf143(134), finalAuc: 0.9935, finalValLoss: 0.121, daysAgo: 6, minutes: 34,
      note: "Deep trees over-fit: `val_loss` turns back up after the middle of training while `train_loss` keeps falling." },
    { params: randomForest(300, 12, 2, "gini", 13), plannedSteps: 3000, loggedSteps: 1530, status: "KILLED", finalAccuracy: outOf143(134), finalAuc: 0.9931, finalValLoss: 0.12, daysAgo: 4, minutes: 26,
      note: "**Killed** by hand at step 1530: too slow for what it gained over the 100-tree runs." },
    { params: randomForest(400, null, 1, "gini", 42), plannedSteps: 3000, loggedSteps: 3000, status: "FINISHED", finalAccuracy: outOf143(134), finalAuc: 0.9931, finalValLoss: 0.124, daysAgo: 1.5, minutes: 52 },
  ];
  return sweep.map((run) => ({
    ...run,
    runName: rfName(run.params),
    note:
      run.note ??
      `Sweep point: ${run.params.n_estimators} trees, max depth ${run.params.max_depth}, min ${run.params.min_samples_leaf} samples per leaf, \`${run.params.criterion}\` split criterion.`,
  }));
}

function irisRuns(model: z.infer<typeof zModelSidecar>): PlannedRun[] {
  const logreg = (c: string) => ({ C: c, penalty: "l2", solver: "lbfgs", max_iter: "500", seed: "42" });
  return [
    { runName: "logreg-C0.1", params: logreg("0.1"), plannedSteps: 120, loggedSteps: 120, status: "FINISHED", finalAccuracy: 34 / 38, finalAuc: 0.9856, finalValLoss: 0.412, daysAgo: 9, minutes: 1,
      note: "Strong regularisation under-fits: versicolor and virginica overlap." },
    { runName: "logreg-C1", params: logreg("1.0"), plannedSteps: 200, loggedSteps: 200, status: "FINISHED", finalAccuracy: model.test_metrics.accuracy, finalAuc: model.test_metrics.roc_auc, finalValLoss: model.test_metrics.log_loss, model: "iris-logreg", daysAgo: 9, minutes: 1,
      note: "**Chosen.** Exported to ONNX as `iris-logreg`." },
    { runName: "logreg-C10", params: logreg("10.0"), plannedSteps: 320, loggedSteps: 320, status: "FINISHED", finalAccuracy: 35 / 38, finalAuc: 0.9964, finalValLoss: 0.19, daysAgo: 8.8, minutes: 2,
      note: "Weak regularisation: more iterations for no gain." },
  ];
}

export interface DemoPlan {
  experiments: ExperimentPlan[];
}

/** What the seed will write, read from the fixtures' model sidecars (exported so tests can check the result). */
export async function loadDemoPlan(fixturesDir: string): Promise<DemoPlan> {
  const sidecar = async (name: FixtureModel) =>
    zModelSidecar.parse(JSON.parse((await readFixture(fixturesDir, "models", `${name}.model.json`)).toString("utf8")));
  const [v1, v2, iris] = await Promise.all([sidecar("breast-cancer-rf-v1"), sidecar("breast-cancer-rf-v2"), sidecar("iris-logreg")]);
  return {
    experiments: [
      {
        name: BREAST_CANCER_EXPERIMENT,
        description:
          "Random-forest sweep on the **Wisconsin diagnostic breast cancer** data (30 features, label `malignant`).\n\n" +
          "Validation metrics are measured on the held-out split `breast_cancer.test` (143 rows). " +
          "The best two runs carry their ONNX model under `model/`.",
        team: "oncology-ml",
        sourceName: "train_breast_cancer_rf.py",
        trainFile: "breast_cancer.train.csv",
        testFile: "breast_cancer.test.csv",
        valRows: 143,
        startAccuracy: outOf143(90),
        startAuc: 0.82,
        classes: 2,
        runs: breastCancerRuns(v1, v2),
      },
      {
        name: IRIS_EXPERIMENT,
        description: "Logistic regression on Fisher's **iris** (3 classes): a small regularisation sweep.",
        team: "onboarding",
        sourceName: "train_iris.py",
        trainFile: "iris.train.csv",
        testFile: "iris.test.csv",
        valRows: 38,
        startAccuracy: 13 / 38,
        startAuc: 0.5,
        classes: 3,
        runs: irisRuns(iris),
      },
    ],
  };
}

/** MLflow's dataset description of a CSV: its SHA-256, a column schema (mlflow_colspec) and a row count. */
async function describeCsv(
  fixturesDir: string,
  fileName: string,
  context: "training" | "evaluation",
  registryDigests: Map<string, string>,
): Promise<DatasetInput> {
  const bytes = await readFixture(fixturesDir, "datasets", fileName);
  const lines = bytes.toString("utf8").trim().split(/\r?\n/);
  const header = lines[0].split(",");
  const rows = lines.slice(1).map((line) => line.split(","));
  const colspec = header.map((name, i) => ({
    type: rows.every((r) => /^-?\d+$/.test(r[i] ?? "")) ? "long" : "double",
    name,
    required: true,
  }));
  return {
    tags: [{ key: "mlflow.data.context", value: context }],
    dataset: {
      name: path.basename(fileName, ".csv"),
      // The registry's digest when the file is a registered version, so the dataset page lists these runs.
      digest: registryDigests.get(fileName) ?? createHash("sha256").update(bytes).digest("hex"),
      source_type: "local",
      source: JSON.stringify({ uri: `fixtures/datasets/${fileName}` }),
      schema: JSON.stringify({ mlflow_colspec: colspec }),
      profile: JSON.stringify({ num_rows: rows.length, num_elements: rows.length * header.length }),
    },
  };
}

function hexFrom(random: () => number, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}

async function seedRun(ctx: ServiceContext, experimentId: string, plan: ExperimentPlan, run: PlannedRun, index: number, inputs: DatasetInput[], fixturesDir: string, now: number) {
  const random = seededRandom(1000 + index * 7919 + plan.runs.length);
  const startTime = Math.round(now - run.daysAgo * DAY_MS);
  const stepMs = (run.minutes * MINUTE_MS) / run.plannedSteps;
  const depth = run.params.max_depth === undefined ? 8 : run.params.max_depth === "None" ? Infinity : Number(run.params.max_depth);
  const spec: CurveSpec = {
    plannedSteps: run.plannedSteps,
    loggedSteps: run.loggedSteps,
    finalAccuracy: run.finalAccuracy,
    finalAuc: run.finalAuc,
    finalValLoss: run.finalValLoss,
    // Deeper trees fit the training split more tightly and over-fit more (iris runs have no depth: a linear model).
    finalTrainLoss: depth === Infinity ? 0.01 : 0.015 + 0.25 / depth,
    overfit: depth >= 12 ? 0.035 : 0.005,
    valRows: plan.valRows,
    startAccuracy: plan.startAccuracy,
    startAuc: plan.startAuc,
    startLoss: Math.log(plan.classes),
    divergesAtEnd: run.status === "FAILED",
    seed: 7 + index * 104729 + plan.valRows,
  };
  const tags: KeyValue[] = [
    { key: "mlflow.source.name", value: plan.sourceName },
    { key: "mlflow.source.type", value: "LOCAL" },
    { key: "mlflow.source.git.commit", value: hexFrom(random, 40) },
    { key: "team", value: plan.team },
    { key: "mlflow.note.content", value: run.note },
  ];
  const created = await createRun(ctx, { experiment_id: experimentId, run_name: run.runName, start_time: startTime, tags });
  const runId = created.info.run_id;
  await logBatch(ctx, { run_id: runId, params: Object.entries(run.params).map(([key, value]) => ({ key, value })) });
  await logInputs(ctx, runId, inputs);

  const curves = synthesiseCurves(spec);
  const points: MetricInput[] = [];
  for (let step = 0; step < run.loggedSteps; step++) {
    const timestamp = Math.round(startTime + (step + 1) * stepMs);
    for (const key of ["train_loss", "val_loss", "val_accuracy", "val_auc"] as const) {
      points.push({ key, value: curves[key][step], timestamp, step });
    }
  }
  for (let i = 0; i < points.length; i += MAX_METRICS_PER_BATCH) {
    await logBatch(ctx, { run_id: runId, metrics: points.slice(i, i + MAX_METRICS_PER_BATCH) });
  }

  if (run.model) await uploadModel(ctx, created.info, run.model, fixturesDir);
  const endTime = Math.round(startTime + run.loggedSteps * stepMs + 20_000);
  await updateRun(ctx, { run_id: runId, status: run.status, end_time: endTime });
  return { runId, points: points.length, model: run.model };
}

async function uploadModel(ctx: ServiceContext, info: RunInfo, model: FixtureModel, fixturesDir: string): Promise<void> {
  const root = artifactRootOf(info);
  if (root === null) return; // the experiment stores artifacts elsewhere; the demo only writes to the studio's store
  const [onnx, sidecar] = await Promise.all([
    readFixture(fixturesDir, "models", `${model}.onnx`),
    readFixture(fixturesDir, "models", `${model}.model.json`),
  ]);
  await ctx.artifacts.put(`${root}/model/model.onnx`, onnx);
  await ctx.artifacts.put(`${root}/model/model.json`, sidecar);
  await ctx.artifacts.put(`${root}/model/MLmodel`, new TextEncoder().encode(mlmodelOf(zSidecarSignature.parse(JSON.parse(sidecar.toString("utf8"))))));
}

/** What mlflow.onnx.log_model writes beside the model when given a signature inferred from the training DataFrame. */
const zSidecarSignature = z.object({
  feature_columns: z.array(z.string()),
  inputs: z.array(z.object({ name: z.string(), dtype: z.string() })),
  outputs: z.array(z.object({ dtype: z.string(), shape: z.array(z.number().nullable()) })),
});

function mlmodelOf(sidecar: z.infer<typeof zSidecarSignature>): string {
  const stringInputs = new Set(sidecar.inputs.filter((input) => input.dtype === "string").map((input) => input.name));
  const inputs = sidecar.feature_columns.map((name) => ({ type: stringInputs.has(name) ? "string" : "double", name, required: true }));
  const outputs = sidecar.outputs.map((output) => ({
    type: "tensor",
    "tensor-spec": { dtype: output.dtype === "float" ? "float32" : output.dtype, shape: output.shape.map((d) => d ?? -1) },
  }));
  const { inputs: inputText, outputs: outputText } = signatureToMlmodelStrings({ inputs, outputs } as ModelSignature);
  return `artifact_path: model\nflavors:\n  onnx:\n    data: model.onnx\n    onnx_version: 1.12.0\nsignature:\n  inputs: '${inputText}'\n  outputs: '${outputText}'\n`;
}

export interface SeedOptions {
  /** Defaults to process.env; STUDIO_SEED=none switches the seed off. */
  env?: Record<string, string | undefined>;
  /** Defaults to `<cwd>/fixtures`, the copy committed in the repository. */
  fixturesDir?: string;
  /** The seed's "today": runs are spread over the weeks before it. */
  now?: number;
  /** Where the demo datasets' files go; defaults to the studio's dataset store. */
  datasetRoot?: string;
}

export type SeedResult =
  | { status: "seeded"; experiments: number; runs: number; metricPoints: number; datasets: number; modelVersions: number; reviews: number; ms: number }
  | { status: "skipped"; reason: string };

/** True when nothing but the empty Default experiment exists (deleted experiments count as something). */
async function databaseIsEmpty(ctx: ServiceContext): Promise<boolean> {
  const { experiments } = await searchExperiments(ctx, { view_type: "ALL", max_results: 2 });
  if (experiments.some((e) => e.experiment_id !== "0")) return false;
  const { runs } = await searchRuns(ctx, { experiment_ids: ["0"], run_view_type: "ALL", max_results: 1 });
  return runs.length === 0;
}

/** Writes the demo experiments; assumes an empty database (see seedDemoOnFirstStart). */
export async function seedDemo(ctx: ServiceContext, options: Omit<SeedOptions, "env"> = {}): Promise<Extract<SeedResult, { status: "seeded" }>> {
  const started = Date.now();
  const fixturesDir = options.fixturesDir ?? path.join(/* turbopackIgnore: true */ process.cwd(), "fixtures");
  const now = options.now ?? Date.now();
  const plan = await loadDemoPlan(fixturesDir);
  const datasetRoot = options.datasetRoot ?? getDatasetRoot();
  const registryDigests = await seedDemoDatasets(ctx, fixturesDir, datasetRoot);
  let runCount = 0;
  let metricPoints = 0;
  const modelRuns: { model: string; runId: string }[] = [];
  for (const experiment of plan.experiments) {
    const { experiment_id } = await createExperiment(ctx, {
      name: experiment.name,
      tags: [
        { key: "mlflow.note.content", value: experiment.description },
        { key: "team", value: experiment.team },
        { key: "studio.demo", value: "true" },
      ],
    });
    const inputs = await Promise.all([
      describeCsv(fixturesDir, experiment.trainFile, "training", registryDigests),
      describeCsv(fixturesDir, experiment.testFile, "evaluation", registryDigests),
    ]);
    for (const [index, run] of experiment.runs.entries()) {
      const written = await seedRun(ctx, experiment_id, experiment, run, index, inputs, fixturesDir, now);
      runCount += 1;
      metricPoints += written.points;
      if (written.model && experiment.name === BREAST_CANCER_EXPERIMENT) modelRuns.push({ model: written.model, runId: written.runId });
    }
  }
  const modelVersions = await seedDemoModels(ctx, fixturesDir, modelRuns);
  const reviews = await seedDemoReviews(ctx, datasetRoot, registryDigests).catch((error: unknown) => {
    // The reviews need onnxruntime on this machine; without them the rest of the demo (and its users) is still worth having.
    console.warn(`[studio] the demo reviews were not seeded: ${error instanceof Error ? error.message : String(error)}`);
    return {};
  });
  if ("approved" in reviews) {
    // Needs the production alias the reviews set.
    await seedDemoTraffic(ctx, fixturesDir, datasetRoot, now).catch((error: unknown) => {
      console.warn(`[studio] the demo production traffic was not seeded: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
  return {
    status: "seeded",
    experiments: plan.experiments.length,
    runs: runCount,
    metricPoints,
    datasets: new Set(registryDigests.values()).size,
    modelVersions,
    reviews: Object.keys(reviews).length,
    ms: Date.now() - started,
  };
}

/**
 * On a studio's first start (no experiment but an empty Default) and unless STUDIO_SEED=none,
 * writes the demo experiments so a newcomer sees real runs. Never stops the studio from starting:
 * a failure is logged and reported, not thrown.
 */
export async function seedDemoOnFirstStart(db: Database, artifacts: ArtifactStore, options: SeedOptions = {}): Promise<SeedResult> {
  const env = options.env ?? process.env;
  if ((env.STUDIO_SEED ?? "").trim().toLowerCase() === "none") return { status: "skipped", reason: "STUDIO_SEED=none" };
  const ctx: ServiceContext = { db, artifacts, actor: systemActor };
  try {
    if (!(await databaseIsEmpty(ctx))) return { status: "skipped", reason: "the database already holds experiments or runs" };
    const result = await seedDemo(ctx, options);
    console.log(
      `[studio] seeded the demo: ${result.datasets} dataset versions, ${result.modelVersions} model versions, ${result.reviews} reviews, ${result.experiments} experiments, ${result.runs} runs, ${result.metricPoints} metric points in ${(result.ms / 1000).toFixed(1)} s (STUDIO_SEED=none skips this).`,
    );
    return result;
  } catch (error) {
    // Another instance seeding at the same moment makes our createExperiment fail on the unique name.
    const reason = error instanceof Error ? error.message : String(error);
    console.warn(`[studio] the demo seed did not complete: ${reason}`);
    return { status: "skipped", reason };
  }
}
