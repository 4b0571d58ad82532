// Filling a labelling queue with served rows picked by its strategy: at random, the model's least confident answers
// first, or where production and a challenger (shadow or canary) answered the same request differently.
import { and, eq, inArray, sql } from "drizzle-orm";
import { inferenceLog, labellingItems, modelVersions } from "@/db/schema";
import { queryRows, type Database } from "@/db/client";
import type { LabellingStrategy } from "@/lib/labelling-strategies";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { saidError } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import { findRegisteredModel } from "../registry/model-versions";
import { ModelServer, type ServedModel } from "../serving/model-server";
import { feedsFromCells } from "../serving/tensors";
import type { ServiceContext } from "../service-context";
import { queueRowOf } from "./queue";

/** Log entries a fill looks at: the sampling frame (recent traffic for confidence and disagreement, rows at random otherwise). */
const RANDOM_FRAME_ENTRIES = 5000;
const RECENT_FRAME_ENTRIES = 2000;
/** Rows scored per onnxruntime call when ranking by confidence. */
const SCORE_CHUNK_ROWS = 1000;

type Cell = number | string | null;
interface CandidateRow {
  versionId: number;
  requestId: string;
  rowIndex: number;
  values: Record<string, Cell>;
  prediction: number | string | null;
  challengerPrediction: number | string | null;
  confidence: number | null;
}
interface LoggedEntry {
  version_id: string | number;
  request_id: string;
  row_count: number;
  inputs: Record<string, Cell[]>;
  predictions: (number | string | null)[];
  challenger?: (number | string | null)[] | null;
}


/**
 * The logged rows of entries: inputs are logged for at most 16 evenly spaced rows of a request (serving-log.ts), so
 * logged row i of a request of n rows is row ⌊i·n/logged⌋; rows without logged inputs cannot be shown, so are not candidates.
 */
function rowsOfEntries(entries: LoggedEntry[]): CandidateRow[] {
  const rows: CandidateRow[] = [];
  for (const entry of entries) {
    const keys = Object.keys(entry.inputs ?? {});
    const logged = keys.length ? Math.max(...keys.map((k) => entry.inputs[k]?.length ?? 0)) : 0;
    for (let i = 0; i < logged; i++) {
      const rowIndex = Math.floor((i * entry.row_count) / logged);
      const values: Record<string, Cell> = {};
      for (const key of keys) values[key] = entry.inputs[key]?.[i] ?? null;
      rows.push({
        versionId: Number(entry.version_id),
        requestId: entry.request_id,
        rowIndex,
        values,
        prediction: entry.predictions?.[rowIndex] ?? null,
        challengerPrediction: entry.challenger?.[rowIndex] ?? null,
        confidence: null,
      });
    }
  }
  return rows;
}

async function loggedEntries(db: Pick<Database, "execute">, modelId: number, strategy: LabellingStrategy): Promise<LoggedEntry[]> {
  // Shadow entries were never returned to anyone: only answers a caller got (production, canary) are labelled.
  if (strategy === "disagreement") {
    return queryRows<LoggedEntry>(
      db,
      sql`select p.version_id, p.request_id, p.row_count, p.inputs, p.predictions, c.predictions as challenger
          from ${inferenceLog} p join ${inferenceLog} c on c.model_id = p.model_id and c.request_id = p.request_id and c.log_id <> p.log_id and c.route <> p.route
          where p.model_id = ${modelId} and p.route <> 'shadow' and p.predictions is distinct from c.predictions
          order by p.at desc limit ${RECENT_FRAME_ENTRIES}`,
    );
  }
  const order = strategy === "random" ? sql`random()` : sql`at desc`;
  const limit = strategy === "random" ? RANDOM_FRAME_ENTRIES : RECENT_FRAME_ENTRIES;
  return queryRows<LoggedEntry>(
    db,
    sql`select version_id, request_id, row_count, inputs, predictions from ${inferenceLog}
        where model_id = ${modelId} and route <> 'shadow' order by ${order} limit ${limit}`,
  );
}

/** The rows' top-class probability from the version that answered them (versions are immutable: the same answer again). */
async function scoreConfidence(model: ServedModel, rows: CandidateRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += SCORE_CHUNK_ROWS) {
    const chunk = rows.slice(start, start + SCORE_CHUNK_ROWS);
    let feeds;
    try {
      feeds = feedsFromCells(model.inputs, model.fields, chunk.length, (r, f) => chunk[r]!.values[model.fields[f]!.key] ?? null, false, true);
    } catch {
      continue;
    }
    const results = await model.session.run(feeds);
    const probabilities = Object.values(results).find((t) => t.dims.length === 2 && t.dims[0] === chunk.length && Number(t.dims[1]) >= 2 && (t.type === "float32" || t.type === "float64"));
    if (!probabilities) {
      throw saidError(
        "INVALID_STATE",
        `Version ${model.version} of '${model.name}' outputs no class probabilities, so its confidence is unknown: fill the queue at random or by disagreement.`,
        sentence("error.labelling.no_probabilities", { version: String(model.version), model: model.name }),
      );
    }
    const width = Number(probabilities.dims[1]);
    const data = probabilities.data as Float32Array | Float64Array;
    chunk.forEach((row, r) => {
      let top = -Infinity;
      for (let c = 0; c < width; c++) top = Math.max(top, data[r * width + c]!);
      row.confidence = Number.isFinite(top) ? top : null;
    });
  }
}

