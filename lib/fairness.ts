// Group fairness of a binary classifier (per-group selection rate, accuracy, TPR, FPR; demographic-parity and equal-opportunity gaps) as fairlearn defines them.

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
