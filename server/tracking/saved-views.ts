// Saved views: a named runs-table view (filter, order, columns, open parents, layout) or compare view (its
// options), shared with everyone who can read the experiment; one runs view per experiment may be its default.
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { savedViews } from "@/db/schema";
import { queryRows } from "@/db/client";
import { SAVED_VIEW_KINDS, zCompareViewState, zRunsViewState, type SavedViewKind } from "@/lib/saved-view-state";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { DomainError, notFound } from "../errors";
import type { ServiceContext } from "../service-context";

const zExperimentId = z.string().regex(/^\d{1,15}$/, "An experiment id is a number");
const zViewId = z.number().int().positive("A view id is a positive number");
const zKind = z.enum(SAVED_VIEW_KINDS);

export const zListSavedViews = z.object({ experimentId: zExperimentId, kind: zKind });

const zViewName = z.string().trim().min(1, "Give the view a name").max(120, "A view's name can be at most 120 characters");
export const zSaveView = z.discriminatedUnion("kind", [
  z.object({ experimentId: zExperimentId, kind: z.literal("runs"), name: zViewName, state: zRunsViewState, makeDefault: z.boolean().default(false) }),
  z.object({ experimentId: zExperimentId, kind: z.literal("compare"), name: zViewName, state: zCompareViewState, makeDefault: z.literal(false).default(false) }),
]);
export const zDeleteView = z.object({ experimentId: zExperimentId, viewId: zViewId });
/** viewId null: the experiment opens with no default view. */
export const zSetDefaultView = z.object({ experimentId: zExperimentId, viewId: zViewId.nullable() });

export const zSavedView = z.object({
  viewId: z.number(),
  experimentId: z.string(),
  kind: zKind,
  name: z.string(),
  state: z.union([zRunsViewState, zCompareViewState]),
  isDefault: z.boolean(),
  createdBy: z.string(),
  updatedAt: z.number(),
});
export type SavedView = z.infer<typeof zSavedView>;

type Row = typeof savedViews.$inferSelect;

function toSavedView(row: Row): SavedView {
  return {
    viewId: row.viewId,
    experimentId: String(row.experimentId),
    kind: row.kind,
    name: row.name,
    state: row.state as SavedView["state"],
    isDefault: row.isDefault,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
  };
}

async function requireExperiment(ctx: ServiceContext, experimentId: string): Promise<number> {
  const id = Number(experimentId);
  const [row] = await queryRows<{ ok: number }>(ctx.db, sql`select 1 as ok from experiments where experiment_id = ${id}`);
  if (!row) throw notFound(`No experiment with id=${experimentId} exists.`);
  return id;
}

/** The experiment's views of one kind, by name. */
export async function listSavedViews(ctx: ServiceContext, input: z.input<typeof zListSavedViews>): Promise<SavedView[]> {
  authorize(ctx.actor, "studio.read");
  const { experimentId, kind } = zListSavedViews.parse(input);
  const rows = await ctx.db
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.experimentId, Number(experimentId)), eq(savedViews.kind, kind)))
    .orderBy(asc(savedViews.name));
  return rows.map(toSavedView);
}

/** Saves a view under its name; saving again under the same name replaces what it holds. */
export async function saveView(ctx: ServiceContext, input: z.input<typeof zSaveView>): Promise<SavedView> {
  // Views are shared with every reader of the experiment, so keeping one is a tracking write.
  authorize(ctx.actor, "tracking.write");
  const view = zSaveView.parse(input);
  const experimentId = await requireExperiment(ctx, view.experimentId);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(savedViews)
      .where(and(eq(savedViews.experimentId, experimentId), eq(savedViews.kind, view.kind), eq(savedViews.name, view.name)));
    if (view.makeDefault) await clearDefault(tx, experimentId, view.kind);
    const now = Date.now();
    const [row] = await tx
      .insert(savedViews)
      .values({ experimentId, kind: view.kind, name: view.name, state: view.state, isDefault: view.makeDefault, createdBy: ctx.actor.username, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [savedViews.experimentId, savedViews.kind, savedViews.name],
        set: { state: view.state, updatedAt: now, ...(view.makeDefault ? { isDefault: true } : {}) },
      })
      .returning();
    await recordAudit(tx, ctx.actor, {
      action: before ? "saved_view.update" : "saved_view.create",
      targetType: "experiment",
      targetId: String(experimentId),
      before: before ? { name: before.name, kind: before.kind, state: before.state } : null,
      after: { name: row.name, kind: row.kind, state: row.state, default: row.isDefault },
    });
    return toSavedView(row);
  });
}

type Tx = Parameters<Parameters<ServiceContext["db"]["transaction"]>[0]>[0];

async function clearDefault(tx: Tx, experimentId: number, kind: SavedViewKind): Promise<void> {
  await tx
    .update(savedViews)
    .set({ isDefault: false })
    .where(and(eq(savedViews.experimentId, experimentId), eq(savedViews.kind, kind), eq(savedViews.isDefault, true)));
}

async function requireView(tx: Tx, experimentId: number, viewId: number): Promise<Row> {
  const [row] = await tx.select().from(savedViews).where(and(eq(savedViews.viewId, viewId), eq(savedViews.experimentId, experimentId)));
  if (!row) throw notFound(`No saved view with id ${viewId} exists in experiment ${experimentId}.`);
  return row;
}

export async function deleteView(ctx: ServiceContext, input: z.input<typeof zDeleteView>): Promise<{ deleted: string }> {
  authorize(ctx.actor, "tracking.write");
  const { experimentId, viewId } = zDeleteView.parse(input);
  const id = Number(experimentId);
  return ctx.db.transaction(async (tx) => {
    const row = await requireView(tx, id, viewId);
    await tx.delete(savedViews).where(eq(savedViews.viewId, viewId));
    await recordAudit(tx, ctx.actor, {
      action: "saved_view.delete",
      targetType: "experiment",
      targetId: experimentId,
      before: { name: row.name, kind: row.kind, state: row.state, default: row.isDefault },
    });
    return { deleted: row.name };
  });
}

/** Makes a runs view the experiment's default (the one it opens with), or leaves it with none. */
export async function setDefaultView(ctx: ServiceContext, input: z.input<typeof zSetDefaultView>): Promise<{ defaultViewId: number | null }> {
  authorize(ctx.actor, "tracking.write");
  const { experimentId, viewId } = zSetDefaultView.parse(input);
  const id = await requireExperiment(ctx, experimentId);
  return ctx.db.transaction(async (tx) => {
    const [previous] = await tx
      .select()
      .from(savedViews)
      .where(and(eq(savedViews.experimentId, id), eq(savedViews.kind, "runs"), eq(savedViews.isDefault, true)));
    if (viewId !== null) {
      const row = await requireView(tx, id, viewId);
      if (row.kind !== "runs") throw new DomainError("INVALID_PARAMETER_VALUE", `'${row.name}' is a compare view; only a runs-table view can be the experiment's default.`);
    }
    await clearDefault(tx, id, "runs");
    if (viewId !== null) await tx.update(savedViews).set({ isDefault: true }).where(eq(savedViews.viewId, viewId));
    await recordAudit(tx, ctx.actor, {
      action: "saved_view.set_default",
      targetType: "experiment",
      targetId: experimentId,
      before: { default_view: previous?.name ?? null },
      after: { default_view_id: viewId },
    });
    return { defaultViewId: viewId };
  });
}
