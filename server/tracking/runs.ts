// Run services: create, read, update, delete/restore runs, and log params, metrics, tags and inputs.
import { randomBytes, randomInt } from "node:crypto";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { z } from "zod";
import { experiments, runInputs, runs, tags, trackedDatasets } from "@/db/schema";
import { queryRows, type Database } from "@/db/client";
import { invalidParameter, notFound } from "../errors";
import type { ServiceContext } from "../service-context";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { DEFAULT_EXPERIMENT_ID } from "./experiments";
import { insertMetricPoints } from "./metric-rollups";
import { scheduleRollupCompaction } from "./rollup-compaction";
import { noteWrite } from "./snapshot-cache";
import type { DatasetInput, KeyValue, LogBatchInput, MetricInput, Run, RunInfo, zCreateRun } from "./schema";
import { validateBatchLimits, validateKey, validateMetricPoint, validateParamValue, validateTagValue } from "./validation";

type RunRow = typeof runs.$inferSelect;
type Executor = Pick<Database, "execute" | "select" | "insert" | "update" | "delete">;

export const RUN_NAME_TAG = "mlflow.runName";
export const USER_TAG = "mlflow.user";

const adjectives = ["bold", "calm", "clever", "crisp", "eager", "gentle", "keen", "lucid", "merry", "nimble", "quiet", "rapid", "sharp", "steady", "swift", "vivid", "witty", "zesty"];
const nouns = ["ant", "bass", "crane", "deer", "eel", "fox", "gull", "hare", "ibis", "jay", "koi", "lynx", "mole", "newt", "owl", "puma", "quail", "seal", "toad", "wren"];

/** A readable default run name like MLflow's ("swift-owl-417"). */
export function generateRunName(): string {
  return `${adjectives[randomInt(adjectives.length)]}-${nouns[randomInt(nouns.length)]}-${randomInt(1000)}`;
}

export function toRunInfo(row: RunRow): RunInfo {
  return {
    run_id: row.runUuid,
    run_uuid: row.runUuid,
    run_name: row.name,
    experiment_id: String(row.experimentId),
    user_id: row.userId,
    status: row.status as RunInfo["status"],
    start_time: row.startTime,
    ...(row.endTime != null ? { end_time: row.endTime } : {}),
    artifact_uri: row.artifactUri,
    lifecycle_stage: row.lifecycleStage as RunInfo["lifecycle_stage"],
  };
}

interface HydrationRow {
  run_uuid: string;
  params: KeyValue[] | null;
  metrics: { key: string; value: number | string; timestamp: number; step: number }[] | null;
  tags: KeyValue[] | null;
  inputs: { tags: KeyValue[]; dataset: Record<string, string | null> }[] | null;
  [column: string]: unknown;
}

/**
 * The children of the run `u.run_uuid` as JSON arrays (null when there are none), keys sorted. The
 * database builds them: one round trip for a whole search page instead of one query per table.
 */
/** Which keys of each kind to load; a kind left out loads every key. The runs table asks only for its columns. */
export interface RunColumnSelection {
  metrics?: string[];
  params?: string[];
  tags?: string[];
}

function runChildrenColumns(columns?: RunColumnSelection): SQL {
  const only = (keys: string[] | undefined) => (keys ? sql` and c.key = any(${sql.param(keys)}::text[])` : sql``);
  return sql`
  (select json_agg(x) from (select key, value from params c where c.run_uuid = u.run_uuid${only(columns?.params)} order by key collate "C") x) as params,
  (select json_agg(x) from (select key, value, timestamp, step from latest_metrics c where c.run_uuid = u.run_uuid${only(columns?.metrics)} order by key collate "C") x) as metrics,
  (select json_agg(x) from (select key, value from tags c where c.run_uuid = u.run_uuid${only(columns?.tags)} order by key collate "C") x) as tags,
  (select json_agg(json_build_object('tags', ri.tags, 'dataset', json_build_object(
            'name', d.name, 'digest', d.digest, 'source_type', d.source_type, 'source', d.source,
            'schema', d.schema, 'profile', d.profile)) order by d.name collate "C", d.digest collate "C")
     from run_inputs ri join tracked_datasets d on d.dataset_uuid = ri.dataset_uuid
    where ri.run_uuid = u.run_uuid) as inputs`;
}

