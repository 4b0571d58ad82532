// Model version services: register numbered versions of a registered model, read, search, describe, stage, tag and delete them.
import { independentQueries } from "@/db/independent-queries";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import {
  loggedModels,
  modelVersions,
  modelVersionTags,
  registeredModelAliases,
  registeredModels,
  reviews,
  runs,
} from "@/db/schema";
import type { Database } from "@/db/client";
import { DomainError, invalidParameter, notFound } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import type { ServiceContext } from "../service-context";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { validateKey } from "../tracking/validation";
import { decodePageToken, encodePageToken } from "../tracking/page-token";
import type { KeyValue } from "../tracking/schema";
import { enforceProductionGate, findApprovedReview, isProductionAlias } from "../review/gate";
import { checkMaxResults, parseOrderBy, parseRegistryFilter, type FilterClause, type FilterGrammar } from "./search-filter";
import { invalidateServingModel } from "../serving/hooks";
import { lineageOfRun, runOfSource } from "./model-lineage";
import { integrityFailureSentence } from "./model-store";
import {
  modelStages,
  type CreateModelVersionInput,
  type ModelStage,
  type ModelVersion,
  type ModelVersionDetail,
  type SearchModelVersionsInput,
} from "./schema";

export type Executor = Pick<Database, "execute" | "select" | "selectDistinctOn" | "insert" | "update" | "delete">;
export type RegisteredModelRow = typeof registeredModels.$inferSelect;
export type ModelVersionRow = typeof modelVersions.$inferSelect;

/** Stages whose previous holders `archive_existing_versions` may archive (MLflow's "active" stages). */
const ARCHIVABLE_STAGES: readonly ModelStage[] = ["Staging", "Production"];
const MAX_VERSION_SEARCH_RESULTS = 200_000;
const DEFAULT_VERSION_SEARCH_RESULTS = 10_000;

/** As MLflow: a registered model needs a name, and `/` or `:` would break `models:/<name>/<version>` URIs. */
export function validateModelName(name: string, field = "name"): void {
  if (!name.trim()) throw invalidParameter(`Missing value for required parameter '${field}': a registered model needs a name.`, sentence("error.registry.name_missing", { field }));
  if (/[/:]/.test(name)) throw invalidParameter(`Invalid model name '${name}'. Names cannot contain '/' or ':'.`, sentence("error.registry.name_separator", { name }));
}

export function parseVersionNumber(version: string): number {
  const n = Number(version);
  if (!/^\s*-?\d+\s*$/.test(version) || !Number.isSafeInteger(n)) {
    throw invalidParameter(`Parameter 'version' must be an integer, got '${version}'.`, sentence("error.registry.version_not_integer", { version }));
  }
  return n;
}

/** MLflow accepts stages in any case and answers them canonically. */
export function canonicalStage(stage: string): ModelStage {
  const found = modelStages.find((s) => s.toLowerCase() === stage.trim().toLowerCase());
  if (!found) {
    throw invalidParameter(`Invalid Model Version stage: '${stage}'. Value must be one of ${modelStages.join(", ")}.`, sentence("error.registry.stage_invalid", { stage, stages: modelStages.join(", ") }));
  }
  return found;
}

export function validateRegistryTag(key: string, value?: string): void {
  validateKey("tag", key);
  if (value !== undefined && value.length > 5000) {
    throw invalidParameter(`Tag '${key}' has a value of ${value.length} characters; at most 5000 are allowed.`, sentence("error.registry.tag_value_too_long", { key, length: value.length }));
  }
}

export async function findRegisteredModel(db: Executor, name: string, options: { lock?: boolean } = {}): Promise<RegisteredModelRow> {
  validateModelName(name);
  const query = db.select().from(registeredModels).where(eq(registeredModels.name, name));
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row) throw notFound(`Registered Model with name=${name} not found.`, sentence("error.not_found.model", { model: name }));
  return row;
}

