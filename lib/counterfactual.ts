// Counterfactuals for a binary classifier: the smallest change to actionable features, inside the training data's
// ranges, that flips the decision ("approved if the loan were 2,400 lower"). A grid search over one feature, refined
// by a finer grid, then over pairs; distances in each feature's scale (its training std or range).
import type { BatchPredict, FeatureBatch, FeatureValue } from "./shapley";

/** What the training data allows for one feature: a numeric range with its scale, or the categories seen. */
export type FeatureRange = { kind: "numeric"; min: number; max: number; scale: number } | { kind: "categorical"; categories: string[] };

export interface CounterfactualOptions {
  /** Probability of the positive class per row. */
  predict: BatchPredict;
  /** Indices of the features the user may change. */
  actionable: readonly number[];
  /** Per feature (the row's order); null = unknown, so never changed. */
  ranges: readonly (FeatureRange | null)[];
  /** Positive when probability ≥ threshold (default 0.5). */
  threshold?: number;
  /** Grid points across a numeric range for single changes (default 24); pairs use a third of it. */
  gridSteps?: number;
  /** Most feature pairs tried (default 300). */
  maxPairs?: number;
}

export interface CounterfactualChange {
  feature: number;
  from: FeatureValue;
  to: FeatureValue;
}

export type Counterfactual =
  | { found: true; changes: CounterfactualChange[]; output: number; cost: number }
  /** Nothing within the ranges flips the decision on the actionable features (or none was actionable). */
  | { found: false; output: number };

interface Candidate {
  changes: CounterfactualChange[];
  cost: number;
}

function candidateValues(value: FeatureValue, range: FeatureRange, steps: number): { to: FeatureValue; cost: number }[] {
  if (range.kind === "categorical") return range.categories.filter((category) => category !== String(value)).map((to) => ({ to, cost: 1 }));
  if (typeof value !== "number" || !(range.max > range.min)) return [];
  const scale = range.scale > 0 ? range.scale : range.max - range.min;
  const values: { to: number; cost: number }[] = [];
  for (let step = 0; step < steps; step += 1) {
    const to = range.min + ((range.max - range.min) * step) / (steps - 1);
    if (to !== value) values.push({ to, cost: Math.abs(to - value) / scale });
  }
  return values;
}

/** Scores the row with each candidate's changes applied; probabilities in candidate order. */
async function scoreCandidates(row: readonly FeatureValue[], candidates: readonly Candidate[], predict: BatchPredict): Promise<ArrayLike<number>> {
  const rowCount = candidates.length;
  const columns: FeatureBatch["columns"] = row.map((value) => (typeof value === "string" ? new Array<string>(rowCount).fill(value) : new Float64Array(rowCount).fill(value)));
  candidates.forEach((candidate, r) => {
    for (const change of candidate.changes) (columns[change.feature] as FeatureValue[])[r] = change.to;
  });
  const scored = rowCount === 0 ? [] : await predict({ rowCount, columns });
  if (scored.length !== rowCount) throw new Error(`The model returned ${scored.length} values for ${rowCount} rows; expected one per row.`);
  return scored;
}

