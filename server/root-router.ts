// The studio's tRPC API: one router per area, merged here.
import { createTrpcRouter } from "./trpc";
import { authRouter } from "./auth/router";
import { trackingRouter } from "./tracking/router";
import { datasetsRouter } from "./datasets/router";
import { registryRouter } from "./registry/router";
import { reviewRouter } from "./review/router";
import { monitoringRouter } from "./monitoring/router";
import { documentationRouter } from "./documentation/router";
import { navigationRouter } from "./navigation/router";
import { notificationsRouter } from "./notifications/router";
import { erasureRouter } from "./erasure/router";
import { labellingRouter } from "./labelling/router";
import { deploymentsRouter } from "./deployments/router";
import { jobsRouter } from "./jobs/router";

export const appRouter = createTrpcRouter({
  auth: authRouter,
  tracking: trackingRouter,
  datasets: datasetsRouter,
  registry: registryRouter,
  review: reviewRouter,
  monitoring: monitoringRouter,
  documentation: documentationRouter,
  navigation: navigationRouter,
  notifications: notificationsRouter,
  erasure: erasureRouter,
  labelling: labellingRouter,
  deployments: deploymentsRouter,
  jobs: jobsRouter,
});

export type AppRouter = typeof appRouter;
