// Acceptance reviews end to end below the pages: request → background evaluation → criteria → decisions → the production gate.
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluationReports, reviewDecisions, reviewJobs, reviews } from "@/db/schema";
import type { Actor } from "../auth/actor";
import { listAuditEntries } from "../auth/audit";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { registerDatasetVersion } from "../datasets/register-version";
import type { RegisterVersionMeta } from "../datasets/schema";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { getRegisteredModelDetail } from "../registry/registered-models";
import { appRouter } from "../root-router";
import { expectMlflowError } from "../testing/expect-mlflow-error";
import { mlflowWire } from "../testing/mlflow-client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { resumeReviewJobs, waitForReviewJobs } from "./review-jobs";
import {
  addReviewComment,
  decideReview,
  getReview,
  listReviews,
  productionGate,
  reevaluateReview,
  requestReview,
  reviewFormDefaults,
  updateReviewCriteria,
  withdrawApproval,
} from "./reviews";
import { listDeployments, rollbackProduction } from "../deployments/deployments";
import { defaultCriteria, type AcceptanceCriteria, type EvaluationReport } from "./schema";
import { createTranslator } from "next-intl";
import { sentenceText, type SentenceTranslator, type ServerSentence } from "@/lib/i18n/server-sentence";
import { catalogues } from "@/messages";
import { refusalOf, saidIn } from "../testing/said-error";

/** A reason as the review page in `locale` says it (components/ui/use-server-sentence). */
function sayIn(locale: "en" | "fr", message: ServerSentence): string {
  return sentenceText(createTranslator({ locale, messages: catalogues[locale], namespace: "sentences" }) as unknown as SentenceTranslator, message, "(no wording)");
}

const fixtures = path.join(import.meta.dirname, "../../fixtures");
const erin: Actor = { userId: "u-erin", username: "erin", role: "editor", via: "session" };
const ada: Actor = { userId: "u-ada", username: "ada", role: "admin", via: "session" };
const rita: Actor = { userId: "u-rita", username: "rita", role: "reviewer", via: "session" };
const rob: Actor = { userId: "u-rob", username: "rob", role: "reviewer", via: "session" };
const vera: Actor = { userId: "u-vera", username: "vera", role: "viewer", via: "session" };

const creditMeta = (extra: Partial<RegisterVersionMeta> = {}): RegisterVersionMeta => ({
  name: "credit-applications",
  format: "csv",
  masking: {},
  labelColumn: "approved",
  sensitiveAttributes: ["sex"],
  ...extra,
});

/** Default binary criteria with the 10-point group-gap limit the example uses. */
const criteria: AcceptanceCriteria = { ...defaultCriteria("binary"), maxGroupGap: 0.1 };