export async function findModelVersion(
  db: Executor,
  name: string,
  version: string,
  options: { lock?: boolean } = {},
): Promise<{ model: RegisteredModelRow; row: ModelVersionRow }> {
  const number = parseVersionNumber(version);
  // Writers lock the model row first, then the version, always in that order, so they cannot deadlock.
  const model = await findRegisteredModel(db, name, options);
  const query = db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.modelId), eq(modelVersions.version, number)));
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row) throw notFound(`Model Version (name=${name}, version=${version}) not found.`, sentence("error.not_found.model_version", { model: name, version: String(version) }));
  return { model, row };
}

/** Versions in MLflow's shape, with their tags and aliases loaded in two queries for the whole page. */
export async function toModelVersions(db: Executor, rows: ModelVersionRow[], modelNames: Map<number, string>): Promise<ModelVersion[]> {
  const ids = rows.map((r) => r.versionId);
  const tags = new Map<number, KeyValue[]>(ids.map((id) => [id, []]));
  const aliases = new Map<number, string[]>(ids.map((id) => [id, []]));
  if (ids.length) {
    const [tagRows, aliasRows] = await independentQueries(
      db,
      () => db.select().from(modelVersionTags).where(inArray(modelVersionTags.versionId, ids)).orderBy(asc(modelVersionTags.key)),
      () => db.select().from(registeredModelAliases).where(inArray(registeredModelAliases.versionId, ids)).orderBy(asc(registeredModelAliases.alias)),
    );
    for (const t of tagRows) tags.get(t.versionId)?.push({ key: t.key, value: t.value });
    for (const a of aliasRows) aliases.get(a.versionId)?.push(a.alias);
  }
  return rows.map((row) => ({
    name: modelNames.get(row.modelId) ?? "",
    version: String(row.version),
    creation_timestamp: row.creationTimestamp,
    last_updated_timestamp: row.lastUpdatedTimestamp,
    user_id: row.userId,
    current_stage: row.currentStage,
    description: row.description,
    source: row.source,
    ...(row.runId ? { run_id: row.runId } : {}),
    status: row.status as ModelVersion["status"],
    ...(row.statusMessage ? { status_message: row.statusMessage } : {}),
    tags: tags.get(row.versionId) ?? [],
    ...(row.runLink ? { run_link: row.runLink } : {}),
    aliases: aliases.get(row.versionId) ?? [],
    ...(row.loggedModelId ? { model_id: row.loggedModelId } : {}),
  }));
}

async function toModelVersion(db: Executor, model: RegisteredModelRow, row: ModelVersionRow): Promise<ModelVersion> {
  const [version] = await toModelVersions(db, [row], new Map([[model.modelId, model.name]]));
  return version;
}

/** Local paths are refused, as MLflow's server does when no run contains them: the studio cannot read a client's disk. */
function isLocalPath(source: string): boolean {
  return !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(source) || /^file:/i.test(source) || /^[a-zA-Z]:[\\/]/.test(source);
}

/**
 * Where a version's files are: `runs:/<run>/<path>` becomes the run's artifact URI + path,
 * `models:/<name>/<version>` (or `@alias`) that version's location, `models:/m-…` the logged model's.
 */
async function resolveStorageLocation(db: Executor, source: string, runId: string | undefined): Promise<{ storage: string; loggedModelId?: string }> {
  if (!source.trim()) throw invalidParameter("Missing value for required parameter 'source': give the model's URI, e.g. runs:/<run_id>/model.", sentence("error.registry.source_missing"));
  const path = source.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:/, "");
  if (path.split(/[\\/]/).some((segment) => segment === "..")) {
    throw invalidParameter(`Invalid model version source: '${source}'. It must not contain '..' path segments.`, sentence("error.registry.source_dots", { source }));
  }
  if (runId) await requireRun(db, runId);
  const runMatch = /^runs:\/+([^/]+)\/?(.*)$/.exec(source);
  if (runMatch) {
    const run = await requireRun(db, runMatch[1]);
    return { storage: runMatch[2] ? `${run.artifactUri.replace(/\/+$/, "")}/${runMatch[2]}` : run.artifactUri };
  }
  const loggedMatch = /^models:\/+(m-[0-9a-f]+)\/?$/.exec(source);
  if (loggedMatch) {
    const [logged] = await db.select().from(loggedModels).where(eq(loggedModels.modelId, loggedMatch[1]));
    if (!logged || logged.lifecycleStage === "deleted") throw notFound(`Logged model with ID '${loggedMatch[1]}' not found.`);
    return { storage: logged.artifactLocation, loggedModelId: logged.modelId };
  }
  const registryMatch = /^models:\/+([^/@]+)(?:\/([^/]+)|@([\w-]+))\/?$/.exec(source);
  if (registryMatch) {
    const [, name, version, alias] = registryMatch;
    const target = alias ? await findVersionByAlias(db, name, alias) : await findVersionByNumberOrStage(db, name, version);
    return { storage: target.storageLocation };
  }
  if (/^models:/.test(source)) {
    throw invalidParameter(`Invalid model version source: '${source}'. Use models:/<name>/<version>, models:/<name>@<alias> or models:/<model_id>.`, sentence("error.registry.source_models_uri", { source }));
  }
  if (isLocalPath(source)) {
    throw invalidParameter(
      `Invalid model version source: '${source}'. A local path cannot be registered on a tracking server; log the model to a run and register runs:/<run_id>/<path>.`,
      sentence("error.registry.source_local", { source }),
    );
  }
  return { storage: source };
}

