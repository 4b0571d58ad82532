// What an explanation's sentence says ("income below 1,800 pushed the score down most"): the features with the
// largest contributions, their value against the background's usual value, and the way they pushed. Words come from
// the "reasons" message catalogue; this file picks what to say.
import type { FeatureValue } from "./shapley";

export interface SentencePart {
  feature: string;
  value: FeatureValue;
  /** The background's mean for a number (the "usual" value the contribution is measured against); null for text. */
  reference: number | null;
  /** The value against the reference; "is" for text. */
  relation: "above" | "below" | "at" | "is";
  direction: "up" | "down";
  contribution: number;
}

/** Mean of each numeric feature over the background rows; null for text features. */
export function backgroundMeans(background: readonly (readonly FeatureValue[])[]): (number | null)[] {
  if (background.length === 0) return [];
  return background[0].map((_, j) => {
    if (background.some((row) => typeof row[j] !== "number")) return null;
    return background.reduce((sum, row) => sum + (row[j] as number), 0) / background.length;
  });
}

/**
 * The `count` features that moved the output most (by |contribution|, ties in feature order), skipping those that
 * did not move it at all (|contribution| ≤ 1e-12 of the largest).
 */
export function sentenceParts(
  features: readonly string[],
  row: readonly FeatureValue[],
  contributions: readonly number[],
  means: readonly (number | null)[],
  count = 2,
): SentencePart[] {
  const largest = Math.max(0, ...contributions.map(Math.abs));
  if (largest === 0) return [];
  return contributions
    .map((contribution, index) => ({ contribution, index }))
    .filter((entry) => Math.abs(entry.contribution) > largest * 1e-12)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.index - b.index)
    .slice(0, count)
    .map(({ contribution, index }) => {
      const value = row[index];
      const reference = typeof value === "number" ? (means[index] ?? null) : null;
      const relation = typeof value !== "number" || reference === null ? "is" : value > reference ? "above" : value < reference ? "below" : "at";
      return { feature: features[index], value, reference, relation, direction: contribution > 0 ? "up" : "down", contribution };
    });
}
