// One run: its info, params, metrics with charts, tags, input datasets and artifacts.
import type { Metadata } from "next";
import { RunDetails } from "@/components/runs/run-details";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { pageExists } from "@/server/navigation/page-exists";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("runPage"))("title") };
}

export default async function RunPage({ params }: { params: Promise<{ experimentId: string; runId: string }> }) {
  const { experimentId, runId } = await params;
  if (!(await pageExists({ kind: "run", experimentId, runId }))) notFound();
  return (
    <MoreClientMessages namespaces={["runPage"]}>
      <RunDetails experimentId={experimentId} runId={runId} />
    </MoreClientMessages>
  );
}
