// The evaluation behind an acceptance report: score a model version on a dataset version with onnxruntime-node,
// then metrics, fairness, robustness, permutation importance and edge cases (math in lib/).
import * as ort from "onnxruntime-node";
import { accuracy, calibrationCurve, confusionMatrix, logLoss, precisionRecallF1, predictedLabels, rocAuc, rocCurve } from "@/lib/classification-metrics";
import { edgeCaseRows } from "@/lib/edge-cases";
import { columnOrderFindings, columnOrderProblems, compareColumns, featureNameSourceText, matrixFeatureNames, signatureColumnNames, type FeatureNames } from "@/lib/feature-names";
import { FeatureValueError, columnForInput, numberColumn, numberFromText } from "@/lib/feature-values";
import { permutationImportance, type ColumnTable } from "@/lib/permutation-importance";
import { mae, r2, residuals, rmse } from "@/lib/regression-metrics";
import { withGaussianNoise, withMissingValues } from "@/lib/robustness";
import { seededSample } from "@/lib/seeded-random";
import packageJson from "@/package.json";
import { readDatasetText } from "../datasets/duckdb";
import { DomainError, invalidParameter, saidError } from "../errors";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";
import { decodeOnnxModel, int64ToNumber, type OnnxIntrospection, type OnnxValueInfo } from "../registry/onnx-introspection";
import { explainEvaluation } from "./evaluate-explanations";
import { compareWithProduction, reportMetricValues, type ProductionModel, type ProductionScores } from "./evaluate-comparison";
import { attributeFairness, favourableClassIndex, favourableIndicator } from "./evaluate-fairness";
import type { ValueSettings } from "@/lib/business-value-schema";
import { evaluateValue } from "./evaluate-value";
import { zEvaluationReport, type EdgeCase, type EvaluationReport, type EvaluationTask, type MetricName, type RobustnessResult } from "./schema";

export interface EvaluateModelInput {
  onnx: Uint8Array;
  modelDigest: string;
  introspection: OnnxIntrospection;
  /** Absolute path of the dataset version's stored file and its format. */
  datasetPath: string;
  datasetFormat: "csv" | "parquet";
  datasetDigest: string;
  labelColumn: string;
  sensitiveAttributes: string[];
  /**
   * The training dataset version's columns and label, from the model's lineage: they name a matrix input's columns
   * when the MLmodel signature does not.
   */
  trainingColumns?: { columns: string[]; labelColumn: string | null } | null;
  /** The training dataset version's stored file (lineage): explanations draw their background rows and ranges from it. */
  trainingDataset?: { path: string; format: "csv" | "parquet" } | null;
  /** The dataset columns feeding a matrix input, in its order, as the requester confirmed them when no name was known. */
  columnOrder?: string[] | null;
  /** The version holding the `production` alias, scored on the same rows for the comparison; null when none. */
  production?: ProductionModel | null;
  /** The label value counted as the favourable outcome in fairness; null = the positive class. */
  favourableOutcome?: string | null;
  /** Seed of noise, missing values and permutation shuffles (default 42): same inputs → same report. */
  seed?: number;
  /** Outcome values and the chosen decision threshold: the report's value part (none when absent). */
  value?: ValueSettings | null;
  /** Called with 0–1 and the part being computed, for the job's progress bar. */
  onProgress?: (fraction: number, stage: string) => void;
}

/** The evaluator's version, stored with every report (bump when a change alters any number). */
// 2: values reach the model as written in the file (no type sniffing) and matrix columns are matched by name.
// 3: issue 17: value, explanations, comparison with production, fairness intervals and proxies, favourable outcome.
export const EVALUATOR_VERSION = "3";

/** Rows per onnxruntime run: large enough for ORT's threads to stay busy, small enough to bound feed memory. */
const BATCH_ROWS = 50_000;
/**
 * Permutation importance scores the model features × repeats times (150 scorings for 30 features): on 10,000 rows
 * that was 1.5M rows, 60–70% of bench/review's time; 5,000 rows halve it and still resolve accuracy to 0.0002.
 */
export const IMPORTANCE_SAMPLE_ROWS = 5_000;
const IMPORTANCE_REPEATS = 5;
const MAX_ROC_POINTS = 200;
const MAX_RESIDUAL_POINTS = 2_000;

// ---------------------------------------------------------------- dataset

/** One dataset column as the text written in the file (null = an empty field); the model's input types convert it. */
type DatasetColumn = { name: string; values: (string | null)[] };

async function readDatasetColumns(path: string, format: "csv" | "parquet"): Promise<DatasetColumn[]> {
  return readDatasetText(path, format);
}

/** A cell's text, or null when the field is empty (only spaces counts as empty: no writer means a label by it). */
function cellText(column: DatasetColumn, row: number): string | null {
  const text = column.values[row];
  return text === null || text.trim() === "" ? null : text;
}

function pick<T>(values: readonly T[], rows: readonly number[] | null): T[] {
  return rows === null ? values.slice() : rows.map((row) => values[row]);
}

// ---------------------------------------------------------------- model

type ModelOutput =
  | { task: "binary" | "multiclass"; outputName: string; classes: string[]; classCount: number }
  | { task: "regression"; outputName: string };

function isFloatTensor(value: OnnxValueInfo): boolean {
  return value.kind === "tensor" && (value.elementType === "float32" || value.elementType === "float64");
}

