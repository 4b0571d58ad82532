// Monitoring of served models: per time window, drift of each feature against a reference dataset version
// (lib/drift's rules), the share of drifted features, prediction drift, volume, latency and live metrics from
// feedback; the latest window's verdict is kept as the model's health flag.
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { datasetVersions, datasets, inferenceFeedback, inferenceLog, modelMonitoring, registeredModels } from "@/db/schema";
import { categoricalDrift, datasetDrift, numericDrift, psiBand, type CategoryCounts, type ColumnDrift } from "@/lib/drift";
import { getArtifactStore, type ServiceContext } from "../service-context";
import { systemActor } from "../auth/actor";
import { queryRows, type Database } from "@/db/client";
import { authorize } from "../auth/permissions";
import { recordAudit } from "../auth/audit";
import { monitoringFlaggedEvent } from "../notifications/events";
import { emitStudioEvent } from "../notifications/outbox";
import { invalidParameter } from "../errors";
import { getDatasetRoot } from "../datasets/dataset-store";
import { versionLocalPath } from "../datasets/dataset-files";
import { findVersion } from "../datasets/registry";
import { matrixInputOf } from "../datasets/training-columns";
import { findRegisteredModel, findVersionByAlias, type ModelVersionRow } from "../registry/model-versions";
import type { OnnxIntrospection } from "../registry/onnx-introspection";
import { zModelLineage } from "../registry/schema";
import { invalidateLoggingSettings } from "./inference-log";
import { liveValueOf } from "./live-value";
import { readReferenceData, type ReferenceData } from "./reference-data";
import { registerJobHandler } from "../jobs/runner";
import {
  defaultMonitoringThresholds,
  zMonitoringThresholds,
  type FeatureDrift,
  type MonitoringSettingsInput,
  type MonitoringThresholds,
  type MonitoringView,
  type ModelFlag,
  type MonitoringWindow,
  type WindowSize,
} from "./schema";
import { sentence, sentencesOneForOne, type ServerSentence } from "@/lib/i18n/server-sentence";

const WINDOW_MS: Record<WindowSize, number> = { hour: 3_600_000, day: 86_400_000 };
const DEFAULT_WINDOWS: Record<WindowSize, number> = { hour: 24, day: 14 };
/** Below this many rows a window's drift is not judged (a handful of requests says nothing about a distribution). */
export const MIN_ROWS_FOR_DRIFT = 30;

type Task = "binary" | "multiclass" | "regression";

/** Classifier when an output is a [N,k] tensor with k ≥ 2 (the probabilities); regression otherwise. */
export function taskOfIntrospection(introspection: unknown): Task | null {
  const outputs = (introspection as { outputs?: { kind?: string; shape?: (number | string | null)[] | null }[] } | null)?.outputs;
  if (!outputs?.length) return null;
  for (const output of outputs) {
    const width = output.shape?.[1];
    if (output.kind === "tensor" && output.shape?.length === 2 && typeof width === "number" && width >= 2) return width === 2 ? "binary" : "multiclass";
  }
  return "regression";
}

interface Settings {
  sampleRate: number;
  retentionDays: number;
  thresholds: MonitoringThresholds;
  referenceDatasetVersionId: number | null;
  columnOrder: ConfirmedColumnOrder | null;
}

const zConfirmedColumnOrder = z.object({ versionId: z.number(), columns: z.array(z.string()) });
type ConfirmedColumnOrder = z.infer<typeof zConfirmedColumnOrder>;

async function readSettings(db: Pick<Database, "select">, modelId: number): Promise<Settings> {
  const [row] = await db.select().from(modelMonitoring).where(eq(modelMonitoring.modelId, modelId));
  const parsed = zMonitoringThresholds.safeParse(row?.thresholds ?? {});
  return {
    sampleRate: row?.sampleRate ?? 1,
    retentionDays: row?.retentionDays ?? 30,
    thresholds: parsed.success ? parsed.data : defaultMonitoringThresholds,
    referenceDatasetVersionId: row?.referenceDatasetVersionId ?? null,
    columnOrder: zConfirmedColumnOrder.nullable().catch(null).parse(row?.columnOrder ?? null),
  };
}

interface ReferenceChoice {
  datasetName: string;
  version: number;
  source: "lineage" | "chosen";
  path: string;
  format: "csv" | "parquet";
  digest: string;
  labelColumn: string | null;
}

