// One acceptance review: the report, its criteria, comments and decisions.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ReviewPage } from "@/components/review/review-page";
import { pageExists } from "@/server/navigation/page-exists";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: (await getTranslations("review"))("title", { id }) };
}

export default async function ReviewRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Reviews are numbered 1, 2, …; anything else is not a page.
  if (!/^\d+$/.test(id) || Number(id) < 1 || !Number.isSafeInteger(Number(id))) notFound();
  if (!(await pageExists({ kind: "review", reviewId: Number(id) }))) notFound();
  return (
    <MoreClientMessages namespaces={["comparison", "fairness", "reasons", "review", "reviewSentences", "reviews", "value"]}>
      <ReviewPage id={Number(id)} />
    </MoreClientMessages>
  );
}
