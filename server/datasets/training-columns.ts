// The names a model version's feature matrix is known by: its MLmodel signature's columns, or the columns of the
// training dataset version its lineage names (without that dataset's label). Used by reviews and monitoring.
import { and, eq } from "drizzle-orm";
import { datasetVersions, datasets } from "@/db/schema";
import type { Database } from "@/db/client";
import { matrixFeatureNames, signatureColumnNames, trainingDatasetOf, type FeatureNames } from "@/lib/feature-names";
import type { OnnxIntrospection } from "../registry/onnx-introspection";
import { versionLocalPath } from "./dataset-files";

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


/** The training dataset version's stored file, from the model version's lineage; null without one. */
export async function trainingDatasetFileOf(
  db: Pick<Database, "select">,
  datasetRoot: string,
  lineage: unknown,
): Promise<{ path: string; format: "csv" | "parquet" } | null> {
  const training = trainingDatasetOf(lineage);
  if (!training) return null;
  const [row] = await db
    .select({ storagePath: datasetVersions.storagePath, format: datasetVersions.format })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.datasetId, datasetVersions.datasetId))
    .where(and(eq(datasets.name, training.name), eq(datasetVersions.version, training.version)));
  return row ? { path: await versionLocalPath(datasetRoot, row.storagePath), format: row.format as "csv" | "parquet" } : null;
}
