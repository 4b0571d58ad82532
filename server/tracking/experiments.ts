// Experiment services: create, read, search, rename, delete/restore and tag experiments.
import { and, asc, desc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { experiments, experimentTags } from "@/db/schema";
import type { Database } from "@/db/client";
import { DomainError, invalidParameter, notFound, sqlStateOf } from "../errors";
import type { ServiceContext } from "../service-context";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { decodePageToken, encodePageToken } from "./page-token";
import { validateArtifactLocation, validateKey } from "./validation";
import type {
  Experiment,
  KeyValue,
  ViewType,
  zCreateExperiment,
  zSearchExperiments,
} from "./schema";

type ExperimentRow = typeof experiments.$inferSelect;

export const DEFAULT_EXPERIMENT_ID = "0";

function toExperiment(row: ExperimentRow, tags: KeyValue[]): Experiment {
  return {
    experiment_id: String(row.experimentId),
    name: row.name,
    artifact_location: row.artifactLocation,
    lifecycle_stage: row.lifecycleStage as Experiment["lifecycle_stage"],
    last_update_time: row.lastUpdateTime,
    creation_time: row.creationTime,
    tags,
  };
}

async function tagsOf(db: Database, ids: number[]): Promise<Map<number, KeyValue[]>> {
  const byId = new Map<number, KeyValue[]>(ids.map((id) => [id, []]));
  if (!ids.length) return byId;
  const rows = await db.select().from(experimentTags).where(inArray(experimentTags.experimentId, ids));
  for (const row of rows) byId.get(row.experimentId)?.push({ key: row.key, value: row.value });
  return byId;
}

function parseId(experimentId: string): number {
  const id = Number(experimentId);
  if (!/^\d+$/.test(experimentId) || !Number.isSafeInteger(id)) {
    throw invalidParameter(`Invalid experiment id '${experimentId}': it must be a number.`);
  }
  return id;
}

/** Ensures the "Default" experiment (id 0) exists, as MLflow's stores do on creation. */
export async function ensureDefaultExperiment(db: Database): Promise<void> {
  const now = Date.now();
  await db
    .insert(experiments)
    .values({ experimentId: 0, name: "Default", artifactLocation: "mlflow-artifacts:/0", creationTime: now, lastUpdateTime: now })
    .onConflictDoNothing();
}

export async function createExperiment(
  ctx: ServiceContext,
  input: z.output<typeof zCreateExperiment>,
): Promise<{ experiment_id: string }> {
  authorize(ctx.actor, "tracking.write");
  if (input.artifact_location) validateArtifactLocation(input.artifact_location);
  const now = Date.now();
  const created = ctx.db.transaction(async (tx) => {
    const existing = await tx.select({ id: experiments.experimentId }).from(experiments).where(eq(experiments.name, input.name));
    if (existing.length) {
      throw new DomainError("RESOURCE_ALREADY_EXISTS", `Experiment '${input.name}' already exists.`);
    }
    const [row] = await tx
      .insert(experiments)
      .values({ name: input.name, artifactLocation: input.artifact_location ?? "", creationTime: now, lastUpdateTime: now })
      .returning();
    const location = input.artifact_location || `mlflow-artifacts:/${row.experimentId}`;
    if (!input.artifact_location) {
      await tx.update(experiments).set({ artifactLocation: location }).where(eq(experiments.experimentId, row.experimentId));
    }
    const tags = dedupeTags(input.tags ?? []);
    if (tags.length) {
      await tx.insert(experimentTags).values(tags.map((t) => ({ experimentId: row.experimentId, ...t })));
    }
    await recordAudit(tx, ctx.actor, {
      action: "experiment.create",
      targetType: "experiment",
      targetId: String(row.experimentId),
      after: { name: input.name, artifact_location: location },
    });
    return { experiment_id: String(row.experimentId) };
  });
  return alreadyExistsOnNameClash(created, input.name);
}

/**
 * Two creates (or renames) of one name can both pass the existence check; the unique index then refuses the
 * second on PostgreSQL (23505), which is the same answer the check would have given it.
 */
async function alreadyExistsOnNameClash<T>(write: Promise<T>, name: string): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (sqlStateOf(error) === "23505") throw new DomainError("RESOURCE_ALREADY_EXISTS", `Experiment '${name}' already exists.`);
    throw error;
  }
}

function dedupeTags(tags: KeyValue[]): KeyValue[] {
  return [...new Map(tags.map((t) => [t.key, t])).values()];
}

