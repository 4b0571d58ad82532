// One registered model: description, aliases, versions with stages and runs, and tags.
import type { Metadata } from "next";
import { ModelPage } from "@/components/models/model-page";
import { notFound } from "next/navigation";
import { pageExists } from "@/server/navigation/page-exists";
import { nameFromSegment } from "@/lib/url-segment";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `Model ${nameFromSegment(name)}` };
}

export default async function ModelRoute({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  if (!(await pageExists({ kind: "model", name: nameFromSegment(name) }))) notFound();
  return (
    <MoreClientMessages namespaces={["monitoring"]}>
      <ModelPage name={nameFromSegment(name)} />
    </MoreClientMessages>
  );
}
