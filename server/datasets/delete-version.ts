// Deleting a dataset version: refused while a review evaluates on it, a model monitors against it or it is profiling; audited.
import { eq } from "drizzle-orm";
import { datasetVersions, modelMonitoring, registeredModels, reviews } from "@/db/schema";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { saidError } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import type { ServiceContext } from "../service-context";
import { datasetFilesAt } from "./dataset-files";
import { findVersion } from "./registry";

/**
 * Deletes version `version` of dataset `name` and its stored file; its number is not reused. Refused with
 * RESOURCE_CONFLICT (409) when a review used it as evaluation data (open or decided: the review's evidence must stay
 * readable), when it is a model's monitoring reference, or while it is being profiled.
 */
export async function deleteDatasetVersion(ctx: ServiceContext, root: string, input: { name: string; version: number }): Promise<{ name: string; version: number }> {
  authorize(ctx.actor, "datasets.write");
  const storagePath = await ctx.db.transaction(async (tx) => {
    const { dataset, row } = await findVersion(tx, input.name, input.version);
    const [locked] = await tx.select({ id: datasetVersions.versionId }).from(datasetVersions).where(eq(datasetVersions.versionId, row.versionId)).for("update");
    if (!locked) {
      throw saidError(
        "RESOURCE_CONFLICT",
        `Version ${input.version} of '${input.name}' was deleted meanwhile.`,
        sentence("error.datasets.version_deleted_meanwhile", { dataset: input.name, version: input.version }),
      );
    }
    const label = `Version ${row.version} of '${dataset.name}'`;
    const [review] = await tx.select({ reviewId: reviews.reviewId, status: reviews.status }).from(reviews).where(eq(reviews.datasetVersionId, row.versionId)).limit(1);
    if (review) {
      const open = !["approved", "rejected", "changes_requested"].includes(review.status);
      const said = { dataset: dataset.name, version: row.version, reviewId: review.reviewId, status: [sentence(`term.review_status.${review.status}`, {}, review.status.replace("_", " "))] };
      throw saidError(
        "RESOURCE_CONFLICT",
        open
          ? `${label} is under review #${review.reviewId} (${review.status.replace("_", " ")}) as its evaluation data: wait for the decision, and keep it as the review's evidence.`
          : `${label} is the evaluation data of review #${review.reviewId} (${review.status.replace("_", " ")}): it is kept as that review's evidence.`,
        sentence(open ? "error.datasets.version_under_review" : "error.datasets.version_review_evidence", said),
      );
    }
    const [monitored] = await tx
      .select({ model: registeredModels.name })
      .from(modelMonitoring)
      .innerJoin(registeredModels, eq(registeredModels.modelId, modelMonitoring.modelId))
      .where(eq(modelMonitoring.referenceDatasetVersionId, row.versionId))
      .limit(1);
    if (monitored) {
      throw saidError(
        "RESOURCE_CONFLICT",
        `${label} is the monitoring reference of '${monitored.model}' in production: choose another reference first.`,
        sentence("error.datasets.version_monitoring_reference", { dataset: dataset.name, version: row.version, model: monitored.model }),
      );
    }
    if (row.profileStatus === "pending" || row.profileStatus === "running") {
      throw saidError(
        "RESOURCE_CONFLICT",
        `${label} is being profiled: delete it once profiling has finished.`,
        sentence("error.datasets.version_profiling", { dataset: dataset.name, version: row.version }),
      );
    }
    await tx.delete(datasetVersions).where(eq(datasetVersions.versionId, row.versionId));
    await recordAudit(tx, ctx.actor, {
      action: "dataset_version.delete",
      targetType: "dataset_version",
      targetId: `${dataset.name}/${row.version}`,
      before: { digest: row.digest, format: row.format, size_bytes: row.sizeBytes, original_filename: row.originalFilename, quality_status: row.qualityStatus },
    });
    return row.storagePath;
  });
  // After the commit: a failed delete leaves the row in place with its file.
  await datasetFilesAt(root).delete(storagePath);
  return { name: input.name, version: input.version };
}