/** Column order of each version: the served model's fields (its input plan), else the logged keys as they come. */
async function withModels<T>(ctx: ServiceContext, modelName: string, versionIds: number[], choose: (models: Map<number, ServedModel>) => Promise<T>): Promise<T> {
  const server = new ModelServer(async () => ({ db: ctx.db, artifacts: ctx.artifacts }), { maxSessions: Math.max(1, versionIds.length) });
  try {
    const versions = versionIds.length ? await ctx.db.select({ versionId: modelVersions.versionId, version: modelVersions.version }).from(modelVersions).where(inArray(modelVersions.versionId, versionIds)) : [];
    const models = new Map<number, ServedModel>();
    for (const v of versions) {
      try {
        const served = await server.acquire({ name: modelName, alias: null, version: String(v.version) });
        server.release(served);
        models.set(v.versionId, served);
      } catch {
        // A version that cannot be loaded any more still has its logged rows; they keep the log's column order.
      }
    }
    return await choose(models);
  } finally {
    await server.close();
  }
}

export async function fillLabellingQueue(ctx: ServiceContext, input: { name: string }): Promise<{ added: number; candidates: number }> {
  authorize(ctx.actor, "labelling.manage");
  const model = await findRegisteredModel(ctx.db, input.name);
  const queue = await queueRowOf(ctx.db, model.modelId, model.name);
  const entries = await loggedEntries(ctx.db, model.modelId, queue.strategy);
  let rows = rowsOfEntries(entries);
  if (queue.strategy === "disagreement") rows = rows.filter((r) => r.challengerPrediction !== null && r.prediction !== null && String(r.challengerPrediction) !== String(r.prediction));

  // Rows already queued (by any earlier fill) are not added twice.
  const requestIds = [...new Set(rows.map((r) => r.requestId))];
  const queued = new Set<string>();
  for (let start = 0; start < requestIds.length; start += 5000) {
    const found = await ctx.db
      .select({ requestId: labellingItems.requestId, rowIndex: labellingItems.rowIndex })
      .from(labellingItems)
      .where(and(eq(labellingItems.modelId, model.modelId), inArray(labellingItems.requestId, requestIds.slice(start, start + 5000))));
    for (const f of found) queued.add(`${f.requestId}\u0000${f.rowIndex}`);
  }
  const seen = new Set<string>();
  rows = rows.filter((r) => {
    const key = `${r.requestId}\u0000${r.rowIndex}`;
    if (queued.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const candidates = rows.length;

  const chosen = await withModels(ctx, model.name, [...new Set(rows.map((r) => r.versionId))], async (models) => {
    if (queue.strategy === "low_confidence") {
      for (const [versionId, served] of models) await scoreConfidence(served, rows.filter((r) => r.versionId === versionId));
      rows = rows.filter((r) => r.confidence !== null).sort((a, b) => a.confidence! - b.confidence!);
    } else if (queue.strategy === "random") {
      for (let i = rows.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [rows[i], rows[j]] = [rows[j]!, rows[i]!];
      }
    }
    return rows.slice(0, queue.fillSize).map((r) => {
      const keys = models.get(r.versionId)?.fields.map((f) => f.key).filter((k) => k in r.values) ?? [];
      const rest = Object.keys(r.values).filter((k) => !keys.includes(k));
      return { ...r, inputs: [...keys, ...rest].map((k) => [k, r.values[k] ?? null] as [string, Cell]) };
    });
  });

  const now = Date.now();
  const added = await ctx.db.transaction(async (tx) => {
    const [{ top }] = (await tx.select({ top: sql<number | null>`max(${labellingItems.rank})` }).from(labellingItems).where(eq(labellingItems.modelId, model.modelId))) as [{ top: number | null }];
    const base = Number(top ?? 0);
    let inserted = 0;
    for (let start = 0; start < chosen.length; start += 500) {
      const values = chosen.slice(start, start + 500).map((r, i) => ({
        modelId: model.modelId,
        versionId: r.versionId,
        requestId: r.requestId,
        rowIndex: r.rowIndex,
        inputs: r.inputs,
        prediction: r.prediction,
        confidence: r.confidence,
        challengerPrediction: r.challengerPrediction,
        rank: base + start + i + 1,
        labelsRequired: queue.labelsRequired,
        addedAt: now,
      }));
      inserted += (await tx.insert(labellingItems).values(values).onConflictDoNothing().returning({ itemId: labellingItems.itemId })).length;
    }
    await recordAudit(tx, ctx.actor, {
      action: "labelling.queue.fill",
      targetType: "registered_model",
      targetId: model.name,
      after: { strategy: queue.strategy, added: inserted, candidates },
    });
    return inserted;
  });
  return { added, candidates };
}
