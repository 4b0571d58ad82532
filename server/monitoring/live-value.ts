// Live value from feedback: the production version's approved outcome values applied to the requests whose true
// outcome came back as feedback, beside the expected value its review promised at the approved threshold.
import { eq, sql } from "drizzle-orm";
import { evaluationReports, inferenceFeedback, inferenceLog, reviews } from "@/db/schema";
import { queryRows, type Database } from "@/db/client";
import { expectedValuePer1000 } from "@/lib/acceptance-criteria";
import { valuePerDecision } from "@/lib/business-value";
import type { LiveValue } from "@/lib/business-value-schema";
import { findApprovedReview } from "../review/gate";
import { storedValueSettings } from "../review/review-value";
import type { EvaluationReport } from "../review/schema";


/**
 * Live value of the production version since `from`, or null when its approved review gave no outcome values. `route`
 * picks whose answers count: production's (the default), or a canary's or shadow's (the Deployments comparison).
 */
export async function liveValueOf(
  db: Database,
  modelId: number,
  productionVersionId: number | null,
  from: number,
  route: "production" | "canary" | "shadow" = "production",
): Promise<LiveValue | null> {
  if (productionVersionId === null) return null;
  const approved = await findApprovedReview(db, productionVersionId);
  if (!approved) return null;
  const [row] = await db
    .select({ valueSettings: reviews.valueSettings, report: evaluationReports.report })
    .from(reviews)
    .leftJoin(evaluationReports, eq(evaluationReports.reportId, reviews.reportId))
    .where(eq(reviews.reviewId, approved.reviewId));
  const settings = storedValueSettings(row?.valueSettings);
  if (!settings || (!settings.outcomes && settings.costPerUnitError === null)) return null;
  const report = (row?.report ?? null) as EvaluationReport | null;
  const expected = report ? expectedValuePer1000(report, settings) : null;
  const truth = sql`(f.label #>> '{}')`;
  const predicted = sql`(l.predictions -> f.row_index #>> '{}')`;
  // Only answers of the production version count: its threshold and outcome values are the ones approved.
  const joined = sql`from ${inferenceFeedback} f join ${inferenceLog} l on l.model_id = f.model_id and l.request_id = f.request_id
    where l.model_id = ${modelId} and l.version_id = ${productionVersionId} and l.route = ${route} and l.at >= ${from} and (l.predictions -> f.row_index) is not null and f.superseded_at is null`;
  const base = { reviewId: approved.reviewId, currency: settings.currency, expectedPer1000: expected?.value ?? null };
  if (settings.outcomes) {
    const positive = report?.value?.binary?.positiveClass ?? "1";
    const [counts] = await queryRows<{ tp: string | number; fp: string | number; fn: string | number; tn: string | number }>(
      db,
      sql`select count(*) filter (where ${truth} = ${positive} and ${predicted} = ${positive}) as tp,
            count(*) filter (where ${truth} <> ${positive} and ${predicted} = ${positive}) as fp,
            count(*) filter (where ${truth} = ${positive} and ${predicted} <> ${positive}) as fn,
            count(*) filter (where ${truth} <> ${positive} and ${predicted} <> ${positive}) as tn
          ${joined}`,
    );
    const c = { tp: Number(counts?.tp ?? 0), fp: Number(counts?.fp ?? 0), fn: Number(counts?.fn ?? 0), tn: Number(counts?.tn ?? 0) };
    const count = c.tp + c.fp + c.fn + c.tn;
    return { ...base, threshold: settings.threshold, count, counts: c, realisedPer1000: count > 0 ? 1000 * valuePerDecision(c, settings.outcomes) : null };
  }
  const [errors] = await queryRows<{ n: string | number; sae: number | null }>(
    db,
    sql`select count(*) as n, sum(abs((${truth})::float8 - (${predicted})::float8)) as sae
        ${joined} and jsonb_typeof(f.label) = 'number' and jsonb_typeof(l.predictions -> f.row_index) = 'number'`,
  );
  const n = Number(errors?.n ?? 0);
  return { ...base, threshold: null, count: n, counts: null, realisedPer1000: n > 0 ? (-1000 * settings.costPerUnitError! * Number(errors!.sae)) / n : null };
}
