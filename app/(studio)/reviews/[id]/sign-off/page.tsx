// The printable sign-off sheet of a review (A4; the studio's chrome is hidden when printed).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SignOffPage } from "@/components/review/sign-off-sheet";
import { pageExists } from "@/server/navigation/page-exists";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: (await getTranslations("signOffSheet"))("pageTitle", { id }) };
}

export default async function SignOffRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^\d+$/.test(id) || Number(id) < 1 || !Number.isSafeInteger(Number(id))) notFound();
  if (!(await pageExists({ kind: "review", reviewId: Number(id) }))) notFound();
  return (
    <MoreClientMessages namespaces={["comparison", "reasons", "review", "reviewSentences", "reviews", "signOff", "signOffSheet"]}>
      <SignOffPage id={Number(id)} />
    </MoreClientMessages>
  );
}