export async function getExperiment(ctx: ServiceContext, experimentId: string): Promise<Experiment> {
  const id = parseId(experimentId);
  const [row] = await ctx.db.select().from(experiments).where(eq(experiments.experimentId, id));
  if (!row) throw notFound(`No experiment with id=${experimentId} exists.`);
  return toExperiment(row, (await tagsOf(ctx.db, [id])).get(id) ?? []);
}

export async function getExperimentByName(ctx: ServiceContext, name: string): Promise<Experiment> {
  const [row] = await ctx.db.select().from(experiments).where(eq(experiments.name, name));
  if (!row) throw notFound(`Could not find experiment with name '${name}'.`);
  return toExperiment(row, (await tagsOf(ctx.db, [row.experimentId])).get(row.experimentId) ?? []);
}

/** The comparison part of an experiment filter: `name LIKE 'x%'`, `tags.team = 'a'`, joined by AND. */
const experimentClause =
  /^\s*(?:(?:attributes?|attr)\.)?(name|tags?\.(?:`[^`]+`|"[^"]+"|[\w.]+)|creation_time|last_update_time)\s*(=|!=|<=|>=|<|>|LIKE|ILIKE)\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|-?\d+)\s*$/i;

function experimentFilterToSql(filter: string | undefined): SQL[] {
  if (!filter?.trim()) return [];
  return filter.split(/\s+AND\s+/i).map((part) => {
    const match = experimentClause.exec(part);
    if (!match) {
      throw invalidParameter(
        `Invalid experiment filter '${part.trim()}': use name, tags.<key>, creation_time or last_update_time with =, !=, <, >, LIKE or ILIKE, e.g. name LIKE 'churn%'.`,
      );
    }
    const [, rawKey, rawOp, rawValue] = match;
    const op = rawOp.toUpperCase();
    const value = /^['"]/.test(rawValue) ? rawValue.slice(1, -1).replace(/\\(.)/g, "$1") : Number(rawValue);
    const compare = (column: SQL | typeof experiments.name): SQL => {
      switch (op) {
        case "=": return sql`${column} = ${value}`;
        case "!=": return sql`${column} <> ${value}`;
        case "<": return sql`${column} < ${value}`;
        case "<=": return sql`${column} <= ${value}`;
        case ">": return sql`${column} > ${value}`;
        case ">=": return sql`${column} >= ${value}`;
        case "LIKE": return sql`${column} like ${value}`;
        default: return sql`${column} ilike ${value}`;
      }
    };
    const key = rawKey.toLowerCase();
    if (key === "name") return compare(experiments.name);
    if (key === "creation_time") return compare(sql`${experiments.creationTime}`);
    if (key === "last_update_time") return compare(sql`${experiments.lastUpdateTime}`);
    const tagKey = rawKey.replace(/^tags?\./i, "").replace(/^[`"]|[`"]$/g, "");
    return sql`exists (select 1 from ${experimentTags} t where t.experiment_id = ${experiments.experimentId} and t.key = ${tagKey} and ${compare(sql`t.value`)})`;
  });
}

function lifecycleCondition(viewType: ViewType | undefined): SQL | undefined {
  if (viewType === "ALL") return undefined;
  return eq(experiments.lifecycleStage, viewType === "DELETED_ONLY" ? "deleted" : "active");
}

const experimentOrderColumns = {
  name: experiments.name,
  experiment_id: experiments.experimentId,
  creation_time: experiments.creationTime,
  last_update_time: experiments.lastUpdateTime,
} as const;

export async function searchExperiments(
  ctx: ServiceContext,
  input: z.output<typeof zSearchExperiments>,
): Promise<{ experiments: Experiment[]; next_page_token?: string }> {
  const limit = input.max_results ?? 1000;
  const offset = decodePageToken(input.page_token);
  const conditions = [lifecycleCondition(input.view_type), ...experimentFilterToSql(input.filter)].filter(
    (c): c is SQL => c !== undefined,
  );
  const orderBy = (input.order_by ?? []).map((clause) => {
    const match = /^\s*(?:attributes?\.)?(\w+)(?:\s+(ASC|DESC))?\s*$/i.exec(clause);
    const column = match ? experimentOrderColumns[match[1].toLowerCase() as keyof typeof experimentOrderColumns] : undefined;
    if (!match || !column) {
      throw invalidParameter(`Invalid order_by clause '${clause}': use name, experiment_id, creation_time or last_update_time, then ASC or DESC.`);
    }
    return match[2]?.toUpperCase() === "DESC" ? desc(column) : asc(column);
  });
  const rows = await ctx.db
    .select()
    .from(experiments)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(...(orderBy.length ? orderBy : [desc(experiments.creationTime)]), asc(experiments.experimentId))
    .limit(limit + 1)
    .offset(offset);
  const page = rows.slice(0, limit);
  const tags = await tagsOf(ctx.db, page.map((r) => r.experimentId));
  return {
    experiments: page.map((r) => toExperiment(r, tags.get(r.experimentId) ?? [])),
    ...(rows.length > limit ? { next_page_token: encodePageToken(offset + limit) } : {}),
  };
}