/** Class names from the ONNX classifier node (classlabels_int64s / classlabels_strings), in output order. */
export function classLabelsOf(onnx: Uint8Array): string[] | null {
  const model = decodeOnnxModel(onnx);
  for (const node of model.graph.node) {
    for (const attribute of node.attribute) {
      const ints = attribute.ints ?? [];
      const strings = attribute.strings ?? [];
      if (attribute.name === "classlabels_int64s" && ints.length > 0) return ints.map((value) => String(int64ToNumber(value)));
      if (attribute.name === "classlabels_strings" && strings.length > 0) {
        const decoder = new TextDecoder();
        return strings.map((bytes) => decoder.decode(bytes));
      }
    }
  }
  return null;
}

/** What the model outputs: a probabilities tensor [N,k] (classifier) or one numeric value per row (regressor). */
function modelOutputOf(input: Pick<EvaluateModelInput, "introspection" | "onnx">, notes: string[]): ModelOutput {
  const outputs = input.introspection.outputs;
  const nonTensor = outputs.find((output) => output.kind !== "tensor");
  if (nonTensor) {
    throw invalidParameter(
      `The model's output '${nonTensor.name}' is a ${nonTensor.typeDescription}` +
        (input.introspection.usesZipMap ? " (scikit-learn's ZipMap)" : "") +
        ", which onnxruntime-node cannot return. Derive a version without ZipMap (the version page has a button) and review that version.",
      said("output_not_tensor", { output: nonTensor.name, type: nonTensor.typeDescription, zipmap: input.introspection.usesZipMap ? "yes" : "no" }),
    );
  }
  const probabilities = outputs.find(
    (output) =>
      isFloatTensor(output) &&
      output.shape?.length === 2 &&
      (typeof output.shape[1] === "number" ? output.shape[1] >= 2 : /prob/i.test(output.name)),
  );
  if (probabilities) {
    const width = probabilities.shape?.[1];
    const labels = classLabelsOf(input.onnx);
    const classCount = typeof width === "number" ? width : (labels?.length ?? 0);
    if (classCount < 2) {
      throw invalidParameter(
        `The model's probabilities output '${probabilities.name}' has no fixed class count and no class labels; re-export it with [N,k] probabilities.`,
        said("no_class_count", { output: probabilities.name }),
      );
    }
    let classes = labels;
    if (classes === null || classes.length !== classCount) {
      if (classes !== null) notes.push(`The classifier node lists ${classes.length} class labels for ${classCount} probability columns; classes are named 0 to ${classCount - 1}.`);
      classes = Array.from({ length: classCount }, (_, index) => String(index));
    }
    return { task: classCount === 2 ? "binary" : "multiclass", outputName: probabilities.name, classes, classCount };
  }
  const numeric = outputs.filter(
    (output) => isFloatTensor(output) && output.shape !== null && (output.shape.length === 1 || (output.shape.length === 2 && output.shape[1] === 1)),
  );
  if (numeric.length === 1) return { task: "regression", outputName: numeric[0].name };
  const outputList = outputs.map((output) => `'${output.name}' ${output.typeDescription}`).join(", ");
  throw invalidParameter(
    `The model's outputs (${outputList}) are neither a probabilities tensor [N,k] ` + "nor a single numeric prediction per row; a review needs one or the other.",
    said("outputs_unusable", { outputs: outputList }),
  );
}

// ---------------------------------------------------------------- feeds

interface FeedInput {
  name: string;
  elementType: string;
  /** Features fed to this input, in column order of the tensor. */
  features: string[];
  /** [N] inputs get a rank-1 tensor; others [N,width]. */
  rank: 1 | 2;
}

interface FeedPlan {
  features: string[];
  /** Element type of the input each feature feeds: it decides how the feature's text is converted. */
  elementTypes: Map<string, string>;
  inputs: FeedInput[];
}

const numericInputTypes = new Set(["float32", "float64", "int32", "int64", "bool"]);

function quotedList(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(", ");
}

/** An evaluation refusal's sentence (sentences `error.evaluation.*`); the English message stays as REST and logs read it. */
function said(code: string, params: Record<string, string | number | ServerSentence[]> = {}): ServerSentence {
  return sentence(`error.evaluation.${code}`, params);
}

function labelIsInput(labelColumn: string): DomainError {
  return invalidParameter(
    `The label column '${labelColumn}' is one of the model's inputs; name the column holding the true outcome.`,
    said("label_is_input", { label: labelColumn }),
  );
}

/** A cell the model's input cannot take (lib/feature-values), as a sentence. */
function featureValueSentence(error: FeatureValueError): ServerSentence {
  return said("feature_value", { column: error.column, row: error.row, value: error.value, expected: error.expected });
}

/** The values of the column_order sentence: columnOrderProblems' findings, each said by the catalogue. */
function columnOrderValues(input: string, order: readonly string[], width: number, header: readonly string[]): Record<string, string | number> {
  const { wrongCount, repeated, absent } = columnOrderFindings(order, width, header);
  return {
    input,
    width,
    listed: order.length,
    wrong_count: wrongCount ? "yes" : "no",
    has_repeated: repeated.length > 0 ? "yes" : "no",
    repeated: quotedList(repeated),
    has_absent: absent.length > 0 ? "yes" : "no",
    absent: quotedList(absent),
  };
}

