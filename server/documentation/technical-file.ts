// Builds a model version's technical file (EU AI Act Annex IV) from what the studio already holds: the registry
// (version, lineage, aliases), datasets (digests, profiles, PII policy), tracking (run params and code version),
// reviews (report, criteria, decisions, exceptions), monitoring (thresholds, feedback) and the model card's revisions.
import { and, desc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { sentencesOneForOne } from "@/lib/i18n/server-sentence";
import { aliasEvents, inferenceFeedback, inferenceLog, modelMonitoring, registeredModelAliases, reviewDecisions, reviews, tags } from "@/db/schema";
import { authorize, can } from "../auth/permissions";
import { findVersion } from "../datasets/registry";
import type { DatasetProfileOutput } from "../datasets/schema";
import { defaultMonitoringThresholds, zMonitoringThresholds } from "../monitoring/schema";
import { findModelVersion } from "../registry/model-versions";
import type { OnnxIntrospection } from "../registry/onnx-introspection";
import { zModelLineage } from "../registry/schema";
import { getReview } from "../review/reviews";
import { taskFromIntrospection } from "../review/reviews";
import type { ReviewDetail } from "../review/schema";
import type { ServiceContext } from "../service-context";
import { cardRevisionSections, cardRevisionsOf, sectionsOf, toRevisionHistory } from "./model-card";
import type { TechnicalFile, TechnicalFileDataset } from "./schema";

type DatasetVersionFound = Awaited<ReturnType<typeof findVersion>>;

function datasetEntry(found: DatasetVersionFound, context: string | null): TechnicalFileDataset {
  const profile = found.row.profile as DatasetProfileOutput | null;
  const masking = Object.entries(found.row.maskingPolicy ?? {})
    .map(([column, policy]) => ({ column, action: String((policy as { action?: string }).action ?? "keep") }))
    .filter((m) => m.action !== "keep");
  const findings = (found.row.piiFindings ?? []) as { column: string; kind: string; share: number }[];
  return {
    name: found.dataset.name,
    version: found.row.version,
    digest: found.row.digest,
    context,
    rowCount: profile?.rowCount ?? found.row.rowCount ?? null,
    columnCount: profile?.columnCount ?? found.row.columns.length,
    mostMissing: (profile?.columns ?? [])
      .filter((c) => c.missingShare > 0)
      .sort((a, b) => b.missingShare - a.missingShare)
      .slice(0, 5)
      .map((c) => ({ column: c.name, share: c.missingShare })),
    masking,
    piiFindings: findings.map((f) => ({ column: f.column, kind: f.kind, share: f.share })),
    qualityStatus: found.row.qualityStatus,
    inRegistry: true,
  };
}

async function findDataset(ctx: ServiceContext, name: string, version: number): Promise<DatasetVersionFound | null> {
  try {
    return await findVersion(ctx.db, name, version);
  } catch {
    // A dataset deleted since the model was registered: the lineage still names it, with its digest.
    return null;
  }
}

/** The approved review of the version if there is one, else its newest review. */
function pickReview(rows: { reviewId: number; status: string; decidedAt: number | null }[]): number | null {
  const approved = rows.filter((r) => r.status === "approved").sort((a, b) => (b.decidedAt ?? 0) - (a.decidedAt ?? 0));
  return (approved[0] ?? rows[0])?.reviewId ?? null;
}

function reportMetrics(review: ReviewDetail): { name: string; value: number | null }[] {
  const report = review.report;
  if (!report) return [];
  if (report.classification) {
    const c = report.classification;
    return [
      { name: "accuracy", value: c.accuracy },
      { name: "macro_precision", value: c.macro.precision },
      { name: "macro_recall", value: c.macro.recall },
      { name: "macro_f1", value: c.macro.f1 },
      { name: "roc_auc", value: c.rocAuc },
      { name: "log_loss", value: c.logLoss },
    ];
  }
  if (report.regression) {
    const r = report.regression;
    return [
      { name: "rmse", value: r.rmse },
      { name: "mae", value: r.mae },
      { name: "r2", value: r.r2 },
    ];
  }
  return [];
}

export async function buildTechnicalFile(ctx: ServiceContext, input: { name: string; version: string }): Promise<TechnicalFile> {
  authorize(ctx.actor, "studio.read");
  const { model, row } = await findModelVersion(ctx.db, input.name, input.version);
  const lineage = zModelLineage.safeParse(row.lineage ?? {});
  const lineageData = lineage.success ? lineage.data : null;
  const introspection = row.introspection as OnnxIntrospection | null;
  const runId = row.runId ?? lineageData?.runId ?? null;

  const [aliasRows, reviewRows, cardRows, runTags, [monitoring], aliasHistory, [feedback]] = await Promise.all([
    ctx.db.select({ alias: registeredModelAliases.alias }).from(registeredModelAliases).where(eq(registeredModelAliases.versionId, row.versionId)),
    ctx.db
      .select({ reviewId: reviews.reviewId, status: reviews.status, decidedAt: reviews.decidedAt, requestedBy: reviews.requestedBy, createdAt: reviews.createdAt, approvedCardRevision: reviews.approvedCardRevision })
      .from(reviews)
      .where(eq(reviews.modelVersionId, row.versionId))
      .orderBy(desc(reviews.reviewId)),
    cardRevisionsOf(ctx.db, row.versionId),
    runId ? ctx.db.select({ key: tags.key, value: tags.value }).from(tags).where(eq(tags.runUuid, runId)) : Promise.resolve([]),
    ctx.db.select().from(modelMonitoring).where(eq(modelMonitoring.modelId, model.modelId)),
    ctx.db
      .select()
      .from(aliasEvents)
      .where(and(eq(aliasEvents.modelId, model.modelId), or(eq(aliasEvents.versionId, row.versionId), eq(aliasEvents.previousVersionId, row.versionId))))
      .orderBy(aliasEvents.eventId),
    ctx.db
      .select({ labels: sql<number>`count(*)::int`, lastAt: sql<number | null>`max(${inferenceFeedback.at})` })
      .from(inferenceFeedback)
      .where(
        and(
          eq(inferenceFeedback.modelId, model.modelId),
          isNull(inferenceFeedback.supersededAt),
          inArray(
            inferenceFeedback.requestId,
            ctx.db.select({ requestId: inferenceLog.requestId }).from(inferenceLog).where(and(eq(inferenceLog.versionId, row.versionId), ne(inferenceLog.route, "shadow"))),
          ),
        ),
      ),
  ]);

  const reviewId = pickReview(reviewRows);
  const review = reviewId ? await getReview(ctx, reviewId) : null;
  const decisionCards = reviewId
    ? new Map(
        (await ctx.db.select({ id: reviewDecisions.decisionId, card: reviewDecisions.cardRevision }).from(reviewDecisions).where(eq(reviewDecisions.reviewId, reviewId))).map(
          (d) => [d.id, d.card],
        ),
      )
    : new Map<number, number | null>();
  const approvedRevision = review?.status === "approved" ? (reviewRows.find((r) => r.reviewId === reviewId)?.approvedCardRevision ?? null) : null;

  const training: TechnicalFileDataset[] = [];
  for (const entry of lineageData?.datasets ?? []) {
    const found = entry.registry ? await findDataset(ctx, entry.registry.datasetName, entry.registry.version) : null;
    training.push(
      found
        ? datasetEntry(found, entry.context)
        : { name: entry.name, version: entry.registry?.version ?? null, digest: entry.digest, context: entry.context, rowCount: null, columnCount: null, mostMissing: [], masking: [], piiFindings: [], qualityStatus: null, inRegistry: false },
    );
  }
  const evaluationDataset = review ? await findDataset(ctx, review.datasetName, review.datasetVersion) : null;

  const tag = (key: string) => runTags.find((t) => t.key === key)?.value ?? null;
  const latestCard = cardRows.at(-1);
  const thresholds = monitoring ? zMonitoringThresholds.catch(defaultMonitoringThresholds).parse(monitoring.thresholds ?? {}) : defaultMonitoringThresholds;
  const report = review?.report ?? null;

  return {
    generatedAt: Date.now(),
    model: {
      name: model.name,
      version: String(row.version),
      digest: row.modelDigest,
      description: row.description,
      registeredBy: row.userId,
      registeredAt: row.creationTimestamp,
      stage: row.currentStage,
      aliases: aliasRows.map((a) => a.alias).sort(),
      task: introspection ? taskFromIntrospection(introspection) : null,
      inputs: introspection?.inputs.map((i) => i.name) ?? [],
      outputs: introspection?.outputs.map((o) => o.name) ?? [],
    },
    card: {
      revision: latestCard?.revision ?? 0,
      author: latestCard?.author ?? null,
      updatedAt: latestCard?.createdAt ?? null,
      sections: sectionsOf(latestCard),
      approvedRevision,
      approvedSections: approvedRevision === null ? null : await cardRevisionSections(ctx.db, row.versionId, approvedRevision),
      history: toRevisionHistory(cardRows).reverse(),
    },
    context: review ? review.context : null,
    data: { training, evaluation: evaluationDataset ? datasetEntry(evaluationDataset, "evaluation") : null },
    training: {
      runId,
      runName: lineageData?.runName ?? null,
      experimentId: lineageData?.experimentId ?? null,
      params: Object.entries(lineageData?.params ?? {}).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(lineageData?.metrics ?? {}).map(([key, value]) => ({ key, value })),
      code: {
        gitCommit: tag("mlflow.source.git.commit"),
        gitTag: tag("mlflow.source.git.tag") ?? tag("git.tag") ?? tag("mlflow.source.git.version"),
        gitBranch: tag("mlflow.source.git.branch"),
        source: tag("mlflow.source.name"),
      },
      derivedFrom: lineageData?.derivedFrom ?? null,
    },
    evaluation: review
      ? {
          reviewId: review.id,
          status: review.status,
          labelColumn: review.labelColumn,
          rowCount: report?.rowCount ?? null,
          task: report?.task ?? null,
          metrics: reportMetrics(review),
          criteria: review.criteriaResults ?? [],
          evaluatorVersion: report?.provenance.evaluatorVersion ?? null,
          evaluatedAt: report?.provenance.createdAt ?? null,
          notes: report?.notes ?? [],
          trainingOverlap: review.trainingOverlap,
        }
      : null,
    fairness: {
      sensitiveAttributes: review?.sensitiveAttributes ?? [],
      attributes: (report?.fairness ?? []).map((f) => ({
        attribute: f.attribute,
        demographicParityDifference: f.demographicParityDifference,
        demographicParityRatio: f.demographicParityRatio,
        equalOpportunityDifference: f.equalOpportunityDifference,
        groups: f.groups.map((g) => ({ group: g.group, size: g.size, selectionRate: g.selectionRate, truePositiveRate: g.truePositiveRate })),
      })),
    },
    robustness: {
      perturbations: (report?.robustness ?? []).map((r) => ({ label: r.label, metric: r.metric, value: r.value, drop: r.drop, error: r.error })),
      edgeCases: {
        total: report?.edgeCases.length ?? 0,
        failed: report?.edgeCases.filter((e) => !e.ok).length ?? 0,
        failures: (report?.edgeCases ?? []).filter((e) => !e.ok).map((e) => ({ feature: e.feature, case: e.case, error: e.error })),
      },
    },
    oversight: {
      review: review
        ? {
            id: review.id,
            status: review.status,
            requestedBy: review.requestedBy,
            requestedAt: review.createdAt,
            requiredApprovals: review.requiredApprovals,
            decidedAt: review.decidedAt,
            criteriaRevision: review.criteriaRevision,
            decisions: review.decisions.map((d) => ({
              reviewer: d.reviewer,
              decision: d.decision,
              comment: d.comment,
              createdAt: d.createdAt,
              criteriaRevision: d.criteriaRevision,
              cardRevision: decisionCards.get(d.id) ?? null,
              standing: d.withdrawnAt ? "withdrawn" : d.invalidatedAt || d.criteriaRevision !== review.criteriaRevision ? "invalidated" : "counts",
              withdrawal: d.withdrawnAt ? { by: d.withdrawnBy ?? "", at: d.withdrawnAt, reason: d.withdrawalReason ?? "" } : null,
            })),
            criteriaRevisions: review.revisions.map((r) => ({ revision: r.revision, changedBy: r.changedBy, changedAt: r.changedAt, requiredApprovals: r.requiredApprovals })),
            exceptions: review.exceptions.map((e) => ({ criterion: e.criterion, result: e.result, justification: e.justification, approvedBy: e.approvedBy })),
            comments: review.comments.map((c) => ({ author: c.author, body: c.body, createdAt: c.createdAt })),
          }
        : null,
      allReviews: reviewRows.map((r) => ({ id: r.reviewId, status: r.status as ReviewDetail["status"], requestedBy: r.requestedBy, createdAt: r.createdAt })),
    },
    monitoring: {
      configured: Boolean(monitoring),
      sampleRate: monitoring?.sampleRate ?? null,
      retentionDays: monitoring?.retentionDays ?? null,
      thresholds: { ...thresholds },
      feedback: { labels: feedback?.labels ?? 0, lastAt: feedback?.lastAt === null || feedback?.lastAt === undefined ? null : Number(feedback.lastAt) },
      flagReasons: monitoring?.flagReasons ?? [],
      flagReasonMessages: sentencesOneForOne(monitoring?.flagReasons ?? [], monitoring?.flagReasonMessages),
      aliasHistory: aliasHistory.map((e) => ({
        alias: e.alias,
        kind: e.kind,
        version: e.version,
        previousVersion: e.previousVersion,
        actor: e.actorUsername,
        at: e.at,
        reason: e.reason,
      })),
    },
    permissions: { canEdit: can(ctx.actor, "models.write") },
  };
}
