// The retention job: deletes inference-log entries (and the route counts beside them), feedback and labelling items/labels older than each model's retention, hourly, even when no request arrives.
import { desc, eq, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { retentionRuns } from "@/db/schema";
import { queryRows, type Database } from "@/db/client";
import { pruneFinishedJobs } from "../jobs/queue";
import { registerJobHandler } from "../jobs/runner";
import { authorize } from "../auth/permissions";
import { findRegisteredModel } from "../registry/model-versions";
import { pruneStudioEvents } from "../notifications/outbox";
import type { ServiceContext } from "../service-context";

const DAY_MS = 86_400_000;
const RETENTION_EVERY_MS = 3_600_000;
/** The first run waits a little after start-up, so it never competes with migrations and the demo seed. */
const FIRST_RUN_AFTER_MS = 60_000;
/** Runs are kept this long: enough to show the job is alive, without growing forever. */
const RUN_HISTORY_MS = 30 * DAY_MS;
/** Models without settings keep the log this long (model_monitoring.retention_days' default). */
const DEFAULT_RETENTION_DAYS = 30;

export const zRetentionRun = z.object({ at: z.number(), retentionDays: z.number(), inferenceRowsDeleted: z.number(), feedbackRowsDeleted: z.number() });
export type RetentionRun = z.infer<typeof zRetentionRun>;

/**
 * One pass over every model that has a log, feedback or settings: deletes what is older than its retention and records
 * a run per model (rows deleted, possibly zero). Feedback follows the log it labels: kept no longer than the requests.
 * So do labelling items (their inputs are copies of logged rows) and the labels people gave: an item added before the
 * cut-off goes with its labels (cascade), and a label given before it goes even if its item was re-added later.
 */
export async function enforceRetention(
  db: Database,
  now = Date.now(),
): Promise<{ models: number; inferenceRowsDeleted: number; feedbackRowsDeleted: number; labellingRowsDeleted: number }> {
  return db.transaction(async (tx) => {
    const rows = await queryRows<{ modelId: string | number; days: number; logDeleted: number; feedbackDeleted: number; labellingDeleted: number }>(
      tx,
      sql`with settings as (
            select m.model_id, coalesce(mm.retention_days, ${DEFAULT_RETENTION_DAYS}) as days
            from registered_models m left join model_monitoring mm on mm.model_id = m.model_id
            where mm.model_id is not null
               or exists (select 1 from inference_log l where l.model_id = m.model_id)
               or exists (select 1 from inference_feedback f where f.model_id = m.model_id)
               or exists (select 1 from labelling_items i where i.model_id = m.model_id)
          ), deleted_log as (
            delete from inference_log l using settings s
            where l.model_id = s.model_id and l.at < ${now} - s.days::bigint * ${DAY_MS}
            returning l.model_id
          ), deleted_counts as (
            delete from route_counts c using settings s
            where c.model_id = s.model_id and c.minute < ${now} - s.days::bigint * ${DAY_MS}
          ), deleted_feedback as (
            delete from inference_feedback f using settings s
            where f.model_id = s.model_id and f.at < ${now} - s.days::bigint * ${DAY_MS}
            returning f.model_id
          ), deleted_labels as (
            delete from labelling_labels b using settings s
            where b.model_id = s.model_id and b.at < ${now} - s.days::bigint * ${DAY_MS}
            returning b.model_id
          ), deleted_items as (
            delete from labelling_items i using settings s
            where i.model_id = s.model_id and i.added_at < ${now} - s.days::bigint * ${DAY_MS}
            returning i.model_id
          )
          select s.model_id as "modelId", s.days,
            (select count(*) from deleted_log d where d.model_id = s.model_id)::int as "logDeleted",
            (select count(*) from deleted_feedback d where d.model_id = s.model_id)::int as "feedbackDeleted",
            ((select count(*) from deleted_labels d where d.model_id = s.model_id)
              + (select count(*) from deleted_items d where d.model_id = s.model_id))::int as "labellingDeleted"
          from settings s`,
    );
    if (rows.length) {
      await tx.insert(retentionRuns).values(
        rows.map((r) => ({ modelId: Number(r.modelId), at: now, retentionDays: r.days, inferenceRowsDeleted: r.logDeleted, feedbackRowsDeleted: r.feedbackDeleted })),
      );
    }
    await tx.delete(retentionRuns).where(lt(retentionRuns.at, now - RUN_HISTORY_MS));
    return {
      models: rows.length,
      inferenceRowsDeleted: rows.reduce((sum, r) => sum + r.logDeleted, 0),
      feedbackRowsDeleted: rows.reduce((sum, r) => sum + r.feedbackDeleted, 0),
      labellingRowsDeleted: rows.reduce((sum, r) => sum + r.labellingDeleted, 0),
    };
  });
}

/** The model's latest retention run, for its monitoring settings; null before the job first ran for it. */
export async function lastRetentionRun(ctx: ServiceContext, input: { name: string }): Promise<RetentionRun | null> {
  authorize(ctx.actor, "studio.read");
  const model = await findRegisteredModel(ctx.db, input.name);
  const [row] = await ctx.db
    .select({ at: retentionRuns.at, retentionDays: retentionRuns.retentionDays, inferenceRowsDeleted: retentionRuns.inferenceRowsDeleted, feedbackRowsDeleted: retentionRuns.feedbackRowsDeleted })
    .from(retentionRuns)
    .where(eq(retentionRuns.modelId, model.modelId))
    .orderBy(desc(retentionRuns.runId))
    .limit(1);
  return row ?? null;
}

/** Finished one-off jobs stay on the Jobs page this long. */
const FINISHED_JOBS_KEPT_MS = 7 * DAY_MS;

/** One retention pass: the outbox, every model's log and feedback past its retention, and old finished jobs. */
export async function runRetention(db: Database): Promise<void> {
  await pruneStudioEvents(db);
  const result = await enforceRetention(db);
  await pruneFinishedJobs(db, FINISHED_JOBS_KEPT_MS);
  if (result.inferenceRowsDeleted || result.feedbackRowsDeleted || result.labellingRowsDeleted) {
    console.log(
      `[studio] retention: deleted ${result.inferenceRowsDeleted} inference-log entries, ${result.feedbackRowsDeleted} feedback labels and ${result.labellingRowsDeleted} labelling items/labels past their model's retention`,
    );
  }
}

/** Hourly, in one process of all those sharing the database (a periodic job of the shared queue). */
export const RETENTION_JOB = { kind: "monitoring.retention", everyMs: RETENTION_EVERY_MS, firstDelayMs: FIRST_RUN_AFTER_MS } as const;

registerJobHandler(RETENTION_JOB.kind, ({ db }) => runRetention(db));