/** The smallest change found that flips the decision, or found: false. */
export async function findCounterfactual(row: readonly FeatureValue[], options: CounterfactualOptions): Promise<Counterfactual> {
  const threshold = options.threshold ?? 0.5;
  const steps = Math.max(3, options.gridSteps ?? 24);
  const [output] = Array.from(await scoreCandidates(row, [{ changes: [], cost: 0 }], options.predict));
  const positive = output >= threshold;
  const flips = (probability: number) => probability >= threshold !== positive;
  const features = [...new Set(options.actionable)].filter((feature) => options.ranges[feature] != null && feature >= 0 && feature < row.length);

  // One feature at a time, over a grid of its range.
  const singles: Candidate[] = features.flatMap((feature) =>
    candidateValues(row[feature], options.ranges[feature]!, steps).map(({ to, cost }) => ({ changes: [{ feature, from: row[feature], to }], cost })),
  );
  const singleScores = await scoreCandidates(row, singles, options.predict);
  const flipping = singles.map((candidate, index) => ({ candidate, probability: singleScores[index] })).filter((entry) => flips(entry.probability));
  if (flipping.length > 0) {
    flipping.sort((a, b) => a.candidate.cost - b.candidate.cost);
    const best = await refined(row, flipping[0].candidate, flipping[0].probability, options.ranges, steps, options.predict, flips);
    return { found: true, changes: best.candidate.changes, output: best.probability, cost: best.candidate.cost };
  }

  // Pairs, on a coarser grid.
  const pairSteps = Math.max(3, Math.round(steps / 3));
  const maxPairs = options.maxPairs ?? 300;
  const pairs: Candidate[] = [];
  let pairCount = 0;
  for (let i = 0; i < features.length && pairCount < maxPairs; i += 1) {
    for (let j = i + 1; j < features.length && pairCount < maxPairs; j += 1) {
      pairCount += 1;
      const [a, b] = [features[i], features[j]];
      for (const first of candidateValues(row[a], options.ranges[a]!, pairSteps)) {
        for (const second of candidateValues(row[b], options.ranges[b]!, pairSteps)) {
          pairs.push({ changes: [{ feature: a, from: row[a], to: first.to }, { feature: b, from: row[b], to: second.to }], cost: first.cost + second.cost });
        }
      }
    }
  }
  const pairScores = await scoreCandidates(row, pairs, options.predict);
  let bestPair: { candidate: Candidate; probability: number } | null = null;
  pairs.forEach((candidate, index) => {
    if (flips(pairScores[index]) && (bestPair === null || candidate.cost < bestPair.candidate.cost)) bestPair = { candidate, probability: pairScores[index] };
  });
  if (bestPair === null) return { found: false, output };
  const { candidate, probability } = bestPair as { candidate: Candidate; probability: number };
  return { found: true, changes: candidate.changes, output: probability, cost: candidate.cost };
}

/** A finer grid between the row's value and a flipping single change: the closest flip on it. */
async function refined(
  row: readonly FeatureValue[],
  candidate: Candidate,
  probability: number,
  ranges: readonly (FeatureRange | null)[],
  steps: number,
  predict: BatchPredict,
  flips: (probability: number) => boolean,
): Promise<{ candidate: Candidate; probability: number }> {
  const [change] = candidate.changes;
  const range = ranges[change.feature];
  if (range?.kind !== "numeric" || typeof change.from !== "number" || typeof change.to !== "number") return { candidate, probability };
  const from = change.from;
  const to = change.to;
  const scale = range.scale > 0 ? range.scale : range.max - range.min;
  const fine: Candidate[] = Array.from({ length: steps }, (_, step) => {
    const value = from + ((to - from) * (step + 1)) / (steps + 1);
    return { changes: [{ ...change, to: value }], cost: Math.abs(value - from) / scale };
  });
  const scores = await scoreCandidates(row, fine, predict);
  const index = fine.findIndex((_, i) => flips(scores[i]));
  return index === -1 ? { candidate, probability } : { candidate: fine[index], probability: scores[index] };
}

/** Feature ranges from background rows: min/max and std for numbers, the categories seen for text. */
export function rangesFromRows(rows: readonly (readonly FeatureValue[])[]): (FeatureRange | null)[] {
  if (rows.length === 0) return [];
  return rows[0].map((_, j) => {
    const values = rows.map((row) => row[j]);
    if (values.some((value) => typeof value === "string")) return { kind: "categorical" as const, categories: [...new Set(values.map(String))] };
    const numbers = (values as number[]).filter(Number.isFinite);
    if (numbers.length === 0) return null;
    const mean = numbers.reduce((sum, value) => sum + value, 0) / numbers.length;
    const std = Math.sqrt(numbers.reduce((sum, value) => sum + (value - mean) ** 2, 0) / numbers.length);
    return { kind: "numeric" as const, min: Math.min(...numbers), max: Math.max(...numbers), scale: std };
  });
}
