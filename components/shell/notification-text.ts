// The words of a notification in the reader's language (the bell's; pure, so a test can read it in any language).
import type { useTranslations } from "next-intl";
import type { NotificationList } from "@/server/notifications/schema";

/**
 * A notification in the reader's language: the types the bell words itself, from the event's values (a decision or
 * status it has no word for stays as stored); others, and notifications whose event was pruned, show the English text.
 */
export function notificationText(t: ReturnType<typeof useTranslations<"shell.notifications">>, n: NotificationList["items"][number]): string {
  const p = n.params;
  if (n.type === "review.requested" && p) return t("events.review_requested", p);
  if (n.type === "review.decided" && p) {
    const decision = p.decision && t.has(`decisions.${p.decision}` as "decisions.approve") ? t(`decisions.${p.decision}` as "decisions.approve") : (p.decision ?? "").replace(/_/g, " ");
    const status = p.status && t.has(`statuses.${p.status}` as "statuses.approved") ? t(`statuses.${p.status}` as "statuses.approved") : (p.status ?? "").replace(/_/g, " ");
    return t("events.review_decided", { ...p, decision, status });
  }
  return n.text;
}
