// Reviews: acceptance reviews of model versions, filtered by what waits for whom, and the way to request one.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { ReviewsList } from "@/components/review/reviews-list";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("reviews"))("title") };
}

export default async function ReviewsPage() {
  const t = await getTranslations("reviews");
  return (
    <MoreClientMessages namespaces={["reviewSentences", "reviews"]}>
      <Suspense fallback={<p role="status">{t("loading")}</p>}>
        <ReviewsList />
      </Suspense>
    </MoreClientMessages>
  );
}
