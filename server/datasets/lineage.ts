// Lineage of a dataset: the runs that logged one of its versions as an input (MLflow log_input, matched by digest).
import { and, desc, eq, ne, sql } from "drizzle-orm";
import { datasetVersions, experiments, runInputs, runs, trackedDatasets } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { ServiceContext } from "../service-context";
import { findDataset } from "./registry";
import type { DatasetLineage } from "./schema";

/** An MLflow digest (often the first 8+ hex characters) matches the version whose SHA-256 begins with it. */
const digestMatches = sql`length(${trackedDatasets.digest}) >= 8 AND ${datasetVersions.digest} LIKE lower(${trackedDatasets.digest}) || '%'`;

export async function getDatasetLineage(ctx: ServiceContext, name: string): Promise<DatasetLineage> {
  authorize(ctx.actor, "studio.read");
  const dataset = await findDataset(ctx.db, name);
  const rows = await ctx.db
    .select({
      runId: runs.runUuid,
      runName: runs.name,
      experimentId: runs.experimentId,
      experimentName: experiments.name,
      status: runs.status,
      startTime: runs.startTime,
      tags: runInputs.tags,
      version: datasetVersions.version,
      digest: datasetVersions.digest,
    })
    .from(datasetVersions)
    .innerJoin(trackedDatasets, digestMatches)
    .innerJoin(runInputs, eq(runInputs.datasetUuid, trackedDatasets.datasetUuid))
    .innerJoin(runs, eq(runs.runUuid, runInputs.runUuid))
    .innerJoin(experiments, eq(experiments.experimentId, runs.experimentId))
    .where(and(eq(datasetVersions.datasetId, dataset.datasetId), ne(runs.lifecycleStage, "deleted")))
    .orderBy(desc(runs.startTime))
    .limit(500);
  return {
    runs: rows.map((r) => ({
      runId: r.runId,
      runName: r.runName,
      experimentId: String(r.experimentId),
      experimentName: r.experimentName,
      status: r.status,
      startTime: r.startTime,
      context: r.tags.find((t) => t.key === "mlflow.data.context")?.value ?? null,
      version: r.version,
      digest: r.digest,
    })),
    modelVersions: [],
  };
}
