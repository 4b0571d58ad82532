// Zod contract of the review report's "why it decided" part: per-decision contributions, counterfactuals and the
// global mean |contribution| per feature. Imported by server/review/schema.ts into the evaluation report.
import { z } from "zod";

const zCellValue = z.union([z.number(), z.string(), z.null()]);

export const zExplanationCounterfactual = z.object({
  found: z.boolean(),
  /** Changed features with their old and new values; empty when none was found within the ranges. */
  changes: z.array(z.object({ feature: z.string(), from: zCellValue, to: zCellValue })),
  /** Probability of the positive class after the change (found), or of the row as it is (not found). */
  output: z.number(),
});
export type ExplanationCounterfactual = z.infer<typeof zExplanationCounterfactual>;

export const zExplainedDecision = z.object({
  /** Row number in the evaluation file (1 = first data row). */
  rowNumber: z.number(),
  /** worst_error: among the highest-loss rows; sample: drawn at random (seeded). */
  reason: z.enum(["worst_error", "sample"]),
  /** Feature values in the order of `features` (null = missing). */
  values: z.array(zCellValue),
  truth: z.string(),
  predicted: z.string(),
  /** Log loss of the true class (classifiers) or |truth − prediction| (regressors). */
  loss: z.number(),
  /** The class whose probability is explained (classifiers); null for a regressor's value. */
  explainedClass: z.string().nullable(),
  /** The explained output, the base value and the contributions: Σ contributions = output − baseValue. */
  output: z.number(),
  baseValue: z.number(),
  contributions: z.array(z.number()),
  method: z.enum(["exact", "kernel"]),
  /** Binary classifiers only: the smallest change (all features treated as actionable) that flips the decision. */
  counterfactual: zExplanationCounterfactual.nullable(),
});
export type ExplainedDecision = z.infer<typeof zExplainedDecision>;

export const zExplanations = z.object({
  features: z.array(z.string()),
  /** Where the background rows came from: the training dataset version in the lineage, else the evaluation rows. */
  backgroundSource: z.enum(["training", "evaluation"]),
  /** Background rows the contributions were measured against (the first of a seeded sample of 100). */
  backgroundRows: z.number(),
  /** The 100-row sample's mean per numeric feature (null for text): the "usual" value a sentence compares with. */
  backgroundMeans: z.array(z.number().nullable()),
  /** |Σ contributions − (output − base value)| stays under this for every decision. */
  sumTolerance: z.number(),
  /** Decision threshold on the positive class probability used for counterfactuals (binary only). */
  threshold: z.number().nullable(),
  decisions: z.array(zExplainedDecision),
  /** Mean |contribution| per feature (order of `features`) over a seeded sample of rows, beside permutation importance. */
  global: z.object({ rows: z.number(), meanAbsContribution: z.array(z.number()) }),
});
export type Explanations = z.infer<typeof zExplanations>;
