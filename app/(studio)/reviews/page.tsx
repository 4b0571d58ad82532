// Reviews: acceptance reviews of model versions, filtered by what waits for whom, and the way to request one.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { ReviewsList } from "@/components/review/reviews-list";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("reviews"))("title") };
}

export default async function ReviewsPage() {
  const t = await getTranslations("reviews");
  return (
    <Suspense fallback={<p role="status">{t("loading")}</p>}>
      <ReviewsList />
    </Suspense>
  );
}
