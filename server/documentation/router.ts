// tRPC procedures of a model version's technical file: read it, edit the model card's free-text sections.
import { z } from "zod";
import { createTrpcRouter, protectedProcedure } from "../trpc";
import { editModelCard } from "./model-card";
import { zEditModelCardInput, zModelCardSectionKey, zTechnicalFile, zVersionRef } from "./schema";
import { buildTechnicalFile } from "./technical-file";

export const documentationRouter = createTrpcRouter({
  technicalFile: protectedProcedure
    .input(zVersionRef)
    .output(zTechnicalFile)
    .query(({ ctx, input }) => buildTechnicalFile(ctx, input)),
  editCard: protectedProcedure
    .input(zEditModelCardInput)
    .output(z.object({ revision: z.number(), changed: z.array(zModelCardSectionKey) }))
    .mutation(({ ctx, input }) => editModelCard(ctx, input)),
});
