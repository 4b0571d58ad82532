// Saved compare selections: a comparison of many runs kept server-side, so its link carries a short id
// instead of every run id (1,000 ids do not fit in a request line; the issue promised no cap on runs).
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { compareSelections } from "@/db/schema";
import { queryRows } from "@/db/client";
import { authorize } from "../auth/permissions";
import { notFound } from "../errors";
import type { ServiceContext } from "../service-context";

/** The most runs one selection holds: as many as tracking.runsByIds loads at once. */
export const MAX_SELECTION_RUNS = 5_000;

const zSelectionRunIds = z
  .array(z.string().min(1).max(64))
  .min(1, "Choose at least one run")
  .max(MAX_SELECTION_RUNS, `Compare at most ${MAX_SELECTION_RUNS} runs at once`);

const zExperimentId = z.string().regex(/^\d{1,15}$/, "An experiment id is a number");

export const zSaveCompareSelection = z.object({ experimentId: zExperimentId, runIds: zSelectionRunIds });
export const zCompareSelectionId = z.object({
  experimentId: zExperimentId,
  selectionId: z.string().regex(/^[A-Za-z0-9_-]{8,32}$/, "A selection id is 8–32 letters, digits, '-' or '_'"),
});

/** Same experiment and same runs in the same order → same id: saving twice gives one row and one link. */
export function selectionIdOf(experimentId: number, runIds: readonly string[]): string {
  return createHash("sha256").update(`${experimentId}\n${runIds.join("\n")}`).digest("base64url").slice(0, 16);
}

/**
 * Saves the runs (duplicates dropped, order kept) and returns the selection's id. Unknown run ids are kept
 * as given: the compare page already says which runs of a link no longer exist.
 */
export async function saveCompareSelection(ctx: ServiceContext, input: z.input<typeof zSaveCompareSelection>): Promise<{ selectionId: string; runs: number }> {
  // Saving a selection only names a view of runs the reader may already see: a viewer may compare 1,000 runs too.
  authorize(ctx.actor, "studio.read");
  const { experimentId, runIds } = zSaveCompareSelection.parse(input);
  const id = Number(experimentId);
  const [experiment] = await queryRows<{ ok: number }>(ctx.db, sql`select 1 as ok from experiments where experiment_id = ${id}`);
  if (!experiment) throw notFound(`No experiment with id=${experimentId} exists.`);
  const unique = [...new Set(runIds)];
  const selectionId = selectionIdOf(id, unique);
  await ctx.db
    .insert(compareSelections)
    .values({ selectionId, experimentId: id, runIds: unique, createdAt: Date.now() })
    .onConflictDoNothing({ target: compareSelections.selectionId });
  return { selectionId, runs: unique.length };
}

/** The run ids of a saved selection, in the order they were chosen. */
export async function getCompareSelection(ctx: ServiceContext, input: z.input<typeof zCompareSelectionId>): Promise<{ selectionId: string; runIds: string[] }> {
  authorize(ctx.actor, "studio.read");
  const { experimentId, selectionId } = zCompareSelectionId.parse(input);
  const [row] = await ctx.db
    .select({ runIds: compareSelections.runIds })
    .from(compareSelections)
    .where(and(eq(compareSelections.selectionId, selectionId), eq(compareSelections.experimentId, Number(experimentId))));
  if (!row) throw notFound(`No saved comparison with id ${selectionId} exists in experiment ${experimentId}.`);
  return { selectionId, runIds: row.runIds };
}
