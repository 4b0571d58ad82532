// Lineage of a dataset: the runs that logged one of its versions as an input (MLflow log_input, matched by content
// digest or by name and source) and the model versions trained by those runs or recording the dataset in their lineage.
import { and, desc, eq, inArray, ne, or, sql } from "drizzle-orm";
import { datasetVersions, experiments, modelVersions, registeredModels, runInputs, runs, trackedDatasets } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { ServiceContext } from "../service-context";
import { matchLoggedDatasets } from "./dataset-matching";
import { findDataset } from "./registry";
import type { DatasetLineage } from "./schema";

const MAX_LINEAGE_ROWS = 500;

export async function getDatasetLineage(ctx: ServiceContext, name: string): Promise<DatasetLineage> {
  authorize(ctx.actor, "studio.read");
  const dataset = await findDataset(ctx.db, name);
  // Candidates: inputs whose digest begins a version's SHA-256, or logged under the dataset's name; matchLoggedDatasets decides.
  const digestOfThisDataset = sql`length(${trackedDatasets.digest}) >= 8 AND EXISTS (
    SELECT 1 FROM ${datasetVersions} WHERE ${datasetVersions.datasetId} = ${dataset.datasetId}
      AND ${datasetVersions.digest} LIKE lower(${trackedDatasets.digest}) || '%')`;
  const candidates = await ctx.db
    .select({
      runId: runs.runUuid,
      runName: runs.name,
      experimentId: runs.experimentId,
      experimentName: experiments.name,
      status: runs.status,
      startTime: runs.startTime,
      tags: runInputs.tags,
      loggedName: trackedDatasets.name,
      loggedDigest: trackedDatasets.digest,
      loggedSource: trackedDatasets.source,
    })
    .from(trackedDatasets)
    .innerJoin(runInputs, eq(runInputs.datasetUuid, trackedDatasets.datasetUuid))
    .innerJoin(runs, eq(runs.runUuid, runInputs.runUuid))
    .innerJoin(experiments, eq(experiments.experimentId, runs.experimentId))
    .where(and(or(digestOfThisDataset, sql`lower(${trackedDatasets.name}) = lower(${dataset.name})`), ne(runs.lifecycleStage, "deleted")))
    .orderBy(desc(runs.startTime))
    .limit(MAX_LINEAGE_ROWS);
  const matches = await matchLoggedDatasets(
    ctx.db,
    candidates.map((c) => ({ name: c.loggedName, digest: c.loggedDigest, source: c.loggedSource })),
  );
  const used = candidates.flatMap((c, i) => {
    const match = matches[i];
    return match && match.datasetName === dataset.name ? [{ ...c, match }] : [];
  });
  const runIds = [...new Set(used.map((u) => u.runId))];
  const inLineage = sql`${modelVersions.lineage} -> 'datasets' @> ${JSON.stringify([{ registry: { datasetName: dataset.name } }])}::jsonb`;
  const versions = await ctx.db
    .select({ name: registeredModels.name, version: modelVersions.version, runId: modelVersions.runId })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.modelId, modelVersions.modelId))
    .where(runIds.length ? or(inArray(modelVersions.runId, runIds), inLineage) : inLineage)
    .orderBy(registeredModels.name, desc(modelVersions.version))
    .limit(MAX_LINEAGE_ROWS);
  return {
    runs: used.map((r) => ({
      runId: r.runId,
      runName: r.runName,
      experimentId: String(r.experimentId),
      experimentName: r.experimentName,
      status: r.status,
      startTime: r.startTime,
      context: r.tags.find((t) => t.key === "mlflow.data.context")?.value ?? null,
      version: r.match.version,
      digest: r.match.digest,
      matchedBy: r.match.matchedBy,
    })),
    modelVersions: versions.map((v) => ({ name: v.name, version: String(v.version), runId: v.runId })),
  };
}