/** A text column as a JSON string literal (quotes and escapes as json_build_object writes them). */
const jsonString = (column: SQL) => sql`to_json(${column})::text`;

/** A float8 column as JSON: NaN and ±Infinity as MLflow's strings, every other value as float8's shortest exact text. */
const jsonFloat = (column: SQL) =>
  sql`case when ${column} = 'NaN'::float8 or ${column} in ('Infinity'::float8, '-Infinity'::float8) then '"' || ${column}::text || '"' else ${column}::text end`;

/**
 * The run `u` (a row with the runs table's columns) as MLflow's Run JSON text, built by the database: key
 * order and omissions as toRun writes them (end_time, dataset schema and profile left out when null;
 * empty lists as []). float8 NaN and ±Infinity come out as the strings "NaN", "Infinity", "-Infinity",
 * which is MLflow's encoding, so the text can be sent as is.
 *
 * Written with text concatenation rather than json_build_object: a search page has ~20 params, metrics and tags per
 * run, and json_build_object looks up each argument's type and output function on every call. For the bench's
 * page of 70 runs the backend's CPU time fell from 5.6 to 3.9 ms (runs-json.test.ts checks the text against
 * json_build_object's). Text values go through to_json, which escapes as json_build_object does.
 */
export function runJsonSql(columns?: RunColumnSelection): SQL {
  const only = (keys: string[] | undefined) => (keys ? sql` and c.key = any(${sql.param(keys)}::text[])` : sql``);
  const keyValues = (table: SQL, keys: string[] | undefined) =>
    sql`coalesce((select string_agg('{"key":' || ${jsonString(sql`c.key`)} || ',"value":' || ${jsonString(sql`c.value`)} || '}', ',' order by c.key collate "C")
                  from ${table} c where c.run_uuid = u.run_uuid${only(keys)}), '')`;
  return sql`('{"info":{"run_id":' || ${jsonString(sql`u.run_uuid`)} || ',"run_uuid":' || ${jsonString(sql`u.run_uuid`)} ||
    ',"run_name":' || ${jsonString(sql`u.name`)} || ',"experiment_id":"' || u.experiment_id::text || '","user_id":' || ${jsonString(sql`u.user_id`)} ||
    ',"status":' || ${jsonString(sql`u.status`)} || ',"start_time":' || u.start_time::text || coalesce(',"end_time":' || u.end_time::text, '') ||
    ',"artifact_uri":' || ${jsonString(sql`u.artifact_uri`)} || ',"lifecycle_stage":' || ${jsonString(sql`u.lifecycle_stage`)} ||
    '},"data":{"metrics":[' ||
    coalesce((select string_agg('{"key":' || ${jsonString(sql`c.key`)} || ',"value":' || ${jsonFloat(sql`c.value`)} ||
                                ',"timestamp":' || c.timestamp::text || ',"step":' || c.step::text || '}', ',' order by c.key collate "C")
              from latest_metrics c where c.run_uuid = u.run_uuid${only(columns?.metrics)}), '') ||
    '],"params":[' || ${keyValues(sql`params`, columns?.params)} ||
    '],"tags":[' || ${keyValues(sql`tags`, columns?.tags)} ||
    ']},"inputs":{"dataset_inputs":' || coalesce((
      select json_agg(json_build_object('tags', ri.tags, 'dataset', json_strip_nulls(json_build_object(
               'name', d.name, 'digest', d.digest, 'source_type', d.source_type, 'source', d.source,
               'schema', d.schema, 'profile', d.profile))) order by d.name collate "C", d.digest collate "C")
        from run_inputs ri join tracked_datasets d on d.dataset_uuid = ri.dataset_uuid
       where ri.run_uuid = u.run_uuid)::text, '[]') || '}}')`;
}

/** Runs parsed from runJsonSql's text: JSON has no NaN or ±Infinity, so their metric values come back as numbers here. */
export function parseRunsJson(text: string): Run[] {
  const parsed = JSON.parse(text) as Run[];
  for (const run of parsed) {
    for (const m of run.data.metrics) if (typeof m.value === "string") m.value = Number(m.value);
  }
  return parsed;
}

