// Distribution-drift tests (KS, Wasserstein, chi-square, Jensen–Shannon, PSI) shared by dataset version comparison and production monitoring.
import { chiSquareSurvival, kolmogorovSurvival } from "./special-functions";

export type CategoryCounts = Record<string, number>;

function requireNumbers(values: number[], name: string): void {
  if (values.length === 0) throw new Error(`The ${name} sample is empty; drift needs at least one value on each side.`);
  for (const value of values) {
    if (!Number.isFinite(value)) {
      throw new Error(`The ${name} sample holds a non-finite value (${value}); drop missing values before testing drift.`);
    }
  }
}

/** Category → count over the union of both sides' categories, keeping only categories seen on at least one side. */
function alignCounts(reference: CategoryCounts, current: CategoryCounts) {
  const categories: string[] = [];
  const referenceCounts: number[] = [];
  const currentCounts: number[] = [];
  const check = (counts: CategoryCounts, name: string) => {
    let total = 0;
    for (const [category, count] of Object.entries(counts)) {
      if (!(Number.isFinite(count) && count >= 0)) {
        throw new Error(`The ${name} count of category '${category}' is ${count}; counts must be finite and ≥ 0.`);
      }
      total += count;
    }
    if (total === 0) throw new Error(`The ${name} counts are empty; drift needs at least one value on each side.`);
    return total;
  };
  const referenceTotal = check(reference, "reference");
  const currentTotal = check(current, "current");
  const seen = new Set<string>();
  for (const category of [...Object.keys(reference), ...Object.keys(current)]) {
    if (seen.has(category)) continue;
    seen.add(category);
    const r = reference[category] ?? 0;
    const c = current[category] ?? 0;
    if (r === 0 && c === 0) continue;
    categories.push(category);
    referenceCounts.push(r);
    currentCounts.push(c);
  }
  return { categories, referenceCounts, currentCounts, referenceTotal, currentTotal };
}