async function requireRun(db: Executor, runId: string): Promise<{ artifactUri: string }> {
  const [run] = await db.select({ artifactUri: runs.artifactUri }).from(runs).where(eq(runs.runUuid, runId));
  if (!run) throw notFound(`Run with id=${runId} not found: register a model from an existing run.`);
  return run;
}

/** `models:/<name>/<n>`, `models:/<name>/<stage>` (its latest version) or `models:/<name>/latest`, as MLflow resolves them. */
async function findVersionByNumberOrStage(db: Executor, name: string, reference: string): Promise<ModelVersionRow> {
  if (/^\d+$/.test(reference)) return (await findModelVersion(db, name, reference)).row;
  const model = await findRegisteredModel(db, name);
  const inStage = reference.toLowerCase() === "latest" ? undefined : eq(modelVersions.currentStage, canonicalStage(reference));
  const [row] = await db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.modelId), inStage))
    .orderBy(desc(modelVersions.version))
    .limit(1);
  if (!row) throw notFound(`Registered model '${name}' has no version ${inStage ? `in stage '${reference}'` : "yet"}.`);
  return row;
}

export async function findVersionByAlias(db: Executor, name: string, alias: string): Promise<ModelVersionRow> {
  const model = await findRegisteredModel(db, name);
  const [row] = await db
    .select({ version: modelVersions })
    .from(registeredModelAliases)
    .innerJoin(modelVersions, eq(modelVersions.versionId, registeredModelAliases.versionId))
    .where(and(eq(registeredModelAliases.modelId, model.modelId), eq(registeredModelAliases.alias, alias)));
  if (!row) throw notFound(`Registered model alias ${alias} not found.`, sentence("error.not_found.alias", { alias }));
  return row.version;
}

/** Internal callers (ONNX uploads, the demo seed) may also link the version's ONNX file. */
export type RegisterModelVersionInput = CreateModelVersionInput & { onnx_path?: string; model_digest?: string; lineage?: unknown; introspection?: unknown };

