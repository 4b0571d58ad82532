// Logged-model services (MLflow 3 `log_model`): create, read, finalize, tag, search, and the run-side log-outputs/log-model calls.
import { LOG_MODEL_HISTORY_TAG } from "@/lib/log-model-history";
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, notInArray, sql, type SQL } from "drizzle-orm";
import { experiments, loggedModels, runs, tags } from "@/db/schema";
import type { Database } from "@/db/client";
import { normaliseArtifactPath } from "../artifacts/store";
import { authorize } from "../auth/permissions";
import { DomainError, invalidParameter, notFound } from "../errors";
import type { ServiceContext } from "../service-context";
import {
  loggedModelAttributes,
  zModelJson,
  type CreateLoggedModelInput,
  type LoggedModel,
  type LoggedModelEntry,
  type LoggedModelFilterClause,
  type LoggedModelStatus,
  type SearchLoggedModelsInput,
} from "./logged-models-schema";
import { decodePageToken, encodePageToken } from "./page-token";
import { generateRunName } from "./runs";
import { validateKey, validateParamValue, validateTagValue } from "./validation";

type LoggedModelRow = typeof loggedModels.$inferSelect;
type Executor = Pick<Database, "select" | "insert" | "update">;

/** The run tag in which MLflow keeps the MLmodel of every model logged by a run, as a JSON list. */
export { LOG_MODEL_HISTORY_TAG };

const DEFAULT_SEARCH_RESULTS = 50;

export function toLoggedModel(row: LoggedModelRow): LoggedModel {
  return {
    info: {
      model_id: row.modelId,
      experiment_id: String(row.experimentId),
      name: row.name,
      creation_timestamp_ms: row.creationTimestamp,
      last_updated_timestamp_ms: row.lastUpdatedTimestamp,
      artifact_uri: row.artifactLocation,
      status: row.status as LoggedModelStatus,
      ...(row.modelType != null ? { model_type: row.modelType } : {}),
      ...(row.sourceRunId != null ? { source_run_id: row.sourceRunId } : {}),
      ...(row.statusMessage != null ? { status_message: row.statusMessage } : {}),
      tags: Object.entries(row.tags).map(([key, value]) => ({ key, value })),
    },
    // Metrics linked to a model are not stored yet (the metrics table has no model_id column).
    data: { params: Object.entries(row.params).map(([key, value]) => ({ key, value })), metrics: [] },
  };
}

/** Later entries win for tags (MLflow upserts them one by one); params must agree. */
function entriesToObject(kind: "param" | "tag", entries: LoggedModelEntry[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of entries) {
    validateKey(kind, key);
    if (kind === "param") validateParamValue(key, value);
    else validateTagValue(key, value);
    if (kind === "param" && key in out && out[key] !== value) {
      throw invalidParameter(`Param '${key}' is given twice with different values ('${out[key]}' and '${value}'); params are immutable.`);
    }
    out[key] = value;
  }
  return out;
}

async function findModel(db: Executor, modelId: string, options: { lock?: boolean; includeDeleted?: boolean } = {}): Promise<LoggedModelRow> {
  const query = db.select().from(loggedModels).where(eq(loggedModels.modelId, modelId));
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row || (!options.includeDeleted && row.lifecycleStage === "deleted")) {
    throw notFound(`Logged model with ID '${modelId}' not found.`);
  }
  return row;
}

async function findActiveRun(db: Executor, runId: string, lock = false): Promise<typeof runs.$inferSelect> {
  const query = db.select().from(runs).where(eq(runs.runUuid, runId));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw notFound(`Run '${runId}' not found.`);
  if (row.lifecycleStage !== "active") {
    throw invalidParameter(`The run ${runId} must be in the 'active' state. Current state is ${row.lifecycleStage}.`);
  }
  return row;
}

export async function createLoggedModel(ctx: ServiceContext, input: CreateLoggedModelInput): Promise<LoggedModel> {
  authorize(ctx.actor, "tracking.write");
  const modelTags = entriesToObject("tag", input.tags ?? []);
  const modelParams = entriesToObject("param", input.params ?? []);
  const experimentId = Number(input.experiment_id);
  return ctx.db.transaction(async (tx) => {
    const [experiment] = await tx.select().from(experiments).where(eq(experiments.experimentId, experimentId));
    if (!experiment) throw notFound(`No experiment with id=${input.experiment_id} exists.`);
    if (experiment.lifecycleStage !== "active") {
      throw invalidParameter(`The experiment ${input.experiment_id} must be in the 'active' state. Current state is ${experiment.lifecycleStage}.`);
    }
    if (input.source_run_id) {
      const [run] = await tx.select({ id: runs.runUuid }).from(runs).where(eq(runs.runUuid, input.source_run_id));
      if (!run) throw notFound(`Run '${input.source_run_id}' (source_run_id) not found.`);
    }
    const modelId = `m-${randomUUID().replaceAll("-", "")}`;
    const now = Date.now();
    const [row] = await tx
      .insert(loggedModels)
      .values({
        modelId,
        experimentId,
        name: input.name ?? generateRunName(),
        // Under the experiment's location, as MLflow lays it out; the artifact proxy serves it unchanged.
        artifactLocation: `${experiment.artifactLocation.replace(/\/+$/, "")}/models/${modelId}/artifacts`,
        creationTimestamp: now,
        lastUpdatedTimestamp: now,
        sourceRunId: input.source_run_id ?? null,
        status: "LOGGED_MODEL_PENDING",
        modelType: input.model_type ?? null,
        tags: modelTags,
        params: modelParams,
      })
      .returning();
    return toLoggedModel(row);
  });
}