function toRun(row: RunRow, c: HydrationRow): Run {
  return {
    info: toRunInfo(row),
    data: {
      // JSON has no NaN or ±Infinity: the database wrote them as the strings "NaN", "Infinity", "-Infinity".
      metrics: (c.metrics ?? []).map((m) => ({ ...m, value: typeof m.value === "string" ? Number(m.value) : m.value })),
      params: c.params ?? [],
      tags: c.tags ?? [],
    },
    inputs: {
      dataset_inputs: (c.inputs ?? []).map((i) => ({
        tags: i.tags,
        dataset: {
          name: i.dataset.name!,
          digest: i.dataset.digest!,
          source_type: i.dataset.source_type!,
          source: i.dataset.source!,
          ...(i.dataset.schema != null ? { schema: i.dataset.schema } : {}),
          ...(i.dataset.profile != null ? { profile: i.dataset.profile } : {}),
        },
      })),
    },
  };
}

/** Params, latest metrics, tags and inputs of the given runs, in one round trip. */
export async function hydrateRuns(db: Executor, rows: RunRow[]): Promise<Run[]> {
  const ids = rows.map((r) => r.runUuid);
  if (!ids.length) return [];
  const children = await queryRows<HydrationRow>(db, sql`
    select u.run_uuid, ${runChildrenColumns()} from unnest(${sql.param(ids)}::text[]) as u(run_uuid)`);
  const byRun = new Map(children.map((c) => [c.run_uuid, c]));
  return rows.map((row) => toRun(row, byRun.get(row.runUuid)!));
}

/** Runs by id, in the order given, in one round trip (ids that do not exist are left out); whole unless `columns` narrows them. */
export async function loadRuns(db: Executor, ids: string[], columns?: RunColumnSelection): Promise<Run[]> {
  if (!ids.length) return [];
  const found = await queryRows<HydrationRow & {
    experiment_id: string | number; name: string; user_id: string; status: string; start_time: string | number;
    end_time: string | number | null; lifecycle_stage: string; artifact_uri: string; deleted_time: string | number | null;
  }>(db, sql`
    select r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.lifecycle_stage,
           r.artifact_uri, r.deleted_time, ${runChildrenColumns(columns)}
    from unnest(${sql.param(ids)}::text[]) with ordinality as u(run_uuid, ord)
    join runs r on r.run_uuid = u.run_uuid
    order by u.ord`);
  return found.map((r) =>
    toRun(
      {
        runUuid: r.run_uuid,
        experimentId: Number(r.experiment_id),
        name: r.name,
        userId: r.user_id,
        status: r.status,
        startTime: Number(r.start_time),
        endTime: r.end_time == null ? null : Number(r.end_time),
        lifecycleStage: r.lifecycle_stage,
        artifactUri: r.artifact_uri,
        deletedTime: r.deleted_time == null ? null : Number(r.deleted_time),
      },
      r,
    ),
  );
}

async function findRun(db: Executor, runId: string, lock = false): Promise<RunRow> {
  const query = db.select().from(runs).where(eq(runs.runUuid, runId));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw notFound(`Run '${runId}' not found.`);
  return row;
}

function assertActive(row: RunRow): void {
  if (row.lifecycleStage !== "active") {
    throw invalidParameter(`The run ${row.runUuid} must be in the 'active' state. Current state is ${row.lifecycleStage}.`);
  }
}

export async function getRun(ctx: ServiceContext, runId: string): Promise<Run> {
  const row = await findRun(ctx.db, runId);
  const [run] = await hydrateRuns(ctx.db, [row]);
  return run;
}

