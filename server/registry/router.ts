// tRPC procedures of the model registry for the studio's pages: zod in → service → zod out.
import { z } from "zod";
import { createTrpcRouter, protectedProcedure } from "../trpc";
import { deleteModelAlias, getRegisteredModelDetail, listRegisteredModels, setModelAlias, updateRegisteredModel } from "./registered-models";
import { deleteModelVersion, getModelVersionDetail, transitionModelVersionStage, updateModelVersion } from "./model-versions";
import { deriveVersionWithoutZipMap, registerRunArtifact } from "./onnx-versions";
import { previewOnnxGraph, zOnnxGraphPreview, zOnnxGraphSource } from "./onnx-graph";
import { scorePlaygroundRow, zPlaygroundRowRequest, zPlaygroundRowResult } from "./playground-scoring";
import { zModelVersionDetail, zRegisteredModel, zRegisteredModelDetail } from "./schema";

const zName = z.string().min(1).max(500);
const zVersion = z.union([z.string().regex(/^\d+$/, "Version numbers are whole numbers"), z.number().int().positive()]).transform(String);
const zVersionRef = z.object({ name: zName, version: zVersion });

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
  /** The graph preview of a run's .onnx artifact or a version's model (run artifact preview, version page). */
  onnxGraph: protectedProcedure
    .input(zOnnxGraphSource)
    .output(zOnnxGraphPreview)
    .query(({ ctx, input }) => previewOnnxGraph(ctx, input)),
  /** One playground row scored by the server's onnxruntime-node while the browser's runtime is still loading. */
  scorePlaygroundRow: protectedProcedure
    .input(zPlaygroundRowRequest)
    .output(zPlaygroundRowResult)
    .mutation(({ ctx, input }) => scorePlaygroundRow(ctx, input)),
  registerFromRun: protectedProcedure
    .input(z.object({ name: zName, runId: z.string().min(1).max(64), artifactPath: z.string().min(1).max(1000), description: z.string().max(10_000).optional() }))
    .mutation(({ ctx, input }) => registerRunArtifact(ctx, input)),
  deriveWithoutZipMap: protectedProcedure.input(zVersionRef).mutation(({ ctx, input }) => deriveVersionWithoutZipMap(ctx, input)),
  setAlias: protectedProcedure
    .input(zVersionRef.extend({ alias: z.string().trim().min(1).max(255), overrideReason: z.string().trim().max(2000).optional() }))
    .mutation(async ({ ctx, input }) => {
      await setModelAlias(ctx, input);
      return { ok: true as const };
    }),
  deleteAlias: protectedProcedure
    .input(z.object({ name: zName, alias: z.string().min(1).max(255), reason: z.string().trim().max(2000).optional() }))
    .mutation(async ({ ctx, input }) => {
      await deleteModelAlias(ctx, input);
      return { ok: true as const };
    }),
  updateModelDescription: protectedProcedure
    .input(z.object({ name: zName, description: z.string().max(100_000) }))
    .mutation(({ ctx, input }) => updateRegisteredModel(ctx, input)),
  updateVersionDescription: protectedProcedure
    .input(zVersionRef.extend({ description: z.string().max(100_000) }))
    .mutation(({ ctx, input }) => updateModelVersion(ctx, input)),
  /** Deletes a version unless it is in production, holds an alias or is under an undecided review (409 says which). */
  deleteVersion: protectedProcedure.input(zVersionRef).mutation(async ({ ctx, input }) => {
    await deleteModelVersion(ctx, input.name, input.version);
    return { ok: true as const };
  }),
  transitionStage: protectedProcedure
    .input(zVersionRef.extend({ stage: z.enum(["None", "Staging", "Production", "Archived"]), archiveExisting: z.boolean().default(false) }))
    .mutation(({ ctx, input }) =>
      transitionModelVersionStage(ctx, { name: input.name, version: input.version, stage: input.stage, archive_existing_versions: input.archiveExisting }),
    ),
});