export async function getLoggedModel(ctx: ServiceContext, modelId: string): Promise<LoggedModel> {
  authorize(ctx.actor, "studio.read");
  return toLoggedModel(await findModel(ctx.db, modelId));
}

export async function finalizeLoggedModel(ctx: ServiceContext, modelId: string, status: LoggedModelStatus): Promise<LoggedModel> {
  authorize(ctx.actor, "tracking.write");
  const [row] = await ctx.db
    .update(loggedModels)
    .set({ status, lastUpdatedTimestamp: Date.now() })
    .where(eq(loggedModels.modelId, modelId))
    .returning();
  if (!row) throw notFound(`Logged model with ID '${modelId}' not found.`);
  return toLoggedModel(row);
}

/** Soft delete, as MLflow: the row stays (runs may point at it) but reads and searches no longer see it. */
export async function deleteLoggedModel(ctx: ServiceContext, modelId: string): Promise<void> {
  authorize(ctx.actor, "tracking.write");
  const updated = await ctx.db
    .update(loggedModels)
    .set({ lifecycleStage: "deleted", lastUpdatedTimestamp: Date.now() })
    .where(eq(loggedModels.modelId, modelId))
    .returning({ id: loggedModels.modelId });
  if (!updated.length) throw notFound(`Logged model with ID '${modelId}' not found.`);
}

export async function setLoggedModelTags(ctx: ServiceContext, modelId: string, entries: LoggedModelEntry[]): Promise<LoggedModel> {
  authorize(ctx.actor, "tracking.write");
  const patch = entriesToObject("tag", entries);
  // One jsonb merge, so concurrent writers of different keys never overwrite each other.
  const [row] = await ctx.db
    .update(loggedModels)
    .set({ tags: sql`${loggedModels.tags} || ${JSON.stringify(patch)}::jsonb`, lastUpdatedTimestamp: Date.now() })
    .where(eq(loggedModels.modelId, modelId))
    .returning();
  if (!row) throw notFound(`Logged model with ID '${modelId}' not found.`);
  return toLoggedModel(row);
}

export async function deleteLoggedModelTag(ctx: ServiceContext, modelId: string, key: string): Promise<void> {
  authorize(ctx.actor, "tracking.write");
  await ctx.db.transaction(async (tx) => {
    const row = await findModel(tx, modelId, { lock: true, includeDeleted: true });
    if (!(key in row.tags)) {
      throw notFound(`No tag with key '${key}' found for model with ID '${modelId}'.`);
    }
    await tx
      .update(loggedModels)
      .set({ tags: sql`${loggedModels.tags} - ${key}::text`, lastUpdatedTimestamp: Date.now() })
      .where(eq(loggedModels.modelId, modelId));
  });
}

/** Params are immutable like a run's: re-logging the same value is fine, another value is refused. */
export async function logLoggedModelParams(ctx: ServiceContext, modelId: string, entries: LoggedModelEntry[]): Promise<void> {
  authorize(ctx.actor, "tracking.write");
  const incoming = entriesToObject("param", entries);
  if (!Object.keys(incoming).length) return;
  await ctx.db.transaction(async (tx) => {
    const row = await findModel(tx, modelId, { lock: true, includeDeleted: true });
    for (const [key, value] of Object.entries(incoming)) {
      const old = row.params[key];
      if (old !== undefined && old !== value) {
        throw invalidParameter(
          `Changing param values is not allowed. Param with key='${key}' was already logged with value='${old}' for logged model ID='${modelId}'. Attempted logging new value '${value}'.`,
        );
      }
    }
    await tx
      .update(loggedModels)
      .set({ params: { ...row.params, ...incoming }, lastUpdatedTimestamp: Date.now() })
      .where(eq(loggedModels.modelId, modelId));
  });
}

