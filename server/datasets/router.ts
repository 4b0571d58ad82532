// tRPC procedures of the dataset registry: zod in → service → result. Uploads go through REST (POST /api/datasets/upload).
import { z } from "zod";
import { createTrpcRouter, protectedProcedure } from "../trpc";
import { getDatasetLineage } from "./lineage";
import { matchLoggedDatasets } from "./dataset-matching";
import { getDatasetRoot } from "./dataset-store";
import { deleteDatasetVersion } from "./delete-version";
import {
  addQualityRule,
  deleteQualityRule,
  getDataset,
  getDatasetVersion,
  listDatasets,
  markVersionQuality,
  updateDatasetMetadata,
} from "./registry";
import { compareDatasetVersions, previewDatasetVersion, recheckVersionQuality } from "./version-files";
import { zDatasetMetadata, zDatasetName, zQualityRuleInput, zVersionKey } from "./schema";
import { authorize } from "../auth/permissions";

export const datasetsRouter = createTrpcRouter({
  list: protectedProcedure
    .input(z.object({ search: z.string().max(200).optional() }))
    .query(({ ctx, input }) => listDatasets(ctx, input)),
  get: protectedProcedure.input(z.object({ name: zDatasetName })).query(({ ctx, input }) => getDataset(ctx, input.name)),
  version: protectedProcedure.input(zVersionKey).query(({ ctx, input }) => getDatasetVersion(ctx, input.name, input.version)),
  preview: protectedProcedure
    .input(zVersionKey.extend({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => previewDatasetVersion(ctx, input)),
  compare: protectedProcedure
    .input(z.object({ name: zDatasetName, reference: z.number().int().positive(), current: z.number().int().positive() }))
    .query(({ ctx, input }) => compareDatasetVersions(ctx, input)),
  lineage: protectedProcedure.input(z.object({ name: zDatasetName })).query(({ ctx, input }) => getDatasetLineage(ctx, input.name)),
  /** The registry version of each dataset a run logged (by content digest, else by name and source), in the order given. */
  matchLogged: protectedProcedure
    .input(z.object({ datasets: z.array(z.object({ name: z.string().max(500), digest: z.string().max(128), source: z.string().max(10_000) })).max(200) }))
    .query(async ({ ctx, input }) => {
      authorize(ctx.actor, "studio.read");
      return matchLoggedDatasets(ctx.db, input.datasets);
    }),
  updateMetadata: protectedProcedure
    .input(zDatasetMetadata.extend({ name: zDatasetName }))
    .mutation(({ ctx, input }) => {
      const { name, ...changes } = input;
      return updateDatasetMetadata(ctx, name, changes);
    }),
  addRule: protectedProcedure
    .input(z.object({ name: zDatasetName, rule: zQualityRuleInput }))
    .mutation(({ ctx, input }) => addQualityRule(ctx, input.name, input.rule)),
  deleteRule: protectedProcedure
    .input(z.object({ name: zDatasetName, ruleId: z.number().int().positive() }))
    .mutation(({ ctx, input }) => deleteQualityRule(ctx, input.name, input.ruleId)),
  /** Evaluates the dataset's current rules on a version again (rules added after it was registered). */
  recheckQuality: protectedProcedure.input(zVersionKey).mutation(({ ctx, input }) => recheckVersionQuality(ctx, input)),
  /** Deletes a version and its file, unless a review, a monitoring reference or profiling still needs it. */
  deleteVersion: protectedProcedure.input(zVersionKey).mutation(({ ctx, input }) => deleteDatasetVersion(ctx, getDatasetRoot(), input)),
  markQuality: protectedProcedure
    .input(zVersionKey.extend({ failed: z.boolean(), reason: z.string().max(2000) }))
    .mutation(({ ctx, input }) => markVersionQuality(ctx, input)),
});
