// The fairness part of the evaluation for one sensitive attribute: rates and gaps (lib/fairness) for the favourable
// outcome the requester chose, with bootstrap intervals, small-group warnings and proxy flags a committee can defend.
import { fairnessIntervals, fairnessReport, MISSING_GROUP, PROXY_ASSOCIATION_THRESHOLD, proxyFlags, smallGroups } from "@/lib/fairness";
import type { ColumnTable } from "@/lib/permutation-importance";
import { invalidParameter } from "../errors";
import type { FairnessAttributeReport } from "./schema";

/** Resamples of the fairness intervals: 1,000 gives 95% bounds stable to about ±0.005 on a rate. */
export const FAIRNESS_RESAMPLES = 1000;
/**
 * Above this many rows the intervals use fewer resamples so that the evaluation of 100,000 rows stays in its time
 * budget: the resampling is O(rows × resamples) per attribute, and intervals on that many rows are narrow anyway.
 */
const LARGE_ROWS = 20_000;
const LARGE_RESAMPLES = 200;

/**
 * The index of the favourable class among the model's classes: the label value the requester chose (matched as
 * written, or as the same number written another way), else the positive class (index 1).
 */
export function favourableClassIndex(classes: readonly string[], favourable: string | null | undefined): number {
  if (favourable === null || favourable === undefined || favourable === "") return 1;
  const exact = classes.indexOf(favourable);
  if (exact >= 0) return exact;
  const asNumber = Number(favourable);
  const numeric = Number.isFinite(asNumber) ? classes.findIndex((name) => Number(name) === asNumber) : -1;
  if (numeric >= 0) return numeric;
  throw invalidParameter(
    `The favourable outcome '${favourable}' is not one of the model's classes (${classes.join(", ")}); pick one of them in the review request.`,
  );
}

/** 1 where the class is the favourable one, 0 otherwise. */
export function favourableIndicator(classIndices: readonly number[], favourable: number): number[] {
  return classIndices.map((index) => (index === favourable ? 1 : 0));
}

export interface AttributeFairnessInput {
  attribute: string;
  /** Each labelled row's attribute value (null = missing). */
  groups: (string | null)[];
  /** True and predicted classes as 0/1 for the favourable outcome. */
  labels: number[];
  predictions: number[];
  favourableOutcome: string;
  /** The model's input features on the same rows, for proxy detection. */
  features: ColumnTable;
  featureNames: string[];
  seed: number;
}

export function attributeFairness(input: AttributeFairnessInput): FairnessAttributeReport {
  const base = fairnessReport(input.labels, input.predictions, input.groups);
  const rows = input.labels.length;
  const intervals = fairnessIntervals(input.labels, input.predictions, input.groups, {
    resamples: rows > LARGE_ROWS ? LARGE_RESAMPLES : FAIRNESS_RESAMPLES,
    seed: input.seed,
  });
  // Missing attribute values form their own group in the rates; for the association they are a category too.
  const attributeValues = input.groups.map((group) => group ?? MISSING_GROUP);
  const proxies = proxyFlags(
    input.attribute,
    attributeValues,
    input.featureNames.map((name) => ({ name, values: input.features[name] ?? [] })),
  );
  return {
    attribute: input.attribute,
    ...base,
    favourableOutcome: input.favourableOutcome,
    intervals,
    smallGroups: smallGroups(base.groups),
    proxies,
    proxyThreshold: PROXY_ASSOCIATION_THRESHOLD,
  };
}