const attributeColumns: Record<string, SQL> = {
  model_id: sql`${loggedModels.modelId}`,
  name: sql`${loggedModels.name}`,
  model_type: sql`${loggedModels.modelType}`,
  status: sql`${loggedModels.status}`,
  source_run_id: sql`${loggedModels.sourceRunId}`,
  creation_timestamp: sql`${loggedModels.creationTimestamp}`,
  last_updated_timestamp: sql`${loggedModels.lastUpdatedTimestamp}`,
};

/** Filters may say READY or FAILED (the Python entity's names) as well as the proto's names. */
function statusValue(value: string): string {
  const upper = value.toUpperCase();
  if (upper === "FAILED" || upper === "UPLOAD_FAILED") return "LOGGED_MODEL_UPLOAD_FAILED";
  return upper.startsWith("LOGGED_MODEL_") ? upper : `LOGGED_MODEL_${upper}`;
}

function metricsUnsupported(): DomainError {
  return new DomainError(
    "NOT_IMPLEMENTED",
    "Filtering or ordering logged models by metrics is not supported by this server yet (metrics are not linked to logged models); filter by name, status, params. or tags.",
  );
}

function fieldSql(entity: LoggedModelFilterClause["entity"], key: string): SQL {
  switch (entity) {
    case "attribute":
      return attributeColumns[key];
    case "param":
      return sql`(${loggedModels.params} ->> ${key}::text)`;
    case "tag":
      return sql`(${loggedModels.tags} ->> ${key}::text)`;
    case "metric":
      throw metricsUnsupported();
  }
}

function clauseToSql(clause: LoggedModelFilterClause): SQL {
  const column = fieldSql(clause.entity, clause.key);
  const normalise = (v: string) => (clause.entity === "attribute" && clause.key === "status" ? statusValue(v) : v);
  const { op, value } = clause;
  if (op === "IN" || op === "NOT IN") {
    const list = (value as string[]).map(normalise);
    return op === "IN" ? inArray(column, list) : notInArray(column, list);
  }
  const v = typeof value === "string" ? normalise(value) : value;
  switch (op) {
    case "=": return sql`${column} = ${v}`;
    case "!=": return sql`${column} <> ${v}`;
    case "<": return sql`${column} < ${v}`;
    case "<=": return sql`${column} <= ${v}`;
    case ">": return sql`${column} > ${v}`;
    case ">=": return sql`${column} >= ${v}`;
    case "LIKE": return sql`${column} like ${v}`;
    case "ILIKE": return sql`${column} ilike ${v}`;
  }
}

function orderToSql(entry: NonNullable<SearchLoggedModelsInput["order_by"]>[number]): SQL {
  const field = entry.field_name;
  const dot = field.indexOf(".");
  const prefix = dot > 0 ? field.slice(0, dot).toLowerCase() : "";
  let column: SQL;
  if (prefix === "metrics" || prefix === "metric") throw metricsUnsupported();
  if (prefix === "params" || prefix === "param") column = fieldSql("param", field.slice(dot + 1));
  else if (prefix === "tags" || prefix === "tag") column = fieldSql("tag", field.slice(dot + 1));
  else {
    const attribute = loggedModelAttributes.get(prefix === "attributes" || prefix === "attribute" ? field.slice(dot + 1) : field);
    if (!attribute) {
      throw invalidParameter(`Invalid order_by field '${field}': use ${[...loggedModelAttributes.keys()].join(", ")}, params.<key> or tags.<key>.`);
    }
    column = attributeColumns[attribute];
  }
  return entry.ascending === false ? sql`${column} desc nulls last` : sql`${column} asc nulls last`;
}

export async function searchLoggedModels(
  ctx: ServiceContext,
  input: SearchLoggedModelsInput,
): Promise<{ models: LoggedModel[]; next_page_token?: string }> {
  authorize(ctx.actor, "studio.read");
  const conditions: SQL[] = [
    inArray(loggedModels.experimentId, input.experiment_ids.map(Number)),
    eq(loggedModels.lifecycleStage, "active"),
    ...(input.filter ?? []).map(clauseToSql),
  ];
  const order = [...(input.order_by ?? []).map(orderToSql), desc(loggedModels.creationTimestamp), asc(loggedModels.modelId)];
  const limit = input.max_results ?? DEFAULT_SEARCH_RESULTS;
  const offset = decodePageToken(input.page_token);
  const rows = await ctx.db
    .select()
    .from(loggedModels)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(limit + 1)
    .offset(offset);
  return {
    models: rows.slice(0, limit).map(toLoggedModel),
    ...(rows.length > limit ? { next_page_token: encodePageToken(offset + limit) } : {}),
  };
}

/** The artifact store path of a `mlflow-artifacts:` location, or null when the files live elsewhere. */
function storePathOf(artifactUri: string): string | null {
  const match = /^mlflow-artifacts:\/(?:\/[^/]*)?\/?(.*)$/.exec(artifactUri);
  return match ? normaliseArtifactPath(match[1]) : null;
}