/**
 * Which dataset column feeds which model input, always by name: a model with one input per column by its input names;
 * a single [N,k] matrix input by the MLmodel signature's column names, else the training dataset's columns (lineage),
 * else the column order the requester confirmed. With none of these the evaluation refuses: a file's column order is
 * never assumed to be the model's. A name the file lacks is an error; columns the model does not take are listed.
 */
function planFeeds(
  input: Pick<EvaluateModelInput, "introspection" | "labelColumn" | "sensitiveAttributes" | "trainingColumns" | "columnOrder">,
  header: string[],
  notes: string[],
): FeedPlan {
  const { introspection, labelColumn } = input;
  const inputs = introspection.inputs;
  for (const modelInput of inputs) {
    if (modelInput.kind !== "tensor") {
      throw invalidParameter(
        `The model's input '${modelInput.name}' is a ${modelInput.typeDescription}; a review can only feed tensors.`,
        said("input_not_tensor", { input: modelInput.name, type: modelInput.typeDescription }),
      );
    }
    if (!numericInputTypes.has(modelInput.elementType) && modelInput.elementType !== "string") {
      throw invalidParameter(
        `The model's input '${modelInput.name}' holds ${modelInput.elementType} values, which the evaluator cannot build; re-export it with float inputs.`,
        said("input_type", { input: modelInput.name, type: modelInput.elementType }),
      );
    }
  }
  const rankOf = (value: OnnxValueInfo): 1 | 2 => (value.shape?.length === 1 ? 1 : 2);
  const only = inputs.length === 1 ? inputs[0] : null;
  const width = only?.shape?.length === 2 ? only.shape[1] : null;
  let plan: FeedInput[];
  let names: FeatureNames;
  // A one-column input not named as a file column is a matrix of width 1: its column must be named or confirmed too.
  if (only && only.shape?.length === 2 && (width !== 1 || !header.includes(only.name))) {
    const signatureNames = signatureColumnNames(introspection.mlmodelSignature);
    const known = { signatureNames, trainingColumns: input.trainingColumns?.columns ?? null, trainingLabel: input.trainingColumns?.labelColumn ?? labelColumn };
    // A free width takes whatever names are known (the signature's first).
    const k = typeof width === "number" ? width : signatureNames.length || (known.trainingColumns?.filter((n) => n !== known.trainingLabel).length ?? 0);
    const found = matrixFeatureNames(k, known);
    if (found) names = found;
    else if (input.columnOrder && input.columnOrder.length > 0) {
      const problems = columnOrderProblems(input.columnOrder, k, header);
      if (problems.length > 0) {
        throw invalidParameter(
          `The confirmed column order cannot feed the model's input '${only.name}': ${problems.join(" ")} Request the review again with a corrected order.`,
          said("column_order", columnOrderValues(only.name, input.columnOrder, k, header)),
        );
      }
      names = { names: [...input.columnOrder], source: "confirmed" };
    } else {
      throw invalidParameter(
        `The model takes one matrix input '${only.name}' of ${k || "several"} columns and nothing names them (no MLmodel signature with column names, ` +
          "no training dataset version in its lineage with that many feature columns). The file's column order is not assumed: " +
          "confirm which dataset columns feed the model, in order, when requesting the review.",
        said("matrix_unnamed", { input: only.name, known: k ? "yes" : "no", count: String(k), remedy: "review" }),
      );
    }
    const { missing } = compareColumns(names.names, header);
    if (missing.length > 0) {
      throw invalidParameter(
        `The dataset lacks ${missing.length === 1 ? "the column" : `${missing.length} columns`} the model takes by name (from ${featureNameSourceText[names.source]}): ${quotedList(missing.slice(0, 20))}` +
          `${missing.length > 20 ? ", …" : ""}. Its columns are ${quotedList(header)}; evaluate on a dataset holding them.`,
        said("columns_missing", {
          count: missing.length,
          shown: String(missing.length),
          source: names.source.replace("-", "_"),
          missing: quotedList(missing.slice(0, 20)),
          more: missing.length > 20 ? "yes" : "no",
          columns: quotedList(header),
        }),
      );
    }
    if (names.names.includes(labelColumn)) throw labelIsInput(labelColumn);
    plan = [{ name: only.name, elementType: only.elementType, features: names.names, rank: 2 }];
  } else {
    const missing = inputs.filter((modelInput) => !header.includes(modelInput.name)).map((modelInput) => modelInput.name);
    if (missing.length > 0) {
      throw invalidParameter(
        `The model's inputs ${quotedList(missing)} are not columns of the dataset (its columns: ${quotedList(header)}); ` +
          "evaluate on a dataset with one column per model input, named as the inputs.",
        said("inputs_not_columns", { inputs: quotedList(missing), columns: quotedList(header) }),
      );
    }
    if (inputs.some((modelInput) => modelInput.name === labelColumn)) throw labelIsInput(labelColumn);
    names = { names: inputs.map((modelInput) => modelInput.name), source: "inputs" };
    plan = inputs.map((modelInput) => ({ name: modelInput.name, elementType: modelInput.elementType, features: [modelInput.name], rank: rankOf(modelInput) }));
  }
  notes.push(`Columns were matched to the model's inputs by name, from ${featureNameSourceText[names.source]}.`);
  const { extra } = compareColumns(names.names, header, [labelColumn, ...input.sensitiveAttributes]);
  if (extra.length > 0) notes.push(`Columns the model does not take were ignored: ${quotedList(extra)}.`);
  const elementTypes = new Map<string, string>();
  for (const feed of plan) for (const feature of feed.features) elementTypes.set(feature, feed.elementType);
  return { features: plan.flatMap((feed) => feed.features), elementTypes, inputs: plan };
}

