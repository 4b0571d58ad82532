// Labelling one item at a time: the next item for this labeller, a label or a skip, and undo. An item settles by the
// rules of lib/labelling-agreement.ts; once agreed, its label becomes feedback (source 'labelling') so the live metric
// counts it — once, and only then. Undo takes the labeller's last answer back, with the feedback it produced.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { auditLog, inferenceFeedback, labellingItems, labellingLabels } from "@/db/schema";
import type { Database } from "@/db/client";
import { queryRows } from "@/db/client";
import { itemVerdict, type LabelValue } from "@/lib/labelling-agreement";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { invalidParameter, notFound, saidError } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import { findRegisteredModel } from "../registry/model-versions";
import type { ServiceContext } from "../service-context";
import { queueClasses, queueRowOf } from "./queue";
import type { NextItem } from "./schema";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** One audit entry per labeller, queue and hour: the labels themselves are kept, each with its labeller and time, in labelling_labels. */
const AUDIT_BUCKET_MS = 60 * 60_000;

export async function nextLabellingItem(ctx: ServiceContext, input: { name: string }): Promise<NextItem> {
  authorize(ctx.actor, "labelling.label");
  const model = await findRegisteredModel(ctx.db, input.name);
  await queueRowOf(ctx.db, model.modelId, model.name);
  const me = ctx.actor.userId;
  // Items others started come first, so two-labeller items settle before new ones are opened.
  const [item] = await queryRows<{ item_id: string | number; request_id: string; row_index: number; inputs: [string, number | string | null][]; votes: string | number }>(
    ctx.db,
    sql`select i.item_id, i.request_id, i.row_index, i.inputs,
          (select count(*) from ${labellingLabels} v where v.item_id = i.item_id and v.label is not null) as votes
        from ${labellingItems} i
        where i.model_id = ${model.modelId} and i.status = 'open'
          and not exists (select 1 from ${labellingLabels} l where l.item_id = i.item_id and l.labeller_id = ${me})
        order by votes desc, i.rank asc limit 1`,
  );
  const [counts] = await queryRows<{ done: string | number; waiting: string | number }>(
    ctx.db,
    sql`select (select count(*) from ${labellingLabels} where model_id = ${model.modelId} and labeller_id = ${me}) as done,
               (select count(*) from ${labellingItems} i where i.model_id = ${model.modelId} and i.status = 'open'
                  and not exists (select 1 from ${labellingLabels} l where l.item_id = i.item_id and l.labeller_id = ${me})) as waiting`,
  );
  const [last] = await ctx.db
    .select({ itemId: labellingLabels.itemId, label: labellingLabels.label })
    .from(labellingLabels)
    .where(and(eq(labellingLabels.modelId, model.modelId), eq(labellingLabels.labellerId, me)))
    .orderBy(desc(labellingLabels.labelId))
    .limit(1);
  return {
    model: model.name,
    classes: await queueClasses(ctx, model.name, model.modelId),
    item: item
      ? { itemId: Number(item.item_id), requestId: item.request_id, rowIndex: item.row_index, inputs: item.inputs, tieBreak: Number(item.votes) >= 2 }
      : null,
    doneByMe: Number(counts?.done ?? 0),
    waitingForMe: Number(counts?.waiting ?? 0),
    undoable: last ? { itemId: last.itemId, label: last.label ?? null } : null,
  };
}

/** The class as the model's answers spell it: a number when the model answers numbers, so feedback compares like with like. */
function asAnswered(label: LabelValue, prediction: number | string | null): LabelValue {
  return typeof prediction === "number" && typeof label === "string" && label.trim() !== "" && Number.isFinite(Number(label)) ? Number(label) : label;
}