export async function createRun(ctx: ServiceContext, input: z.output<typeof zCreateRun>): Promise<Run> {
  authorize(ctx.actor, "tracking.write");
  const experimentId = Number(input.experiment_id ?? DEFAULT_EXPERIMENT_ID);
  const requestTags = new Map((input.tags ?? []).map((t) => [t.key, t.value]));
  for (const [key, value] of requestTags) {
    validateKey("tag", key);
    validateTagValue(key, value);
  }
  const tagName = requestTags.get(RUN_NAME_TAG);
  if (input.run_name && tagName && input.run_name !== tagName) {
    throw invalidParameter(
      `Both 'run_name' ('${input.run_name}') and the '${RUN_NAME_TAG}' tag ('${tagName}') were given with different values; give one, or the same value.`,
    );
  }
  const name = input.run_name || tagName || generateRunName();
  requestTags.set(RUN_NAME_TAG, name);
  // The user a run belongs to is the authenticated one, not what the client claims.
  const userId = ctx.actor.via === "local" ? (input.user_id ?? requestTags.get(USER_TAG) ?? ctx.actor.username) : ctx.actor.username;
  requestTags.set(USER_TAG, userId);
  const runId = randomBytes(16).toString("hex");

  return ctx.db.transaction(async (tx) => {
    const [experiment] = await tx.select().from(experiments).where(eq(experiments.experimentId, experimentId));
    if (!experiment) throw notFound(`No experiment with id=${input.experiment_id ?? DEFAULT_EXPERIMENT_ID} exists.`);
    if (experiment.lifecycleStage !== "active") {
      throw invalidParameter(`The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`);
    }
    const [row] = await tx
      .insert(runs)
      .values({
        runUuid: runId,
        experimentId,
        name,
        userId,
        status: "RUNNING",
        startTime: input.start_time ?? Date.now(),
        artifactUri: `${experiment.artifactLocation.replace(/\/+$/, "")}/${runId}/artifacts`,
      })
      .returning();
    await tx.insert(tags).values([...requestTags].map(([key, value]) => ({ runUuid: runId, key, value })));
    await recordAudit(tx, ctx.actor, {
      action: "run.create",
      targetType: "run",
      targetId: runId,
      after: { experiment_id: String(experimentId), run_name: name, user_id: userId },
    });
    const [run] = await hydrateRuns(tx, [row]);
    return run;
  });
}

export async function updateRun(
  ctx: ServiceContext,
  input: { run_id: string; status?: RunInfo["status"]; end_time?: number; run_name?: string },
): Promise<RunInfo> {
  authorize(ctx.actor, "tracking.write");
  return ctx.db.transaction(async (tx) => {
    const row = await findRun(tx, input.run_id, true);
    assertActive(row);
    // MLflow answers an update that changes nothing with the run as it is.
    if (!input.status && input.end_time === undefined && !input.run_name) return toRunInfo(row);
    const [updated] = await tx
      .update(runs)
      .set({
        ...(input.status ? { status: input.status } : {}),
        ...(input.end_time !== undefined ? { endTime: input.end_time } : {}),
        ...(input.run_name ? { name: input.run_name } : {}),
      })
      .where(eq(runs.runUuid, input.run_id))
      .returning();
    if (input.run_name) {
      await tx
        .insert(tags)
        .values({ runUuid: input.run_id, key: RUN_NAME_TAG, value: input.run_name })
        .onConflictDoUpdate({ target: [tags.runUuid, tags.key], set: { value: input.run_name } });
    }
    await recordAudit(tx, ctx.actor, {
      action: "run.update",
      targetType: "run",
      targetId: input.run_id,
      before: { status: row.status, end_time: row.endTime, run_name: row.name },
      after: { status: updated.status, end_time: updated.endTime, run_name: updated.name },
    });
    return toRunInfo(updated);
  });
}

export async function setRunLifecycle(ctx: ServiceContext, runId: string, stage: "active" | "deleted"): Promise<void> {
  authorize(ctx.actor, "tracking.write");
  await ctx.db.transaction(async (tx) => {
    const row = await findRun(tx, runId, true);
    if (stage === "active" && row.lifecycleStage === "active") return;
    await tx
      .update(runs)
      .set({ lifecycleStage: stage, deletedTime: stage === "deleted" ? Date.now() : null })
      .where(eq(runs.runUuid, runId));
    await recordAudit(tx, ctx.actor, {
      action: stage === "deleted" ? "run.delete" : "run.restore",
      targetType: "run",
      targetId: runId,
      before: { lifecycle_stage: row.lifecycleStage },
      after: { lifecycle_stage: stage },
    });
  });
}

/** Drops exact duplicates and refuses two different values for one key in the same request. */
function uniqueByKey(kind: "param" | "tag", entries: KeyValue[], allowOverwrite: boolean): KeyValue[] {
  const byKey = new Map<string, KeyValue>();
  for (const entry of entries) {
    const seen = byKey.get(entry.key);
    if (seen && seen.value !== entry.value && !allowOverwrite) {
      throw invalidParameter(
        `Duplicate ${kind} key '${entry.key}' with different values ('${seen.value}', '${entry.value}') in one request; send one value per key.`,
      );
    }
    byKey.set(entry.key, entry);
  }
  return [...byKey.values()];
}