export async function renameExperiment(ctx: ServiceContext, experimentId: string, newName: string): Promise<void> {
  authorize(ctx.actor, "tracking.write");
  const id = parseId(experimentId);
  const renamed = ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(experiments).where(eq(experiments.experimentId, id)).for("update");
    if (!row) throw notFound(`No experiment with id=${experimentId} exists.`);
    if (row.lifecycleStage !== "active") {
      throw new DomainError("INVALID_STATE", `Cannot rename experiment ${experimentId}: it is deleted. Restore it first.`);
    }
    const clash = await tx
      .select({ id: experiments.experimentId })
      .from(experiments)
      .where(and(eq(experiments.name, newName), ne(experiments.experimentId, id)));
    if (clash.length) throw new DomainError("RESOURCE_ALREADY_EXISTS", `Experiment '${newName}' already exists.`);
    await tx.update(experiments).set({ name: newName, lastUpdateTime: Date.now() }).where(eq(experiments.experimentId, id));
    await recordAudit(tx, ctx.actor, {
      action: "experiment.rename",
      targetType: "experiment",
      targetId: experimentId,
      before: { name: row.name },
      after: { name: newName },
    });
  });
  await alreadyExistsOnNameClash(renamed, newName);
}

export async function setExperimentLifecycle(
  ctx: ServiceContext,
  experimentId: string,
  stage: "active" | "deleted",
): Promise<void> {
  authorize(ctx.actor, "tracking.write");
  const id = parseId(experimentId);
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(experiments).where(eq(experiments.experimentId, id)).for("update");
    if (!row) throw notFound(`No experiment with id=${experimentId} exists.`);
    // MLflow looks the experiment up among active ones to delete it and deleted ones to restore it,
    // so a repeated delete or restore is "not found" for its clients.
    if (stage === "deleted" && row.lifecycleStage === "deleted") {
      throw notFound(`No active experiment with id=${experimentId} exists: it is already deleted.`);
    }
    if (stage === "active" && row.lifecycleStage === "active") {
      throw notFound(`No deleted experiment with id=${experimentId} exists: it is active, there is nothing to restore.`);
    }
    const now = Date.now();
    await tx.update(experiments).set({ lifecycleStage: stage, lastUpdateTime: now }).where(eq(experiments.experimentId, id));
    // MLflow deletes (and restores) an experiment's runs with it.
    await tx.execute(
      sql`update runs set lifecycle_stage = ${stage}, deleted_time = ${stage === "deleted" ? now : null} where experiment_id = ${id}`,
    );
    await recordAudit(tx, ctx.actor, {
      action: stage === "deleted" ? "experiment.delete" : "experiment.restore",
      targetType: "experiment",
      targetId: experimentId,
      before: { lifecycle_stage: row.lifecycleStage },
      after: { lifecycle_stage: stage },
    });
  });
}

export async function setExperimentTag(ctx: ServiceContext, experimentId: string, tag: KeyValue): Promise<void> {
  authorize(ctx.actor, "tracking.write");
  const id = parseId(experimentId);
  validateKey("tag", tag.key);
  const experiment = await getExperiment(ctx, experimentId);
  if (experiment.lifecycle_stage !== "active") {
    throw invalidParameter(`The experiment ${experimentId} must be in the 'active' state. Current state is deleted. Restore it first.`);
  }
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(experimentTags)
      .values({ experimentId: id, ...tag })
      .onConflictDoUpdate({ target: [experimentTags.experimentId, experimentTags.key], set: { value: tag.value } });
    await recordAudit(tx, ctx.actor, { action: "experiment.tag.set", targetType: "experiment", targetId: experimentId, after: { [tag.key]: tag.value } });
  });
}

export async function deleteExperimentTag(ctx: ServiceContext, experimentId: string, key: string): Promise<void> {
  authorize(ctx.actor, "tracking.write");
  const id = parseId(experimentId);
  await getExperiment(ctx, experimentId);
  await ctx.db.transaction(async (tx) => {
    const deleted = await tx
      .delete(experimentTags)
      .where(and(eq(experimentTags.experimentId, id), eq(experimentTags.key, key)))
      .returning();
    if (!deleted.length) throw notFound(`No tag with key '${key}' on experiment ${experimentId}.`);
    await recordAudit(tx, ctx.actor, { action: "experiment.tag.delete", targetType: "experiment", targetId: experimentId, before: { [key]: deleted[0].value } });
  });
}