/** Writes an audit entry unless this labeller already has one for this queue in the last hour (labels are recorded per row anyway). */
async function auditLabelling(tx: Tx, actor: Actor, modelName: string, now: number, what: Record<string, unknown>): Promise<void> {
  const [recent] = await tx
    .select({ auditId: auditLog.auditId })
    .from(auditLog)
    .where(and(eq(auditLog.actorUsername, actor.username), eq(auditLog.action, "labelling.label"), eq(auditLog.targetId, modelName), sql`${auditLog.at} >= ${now - AUDIT_BUCKET_MS}`))
    .limit(1);
  if (recent) return;
  await recordAudit(tx, actor, {
    action: "labelling.label",
    targetType: "registered_model",
    targetId: modelName,
    after: what,
    meta: { note: "one entry per labeller, queue and hour; every label, skip and undo is kept in labelling_labels" },
  });
}

/** Settles the item from its remaining labels: writes or withdraws its feedback as the verdict changes. */
async function settle(tx: Tx, actor: Actor, itemId: number, now: number): Promise<"open" | "agreed" | "disputed"> {
  const [item] = await tx.select().from(labellingItems).where(eq(labellingItems.itemId, itemId));
  if (!item) throw notFound(`Labelling item ${itemId} does not exist.`, sentence("error.labelling.no_item", { itemId: String(itemId) }));
  const votes = await tx
    .select({ label: labellingLabels.label })
    .from(labellingLabels)
    .where(and(eq(labellingLabels.itemId, itemId), sql`${labellingLabels.label} is not null`))
    .orderBy(labellingLabels.labelId);
  const verdict = itemVerdict(
    votes.map((v) => v.label as LabelValue),
    item.labelsRequired === 2 ? 2 : 1,
  );
  const wasAgreed = item.status === "agreed";
  if (wasAgreed && (verdict.status !== "agreed" || String(verdict.label) !== String(item.agreedLabel))) {
    // Taken back: the labelling's feedback goes, and the label it had superseded (a client's, say) counts again.
    if (item.feedbackId !== null) await tx.delete(inferenceFeedback).where(eq(inferenceFeedback.feedbackId, item.feedbackId));
    if (item.supersededFeedbackId !== null) {
      await tx.update(inferenceFeedback).set({ supersededAt: null }).where(eq(inferenceFeedback.feedbackId, item.supersededFeedbackId));
    }
    await tx.update(labellingItems).set({ status: "open", agreedLabel: null, feedbackId: null, supersededFeedbackId: null }).where(eq(labellingItems.itemId, itemId));
  }
  if (verdict.status === "agreed" && !(wasAgreed && String(verdict.label) === String(item.agreedLabel))) {
    const label = asAnswered(verdict.label, item.prediction ?? null);
    const [replaced] = await tx
      .update(inferenceFeedback)
      .set({ supersededAt: now })
      .where(
        and(
          eq(inferenceFeedback.modelId, item.modelId),
          eq(inferenceFeedback.requestId, item.requestId),
          eq(inferenceFeedback.rowIndex, item.rowIndex),
          isNull(inferenceFeedback.supersededAt),
        ),
      )
      .returning({ feedbackId: inferenceFeedback.feedbackId });
    const [feedback] = await tx
      .insert(inferenceFeedback)
      .values({ modelId: item.modelId, requestId: item.requestId, rowIndex: item.rowIndex, label, at: now, postedById: actor.userId, postedBy: actor.username, source: "labelling" })
      .returning({ feedbackId: inferenceFeedback.feedbackId });
    await tx
      .update(labellingItems)
      .set({ status: "agreed", agreedLabel: label, feedbackId: feedback!.feedbackId, supersededFeedbackId: replaced?.feedbackId ?? null })
      .where(eq(labellingItems.itemId, itemId));
  } else if (verdict.status !== "agreed") {
    await tx.update(labellingItems).set({ status: verdict.status }).where(eq(labellingItems.itemId, itemId));
  }
  return verdict.status;
}

