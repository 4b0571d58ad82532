// tRPC procedures of acceptance reviews: zod in → service → zod out.
import { z } from "zod";
import { createTrpcRouter, protectedProcedure } from "../trpc";
import {
  addReviewComment,
  decideReview,
  getReview,
  listReviews,
  productionGate,
  reevaluateReview,
  requestReview,
  reviewFormDefaults,
  setDecisionThreshold,
  updateReviewCriteria,
  withdrawApproval,
} from "./reviews";
import {
  zAcceptanceCriteria,
  zDecisionKind,
  zExceptionJustification,
  zProductionGate,
  zRequestReviewInput,
  zReviewDetail,
  zReviewFormDefaults,
  zReviewListFilter,
  zReviewSummary,
} from "./schema";

const zId = z.object({ id: z.number().int().positive() });
const zModelVersionText = z.union([z.string().regex(/^\d+$/, "Model versions are whole numbers"), z.number().int().positive()]).transform(String);

export const reviewRouter = createTrpcRouter({
  list: protectedProcedure
    .input(z.object({ filter: zReviewListFilter.default("all"), modelName: z.string().max(500).optional(), modelVersion: zModelVersionText.optional() }))
    .output(z.array(zReviewSummary))
    .query(({ ctx, input }) => listReviews(ctx, input)),
  get: protectedProcedure.input(zId).output(zReviewDetail).query(({ ctx, input }) => getReview(ctx, input.id)),
  formDefaults: protectedProcedure
    .input(
      z.object({
        modelName: z.string().min(1).max(500),
        modelVersion: zModelVersionText,
        datasetName: z.string().min(1).max(200).optional(),
        datasetVersion: z.number().int().positive().optional(),
      }),
    )
    .output(zReviewFormDefaults)
    .query(({ ctx, input }) => reviewFormDefaults(ctx, input)),
  request: protectedProcedure.input(zRequestReviewInput).mutation(({ ctx, input }) => requestReview(ctx, input)),
  comment: protectedProcedure
    .input(zId.extend({ body: z.string().trim().min(1, "Write a comment").max(10_000) }))
    .mutation(async ({ ctx, input }) => {
      await addReviewComment(ctx, input);
      return { ok: true as const };
    }),
  decide: protectedProcedure
    .input(zId.extend({ decision: zDecisionKind, comment: z.string().trim().max(10_000).default(""), exceptions: z.array(zExceptionJustification).max(50).default([]) }))
    .mutation(async ({ ctx, input }) => {
      await decideReview(ctx, input);
      return { ok: true as const };
    }),
  withdraw: protectedProcedure
    .input(zId.extend({ reason: z.string().trim().min(1, "Say why you withdraw your approval").max(10_000) }))
    .mutation(({ ctx, input }) => withdrawApproval(ctx, input)),
  updateCriteria: protectedProcedure
    .input(zId.extend({ criteria: zAcceptanceCriteria, requiredApprovals: z.number().int().min(1).max(10) }))
    .mutation(async ({ ctx, input }) => {
      await updateReviewCriteria(ctx, input);
      return { ok: true as const };
    }),
  setThreshold: protectedProcedure
    .input(zId.extend({ threshold: z.number().min(0).max(1) }))
    .mutation(({ ctx, input }) => setDecisionThreshold(ctx, input)),
  reevaluate: protectedProcedure.input(zId).mutation(async ({ ctx, input }) => {
    await reevaluateReview(ctx, input);
    return { ok: true as const };
  }),
  productionGate: protectedProcedure
    .input(z.object({ name: z.string().min(1).max(500), version: zModelVersionText }))
    .output(zProductionGate)
    .query(({ ctx, input }) => productionGate(ctx, input)),
});
