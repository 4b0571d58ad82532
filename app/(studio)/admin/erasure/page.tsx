// Admin page: erase a data subject's rows.
import type { Metadata } from "next";
import { Suspense } from "react";
import { getTranslations } from "next-intl/server";
import { ErasurePanel } from "@/components/admin/erasure-panel";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("erasure"))("metaTitle") };
}

export default async function AdminErasurePage() {
  const t = await getTranslations("erasure");
  return (
    <MoreClientMessages namespaces={["erasure"]}>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      <Suspense>
        <ErasurePanel />
      </Suspense>
    </MoreClientMessages>
  );
}
