// Which file column feeds which model feature: by name whenever a name is known (MLmodel signature, per-column inputs,
// the training dataset in lineage), by a column order the user confirmed otherwise; never silently by position.
import { z } from "zod";

export type FeatureNameSource = "signature" | "inputs" | "training-dataset" | "confirmed";

export interface FeatureNames {
  /** The model's features in input order (the matrix input's columns 0…k-1). */
  names: string[];
  source: FeatureNameSource;
}

export const featureNameSourceText: Record<FeatureNameSource, string> = {
  signature: "the model's MLmodel signature",
  inputs: "the model's input names",
  "training-dataset": "the columns of the training dataset version in the model's lineage",
  confirmed: "the column order confirmed by the requester",
};

/**
 * The names of a single [N,k] matrix input's k columns, when something names them: the MLmodel signature's column
 * names, or the training dataset's columns without its label (how the studio's training files are laid out). Null
 * when nothing does: then the user must confirm a column order.
 */
export function matrixFeatureNames(
  width: number,
  known: { signatureNames?: readonly string[] | null; trainingColumns?: readonly string[] | null; trainingLabel?: string | null },
): FeatureNames | null {
  if (!(width > 0)) return null;
  const signature = known.signatureNames ?? [];
  if (signature.length === width && new Set(signature).size === width) return { names: [...signature], source: "signature" };
  const training = known.trainingColumns ?? [];
  const withoutLabel = training.filter((name) => name !== known.trainingLabel);
  if (withoutLabel.length === width && new Set(withoutLabel).size === width) return { names: withoutLabel, source: "training-dataset" };
  return null;
}

/** The model's feature names a file lacks, and the file's columns the model does not take (besides `ignored`). */
export function compareColumns(
  names: readonly string[],
  header: readonly string[],
  ignored: readonly string[] = [],
): { missing: string[]; extra: string[] } {
  const present = new Set(header);
  const wanted = new Set(names);
  const skip = new Set(ignored);
  return {
    missing: names.filter((name) => !present.has(name)),
    extra: header.filter((name) => !wanted.has(name) && !skip.has(name)),
  };
}

/** What is wrong with a confirmed column order for a matrix of `width` columns (each part empty or false when fine). */
export function columnOrderFindings(order: readonly string[], width: number, header: readonly string[]): { wrongCount: boolean; repeated: string[]; absent: string[] } {
  const seen = new Set<string>();
  const repeated = order.filter((name) => (seen.has(name) ? true : (seen.add(name), false)));
  return { wrongCount: order.length !== width, repeated: [...new Set(repeated)], absent: order.filter((name) => !header.includes(name)) };
}

/** Problems with a confirmed column order for a matrix of `width` columns, worded for the user; empty when it is usable. */
export function columnOrderProblems(order: readonly string[], width: number, header: readonly string[]): string[] {
  const { wrongCount, repeated, absent } = columnOrderFindings(order, width, header);
  const problems: string[] = [];
  if (wrongCount) problems.push(`The model takes ${width} columns; the confirmed order lists ${order.length}.`);
  if (repeated.length > 0) problems.push(`Each column may appear once; repeated: ${repeated.map((n) => `'${n}'`).join(", ")}.`);
  if (absent.length > 0) problems.push(`Not columns of the file: ${absent.map((n) => `'${n}'`).join(", ")}.`);
  return problems;
}

/** Names in a text list a user typed or pasted: separated by commas or new lines, spaces around them dropped. */
export function parseColumnOrder(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

/** A column order confirmed by a requester for a model whose matrix input names no columns; stored with the review. */
export const zColumnMapping = z.object({
  /** The model's matrix input. */
  inputName: z.string(),
  /** Dataset columns feeding the input's columns 0…k-1. */
  columns: z.array(z.string()),
  confirmedBy: z.string(),
  confirmedAt: z.number(),
});
export type ColumnMapping = z.infer<typeof zColumnMapping>;

/** The column names an MLmodel signature gives (a column-based signature; a tensor signature names none). */
export function signatureColumnNames(signature: { inputs: readonly { type?: string; name?: string | null }[] } | null | undefined): string[] {
  return (signature?.inputs ?? [])
    .filter((spec) => spec.type !== "tensor")
    .map((spec) => spec.name)
    .filter((name): name is string => typeof name === "string");
}

/** The registered dataset version the model was trained on, from a version's lineage (a training dataset first). */
export function trainingDatasetOf(lineage: unknown): { name: string; version: number } | null {
  if (typeof lineage !== "object" || lineage === null) return null;
  const datasets = (lineage as { datasets?: unknown }).datasets;
  if (!Array.isArray(datasets)) return null;
  type Entry = { context?: string | null; registry?: { datasetName?: unknown; version?: unknown } | null };
  const registered = (datasets as Entry[]).filter(
    (entry) => typeof entry?.registry?.datasetName === "string" && typeof entry.registry.version === "number",
  );
  const chosen = registered.find((entry) => /train/i.test(entry.context ?? "")) ?? registered[0];
  return chosen ? { name: chosen.registry!.datasetName as string, version: chosen.registry!.version as number } : null;
}