/** Records this labeller's label for the item (null = skip) and settles it. */
export async function giveLabel(ctx: ServiceContext, input: { name: string; itemId: number; label: LabelValue | null }): Promise<{ status: "open" | "agreed" | "disputed" }> {
  authorize(ctx.actor, "labelling.label");
  const model = await findRegisteredModel(ctx.db, input.name);
  const classes = await queueClasses(ctx, model.name, model.modelId);
  if (input.label !== null && classes.length && !classes.includes(String(input.label))) {
    throw invalidParameter(
      `${JSON.stringify(input.label)} is not one of the model's classes (${classes.join(", ")}): choose one of them, or skip.`,
      sentence("error.labelling.not_a_class", { label: JSON.stringify(input.label), classes: classes.join(", ") }),
    );
  }
  const now = Date.now();
  return ctx.db.transaction(async (tx) => {
    const [item] = await tx
      .select()
      .from(labellingItems)
      .where(and(eq(labellingItems.itemId, input.itemId), eq(labellingItems.modelId, model.modelId)))
      .for("update");
    if (!item) throw notFound(`Item ${input.itemId} is not in the labelling queue of '${model.name}'.`, sentence("error.labelling.not_in_queue", { itemId: String(input.itemId), model: model.name }));
    if (item.status !== "open") {
      throw saidError(
        "INVALID_STATE",
        `Item ${input.itemId} was settled by other labellers meanwhile (${item.status}); take the next item.`,
        sentence("error.labelling.settled_meanwhile", { itemId: String(input.itemId), status: item.status }),
      );
    }
    const inserted = await tx
      .insert(labellingLabels)
      .values({
        itemId: item.itemId,
        modelId: item.modelId,
        requestId: item.requestId,
        rowIndex: item.rowIndex,
        labellerId: ctx.actor.userId,
        labeller: ctx.actor.username,
        label: input.label === null ? null : asAnswered(input.label, item.prediction ?? null),
        at: now,
      })
      .onConflictDoNothing()
      .returning({ labelId: labellingLabels.labelId });
    if (!inserted.length) {
      throw saidError("INVALID_STATE", `You already answered item ${input.itemId}: undo your answer to change it.`, sentence("error.labelling.already_answered", { itemId: String(input.itemId) }));
    }
    const status = input.label === null ? "open" : await settle(tx, ctx.actor, item.itemId, now);
    await auditLabelling(tx, ctx.actor, model.name, now, { firstItemId: item.itemId });
    return { status };
  });
}

/** Takes back this labeller's last answer in the queue (and the feedback it settled), unless others answered the item since. */
export async function undoLastLabel(ctx: ServiceContext, input: { name: string }): Promise<{ itemId: number }> {
  authorize(ctx.actor, "labelling.label");
  const model = await findRegisteredModel(ctx.db, input.name);
  const now = Date.now();
  return ctx.db.transaction(async (tx) => {
    const [last] = await tx
      .select()
      .from(labellingLabels)
      .where(and(eq(labellingLabels.modelId, model.modelId), eq(labellingLabels.labellerId, ctx.actor.userId)))
      .orderBy(desc(labellingLabels.labelId))
      .limit(1);
    if (!last) throw saidError("INVALID_STATE", "There is nothing to undo: you have not labelled anything in this queue.", sentence("error.labelling.nothing_to_undo"));
    await tx.select({ itemId: labellingItems.itemId }).from(labellingItems).where(eq(labellingItems.itemId, last.itemId)).for("update");
    const [later] = await tx
      .select({ labeller: labellingLabels.labeller })
      .from(labellingLabels)
      .where(and(eq(labellingLabels.itemId, last.itemId), sql`${labellingLabels.labelId} > ${last.labelId}`))
      .limit(1);
    if (later) {
      throw saidError(
        "INVALID_STATE",
        `${later.labeller} labelled this item after you, so your answer is part of their decision and cannot be undone.`,
        sentence("error.labelling.labelled_after_you", { labeller: later.labeller }),
      );
    }
    await tx.delete(labellingLabels).where(eq(labellingLabels.labelId, last.labelId));
    await settle(tx, ctx.actor, last.itemId, now);
    await auditLabelling(tx, ctx.actor, model.name, now, { firstItemId: last.itemId });
    return { itemId: last.itemId };
  });
}