function sortedCopy(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Pr(D_{n,n} ≥ h/n) for two samples of equal size n: alternating reflection sum, evaluated Horner-style. */
function equalSizeOutsideProbability(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * Pr(D_{m,n} ≥ h/lcm(m,n)) by counting lattice paths that leave the band |x/m − y/n| < h/lcm (Hodges' inside method),
 * with Viehmann's (2021) recursion that carries 1 − p directly so no huge binomials appear. O(m · band width).
 */
function unequalSizeOutsideProbability(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g;
  const ng = n / g;
  let minJ = 0;
  let maxJ = Math.min(Math.ceil(h / mg), n + 1);
  let currentLength = maxJ - minJ;
  const column = new Float64Array(Math.min(2 * maxJ + 2, n + 1)).fill(1);
  column.fill(0, minJ, maxJ);
  for (let i = 1; i <= m; i++) {
    const lastMinJ = minJ;
    const lastLength = currentLength;
    minJ = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxJ = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxJ <= minJ) return 1;
    let value = minJ === 0 ? 0 : 1;
    for (let jj = 0; jj < maxJ - minJ; jj++) {
      const j = jj + minJ;
      value = (column[jj + minJ - lastMinJ] * i + value * j) / (i + j);
      column[jj] = value;
    }
    currentLength = maxJ - minJ;
    if (lastLength > currentLength) column.fill(1, currentLength, lastLength);
  }
  return column[maxJ - minJ - 1];
}

/** scipy's limit for method='auto': exact p-values while both samples have at most this many values. */
export const KS_EXACT_MAX_SIZE = 10_000;

/**
 * Two-sided two-sample Kolmogorov–Smirnov test, as scipy.stats.ks_2samp(reference, current) (method='auto').
 * Exact p-value (lattice-path count) when both samples have ≤ 10,000 values; otherwise scipy's 'asymp':
 * kstwo.sf(D, round(m·n/(m+n))). Like scipy, falls back to 'asymp' if the exact count is not a probability.
 */
export function ksTwoSample(reference: number[], current: number[]): { statistic: number; pValue: number } {
  requireNumbers(reference, "reference");
  requireNumbers(current, "current");
  const a = sortedCopy(reference);
  const b = sortedCopy(current);
  const n1 = a.length;
  const n2 = b.length;
  // Walk both sorted samples; at each distinct value both empirical CDFs include every tie.
  let i = 0;
  let j = 0;
  let statistic = 0;
  while (i < n1 && j < n2) {
    const value = Math.min(a[i], b[j]);
    while (i < n1 && a[i] <= value) i++;
    while (j < n2 && b[j] <= value) j++;
    const difference = Math.abs(i / n1 - j / n2);
    if (difference > statistic) statistic = difference;
  }
  // Once one sample is exhausted the other's CDF only rises towards 1, so the gap only shrinks.

  const g = greatestCommonDivisor(n1, n2);
  if (Math.max(n1, n2) <= KS_EXACT_MAX_SIZE) {
    const lcm = (n1 / g) * n2;
    const h = Math.round(statistic * lcm);
    const snapped = h / lcm;
    if (h === 0) return { statistic: snapped, pValue: 1 };
    const p = n1 === n2 ? equalSizeOutsideProbability(n1, h) : unequalSizeOutsideProbability(n1, n2, g, h);
    if (p >= 0 && p <= 1) return { statistic: snapped, pValue: p };
  }
  const effectiveSize = Math.round((n1 * n2) / (n1 + n2));
  return { statistic, pValue: Math.min(1, Math.max(0, kolmogorovSurvival(effectiveSize, statistic))) };
}

/** First Wasserstein distance between two empirical distributions, as scipy.stats.wasserstein_distance(u, v). */
export function wassersteinDistance(reference: number[], current: number[]): number {
  requireNumbers(reference, "reference");
  requireNumbers(current, "current");
  return sortedWasserstein(sortedCopy(reference), sortedCopy(current));
}

/** ∫|U − V| over the merged sorted values, walking both sorted samples once (no merged copy, no search). */
function sortedWasserstein(u: Float64Array, v: Float64Array): number {
  const nu = u.length;
  const nv = v.length;
  let i = 0;
  let j = 0;
  let previous = Math.min(u[0], v[0]);
  let distance = 0;
  while (i < nu || j < nv) {
    const next = j >= nv || (i < nu && u[i] <= v[j]) ? u[i] : v[j];
    distance += Math.abs(i / nu - j / nv) * (next - previous);
    while (i < nu && u[i] <= next) i++;
    while (j < nv && v[j] <= next) j++;
    previous = next;
  }
  return distance;
}

/** Floor on the reference's standard deviation, as Evidently: a constant reference must not divide by zero. */
export const MIN_WASSERSTEIN_NORM = 0.001;

/**
 * Wasserstein distance divided by the reference's population standard deviation (ddof 0), Evidently's
 * wasserstein_distance_norm. The divisor is floored at 0.001, so a constant reference yields distance / 0.001.
 */
export function normalizedWasserstein(reference: number[], current: number[]): number {
  requireNumbers(reference, "reference");
  requireNumbers(current, "current");
  return sortedWasserstein(sortedCopy(reference), sortedCopy(current)) / Math.max(populationStd(reference), MIN_WASSERSTEIN_NORM);
}

function populationStd(values: number[]): number {
  let mean = 0;
  for (const value of values) mean += value;
  mean /= values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return Math.sqrt(squares / values.length);
}

/**
 * Chi-square goodness of fit of the current counts against the reference proportions, as Evidently's chi-square
 * drift test: scipy.stats.chisquare(f_obs=current, f_exp=reference_share * current_total) over the union of categories.
 * A category the current data has but the reference never had has expected count 0: the statistic is Infinity and
 * the p-value 0, as in scipy (the reference says it cannot happen, so that is drift). With a single category in
 * total there is nothing to compare: statistic 0, p-value 1 (scipy returns NaN).
 */
export function chiSquareTest(
  reference: CategoryCounts,
  current: CategoryCounts,
): { statistic: number; pValue: number; degreesOfFreedom: number } {
  const { referenceCounts, currentCounts, referenceTotal, currentTotal } = alignCounts(reference, current);
  const degreesOfFreedom = referenceCounts.length - 1;
  let statistic = 0;
  for (let k = 0; k < referenceCounts.length; k++) {
    const expected = (referenceCounts[k] / referenceTotal) * currentTotal;
    const observed = currentCounts[k];
    statistic += expected === 0 ? (observed === 0 ? 0 : Infinity) : (observed - expected) ** 2 / expected;
  }
  if (degreesOfFreedom === 0) return { statistic: 0, pValue: 1, degreesOfFreedom };
  return { statistic, pValue: chiSquareSurvival(statistic, degreesOfFreedom), degreesOfFreedom };
}

/**
 * Jensen–Shannon distance (the square root of the divergence, natural log, so at most √ln 2 ≈ 0.833) between the two
 * normalised distributions over the union of categories, as scipy.spatial.distance.jensenshannon(p, q).
 */
export function jensenShannonDistance(reference: CategoryCounts, current: CategoryCounts): number {
  const { referenceCounts, currentCounts, referenceTotal, currentTotal } = alignCounts(reference, current);
  let divergence = 0;
  for (let k = 0; k < referenceCounts.length; k++) {
    const p = referenceCounts[k] / referenceTotal;
    const q = currentCounts[k] / currentTotal;
    const mid = (p + q) / 2;
    if (p > 0) divergence += p * Math.log(p / mid);
    if (q > 0) divergence += q * Math.log(q / mid);
  }
  return Math.sqrt(Math.max(0, divergence / 2));
}

/**
 * Histogram as numpy.histogram(values, bins, range): equal-width bins over `range` (default: min..max, widened by
 * ±0.5 when all values are equal), half-open [a, b) except the last bin, which is closed; values outside are dropped.
 */
export function histogram(values: number[], bins: number, range?: [number, number]): { edges: number[]; counts: number[] } {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new Error(`Histogram needs a whole number of bins ≥ 1, got ${bins}.`);
  let [first, last] = range ?? [Infinity, -Infinity];
  if (!range) {
    for (const value of values) {
      if (value < first) first = value;
      if (value > last) last = value;
    }
    if (values.length === 0) [first, last] = [0, 1];
  } else if (!(Number.isFinite(first) && Number.isFinite(last) && first <= last)) {
    throw new Error(`Histogram range must be two finite numbers in increasing order, got [${range.join(", ")}].`);
  }
  if (first === last) [first, last] = [first - 0.5, last + 0.5];
  const edges = equalWidthEdges(first, last, bins);
  return { edges, counts: countIntoEdges(values, edges) };
}

/** numpy.linspace(first, last, bins + 1): i·step + first, with the last edge set exactly. */
function equalWidthEdges(first: number, last: number, bins: number): number[] {
  const step = (last - first) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * step + first);
  edges[bins] = last;
  return edges;
}

/** Counts per equal-width bin, placing values on an edge exactly as numpy does (index guess, then edge check). */
function countIntoEdges(values: number[], edges: number[]): number[] {
  const bins = edges.length - 1;
  const first = edges[0];
  const last = edges[bins];
  const counts = new Array<number>(bins).fill(0);
  for (const value of values) {
    if (!(value >= first && value <= last)) continue;
    let index = Math.trunc(((value - first) / (last - first)) * bins);
    if (index === bins) index--;
    if (value < edges[index]) index--;
    else if (index !== bins - 1 && value >= edges[index + 1]) index++;
    counts[index]++;
  }
  return counts;
}

/**
 * Zero shares replaced as Evidently does before taking logs: by 0.0001, or by a millionth of the smallest
 * non-zero share when that share is itself ≤ 0.0001 (so the filler stays below every real share). No renormalisation.
 */
function fillEmptyShares(shares: number[]): number[] {
  let smallest = Infinity;
  for (const share of shares) if (share > 0 && share < smallest) smallest = share;
  const filler = smallest <= 0.0001 ? smallest / 1e6 : 0.0001;
  return shares.map((share) => (share === 0 ? filler : share));
}

function psiFromShares(referenceShares: number[], currentShares: number[]): number {
  const r = fillEmptyShares(referenceShares);
  const c = fillEmptyShares(currentShares);
  let psi = 0;
  for (let k = 0; k < r.length; k++) psi += (r[k] - c[k]) * Math.log(r[k] / c[k]);
  return psi;
}

/** Sturges' rule as numpy's bins='sturges': ⌈ptp / (ptp / (log₂ n + 1))⌉ bins. */
function sturgesBinCount(first: number, last: number, size: number): number {
  const width = (last - first) / (Math.log2(size) + 1);
  return width > 0 ? Math.ceil((last - first) / width) : 1;
}

/**
 * Population stability index of a numeric column, binned as Evidently does: equal-width bins over the range of
 * reference and current together (numpy.histogram_bin_edges(ref + cur, bins)); `bins` may be "sturges" for
 * Evidently's current default. Shares are counts / sample size, empty bins filled as Evidently (0.0001).
 * Evidently treats a numeric column with ≤ 20 distinct reference values as categories; this function does not —
 * pass such columns to psiCategorical.
 */
export function psiNumeric(reference: number[], current: number[], bins: number | "sturges" = 10): number {
  requireNumbers(reference, "reference");
  requireNumbers(current, "current");
  let first = Infinity;
  let last = -Infinity;
  for (const sample of [reference, current]) {
    for (const value of sample) {
      if (value < first) first = value;
      if (value > last) last = value;
    }
  }
  const binCount = bins === "sturges" ? sturgesBinCount(first, last, reference.length + current.length) : bins;
  const { edges } = histogram([], binCount, [first, last]);
  const referenceShares = countIntoEdges(reference, edges).map((count) => count / reference.length);
  const currentShares = countIntoEdges(current, edges).map((count) => count / current.length);
  return psiFromShares(referenceShares, currentShares);
}

/** Population stability index of a categorical column over the union of categories (Evidently's shares and filler). */
export function psiCategorical(reference: CategoryCounts, current: CategoryCounts): number {
  const { referenceCounts, currentCounts, referenceTotal, currentTotal } = alignCounts(reference, current);
  return psiFromShares(
    referenceCounts.map((count) => count / referenceTotal),
    currentCounts.map((count) => count / currentTotal),
  );
}

export type PsiBand = "stable" | "moderate" | "significant";

/** The usual PSI reading: < 0.1 stable, 0.1–0.25 moderate shift, ≥ 0.25 significant shift. */
export function psiBand(psi: number): PsiBand {
  if (psi < 0.1) return "stable";
  if (psi < 0.25) return "moderate";
  return "significant";
}

export type DriftTest = "ks" | "wasserstein" | "chi-square" | "jensen-shannon";

export interface ColumnDrift {
  test: DriftTest;
  /** p-value for "ks" and "chi-square" (drift when below threshold); distance otherwise (drift when at or above). */
  score: number;
  threshold: number;
  drifted: boolean;
  psi: number;
}

export interface NumericDriftOptions {
  /** Largest reference size still tested by KS; above it, normalised Wasserstein (default 1,000). */
  smallSampleLimit?: number;
  ksPValueThreshold?: number;
  wassersteinThreshold?: number;
  psiBins?: number | "sturges";
}

export interface CategoricalDriftOptions {
  /** Largest reference size (sum of counts) still tested by chi-square; above it, Jensen–Shannon (default 1,000). */
  smallSampleLimit?: number;
  chiSquarePValueThreshold?: number;
  jensenShannonThreshold?: number;
}

export const DRIFT_DEFAULTS = {
  smallSampleLimit: 1000,
  ksPValueThreshold: 0.05,
  wassersteinThreshold: 0.1,
  chiSquarePValueThreshold: 0.05,
  jensenShannonThreshold: 0.1,
  psiBins: 10,
  datasetDriftShare: 0.5,
} as const;

/** Drift of a numeric column by the monitoring rule: KS p-value for a small reference, normalised Wasserstein otherwise. */
export function numericDrift(reference: number[], current: number[], options: NumericDriftOptions = {}): ColumnDrift {
  const limit = options.smallSampleLimit ?? DRIFT_DEFAULTS.smallSampleLimit;
  const psi = psiNumeric(reference, current, options.psiBins ?? DRIFT_DEFAULTS.psiBins);
  if (reference.length <= limit) {
    const threshold = options.ksPValueThreshold ?? DRIFT_DEFAULTS.ksPValueThreshold;
    const { pValue } = ksTwoSample(reference, current);
    return { test: "ks", score: pValue, threshold, drifted: pValue < threshold, psi };
  }
  const threshold = options.wassersteinThreshold ?? DRIFT_DEFAULTS.wassersteinThreshold;
  const score = normalizedWasserstein(reference, current);
  return { test: "wasserstein", score, threshold, drifted: score >= threshold, psi };
}

/** Drift of a categorical column by the monitoring rule: chi-square p-value for a small reference, Jensen–Shannon otherwise. */
export function categoricalDrift(
  reference: CategoryCounts,
  current: CategoryCounts,
  options: CategoricalDriftOptions = {},
): ColumnDrift {
  const limit = options.smallSampleLimit ?? DRIFT_DEFAULTS.smallSampleLimit;
  const psi = psiCategorical(reference, current);
  const referenceSize = Object.values(reference).reduce((sum, count) => sum + count, 0);
  if (referenceSize <= limit) {
    const threshold = options.chiSquarePValueThreshold ?? DRIFT_DEFAULTS.chiSquarePValueThreshold;
    const { pValue } = chiSquareTest(reference, current);
    return { test: "chi-square", score: pValue, threshold, drifted: pValue < threshold, psi };
  }
  const threshold = options.jensenShannonThreshold ?? DRIFT_DEFAULTS.jensenShannonThreshold;
  const score = jensenShannonDistance(reference, current);
  return { test: "jensen-shannon", score, threshold, drifted: score >= threshold, psi };
}

/** Dataset drift: drifted when the share of drifted columns reaches `share` (default 0.5, as Evidently). */
export function datasetDrift(
  columnResults: readonly Pick<ColumnDrift, "drifted">[],
  share: number = DRIFT_DEFAULTS.datasetDriftShare,
): { driftedColumns: number; totalColumns: number; share: number; drifted: boolean } {
  const totalColumns = columnResults.length;
  const driftedColumns = columnResults.filter((column) => column.drifted).length;
  const measuredShare = totalColumns === 0 ? 0 : driftedColumns / totalColumns;
  return { driftedColumns, totalColumns, share: measuredShare, drifted: totalColumns > 0 && measuredShare >= share };
}