/**
 * The feature table the model is fed from, restricted to `rows`: each column's text converted by the type of the input
 * it feeds (text unchanged, "" when empty; numbers with NaN when empty). A value that cannot convert stops the
 * evaluation with its column and row.
 */
function featureTable(plan: FeedPlan, columns: DatasetColumn[], rows: number[] | null): ColumnTable {
  const byName = new Map(columns.map((column) => [column.name, column]));
  const rowNumbers = rows === null ? undefined : rows.map((row) => row + 1);
  const table: Record<string, readonly unknown[]> = {};
  for (const feature of plan.features) {
    const column = byName.get(feature)!;
    try {
      table[feature] = columnForInput(feature, plan.elementTypes.get(feature)!, pick(column.values, rows), rowNumbers);
    } catch (error) {
      if (error instanceof FeatureValueError) throw invalidParameter(error.message, featureValueSentence(error));
      throw error;
    }
  }
  return table;
}

/** Tensors for rows start..end of the table, built straight from the columns into typed arrays. */
function feedsFor(plan: FeedPlan, table: ColumnTable, start: number, end: number): Record<string, ort.Tensor> {
  const count = end - start;
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of plan.inputs) {
    const width = input.features.length;
    const dims = input.rank === 1 ? [count] : [count, width];
    if (input.elementType === "string") {
      const data = new Array<string>(count * width);
      input.features.forEach((feature, offset) => {
        const values = table[feature] as readonly string[];
        for (let row = 0; row < count; row += 1) data[row * width + offset] = values[start + row];
      });
      feeds[input.name] = new ort.Tensor("string", data, dims);
      continue;
    }
    const size = count * width;
    const data =
      input.elementType === "float64" ? new Float64Array(size)
      : input.elementType === "float32" ? new Float32Array(size)
      : null;
    if (data) {
      input.features.forEach((feature, offset) => {
        const values = table[feature] as readonly number[];
        for (let row = 0; row < count; row += 1) data[row * width + offset] = values[start + row];
      });
      feeds[input.name] = new ort.Tensor(input.elementType as "float32" | "float64", data, dims);
      continue;
    }
    // Integer and boolean inputs: whole numbers only, so a missing value cannot be fed.
    const numbers = new Float64Array(size);
    input.features.forEach((feature, offset) => {
      const values = table[feature] as readonly number[];
      for (let row = 0; row < count; row += 1) {
        const value = values[start + row];
        if (!Number.isFinite(value)) throw new Error(`input '${input.name}' takes ${input.elementType} values, which cannot hold a missing or infinite '${feature}'`);
        numbers[row * width + offset] = value;
      }
    });
    if (input.elementType === "int64") feeds[input.name] = new ort.Tensor("int64", BigInt64Array.from(numbers, (value) => BigInt(Math.round(value))), dims);
    else if (input.elementType === "int32") feeds[input.name] = new ort.Tensor("int32", Int32Array.from(numbers, Math.round), dims);
    else feeds[input.name] = new ort.Tensor("bool", Uint8Array.from(numbers, (value) => (value ? 1 : 0)), dims);
  }
  return feeds;
}

/** The first line of an error, for a report cell. */
function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
}

interface Scorer {
  /** Probabilities row-major [N,k] for classifiers, one value per row for regressors. */
  predict(table: ColumnTable): Promise<Float64Array>;
  release(): Promise<void>;
}

/**
 * One ORT thread: the review job runs inside the web server's process, so it leaves the other core to requests. On
 * this 2-core machine shared with other work, ORT's two-thread pool was also the slower one whenever the other core
 * was busy (bench/review: 13–20 s against 8–12 s with one thread), and only ~30% faster when the machine was idle.
 */
export const evaluationSessionOptions: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1 };

async function createScorer(onnx: Uint8Array, plan: FeedPlan, output: ModelOutput): Promise<Scorer> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(onnx, evaluationSessionOptions);
  } catch (error) {
    throw invalidParameter(`onnxruntime-node could not load the model: ${errorText(error)}. Re-export the model to ONNX.`, said("load_failed", { reason: errorText(error) }));
  }
  const width = output.task === "regression" ? 1 : output.classCount;
  return {
    async predict(table) {
      const rowCount = (table[plan.features[0]] ?? []).length;
      const result = new Float64Array(rowCount * width);
      for (let start = 0; start < rowCount; start += BATCH_ROWS) {
        const end = Math.min(rowCount, start + BATCH_ROWS);
        const outputs = await session.run(feedsFor(plan, table, start, end), [output.outputName]);
        const tensor = outputs[output.outputName];
        const data = tensor.data as Float32Array | Float64Array;
        if (data.length !== (end - start) * width) {
          throw new Error(`output '${output.outputName}' has ${data.length} values for ${end - start} rows; expected ${width} per row`);
        }
        result.set(data, start * width);
      }
      return result;
    },
    release: () => session.release(),
  };
}

