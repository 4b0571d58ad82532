// Run management from the run page: rename, set and delete tags, delete and restore, and the run's parent and children.
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { runs, tags } from "@/db/schema";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { invalidParameter, notFound } from "../errors";
import type { ServiceContext } from "../service-context";
import { deleteTag, setRunLifecycle, updateRun } from "./runs";
import { validateKey, validateTagValue } from "./validation";

/** MLflow's tag naming a run's parent (nested runs: mlflow.start_run(nested=True)). */
export const PARENT_RUN_TAG = "mlflow.parentRunId";

const zRunId = z.string().trim().min(1, "Give the run's id").max(64);

export const zRenameRun = z.object({
  runId: zRunId,
  name: z.string().trim().min(1, "A run name cannot be empty").max(250, "A run name can be at most 250 characters"),
});
export const zRunTag = z.object({
  runId: zRunId,
  key: z.string().trim().min(1, "A tag needs a key").max(250, "A tag key can be at most 250 characters"),
  value: z.string().max(8000, "A tag value can be at most 8000 characters; log longer text as an artifact"),
});
export const zRunTagKey = zRunTag.pick({ runId: true, key: true });
export const zSetRunDeleted = z.object({ runId: zRunId, deleted: z.boolean() });

/**
 * Tags under `mlflow.` are written by MLflow's client and read by the studio (run name, notes, parent,
 * logged models): editing them by hand would break those features, so the page offers rename and notes instead.
 */
function refuseSystemTag(key: string): void {
  if (key.toLowerCase().startsWith("mlflow.")) {
    throw invalidParameter(`Tag '${key}' is set by MLflow itself; keys starting with 'mlflow.' cannot be edited here. Rename the run or edit its notes instead.`);
  }
}

export async function renameRun(ctx: ServiceContext, input: z.output<typeof zRenameRun>): Promise<{ runId: string; name: string }> {
  const info = await updateRun(ctx, { run_id: input.runId, run_name: input.name });
  return { runId: info.run_id, name: info.run_name };
}

/** Adds or changes one tag of an active run, audited with its previous value. */
export async function setRunTag(ctx: ServiceContext, input: z.output<typeof zRunTag>): Promise<{ key: string; value: string }> {
  authorize(ctx.actor, "tracking.write");
  refuseSystemTag(input.key);
  validateKey("tag", input.key);
  validateTagValue(input.key, input.value);
  return ctx.db.transaction(async (tx) => {
    const [run] = await tx.select({ stage: runs.lifecycleStage }).from(runs).where(eq(runs.runUuid, input.runId)).for("update");
    if (!run) throw notFound(`Run '${input.runId}' not found.`);
    if (run.stage !== "active") throw invalidParameter(`Run ${input.runId} is deleted: restore it before changing its tags.`);
    const [previous] = await tx.select({ value: tags.value }).from(tags).where(and(eq(tags.runUuid, input.runId), eq(tags.key, input.key)));
    await tx
      .insert(tags)
      .values({ runUuid: input.runId, key: input.key, value: input.value })
      .onConflictDoUpdate({ target: [tags.runUuid, tags.key], set: { value: input.value } });
    await recordAudit(tx, ctx.actor, {
      action: "run.tag.set",
      targetType: "run",
      targetId: input.runId,
      before: previous ? { [input.key]: previous.value } : null,
      after: { [input.key]: input.value },
    });
    return { key: input.key, value: input.value };
  });
}

export async function deleteRunTag(ctx: ServiceContext, input: z.output<typeof zRunTagKey>): Promise<{ key: string }> {
  authorize(ctx.actor, "tracking.write");
  refuseSystemTag(input.key);
  await deleteTag(ctx, input.runId, input.key);
  return { key: input.key };
}

export async function setRunDeleted(ctx: ServiceContext, input: z.output<typeof zSetRunDeleted>): Promise<{ runId: string; deleted: boolean }> {
  await setRunLifecycle(ctx, input.runId, input.deleted ? "deleted" : "active");
  return { runId: input.runId, deleted: input.deleted };
}

export interface RunLink {
  runId: string;
  runName: string;
  experimentId: string;
  status: string;
  deleted: boolean;
}

export interface RunFamily {
  /** The run named by the mlflow.parentRunId tag; null when there is none, `missing` when the tag names no run. */
  parent: RunLink | null;
  missingParentId: string | null;
  children: RunLink[];
}

/** The run's parent and its child runs (deleted children included, marked), in start order. */
export async function getRunFamily(ctx: ServiceContext, runId: string): Promise<RunFamily> {
  authorize(ctx.actor, "studio.read");
  const [self] = await ctx.db.select({ id: runs.runUuid }).from(runs).where(eq(runs.runUuid, runId));
  if (!self) throw notFound(`Run '${runId}' not found.`);
  const link = { runId: runs.runUuid, runName: runs.name, experimentId: sql<string>`${runs.experimentId}::text`, status: runs.status, stage: runs.lifecycleStage };
  const [parentTag] = await ctx.db.select({ value: tags.value }).from(tags).where(and(eq(tags.runUuid, runId), eq(tags.key, PARENT_RUN_TAG)));
  const [parentRow] = parentTag ? await ctx.db.select(link).from(runs).where(eq(runs.runUuid, parentTag.value)) : [];
  // tags_key_value_idx serves this lookup.
  const childRows = await ctx.db
    .select(link)
    .from(tags)
    .innerJoin(runs, eq(runs.runUuid, tags.runUuid))
    .where(and(eq(tags.key, PARENT_RUN_TAG), eq(tags.value, runId)))
    .orderBy(asc(runs.startTime), asc(runs.runUuid))
    .limit(1000);
  const toLink = (r: typeof childRows[number]): RunLink => ({ runId: r.runId, runName: r.runName, experimentId: r.experimentId, status: r.status, deleted: r.stage === "deleted" });
  return {
    parent: parentRow ? toLink(parentRow) : null,
    missingParentId: parentTag && !parentRow ? parentTag.value : null,
    children: childRows.map(toLink),
  };
}
