// McNemar's test: do two classifiers scored on the same rows make errors at different rates? Only the discordant
// rows count (one right, the other wrong); exact binomial when they are few, chi-square with continuity otherwise.
import { chiSquareSurvival } from "./special-functions";

/** Below this many discordant rows the chi-square approximation is poor; the exact binomial test is used instead. */
export const MCNEMAR_EXACT_BELOW = 25;

export interface McNemarResult {
  /** Rows the candidate got right and the other model wrong. */
  candidateOnlyCorrect: number;
  /** Rows the other model got right and the candidate wrong. */
  otherOnlyCorrect: number;
  method: "exact" | "chi_square";
  /** Chi-square statistic with continuity correction; null for the exact test. */
  statistic: number | null;
  /** Two-sided p-value of "both models err equally often". */
  pValue: number;
}

/** Two-sided exact binomial p-value of min(b, c) successes out of b + c at p = ½ (statsmodels' mcnemar(exact=True)). */
function exactPValue(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // n < 25 here, so C(n, i) and 2ⁿ are exact in doubles: no rounding in the sum of the tail.
  let coefficient = 1;
  let tail = 0;
  for (let i = 0; i <= k; i += 1) {
    tail += coefficient;
    coefficient = (coefficient * (n - i)) / (i + 1);
  }
  return Math.min(1, (2 * tail) / 2 ** n);
}

/** McNemar's test from the two discordant counts. */
export function mcnemarTest(candidateOnlyCorrect: number, otherOnlyCorrect: number): McNemarResult {
  const b = candidateOnlyCorrect;
  const c = otherOnlyCorrect;
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) throw new Error(`McNemar's test needs two counts of rows, got ${b} and ${c}.`);
  if (b + c < MCNEMAR_EXACT_BELOW) return { candidateOnlyCorrect: b, otherOnlyCorrect: c, method: "exact", statistic: null, pValue: exactPValue(b, c) };
  const statistic = (Math.abs(b - c) - 1) ** 2 / (b + c);
  return { candidateOnlyCorrect: b, otherOnlyCorrect: c, method: "chi_square", statistic, pValue: chiSquareSurvival(statistic, 1) };
}

/** McNemar's test of two models' predicted labels against the true labels (same rows, same order). */
export function mcnemarFromPredictions(labels: readonly number[], candidate: readonly number[], other: readonly number[]): McNemarResult {
  if (labels.length !== candidate.length || labels.length !== other.length) {
    throw new Error(`There are ${labels.length} labels, ${candidate.length} and ${other.length} predictions; give one of each per row.`);
  }
  let b = 0;
  let c = 0;
  for (let row = 0; row < labels.length; row += 1) {
    const candidateRight = candidate[row] === labels[row];
    const otherRight = other[row] === labels[row];
    if (candidateRight && !otherRight) b += 1;
    else if (!candidateRight && otherRight) c += 1;
  }
  return mcnemarTest(b, c);
}
