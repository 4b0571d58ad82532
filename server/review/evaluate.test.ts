// The evaluator on the fixture models and their test splits: scikit-learn's metrics from the sidecars, the planted
// credit bias, determinism with a seed, and clear refusals (ZipMap, a missing label column, unknown labels).
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accuracy, logLoss, predictedLabels, rocAuc } from "@/lib/classification-metrics";
import { fairnessReport } from "@/lib/fairness";
import { quoteLiteral, withDuckDB } from "@/server/datasets/duckdb";
import { DomainError } from "@/server/errors";
import { expectSaidInFrench, refusalOf, saidIn } from "@/server/testing/said-error";
import { introspectOnnx } from "@/server/registry/onnx-introspection";
import { quirkyCreditModel, quirkyRenames, referenceProbabilities, writeQuirkyCreditCsv } from "@/server/testing/quirky-categories";
import { evaluateModel, type EvaluateModelInput } from "./evaluate";
import { zEvaluationReport, type EvaluationReport } from "./schema";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures");
const datasetPath = (name: string) => path.join(fixtures, "datasets", `${name}.csv`);
const sidecar = (model: string) =>
  JSON.parse(readFileSync(path.join(fixtures, "models", `${model}.model.json`), "utf8")) as {
    label_column: string;
    test_metrics: Record<string, number>;
    feature_columns: string[];
  };

