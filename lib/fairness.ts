// Group fairness of a binary classifier (per-group selection rate, accuracy, TPR, FPR; demographic-parity and equal-opportunity gaps) as fairlearn defines them.
import { bootstrapInterval, sortedQuantile } from "./bootstrap";

/** Rows whose sensitive attribute is missing form their own group under this name, so they are counted, not dropped. */
export const MISSING_GROUP = "(missing)";

export interface GroupRates {
  group: string;
  size: number;
  /** Rows of this group whose true label is 1 (the denominator of TPR). */
  positives: number;
  /** Rows of this group whose true label is 0 (the denominator of FPR). */
  negatives: number;
  /** Share of the group predicted positive (fairlearn's selection_rate). */
  selectionRate: number;
  accuracy: number;
  /**
   * TP / positives. With no positive row fairlearn returns 0 (scikit-learn's normalised confusion matrix
   * turns 0/0 into 0); we do the same, and `positives` lets a report say the rate is empty.
   */
  truePositiveRate: number;
  /** FP / negatives; 0 when the group has no negative row, as fairlearn. */
  falsePositiveRate: number;
}

/**
 * Rates of each group of a sensitive attribute, sorted by group name. labels and predictions are 0/1
 * (1 = the favourable or selected outcome); groups holds each row's attribute value.
 */
export function fairnessByGroup(labels: number[], predictions: number[], groups: readonly (string | null | undefined)[]): GroupRates[] {
  if (labels.length === 0) throw new Error("There are no rows to evaluate; give at least one labelled row.");
  if (labels.length !== predictions.length || labels.length !== groups.length) {
    throw new Error(
      `There are ${labels.length} labels, ${predictions.length} predictions and ${groups.length} group values; give one of each per row.`,
    );
  }
  const counts = new Map<string, { size: number; positives: number; selected: number; correct: number; truePositives: number; falsePositives: number }>();
  labels.forEach((label, index) => {
    const prediction = predictions[index];
    if ((label !== 0 && label !== 1) || (prediction !== 0 && prediction !== 1)) {
      throw new Error(`Row ${index} has label ${label} and prediction ${prediction}; fairness needs 0/1 for both (1 = selected).`);
    }
    const group = groups[index] ?? MISSING_GROUP;
    const count = counts.get(group) ?? { size: 0, positives: 0, selected: 0, correct: 0, truePositives: 0, falsePositives: 0 };
    count.size += 1;
    count.positives += label;
    count.selected += prediction;
    if (label === prediction) count.correct += 1;
    if (label === 1 && prediction === 1) count.truePositives += 1;
    if (label === 0 && prediction === 1) count.falsePositives += 1;
    counts.set(group, count);
  });
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, count]) => {
      const negatives = count.size - count.positives;
      return {
        group,
        size: count.size,
        positives: count.positives,
        negatives,
        selectionRate: count.selected / count.size,
        accuracy: count.correct / count.size,
        truePositiveRate: count.positives === 0 ? 0 : count.truePositives / count.positives,
        falsePositiveRate: negatives === 0 ? 0 : count.falsePositives / negatives,
      };
    });
}

function spread(values: number[]): { min: number; max: number } {
  if (values.length === 0) throw new Error("There are no groups; compute fairnessByGroup on at least one row first.");
  return { min: Math.min(...values), max: Math.max(...values) };
}

/** Largest minus smallest selection rate over the groups (fairlearn's demographic_parity_difference, between_groups). */
export function demographicParityDifference(groupRates: GroupRates[]): number {
  const { min, max } = spread(groupRates.map((rates) => rates.selectionRate));
  return max - min;
}

/**
 * Smallest over largest selection rate (fairlearn's demographic_parity_ratio; 1 is parity). When no group
 * is selected at all fairlearn gives 0/0 = NaN; we return 1, since every group is then treated alike.
 */
export function demographicParityRatio(groupRates: GroupRates[]): number {
  const { min, max } = spread(groupRates.map((rates) => rates.selectionRate));
  return max === 0 ? 1 : min / max;
}