/**
 * Logs metrics, params and tags with one statement per kind (MLflow logs them row by row, which made
 * a 1,000-metric batch take seconds), in one transaction when there are params or tags. A re-sent
 * identical batch changes nothing: metric points and params are keyed by their content.
 */
export async function logBatch(ctx: ServiceContext, input: LogBatchInput): Promise<void> {
  authorize(ctx.actor, "tracking.write");
  const metricsIn: MetricInput[] = input.metrics ?? [];
  const paramsIn = uniqueByKey("param", input.params ?? [], false);
  const tagsIn = uniqueByKey("tag", input.tags ?? [], true);
  validateBatchLimits({ metrics: metricsIn.length, params: input.params?.length ?? 0, tags: input.tags?.length ?? 0 });
  // A batch names a handful of keys a thousand times: each is checked once, at its first point, so the first bad
  // name in the batch is still the one refused.
  const checkedKeys = new Set<string>();
  for (const m of metricsIn) {
    if (!checkedKeys.has(m.key)) {
      validateKey("metric", m.key);
      checkedKeys.add(m.key);
    }
    validateMetricPoint(m.key, m.timestamp);
  }
  for (const p of paramsIn) {
    validateKey("param", p.key);
    validateParamValue(p.key, p.value);
  }
  for (const t of tagsIn) {
    validateKey("tag", t.key);
    validateTagValue(t.key, t.value);
  }

  if (!paramsIn.length && !tagsIn.length) {
    // Metrics alone (what training loops send) need no transaction: one statement checks the run,
    // inserts the points, keeps the latest values and the rollups (or queues them), all or nothing.
    if (!metricsIn.length) assertActive(await findRun(ctx.db, input.run_id));
    else {
      // A caller may hand in a transaction as ctx.db: the first, all-new try must not fail inside it, and such a
      // transaction may write more than this statement, so only a statement of its own is recorded for the search cache.
      const own = !(ctx.db instanceof PgTransaction);
      if (await insertMetrics(ctx.db, input.run_id, metricsIn, own, own)) scheduleRollupCompaction(ctx.db);
    }
    return;
  }
  const queued = await ctx.db.transaction(async (tx) => {
    const row = await findRun(tx, input.run_id);
    assertActive(row);
    const runId = row.runUuid;
    if (paramsIn.length) {
      const keys = paramsIn.map((p) => p.key);
      const values = paramsIn.map((p) => p.value);
      await tx.execute(sql`
        insert into params (run_uuid, key, value)
        select ${runId}, k, v from unnest(${sql.param(keys)}::text[], ${sql.param(values)}::text[]) as u(k, v)
        on conflict (run_uuid, key) do nothing`);
      const conflicts = await queryRows<{ key: string; old_value: string; new_value: string }>(tx, sql`
        select p.key, p.value as old_value, u.v as new_value
        from unnest(${sql.param(keys)}::text[], ${sql.param(values)}::text[]) as u(k, v)
        join params p on p.run_uuid = ${runId} and p.key = u.k
        where p.value <> u.v`);
      if (conflicts.length) {
        const c = conflicts[0];
        throw invalidParameter(
          `Changing param values is not allowed. Param with key='${c.key}' was already logged with value='${c.old_value}' for run ID='${runId}'. Attempted logging new value '${c.new_value}'.`,
        );
      }
    }
    if (tagsIn.length) {
      const keys = tagsIn.map((t) => t.key);
      const values = tagsIn.map((t) => t.value);
      await tx.execute(sql`
        insert into tags (run_uuid, key, value)
        select ${runId}, k, v from unnest(${sql.param(keys)}::text[], ${sql.param(values)}::text[]) as u(k, v)
        on conflict (run_uuid, key) do update set value = excluded.value`);
      const runName = tagsIn.find((t) => t.key === RUN_NAME_TAG);
      if (runName) await tx.update(runs).set({ name: runName.value }).where(eq(runs.runUuid, runId));
    }
    return metricsIn.length ? insertMetrics(tx, runId, metricsIn) : false;
  });
  // After the commit: a fold started before it would not see the queued rows.
  if (queued) scheduleRollupCompaction(ctx.db);
}

