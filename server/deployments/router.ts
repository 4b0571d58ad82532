// tRPC procedures of a production deployment's traffic: canary, shadow, guard rules, live comparison.
import { z } from "zod";
import { createTrpcRouter, protectedProcedure } from "../trpc";
import { compareTraffic } from "./comparison";
import { evaluateGuards } from "./guards";
import { configureTraffic, getTrafficConfig, promoteCanary } from "./traffic";
import { zConfigureTrafficInput, zGuardOutcome, zTrafficComparison, zTrafficConfig } from "./schema";

const zName = z.object({ name: z.string().min(1).max(500) });

export const deploymentsRouter = createTrpcRouter({
  traffic: protectedProcedure.input(zName).output(zTrafficConfig).query(({ ctx, input }) => getTrafficConfig(ctx, input)),
  configureTraffic: protectedProcedure.input(zConfigureTrafficInput).output(zTrafficConfig).mutation(({ ctx, input }) => configureTraffic(ctx, input)),
  comparison: protectedProcedure
    .input(zName.extend({ minutes: z.number().int().min(1).max(7 * 24 * 60).optional() }))
    .output(zTrafficComparison)
    .query(({ ctx, input }) => compareTraffic(ctx, input)),
  evaluateGuards: protectedProcedure.input(zName).output(zGuardOutcome).mutation(({ ctx, input }) => evaluateGuards(ctx, input)),
  promoteCanary: protectedProcedure.input(zName).output(zTrafficConfig).mutation(({ ctx, input }) => promoteCanary(ctx, input)),
});
