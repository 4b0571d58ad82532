"use client";
// A link to the run a model version came from; the run's experiment is looked up because registry versions carry only the run id.
import { useQuery } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTRPC } from "@/components/trpc-provider";
import ui from "@/components/ui/ui.module.css";
import { runHref } from "./model-format";

export function RunLink({ runId, experimentId, runName }: { runId: string; experimentId?: string | null; runName?: string | null }) {
  const trpc = useTRPC();
  // Lineage already knows the experiment; only versions without it ask the tracking server.
  const run = useQuery(trpc.tracking.run.queryOptions({ runId }, { enabled: !experimentId, staleTime: 60_000, retry: false }));
  const experiment = experimentId ?? run.data?.info.experiment_id ?? null;
  const label = runName || run.data?.info.run_name || runId;
  if (experiment === null) {
    // The run may have been deleted since registration: the id is still worth showing.
    return (
      <span title={run.error ? run.error.message : undefined}>
        <code>{runId.slice(0, 12)}</code>
        {run.error ? <span className={ui.muted}> (run not found)</span> : null}
      </span>
    );
  }
  return <Link href={runHref(String(experiment), runId)}>{label}</Link>;
}

/** The experiment by name when tracking knows it, by id otherwise (a deleted experiment still shows where it was). */
export function ExperimentLink({ experimentId }: { experimentId: string }) {
  const trpc = useTRPC();
  const experiment = useQuery(trpc.tracking.experiment.queryOptions({ experimentId }, { staleTime: 60_000, retry: false }));
  return <Link href={`/experiments/${encodeURIComponent(experimentId)}`}>{experiment.data?.name ?? `Experiment ${experimentId}`}</Link>;
}