export async function createModelVersion(ctx: ServiceContext, input: RegisterModelVersionInput): Promise<ModelVersion> {
  authorize(ctx.actor, "models.write");
  for (const tag of input.tags ?? []) validateRegistryTag(tag.key, tag.value);
  if (input.model_id && !/^models:\//.test(input.source)) {
    const [logged] = await ctx.db.select({ id: loggedModels.modelId }).from(loggedModels).where(eq(loggedModels.modelId, input.model_id));
    if (!logged) throw notFound(`Logged model with ID '${input.model_id}' not found.`);
  }
  const lineage = input.lineage !== undefined ? input.lineage : await lineageOfSource(ctx, input);
  return ctx.db.transaction(async (tx) => {
    const model = await findRegisteredModel(tx, input.name);
    const { storage, loggedModelId } = await resolveStorageLocation(tx, input.source, input.run_id);
    const now = Date.now();
    // The counter row is locked by the update, so concurrent registrations get 1, 2, 3… without gaps or clashes.
    const [counter] = await tx
      .update(registeredModels)
      .set({ lastVersion: sql`${registeredModels.lastVersion} + 1`, lastUpdatedTimestamp: now })
      .where(eq(registeredModels.modelId, model.modelId))
      .returning({ lastVersion: registeredModels.lastVersion });
    const [row] = await tx
      .insert(modelVersions)
      .values({
        modelId: model.modelId,
        version: counter.lastVersion,
        creationTimestamp: now,
        lastUpdatedTimestamp: now,
        userId: ctx.actor.username,
        description: input.description ?? "",
        source: input.source,
        storageLocation: storage,
        runId: input.run_id || null,
        runLink: input.run_link || null,
        loggedModelId: input.model_id ?? loggedModelId ?? null,
        onnxPath: input.onnx_path ?? null,
        modelDigest: input.model_digest ?? null,
        lineage: lineage ?? null,
        introspection: input.introspection ?? null,
      })
      .returning();
    const tags = [...new Map((input.tags ?? []).map((t) => [t.key, t])).values()];
    if (tags.length) await tx.insert(modelVersionTags).values(tags.map((t) => ({ versionId: row.versionId, ...t })));
    await recordAudit(tx, ctx.actor, {
      action: "model_version.create",
      targetType: "model_version",
      targetId: `${model.name}/${row.version}`,
      after: { source: row.source, run_id: row.runId, storage_location: storage, ...(row.modelDigest ? { model_digest: row.modelDigest } : {}) },
    });
    return toModelVersion(tx, model, row);
  });
}

/**
 * Lineage for a version registered by an MLflow client (mlflow.register_model: a `runs:/<id>/<path>` source or a
 * run_id): the same run metrics, params and datasets a version registered in the studio records. A run that does
 * not exist is left to resolveStorageLocation, which refuses it with its own message.
 */
async function lineageOfSource(ctx: ServiceContext, input: RegisterModelVersionInput): Promise<unknown> {
  const fromSource = runOfSource(input.source);
  const run = input.run_id ? { runId: input.run_id, artifactPath: fromSource?.runId === input.run_id ? fromSource.artifactPath : null } : fromSource;
  if (!run) return null;
  try {
    return await lineageOfRun(ctx, run.runId, run.artifactPath, input.source);
  } catch (error) {
    if (error instanceof DomainError && error.code === "RESOURCE_DOES_NOT_EXIST") return null;
    throw error;
  }
}

export async function getModelVersion(ctx: ServiceContext, name: string, version: string): Promise<ModelVersion> {
  authorize(ctx.actor, "studio.read");
  const { model, row } = await findModelVersion(ctx.db, name, version);
  return toModelVersion(ctx.db, model, row);
}

/** The page's view of a version: the wire shape plus where its files are, its ONNX file, introspection and lineage. */
export async function getModelVersionDetail(ctx: ServiceContext, name: string, version: string): Promise<ModelVersionDetail> {
  authorize(ctx.actor, "studio.read");
  const { model, row } = await findModelVersion(ctx.db, name, version);
  return modelVersionDetailOf(ctx.db, model, row);
}

/** The detail of a version already found (findModelVersion, its reader authorized): its tags, aliases and approved review read. */
export async function modelVersionDetailOf(db: Executor, model: RegisteredModelRow, row: ModelVersionRow): Promise<ModelVersionDetail> {
  const [wire, approved] = await independentQueries(
    db,
    () => toModelVersion(db, model, row),
    () => findApprovedReview(db, row.versionId),
  );
  return {
    ...wire,
    storage_location: row.storageLocation,
    onnx_path: row.onnxPath,
    introspection: row.introspection ?? null,
    lineage: row.lineage ?? null,
    model_digest: row.modelDigest,
    approved_review_id: approved?.reviewId ?? null,
    integrity_failure: row.integrityFailure,
    integrity_failure_message: row.integrityFailure ? integrityFailureSentence(row.integrityFailure) : null,
  };
}

export async function getModelVersionByAlias(ctx: ServiceContext, name: string, alias: string): Promise<ModelVersion> {
  authorize(ctx.actor, "studio.read");
  const row = await findVersionByAlias(ctx.db, name, alias);
  const model = await findRegisteredModel(ctx.db, name);
  return toModelVersion(ctx.db, model, row);
}

