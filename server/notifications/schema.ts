// Zod schemas of webhooks, their delivery log, studio events and notifications: shared by router, services and pages.
import { z } from "zod";
import { zServerSentence, type ServerSentence } from "@/lib/i18n/server-sentence";

/** What a webhook can subscribe to; the audit actions and computations that raise each are in events.ts. */
export const studioEventTypes = [
  "review.requested",
  "review.decided",
  "model.promoted",
  "model.rolled_back",
  "canary.stopped",
  "monitoring.flagged",
  "dataset.quality_failed",
] as const;
export const zStudioEventType = z.enum(studioEventTypes);
export type StudioEventType = z.infer<typeof zStudioEventType>;

export interface StudioEvent {
  type: StudioEventType;
  /** In English: the webhook body's Slack-compatible `text`, and what pages show when `message` is null. */
  text: string;
  data: Record<string, unknown>;
  /** `text` as a catalogue code and its values, for the pages; null where the values are missing (the text is shown). */
  message?: ServerSentence | null;
}

/** Only http(s) URLs: no file:, gopher: or other schemes a fetch could be talked into. */
export const zWebhookUrl = z
  .string()
  .trim()
  .max(2000, "The URL is too long (2,000 characters at most).")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && !url.username && !url.password;
    } catch {
      return false;
    }
  }, { message: "Give an http:// or https:// URL without a user name or password in it, e.g. https://hooks.example.com/studio.", params: { sentence: "error.webhook.url" } });

export const zWebhookSecret = z
  .string()
  .min(16, "The secret must be at least 16 characters: the receiver uses it to check each body's signature.")
  .max(200, "The secret is too long (200 characters at most).");

export const zCreateWebhook = z.object({
  name: z.string().trim().min(1, "Give the webhook a name.").max(100, "The name is too long (100 characters at most)."),
  url: zWebhookUrl,
  /** Absent: the studio generates one and shows it once. */
  secret: zWebhookSecret.optional(),
  events: z.array(zStudioEventType).min(1, "Subscribe to at least one event.").max(studioEventTypes.length),
  enabled: z.boolean().default(true),
});
export type CreateWebhookInput = z.input<typeof zCreateWebhook>;

export const zHookId = z.number().int().positive();

export const zUpdateWebhook = z.object({
  hookId: zHookId,
  name: zCreateWebhook.shape.name.optional(),
  url: zWebhookUrl.optional(),
  events: zCreateWebhook.shape.events.optional(),
  enabled: z.boolean().optional(),
  /** A new secret replaces the old one (the old one stops verifying at once). */
  secret: zWebhookSecret.optional(),
});
export type UpdateWebhookInput = z.infer<typeof zUpdateWebhook>;

export const zWebhookSummary = z.object({
  hookId: z.number(),
  name: z.string(),
  url: z.string(),
  /** Only the last four characters, so an admin can tell secrets apart; the full one is shown once, at creation. */
  secretHint: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  createdBy: z.string(),
  createdAt: z.number(),
  deliveries: z.object({ delivered: z.number(), failed: z.number(), pending: z.number() }),
});
export type WebhookSummary = z.infer<typeof zWebhookSummary>;

export const zCreatedWebhook = z.object({ hookId: z.number(), secret: z.string() });

export const zDeliveryStatus = z.enum(["pending", "sending", "delivered", "failed"]);

export const zWebhookDelivery = z.object({
  deliveryId: z.number(),
  hookId: z.number(),
  eventId: z.number(),
  eventType: z.string(),
  /** The event's sentence in English, as stored (the webhook body's `text`). */
  text: z.string(),
  /** The same as a catalogue code and values, for the page; null for events stored before wordings were kept. */
  message: zServerSentence.nullable(),
  status: zDeliveryStatus,
  attempts: z.number(),
  responseCode: z.number().nullable(),
  error: z.string().nullable(),
  errorMessage: zServerSentence.nullable(),
  createdAt: z.number(),
  lastAttemptAt: z.number().nullable(),
  nextAttemptAt: z.number().nullable(),
});
export type WebhookDelivery = z.infer<typeof zWebhookDelivery>;

export const zNotification = z.object({
  notificationId: z.number(),
  type: z.string(),
  /** The sentence in English, as stored: shown when `message` is null or the bell does not know its code. */
  text: z.string(),
  /** The event's wording as a catalogue code and values; null when the event was pruned or predates stored wordings. */
  message: zServerSentence.nullable(),
  link: z.string().nullable(),
  createdAt: z.number(),
  read: z.boolean(),
});
export const zNotificationList = z.object({ unread: z.number(), items: z.array(zNotification) });
export type NotificationList = z.infer<typeof zNotificationList>;

export const zMarkRead = z.object({
  /** Absent: every notification of the signed-in user. */
  notificationIds: z.array(z.number().int().positive()).max(500).optional(),
});
