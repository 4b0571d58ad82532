// Permutation feature importance (Breiman; scikit-learn's permutation_importance): how much a model's score drops when one feature's column is shuffled, repeated with a seeded shuffle.
import { seededRandom } from "./seeded-random";

/** A table held column by column (feature name → one value per row), the layout the evaluation feeds to the model. */
export type ColumnTable = Record<string, readonly unknown[]>;

export interface FeatureImportance {
  feature: string;
  /** baseline score − score with the feature shuffled, one per repeat. */
  importances: number[];
  mean: number;
  /** Population standard deviation of the repeats (numpy's default, as scikit-learn reports importances_std). */
  std: number;
}

export interface PermutationImportanceOptions {
  /** Shuffles per feature; scikit-learn's default is 5. */
  repeats?: number;
  /** Seed of the shuffles: the same seed, table and model give the same importances. */
  seed?: number;
  /** Features to shuffle; every column of the table by default. */
  features?: readonly string[];
  /** Called after each shuffled scoring, so a background job can report progress. */
  onProgress?: (done: number, total: number) => void;
}

function shuffled<T>(values: readonly T[], random: () => number): T[] {
  const copy = [...values];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

/**
 * Importance of each feature for `score` (higher is better, e.g. accuracy or R²; pass −RMSE for an
 * error). `score` may be async, since model inference is. Features keep the order asked for.
 */
export async function permutationImportance(
  table: ColumnTable,
  score: (table: ColumnTable) => number | Promise<number>,
  options: PermutationImportanceOptions = {},
): Promise<{ baseline: number; features: FeatureImportance[] }> {
  const repeats = options.repeats ?? 5;
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`repeats is ${repeats}; give a whole number of shuffles, at least 1.`);
  const features = options.features ?? Object.keys(table);
  for (const feature of features) {
    if (!(feature in table)) throw new Error(`Feature '${feature}' is not a column of the table; pick among: ${Object.keys(table).join(", ")}.`);
  }
  const random = seededRandom(options.seed ?? 0);
  const baseline = await score(table);
  const total = features.length * repeats;
  let done = 0;
  const results: FeatureImportance[] = [];
  for (const feature of features) {
    const importances: number[] = [];
    for (let repeat = 0; repeat < repeats; repeat += 1) {
      const permuted = await score({ ...table, [feature]: shuffled(table[feature], random) });
      importances.push(baseline - permuted);
      done += 1;
      options.onProgress?.(done, total);
    }
    const mean = importances.reduce((sum, value) => sum + value, 0) / repeats;
    const std = Math.sqrt(importances.reduce((sum, value) => sum + (value - mean) ** 2, 0) / repeats);
    results.push({ feature, importances, mean, std });
  }
  return { baseline, features: results };
}