/** Largest minus smallest true-positive rate over the groups (fairlearn's equal_opportunity_difference). */
export function equalOpportunityDifference(groupRates: GroupRates[]): number {
  const { min, max } = spread(groupRates.map((rates) => rates.truePositiveRate));
  return max - min;
}

/** Everything the review report shows for one sensitive attribute. */
export function fairnessReport(labels: number[], predictions: number[], groups: readonly (string | null | undefined)[]) {
  const groupRates = fairnessByGroup(labels, predictions, groups);
  return {
    groups: groupRates,
    demographicParityDifference: demographicParityDifference(groupRates),
    demographicParityRatio: demographicParityRatio(groupRates),
    equalOpportunityDifference: equalOpportunityDifference(groupRates),
  };
}

// ---------------------------------------------------------------- what a committee needs to trust the rates

/** Groups smaller than this get a warning: their rates swing widely from one sample to the next. */
export const SMALL_GROUP_ROWS = 30;

/** Names of the groups with fewer than SMALL_GROUP_ROWS rows. */
export function smallGroups(groupRates: readonly GroupRates[], minimumRows = SMALL_GROUP_ROWS): string[] {
  return groupRates.filter((rates) => rates.size < minimumRows).map((rates) => rates.group);
}

export interface RateInterval {
  lower: number;
  upper: number;
}

export interface GroupIntervals {
  group: string;
  selectionRate: RateInterval;
  accuracy: RateInterval;
  /** Null when the group has no positive row (its TPR is undefined). */
  truePositiveRate: RateInterval | null;
}

export interface FairnessIntervals {
  level: number;
  resamples: number;
  seed: number;
  groups: GroupIntervals[];
  demographicParityDifference: RateInterval;
  equalOpportunityDifference: RateInterval;
}

function intervalOf(values: number[], level: number): RateInterval {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return { lower: sortedQuantile(finite, tail), upper: sortedQuantile(finite, 1 - tail) };
}

/**
 * Percentile bootstrap intervals (lib/bootstrap) of each group's selection rate, accuracy and TPR and of the
 * demographic-parity and equal-opportunity gaps. One resampling of the rows feeds every statistic, so they come from
 * the same resamples and cost one pass each. A group absent from a resample, or without positives for TPR, does not
 * count in that resample (as fairnessByGroup's gaps, the gap is over the groups present).
 */
