// Evidence for a canary or shadow against production: a two-proportion z-test (independent requests, canary), the
// sample sizes a difference needs to be detected (two proportions; McNemar's paired design for shadow copies), and the
// sticky split of callers between production and canary.
import { chiSquareSurvival } from "./special-functions";

export interface TwoProportionResult {
  /** Pooled z statistic of p1 − p2 (positive: the first proportion is higher). */
  statistic: number;
  /** Two-sided p-value of "both proportions are equal". */
  pValue: number;
}

/** Two-proportion z-test with the pooled standard error (statsmodels' proportions_ztest, two-sided). */
export function twoProportionZTest(successes1: number, n1: number, successes2: number, n2: number): TwoProportionResult | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const pooled = (successes1 + successes2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (variance <= 0) return { statistic: 0, pValue: 1 };
  const statistic = (successes1 / n1 - successes2 / n2) / Math.sqrt(variance);
  // z² is chi-square with one degree of freedom: its survival is the two-sided normal p-value.
  return { statistic, pValue: chiSquareSurvival(statistic * statistic, 1) };
}

/** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`A normal quantile needs a probability strictly between 0 and 1, got ${p}.`);
  const a = [-39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

export interface PowerOptions {
  /** Two-sided significance level (default 0.05). */
  alpha?: number;
  /** Chance of detecting the difference when it is real (default 0.8). */
  power?: number;
}

function quantiles(options: PowerOptions): { zAlpha: number; zBeta: number } {
  return { zAlpha: normalQuantile(1 - (options.alpha ?? 0.05) / 2), zBeta: normalQuantile(options.power ?? 0.8) };
}

/**
 * Requests per group to tell p1 from p2 (Fleiss' formula without continuity correction), rounded up; null when the
 * two are equal (no sample size can tell them apart).
 */
export function twoProportionSampleSize(p1: number, p2: number, options: PowerOptions = {}): number | null {
  if (p1 === p2) return null;
  const { zAlpha, zBeta } = quantiles(options);
  const mean = (p1 + p2) / 2;
  const n = (zAlpha * Math.sqrt(2 * mean * (1 - mean)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (p1 - p2) ** 2;
  return Math.ceil(n - 1e-9);
}

/**
 * Paired rows for McNemar's test to detect the given discordant proportions (Connor 1987): p10 = first right and
 * second wrong, p01 the reverse. Null when they are equal.
 */
export function mcnemarSampleSize(p10: number, p01: number, options: PowerOptions = {}): number | null {
  const delta = p10 - p01;
  if (delta === 0) return null;
  const { zAlpha, zBeta } = quantiles(options);
  const psi = p10 + p01;
  const n = (zAlpha * Math.sqrt(psi) + zBeta * Math.sqrt(Math.max(0, psi - delta * delta))) ** 2 / (delta * delta);
  return Math.ceil(n - 1e-9);
}

/**
 * Where a caller key falls in [0, 1): FNV-1a of its text, so the same key always lands on the same side of a canary
 * share (sticky), and raising the share only moves callers from production to canary, never back.
 */
export function callerPosition(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // A final avalanche (murmur3's fmix32) spreads keys that differ only in their last characters.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}