export async function listLoggedModelArtifacts(
  ctx: ServiceContext,
  modelId: string,
  relativePath: string,
  pageToken?: string,
): Promise<{ root_uri: string; files: { path: string; is_dir: boolean; file_size?: number }[] }> {
  authorize(ctx.actor, "studio.read");
  if (pageToken) throw invalidParameter("This endpoint returns every file in one page; do not send a page_token.");
  const model = await findModel(ctx.db, modelId);
  const root = storePathOf(model.artifactLocation);
  if (root === null) return { root_uri: model.artifactLocation, files: [] };
  const sub = normaliseArtifactPath(relativePath);
  const entries = await ctx.artifacts.list(sub ? `${root}/${sub}` : root);
  return {
    root_uri: model.artifactLocation,
    files: entries.map((e) => ({
      path: e.path.slice(root.length + 1),
      is_dir: e.isDir,
      ...(e.fileSize !== undefined ? { file_size: e.fileSize } : {}),
    })),
  };
}

/**
 * Records logged models as outputs of a run (MLflow's runs/outputs). The schema has no run-outputs
 * table yet, so the link is kept as the model's source run: that covers `log_model` inside a run,
 * where the model is created with this run as its source. The step is not stored.
 */
export async function logRunOutputs(ctx: ServiceContext, runId: string, models: { model_id: string; step: number }[]): Promise<void> {
  authorize(ctx.actor, "tracking.write");
  await ctx.db.transaction(async (tx) => {
    await findActiveRun(tx, runId);
    const ids = [...new Set(models.map((m) => m.model_id))];
    if (!ids.length) return;
    const found = await tx.select({ id: loggedModels.modelId }).from(loggedModels).where(inArray(loggedModels.modelId, ids));
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw notFound(`Logged model with ID '${missing[0]}' not found.`);
    await tx
      .update(loggedModels)
      .set({ sourceRunId: runId })
      .where(and(inArray(loggedModels.modelId, ids), isNull(loggedModels.sourceRunId)));
  });
}

/** The logged models a run produced, in creation order, for the run's `outputs.model_outputs`. */
export async function listRunModelOutputs(ctx: ServiceContext, runId: string): Promise<{ model_id: string; step: number }[]> {
  authorize(ctx.actor, "studio.read");
  const rows = await ctx.db
    .select({ id: loggedModels.modelId })
    .from(loggedModels)
    .where(and(eq(loggedModels.sourceRunId, runId), eq(loggedModels.lifecycleStage, "active")))
    .orderBy(asc(loggedModels.creationTimestamp), asc(loggedModels.modelId));
  return rows.map((r) => ({ model_id: r.id, step: 0 }));
}

/**
 * MLflow 2.x's runs/log-model: appends the MLmodel (as JSON) to the run's `mlflow.log-model.history`
 * tag. The run row is locked so that two models logged at once both land in the list.
 */
export async function recordLoggedModel(ctx: ServiceContext, runId: string, modelJson: string): Promise<void> {
  authorize(ctx.actor, "tracking.write");
  let parsed: unknown;
  try {
    parsed = JSON.parse(modelJson);
  } catch {
    throw invalidParameter(`Malformed model info. \n ${modelJson.slice(0, 200)} \n is not a valid JSON.`);
  }
  const model = zModelJson.safeParse(parsed);
  if (!model.success) {
    const required = ["artifact_path", "flavors", "utc_time_created", "run_id"];
    const present = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? Object.keys(parsed) : [];
    const missing = required.filter((f) => !present.includes(f));
    throw invalidParameter(`Model json is missing mandatory fields: {${missing.map((f) => `'${f}'`).join(", ")}}`);
  }
  await ctx.db.transaction(async (tx) => {
    await findActiveRun(tx, runId, true);
    const [previous] = await tx
      .select({ value: tags.value })
      .from(tags)
      .where(and(eq(tags.runUuid, runId), eq(tags.key, LOG_MODEL_HISTORY_TAG)));
    let history: unknown[] = [];
    if (previous) {
      let old: unknown;
      try {
        old = JSON.parse(previous.value);
      } catch {
        old = null;
      }
      if (!Array.isArray(old)) {
        throw new DomainError(
          "INVALID_STATE",
          `The run's '${LOG_MODEL_HISTORY_TAG}' tag does not hold a JSON list; delete that tag and log the model again.`,
        );
      }
      history = old;
    }
    const value = JSON.stringify([...history, model.data]);
    validateTagValue(LOG_MODEL_HISTORY_TAG, value);
    await tx
      .insert(tags)
      .values({ runUuid: runId, key: LOG_MODEL_HISTORY_TAG, value })
      .onConflictDoUpdate({ target: [tags.runUuid, tags.key], set: { value } });
  });
}
