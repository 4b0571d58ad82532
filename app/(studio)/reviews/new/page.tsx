// Request a review of a model version (?model=&version=, filled in by the version page's link).
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { RequestReviewPage } from "@/components/review/request-review-form";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("review.request"))("title") };
}

export default async function NewReviewRoute() {
  const t = await getTranslations("review.request");
  return (
    <MoreClientMessages namespaces={["comparison", "fairness", "review", "reviewSentences", "value"]}>
      <Suspense fallback={<p role="status">{t("loadingForm")}</p>}>
        <RequestReviewPage />
      </Suspense>
    </MoreClientMessages>
  );
}