describe.each(testBackends)("acceptance reviews on %s", (backend) => {
  let studio: TestStudio;
  let root: string;
  let trainVersion: number;
  let testVersion: number;
  let sidecar: { test_metrics: { accuracy: number; roc_auc: number } };
  const as = (actor: Actor) => studio.as(actor);
  const deps = () => ({ db: studio.db, artifacts: studio.artifacts, datasetRoot: root });
  const request = (actor: Actor, modelVersion: string, extra: Partial<Parameters<typeof requestReview>[1]> = {}) =>
    requestReview(
      as(actor),
      {
        modelName: "credit-logreg",
        modelVersion,
        datasetName: "credit-applications",
        datasetVersion: testVersion,
        labelColumn: "approved",
        sensitiveAttributes: ["sex"],
        criteria,
        requiredApprovals: 1,
        context: { businessGoal: "Approve more good loans", expectedRoi: "", knownLimits: "Planted bias against women" },
        ...extra,
      },
      root,
    );
  const callerFor = (actor: Actor) => appRouter.createCaller({ ...studio.as(actor), actor, req: new Request("http://studio.test/api/trpc") });

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    root = await mkdtemp(path.join(os.tmpdir(), "studio-review-datasets-"));
    sidecar = JSON.parse(await readFile(path.join(fixtures, "models/credit-logreg.model.json"), "utf8"));
    const train = await registerDatasetVersion(as(erin), root, creditMeta(), createReadStream(path.join(fixtures, "datasets/credit.train.csv")));
    const test = await registerDatasetVersion(as(erin), root, creditMeta(), createReadStream(path.join(fixtures, "datasets/credit.test.csv")));
    trainVersion = train.version.version;
    testVersion = test.version.version;
    await waitForDatasetJobs();
    const bytes = new Uint8Array(await readFile(path.join(fixtures, "models/credit-logreg.onnx")));
    // v1 by the editor, trained (its lineage says) on the training split; v2 the same bytes, registered by an admin.
    await registerOnnxUpload(as(erin), {
      name: "credit-logreg",
      bytes,
      lineage: {
        datasets: [
          {
            name: "credit.train",
            digest: train.version.digest,
            context: "training",
            registry: { datasetName: "credit-applications", version: trainVersion, qualityStatus: "none", qualityReason: null },
          },
        ],
      },
    });
    await registerOnnxUpload(as(ada), { name: "credit-logreg", bytes });
    for (const [name, file] of [["iris-zipmap", "iris-logreg-zipmap"], ["iris", "iris-logreg"], ["diabetes", "diabetes-ridge"]]) {
      await registerOnnxUpload(as(erin), { name, bytes: new Uint8Array(await readFile(path.join(fixtures, `models/${file}.onnx`))) });
    }
  });
  afterAll(async () => {
    await waitForReviewJobs();
    await waitForDatasetJobs();
    await studio.close();
    await rm(root, { recursive: true, force: true });
  });

  it("prepares the request form: task from the outputs, default criteria, dataset defaults and the training-overlap warning", async () => {
    const onTrain = await reviewFormDefaults(as(erin), { modelName: "credit-logreg", modelVersion: "1", datasetName: "credit-applications", datasetVersion: trainVersion });
    expect(onTrain.task).toBe("binary");
    expect(onTrain.problem).toBeNull();
    expect(onTrain.criteria).toEqual(defaultCriteria("binary"));
    expect(onTrain.trainingDatasets).toEqual([{ name: "credit-applications", version: trainVersion }]);
    expect(onTrain.dataset).toMatchObject({ labelColumn: "approved", sensitiveAttributes: ["sex"] });
    expect(onTrain.dataset!.columns).toContain("income");
    expect(onTrain.dataset!.trainingOverlap).toMatch(/trained on credit-applications v1.*held-out/);
    const onTest = await reviewFormDefaults(as(erin), { modelName: "credit-logreg", modelVersion: "1", datasetName: "credit-applications", datasetVersion: testVersion });
    expect(onTest.dataset!.trainingOverlap).toBeNull();
    const iris = await reviewFormDefaults(as(vera), { modelName: "iris", modelVersion: "1" });
    expect([iris.task, iris.criteria.maxGroupGap, iris.dataset, iris.trainingDatasets]).toEqual(["multiclass", null, null, []]);
    const diabetes = await reviewFormDefaults(as(vera), { modelName: "diabetes", modelVersion: "1" });
    expect(diabetes.task).toBe("regression");
    expect(diabetes.criteria).toEqual(defaultCriteria("regression"));
    const zipmap = await reviewFormDefaults(as(erin), { modelName: "iris-zipmap", modelVersion: "1" });
    expect(zipmap.task).toBeNull();
    expect(zipmap.problem).toMatch(/ZipMap.*derive a version without/);
  });

  it("refuses requests that could not be evaluated, saying what to fix", async () => {
    await expect(request(vera, "1")).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    await expect(request(rita, "1")).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    await expect(request(erin, "1", { labelColumn: "outcome" })).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/'outcome'.*columns are: age, sex/) });
    await expect(request(erin, "1", { sensitiveAttributes: ["gender"] })).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/'gender'/) });
    await expect(request(erin, "1", { sensitiveAttributes: [] })).rejects.toMatchObject({
      code: "INVALID_PARAMETER_VALUE",
      message: expect.stringMatching(/no sensitive attribute is named.*clear the group-gap limit/),
    });
    await expect(request(erin, "9")).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
    await expect(request(erin, "1", { datasetVersion: 99 })).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
    await expect(request(erin, "1", { modelName: "iris-zipmap", labelColumn: "approved" })).rejects.toMatchObject({ code: "INVALID_STATE", message: expect.stringMatching(/ZipMap/) });
    // A version still waiting for its profile cannot be reviewed yet.
    const unprofiled = await registerDatasetVersion(as(erin), root, creditMeta(), createReadStream(path.join(fixtures, "datasets/credit.csv")), { profileLater: true });
    await expect(request(erin, "1", { datasetVersion: unprofiled.version.version })).rejects.toMatchObject({ code: "INVALID_STATE", message: expect.stringMatching(/profiled/) });
    expect(await studio.db.select().from(reviews)).toHaveLength(0);
  });

  let firstReview: number;
  let secondReview: number;

  it("evaluates a review in the background, stores the report once, and checks each criterion", async () => {
    const { id } = await request(erin, "1");
    firstReview = id;
    const started = await getReview(as(erin), id);
    expect(started.status).toBe("evaluating");
    expect(started.trainingOverlap).toBeNull();
    const audit = await listAuditEntries(studio.db, { targetType: "review", targetId: String(id) });
    expect(audit.map((e) => [e.action, e.actorUsername, e.before, (e.after as { status: string }).status]).reverse()).toEqual([
      ["review.request", "erin", null, "draft"],
      ["review.status", "erin", { status: "draft" }, "evaluating"],
    ]);

    await waitForReviewJobs();
    const review = await getReview(as(rita), id);
    expect(review.status).toBe("ready");
    expect(review.job).toMatchObject({ status: "done", progress: 1, error: null });
    const report = review.report as EvaluationReport;
    expect(report.rowCount).toBe(1250);
    expect(report.task).toBe("binary");
    expect(review.modelDigest).toBe(report.provenance.modelDigest);
    expect(review.datasetDigest).toBe(report.provenance.datasetDigest);
    // The evaluator agrees with scikit-learn on the fixture's test split.
    expect(report.classification!.accuracy).toBeCloseTo(sidecar.test_metrics.accuracy, 4);
    expect(report.classification!.rocAuc!).toBeCloseTo(sidecar.test_metrics.roc_auc, 4);

    const results = new Map(review.criteriaResults!.map((r) => [r.key, r]));
    expect([...results.keys()]).toEqual(expect.arrayContaining(["metric:accuracy", "metric:roc_auc", "group_gap:sex"]));
    expect(results.get("metric:accuracy")!.passed).toBe(report.classification!.accuracy >= 0.8);
    expect(results.get("metric:accuracy")!.passed).toBe(false);
    expect(results.get("metric:roc_auc")!.passed).toBe(report.classification!.rocAuc! >= 0.75);
    const sex = report.fairness.find((f) => f.attribute === "sex")!;
    expect(sex.groups.map((g) => g.group).sort()).toEqual(["F", "M"]);
    // The planted bias: women are selected less often; the criterion follows the report's own gap.
    const rate = (g: string) => sex.groups.find((x) => x.group === g)!.selectionRate;
    expect(rate("F")).toBeLessThan(rate("M"));
    expect(sex.demographicParityDifference).toBeCloseTo(rate("M") - rate("F"), 12);
    expect(sex.demographicParityDifference).toBeGreaterThan(0.1);
    expect(results.get("group_gap:sex")!.passed).toBe(sex.demographicParityDifference <= 0.1);
    expect(results.get("group_gap:sex")!.actual).toBeCloseTo(sex.demographicParityDifference, 12);
    expect(review.criteriaPassed).toBe(review.criteriaResults!.filter((r) => r.passed).length);

    // The pages read the same through tRPC, whose output schemas validate the stored report.
    const viaTrpc = await callerFor(vera).review.get({ id });
    expect(viaTrpc.report?.rowCount).toBe(1250);
    expect(viaTrpc.permissions).toMatchObject({ canDecide: false, canComment: false });
    expect((await callerFor(vera).review.list({ filter: "waiting" })).map((r) => r.id)).toEqual([id]);
    const system = await listAuditEntries(studio.db, { targetType: "review", targetId: String(id), actor: "system" });
    expect(system.map((e) => [e.action, e.before, (e.after as { status: string }).status])).toEqual([["review.status", { status: "evaluating" }, "ready"]]);
  });

  it("reuses the stored report for a second review of the same bytes on the same data", async () => {
    const { id } = await request(erin, "2");
    secondReview = id;
    await waitForReviewJobs();
    const [first, second] = await Promise.all([getReview(as(rita), firstReview), getReview(as(rita), id)]);
    expect(second.status).toBe("ready");
    expect(second.report).toEqual(first.report);
    const rows = await studio.db.select({ reportId: reviews.reportId }).from(reviews);
    expect(new Set(rows.map((r) => r.reportId)).size).toBe(1);
    expect(await studio.db.select().from(evaluationReports)).toHaveLength(1);
  });

  it("refuses to change or delete a stored report", async () => {
    await expect(studio.db.update(evaluationReports).set({ runtimeVersion: "forged" })).rejects.toThrow();
    await expect(studio.db.delete(evaluationReports)).rejects.toThrow();
    const [row] = await studio.db.select().from(evaluationReports);
    expect(row.runtimeVersion).not.toBe("forged");
  });

  it("lets only reviewers and admins decide, never on a version they registered or a review they requested", async () => {
    const asErin = await getReview(as(erin), firstReview);
    expect(asErin.permissions).toMatchObject({ canDecide: false, canEditCriteria: true, canComment: true, canReevaluate: false });
    expect(asErin.permissions.cannotDecideReason).toMatch(/reviewers and admins/);
    expect((await getReview(as(rita), firstReview)).permissions).toMatchObject({ canDecide: true, cannotDecideReason: null, canEditCriteria: false });
    // The admin registered v2: someone else must review it.
    const asAda = await getReview(as(ada), secondReview);
    expect(asAda.permissions.canDecide).toBe(false);
    expect(asAda.permissions.cannotDecideReason).toMatch(/registered this model version/);
    const ownVersion = await refusalOf(decideReview(as(ada), { id: secondReview, decision: "approve", comment: "" }));
    expect(ownVersion).toMatchObject({ code: "PERMISSION_DENIED", message: expect.stringMatching(/registered this model version/) });
    // The review page says the reason, and the refusal, in its reader's language: English word for word, French in French.
    expect(sayIn("en", asAda.permissions.cannotDecideMessage!)).toBe(asAda.permissions.cannotDecideReason);
    expect(sayIn("fr", asAda.permissions.cannotDecideMessage!)).toBe("Vous avez enregistré cette version du modèle\u00a0: quelqu’un d’autre doit la relire.");
    expect(sayIn("en", asErin.permissions.cannotDecideMessage!)).toBe(asErin.permissions.cannotDecideReason);
    expect(saidIn("en", ownVersion)).toBe(ownVersion.message);
    expect(saidIn("fr", ownVersion)).toBe(`Vous ne pouvez pas statuer sur la revue n° ${secondReview}\u00a0: Vous avez enregistré cette version du modèle\u00a0: quelqu’un d’autre doit la relire.`);
    await expect(decideReview(as(erin), { id: firstReview, decision: "approve", comment: "" })).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    await expect(decideReview(as(vera), { id: firstReview, decision: "approve", comment: "" })).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    await expect(decideReview(as(rita), { id: firstReview, decision: "reject", comment: "  " })).rejects.toMatchObject({
      code: "INVALID_PARAMETER_VALUE",
      message: expect.stringMatching(/comment is required/),
    });
    await expect(decideReview(as(rita), { id: firstReview, decision: "request_changes", comment: "" })).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE" });
    expect(await studio.db.select().from(reviewDecisions)).toHaveLength(0);
  });

  it("keeps viewers out of the comment thread; reviewers, editors and admins comment", async () => {
    await expect(addReviewComment(as(vera), { id: firstReview, body: "Why is the accuracy below 0.8 acceptable?" })).rejects.toMatchObject({
      code: "PERMISSION_DENIED",
      message: expect.stringMatching(/viewer/),
    });
    await expect(callerFor(vera).review.comment({ id: firstReview, body: "Through the page, too?" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await getReview(as(vera), firstReview)).permissions.canComment).toBe(false);
    await addReviewComment(as(rob), { id: firstReview, body: "Why is the accuracy below 0.8 acceptable?" });
    await addReviewComment(as(erin), { id: firstReview, body: "It is a pilot; see the known limits." });
    const review = await getReview(as(rita), firstReview);
    expect(review.permissions.canComment).toBe(true);
    expect(review.comments.map((c) => [c.author, c.body])).toEqual([
      ["rob", "Why is the accuracy below 0.8 acceptable?"],
      ["erin", "It is a pilot; see the known limits."],
    ]);
    const audit = await listAuditEntries(studio.db, { action: "review.comment", targetId: String(firstReview) });
    expect(audit.map((e) => e.actorUsername).sort()).toEqual(["erin", "rob"]);
  });

  it("makes every criteria change a recorded revision that voids earlier decisions", async () => {
    expect((await listReviews(as(rita), { filter: "mine_to_review" })).map((r) => r.id).sort()).toEqual([firstReview, secondReview].sort());
    expect(await listReviews(as(ada), { filter: "mine_to_review" })).toEqual(expect.not.arrayContaining([expect.objectContaining({ id: secondReview })]));
    expect(await listReviews(as(erin), { filter: "mine_to_review" })).toEqual([]);
    let review = await getReview(as(erin), firstReview);
    expect(review.revisions).toEqual([{ revision: 1, criteria, requiredApprovals: 1, changedBy: "erin", changedAt: review.createdAt, previous: null }]);

    await decideReview(as(rob), { id: firstReview, decision: "request_changes", comment: "The group gap is too wide for a pilot." });
    expect((await getReview(as(erin), firstReview)).status).toBe("changes_requested");

    // Only the requester or an admin edits the criteria; a looser group gap now passes and the earlier decision no longer counts.
    const looser = { ...criteria, maxGroupGap: 0.9 };
    await expect(updateReviewCriteria(as(rita), { id: firstReview, criteria: looser, requiredApprovals: 1 })).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    await expect(updateReviewCriteria(as(erin), { id: firstReview, criteria, requiredApprovals: 1 })).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/current criteria/) });
    await updateReviewCriteria(as(erin), { id: firstReview, criteria: looser, requiredApprovals: 2 });
    review = await getReview(as(rita), firstReview);
    expect(review.status).toBe("ready");
    expect(review.criteriaRevision).toBe(2);
    expect(review.requiredApprovals).toBe(2);
    expect(review.decisions).toHaveLength(1);
    expect(review.decisions[0]).toMatchObject({ reviewer: "rob", decision: "request_changes", criteriaRevision: 1 });
    expect(review.decisions[0].invalidatedAt).not.toBeNull();
    expect(review.revisions.map((r) => [r.revision, r.changedBy, r.requiredApprovals, r.criteria.maxGroupGap, r.previous?.criteria.maxGroupGap ?? null, r.previous?.requiredApprovals ?? null])).toEqual([
      [1, "erin", 1, 0.1, null, null],
      [2, "erin", 2, 0.9, 0.1, 1],
    ]);
    expect(review.criteriaResults!.find((r) => r.key === "group_gap:sex")!.passed).toBe(true);
    expect(review.permissions.canDecide).toBe(true);
    expect((await getReview(as(rob), firstReview)).permissions.canDecide).toBe(true);
    const audit = await listAuditEntries(studio.db, { action: "review.criteria", targetId: String(firstReview) });
    expect(audit.map((e) => [e.actorUsername, (e.before as { criteriaRevision: number }).criteriaRevision, (e.after as { criteriaRevision: number }).criteriaRevision])).toEqual([["erin", 1, 2]]);
  });

  it("approves past a failing criterion only with a written exception per failing criterion, then freezes the criteria", async () => {
    const failing = (await getReview(as(rita), firstReview)).criteriaResults!.filter((r) => !r.passed);
    // Accuracy (0.78 < 0.80) and the edge cases (a missing value makes the model fail) do not pass.
    expect(failing.map((r) => r.key)).toEqual(["metric:accuracy", "edge_cases"]);
    await expect(decideReview(as(rita), { id: firstReview, decision: "approve", comment: "Fine for a pilot." })).rejects.toMatchObject({
      code: "INVALID_PARAMETER_VALUE",
      message: expect.stringMatching(/2 criteria fail \(accuracy.*; .*edge.*written justification for each/),
    });
    await expect(
      decideReview(as(rita), { id: firstReview, decision: "approve", comment: "", exceptions: [{ key: "metric:accuracy", justification: "Pilot only." }] }),
    ).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/^1 criterion fails \(.*edge/) });
    await expect(
      decideReview(as(rita), { id: firstReview, decision: "approve", comment: "", exceptions: [{ key: "group_gap:sex", justification: "n/a" }] }),
    ).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/No exception is needed for 'group_gap:sex'/) });
    await expect(
      decideReview(as(rita), { id: firstReview, decision: "approve", comment: "", exceptions: [{ key: "metric:accuracy", justification: "   " }] }),
    ).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE" });
    expect(await studio.db.select().from(reviewDecisions).where(eq(reviewDecisions.reviewId, firstReview))).toHaveLength(1);

    const why = "Pilot on 5% of applications; accuracy is watched weekly on the monitoring page.";
    const edge = "The caller validates inputs: missing values never reach the model.";
    await decideReview(as(rita), {
      id: firstReview,
      decision: "approve",
      comment: "",
      exceptions: [
        { key: "metric:accuracy", justification: why },
        { key: "edge_cases", justification: edge },
      ],
    });
    expect((await getReview(as(erin), firstReview)).status).toBe("ready");
    await decideReview(as(ada), {
      id: firstReview,
      decision: "approve",
      comment: "Approved for the pilot.",
      exceptions: [
        { key: "metric:accuracy", justification: "Same pilot limits." },
        { key: "edge_cases", justification: "Same." },
      ],
    });
    const review = await getReview(as(vera), firstReview);
    expect(review.status).toBe("approved");
    expect(review.approvals).toBe(2);
    expect(review.decidedAt).not.toBeNull();
    expect(review.exceptions.map((e) => [e.approvedBy, e.criterionKey, e.justification])).toEqual([
      ["rita", "metric:accuracy", why],
      ["rita", "edge_cases", edge],
      ["ada", "metric:accuracy", "Same pilot limits."],
      ["ada", "edge_cases", "Same."],
    ]);
    expect(review.exceptions[0].criterion).toMatch(/accuracy/);
    expect(review.exceptions[0].result).toMatch(/Accuracy is 0\.\d+/);
    expect(review.decisions.find((d) => d.reviewer === "rita")!.exceptions).toHaveLength(2);
    const decidedAlready = (await getReview(as(rita), firstReview)).permissions;
    expect(decidedAlready.cannotDecideReason).toMatch(/already decided/);
    expect(sayIn("en", decidedAlready.cannotDecideMessage!)).toBe(decidedAlready.cannotDecideReason);
    expect(sayIn("fr", decidedAlready.cannotDecideMessage!)).toMatch(/^La revue est déjà tranchée \((approuvée|rejetée|en attente de modifications)\)\.$/);
    await expect(decideReview(as(rita), { id: firstReview, decision: "approve", comment: "" })).rejects.toMatchObject({ code: "INVALID_STATE" });
    const decided = await listAuditEntries(studio.db, { action: "review.decide", targetId: String(firstReview), actor: "rita" });
    expect(decided.map((e) => [e.before, e.after, (e.meta as { exceptions?: unknown[] }).exceptions])).toEqual([
      [
        { status: "ready" },
        { status: "ready" },
        [
          { criterion: "metric:accuracy", result: expect.stringMatching(/Accuracy/), justification: why },
          { criterion: "edge_cases", result: expect.any(String), justification: edge },
        ],
      ],
    ]);

    // Approved: nobody changes the criteria any more, not even an admin; a new review is needed.
    for (const actor of [erin, ada]) {
      await expect(updateReviewCriteria(as(actor), { id: firstReview, criteria, requiredApprovals: 1 })).rejects.toMatchObject({
        code: "INVALID_STATE",
        message: expect.stringMatching(/approved.*new review/),
      });
    }
    const after = await getReview(as(erin), firstReview);
    expect([after.criteriaRevision, after.revisions.length, after.status, after.permissions.canEditCriteria]).toEqual([2, 2, "approved", false]);

    expect((await listReviews(as(erin), { filter: "decided" })).map((r) => r.id)).toEqual([firstReview]);
    expect((await listReviews(as(erin), { filter: "waiting" })).map((r) => r.id)).toEqual([secondReview]);
    expect((await listReviews(as(erin), { filter: "requested_by_me" })).map((r) => r.id).sort()).toEqual([firstReview, secondReview].sort());
    expect(await listReviews(as(rita), { filter: "requested_by_me" })).toEqual([]);
    expect((await listReviews(as(vera), { filter: "all", modelName: "credit-logreg", modelVersion: "2" })).map((r) => r.id)).toEqual([secondReview]);

    // A rejection needs a comment and closes the review; its criteria can no longer change.
    await decideReview(as(rob), { id: secondReview, decision: "reject", comment: "Accuracy is below the 0.80 agreed." });
    expect((await getReview(as(erin), secondReview)).status).toBe("rejected");
    await expect(updateReviewCriteria(as(erin), { id: secondReview, criteria: { ...criteria, maxGroupGap: 0.9 }, requiredApprovals: 1 })).rejects.toMatchObject({ code: "INVALID_STATE" });
  });

  it("gates the production alias and stage on an approved review, over REST and tRPC; an admin override needs a reason and is audited", async () => {
    const erinApi = mlflowWire(as(erin));
    expectMlflowError(
      await erinApi.post("registered-models/alias", { name: "credit-logreg", alias: "production", version: "2" }),
      400,
      "INVALID_STATE",
      /version 2 of 'credit-logreg'.*approved/,
    );
    expectMlflowError(await erinApi.post("model-versions/transition-stage", { name: "credit-logreg", version: "2", stage: "production" }), 400, "INVALID_STATE", /approved/);
    await expect(callerFor(erin).registry.setAlias({ name: "credit-logreg", version: "2", alias: "production" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/approved/),
    });
    await expect(callerFor(erin).registry.setAlias({ name: "credit-logreg", version: "2", alias: "Production", overrideReason: "urgent" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/only an admin/),
    });
    expect(await productionGate(as(vera), { name: "credit-logreg", version: "2" })).toMatchObject({ approved: false, approvedReviewId: null });
    const gate = await productionGate(as(vera), { name: "credit-logreg", version: "1" });
    expect(gate).toMatchObject({ approved: true, approvedReviewId: firstReview });
    expect(gate.message).toMatch(/approved version 1 .*with 2 exceptions \(accuracy.*accepted by rita/);
    // The page says the gate from its code: word for word the English message, and in French for a French reader.
    expect(sayIn("en", gate.messageSentence!)).toBe(gate.message);
    expect(sayIn("fr", gate.messageSentence!)).toMatch(/^La revue n° \d+ a approuvé la version 1 le \d{4}-\d\d-\d\d avec 2 exceptions \(.*acceptée par rita, «\u00a0.*\u00a0», acceptée par ada/);
    const unapproved = await productionGate(as(vera), { name: "credit-logreg", version: "2" });
    expect(sayIn("en", unapproved.messageSentence!)).toBe(unapproved.message);
    expect(sayIn("fr", unapproved.messageSentence!)).toMatch(/^La version 2 de «\u00a0credit-logreg\u00a0» n'a pas de revue d'acceptation approuvée/);
    expect(gate.exceptions!.map((e) => [e.approvedBy, e.criterionKey])).toEqual([
      ["rita", "metric:accuracy"],
      ["rita", "edge_cases"],
      ["ada", "metric:accuracy"],
      ["ada", "edge_cases"],
    ]);

    const ok = await erinApi.post("registered-models/alias", { name: "credit-logreg", alias: "production", version: "1" });
    expect(ok.status, ok.text).toBe(200);
    expect((await erinApi.post("model-versions/transition-stage", { name: "credit-logreg", version: "1", stage: "Production" })).status).toBe(200);
    // Other aliases are not gated.
    expect((await erinApi.post("registered-models/alias", { name: "credit-logreg", alias: "challenger", version: "2" })).status).toBe(200);

    await expect(callerFor(ada).registry.setAlias({ name: "credit-logreg", version: "2", alias: "production", overrideReason: "  " })).rejects.toMatchObject({ code: "CONFLICT" });
    await callerFor(ada).registry.setAlias({ name: "credit-logreg", version: "2", alias: "production", overrideReason: "Regulator-mandated hotfix; review #2 to be redone" });
    expect((await getRegisteredModelDetail(as(vera), "credit-logreg")).aliases).toEqual(expect.arrayContaining([{ alias: "production", version: "2" }]));
    const overrides = await listAuditEntries(studio.db, { action: "registered_model.alias.production_override" });
    expect(overrides.map((e) => [e.actorUsername, e.targetId, e.meta])).toEqual([["ada", "credit-logreg", { reason: "Regulator-mandated hotfix; review #2 to be redone" }]]);
  });

  it("lets a reviewer withdraw an approval with a reason; a production version loses its gate and is flagged with the rollback", async () => {
    // Production went to v2 by an admin's override; roll back to v1, whose review is approved.
    expect(await rollbackProduction(as(erin), { name: "credit-logreg" })).toEqual({ version: "1" });
    await expect(withdrawApproval(as(rita), { id: firstReview, reason: "  " })).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/reason/) });
    await expect(withdrawApproval(as(vera), { id: firstReview, reason: "no" })).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    await expect(withdrawApproval(as(rob), { id: firstReview, reason: "I never approved" })).rejects.toMatchObject({ code: "INVALID_STATE", message: expect.stringMatching(/nothing to withdraw/) });
    expect((await getReview(as(rita), firstReview)).permissions.withdrawableDecisionId).not.toBeNull();
    expect((await getReview(as(rob), firstReview)).permissions.withdrawableDecisionId).toBeNull();

    const reason = "The monitoring page shows accuracy 0.61 on last week's applications.";
    expect(await withdrawApproval(as(rita), { id: firstReview, reason })).toEqual({ status: "ready", holdsProduction: true });
    const review = await getReview(as(erin), firstReview);
    expect(review.status).toBe("ready");
    expect(review.approvals).toBe(1);
    expect(review.decidedAt).toBeNull();
    expect(review.decisions.find((d) => d.reviewer === "rita")).toMatchObject({ withdrawnBy: "rita", withdrawalReason: reason });
    expect(review.exceptions.map((e) => e.approvedBy)).toEqual(["ada", "ada"]);
    await expect(withdrawApproval(as(rita), { id: firstReview, reason })).rejects.toMatchObject({ code: "INVALID_STATE" });

    const gate = await productionGate(as(vera), { name: "credit-logreg", version: "1" });
    expect(gate.approved).toBe(false);
    const production = (await listDeployments(as(vera))).find((d) => d.modelName === "credit-logreg" && d.alias === "production")!;
    expect(production.version).toBe("1");
    expect(production.previousVersion).toBe("2");
    expect(production.flagReasons[0]).toMatch(/Approval withdrawn: rita withdrew the approval of review #\d+ \(The monitoring page shows accuracy 0\.61/);
    expect(sayIn("en", production.flagMessages[0]!)).toBe(production.flagReasons[0]);
    expect(sayIn("fr", production.flagMessages[0]!)).toMatch(/^Approbation retirée\u00a0: rita a retiré son approbation de la revue n° \d+ \(The monitoring page shows/);
    expect(sayIn("en", gate.messageSentence!)).toBe(gate.message);
    const audit = await listAuditEntries(studio.db, { action: "review.withdraw", targetId: String(firstReview) });
    expect(audit.map((e) => [e.actorUsername, e.before, e.after, (e.meta as { reason: string; holdsProduction: boolean }).holdsProduction])).toEqual([
      ["rita", { status: "approved", approvals: 2 }, { status: "ready", approvals: 1 }, true],
    ]);
  });

  it("shows a review whose evaluation fails as failed (not queued), with the reason the user can act on", async () => {
    // The label named is one of the model's own inputs: only the evaluation finds out (a matrix model whose columns
    // nothing names is refused at the request, so it cannot serve here).
    const { id } = await request(erin, "1", { labelColumn: "purpose", sensitiveAttributes: [], criteria: { ...criteria, maxGroupGap: null } });
    await waitForReviewJobs();
    const review = await getReview(as(erin), id);
    expect(review.status).toBe("evaluation_failed");
    expect((await listReviews(as(vera), { filter: "all", modelName: "credit-logreg" })).find((r) => r.id === id)?.status).toBe("evaluation_failed");
    expect((await getReview(as(rita), id)).permissions.cannotDecideReason).toMatch(/evaluation failed/);
    expect(review.job?.status).toBe("failed");
    expect(review.evaluationError).toBe(review.job?.error);
    expect(review.evaluationError).not.toMatch(/server log/);
    // The review page says the stored reason in the reader's language.
    const failure = { message: review.evaluationError ?? "", sentence: review.evaluationErrorSentence ?? undefined };
    expect(saidIn("en", failure)).toBe(review.evaluationError);
    expect(saidIn("fr", failure)).toBe("La colonne d’étiquette «\u00a0purpose\u00a0» est une des entrées du modèle\u00a0; nommez la colonne qui contient le vrai résultat.");
    expect(review.report).toBeNull();
    expect(review.permissions.canReevaluate).toBe(true);
    const audit = await listAuditEntries(studio.db, { targetType: "review", targetId: String(id), actor: "system" });
    expect(audit.map((e) => [e.before, (e.after as { status: string }).status])).toEqual([[{ status: "evaluating" }, "evaluation_failed"]]);
  });

  it("resumes an interrupted evaluation at start-up, and fails one interrupted too often", async () => {
    const [template] = await studio.db.select().from(reviews).where(eq(reviews.reviewId, firstReview));
    const now = Date.now();
    const insertInterrupted = async (attempts: number) => {
      const [review] = await studio.db
        .insert(reviews)
        .values({ ...template, reviewId: undefined, status: "evaluating", reportId: null, criteriaResults: null, criteriaRevision: 1, decidedAt: null, createdAt: now, updatedAt: now })
        .returning();
      await studio.db.insert(reviewJobs).values({ reviewId: review.reviewId, status: "running", attempts, stage: "predict", progress: 0.3, createdAt: now, startedAt: now });
      return review.reviewId;
    };
    const resumable = await insertInterrupted(1);
    const exhausted = await insertInterrupted(3);
    expect(await resumeReviewJobs(deps())).toEqual({ resumed: 1, failed: 1 });
    await waitForReviewJobs();

    const resumed = await getReview(as(erin), resumable);
    expect(resumed.status).toBe("ready");
    expect(resumed.job).toMatchObject({ status: "done", progress: 1 });
    const [job] = await studio.db.select().from(reviewJobs).where(eq(reviewJobs.reviewId, resumable));
    expect(job.attempts).toBe(2);
    expect(await studio.db.select().from(evaluationReports)).toHaveLength(1);

    const failed = await getReview(as(erin), exhausted);
    expect(failed.status).toBe("evaluation_failed");
    expect(failed.evaluationError).toMatch(/interrupted 3 times/);
    const interrupted = { message: failed.evaluationError ?? "", sentence: failed.evaluationErrorSentence ?? undefined };
    expect(saidIn("en", interrupted)).toBe(failed.evaluationError);
    expect(saidIn("fr", interrupted)).toMatch(/^L’évaluation a été interrompue 3 fois /);
    expect(failed.job).toMatchObject({ status: "failed" });
    expect(failed.permissions.canReevaluate).toBe(true);
    await expect(reevaluateReview(as(rita), { id: exhausted }, root)).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    await reevaluateReview(as(erin), { id: exhausted }, root);
    await waitForReviewJobs();
    const again = await getReview(as(erin), exhausted);
    expect(again.status).toBe("ready");
    expect(again.evaluationError).toBeNull();
    expect(again.evaluationErrorSentence).toBeNull();
    await expect(reevaluateReview(as(erin), { id: exhausted }, root)).rejects.toMatchObject({ code: "INVALID_STATE" });
    const [{ stuck }] = await studio.db.select({ stuck: sql<number>`count(*)::int` }).from(reviewJobs).where(sql`${reviewJobs.status} in ('pending', 'running')`);
    expect(stuck).toBe(0);
  });
});
