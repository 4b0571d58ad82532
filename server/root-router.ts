// The studio's tRPC API: one router per area, merged here.
import { createTrpcRouter } from "./trpc";
import { authRouter } from "./auth/router";
import { trackingRouter } from "./tracking/router";

export const appRouter = createTrpcRouter({
  auth: authRouter,
  tracking: trackingRouter,
});

export type AppRouter = typeof appRouter;