export async function updateModelVersion(ctx: ServiceContext, input: { name: string; version: string; description?: string }): Promise<ModelVersion> {
  authorize(ctx.actor, "models.write");
  return ctx.db.transaction(async (tx) => {
    const { model, row } = await findModelVersion(tx, input.name, input.version, { lock: true });
    if (input.description === undefined) return toModelVersion(tx, model, row);
    const [updated] = await tx
      .update(modelVersions)
      .set({ description: input.description, lastUpdatedTimestamp: Date.now() })
      .where(eq(modelVersions.versionId, row.versionId))
      .returning();
    await recordAudit(tx, ctx.actor, {
      action: "model_version.update",
      targetType: "model_version",
      targetId: `${model.name}/${row.version}`,
      before: { description: row.description },
      after: { description: input.description },
    });
    return toModelVersion(tx, model, updated);
  });
}

/** Review states still awaiting a decision: a version under such a review is not deleted from under its reviewers. */
const UNDECIDED_REVIEW_STATUSES = ["draft", "evaluating", "evaluation_failed", "ready"] as const;

/**
 * Why a version may not be deleted, or null: it is in production (the production alias or MLflow's Production
 * stage), another alias points at it (clients resolve `models:/<name>@<alias>` to it), or a review is undecided.
 */
async function deletionBlocker(db: Executor, model: RegisteredModelRow, row: ModelVersionRow): Promise<string | null> {
  const label = `Version ${row.version} of '${model.name}'`;
  const aliases = (await db.select({ alias: registeredModelAliases.alias }).from(registeredModelAliases).where(eq(registeredModelAliases.versionId, row.versionId))).map((a) => a.alias);
  const production = aliases.find(isProductionAlias);
  if (production) return `${label} is in production (alias '${production}'): promote or roll back to another version first.`;
  if (row.currentStage === "Production") return `${label} is in the Production stage: move it to Archived or None first.`;
  if (aliases.length) return `${label} holds the alias${aliases.length > 1 ? "es" : ""} ${aliases.map((a) => `'${a}'`).join(", ")}, which clients may load it by: move or delete ${aliases.length > 1 ? "them" : "it"} first.`;
  const [open] = await db
    .select({ reviewId: reviews.reviewId, status: reviews.status })
    .from(reviews)
    .where(and(eq(reviews.modelVersionId, row.versionId), inArray(reviews.status, [...UNDECIDED_REVIEW_STATUSES])))
    .limit(1);
  if (open) return `${label} is under review #${open.reviewId} (${open.status.replace("_", " ")}): wait for its decision first.`;
  return null;
}

/**
 * Deletes a version (REST model-versions/delete and the version page), refused with RESOURCE_CONFLICT (409) while it
 * is in production, holds an alias or is under an undecided review. Decided reviews go with it; the audit log keeps them.
 */
export async function deleteModelVersion(ctx: ServiceContext, name: string, version: string): Promise<void> {
  authorize(ctx.actor, "models.write");
  await ctx.db.transaction(async (tx) => {
    const { model, row } = await findModelVersion(tx, name, version, { lock: true });
    const blocker = await deletionBlocker(tx, model, row);
    if (blocker) throw new DomainError("RESOURCE_CONFLICT", blocker);
    // Its tags, aliases and decided reviews go with it (foreign keys cascade).
    await tx.delete(modelVersions).where(eq(modelVersions.versionId, row.versionId));
    await tx.update(registeredModels).set({ lastUpdatedTimestamp: Date.now() }).where(eq(registeredModels.modelId, model.modelId));
    await recordAudit(tx, ctx.actor, {
      action: "model_version.delete",
      targetType: "model_version",
      targetId: `${model.name}/${row.version}`,
      before: { source: row.source, current_stage: row.currentStage, run_id: row.runId, model_digest: row.modelDigest },
    });
  });
  invalidateServingModel(name);
}

