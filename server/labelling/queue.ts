// A model's labelling queue: its settings (editors and admins), the classes its labellers choose from, and its
// progress with the agreement rate. Filling it is fill.ts.
import { and, desc, eq, sql } from "drizzle-orm";
import { labellingItems, labellingLabels, labellingQueues, registeredModelAliases } from "@/db/schema";
import { queryRows, type Database } from "@/db/client";
import { agreementRate } from "@/lib/labelling-agreement";
import type { LabellingStrategy } from "@/lib/labelling-strategies";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { notFound, saidError } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import { labelSpaceOf } from "../monitoring/feedback";
import { findRegisteredModel } from "../registry/model-versions";
import type { ServiceContext } from "../service-context";
import type { ConfigureQueueInput, LabellingQueue } from "./schema";

export async function queueRowOf(db: Pick<Database, "select">, modelId: number, modelName: string) {
  const [queue] = await db.select().from(labellingQueues).where(eq(labellingQueues.modelId, modelId));
  if (!queue) throw notFound(`Model '${modelName}' has no labelling queue yet: an editor or admin sets one up on the model's labelling page.`, sentence("error.labelling.no_queue", { model: modelName }));
  return queue;
}

/** The classes a labeller chooses from: those of the production version (or the latest labelled items' version). */
export async function queueClasses(ctx: ServiceContext, modelName: string, modelId: number): Promise<string[]> {
  const [item] = await ctx.db.select({ versionId: labellingItems.versionId }).from(labellingItems).where(eq(labellingItems.modelId, modelId)).orderBy(desc(labellingItems.itemId)).limit(1);
  const versionId = item?.versionId ?? (await productionVersionId(ctx.db, modelId));
  if (versionId === null) return [];
  const space = await labelSpaceOf(ctx, modelName, versionId);
  return space.classes ?? [];
}

async function productionVersionId(db: Pick<Database, "select">, modelId: number): Promise<number | null> {
  const [row] = await db
    .select({ versionId: registeredModelAliases.versionId })
    .from(registeredModelAliases)
    .where(and(eq(registeredModelAliases.modelId, modelId), eq(registeredModelAliases.alias, "production")));
  return row?.versionId ?? null;
}

/** Counts by state and the agreement rate of items two people labelled, for each of the models (one query). */
export async function queuesProgress(db: Pick<Database, "execute">, modelIds: number[]): Promise<Map<number, LabellingQueue["progress"]>> {
  const out = new Map<number, LabellingQueue["progress"]>();
  if (!modelIds.length) return out;
  const items = await queryRows<{ model_id: string | number; status: string; labels: (number | string)[] }>(
    db,
    sql`select i.model_id, i.status, coalesce(jsonb_agg(l.label order by l.label_id) filter (where l.label is not null), '[]'::jsonb) as labels
        from ${labellingItems} i left join ${labellingLabels} l on l.item_id = i.item_id
        where i.model_id in (select unnest(${sql.param(modelIds)}::bigint[])) group by i.item_id`,
  );
  for (const modelId of modelIds) {
    const own = items.filter((i) => Number(i.model_id) === modelId);
    const rate = agreementRate(own.map((i) => i.labels));
    out.set(modelId, {
      items: own.length,
      open: own.filter((i) => i.status === "open").length,
      agreed: own.filter((i) => i.status === "agreed").length,
      disputed: own.filter((i) => i.status === "disputed").length,
      awaitingThird: own.filter((i) => i.status === "open" && i.labels.length === 2).length,
      agreementRate: rate.rate,
      pairs: rate.pairs,
    });
  }
  return out;
}

export async function getLabellingQueue(ctx: ServiceContext, input: { name: string }): Promise<LabellingQueue | null> {
  authorize(ctx.actor, "labelling.label");
  const model = await findRegisteredModel(ctx.db, input.name);
  const [queue] = await ctx.db.select().from(labellingQueues).where(eq(labellingQueues.modelId, model.modelId));
  if (!queue) return null;
  return {
    model: model.name,
    strategy: queue.strategy,
    fillSize: queue.fillSize,
    labelsRequired: queue.labelsRequired === 2 ? 2 : 1,
    classes: await queueClasses(ctx, model.name, model.modelId),
    updatedBy: queue.updatedBy,
    updatedAt: queue.updatedAt,
    progress: (await queuesProgress(ctx.db, [model.modelId])).get(model.modelId)!,
  };
}

/** Every queue, with how many of its items wait for the asking labeller (the labeller's start page). */
export async function listLabellingQueues(ctx: ServiceContext) {
  authorize(ctx.actor, "labelling.label");
  const rows = await queryRows<{ model_id: string | number; name: string; strategy: LabellingStrategy; labels_required: number; waiting: string | number }>(
    ctx.db,
    sql`select q.model_id, m.name, q.strategy, q.labels_required,
          (select count(*) from ${labellingItems} i where i.model_id = q.model_id and i.status = 'open'
             and not exists (select 1 from ${labellingLabels} l where l.item_id = i.item_id and l.labeller_id = ${ctx.actor.userId})) as waiting
        from ${labellingQueues} q join registered_models m on m.model_id = q.model_id order by m.name`,
  );
  const progress = await queuesProgress(
    ctx.db,
    rows.map((row) => Number(row.model_id)),
  );
  return rows.map((row) => ({
    model: row.name,
    strategy: row.strategy,
    labelsRequired: row.labels_required,
    progress: progress.get(Number(row.model_id))!,
    waitingForMe: Number(row.waiting),
  }));
}

export async function configureLabellingQueue(ctx: ServiceContext, input: ConfigureQueueInput): Promise<void> {
  authorize(ctx.actor, "labelling.manage");
  const model = await findRegisteredModel(ctx.db, input.name);
  const productionId = await productionVersionId(ctx.db, model.modelId);
  if (productionId !== null) {
    const space = await labelSpaceOf(ctx, model.name, productionId);
    if (space.task === "regression") {
      throw saidError(
        "INVALID_STATE",
        `'${model.name}' predicts numbers: labelling queues are for classifiers (one key per class). Post true values as feedback instead.`,
        sentence("error.labelling.regression_model", { model: model.name }),
      );
    }
  }
  const now = Date.now();
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(labellingQueues).where(eq(labellingQueues.modelId, model.modelId));
    const values = { strategy: input.strategy, fillSize: input.fillSize, labelsRequired: input.labelsRequired, updatedBy: ctx.actor.username, updatedAt: now };
    await tx
      .insert(labellingQueues)
      .values({ modelId: model.modelId, ...values })
      .onConflictDoUpdate({ target: labellingQueues.modelId, set: values });
    await recordAudit(tx, ctx.actor, {
      action: "labelling.queue.configure",
      targetType: "registered_model",
      targetId: model.name,
      before: before ? { strategy: before.strategy, fillSize: before.fillSize, labelsRequired: before.labelsRequired } : null,
      after: { strategy: input.strategy, fillSize: input.fillSize, labelsRequired: input.labelsRequired },
    });
  });
}