/** A model to score outside a review (champion vs challenger on an uploaded file), columns matched as a review matches them. */
export type ScoredModelInput = Pick<EvaluateModelInput, "onnx" | "introspection" | "trainingColumns" | "columnOrder">;

/** What a model predicted for every row of the columns: probabilities [N,k] row-major (classifier) or one value per row. */
export interface ModelScores {
  task: EvaluationTask;
  /** Class names in probability-column order; [] for a regressor. */
  classes: string[];
  outputs: Float64Array;
  notes: string[];
}

/**
 * Scores one model on a file's columns (text as written; null = empty) with onnxruntime-node: the same output reading,
 * name-based column matching and value conversion as a review, without the review's metrics. `labelColumn` is never
 * fed. Non-finite outputs (a model without an imputer on a missing value) are returned as NaN for the caller to count.
 */
export async function scoreModelColumns(model: ScoredModelInput, columns: { name: string; values: (string | null)[] }[], labelColumn: string): Promise<ModelScores> {
  const notes: string[] = [];
  const output = modelOutputOf(model, notes);
  const plan = planFeeds({ ...model, labelColumn, sensitiveAttributes: [] }, columns.map((column) => column.name), notes);
  const table = featureTable(plan, columns, null);
  const scorer = await createScorer(model.onnx, plan, output);
  try {
    const outputs = await scorer.predict(table).catch((error: unknown) => {
      throw invalidParameter(`onnxruntime-node could not score the file: ${errorText(error)}.`, said("score_file_failed", { reason: errorText(error) }));
    });
    return { task: output.task, classes: output.task === "regression" ? [] : output.classes, outputs, notes };
  } finally {
    await scorer.release();
  }
}

/** Training rows read for explanations: their background sample and the ranges counterfactuals stay within. */
const TRAINING_SAMPLE_ROWS = 5_000;

/** A seeded sample of the training dataset's rows, converted like the evaluation's; null (with a note) when unusable. */
async function trainingTable(input: EvaluateModelInput, plan: FeedPlan, seed: number, notes: string[]): Promise<ColumnTable | null> {
  if (!input.trainingDataset) return null;
  try {
    const columns = await readDatasetColumns(input.trainingDataset.path, input.trainingDataset.format);
    const missing = plan.features.filter((feature) => !columns.some((column) => column.name === feature));
    if (missing.length > 0) throw new Error(`it lacks ${quotedList(missing.slice(0, 5))}`);
    return featureTable(plan, columns, seededSample(columns[0]?.values.length ?? 0, TRAINING_SAMPLE_ROWS, seed + 10));
  } catch (error) {
    notes.push(`Explanations use the evaluation rows as background: the training dataset could not be used (${errorText(error)}).`);
    return null;
  }
}

// ---------------------------------------------------------------- evaluation

function probabilityRows(probabilities: Float64Array, classCount: number): number[][] {
  const rows = new Array<number[]>(probabilities.length / classCount);
  for (let row = 0; row < rows.length; row += 1) rows[row] = Array.from(probabilities.subarray(row * classCount, (row + 1) * classCount));
  return rows;
}

function nonFiniteCount(values: Float64Array): number {
  let count = 0;
  for (const value of values) if (!Number.isFinite(value)) count += 1;
  return count;
}

/** Keeps at most `max` points of a curve, evenly spread, always the first and the last. */
function thinCurve(xs: number[], ys: number[], max: number): { xs: number[]; ys: number[] } {
  if (xs.length <= max) return { xs, ys };
  const picked = Array.from({ length: max }, (_, index) => Math.round((index * (xs.length - 1)) / (max - 1)));
  return { xs: picked.map((index) => xs[index]), ys: picked.map((index) => ys[index]) };
}

