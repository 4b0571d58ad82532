// Admin page: Webhooks and their delivery log.
import type { Metadata } from "next";
import { Suspense } from "react";
import { WebhooksPanel } from "@/components/admin/webhooks-panel";

export const metadata: Metadata = { title: "Webhooks" };

export default function AdminWebhooksPage() {
  return (
    <>
      <h1>Webhooks</h1>
      <p>
        Each subscribed event is POSTed as JSON (with a Slack-compatible <code>text</code> field), signed with the hook&apos;s secret, and retried with
        growing waits when the receiver fails.
      </p>
      <Suspense>
        <WebhooksPanel />
      </Suspense>
    </>
  );
}
