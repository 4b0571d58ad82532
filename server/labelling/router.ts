// tRPC procedures of the labelling loop: zod in → service → zod out.
import { z } from "zod";
import { createTrpcRouter, protectedProcedure } from "../trpc";
import { exportLabelsAsDataset } from "./export";
import { giveLabel, nextLabellingItem, undoLastLabel } from "./labels";
import { fillLabellingQueue } from "./fill";
import { configureLabellingQueue, getLabellingQueue, listLabellingQueues } from "./queue";
import { zConfigureQueue, zExportLabels, zExportResult, zFillResult, zGiveLabel, zLabelOutcome, zLabellingQueue, zNextItem, zQueueRef, zQueueSummary } from "./schema";

export const labellingRouter = createTrpcRouter({
  queues: protectedProcedure.output(z.array(zQueueSummary)).query(({ ctx }) => listLabellingQueues(ctx)),
  queue: protectedProcedure
    .input(zQueueRef)
    .output(zLabellingQueue.nullable())
    .query(({ ctx, input }) => getLabellingQueue(ctx, input)),
  configure: protectedProcedure.input(zConfigureQueue).mutation(async ({ ctx, input }) => {
    await configureLabellingQueue(ctx, input);
    return { ok: true as const };
  }),
  fill: protectedProcedure
    .input(zQueueRef)
    .output(zFillResult)
    .mutation(({ ctx, input }) => fillLabellingQueue(ctx, input)),
  next: protectedProcedure
    .input(zQueueRef)
    .output(zNextItem)
    .query(({ ctx, input }) => nextLabellingItem(ctx, input)),
  label: protectedProcedure
    .input(zGiveLabel)
    .output(zLabelOutcome)
    .mutation(({ ctx, input }) => giveLabel(ctx, input)),
  undo: protectedProcedure
    .input(zQueueRef)
    .output(z.object({ itemId: z.number() }))
    .mutation(({ ctx, input }) => undoLastLabel(ctx, input)),
  export: protectedProcedure
    .input(zExportLabels)
    .output(zExportResult)
    .mutation(({ ctx, input }) => exportLabelsAsDataset(ctx, input)),
});
