// What the training dataset tells the playground: feature names (for a matrix input) and each column's range or categories.
import type { FeatureProfile, ModelInputInfo } from "@/lib/model-inputs";

export interface ProfiledColumn {
  name: string;
  type: string;
  min: number | string | null;
  max: number | string | null;
  mean: number | null;
  topValues: { value: string | null; count: number }[] | null;
}

/** Kept here for the playground's imports; it lives in lib/feature-names beside the other naming rules. */
export { trainingDatasetOf } from "@/lib/feature-names";

/**
 * Feature names and per-column profiles. A matrix input of width k takes the profile's first k columns when the file has
 * k columns, or k + 1 with the label last (how the studio's training files are laid out); otherwise names stay unknown.
 */
export function trainingContext(
  inputs: readonly ModelInputInfo[],
  columns: readonly ProfiledColumn[] | null,
): { featureNames: string[] | null; profiles: Record<string, FeatureProfile> } {
  if (!columns) return { featureNames: null, profiles: {} };
  const profiles: Record<string, FeatureProfile> = {};
  for (const column of columns) {
    const numeric = column.type === "number" || column.type === "integer";
    profiles[column.name] = {
      min: numeric && typeof column.min === "number" ? column.min : null,
      max: numeric && typeof column.max === "number" ? column.max : null,
      mean: numeric ? column.mean : null,
      categories: numeric ? null : (column.topValues?.flatMap((top) => (top.value === null ? [] : [top.value])) ?? null),
    };
  }
  const only = inputs.length === 1 ? inputs[0] : null;
  const width = only?.shape?.length === 2 && typeof only.shape[1] === "number" ? only.shape[1] : null;
  let featureNames: string[] | null = null;
  if (width !== null && (columns.length === width || columns.length === width + 1)) featureNames = columns.slice(0, width).map((c) => c.name);
  return { featureNames, profiles };
}
