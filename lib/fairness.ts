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
      size.fill(0);
      selected.fill(0);
      correct.fill(0);
      positives.fill(0);
      truePositives.fill(0);
      for (let i = 0; i < rows.length; i += 1) {
        const row = rows[i];
        const group = groupIndex[row];
        const label = labels[row];
        const prediction = predictions[row];
        size[group] += 1;
        selected[group] += prediction;
        if (label === prediction) correct[group] += 1;
        positives[group] += label;
        if (label === 1 && prediction === 1) truePositives[group] += 1;
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

/**
 * Cramér's V between two categorical columns (0 = independent, 1 = one determines the other), without bias
 * correction: √(χ² / (n · (min(r, c) − 1))). Rows where either is missing (null) are left out.
 */
export function cramersV(a: readonly (string | null | undefined)[], b: readonly (string | null | undefined)[]): number {
  const table = new Map<string, Map<string, number>>();
  const columnTotals = new Map<string, number>();
  let n = 0;
  for (let row = 0; row < a.length; row += 1) {
    const x = a[row];
    const y = b[row];
    if (x === null || x === undefined || y === null || y === undefined) continue;
    const counts = table.get(x) ?? new Map<string, number>();
    counts.set(y, (counts.get(y) ?? 0) + 1);
    table.set(x, counts);
    columnTotals.set(y, (columnTotals.get(y) ?? 0) + 1);
    n += 1;
  }
  const r = table.size;
  const c = columnTotals.size;
  if (n === 0 || r < 2 || c < 2) return 0;
  let chi2 = 0;
  for (const counts of table.values()) {
    let rowTotal = 0;
    for (const count of counts.values()) rowTotal += count;
    for (const [y, columnTotal] of columnTotals) {
      const expected = (rowTotal * columnTotal) / n;
      const observed = counts.get(y) ?? 0;
      chi2 += (observed - expected) ** 2 / expected;
    }
  }
  return Math.sqrt(chi2 / (n * (Math.min(r, c) - 1)));
}

/**
 * Correlation ratio η of a numeric column on a categorical one: √(between-group / total sum of squares), 0–1. With
 * two categories it equals |point-biserial correlation|. Rows with a missing category or a non-finite value are left out.
 */
export function correlationRatio(categories: readonly (string | null | undefined)[], values: readonly number[]): number {
  const sums = new Map<string, { count: number; sum: number }>();
  let n = 0;
  let total = 0;
  for (let row = 0; row < categories.length; row += 1) {
    const category = categories[row];
    const value = values[row];
    if (category === null || category === undefined || !Number.isFinite(value)) continue;
    const entry = sums.get(category) ?? { count: 0, sum: 0 };
    entry.count += 1;
    entry.sum += value;
    sums.set(category, entry);
    n += 1;
    total += value;
  }
  if (n === 0 || sums.size < 2) return 0;
  const mean = total / n;
  let totalSquares = 0;
  for (let row = 0; row < categories.length; row += 1) {
    const category = categories[row];
    const value = values[row];
    if (category === null || category === undefined || !Number.isFinite(value)) continue;
    totalSquares += (value - mean) ** 2;
  }
  if (totalSquares === 0) return 0;
  let betweenSquares = 0;
  for (const { count, sum } of sums.values()) betweenSquares += count * (sum / count - mean) ** 2;
  return Math.sqrt(Math.min(1, betweenSquares / totalSquares));
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
  for (const feature of features) {
    if (feature.name === attribute) {
      flags.push({ feature: feature.name, measure: "direct", strength: 1 });
      continue;
    }
    const numeric = feature.values.every((value) => typeof value === "number");
    const strength = numeric
      ? correlationRatio(attributeValues, feature.values as readonly number[])
      : cramersV(attributeValues, feature.values.map((value) => (value === null || value === undefined || value === "" ? null : String(value))));
    if (strength >= threshold) flags.push({ feature: feature.name, measure: numeric ? "correlation_ratio" : "cramers_v", strength });
  }
  return flags.sort((x, y) => y.strength - x.strength);
}