function inputFor(model: string, dataset: string, overrides: Partial<EvaluateModelInput> = {}): EvaluateModelInput {
  const onnx = new Uint8Array(readFileSync(path.join(fixtures, "models", `${model}.onnx`)));
  return {
    onnx,
    modelDigest: `sha256-of-${model}`,
    introspection: introspectOnnx(onnx),
    datasetPath: datasetPath(dataset),
    datasetFormat: "csv",
    datasetDigest: `sha256-of-${dataset}`,
    labelColumn: sidecar(model).label_column,
    sensitiveAttributes: [],
    // What review jobs pass from the model's lineage: the training split's columns (features, then the label).
    trainingColumns: { columns: [...sidecar(model).feature_columns, sidecar(model).label_column], labelColumn: sidecar(model).label_column },
    ...overrides,
  };
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "studio-evaluate-test-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/**
 * A fixture model on its own test split with nothing overridden, evaluated once per file and shared by the cases
 * that read it or compare another evaluation with it (one digits-mlp evaluation takes ~15-30 s on a shared machine).
 * The progress it reported comes with it. Same seed (the default), same inputs: the determinism case shows that
 * evaluating again gives the same report.
 */
const plainEvaluations = new Map<string, Promise<{ report: EvaluationReport; progress: [number, string][] }>>();
function plainEvaluation(model: string, dataset: string): Promise<{ report: EvaluationReport; progress: [number, string][] }> {
  const key = `${model} on ${dataset}`;
  let evaluation = plainEvaluations.get(key);
  if (!evaluation) {
    const progress: [number, string][] = [];
    evaluation = evaluateModel(inputFor(model, dataset, { onProgress: (fraction, stage) => progress.push([fraction, stage]) })).then((report) => ({ report, progress }));
    plainEvaluations.set(key, evaluation);
  }
  return evaluation;
}
const plainReport = async (model: string, dataset: string) => (await plainEvaluation(model, dataset)).report;

/** A copy of a fixture CSV with `edit` applied to its records, for the refusal and missing-label cases. */
async function editedCsv(dataset: string, edit: (rows: Record<string, string>[]) => Record<string, string>[]): Promise<string> {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(datasetPath(dataset), "utf8"), { header: true, skipEmptyLines: true });
  const file = path.join(scratch, `${dataset}-${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(file, Papa.unparse(edit(parsed.data)));
  return file;
}

describe("evaluateModel on the fixtures: scikit-learn's metrics", () => {
  let report: EvaluationReport;
  let progress: [number, string][];
  beforeAll(async () => {
    ({ report, progress } = await plainEvaluation("breast-cancer-rf-v1", "breast_cancer.test"));
  });

  it("breast-cancer-rf-v1 (binary): accuracy, macro F1, ROC AUC and log loss equal the sidecar's test_metrics", () => {
    const expected = sidecar("breast-cancer-rf-v1").test_metrics;
    expect(report.task).toBe("binary");
    expect(report.rowCount).toBe(143);
    expect(report.features).toEqual(sidecar("breast-cancer-rf-v1").feature_columns);
    const classification = report.classification!;
    expect(classification.classes).toEqual(["0", "1"]);
    // Accuracy, F1 and AUC only depend on the order of the probabilities, so float32 leaves them exact.
    expect(Math.abs(classification.accuracy - expected.accuracy)).toBeLessThan(1e-6);
    expect(Math.abs(classification.macro.f1 - expected.f1_macro)).toBeLessThan(1e-6);
    expect(Math.abs(classification.rocAuc! - expected.roc_auc)).toBeLessThan(1e-6);
    // Log loss uses the probabilities' values: ORT returns float32 (about 7 significant digits) where scikit-learn
    // computed in float64, which moves the mean of −log p by ~1e-7 here; 1e-6 still catches any real error.
    expect(Math.abs(classification.logLoss - expected.log_loss)).toBeLessThan(1e-6);
    expect(classification.confusionMatrix.flat().reduce((sum, count) => sum + count, 0)).toBe(143);
    expect(classification.rocCurve!.fpr.length).toBeLessThanOrEqual(200);
    expect(classification.rocCurve!.fpr[0]).toBe(0);
    expect(classification.rocCurve!.tpr.at(-1)).toBe(1);
    expect(classification.calibration!.counts.reduce((sum, count) => sum + count, 0)).toBe(143);
    expect(report.primaryMetric).toEqual({ name: "accuracy", value: classification.accuracy });
    expect(zEvaluationReport.parse(report)).toEqual(report);
  });

  it("breast-cancer-rf-v1: robustness, importance, edge cases, timings, provenance and progress", () => {
    expect(report.robustness.map((result) => result.perturbation)).toEqual(["noise_0.1", "noise_0.3", "missing_10pct"]);
    for (const result of report.robustness) {
      expect(result.error).toBeNull();
      expect(result.drop).toBeCloseTo(report.primaryMetric.value - result.value, 12);
    }
    expect(report.importance.features.map((feature) => feature.feature)).toEqual(report.features);
    expect(report.importance.features.every((feature) => feature.importances.length === 5)).toBe(true);
    expect(report.importance.baseline).toBe(report.primaryMetric.value);
    // 30 numeric features × (min, max, two far-out values, zero, missing); trees route NaN, so none fails.
    expect(report.edgeCases).toHaveLength(180);
    expect(report.edgeCases.every((edgeCase) => edgeCase.ok && /^class [01] \(p = \d\.\d\d\)$/.test(edgeCase.output!))).toBe(true);
    expect(Object.keys(report.timings).sort()).toEqual(["edge_cases", "explanations", "fairness", "importance", "load", "metrics", "predict", "robustness", "total", "value"]);
    expect(report.provenance).toMatchObject({ modelDigest: "sha256-of-breast-cancer-rf-v1", datasetDigest: "sha256-of-breast_cancer.test", seed: 42, nodeVersion: process.version });
    expect(report.provenance.onnxruntimeVersion).toBe(JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../node_modules/onnxruntime-node/package.json"), "utf8")).version);
    expect(report.provenance.evaluatorVersion).toMatch(/^evaluator 3 \(modelops-studio \d+\.\d+\.\d+\)$/);
    const fractions = progress.map(([fraction]) => fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual([1, "done"]);
    // Throttled to steps of ≥ 1% within a stage: the 150 importance shuffles do not mean 150 job updates.
    expect(progress.length).toBeLessThanOrEqual(110);
    expect(new Set(progress.map(([, stage]) => stage))).toEqual(new Set(["load", "predict", "metrics", "fairness", "robustness", "importance", "edge_cases", "explanations", "done"]));
  });

  it("iris-logreg (multiclass): metrics equal the sidecar's; missing values make the model output NaN, recorded as an error", async () => {
    const iris = await evaluateModel(inputFor("iris-logreg", "iris.test"));
    const expected = sidecar("iris-logreg").test_metrics;
    expect(iris.task).toBe("multiclass");
    expect(iris.classification!.classes).toEqual(["0", "1", "2"]);
    expect(Math.abs(iris.classification!.accuracy - expected.accuracy)).toBeLessThan(1e-6);
    expect(Math.abs(iris.classification!.macro.f1 - expected.f1_macro)).toBeLessThan(1e-6);
    expect(Math.abs(iris.classification!.rocAuc! - expected.roc_auc)).toBeLessThan(1e-6);
    expect(Math.abs(iris.classification!.logLoss - expected.log_loss)).toBeLessThan(1e-6);
    expect(iris.classification!.rocCurve).toBeNull();
    expect(iris.fairness).toEqual([]);
    const missing = iris.robustness.find((result) => result.perturbation === "missing_10pct")!;
    expect(missing.error).toMatch(/non-finite outputs \(NaN\)/);
    expect(iris.robustness.find((result) => result.perturbation === "noise_0.1")!.error).toBeNull();
    const missingEdge = iris.edgeCases.filter((edgeCase) => edgeCase.case === "missing");
    expect(missingEdge).toHaveLength(4);
    expect(missingEdge.every((edgeCase) => !edgeCase.ok && edgeCase.error !== null)).toBe(true);
  });

  it("diabetes-ridge (regression): RMSE, MAE and R² equal the sidecar's; residuals are truth − prediction", async () => {
    const diabetes = await evaluateModel(inputFor("diabetes-ridge", "diabetes.test"));
    const expected = sidecar("diabetes-ridge").test_metrics;
    expect(diabetes.task).toBe("regression");
    expect(diabetes.classification).toBeNull();
    const regression = diabetes.regression!;
    // float32 predictions (≈ 6e-8 relative each): the errors agree with scikit-learn's float64 ones to ~4e-8 relative.
    expect(Math.abs(regression.rmse / expected.rmse - 1)).toBeLessThan(1e-7);
    expect(Math.abs(regression.mae / expected.mae - 1)).toBeLessThan(1e-7);
    expect(Math.abs(regression.r2 - expected.r2)).toBeLessThan(1e-6);
    expect(diabetes.primaryMetric).toEqual({ name: "r2", value: regression.r2 });
    expect(regression.residuals.predicted).toHaveLength(111);
    const truths = Papa.parse<Record<string, string>>(readFileSync(datasetPath("diabetes.test"), "utf8"), { header: true, skipEmptyLines: true }).data.map(
      (row) => Number(row.progression),
    );
    regression.residuals.predicted.forEach((predicted, index) => expect(regression.residuals.residual[index]).toBeCloseTo(truths[index] - predicted, 9));
  });
});

describe("evaluateModel: fairness on the credit fixture", () => {
  it("shows the planted bias: group F is selected less than group M, as lib/fairness computes on scikit-learn's predictions", async () => {
    const report = await evaluateModel(inputFor("credit-logreg", "credit.test", { sensitiveAttributes: ["sex"] }));
    expect(report.task).toBe("binary");
    expect(Math.abs(report.classification!.accuracy - sidecar("credit-logreg").test_metrics.accuracy)).toBeLessThan(1e-6);
    const [sex] = report.fairness;
    expect(sex.attribute).toBe("sex");
    const rate = (group: string) => sex.groups.find((rates) => rates.group === group)!.selectionRate;
    expect(rate("F")).toBeLessThan(rate("M"));
    // The same rates from scikit-learn's own predicted labels (the fixture's expected outputs) through lib/fairness.
    const rows = Papa.parse<Record<string, string>>(readFileSync(datasetPath("credit.test"), "utf8"), { header: true, skipEmptyLines: true }).data;
    const expected = JSON.parse(readFileSync(path.join(fixtures, "models", "credit-logreg.expected.json"), "utf8")) as { label: number[] };
    const reference = fairnessReport(
      rows.map((row) => Number(row.approved)),
      expected.label,
      rows.map((row) => row.sex),
    );
    expect(sex.groups).toEqual(reference.groups);
    expect(sex.demographicParityDifference).toBeCloseTo(reference.demographicParityDifference, 12);
    expect(sex.equalOpportunityDifference).toBeCloseTo(reference.equalOpportunityDifference, 12);
    // Text features get the missing and unseen-category edge cases; the one-hot encoder ignores unknown categories.
    expect(report.edgeCases.find((edgeCase) => edgeCase.feature === "sex" && edgeCase.case === "wrong_category")).toMatchObject({ input: "__unseen__", ok: true });
  });
});

describe("evaluateModel: determinism and file formats", () => {
  const strip = (report: EvaluationReport) => ({ ...report, timings: {}, provenance: { ...report.provenance, createdAt: 0 } });

  it("gives the same report for the same seed (except createdAt and timings), other noise and shuffles for another seed", async () => {
    const first = await evaluateModel(inputFor("credit-logreg", "credit.test", { sensitiveAttributes: ["sex"], seed: 7 }));
    const again = await evaluateModel(inputFor("credit-logreg", "credit.test", { sensitiveAttributes: ["sex"], seed: 7 }));
    expect(strip(again)).toEqual(strip(first));
    const other = await evaluateModel(inputFor("credit-logreg", "credit.test", { sensitiveAttributes: ["sex"], seed: 8 }));
    expect(other.classification).toEqual(first.classification);
    expect(other.importance.features.map((feature) => feature.importances)).not.toEqual(first.importance.features.map((feature) => feature.importances));
  });

  it("reads a Parquet version of the dataset to the same numbers", async () => {
    const parquet = path.join(scratch, "breast_cancer.parquet");
    await withDuckDB(async (connection) => {
      await connection.run(`COPY (SELECT * FROM read_csv(${quoteLiteral(datasetPath("breast_cancer.test"))}, header = true)) TO ${quoteLiteral(parquet)} (FORMAT parquet)`);
    });
    const fromCsv = await plainReport("breast-cancer-rf-v1", "breast_cancer.test");
    const fromParquet = await evaluateModel(inputFor("breast-cancer-rf-v1", "breast_cancer.test", { datasetPath: parquet, datasetFormat: "parquet" }));
    expect(fromParquet.classification).toEqual(fromCsv.classification);
  });

  it("leaves out rows whose label is missing and says so", async () => {
    const file = await editedCsv("iris.test", (rows) => rows.map((row, index) => (index < 3 ? { ...row, species: "" } : row)));
    const report = await evaluateModel(inputFor("iris-logreg", "iris.test", { datasetPath: file }));
    expect(report.rowCount).toBe(35);
    expect(report.notes).toContain("Rows with a missing label were left out: 3 of 38.");
  });
});

describe("evaluateModel: which column feeds which input", () => {
  it("takes a matrix model's columns from its MLmodel signature, so extra dataset columns do not matter", async () => {
    const features = sidecar("breast-cancer-rf-v1").feature_columns;
    // An id column first and the features in reverse order: only the signature's names put them back in place.
    const file = await editedCsv("breast_cancer.test", (rows) =>
      rows.map((row, index) => ({ id: String(index), malignant: row.malignant, ...Object.fromEntries([...features].reverse().map((name) => [name, row[name]])) })),
    );
    const input = inputFor("breast-cancer-rf-v1", "breast_cancer.test", { datasetPath: file, trainingColumns: null });
    await expect(evaluateModel(input)).rejects.toThrow(/matrix input 'input' of 30 columns and nothing names them.*confirm which dataset columns feed the model/);
    const signature = { inputs: features.map((name) => ({ name, type: "double" })), outputs: [] };
    const report = await evaluateModel({ ...input, introspection: { ...input.introspection, mlmodelSignature: signature } });
    expect(report.features).toEqual(features);
    expect(Math.abs(report.classification!.accuracy - sidecar("breast-cancer-rf-v1").test_metrics.accuracy)).toBeLessThan(1e-6);
    expect(report.notes).toContain("Columns were matched to the model's inputs by name, from the model's MLmodel signature.");
    expect(report.notes).toContain("Columns the model does not take were ignored: 'id'.");
  });

  const strip = (report: EvaluationReport) => ({ ...report, notes: [], timings: {}, provenance: { ...report.provenance, createdAt: 0, datasetDigest: "" } });

  for (const [model, dataset] of [["digits-mlp", "digits.test"], ["breast-cancer-rf-v1", "breast_cancer.test"]] as const) {
    it(`${model}: a CSV with its columns in another order (and an extra one) gives the same report as the ordered one, importance under the right names`, async () => {
      const features = sidecar(model).feature_columns;
      const label = sidecar(model).label_column;
      // Rotated by a third, with a row id in the middle: position would feed every pixel/feature to the wrong weight.
      const shift = Math.floor(features.length / 3);
      const rotated = [...features.slice(shift), ...features.slice(0, shift)];
      const file = await editedCsv(dataset, (rows) =>
        rows.map((row, index) => ({ ...Object.fromEntries(rotated.slice(0, 5).map((name) => [name, row[name]])), row_id: String(index), ...Object.fromEntries(rotated.slice(5).map((name) => [name, row[name]])), [label]: row[label] })),
      );
      const ordered = await plainReport(model, dataset);
      const reordered = await evaluateModel(inputFor(model, dataset, { datasetPath: file }));
      expect(strip(reordered)).toEqual(strip(ordered));
      expect(Math.abs(reordered.classification!.accuracy - sidecar(model).test_metrics.accuracy)).toBeLessThan(1e-6);
      expect(reordered.importance.features.map((feature) => feature.feature)).toEqual(features);
      expect(reordered.notes).toContain("Columns were matched to the model's inputs by name, from the columns of the training dataset version in the model's lineage.");
      expect(reordered.notes).toContain("Columns the model does not take were ignored: 'row_id'.");
    });
  }

  it("refuses a dataset lacking a column the model takes by name, naming it", async () => {
    const file = await editedCsv("digits.test", (rows) => rows.map((row) => Object.fromEntries(Object.entries(row).filter(([name]) => name !== "px10"))));
    await expect(evaluateModel(inputFor("digits-mlp", "digits.test", { datasetPath: file }))).rejects.toThrow(
      /The dataset lacks the column the model takes by name \(from the columns of the training dataset version in the model's lineage\): 'px10'\./,
    );
  });

  it("with no name known, only a column order the requester confirmed feeds a matrix model; a wrong one is refused", async () => {
    const nameless = { trainingColumns: null };
    await expect(evaluateModel(inputFor("digits-mlp", "digits.test", nameless))).rejects.toThrow(/nothing names them/);
    const features = sidecar("digits-mlp").feature_columns;
    const confirmed = await evaluateModel(inputFor("digits-mlp", "digits.test", { ...nameless, columnOrder: features }));
    expect(strip(confirmed)).toEqual(strip(await plainReport("digits-mlp", "digits.test")));
    expect(confirmed.notes).toContain("Columns were matched to the model's inputs by name, from the column order confirmed by the requester.");
    await expect(evaluateModel(inputFor("digits-mlp", "digits.test", { ...nameless, columnOrder: features.slice(1) }))).rejects.toThrow(
      /The confirmed column order cannot feed the model's input 'input': The model takes 64 columns; the confirmed order lists 63\./,
    );
    await expect(evaluateModel(inputFor("digits-mlp", "digits.test", { ...nameless, columnOrder: [...features.slice(1), "digit"] }))).rejects.toThrow(
      /The label column 'digit' is one of the model's inputs/,
    );
  });
});

describe("evaluateModel: values reach the model as written in the file (type fidelity)", () => {
  let original: EvaluationReport;
  beforeAll(async () => {
    original = await evaluateModel(inputFor("credit-logreg", "credit.test", { sensitiveAttributes: ["sex"] }));
  });

  for (const [variant, renames] of quirkyRenames.entries()) {
    const spelled = Object.values(renames).flatMap((map) => Object.values(map)).join(", ");
    it(`categories spelled ${spelled}: every figure equals onnxruntime-node fed the file's raw strings`, async () => {
      const onnx = quirkyCreditModel(renames);
      const file = path.join(scratch, `quirky-credit-${variant}.csv`);
      const rows = await writeQuirkyCreditCsv(renames, file);
      const report = await evaluateModel({ ...inputFor("credit-logreg", "credit.test", { sensitiveAttributes: ["sex"], datasetPath: file }), onnx, introspection: introspectOnnx(onnx) });

      const probabilities = await referenceProbabilities(onnx, rows);
      const labels = rows.map((row) => Number(row.approved));
      const classification = report.classification!;
      expect(Math.abs(classification.accuracy - accuracy(labels, probabilities))).toBeLessThan(1e-9);
      expect(Math.abs(classification.logLoss - logLoss(labels, probabilities))).toBeLessThan(1e-9);
      expect(Math.abs(classification.rocAuc! - rocAuc(labels, probabilities))).toBeLessThan(1e-9);
      const fairness = fairnessReport(labels, predictedLabels(probabilities), rows.map((row) => row.sex));
      expect(report.fairness[0].groups.map((group) => group.group).sort()).toEqual(Object.values(renames.sex).sort());
      for (const group of fairness.groups) {
        const reported = report.fairness[0].groups.find((candidate) => candidate.group === group.group)!;
        expect(Math.abs(reported.selectionRate - group.selectionRate)).toBeLessThan(1e-9);
      }
      expect(Math.abs(report.fairness[0].demographicParityDifference - fairness.demographicParityDifference)).toBeLessThan(1e-9);

      // Renaming categories changes nothing the model computes: the whole report is the original's, figure for figure,
      // robustness, importance (sex, purpose, housing matter) and edge cases included.
      expect(classification).toEqual(original.classification);
      expect(report.robustness).toEqual(original.robustness);
      expect(report.importance).toEqual(original.importance);
      expect(report.edgeCases).toEqual(original.edgeCases);
      for (const feature of ["sex", "purpose", "housing"]) expect(report.importance.features.find((f) => f.feature === feature)!.mean).not.toBe(0);
      expect(report.fairness[0].groups.map((group) => ({ ...group, group: null }))).toEqual(original.fairness[0].groups.map((group) => ({ ...group, group: null })));
    });
  }

  it("a numeric input given text that is not a number is refused with its column and row, never guessed", async () => {
    const file = await editedCsv("credit.test", (rows) => rows.map((row, index) => (index === 6 ? { ...row, income: "NA" } : row)));
    await expect(evaluateModel(inputFor("credit-logreg", "credit.test", { datasetPath: file }))).rejects.toThrow(
      /Column 'income', row 7: "NA" is not a number, but the model takes numbers for 'income'/,
    );
  });
});

