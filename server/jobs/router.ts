// tRPC procedures of the Jobs admin page (admins): list, retry a failed job, cancel a queued one.
import { z } from "zod";
import { createTrpcRouter, protectedProcedure } from "../trpc";
import { cancelJob, listJobs, retryJob } from "./admin";
import { zJobId, zJobList, zJobListInput } from "./schema";

export const jobsRouter = createTrpcRouter({
  list: protectedProcedure.input(zJobListInput).output(zJobList).query(({ ctx, input }) => listJobs(ctx, input)),
  retry: protectedProcedure.input(zJobId).output(z.object({ jobId: z.number() })).mutation(({ ctx, input }) => retryJob(ctx, input)),
  cancel: protectedProcedure.input(zJobId).output(z.object({ jobId: z.number() })).mutation(({ ctx, input }) => cancelJob(ctx, input)),
});
