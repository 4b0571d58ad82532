// What the training dataset tells the playground: feature names (for a matrix input) and each column's range or categories.
import { planModelInputs, type FeatureProfile, type InputPlan, type ModelInputInfo } from "@/lib/model-inputs";
import { signatureColumnNames } from "@/lib/feature-names";
import type { OnnxIntrospection } from "@/server/registry/onnx-introspection";

export interface ProfiledColumn {
  name: string;
  type: string;
  min: number | string | null;
  max: number | string | null;
  mean: number | null;
  topValues: { value: string | null; count: number }[] | null;
}

/**
 * A profile's columns cut to what the playground's form reads of them (names, types, ranges, means, top values). The
 * server page hands these to the page in its HTML: the whole profile's histograms and quantiles were 22.5 KB of the
 * breast-cancer playground's 118 KB document, serialized by the server and parsed by the browser before the form.
 */
export function formProfileColumns(columns: readonly ProfiledColumn[]): ProfiledColumn[] {
  return columns.map(({ name, type, min, max, mean, topValues }) => ({ name, type, min, max, mean, topValues: topValues ?? null }));
}

/** Kept here for the playground's imports; it lives in lib/feature-names beside the other naming rules. */
export { trainingDatasetOf } from "@/lib/feature-names";

/**
 * Feature names and per-column profiles. A matrix input of width k takes the MLmodel signature's k column names first
 * (what serving uses); else the profile's first k columns when the file has k columns, or k + 1 with the label last
 * (how the studio's training files are laid out); otherwise names stay unknown and a CSV's order must be confirmed.
 */
export function trainingContext(
  inputs: readonly ModelInputInfo[],
  columns: readonly ProfiledColumn[] | null,
  signatureNames: readonly string[] = [],
): { featureNames: string[] | null; profiles: Record<string, FeatureProfile> } {
  const only = inputs.length === 1 ? inputs[0] : null;
  const width = only?.shape?.length === 2 && typeof only.shape[1] === "number" ? only.shape[1] : null;
  const fromSignature = width !== null && signatureNames.length === width ? [...signatureNames] : null;
  if (!columns) return { featureNames: fromSignature, profiles: {} };
  const profiles: Record<string, FeatureProfile> = {};
  for (const column of columns) {
    const numeric = column.type === "number" || column.type === "integer";
    profiles[column.name] = {
      min: numeric && typeof column.min === "number" ? column.min : null,
      max: numeric && typeof column.max === "number" ? column.max : null,
      mean: numeric ? column.mean : null,
      // Categories as written in the file (the profile keeps `007` and `yes`), offered whenever the model takes text,
      // even for a column that looks numeric.
      categories: column.topValues?.flatMap((top) => (top.value === null ? [] : [top.value])) ?? null,
    };
  }
  let featureNames: string[] | null = fromSignature;
  if (!featureNames && width !== null && (columns.length === width || columns.length === width + 1)) featureNames = columns.slice(0, width).map((c) => c.name);
  return { featureNames, profiles };
}

/**
 * The playground's form for a version: its inputs named and bounded by the MLmodel signature and the training profile
 * (null: none, or not readable). The page and the server's form action both build it this way, so a field posted by
 * the server-rendered form is the same field the server validates.
 */
export function playgroundInputPlan(introspection: Pick<OnnxIntrospection, "inputs" | "mlmodelSignature">, columns: readonly ProfiledColumn[] | null): InputPlan {
  const { inputs } = introspection;
  return planModelInputs(inputs, trainingContext(inputs, columns, signatureColumnNames(introspection.mlmodelSignature)));
}
