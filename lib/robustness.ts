// Perturbations of a column table for the robustness part of a review: Gaussian noise on numeric features and missing values.
import type { ColumnTable } from "./permutation-importance";
import { seededNormal, seededRandom } from "./seeded-random";

/** A column is numeric when every value is a number (NaN, a missing number, included); text columns hold strings. */
export function isNumericColumn(values: readonly unknown[]): values is readonly number[] {
  for (const value of values) if (typeof value !== "number") return false;
  return true;
}

/** Population standard deviation of the finite values (NaN and ±∞ left out); 0 when there are fewer than two. */
export function finiteStd(values: readonly number[]): number {
  let count = 0;
  let sum = 0;
  for (const value of values) {
    if (Number.isFinite(value)) {
      count += 1;
      sum += value;
    }
  }
  if (count < 2) return 0;
  const mean = sum / count;
  let squares = 0;
  for (const value of values) if (Number.isFinite(value)) squares += (value - mean) ** 2;
  return Math.sqrt(squares / count);
}

/**
 * The table with Gaussian noise of `scale` × each numeric feature's own std added to every value (a std
 * measured on this table); text columns and missing numbers are kept as they are. Same seed → same noise.
 */
export function withGaussianNoise(table: ColumnTable, scale: number, seed: number): ColumnTable {
  if (!(scale >= 0) || !Number.isFinite(scale)) throw new Error(`The noise scale is ${scale}; give a finite number ≥ 0 (in feature stds).`);
  const normal = seededNormal(seed);
  const noisy: Record<string, readonly unknown[]> = {};
  for (const [feature, values] of Object.entries(table)) {
    if (!isNumericColumn(values)) {
      noisy[feature] = values;
      continue;
    }
    const spread = scale * finiteStd(values);
    const column = new Array<number>(values.length);
    for (let row = 0; row < values.length; row += 1) column[row] = values[row] + spread * normal();
    noisy[feature] = column;
  }
  return noisy;
}

/**
 * The table with each cell independently made missing with probability `share` (seeded): numbers become NaN,
 * text becomes "" (what an empty CSV field holds); other values are kept.
 */
export function withMissingValues(table: ColumnTable, share: number, seed: number): ColumnTable {
  if (!(share >= 0 && share <= 1)) throw new Error(`The missing share is ${share}; give a number between 0 and 1.`);
  const random = seededRandom(seed);
  const holed: Record<string, readonly unknown[]> = {};
  for (const [feature, values] of Object.entries(table)) {
    const numeric = isNumericColumn(values);
    const column = values.slice();
    for (let row = 0; row < column.length; row += 1) {
      if (random() >= share) continue;
      if (numeric) column[row] = Number.NaN;
      else if (typeof column[row] === "string") column[row] = "";
    }
    holed[feature] = column;
  }
  return holed;
}