describe("evaluateModel: refusals a user can act on", () => {
  it("refuses a ZipMap model, telling the user to derive a version without ZipMap", async () => {
    const attempt = evaluateModel(inputFor("iris-logreg-zipmap", "iris.test"));
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(attempt).rejects.toThrow(/output 'output_probability' is a sequence<map<int64, tensor<float32>>> \(scikit-learn's ZipMap\).*Derive a version without ZipMap \(the version page has a button\)/);
  });

  it("refuses a label column the dataset lacks, naming the columns it has", async () => {
    const attempt = evaluateModel(inputFor("iris-logreg", "iris.test", { labelColumn: "variety" }));
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(attempt).rejects.toThrow(/The label column 'variety' is not in the dataset; its columns are 'sepal_length_cm', .*'species'/);
  });

  it("refuses a label value the model does not know, naming it", async () => {
    const file = await editedCsv("iris.test", (rows) => rows.map((row, index) => (index === 5 ? { ...row, species: "virginica" } : row)));
    await expect(evaluateModel(inputFor("iris-logreg", "iris.test", { datasetPath: file }))).rejects.toThrow(
      /holds 'virginica', which is not one of the model's classes \(0, 1, 2\)/,
    );
  });

  it("refuses a dataset whose columns do not match the model's matrix input, naming the mismatch", async () => {
    await expect(evaluateModel(inputFor("iris-logreg", "breast_cancer.test", { labelColumn: "malignant" }))).rejects.toThrow(
      /The dataset lacks 4 columns the model takes by name .*'sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'/,
    );
  });

  it("refuses a sensitive attribute that is not a column", async () => {
    await expect(evaluateModel(inputFor("credit-logreg", "credit.test", { sensitiveAttributes: ["gender"] }))).rejects.toThrow(
      /sensitive attribute 'gender' is not a column/,
    );
  });
});

// Each refusal a review page shows (a failed evaluation's reason) carries a sentence: its English is the message word
// for word, its French says the same.
describe("evaluateModel: refusals said in English and French", () => {
  const refused = (overrides: Parameters<typeof inputFor>, french: string) => async () => expectSaidInFrench(await refusalOf(evaluateModel(inputFor(...overrides))), french);

  it("a ZipMap output", refused(
    ["iris-logreg-zipmap", "iris.test"],
    "La sortie « output_probability » du modèle est de type sequence<map<int64, tensor<float32>>> (le ZipMap de scikit-learn), qu’onnxruntime-node ne sait pas renvoyer. Dérivez une version sans ZipMap (un bouton de la page de la version le fait) et faites relire cette version.",
  ));

  it("a label column the dataset lacks", refused(
    ["iris-logreg", "iris.test", { labelColumn: "variety" }],
    "La colonne d’étiquette « variety » n’est pas dans le jeu de données ; ses colonnes sont 'sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm', 'species'. Nommez la colonne qui contient le vrai résultat.",
  ));

  it("a sensitive attribute the dataset lacks", refused(
    ["iris-logreg", "iris.test", { sensitiveAttributes: ["sex"] }],
    "L’attribut sensible « sex » n’est pas une colonne du jeu de données ; choisissez parmi 'sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm', 'species'.",
  ));

  it("a label column empty on every row", async () => {
    const file = await editedCsv("iris.test", (rows) => rows.map((row) => ({ ...row, species: "" })));
    expectSaidInFrench(
      await refusalOf(evaluateModel(inputFor("iris-logreg", "iris.test", { datasetPath: file }))),
      "La colonne d’étiquette « species » est vide sur toutes les lignes ; choisissez la colonne qui contient le vrai résultat.",
    );
  });

  it("a label value the model does not know", async () => {
    const file = await editedCsv("iris.test", (rows) => rows.map((row, index) => (index === 5 ? { ...row, species: "virginica" } : row)));
    expectSaidInFrench(
      await refusalOf(evaluateModel(inputFor("iris-logreg", "iris.test", { datasetPath: file }))),
      "La colonne d’étiquette « species » contient « virginica », qui n’est pas une des classes du modèle (0, 1, 2) ; vérifiez la colonne d’étiquette, ou évaluez un modèle entraîné sur ces classes.",
    );
  });

  it("a regressor's label that is not a number", async () => {
    const file = await editedCsv("diabetes.test", (rows) => rows.map((row, index) => (index === 2 ? { ...row, progression: "high" } : row)));
    expectSaidInFrench(
      await refusalOf(evaluateModel(inputFor("diabetes-ridge", "diabetes.test", { datasetPath: file }))),
      "Colonne « progression », ligne 3 : « high » n’est pas un nombre ; le modèle est un régresseur, sa colonne d’étiquette doit donc contenir des nombres.",
    );
  });

  it("a feature value that is not a number", async () => {
    const file = await editedCsv("credit.test", (rows) => rows.map((row, index) => (index === 6 ? { ...row, income: "NA" } : row)));
    expectSaidInFrench(
      await refusalOf(evaluateModel(inputFor("credit-logreg", "credit.test", { datasetPath: file }))),
      "Colonne « income », ligne 7 : « NA » n’est pas un nombre, alors que le modèle prend des nombres pour « income ». Laissez vide une valeur manquante, ou corrigez la valeur dans le fichier.",
    );
  });

  it("model inputs that are not columns of the dataset", async () => {
    const file = await editedCsv("credit.test", (rows) => rows.map((row) => Object.fromEntries(Object.entries(row).filter(([name]) => name !== "income" && name !== "housing"))));
    expectSaidInFrench(
      await refusalOf(evaluateModel(inputFor("credit-logreg", "credit.test", { datasetPath: file }))),
      "Les entrées du modèle 'income', 'housing' ne sont pas des colonnes du jeu de données (ses colonnes : 'age', 'sex', 'employment_years', 'loan_amount', 'duration_months', 'purpose', 'existing_credits', 'approved') ; évaluez sur un jeu de données avec une colonne par entrée du modèle, nommée comme l’entrée.",
    );
  });

  it("columns a matrix model takes by name, one or several", async () => {
    const file = await editedCsv("digits.test", (rows) => rows.map((row) => Object.fromEntries(Object.entries(row).filter(([name]) => name !== "px10"))));
    const one = await refusalOf(evaluateModel(inputFor("digits-mlp", "digits.test", { datasetPath: file })));
    expect(saidIn("fr", one)).toMatch(
      /^Il manque au jeu de données la colonne que le modèle prend par leur nom \(d’après les colonnes de la version du jeu d’entraînement dans la lignée du modèle\)\u00a0: 'px10'\. Ses colonnes sont 'px0', /,
    );
    expect(saidIn("en", one)).toBe(one.message);
    const several = await refusalOf(evaluateModel(inputFor("iris-logreg", "breast_cancer.test", { labelColumn: "malignant" })));
    expect(saidIn("en", several)).toBe(several.message);
    expect(saidIn("fr", several)).toMatch(/^Il manque au jeu de données 4 colonnes que le modèle prend par leur nom .*'sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'\. /);
  });

  it("a matrix input nothing names, a wrong confirmed order, a label among the inputs", async () => {
    const nameless = { trainingColumns: null };
    expectSaidInFrench(
      await refusalOf(evaluateModel(inputFor("digits-mlp", "digits.test", nameless))),
      "Le modèle prend une seule entrée matricielle « input » de 64 colonnes que rien ne nomme (pas de signature MLmodel avec des noms de colonnes, pas de version de jeu d’entraînement dans sa lignée avec autant de colonnes de variables). L’ordre des colonnes du fichier n’est pas supposé : en demandant la revue, confirmez dans l’ordre quelles colonnes du jeu de données alimentent le modèle.",
    );
    const features = sidecar("digits-mlp").feature_columns;
    expectSaidInFrench(
      await refusalOf(evaluateModel(inputFor("digits-mlp", "digits.test", { ...nameless, columnOrder: [...features.slice(2), features[2], "nope"] }))),
      "L’ordre des colonnes confirmé ne peut pas alimenter l’entrée « input » du modèle : Chaque colonne ne peut figurer qu’une fois ; répétées : 'px2'. Pas des colonnes du fichier : 'nope'. Demandez à nouveau la revue avec un ordre corrigé.",
    );
    expectSaidInFrench(
      await refusalOf(evaluateModel(inputFor("digits-mlp", "digits.test", { ...nameless, columnOrder: features.slice(1) }))),
      "L’ordre des colonnes confirmé ne peut pas alimenter l’entrée « input » du modèle : Le modèle prend 64 colonnes ; l’ordre confirmé en liste 63. Demandez à nouveau la revue avec un ordre corrigé.",
    );
    expectSaidInFrench(
      await refusalOf(evaluateModel(inputFor("digits-mlp", "digits.test", { ...nameless, columnOrder: [...features.slice(1), "digit"] }))),
      "La colonne d’étiquette « digit » est une des entrées du modèle ; nommez la colonne qui contient le vrai résultat.",
    );
  });
});
