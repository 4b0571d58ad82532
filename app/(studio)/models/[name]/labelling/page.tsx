// A model's labelling queue for editors and admins: sampling settings, filling, progress and agreement, export.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LabellingQueuePage } from "@/components/labelling/labelling-queue-page";
import { pageExists } from "@/server/navigation/page-exists";
import { nameFromSegment } from "@/lib/url-segment";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `Labelling ${nameFromSegment(name)}` };
}

export default async function ModelLabellingRoute({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  if (!(await pageExists({ kind: "model", name: nameFromSegment(name) }))) notFound();
  return (
    <MoreClientMessages namespaces={["labelling"]}>
      <LabellingQueuePage name={nameFromSegment(name)} />
    </MoreClientMessages>
  );
}
