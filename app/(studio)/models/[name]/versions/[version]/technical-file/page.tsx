// A model version's technical file (EU AI Act Annex IV): read it, edit the model card, download it as PDF or JSON.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { TechnicalFilePage } from "@/components/documentation/technical-file-page";
import { pageExists } from "@/server/navigation/page-exists";
import { nameFromSegment } from "@/lib/url-segment";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export async function generateMetadata({ params }: { params: Promise<{ name: string; version: string }> }): Promise<Metadata> {
  const { name, version } = await params;
  const t = await getTranslations("technicalFile");
  return { title: `${t("title")}: ${nameFromSegment(name)} v${version}` };
}

export default async function TechnicalFileRoute({ params }: { params: Promise<{ name: string; version: string }> }) {
  const { name, version } = await params;
  // Registry versions are whole positive numbers; anything else is not a page.
  if (!/^\d+$/.test(version) || Number(version) < 1) notFound();
  if (!(await pageExists({ kind: "modelVersion", name: nameFromSegment(name), version: Number(version) }))) notFound();
  return (
    <MoreClientMessages namespaces={["technicalFile"]}>
      <TechnicalFilePage name={nameFromSegment(name)} version={String(Number(version))} />
    </MoreClientMessages>
  );
}