function formatOutput(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/**
 * Progress for the job: every change of stage, and within a stage steps of at least 1% (importance alone reports
 * 150 shuffles; the job stores each report).
 */
function progressReporter(onProgress: EvaluateModelInput["onProgress"]) {
  let lastFraction = -1;
  let lastStage = "";
  return (fraction: number, stage: string) => {
    const clamped = Math.min(1, Math.max(0, fraction));
    if (stage === lastStage && clamped - lastFraction < 0.01) return;
    lastFraction = clamped;
    lastStage = stage;
    onProgress?.(clamped, stage);
  };
}

/** Another version's outputs on the same rows, its columns matched exactly as the candidate's (evaluate-comparison.ts). */
async function scoreOtherModel(
  input: EvaluateModelInput,
  other: ProductionModel,
  columns: DatasetColumn[],
  rows: number[] | null,
  candidate: { plan: FeedPlan; table: ColumnTable },
): Promise<ProductionScores> {
  const otherInput: EvaluateModelInput = { ...input, onnx: other.onnx, introspection: other.introspection, trainingColumns: other.trainingColumns };
  const notes: string[] = [];
  const output = modelOutputOf(otherInput, notes);
  const plan = planFeeds(otherInput, columns.map((column) => column.name), notes);
  // Columns the candidate already converted to the same input type are reused: converting text is most of the cost.
  const reused = plan.features.filter((feature) => candidate.plan.elementTypes.get(feature) === plan.elementTypes.get(feature));
  const converted = featureTable({ ...plan, features: plan.features.filter((feature) => !reused.includes(feature)) }, columns, rows);
  const table: ColumnTable = Object.fromEntries(plan.features.map((feature) => [feature, converted[feature] ?? candidate.table[feature]]));
  const scorer = await createScorer(other.onnx, plan, output);
  try {
    const outputs = await scorer.predict(table);
    if (nonFiniteCount(outputs) > 0) throw new Error("the model returned non-finite outputs (NaN) on these rows");
    return { task: output.task, classes: output.task === "regression" ? [] : output.classes, outputs };
  } finally {
    await scorer.release();
  }
}

export async function evaluateModel(input: EvaluateModelInput): Promise<EvaluationReport> {
  const seed = input.seed ?? 42;
  const progress = progressReporter(input.onProgress);
  const timings: Record<string, number> = {};
  const notes: string[] = [];
  const startedAt = performance.now();
  let partStart = startedAt;
  const endPart = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round((now - partStart) * 10) / 10;
    partStart = now;
  };

  // ---- load
  progress(0, "load");
  const output = modelOutputOf(input, notes);
  const task: EvaluationTask = output.task;
  const columns = await readDatasetColumns(input.datasetPath, input.datasetFormat);
  const label = columns.find((column) => column.name === input.labelColumn);
  if (!label) {
    const names = columns.map((column) => `'${column.name}'`).join(", ");
    throw invalidParameter(
      `The label column '${input.labelColumn}' is not in the dataset; its columns are ${names}. Name the column holding the true outcome.`,
      said("label_missing", { label: input.labelColumn, columns: names }),
    );
  }
  const sensitive = input.sensitiveAttributes.map((attribute) => {
    const column = columns.find((candidate) => candidate.name === attribute);
    if (!column) {
      const names = columns.map((c) => `'${c.name}'`).join(", ");
      throw invalidParameter(
        `The sensitive attribute '${attribute}' is not a column of the dataset; pick among ${names}.`,
        said("sensitive_missing", { attribute, columns: names }),
      );
    }
    return column;
  });
  const plan = planFeeds(input, columns.map((column) => column.name), notes);

  // Rows with a missing label cannot be scored against the truth.
  const allRows = label.values.length;
  const labelled: number[] = [];
  for (let row = 0; row < allRows; row += 1) if (cellText(label, row) !== null) labelled.push(row);
  const keptRows = labelled.length === allRows ? null : labelled;
  if (labelled.length === 0) {
    throw invalidParameter(
      `The label column '${input.labelColumn}' is empty on every row; pick the column holding the true outcome.`,
      said("label_empty", { label: input.labelColumn }),
    );
  }
  if (keptRows) notes.push(`Rows with a missing label were left out: ${(allRows - labelled.length).toLocaleString("en-US")} of ${allRows.toLocaleString("en-US")}.`);
  const rowCount = labelled.length;

  let classLabels: number[] = [];
  let truths: number[] = [];
  if (output.task === "regression") {
    try {
      truths = numberColumn(input.labelColumn, pick(label.values, keptRows), labelled.map((row) => row + 1));
    } catch (error) {
      if (error instanceof FeatureValueError) {
        throw invalidParameter(
          `${error.message.replace(/, but the model takes numbers.*$/, "")}; the model is a regressor, so its label column must hold numbers.`,
          said("regressor_label", { column: error.column, row: error.row, value: error.value }),
        );
      }
      throw error;
    }
  } else {
    const classIndex = new Map(output.classes.map((name, index) => [name, index]));
    classLabels = labelled.map((row) => {
      const text = cellText(label, row)!;
      // The label as written ("yes", "007") first; a number written another way ("1.0") matches an integer class "1".
      const written = numberFromText(text);
      const index = classIndex.get(text) ?? (written !== null && Number.isFinite(written) ? classIndex.get(String(written)) : undefined);
      if (index === undefined) {
        throw invalidParameter(
          `The label column '${input.labelColumn}' holds '${text}', which is not one of the model's classes (${output.classes.join(", ")}); ` +
            "check the label column, or evaluate a model trained on these classes.",
          said("label_not_class", { label: input.labelColumn, value: text, classes: output.classes.join(", ") }),
        );
      }
      return index;
    });
  }
  const features = featureTable(plan, columns, keptRows);
  endPart("load");

  const scorer = await createScorer(input.onnx, plan, output);
  try {
    // ---- predict
    progress(0.1, "predict");
    let predictions: Float64Array;
    try {
      predictions = await scorer.predict(features);
    } catch (error) {
      throw invalidParameter(`onnxruntime-node could not score the dataset: ${errorText(error)}.`, said("score_dataset_failed", { reason: errorText(error) }));
    }
    const broken = nonFiniteCount(predictions);
    if (broken > 0) {
      throw invalidParameter(
        `The model returned ${broken.toLocaleString("en-US")} non-finite output values (NaN) on the dataset; it cannot handle some inputs (often missing values). Clean the dataset or export the model with an imputer.`,
        said("non_finite", { count: broken }),
      );
    }
    endPart("predict");

    // ---- metrics
    progress(0.2, "metrics");
    let classification: EvaluationReport["classification"] = null;
    let regression: EvaluationReport["regression"] = null;
    let primaryMetric: { name: MetricName; value: number };
    let predictedClasses: number[] = [];
    /** The primary metric of scored rows against labels (same rows, same order). */
    let primaryScore: (scored: Float64Array, labelsIndex: number[] | null) => number;
    if (output.task !== "regression") {
      const k = output.classCount;
      const rows = probabilityRows(predictions, k);
      predictedClasses = predictedLabels(rows);
      const scores = precisionRecallF1(classLabels, rows);
      let auc: number | null = null;
      try {
        auc = rocAuc(classLabels, rows);
      } catch {
        notes.push("ROC AUC is not given: some class never occurs in the evaluation labels.");
      }
      let curve: { fpr: number[]; tpr: number[] } | null = null;
      let calibration: { probTrue: number[]; probPred: number[]; counts: number[] } | null = null;
      if (output.task === "binary") {
        // float32 outputs can stray a hair outside [0, 1]; the curves need probabilities.
        const positive = rows.map((row) => Math.min(1, Math.max(0, row[1])));
        if (auc !== null) {
          const full = rocCurve(classLabels, positive);
          const thinned = thinCurve(full.fpr, full.tpr, MAX_ROC_POINTS);
          curve = { fpr: thinned.xs, tpr: thinned.ys };
        }
        calibration = calibrationCurve(classLabels, positive);
      }
      classification = {
        classes: output.classes,
        accuracy: accuracy(classLabels, rows),
        macro: scores.macro,
        perClass: scores.perClass.map((perClass, index) => ({ className: output.classes[index], ...perClass })),
        rocAuc: auc,
        logLoss: logLoss(classLabels, rows),
        confusionMatrix: confusionMatrix(classLabels, rows),
        rocCurve: curve,
        calibration,
      };
      primaryMetric = { name: "accuracy", value: classification.accuracy };
      primaryScore = (scored, index) => accuracy(index === null ? classLabels : index.map((row) => classLabels[row]), probabilityRows(scored, k));
    } else {
      const predicted = Array.from(predictions);
      const allResiduals = residuals(truths, predicted);
      const sample = seededSample(predicted.length, MAX_RESIDUAL_POINTS, seed);
      regression = {
        rmse: rmse(truths, predicted),
        mae: mae(truths, predicted),
        r2: r2(truths, predicted),
        residuals: { predicted: sample.map((row) => predicted[row]), residual: sample.map((row) => allResiduals[row]) },
      };
      primaryMetric = { name: "r2", value: regression.r2 };
      primaryScore = (scored, index) => r2(index === null ? truths : index.map((row) => truths[row]), Array.from(scored));
    }
    endPart("metrics");

    const value = evaluateValue({ task, settings: input.value, classes: output.task === "regression" ? [] : output.classes, classLabels, predictions, truths, seed, notes });
    endPart("value");

    // ---- fairness
    progress(0.25, "fairness");
    const fairness: EvaluationReport["fairness"] = [];
    const favourableIndex = output.task === "binary" ? favourableClassIndex(output.classes, input.favourableOutcome) : 1;
    const groupsByAttribute = new Map(sensitive.map((column) => [column.name, labelled.map((row) => cellText(column, row))]));
    if (output.task === "binary") {
      for (const column of sensitive) {
        fairness.push(
          attributeFairness({
            attribute: column.name,
            groups: groupsByAttribute.get(column.name)!,
            labels: favourableIndicator(classLabels, favourableIndex),
            predictions: favourableIndicator(predictedClasses, favourableIndex),
            favourableOutcome: output.classes[favourableIndex],
            features,
            featureNames: plan.features,
            seed: seed + 6,
          }),
        );
      }
    } else if (sensitive.length > 0) {
      notes.push(`Fairness is measured for binary classifiers only; ${sensitive.map((column) => `'${column.name}'`).join(", ")} not analysed for this ${task} model.`);
    }
    endPart("fairness");

    // ---- comparison with the production version
    let comparison: EvaluationReport["comparison"] = null;
    if (input.production) {
      progress(0.27, "comparison");
      const candidate = {
        task,
        classes: output.task === "regression" ? [] : output.classes,
        classLabels,
        truths,
        predictedClasses,
        predictedValues: output.task === "regression" ? Array.from(predictions) : [],
        metrics: reportMetricValues({ classification, regression }),
        fairness,
        groupsByAttribute,
        favourableIndex,
        valueSettings: input.value,
        value,
      };
      comparison = await compareWithProduction(input.production, candidate, (production) => scoreOtherModel(input, production, columns, keptRows, { plan, table: features }));
      endPart("comparison");
    }

    // ---- robustness
    progress(0.3, "robustness");
    const perturbations: { perturbation: string; label: string; table: () => ColumnTable }[] = [
      { perturbation: "noise_0.1", label: "Gaussian noise of 0.1 std on numeric features", table: () => withGaussianNoise(features, 0.1, seed + 1) },
      { perturbation: "noise_0.3", label: "Gaussian noise of 0.3 std on numeric features", table: () => withGaussianNoise(features, 0.3, seed + 2) },
      { perturbation: "missing_10pct", label: "10% of values missing", table: () => withMissingValues(features, 0.1, seed + 3) },
    ];
    const robustness: RobustnessResult[] = [];
    for (const [index, perturbation] of perturbations.entries()) {
      progress(0.3 + (0.15 * index) / perturbations.length, "robustness");
      const result = { perturbation: perturbation.perturbation, label: perturbation.label, metric: primaryMetric.name };
      try {
        const scored = await scorer.predict(perturbation.table());
        const nonFinite = nonFiniteCount(scored);
        if (nonFinite > 0) throw new Error(`the model returned non-finite outputs (NaN) for ${nonFinite.toLocaleString("en-US")} values; it does not handle these inputs`);
        const value = primaryScore(scored, null);
        // Both primary metrics (accuracy, R²) are higher-is-better, so the drop is baseline − perturbed.
        robustness.push({ ...result, value, drop: primaryMetric.value - value, error: null });
      } catch (error) {
        robustness.push({ ...result, value: 0, drop: 0, error: errorText(error) });
      }
    }
    endPart("robustness");

    // ---- importance
    progress(0.45, "importance");
    const sampleRows = rowCount > IMPORTANCE_SAMPLE_ROWS ? seededSample(rowCount, IMPORTANCE_SAMPLE_ROWS, seed + 4) : null;
    if (sampleRows) {
      notes.push(
        `Permutation importance was computed on a seeded sample of ${IMPORTANCE_SAMPLE_ROWS.toLocaleString("en-US")} of the ${rowCount.toLocaleString("en-US")} rows, to keep the evaluation's time in bounds.`,
      );
    }
    const importanceTable: ColumnTable = sampleRows ? Object.fromEntries(Object.entries(features).map(([name, values]) => [name, pick(values, sampleRows)])) : features;
    let importance: EvaluationReport["importance"];
    try {
      const result = await permutationImportance(importanceTable, async (table) => primaryScore(await scorer.predict(table), sampleRows), {
        repeats: IMPORTANCE_REPEATS,
        seed: seed + 5,
        features: plan.features,
        onProgress: (done, total) => progress(0.45 + (0.45 * done) / total, "importance"),
      });
      importance = { metric: primaryMetric.name, baseline: result.baseline, repeats: IMPORTANCE_REPEATS, seed: seed + 5, features: result.features };
    } catch (error) {
      throw invalidParameter(`Permutation importance failed while scoring shuffled rows: ${errorText(error)}.`, said("importance_failed", { reason: errorText(error) }));
    }
    endPart("importance");

    // ---- edge cases
    progress(0.9, "edge_cases");
    const edgeCases: EdgeCase[] = [];
    for (const edge of edgeCaseRows(features)) {
      const table: ColumnTable = Object.fromEntries(plan.features.map((feature) => [feature, [edge.row[feature]]]));
      const entry = { feature: edge.feature, case: edge.case, input: edge.input };
      try {
        const scored = await scorer.predict(table);
        if (nonFiniteCount(scored) > 0) throw new Error("the model returned NaN instead of a prediction");
        let words: string;
        if (output.task === "regression") words = formatOutput(scored[0]);
        else {
          const [best] = predictedLabels([Array.from(scored)]);
          words = `class ${output.classes[best]} (p = ${scored[best].toFixed(2)})`;
        }
        edgeCases.push({ ...entry, ok: true, output: words, error: null });
      } catch (error) {
        edgeCases.push({ ...entry, ok: false, output: null, error: errorText(error) });
      }
    }
    endPart("edge_cases");

    // ---- explanations (fixed-size samples: the cost does not grow with the row count)
    progress(0.95, "explanations");
    let explanations: EvaluationReport["explanations"] = null;
    try {
      explanations = await explainEvaluation({
        features: plan.features,
        table: features,
        rowNumbers: labelled.map((row) => row + 1),
        predict: (table) => scorer.predict(table),
        output,
        predictions,
        classLabels,
        truths,
        training: await trainingTable(input, plan, seed, notes),
        seed,
      });
    } catch (error) {
      notes.push(`Explanations could not be computed: ${errorText(error)}.`);
    }
    endPart("explanations");
    timings.total = Math.round((performance.now() - startedAt) * 10) / 10;

    const report: EvaluationReport = {
      task,
      rowCount,
      labelColumn: input.labelColumn,
      features: plan.features,
      primaryMetric,
      classification,
      regression,
      fairness,
      robustness,
      importance,
      edgeCases,
      explanations,
      timings,
      provenance: {
        modelDigest: input.modelDigest,
        datasetDigest: input.datasetDigest,
        evaluatorVersion: `evaluator ${EVALUATOR_VERSION} (modelops-studio ${packageJson.version})`,
        // The onnxruntime-node package.json version of the module actually loaded (pages prefix "onnxruntime-node").
        onnxruntimeVersion: ort.env.versions.node ?? "unknown",
        nodeVersion: process.version,
        seed,
        createdAt: Date.now(),
      },
      notes,
      comparison,
      value,
    };
    progress(1, "done");
    const parsed = zEvaluationReport.safeParse(report);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw saidError(
        "INTERNAL_ERROR",
        `The evaluation report does not match its schema: ${issue?.message ?? ""} at ${issue?.path.join(".") ?? ""}.`,
        said("report_schema", { issue: issue?.message ?? "", path: issue?.path.join(".") ?? "" }),
      );
    }
    return parsed.data;
  } finally {
    await scorer.release();
  }
}