export async function transitionModelVersionStage(
  ctx: ServiceContext,
  input: { name: string; version: string; stage: string; archive_existing_versions?: boolean; overrideReason?: string },
): Promise<ModelVersion> {
  authorize(ctx.actor, "models.write");
  const stage = canonicalStage(input.stage);
  if (input.archive_existing_versions && !ARCHIVABLE_STAGES.includes(stage)) {
    throw invalidParameter(
      `Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are ${ARCHIVABLE_STAGES.join(", ")}.`,
      sentence("error.registry.archive_stage", { stage, stages: ARCHIVABLE_STAGES.join(", ") }),
    );
  }
  return ctx.db.transaction(async (tx) => {
    const { model, row } = await findModelVersion(tx, input.name, input.version, { lock: true });
    // MLflow's legacy stages are another road to production: the same review gate as the `production` alias.
    if (stage === "Production") {
      await enforceProductionGate(tx, ctx.actor, { modelName: model.name, version: row.version, modelVersionId: row.versionId, what: "the Production stage", alias: null }, input.overrideReason);
    }
    const now = Date.now();
    let archived: number[] = [];
    if (input.archive_existing_versions) {
      const moved = await tx
        .update(modelVersions)
        .set({ currentStage: "Archived", lastUpdatedTimestamp: now })
        .where(
          and(
            eq(modelVersions.modelId, model.modelId),
            eq(modelVersions.currentStage, stage),
            sql`${modelVersions.versionId} <> ${row.versionId}`,
          ),
        )
        .returning({ version: modelVersions.version });
      archived = moved.map((m) => m.version);
    }
    const [updated] = await tx
      .update(modelVersions)
      .set({ currentStage: stage, lastUpdatedTimestamp: now })
      .where(eq(modelVersions.versionId, row.versionId))
      .returning();
    await tx.update(registeredModels).set({ lastUpdatedTimestamp: now }).where(eq(registeredModels.modelId, model.modelId));
    await recordAudit(tx, ctx.actor, {
      action: "model_version.stage",
      targetType: "model_version",
      targetId: `${model.name}/${row.version}`,
      before: { current_stage: row.currentStage },
      after: { current_stage: stage },
      meta: archived.length ? { archived_versions: archived } : {},
    });
    return toModelVersion(tx, model, updated);
  });
}

export async function getModelVersionDownloadUri(ctx: ServiceContext, name: string, version: string): Promise<string> {
  authorize(ctx.actor, "studio.read");
  return (await findModelVersion(ctx.db, name, version)).row.storageLocation;
}

export async function setModelVersionTag(ctx: ServiceContext, input: { name: string; version: string; key: string; value: string }): Promise<void> {
  authorize(ctx.actor, "models.write");
  validateRegistryTag(input.key, input.value);
  await ctx.db.transaction(async (tx) => {
    const { model, row } = await findModelVersion(tx, input.name, input.version);
    await tx
      .insert(modelVersionTags)
      .values({ versionId: row.versionId, key: input.key, value: input.value })
      .onConflictDoUpdate({ target: [modelVersionTags.versionId, modelVersionTags.key], set: { value: input.value } });
    await recordAudit(tx, ctx.actor, {
      action: "model_version.tag.set",
      targetType: "model_version",
      targetId: `${model.name}/${row.version}`,
      after: { [input.key]: input.value },
    });
  });
}

/** As MLflow: deleting a tag the version does not have is a no-op, but the version must exist. */
export async function deleteModelVersionTag(ctx: ServiceContext, input: { name: string; version: string; key: string }): Promise<void> {
  authorize(ctx.actor, "models.write");
  validateRegistryTag(input.key);
  await ctx.db.transaction(async (tx) => {
    const { model, row } = await findModelVersion(tx, input.name, input.version);
    const deleted = await tx
      .delete(modelVersionTags)
      .where(and(eq(modelVersionTags.versionId, row.versionId), eq(modelVersionTags.key, input.key)))
      .returning();
    if (!deleted.length) return;
    await recordAudit(tx, ctx.actor, {
      action: "model_version.tag.delete",
      targetType: "model_version",
      targetId: `${model.name}/${row.version}`,
      before: { [input.key]: deleted[0].value },
    });
  });
}