/** Why drift cannot be computed: the English text, and its sentence code for the page's language. */
interface ReferenceProblem {
  text: string;
  message: ServerSentence;
}

async function chooseReference(db: Database, settings: Settings, production: ModelVersionRow | null, datasetRoot: string): Promise<ReferenceChoice | ReferenceProblem> {
  let versionId = settings.referenceDatasetVersionId;
  let source: "lineage" | "chosen" = "chosen";
  if (versionId === null) {
    source = "lineage";
    if (!production) {
      return {
        text: "No version holds the production alias, so there is no training dataset to compare with: promote a version or choose a reference.",
        message: sentence("reference.no_production"),
      };
    }
    const lineage = zModelLineage.safeParse(production.lineage ?? {});
    const trained = lineage.success ? lineage.data.datasets.find((d) => d.registry && d.context !== "evaluation" && d.context !== "test") : undefined;
    if (!trained?.registry) {
      return {
        text: "The production version's lineage names no registered dataset version it was trained on: choose a reference dataset version in the settings.",
        message: sentence("reference.no_lineage"),
      };
    }
    const found = await findVersion(db, trained.registry.datasetName, trained.registry.version).catch(() => null);
    if (!found) {
      return {
        text: `The training dataset ${trained.registry.datasetName} v${trained.registry.version} no longer exists: choose a reference in the settings.`,
        message: sentence("reference.training_gone", { dataset: trained.registry.datasetName, version: String(trained.registry.version) }),
      };
    }
    versionId = found.row.versionId;
  }
  const [row] = await db
    .select({ name: datasets.name, labelColumn: datasets.labelColumn, version: datasetVersions.version, storagePath: datasetVersions.storagePath, format: datasetVersions.format, digest: datasetVersions.digest })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.datasetId, datasetVersions.datasetId))
    .where(eq(datasetVersions.versionId, versionId));
  if (!row) return { text: "The reference dataset version no longer exists: choose another in the settings.", message: sentence("reference.chosen_gone") };
  return {
    datasetName: row.name,
    version: row.version,
    source,
    path: await versionLocalPath(datasetRoot, row.storagePath),
    format: row.format as "csv" | "parquet",
    digest: row.digest,
    labelColumn: row.labelColumn,
  };
}

function toFeatureDrift(feature: string, kind: "numeric" | "categorical", drift: ColumnDrift, count: number): FeatureDrift {
  return { feature, kind, test: drift.test, score: drift.score, threshold: drift.threshold, drifted: drift.drifted, psi: drift.psi, psiBand: psiBand(drift.psi), count };
}

interface LogRow {
  at: number;
  latencyMs: number;
  rowCount: number;
  requestId: string;
  inputs: Record<string, (number | string | null)[]>;
  predictions: (number | string)[];
}

/** Drift of every feature of the window that the reference also has. */
export function windowFeatureDrift(rows: readonly LogRow[], reference: ReferenceData, thresholds: MonitoringThresholds): FeatureDrift[] {
  const features = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row.inputs)) features.add(key);
  const results: FeatureDrift[] = [];
  for (const feature of [...features].sort()) {
    const ref = reference.columns.get(feature);
    if (!ref) continue;
    // The logged values say what the model takes: text (a string input) compares with the reference's text as
    // written, numbers with its numbers. A yes/no category is never compared as true/false.
    const loggedText = rows.some((row) => (row.inputs[feature] ?? []).some((value) => typeof value === "string" && value !== ""));
    if (ref.kind === "numeric" && !loggedText) {
      const current: number[] = [];
      for (const row of rows) for (const value of row.inputs[feature] ?? []) if (typeof value === "number" && Number.isFinite(value)) current.push(value);
      if (current.length < 2 || ref.numbers.length < 2) continue;
      const drift = numericDrift(ref.numbers, current, { ksPValueThreshold: thresholds.ksPValue, wassersteinThreshold: thresholds.wasserstein });
      results.push(toFeatureDrift(feature, "numeric", drift, current.length));
    } else {
      const current: CategoryCounts = {};
      let count = 0;
      for (const row of rows)
        for (const value of row.inputs[feature] ?? []) {
          if (value === null || value === "") continue;
          current[String(value)] = (current[String(value)] ?? 0) + 1;
          count += 1;
        }
      if (count === 0) continue;
      const drift = categoricalDrift(ref.counts, current, { chiSquarePValueThreshold: thresholds.chiSquarePValue, jensenShannonThreshold: thresholds.jensenShannon });
      results.push(toFeatureDrift(feature, "categorical", drift, count));
    }
  }
  return results;
}

