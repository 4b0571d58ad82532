// A model version's lineage from its run: the run's metrics and params, and the datasets it logged, tied to registry versions.
import type { ServiceContext } from "../service-context";
import { matchLoggedDatasets } from "../datasets/dataset-matching";
import { getRun } from "../tracking/runs";
import type { ModelLineage } from "./schema";

/** The run behind a model source `runs:/<run_id>/<path>`, with the path; null for other sources. */
export function runOfSource(source: string): { runId: string; artifactPath: string } | null {
  const match = /^runs:\/+([^/]+)\/?(.*)$/.exec(source.trim());
  return match ? { runId: match[1]!, artifactPath: match[2] ?? "" } : null;
}

/**
 * `source` lets a client's registration name the model's folder by its full artifact URI (MLflow 2.x clients turn
 * `runs:/<id>/model` into `<run artifact uri>/model` plus a run_id): the artifact path is then what follows the run's root.
 */
export async function lineageOfRun(ctx: ServiceContext, runId: string, artifactPath: string | null, source?: string): Promise<ModelLineage> {
  const run = await getRun(ctx, runId);
  const root = `${run.info.artifact_uri.replace(/\/+$/, "")}/`;
  const path = artifactPath ?? (source?.startsWith(root) ? source.slice(root.length) : null);
  const inputs = run.inputs?.dataset_inputs ?? [];
  const matches = await matchLoggedDatasets(ctx.db, inputs.map((i) => i.dataset));
  return {
    runId,
    experimentId: run.info.experiment_id,
    runName: run.info.run_name ?? null,
    artifactPath: path,
    metrics: Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value])),
    params: Object.fromEntries(run.data.params.map((p) => [p.key, p.value])),
    datasets: inputs.map((input, i) => {
      const ref = matches[i];
      return {
        name: input.dataset.name,
        digest: input.dataset.digest,
        context: input.tags.find((t) => t.key === "mlflow.data.context")?.value ?? null,
        registry: ref
          ? { datasetName: ref.datasetName, version: ref.version, qualityStatus: ref.qualityStatus, qualityReason: ref.qualityReason, matchedBy: ref.matchedBy }
          : null,
      };
    }),
    derivedFrom: null,
  };
}