/**
 * Inserts the points and keeps latest values and chart rollups (see insertMetricPoints). Points whose rollups the
 * statement could not merge itself (a batch re-sending stored points) are queued and folded off the request: in the
 * background soon after, and at the latest when a chart reads the run (catchUpRollups). Answers whether any were
 * queued.
 */
async function insertMetrics(db: Executor, runId: string, points: MetricInput[], outsideTransaction = false, noteInWriteLog = false): Promise<boolean> {
  const n = points.length;
  const keys = new Array<string>(n);
  const values = new Array<number>(n);
  const timestamps = new Array<number>(n);
  const steps = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const m = points[i];
    keys[i] = m.key;
    values[i] = m.value;
    timestamps[i] = m.timestamp;
    steps[i] = m.step ?? 0;
  }
  const { lifecycleStage, queued, xid, experimentId } = await insertMetricPoints(db, runId, { keys, steps, timestamps, values }, outsideTransaction);
  // The statement wrote this run's latest metrics (and history, which no search reads), nothing of another experiment.
  if (noteInWriteLog && experimentId !== null) noteWrite(db, xid, [experimentId]);
  if (lifecycleStage === null) throw notFound(`Run '${runId}' not found.`);
  if (lifecycleStage !== "active") {
    throw invalidParameter(`The run ${runId} must be in the 'active' state. Current state is ${lifecycleStage}.`);
  }
  return queued;
}


export async function logMetric(ctx: ServiceContext, runId: string, metric: MetricInput): Promise<void> {
  await logBatch(ctx, { run_id: runId, metrics: [metric] });
}

export async function logParam(ctx: ServiceContext, runId: string, param: KeyValue): Promise<void> {
  await logBatch(ctx, { run_id: runId, params: [param] });
}

export async function setTag(ctx: ServiceContext, runId: string, tag: KeyValue): Promise<void> {
  await logBatch(ctx, { run_id: runId, tags: [tag] });
}

export async function deleteTag(ctx: ServiceContext, runId: string, key: string): Promise<void> {
  authorize(ctx.actor, "tracking.write");
  await ctx.db.transaction(async (tx) => {
    const row = await findRun(tx, runId);
    assertActive(row);
    const deleted = await tx.delete(tags).where(and(eq(tags.runUuid, runId), eq(tags.key, key))).returning();
    if (!deleted.length) throw notFound(`No tag with name: ${key} in run with id ${runId}`);
    await recordAudit(tx, ctx.actor, { action: "run.tag.delete", targetType: "run", targetId: runId, before: { [key]: deleted[0].value } });
  });
}

/** Links a run to dataset versions (MLflow's log_input); the same dataset twice is one link. */
export async function logInputs(ctx: ServiceContext, runId: string, datasets: DatasetInput[]): Promise<void> {
  authorize(ctx.actor, "tracking.write");
  await ctx.db.transaction(async (tx) => {
    const row = await findRun(tx, runId);
    assertActive(row);
    for (const input of datasets) {
      const d = input.dataset;
      const inserted = await tx
        .insert(trackedDatasets)
        .values({
          datasetUuid: randomBytes(16).toString("hex"),
          experimentId: row.experimentId,
          name: d.name,
          digest: d.digest,
          sourceType: d.source_type,
          source: d.source,
          schema: d.schema ?? null,
          profile: d.profile ?? null,
        })
        .onConflictDoUpdate({
          target: [trackedDatasets.experimentId, trackedDatasets.name, trackedDatasets.digest],
          set: { source: d.source },
        })
        .returning({ id: trackedDatasets.datasetUuid });
      await tx
        .insert(runInputs)
        .values({ runUuid: runId, datasetUuid: inserted[0].id, tags: input.tags })
        .onConflictDoUpdate({ target: [runInputs.runUuid, runInputs.datasetUuid], set: { tags: input.tags } });
    }
  });
}

/** The run's artifact root relative to the artifact store, when it lives in the studio's own store. */
export function artifactRootOf(run: RunInfo): string | null {
  const match = /^mlflow-artifacts:\/(?:\/[^/]*)?\/?(.*)$/.exec(run.artifact_uri);
  return match ? match[1] : null;
}

