// Admin page: Webhooks and their delivery log.
import type { Metadata } from "next";
import { Suspense } from "react";
import { getTranslations } from "next-intl/server";
import { WebhooksPanel } from "@/components/admin/webhooks-panel";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("webhooks"))("title") };
}

export default async function AdminWebhooksPage() {
  const t = await getTranslations("webhooks");
  return (
    <MoreClientMessages namespaces={["webhooks"]}>
      <h1>{t("title")}</h1>
      <p>{t.rich("intro", { code: (chunks) => <code>{chunks}</code> })}</p>
      <Suspense>
        <WebhooksPanel />
      </Suspense>
    </MoreClientMessages>
  );
}
