// tRPC procedures of erasure: dry run, erase, and the dataset versions that hold the subject's key (admins).
import { createTrpcRouter, protectedProcedure } from "../trpc";
import { findSubjectInDatasets } from "./datasets";
import { deriveVersionWithoutSubject } from "./derive-version";
import { zDatasetSearch, zDerivedVersion, zDeriveWithoutSubject, zErasureCounts, zSubjectKey } from "./schema";
import { eraseSubject, planErasure } from "./service";

export const erasureRouter = createTrpcRouter({
  plan: protectedProcedure.input(zSubjectKey).output(zErasureCounts).query(({ ctx, input }) => planErasure(ctx, input)),
  erase: protectedProcedure.input(zSubjectKey).output(zErasureCounts).mutation(({ ctx, input }) => eraseSubject(ctx, input)),
  /** A new version of a dataset without the subject's rows (the stored one is never rewritten). */
  deriveDatasetVersion: protectedProcedure
    .input(zDeriveWithoutSubject)
    .output(zDerivedVersion)
    .mutation(({ ctx, input }) => deriveVersionWithoutSubject(ctx, input)),
  datasets: protectedProcedure.input(zSubjectKey).output(zDatasetSearch).query(({ ctx, input }) => findSubjectInDatasets(ctx, input)),
});