export function fairnessIntervals(
  labels: readonly number[],
  predictions: readonly number[],
  groups: readonly (string | null | undefined)[],
  options: { resamples?: number; level?: number; seed?: number } = {},
): FairnessIntervals {
  const level = options.level ?? 0.95;
  const seed = options.seed ?? 42;
  const names = [...new Set(groups.map((group) => group ?? MISSING_GROUP))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const indexOf = new Map(names.map((name, index) => [name, index]));
  const groupIndex = Int32Array.from(groups, (group) => indexOf.get(group ?? MISSING_GROUP)!);
  const k = names.length;
  const selection: number[][] = names.map(() => []);
  const accuracyValues: number[][] = names.map(() => []);
  const tpr: number[][] = names.map(() => []);
  const opportunityGaps: number[] = [];
  // One code per row (group, label, prediction): a resample only counts codes, the rates come from the counts.
  const codes = Int32Array.from(groupIndex, (group, row) => {
    const label = labels[row];
    const prediction = predictions[row];
    if ((label !== 0 && label !== 1) || (prediction !== 0 && prediction !== 1)) {
      throw new Error(`Row ${row} has label ${label} and prediction ${prediction}; fairness needs 0/1 for both (1 = selected).`);
    }
    return group * 4 + label * 2 + prediction;
  });
  const counts = new Int32Array(k * 4);
  const size = new Int32Array(k);
  const selected = new Int32Array(k);
  const correct = new Int32Array(k);
  const positives = new Int32Array(k);
  const truePositives = new Int32Array(k);
  let call = 0;
  let hasPositives: boolean[] = [];
  const result = bootstrapInterval(
    labels.length,
    (rows) => {
      counts.fill(0);
      for (let i = 0; i < rows.length; i += 1) counts[codes[rows[i]]] += 1;
      for (let group = 0; group < k; group += 1) {
        // Codes per group: 0 = label 0 predicted 0, 1 = label 0 predicted 1, 2 = label 1 predicted 0, 3 = label 1 predicted 1.
        const [tn, fp, fn, tp] = [counts[group * 4], counts[group * 4 + 1], counts[group * 4 + 2], counts[group * 4 + 3]];
        size[group] = tn + fp + fn + tp;
        selected[group] = fp + tp;
        correct[group] = tn + tp;
        positives[group] = fn + tp;
        truePositives[group] = tp;
      }
      let minSelection = Infinity;
      let maxSelection = -Infinity;
      let minTpr = Infinity;
      let maxTpr = -Infinity;
      const first = call === 0;
      call += 1;
      if (first) hasPositives = Array.from(positives, (count) => count > 0);
      for (let group = 0; group < k; group += 1) {
        if (size[group] === 0) {
          if (!first) {
            selection[group].push(Number.NaN);
            accuracyValues[group].push(Number.NaN);
            tpr[group].push(Number.NaN);
          }
          continue;
        }
        const rate = selected[group] / size[group];
        // The point estimate's convention (fairlearn's): a group with no positive has TPR 0 in the gap.
        const truePositiveRate = positives[group] === 0 ? 0 : truePositives[group] / positives[group];
        minSelection = Math.min(minSelection, rate);
        maxSelection = Math.max(maxSelection, rate);
        minTpr = Math.min(minTpr, truePositiveRate);
        maxTpr = Math.max(maxTpr, truePositiveRate);
        if (!first) {
          selection[group].push(rate);
          accuracyValues[group].push(correct[group] / size[group]);
          tpr[group].push(positives[group] === 0 ? Number.NaN : truePositiveRate);
        }
      }
      if (!first) opportunityGaps.push(maxTpr - minTpr);
      return maxSelection - minSelection;
    },
    { resamples: options.resamples ?? 1000, level, seed },
  );
  return {
    level,
    resamples: result.resamples,
    seed,
    groups: names.map((group, index) => ({
      group,
      selectionRate: intervalOf(selection[index], level),
      accuracy: intervalOf(accuracyValues[index], level),
      truePositiveRate: hasPositives[index] ? intervalOf(tpr[index], level) : null,
    })),
    demographicParityDifference: { lower: result.lower, upper: result.upper },
    equalOpportunityDifference: intervalOf(opportunityGaps, level),
  };
}

// ---------------------------------------------------------------- proxies of a sensitive attribute

/** Association at or above which a model input counts as a close proxy of a sensitive attribute. */
export const PROXY_ASSOCIATION_THRESHOLD = 0.5;

/** Each value's category number (−1 = missing) and how many categories there are. */
function categoryCodes(values: readonly (string | null | undefined)[]): { codes: Int32Array; count: number } {
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  for (let row = 0; row < values.length; row += 1) {
    const value = values[row];
    if (value === null || value === undefined) {
      codes[row] = -1;
      continue;
    }
    let code = index.get(value);
    if (code === undefined) {
      code = index.size;
      index.set(value, code);
    }
    codes[row] = code;
  }
  return { codes, count: index.size };
}

type Categories = ReturnType<typeof categoryCodes>;

function cramersVOfCodes(a: Categories, b: Categories): number {
  const table = new Float64Array(a.count * b.count);
  const rowTotals = new Float64Array(a.count);
  const columnTotals = new Float64Array(b.count);
  let n = 0;
  for (let row = 0; row < a.codes.length; row += 1) {
    const x = a.codes[row];
    const y = b.codes[row];
    if (x < 0 || y < 0) continue;
    table[x * b.count + y] += 1;
    rowTotals[x] += 1;
    columnTotals[y] += 1;
    n += 1;
  }
  // Categories seen only on rows where the other column is missing do not count.
  const r = rowTotals.filter((total) => total > 0).length;
  const c = columnTotals.filter((total) => total > 0).length;
  if (n === 0 || r < 2 || c < 2) return 0;
  let chi2 = 0;
  for (let x = 0; x < a.count; x += 1) {
    if (rowTotals[x] === 0) continue;
    for (let y = 0; y < b.count; y += 1) {
      if (columnTotals[y] === 0) continue;
      const expected = (rowTotals[x] * columnTotals[y]) / n;
      chi2 += (table[x * b.count + y] - expected) ** 2 / expected;
    }
  }
  return Math.sqrt(Math.min(1, chi2 / (n * (Math.min(r, c) - 1))));
}

function correlationRatioOfCodes(categories: Categories, values: readonly number[]): number {
  const counts = new Float64Array(categories.count);
  const sums = new Float64Array(categories.count);
  let n = 0;
  let total = 0;
  for (let row = 0; row < categories.codes.length; row += 1) {
    const code = categories.codes[row];
    const value = values[row];
    if (code < 0 || !Number.isFinite(value)) continue;
    counts[code] += 1;
    sums[code] += value;
    n += 1;
    total += value;
  }
  if (n === 0 || counts.filter((count) => count > 0).length < 2) return 0;
  const mean = total / n;
  let totalSquares = 0;
  for (let row = 0; row < categories.codes.length; row += 1) {
    const value = values[row];
    if (categories.codes[row] < 0 || !Number.isFinite(value)) continue;
    totalSquares += (value - mean) ** 2;
  }
  if (totalSquares === 0) return 0;
  let betweenSquares = 0;
  for (let code = 0; code < categories.count; code += 1) if (counts[code] > 0) betweenSquares += counts[code] * (sums[code] / counts[code] - mean) ** 2;
  return Math.sqrt(Math.min(1, betweenSquares / totalSquares));
}

/**
 * Cramér's V between two categorical columns (0 = independent, 1 = one determines the other), without bias
 * correction: √(χ² / (n · (min(r, c) − 1))). Rows where either is missing (null) are left out.
 */
export function cramersV(a: readonly (string | null | undefined)[], b: readonly (string | null | undefined)[]): number {
  return cramersVOfCodes(categoryCodes(a), categoryCodes(b));
}

/**
 * Correlation ratio η of a numeric column on a categorical one: √(between-group / total sum of squares), 0–1. With
 * two categories it equals |point-biserial correlation|. Rows with a missing category or a non-finite value are left out.
 */
export function correlationRatio(categories: readonly (string | null | undefined)[], values: readonly number[]): number {
  return correlationRatioOfCodes(categoryCodes(categories), values);
}

export interface ProxyFlag {
  feature: string;
  /** "direct": the sensitive attribute itself is a model input; otherwise the measure of association used. */
  measure: "direct" | "cramers_v" | "correlation_ratio";
  /** 1 for a direct input; the association otherwise. */
  strength: number;
}

/**
 * Model inputs that are the sensitive attribute itself or a close proxy of it (association ≥ threshold): Cramér's V
 * for a text input, the correlation ratio for a numeric one. Strongest first.
 */
export function proxyFlags(
  attribute: string,
  attributeValues: readonly (string | null | undefined)[],
  features: { name: string; values: readonly unknown[] }[],
  threshold = PROXY_ASSOCIATION_THRESHOLD,
): ProxyFlag[] {
  const flags: ProxyFlag[] = [];
  const attributeCodes = categoryCodes(attributeValues);
  for (const feature of features) {
    if (feature.name === attribute) {
      flags.push({ feature: feature.name, measure: "direct", strength: 1 });
      continue;
    }
    const numeric = feature.values.every((value) => typeof value === "number");
    const strength = numeric
      ? correlationRatioOfCodes(attributeCodes, feature.values as readonly number[])
      : cramersVOfCodes(attributeCodes, categoryCodes(feature.values.map((value) => (value === null || value === undefined || value === "" ? null : String(value)))));
    if (strength >= threshold) flags.push({ feature: feature.name, measure: numeric ? "correlation_ratio" : "cramers_v", strength });
  }
  return flags.sort((x, y) => y.strength - x.strength);
}
