// Demo acceptance reviews: the champion forest approved by the demo reviewer and promoted through the gate; the credit model waiting.
import type { Actor } from "../auth/actor";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { findVersionsByDigests } from "../datasets/registry";
import { setModelAlias } from "../registry/registered-models";
import { waitForReviewJobs } from "../review/review-jobs";
import { addReviewComment, decideReview, getReview, requestReview } from "../review/reviews";
import { defaultCriteria } from "../review/schema";
import type { ServiceContext } from "../service-context";
import { demoUsers } from "./demo-users";

/**
 * The demo reviewer who signs the approval. The accounts are created after the seed (start-up prints their
 * passwords), so the decision carries a stable demo id and the reviewer's username, which is what pages show.
 */
function demoReviewer(): Actor {
  const reviewer = demoUsers.find((u) => u.role === "reviewer");
  if (!reviewer) throw new Error("The demo users have no reviewer");
  return { userId: `demo-${reviewer.username}`, username: reviewer.username, role: "reviewer", via: "system" };
}

/** The registry version holding a fixture file, from the digests the dataset seed returned. */
async function versionOfFile(ctx: ServiceContext, registryDigests: Map<string, string>, file: string): Promise<number> {
  const digest = registryDigests.get(file);
  const ref = digest ? (await findVersionsByDigests(ctx.db, [digest])).get(digest) : undefined;
  if (!ref) throw new Error(`The demo dataset file ${file} is not registered`);
  return ref.version;
}

/** Requests both reviews as the studio (which registered the models), waits for their evaluation, approves one. */
export async function seedDemoReviews(ctx: ServiceContext, datasetRoot: string, registryDigests: Map<string, string>): Promise<{ approved: number; waiting: number }> {
  // With STUDIO_JOBS=off a worker profiles and evaluates: given the database, the waits watch the shared queue.
  await waitForDatasetJobs(ctx.db);
  const approved = await requestReview(
    ctx,
    {
      modelName: "breast-cancer-rf",
      modelVersion: "1",
      datasetName: "breast-cancer",
      datasetVersion: await versionOfFile(ctx, registryDigests, "breast_cancer.test.csv"),
      labelColumn: "malignant",
      sensitiveAttributes: [],
      criteria: { ...defaultCriteria("binary"), maxGroupGap: null, metricThresholds: [{ metric: "accuracy", op: "gte", threshold: 0.95 }, { metric: "roc_auc", op: "gte", threshold: 0.97 }] },
      requiredApprovals: 1,
      context: {
        businessGoal: "Pre-screen biopsies so pathologists see the likely malignant ones first.",
        expectedRoi: "About 20% less time to diagnosis on the urgent cases.",
        knownLimits: "Trained on 426 cases from one hospital; not validated on other imaging equipment.",
      },
    },
    datasetRoot,
  );
  const waiting = await requestReview(
    ctx,
    {
      modelName: "credit-logreg",
      modelVersion: "1",
      datasetName: "credit-applications",
      datasetVersion: await versionOfFile(ctx, registryDigests, "credit.test.csv"),
      labelColumn: "approved",
      sensitiveAttributes: ["sex"],
      criteria: defaultCriteria("binary"),
      requiredApprovals: 1,
      context: {
        businessGoal: "Automate the first pass of consumer-credit applications.",
        expectedRoi: "Half the manual reviews on small loans.",
        knownLimits: "Historical decisions were biased against women; check the group gap before approving.",
      },
    },
    datasetRoot,
  );
  await waitForReviewJobs(ctx.db);
  const evaluated = await getReview(ctx, approved.id);
  if (evaluated.status !== "ready") throw new Error(`The demo review of breast-cancer-rf v1 did not evaluate: ${evaluated.evaluationError ?? evaluated.status}`);
  const reviewer: ServiceContext = { ...ctx, actor: demoReviewer() };
  await addReviewComment(reviewer, { id: approved.id, body: "Read the report: the few misses are borderline cases, and the importances match the clinical features." });
  await decideReview(reviewer, { id: approved.id, decision: "approve", comment: "Meets the agreed accuracy and AUC on the held-out split; approved for production." });
  await setModelAlias(ctx, { name: "breast-cancer-rf", alias: "production", version: "1" });
  return { approved: approved.id, waiting: waiting.id };
}
