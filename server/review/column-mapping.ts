// Which dataset columns feed a model version: the names its signature or training dataset (lineage) give, or, when
// nothing names a matrix input's columns, the order the requester confirmed once, stored with the review.
import { and, eq } from "drizzle-orm";
import { datasetVersions, datasets } from "@/db/schema";
import type { Database } from "@/db/client";
import { columnOrderProblems, matrixFeatureNames, signatureColumnNames, trainingDatasetOf, type ColumnMapping, type FeatureNames } from "@/lib/feature-names";
import type { Actor } from "../auth/actor";
import { invalidParameter } from "../errors";
import type { OnnxIntrospection } from "../registry/onnx-introspection";

/** A model's single [N,k] input holding every feature, and the names of its columns when something gives them. */
export interface MatrixInput {
  inputName: string;
  width: number | null;
  names: FeatureNames | null;
}

/** The training dataset version's columns and label column, from the model version's lineage; null without one. */
export async function trainingColumnsOf(db: Pick<Database, "select">, lineage: unknown): Promise<{ columns: string[]; labelColumn: string | null } | null> {
  const training = trainingDatasetOf(lineage);
  if (!training) return null;
  const [row] = await db
    .select({ columns: datasetVersions.columns, labelColumn: datasets.labelColumn })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.datasetId, datasetVersions.datasetId))
    .where(and(eq(datasets.name, training.name), eq(datasetVersions.version, training.version)));
  return row ? { columns: row.columns, labelColumn: row.labelColumn } : null;
}

/** The model's matrix input (null for a model with one input per column) and the names it is known by. */
export async function matrixInputOf(db: Pick<Database, "select">, introspection: OnnxIntrospection, lineage: unknown): Promise<MatrixInput | null> {
  const inputs = introspection.inputs;
  const only = inputs.length === 1 ? inputs[0] : null;
  if (!only || only.shape?.length !== 2 || only.shape[1] === 1) return null;
  const width = typeof only.shape[1] === "number" ? only.shape[1] : null;
  const signatureNames = signatureColumnNames(introspection.mlmodelSignature);
  const training = await trainingColumnsOf(db, lineage);
  const k = width ?? (signatureNames.length || 0);
  const names = k > 0 ? matrixFeatureNames(k, { signatureNames, trainingColumns: training?.columns, trainingLabel: training?.labelColumn }) : null;
  return { inputName: only.name, width, names };
}

/**
 * The column mapping to store with a new review: null when names are known (the evaluator matches by name), the
 * requester's confirmed order when they are not. Refuses a missing, unusable or needless order with what to do.
 */
export async function reviewColumnMapping(
  db: Pick<Database, "select">,
  actor: Actor,
  model: { introspection: OnnxIntrospection; lineage: unknown },
  columnOrder: string[] | null | undefined,
  dataset: { columns: string[]; labelColumn: string },
): Promise<ColumnMapping | null> {
  const matrix = await matrixInputOf(db, model.introspection, model.lineage);
  const given = columnOrder && columnOrder.length > 0 ? columnOrder : null;
  if (!matrix || matrix.names) {
    if (given) {
      throw invalidParameter(
        matrix
          ? "The model names its columns, so they are matched by name: leave the column order out."
          : "The model takes one input per column, matched by name: there is no column order to confirm.",
      );
    }
    return null;
  }
  if (!given) {
    throw invalidParameter(
      `Nothing names the ${matrix.width ?? "several"} columns of the model's input '${matrix.inputName}' (no MLmodel signature with column names, no training dataset ` +
        "version in its lineage): confirm which dataset columns feed it, in order (columnOrder).",
    );
  }
  const width = matrix.width ?? given.length;
  const problems = columnOrderProblems(given, width, dataset.columns);
  if (given.includes(dataset.labelColumn)) problems.push(`'${dataset.labelColumn}' is the label column; it cannot feed the model.`);
  if (problems.length > 0) throw invalidParameter(`The column order cannot feed the model's input '${matrix.inputName}': ${problems.join(" ")}`);
  return { inputName: matrix.inputName, columns: [...given], confirmedBy: actor.username, confirmedAt: Date.now() };
}
