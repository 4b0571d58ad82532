// tRPC procedures of monitoring and deployments: zod in → service → zod out.
import { z } from "zod";
import { createTrpcRouter, protectedProcedure } from "../trpc";
import { aliasHistory, listDeployments, promoteVersion, rollbackProduction } from "../deployments/deployments";
import { getMonitoringView, listModelFlags, updateMonitoringSettings } from "./monitoring";
import { lastRetentionRun, zRetentionRun } from "./retention";
import { zAliasEvent, zDeployment, zModelFlag, zMonitoringSettingsInput, zMonitoringView, zWindowSize } from "./schema";

const zName = z.string().min(1).max(500);
const zVersionText = z.union([z.string().regex(/^\d+$/, "Model versions are whole numbers"), z.number().int().positive()]).transform(String);

export const monitoringRouter = createTrpcRouter({
  view: protectedProcedure
    .input(z.object({ name: zName, window: zWindowSize.default("hour"), windows: z.number().int().min(1).max(24 * 31).optional() }))
    .output(zMonitoringView)
    .query(({ ctx, input }) => getMonitoringView(ctx, input)),
  updateSettings: protectedProcedure.input(zMonitoringSettingsInput).mutation(async ({ ctx, input }) => {
    await updateMonitoringSettings(ctx, input);
    return { ok: true as const };
  }),
  /** The latest run of the retention job for this model (shown under its retention setting). */
  retention: protectedProcedure
    .input(z.object({ name: zName }))
    .output(zRetentionRun.nullable())
    .query(({ ctx, input }) => lastRetentionRun(ctx, input)),
  flags: protectedProcedure.output(z.record(z.string(), zModelFlag)).query(({ ctx }) => listModelFlags(ctx)),
  deployments: protectedProcedure.output(z.array(zDeployment)).query(({ ctx }) => listDeployments(ctx)),
  aliasHistory: protectedProcedure
    .input(z.object({ name: zName }))
    .output(z.array(zAliasEvent))
    .query(({ ctx, input }) => aliasHistory(ctx, input)),
  promote: protectedProcedure
    .input(z.object({ name: zName, version: zVersionText, overrideReason: z.string().trim().max(2000).optional() }))
    .mutation(async ({ ctx, input }) => {
      await promoteVersion(ctx, input);
      return { ok: true as const };
    }),
  rollback: protectedProcedure.input(z.object({ name: zName })).mutation(({ ctx, input }) => rollbackProduction(ctx, input)),
});
