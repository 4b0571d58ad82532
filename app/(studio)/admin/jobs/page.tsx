// Admin page: the shared job queue (server/jobs): jobs by state, the reason a job failed, retry and cancel.
import type { Metadata } from "next";
import { Suspense } from "react";
import { getTranslations } from "next-intl/server";
import { JobsPanel } from "@/components/admin/jobs-panel";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("jobs"))("title") };
}

export default async function AdminJobsPage() {
  const t = await getTranslations("jobs");
  return (
    <MoreClientMessages namespaces={["jobs"]}>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      <Suspense>
        <JobsPanel />
      </Suspense>
    </MoreClientMessages>
  );
}