/**
 * Prediction drift: the window's predictions against the reference's label column (for a classifier, the
 * distribution of predicted classes vs true classes in the training data; for a regressor, values vs values).
 */
function predictionDrift(rows: readonly LogRow[], reference: ReferenceData, labelColumn: string | null, task: Task | null, thresholds: MonitoringThresholds): FeatureDrift | null {
  const ref = labelColumn ? reference.columns.get(labelColumn) : undefined;
  if (!ref) return null;
  const predictions = rows.flatMap((row) => row.predictions);
  if (predictions.length < 2) return null;
  if (task === "regression" && ref.kind === "numeric") {
    const current = predictions.map(Number).filter(Number.isFinite);
    const drift = numericDrift(ref.numbers, current, { ksPValueThreshold: thresholds.ksPValue, wassersteinThreshold: thresholds.wasserstein });
    return toFeatureDrift("prediction", "numeric", drift, current.length);
  }
  const refCounts: CategoryCounts = ref.kind === "categorical" ? ref.counts : countValues(ref.numbers.map(String));
  const drift = categoricalDrift(refCounts, countValues(predictions.map(String)), {
    chiSquarePValueThreshold: thresholds.chiSquarePValue,
    jensenShannonThreshold: thresholds.jensenShannon,
  });
  return toFeatureDrift("prediction", "categorical", drift, predictions.length);
}

function countValues(values: string[]): CategoryCounts {
  const counts: CategoryCounts = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}



/** Entries of a window the drift tests read at most (its latest ones); counts and percentiles use every entry. */
export const MAX_DRIFT_ENTRIES_PER_WINDOW = 2_000;

