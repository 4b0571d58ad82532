// tRPC procedures of studio-wide navigation: the command palette's search.
import { createTrpcRouter, permittedProcedure } from "../trpc";
import { zStudioSearchInput, zStudioSearchResult } from "./schema";
import { searchStudio } from "./studio-search";

export const navigationRouter = createTrpcRouter({
  search: permittedProcedure("studio.read")
    .input(zStudioSearchInput)
    .output(zStudioSearchResult)
    .query(({ ctx, input }) => searchStudio(ctx, input)),
});
