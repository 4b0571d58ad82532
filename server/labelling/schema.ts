// Zod contracts of the labelling loop: queue settings, the item a labeller sees, labels, progress and export.
import { z } from "zod";
import { labellingStrategies } from "@/lib/labelling-strategies";
import { zDatasetName, zMaskingPolicyInput } from "../datasets/schema";

const zModelName = z.string().min(1).max(500);
export const zLabelValue = z.union([z.number().finite(), z.string().min(1).max(1000)]);

export const zLabellingStrategy = z.enum(labellingStrategies);

export const zConfigureQueue = z.object({
  name: zModelName,
  strategy: zLabellingStrategy,
  fillSize: z.number().int().min(1, "Fill at least 1 item").max(5000, "Fill at most 5,000 items at once"),
  labelsRequired: z.union([z.literal(1), z.literal(2)]),
});
export type ConfigureQueueInput = z.infer<typeof zConfigureQueue>;

export const zQueueRef = z.object({ name: zModelName });

export const zQueueProgress = z.object({
  items: z.number(),
  open: z.number(),
  agreed: z.number(),
  disputed: z.number(),
  /** Items waiting for a third labeller after two disagreed. */
  awaitingThird: z.number(),
  agreementRate: z.number().nullable(),
  /** Items with two labels (the denominator of the rate). */
  pairs: z.number(),
});

export const zLabellingQueue = z.object({
  model: z.string(),
  strategy: zLabellingStrategy,
  fillSize: z.number(),
  labelsRequired: z.union([z.literal(1), z.literal(2)]),
  classes: z.array(z.string()),
  updatedBy: z.string(),
  updatedAt: z.number(),
  progress: zQueueProgress,
});
export type LabellingQueue = z.infer<typeof zLabellingQueue>;

export const zQueueSummary = z.object({ model: z.string(), strategy: zLabellingStrategy, labelsRequired: z.number(), progress: zQueueProgress, waitingForMe: z.number() });

export const zFillResult = z.object({ added: z.number(), candidates: z.number() });

/**
 * What a labeller sees: the logged inputs in the model's column order, the classes, and no model answer — seeing it
 * would anchor the label on the model's guess, and the label is there to judge that guess.
 */
export const zLabellingItem = z.object({
  itemId: z.number(),
  requestId: z.string(),
  rowIndex: z.number(),
  inputs: z.array(z.tuple([z.string(), z.union([z.number(), z.string(), z.null()])])),
  /** This labeller is the third one, asked because the first two disagreed. */
  tieBreak: z.boolean(),
});

export const zNextItem = z.object({
  model: z.string(),
  classes: z.array(z.string()),
  item: zLabellingItem.nullable(),
  /** Labels (and skips) this labeller gave in the queue, and items still waiting for this labeller. */
  doneByMe: z.number(),
  waitingForMe: z.number(),
  /** The last item this labeller answered, which undo takes back (null: nothing to undo). */
  undoable: z.object({ itemId: z.number(), label: zLabelValue.nullable() }).nullable(),
});
export type NextItem = z.infer<typeof zNextItem>;

export const zGiveLabel = z.object({ name: zModelName, itemId: z.number().int().positive(), label: zLabelValue.nullable() });
export const zLabelOutcome = z.object({ status: z.enum(["open", "agreed", "disputed"]) });

export const zExportLabels = z.object({
  name: zModelName,
  datasetName: zDatasetName,
  labelColumn: z.string().trim().min(1).max(200).default("label"),
  masking: zMaskingPolicyInput.default({}),
  note: z.string().max(2000).optional(),
});
export type ExportLabelsInput = z.input<typeof zExportLabels>;
export const zExportResult = z.object({ dataset: z.string(), version: z.number(), rows: z.number(), created: z.boolean() });
