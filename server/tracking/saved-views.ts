// Saved views: a named runs-table view (filter, order, columns, grouping, open parents, layout) or compare view
// (its options), shared with everyone who can read the experiment or private to the user who saved it; one shared
// runs view per experiment may be its default.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
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
/** A private view: only its owner lists, applies, changes or deletes it; it cannot be the experiment's default. */
export const zSavePrivateView = z.discriminatedUnion("kind", [
  z.object({ experimentId: zExperimentId, kind: z.literal("runs"), name: zViewName, state: zRunsViewState }),
  z.object({ experimentId: zExperimentId, kind: z.literal("compare"), name: zViewName, state: zCompareViewState }),
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
  visibility: z.enum(["shared", "private"]),
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
    visibility: row.privateTo ? "private" : "shared",
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

/** The private_to of a shared view. */
const SHARED = "";

/** The experiment's views of one kind the actor may see (the shared ones and their own private ones), by name. */
export async function listSavedViews(ctx: ServiceContext, input: z.input<typeof zListSavedViews>): Promise<SavedView[]> {
  authorize(ctx.actor, "studio.read");
  const { experimentId, kind } = zListSavedViews.parse(input);
  const rows = await ctx.db
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.experimentId, Number(experimentId)), eq(savedViews.kind, kind), inArray(savedViews.privateTo, [SHARED, ctx.actor.username])))
    .orderBy(asc(savedViews.name), asc(savedViews.privateTo));
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
      .where(and(eq(savedViews.experimentId, experimentId), eq(savedViews.kind, view.kind), eq(savedViews.privateTo, SHARED), eq(savedViews.name, view.name)));
    if (view.makeDefault) await clearDefault(tx, experimentId, view.kind);
    const now = Date.now();
    const [row] = await tx
      .insert(savedViews)
      .values({ experimentId, kind: view.kind, name: view.name, state: view.state, isDefault: view.makeDefault, privateTo: SHARED, createdBy: ctx.actor.username, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [savedViews.experimentId, savedViews.kind, savedViews.privateTo, savedViews.name],
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

/**
 * Saves a view only its owner sees; saving again under the same name replaces it. Not audited: no one else ever
 * sees or relies on it, as with a browser's bookmarks.
 */
export async function savePrivateView(ctx: ServiceContext, input: z.input<typeof zSavePrivateView>): Promise<SavedView> {
  authorize(ctx.actor, "views.keep-own");
  const view = zSavePrivateView.parse(input);
  const experimentId = await requireExperiment(ctx, view.experimentId);
  const now = Date.now();
  const [row] = await ctx.db
    .insert(savedViews)
    .values({ experimentId, kind: view.kind, name: view.name, state: view.state, isDefault: false, privateTo: ctx.actor.username, createdBy: ctx.actor.username, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [savedViews.experimentId, savedViews.kind, savedViews.privateTo, savedViews.name], set: { state: view.state, updatedAt: now } })
    .returning();
  return toSavedView(row);
}

export async function deletePrivateView(ctx: ServiceContext, input: z.input<typeof zDeleteView>): Promise<{ deleted: string }> {
  authorize(ctx.actor, "views.keep-own");
  const { experimentId, viewId } = zDeleteView.parse(input);
  const [row] = await ctx.db
    .delete(savedViews)
    .where(and(eq(savedViews.viewId, viewId), eq(savedViews.experimentId, Number(experimentId)), eq(savedViews.privateTo, ctx.actor.username)))
    .returning();
  if (!row) throw notFound(`You have no private view with id ${viewId} in experiment ${experimentId}.`);
  return { deleted: row.name };
}

/** Shares one's private view with every reader of the experiment (it keeps its id, name and settings). */
export async function shareView(ctx: ServiceContext, input: z.input<typeof zDeleteView>): Promise<SavedView> {
  authorize(ctx.actor, "tracking.write");
  const { experimentId, viewId } = zDeleteView.parse(input);
  const id = Number(experimentId);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(savedViews)
      .where(and(eq(savedViews.viewId, viewId), eq(savedViews.experimentId, id), eq(savedViews.privateTo, ctx.actor.username)));
    if (!row) throw notFound(`You have no private view with id ${viewId} in experiment ${experimentId}.`);
    const [clash] = await tx
      .select({ viewId: savedViews.viewId })
      .from(savedViews)
      .where(and(eq(savedViews.experimentId, id), eq(savedViews.kind, row.kind), eq(savedViews.privateTo, SHARED), eq(savedViews.name, row.name)));
    if (clash) throw new DomainError("RESOURCE_ALREADY_EXISTS", `A shared view named '${row.name}' already exists: rename yours (save it under another name) before sharing it.`);
    const [shared] = await tx.update(savedViews).set({ privateTo: SHARED, updatedAt: Date.now() }).where(eq(savedViews.viewId, viewId)).returning();
    await recordAudit(tx, ctx.actor, {
      action: "saved_view.share",
      targetType: "experiment",
      targetId: experimentId,
      after: { name: shared.name, kind: shared.kind, state: shared.state },
    });
    return toSavedView(shared);
  });
}

type Tx = Parameters<Parameters<ServiceContext["db"]["transaction"]>[0]>[0];

async function clearDefault(tx: Tx, experimentId: number, kind: SavedViewKind): Promise<void> {
  await tx
    .update(savedViews)
    .set({ isDefault: false })
    .where(and(eq(savedViews.experimentId, experimentId), eq(savedViews.kind, kind), eq(savedViews.isDefault, true)));
}

/** A shared view of the experiment (private views are changed only through their owner's calls). */
async function requireSharedView(tx: Tx, experimentId: number, viewId: number): Promise<Row> {
  const [row] = await tx
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.viewId, viewId), eq(savedViews.experimentId, experimentId), eq(savedViews.privateTo, SHARED)));
  if (!row) throw notFound(`No shared view with id ${viewId} exists in experiment ${experimentId}; a private view must be shared before it can be the experiment's default.`);
  return row;
}

export async function deleteView(ctx: ServiceContext, input: z.input<typeof zDeleteView>): Promise<{ deleted: string }> {
  authorize(ctx.actor, "tracking.write");
  const { experimentId, viewId } = zDeleteView.parse(input);
  const id = Number(experimentId);
  return ctx.db.transaction(async (tx) => {
    const row = await requireSharedView(tx, id, viewId);
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

/** Makes a shared runs view the experiment's default (the one it opens with), or leaves it with none. */
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
      const row = await requireSharedView(tx, id, viewId);
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
