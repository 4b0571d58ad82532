// tRPC procedures of the model registry for the studio's pages: zod in → service → zod out. Writes go through the MLflow REST API.
import { z } from "zod";
import { createTrpcRouter, protectedProcedure } from "../trpc";
import { getRegisteredModelDetail, listRegisteredModels } from "./registered-models";
import { getModelVersionDetail } from "./model-versions";
import { zModelVersionDetail, zRegisteredModel, zRegisteredModelDetail } from "./schema";

const zName = z.string().min(1).max(500);

export const registryRouter = createTrpcRouter({
  listModels: protectedProcedure
    .input(z.object({ search: z.string().max(200).optional() }))
    .output(z.array(zRegisteredModel))
    .query(({ ctx, input }) => listRegisteredModels(ctx, input)),
  model: protectedProcedure
    .input(z.object({ name: zName }))
    .output(zRegisteredModelDetail)
    .query(({ ctx, input }) => getRegisteredModelDetail(ctx, input.name)),
  version: protectedProcedure
    .input(z.object({ name: zName, version: z.union([z.string(), z.number().int()]).transform(String) }))
    .output(zModelVersionDetail)
    .query(({ ctx, input }) => getModelVersionDetail(ctx, input.name, input.version)),
});