const versionFilterGrammar: FilterGrammar = {
  attributes: {
    name: { ops: ["=", "!=", "LIKE", "ILIKE"] },
    run_id: { ops: ["=", "!=", "IN", "NOT IN"] },
    source_path: { ops: ["=", "!=", "LIKE", "ILIKE"] },
    version_number: { ops: ["=", "!=", "<", "<=", ">", ">="], numeric: true },
  },
  tagOps: ["=", "!=", "LIKE", "ILIKE"],
  example: "name = 'churn' AND run_id IN ('abc', 'def') AND tags.validated = 'true'",
};

export function compareSql(column: SQL, clause: FilterClause): SQL {
  const { op, value } = clause;
  switch (op) {
    case "=": return sql`${column} = ${value}`;
    case "!=": return sql`${column} <> ${value}`;
    case "<": return sql`${column} < ${value}`;
    case "<=": return sql`${column} <= ${value}`;
    case ">": return sql`${column} > ${value}`;
    case ">=": return sql`${column} >= ${value}`;
    case "LIKE": return sql`${column} like ${value}`;
    case "ILIKE": return sql`${column} ilike ${value}`;
    case "IN":
    case "NOT IN": {
      const list = value as string[];
      if (!list.length) return op === "IN" ? sql`false` : sql`true`;
      const items = sql.join(list.map((v) => sql`${v}`), sql`, `);
      return op === "IN" ? sql`${column} in (${items})` : sql`${column} not in (${items})`;
    }
  }
}

function versionClauseSql(clause: FilterClause): SQL {
  if (clause.isTag) {
    return sql`exists (select 1 from ${modelVersionTags} t where t.version_id = ${modelVersions.versionId} and t.key = ${clause.key} and ${compareSql(sql`t.value`, clause)})`;
  }
  const columns: Record<string, SQL> = {
    name: sql`${registeredModels.name}`,
    run_id: sql`${modelVersions.runId}`,
    source_path: sql`${modelVersions.source}`,
    version_number: sql`${modelVersions.version}`,
  };
  return compareSql(columns[clause.key], clause);
}

const versionOrderColumns = {
  name: registeredModels.name,
  version_number: modelVersions.version,
  creation_timestamp: modelVersions.creationTimestamp,
  last_updated_timestamp: modelVersions.lastUpdatedTimestamp,
} as const;

export async function searchModelVersions(
  ctx: ServiceContext,
  input: SearchModelVersionsInput,
): Promise<{ model_versions: ModelVersion[]; next_page_token?: string }> {
  authorize(ctx.actor, "studio.read");
  const limit = input.max_results ?? DEFAULT_VERSION_SEARCH_RESULTS;
  checkMaxResults(limit, MAX_VERSION_SEARCH_RESULTS);
  const offset = decodePageToken(input.page_token);
  const conditions = parseRegistryFilter(input.filter, versionFilterGrammar, "model version").map(versionClauseSql);
  const orderBy = (input.order_by ?? []).map((clause) => {
    const { column, descending } = parseOrderBy(clause, Object.keys(versionOrderColumns), "model version");
    const target = versionOrderColumns[column as keyof typeof versionOrderColumns];
    return descending ? desc(target) : asc(target);
  });
  const rows = await ctx.db
    .select({ version: modelVersions, name: registeredModels.name })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.modelId, modelVersions.modelId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(...orderBy, asc(registeredModels.name), desc(modelVersions.version))
    .limit(limit + 1)
    .offset(offset);
  const page = rows.slice(0, limit);
  const names = new Map(page.map((r) => [r.version.modelId, r.name]));
  return {
    model_versions: await toModelVersions(ctx.db, page.map((r) => r.version), names),
    ...(rows.length > limit ? { next_page_token: encodePageToken(offset + limit) } : {}),
  };
}

/** Every version of one model, newest first, for the model page. */
export async function listVersionsOfModel(db: Executor, model: RegisteredModelRow): Promise<ModelVersion[]> {
  const rows = await db.select().from(modelVersions).where(eq(modelVersions.modelId, model.modelId)).orderBy(desc(modelVersions.version));
  return toModelVersions(db, rows, new Map([[model.modelId, model.name]]));
}
