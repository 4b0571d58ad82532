// The review's explanations on the real forest: contributions sum to each explained output, the worst errors are the
// rows with the highest log loss, counterfactuals flip the decision, and the background comes from the training split.
import { readFileSync } from "node:fs";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { introspectOnnx } from "@/server/registry/onnx-introspection";
import { evaluateModel, type EvaluateModelInput } from "./evaluate";
import { EXPLAINED_DECISIONS, EXPLAINED_WORST_ERRORS } from "./evaluate-explanations";
import type { EvaluationReport } from "./schema";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures");
const modelPath = path.join(fixtures, "models", "breast-cancer-rf-v1.onnx");
const testCsv = path.join(fixtures, "datasets", "breast_cancer.test.csv");
const trainCsv = path.join(fixtures, "datasets", "breast_cancer.train.csv");

function csvRows(file: string): { header: string[]; rows: number[][] } {
  const [header, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  return { header: header.split(","), rows: lines.map((line) => line.split(",").map(Number)) };
}

function input(overrides: Partial<EvaluateModelInput> = {}): EvaluateModelInput {
  const onnx = new Uint8Array(readFileSync(modelPath));
  const { header } = csvRows(testCsv);
  return {
    onnx,
    modelDigest: "sha256-rf",
    introspection: introspectOnnx(onnx),
    datasetPath: testCsv,
    datasetFormat: "csv",
    datasetDigest: "sha256-test",
    labelColumn: "malignant",
    sensitiveAttributes: [],
    trainingColumns: { columns: header, labelColumn: "malignant" },
    trainingDataset: { path: trainCsv, format: "csv" },
    ...overrides,
  };
}

/** Positive-class probability of every test row, scored independently of the evaluator. */
async function referenceProbabilities(): Promise<{ probabilities: number[]; labels: number[] }> {
  const { rows } = csvRows(testCsv);
  const session = await ort.InferenceSession.create(readFileSync(modelPath));
  const data = Float32Array.from(rows.flatMap((row) => row.slice(0, 30)));
  const outputs = await session.run({ input: new ort.Tensor("float32", data, [rows.length, 30]) }, ["probabilities"]);
  await session.release();
  const probabilities = outputs.probabilities.data as Float32Array;
  return { probabilities: rows.map((_, r) => probabilities[r * 2 + 1]), labels: rows.map((row) => row[30]) };
}

let report: EvaluationReport;
let reference: { probabilities: number[]; labels: number[] };
beforeAll(async () => {
  [report, reference] = await Promise.all([evaluateModel(input()), referenceProbabilities()]);
}, 120_000);

describe("explanations in the review of breast-cancer-rf-v1", () => {
  it("explains 10 decisions against training rows, each summing to its output within the stated tolerance", () => {
    const explanations = report.explanations!;
    expect(explanations).toBeTruthy();
    expect(explanations.backgroundSource).toBe("training");
    // 20,000 model rows per decision: 480 coalitions (16 per feature) × 41 background rows.
    expect(explanations.backgroundRows).toBe(41);
    expect(explanations.features).toEqual(report.features);
    expect(explanations.decisions).toHaveLength(EXPLAINED_DECISIONS);
    for (const decision of explanations.decisions) {
      const sum = decision.contributions.reduce((total, value) => total + value, 0);
      expect(Math.abs(sum - (decision.output - decision.baseValue))).toBeLessThanOrEqual(explanations.sumTolerance);
      expect(decision.explainedClass).toBe("1");
      // The explained output is the model's probability for that row of the file.
      expect(decision.output).toBeCloseTo(reference.probabilities[decision.rowNumber - 1], 6);
      expect(decision.values).toHaveLength(30);
    }
    expect(explanations.global.rows).toBe(100);
    expect(explanations.global.meanAbsContribution).toHaveLength(30);
    expect(report.timings.explanations).toBeGreaterThan(0);
  });

  it("picks the worst errors as the rows of highest log loss", () => {
    const losses = reference.probabilities.map((p, r) => -Math.log(Math.max(1e-15, reference.labels[r] === 1 ? p : 1 - p)));
    const worst = report.explanations!.decisions.filter((decision) => decision.reason === "worst_error");
    expect(worst).toHaveLength(EXPLAINED_WORST_ERRORS);
    const worstLosses = worst.map((decision) => losses[decision.rowNumber - 1]);
    const worstRows = new Set(worst.map((decision) => decision.rowNumber - 1));
    const highestOther = Math.max(...losses.filter((_, r) => !worstRows.has(r)));
    expect(Math.min(...worstLosses)).toBeGreaterThanOrEqual(highestOther - 1e-6);
    for (const decision of worst) expect(decision.loss).toBeCloseTo(losses[decision.rowNumber - 1], 5);
    // A worst error of a good model is a wrong decision.
    expect(worst[0].truth).not.toBe(worst[0].predicted);
  });

  it("gives each decision a counterfactual that lands on the other side of the threshold", () => {
    const decisions = report.explanations!.decisions;
    expect(decisions.every((decision) => decision.counterfactual !== null)).toBe(true);
    const found = decisions.filter((decision) => decision.counterfactual!.found);
    expect(found.length).toBeGreaterThan(0);
    for (const decision of found) {
      const before = decision.output >= 0.5;
      expect(decision.counterfactual!.output >= 0.5).toBe(!before);
      expect(decision.counterfactual!.changes.length).toBeGreaterThanOrEqual(1);
      expect(decision.counterfactual!.changes.length).toBeLessThanOrEqual(2);
    }
  });

  it("falls back to the evaluation rows as background when no training dataset is known", async () => {
    const without = await evaluateModel(input({ trainingDataset: null }));
    expect(without.explanations!.backgroundSource).toBe("evaluation");
  }, 120_000);
});