interface WindowStat {
  requests: number;
  rows: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Requests, rows and latency percentiles (nearest rank, as lib/percentile) of every window, in the database. */
async function windowStats(db: Database, modelId: number, from: number, size: number): Promise<Map<number, WindowStat>> {
  const rows = await queryRows<{ start: string | number; requests: string | number; rows: string | number; p50: number; p95: number; p99: number }>(
    db,
    sql`select floor(at / ${size})::bigint * ${size} as start, count(*) as requests, coalesce(sum(row_count), 0) as rows,
          percentile_disc(0.5) within group (order by latency_ms) as p50,
          percentile_disc(0.95) within group (order by latency_ms) as p95,
          percentile_disc(0.99) within group (order by latency_ms) as p99
        from ${inferenceLog} where model_id = ${modelId} and at >= ${from} and route = 'production' group by 1`,
  );
  return new Map(rows.map((r) => [Number(r.start), { requests: Number(r.requests), rows: Number(r.rows), p50: r.p50 ?? null, p95: r.p95 ?? null, p99: r.p99 ?? null }]));
}

/**
 * Live metric per window: every current feedback row (a superseded label no longer counts) joined to the prediction logged at its row index. Classifiers get
 * accuracy (and F1 of class 1 when all labels and predictions are 0/1), regressors RMSE.
 */
async function windowLiveMetrics(db: Database, modelId: number, from: number, size: number, task: Task | null): Promise<Map<number, NonNullable<MonitoringWindow["liveMetric"]>>> {
  const truth = sql`(f.label #>> '{}')`;
  const predicted = sql`(l.predictions -> f.row_index #>> '{}')`;
  const joined = sql`from ${inferenceFeedback} f join ${inferenceLog} l on l.model_id = f.model_id and l.request_id = f.request_id
    where l.model_id = ${modelId} and l.at >= ${from} and l.route = 'production' and (l.predictions -> f.row_index) is not null and f.superseded_at is null`;
  const out = new Map<number, NonNullable<MonitoringWindow["liveMetric"]>>();
  if (task === "regression") {
    const rows = await queryRows<{ start: string | number; n: string | number; sse: number }>(
      db,
      sql`select floor(l.at / ${size})::bigint * ${size} as start, count(*) as n, sum((${truth}::float8 - ${predicted}::float8) ^ 2) as sse
          ${joined} and jsonb_typeof(f.label) = 'number' and jsonb_typeof(l.predictions -> f.row_index) = 'number' group by 1`,
    );
    for (const r of rows) out.set(Number(r.start), { name: "rmse", value: Math.sqrt(Number(r.sse) / Number(r.n)), count: Number(r.n) });
    return out;
  }
  const rows = await queryRows<{ start: string | number; n: string | number; correct: string | number; tp: string | number; fp: string | number; fn: string | number; binary: boolean }>(
    db,
    sql`select floor(l.at / ${size})::bigint * ${size} as start, count(*) as n,
          count(*) filter (where ${truth} = ${predicted}) as correct,
          count(*) filter (where ${truth} = '1' and ${predicted} = '1') as tp,
          count(*) filter (where ${truth} <> '1' and ${predicted} = '1') as fp,
          count(*) filter (where ${truth} = '1' and ${predicted} <> '1') as fn,
          bool_and(${truth} in ('0', '1') and ${predicted} in ('0', '1')) as binary
        ${joined} group by 1`,
  );
  for (const r of rows) {
    const n = Number(r.n);
    const f1Denominator = 2 * Number(r.tp) + Number(r.fp) + Number(r.fn);
    out.set(Number(r.start), {
      name: "accuracy",
      value: Number(r.correct) / n,
      count: n,
      ...(task === "binary" ? { f1: r.binary && f1Denominator > 0 ? (2 * Number(r.tp)) / f1Denominator : null } : {}),
    });
  }
  return out;
}

function round(value: number, digits = 3): string {
  return Number(value.toFixed(digits)).toString();
}

/** One reason a model is flagged: the English sentence (webhooks, the technical file, older pages) and its catalogue code. */
export interface FlagReason {
  text: string;
  message: ServerSentence;
}

/** Why the model is flagged, judged on the most recent window with enough rows. */
export function flagReasons(windows: readonly MonitoringWindow[], thresholds: MonitoringThresholds, task: Task | null): FlagReason[] {
  const latest = [...windows].reverse().find((w) => w.rows >= MIN_ROWS_FOR_DRIFT);
  if (!latest) return [];
  const reasons: FlagReason[] = [];
  const when = new Date(latest.start).toISOString().replace("T", " ").slice(0, 16);
  const drifted = latest.features.filter((f) => f.drifted).map((f) => f.feature);
  if (drifted.length) {
    const names = `${drifted.slice(0, 5).join(", ")}${drifted.length > 5 ? ", …" : ""}`;
    const limit = Math.round(thresholds.datasetDriftShare * 100);
    const values = { drifted: drifted.length, features: latest.features.length, when, names };
    reasons.push(
      latest.datasetDrifted
        ? {
            text: `Dataset drift: ${drifted.length} of ${latest.features.length} features drifted in the window from ${when} UTC (${names}), at or above the ${limit}% limit.`,
            message: sentence("flag.dataset_drift", { ...values, limit }),
          }
        : {
            text: `Feature drift: ${drifted.length} of ${latest.features.length} features drifted in the window from ${when} UTC (${names}).`,
            message: sentence("flag.feature_drift", values),
          },
    );
  }
  const live = [...windows].reverse().find((w) => w.liveMetric)?.liveMetric;
  if (live && thresholds.liveMetric !== null) {
    const values = { value: Number(round(live.value)), count: live.count, threshold: Number(round(thresholds.liveMetric)) };
    if (task !== "regression" && live.value < thresholds.liveMetric) {
      reasons.push({
        text: `Live ${live.name} is ${round(live.value)} on ${live.count} rows with feedback, below the ${round(thresholds.liveMetric)} threshold.`,
        message: sentence("flag.live_metric_below", { ...values, metric: [sentence(`term.live_metric.${live.name}`, {}, live.name)] }),
      });
    }
    if (task === "regression" && live.value > thresholds.liveMetric) {
      reasons.push({
        text: `Live RMSE is ${round(live.value)} on ${live.count} rows with feedback, above the ${round(thresholds.liveMetric)} threshold.`,
        message: sentence("flag.live_rmse_above", values),
      });
    }
  }
  return reasons;
}

/**
 * A feature-matrix model without names in its signature is served, and logged, with columns x0, x1, …. They are renamed
 * to the model's feature names when something gives them (the training dataset version in its lineage), never to
 * whatever columns the reference file happens to hold at those positions.
 */
function namedInputs(names: readonly string[]) {
  return (inputs: LogRow["inputs"]): LogRow["inputs"] => {
    const keys = Object.keys(inputs);
    if (keys.length !== names.length || !keys.every((key) => /^x\d+$/.test(key) && Number(key.slice(1)) < names.length)) return inputs;
    return Object.fromEntries(keys.map((key) => [names[Number(key.slice(1))]!, inputs[key]!]));
  };
}

export async function getMonitoringView(
  ctx: ServiceContext,
  input: { name: string; window: WindowSize; windows?: number },
  datasetRoot: string = getDatasetRoot(),
): Promise<MonitoringView> {
  authorize(ctx.actor, "studio.read");
  const model = await findRegisteredModel(ctx.db, input.name);
  const production = await findVersionByAlias(ctx.db, input.name, "production").catch(() => null);
  const settings = await readSettings(ctx.db, model.modelId);
  const task = production ? taskOfIntrospection(production.introspection) : null;
  const size = WINDOW_MS[input.window];
  const count = input.windows ?? DEFAULT_WINDOWS[input.window];
  const lastStart = Math.floor(Date.now() / size) * size;
  const from = lastStart - (count - 1) * size;

  // Production's answers only: a canary's and a shadow's are compared on the Deployments page (server/deployments/comparison.ts).
  // Counts, latency percentiles and live metrics are aggregated by the database over every logged request; drift
  // reads a bounded sample of each window (its latest entries), so the page stays fast however busy the model is.
  const stats = await windowStats(ctx.db, model.modelId, from, size);
  const live = await windowLiveMetrics(ctx.db, model.modelId, from, size, task);
  const liveValue = await liveValueOf(ctx.db, model.modelId, production?.versionId ?? null, from);
  const logRows = await queryRows<LogRow>(
    ctx.db,
    sql`select at, latency_ms as "latencyMs", row_count as "rowCount", request_id as "requestId", inputs, predictions from (
          select l.*, row_number() over (partition by floor(l.at / ${size}) order by l.log_id desc) as rank
          from ${inferenceLog} l where l.model_id = ${model.modelId} and l.at >= ${from} and l.route = 'production') sampled
        where rank <= ${MAX_DRIFT_ENTRIES_PER_WINDOW}`,
  );

  const choice = await chooseReference(ctx.db, settings, production, datasetRoot);
  let reference: ReferenceData | null = null;
  const problem = "text" in choice ? choice : null;
  let referenceProblem: string | null = problem?.text ?? null;
  let referenceProblemMessage: ServerSentence | null = problem?.message ?? null;
  if (!("text" in choice)) {
    try {
      reference = await readReferenceData(choice.path, choice.format, choice.digest);
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      referenceProblem = `The reference dataset ${choice.datasetName} v${choice.version} could not be read: ${cause}`;
      referenceProblemMessage = sentence("reference.unreadable", { dataset: choice.datasetName, version: String(choice.version), cause });
    }
  }

  const matrix = production?.introspection ? await matrixInputOf(ctx.db, production.introspection as OnnxIntrospection, production.lineage) : null;
  const confirmedOrder =
    matrix && !matrix.names && production && settings.columnOrder?.versionId === production.versionId && (matrix.width === null || settings.columnOrder.columns.length === matrix.width)
      ? settings.columnOrder.columns
      : null;
  const names = matrix?.names?.names ?? confirmedOrder;
  const named = names ? namedInputs(names) : null;
  const unnamedMatrix =
    matrix && !matrix.names ? { inputName: matrix.inputName, width: matrix.width, confirmedOrder, referenceColumns: reference ? [...reference.columns.keys()] : [] } : null;
  if (reference && matrix && !names && !referenceProblem) {
    referenceProblem =
      `The production version's input '${matrix.inputName}' names none of its columns (they are logged as x0, x1, …), so they cannot be matched with ` +
      "the reference's columns by name: confirm their order in the monitoring settings, or register the version with an MLmodel signature naming its columns or with lineage to its training dataset version.";
    referenceProblemMessage = sentence("reference.unnamed_matrix", { input: matrix.inputName });
  }
  const buckets = new Map<number, LogRow[]>();
  for (const logged of logRows) {
    const row = { ...logged, at: Number(logged.at), inputs: named ? named(logged.inputs) : logged.inputs };
    const start = Math.floor(row.at / size) * size;
    let bucket = buckets.get(start);
    if (!bucket) buckets.set(start, (bucket = []));
    bucket.push(row);
  }
  const windows: MonitoringWindow[] = [];
  for (let start = from; start <= lastStart; start += size) {
    const rows = buckets.get(start) ?? [];
    const stat = stats.get(start);
    const rowTotal = stat?.rows ?? 0;
    const judged = reference !== null && rowTotal >= MIN_ROWS_FOR_DRIFT;
    const features = judged && reference ? windowFeatureDrift(rows, reference, settings.thresholds) : [];
    const share = judged ? datasetDrift(features, settings.thresholds.datasetDriftShare) : null;
    windows.push({
      start,
      end: start + size,
      requests: stat?.requests ?? 0,
      rows: rowTotal,
      latencyP50: stat?.p50 ?? null,
      latencyP95: stat?.p95 ?? null,
      latencyP99: stat?.p99 ?? null,
      driftShare: share && share.totalColumns > 0 ? share.share : null,
      datasetDrifted: share?.drifted ?? false,
      predictionDrift: judged && reference && !("text" in choice) ? predictionDrift(rows, reference, choice.labelColumn, task, settings.thresholds) : null,
      liveMetric: live.get(start) ?? null,
      features,
    });
  }
  const flag = flagReasons(windows, settings.thresholds, task);
  const reasons = flag.map((reason) => reason.text);
  await saveFlag(ctx.db, model, flag);
  return {
    modelName: model.name,
    productionVersion: production ? String(production.version) : null,
    task,
    reference:
      "text" in choice || !reference
        ? null
        : { datasetName: choice.datasetName, version: choice.version, rowCount: reference.rowCount, source: choice.source },
    referenceProblem,
    referenceProblemMessage,
    unnamedMatrix,
    settings: { sampleRate: settings.sampleRate, retentionDays: settings.retentionDays, thresholds: settings.thresholds },
    window: input.window,
    windows,
    flag: { flagged: reasons.length > 0, reasons, reasonMessages: flag.map((reason) => reason.message) },
    liveValue,
  };
}

/** Keeps the flag; a reason the previous check did not have is announced (webhooks), once, not on every check. */
async function saveFlag(db: Database, model: { modelId: number; name: string }, flag: readonly FlagReason[]): Promise<void> {
  const now = Date.now();
  const reasons = flag.map((reason) => reason.text);
  const messages = flag.map((reason) => reason.message);
  await db.transaction(async (tx) => {
    const [previous] = await tx
      .select({ reasons: modelMonitoring.flagReasons })
      .from(modelMonitoring)
      .where(eq(modelMonitoring.modelId, model.modelId))
      .for("update");
    await tx
      .insert(modelMonitoring)
      .values({ modelId: model.modelId, flagReasons: reasons, flagReasonMessages: messages, flagCheckedAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: modelMonitoring.modelId, set: { flagReasons: reasons, flagReasonMessages: messages, flagCheckedAt: now } });
    const event = monitoringFlaggedEvent(model.name, reasons, previous?.reasons ?? [], messages);
    if (event) await emitStudioEvent(tx, event);
  });
}

export async function updateMonitoringSettings(ctx: ServiceContext, input: MonitoringSettingsInput): Promise<void> {
  authorize(ctx.actor, "deployments.promote");
  if (!(input.sampleRate >= 0 && input.sampleRate <= 1)) throw invalidParameter("The sampling rate is a share between 0 and 1 (1 = log every request).");
  await ctx.db.transaction(async (tx) => {
    const model = await findRegisteredModel(tx, input.name, { lock: true });
    const referenceId = input.reference ? (await findVersion(tx, input.reference.datasetName, input.reference.version)).row.versionId : null;
    const before = await readSettings(tx, model.modelId);
    const columnOrder = input.columnOrder === undefined ? before.columnOrder : input.columnOrder && (await confirmColumnOrder(tx, input.name, input.columnOrder));
    const now = Date.now();
    const values = {
      sampleRate: input.sampleRate,
      retentionDays: input.retentionDays,
      thresholds: input.thresholds,
      referenceDatasetVersionId: referenceId,
      columnOrder,
      updatedAt: now,
    };
    await tx.insert(modelMonitoring).values({ modelId: model.modelId, ...values }).onConflictDoUpdate({ target: modelMonitoring.modelId, set: values });
    await recordAudit(tx, ctx.actor, {
      action: "model_monitoring.update",
      targetType: "registered_model",
      targetId: model.name,
      before: { ...before },
      after: { ...values, reference: input.reference },
    });
    invalidateLoggingSettings(model.modelId);
  });
}

/**
 * A confirmed column order holds for the production version it was confirmed for, and only where nothing else names
 * the columns: one distinct name per column of the matrix.
 */
async function confirmColumnOrder(db: Database, modelName: string, columns: readonly string[]): Promise<ConfirmedColumnOrder> {
  const production = await findVersionByAlias(db, modelName, "production").catch(() => null);
  if (!production) throw invalidParameter(`'${modelName}' has no production version: a column order is confirmed for the version in production.`);
  const matrix = production.introspection ? await matrixInputOf(db, production.introspection as OnnxIntrospection, production.lineage) : null;
  if (!matrix || matrix.names) {
    throw invalidParameter(`Version ${production.version} of '${modelName}' already names its columns (or takes one input per column): there is no order to confirm.`);
  }
  const trimmed = columns.map((column) => column.trim());
  if (matrix.width !== null ? trimmed.length !== matrix.width : trimmed.length === 0) {
    throw invalidParameter(`Input '${matrix.inputName}' has ${matrix.width ?? "some"} columns, and ${trimmed.length} names were given: give one name per column, in the model's order.`);
  }
  const repeated = trimmed.filter((column, index) => trimmed.indexOf(column) !== index);
  if (repeated.length) throw invalidParameter(`Each column is named once; repeated: ${[...new Set(repeated)].join(", ")}.`);
  return { versionId: production.versionId, columns: trimmed };
}

/** Flagged models by name, as last checked by the monitoring view or the periodic check. */
export async function listModelFlags(ctx: ServiceContext): Promise<Record<string, ModelFlag>> {
  authorize(ctx.actor, "studio.read");
  const rows = await ctx.db
    .select({ name: registeredModels.name, reasons: modelMonitoring.flagReasons, messages: modelMonitoring.flagReasonMessages })
    .from(modelMonitoring)
    .innerJoin(registeredModels, eq(registeredModels.modelId, modelMonitoring.modelId));
  return Object.fromEntries(
    rows.filter((row) => row.reasons.length > 0).map((row) => [row.name, { reasons: row.reasons, reasonMessages: sentencesOneForOne(row.reasons, row.messages) }]),
  );
}

/** Recomputes a model's health flag as the monitoring page would (hourly windows), as the studio itself. */
export async function refreshModelFlag(db: Database, modelId: number): Promise<string[]> {
  const [model] = await db.select({ name: registeredModels.name }).from(registeredModels).where(eq(registeredModels.modelId, modelId));
  if (!model) return [];
  const view = await getMonitoringView({ db, artifacts: getArtifactStore(), actor: systemActor }, { name: model.name, window: "hour" });
  return view.flag.reasons;
}

const HEALTH_CHECK_EVERY_MS = 5 * 60_000;

/** Refreshes the flags of models that served traffic in the last hour, wherever it was served. */
export async function refreshActiveModelFlags(db: Database): Promise<number> {
  const active = await queryRows<{ modelId: string | number }>(
    db,
    sql`select distinct model_id as "modelId" from ${inferenceLog} where at >= ${Date.now() - WINDOW_MS.hour}`,
  );
  for (const { modelId } of active) await refreshModelFlag(db, Number(modelId));
  return active.length;
}

/**
 * Every 5 minutes, in one process of all those sharing the database (a periodic job of the shared queue): refresh
 * the flags of models that served traffic in the last hour (the standalone serving processes log but do not check).
 */
export const MONITORING_REFRESH_JOB = { kind: "monitoring.refresh", everyMs: HEALTH_CHECK_EVERY_MS, firstDelayMs: HEALTH_CHECK_EVERY_MS } as const;

registerJobHandler(MONITORING_REFRESH_JOB.kind, async ({ db }) => {
  await refreshActiveModelFlags(db);
});
