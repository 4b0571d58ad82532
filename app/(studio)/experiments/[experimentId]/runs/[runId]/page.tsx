// One run: its info, params, metrics with charts, tags, input datasets and artifacts.
import type { Metadata } from "next";
import { RunDetails } from "@/components/runs/run-details";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ experimentId: string; runId: string }> }) {
  const { experimentId, runId } = await params;
  return <RunDetails experimentId={experimentId} runId={runId} />;
}
