// tRPC procedures of notifications: admins' webhooks and delivery log, and each user's own notifications.
import { z } from "zod";
import { createTrpcRouter, protectedProcedure } from "../trpc";
import { listMyNotifications, markNotificationsRead } from "./notifications";
import {
  zCreatedWebhook,
  zCreateWebhook,
  zHookId,
  zMarkRead,
  zNotificationList,
  zUpdateWebhook,
  zWebhookDelivery,
  zWebhookSummary,
} from "./schema";
import { createWebhook, deleteWebhook, listWebhookDeliveries, listWebhooks, resendWebhookDelivery, updateWebhook } from "./webhooks";

export const notificationsRouter = createTrpcRouter({
  webhooks: protectedProcedure.output(z.array(zWebhookSummary)).query(({ ctx }) => listWebhooks(ctx)),
  createWebhook: protectedProcedure.input(zCreateWebhook).output(zCreatedWebhook).mutation(({ ctx, input }) => createWebhook(ctx, input)),
  updateWebhook: protectedProcedure.input(zUpdateWebhook).mutation(({ ctx, input }) => updateWebhook(ctx, input)),
  deleteWebhook: protectedProcedure.input(z.object({ hookId: zHookId })).mutation(({ ctx, input }) => deleteWebhook(ctx, input.hookId)),
  deliveries: protectedProcedure
    .input(z.object({ hookId: zHookId, limit: z.number().int().min(1).max(200).optional() }))
    .output(z.array(zWebhookDelivery))
    .query(({ ctx, input }) => listWebhookDeliveries(ctx, input)),
  resendDelivery: protectedProcedure
    .input(z.object({ deliveryId: z.number().int().positive() }))
    .output(z.object({ deliveryId: z.number() }))
    .mutation(({ ctx, input }) => resendWebhookDelivery(ctx, input.deliveryId)),
  mine: protectedProcedure.output(zNotificationList).query(({ ctx }) => listMyNotifications(ctx)),
  markRead: protectedProcedure.input(zMarkRead).output(z.object({ marked: z.number() })).mutation(({ ctx, input }) => markNotificationsRead(ctx, input)),
});
