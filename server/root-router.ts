// The studio's tRPC API: one router per area, merged here.
import { createTrpcRouter } from "./trpc";
import { trackingRouter } from "./tracking/router";

export const appRouter = createTrpcRouter({
  tracking: trackingRouter,
});

export type AppRouter = typeof appRouter;
