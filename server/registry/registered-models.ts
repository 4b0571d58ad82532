// Registered model services: create, read, search, describe, rename, tag, alias and delete models (MLflow's registry).
import { independentQueries } from "@/db/independent-queries";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { aliasEvents, modelVersions, registeredModelAliases, registeredModels, registeredModelTags } from "@/db/schema";
import { DomainError, invalidParameter } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import type { ServiceContext } from "../service-context";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { decodePageToken, encodePageToken } from "../tracking/page-token";
import type { KeyValue } from "../tracking/schema";
import {
  canonicalStage,
  compareSql,
  findModelVersion,
  findRegisteredModel,
  listVersionsOfModel,
  toModelVersions,
  validateModelName,
  validateRegistryTag,
  type Executor,
  type RegisteredModelRow,
} from "./model-versions";
import { invalidateServingModel, warmServingVersion } from "../serving/hooks";
import { aliasHeldVersionBefore, enforceProductionGate, isProductionAlias, type GatePass } from "../review/gate";
import { loadVersionModelBytes } from "./model-store";
import { checkMaxResults, parseOrderBy, parseRegistryFilter, type FilterClause, type FilterGrammar } from "./search-filter";
import type {
  CreateRegisteredModelInput,
  ModelVersion,
  RegisteredModel,
  RegisteredModelDetail,
  SearchRegisteredModelsInput,
  SetModelAliasInput,
} from "./schema";

const MAX_MODEL_SEARCH_RESULTS = 1000;
const DEFAULT_MODEL_SEARCH_RESULTS = 100;

/** Models in MLflow's shape: tags, aliases and the latest version per stage, loaded in three queries for the page. */
async function toRegisteredModels(db: Executor, rows: RegisteredModelRow[]): Promise<RegisteredModel[]> {
  const ids = rows.map((r) => r.modelId);
  const tags = new Map<number, KeyValue[]>(ids.map((id) => [id, []]));
  const aliases = new Map<number, { alias: string; version: string }[]>(ids.map((id) => [id, []]));
  const latest = new Map<number, ModelVersion[]>(ids.map((id) => [id, []]));
  if (ids.length) {
    const names = new Map(rows.map((r) => [r.modelId, r.name]));
    const [tagRows, aliasRows, latestRows] = await independentQueries(
      db,
      () => db.select().from(registeredModelTags).where(inArray(registeredModelTags.modelId, ids)).orderBy(asc(registeredModelTags.key)),
      () =>
        db
          .select({ modelId: registeredModelAliases.modelId, alias: registeredModelAliases.alias, version: modelVersions.version })
          .from(registeredModelAliases)
          .innerJoin(modelVersions, eq(modelVersions.versionId, registeredModelAliases.versionId))
          .where(inArray(registeredModelAliases.modelId, ids))
          .orderBy(asc(registeredModelAliases.alias)),
      // MLflow's latest_versions: the highest version in each stage.
      () =>
        db
          .selectDistinctOn([modelVersions.modelId, modelVersions.currentStage])
          .from(modelVersions)
          .where(inArray(modelVersions.modelId, ids))
          .orderBy(modelVersions.modelId, modelVersions.currentStage, desc(modelVersions.version)),
    );
    for (const t of tagRows) tags.get(t.modelId)?.push({ key: t.key, value: t.value });
    for (const a of aliasRows) aliases.get(a.modelId)?.push({ alias: a.alias, version: String(a.version) });
    const sortedLatest = [...latestRows].sort((a, b) => a.version - b.version);
    const versions = await toModelVersions(db, sortedLatest, names);
    sortedLatest.forEach((r, i) => latest.get(r.modelId)?.push(versions[i]));
  }
  return rows.map((row) => ({
    name: row.name,
    creation_timestamp: row.creationTimestamp,
    last_updated_timestamp: row.lastUpdatedTimestamp,
    user_id: row.userId,
    description: row.description,
    latest_versions: latest.get(row.modelId) ?? [],
    tags: tags.get(row.modelId) ?? [],
    aliases: aliases.get(row.modelId) ?? [],
  }));
}

async function toRegisteredModel(db: Executor, row: RegisteredModelRow): Promise<RegisteredModel> {
  return (await toRegisteredModels(db, [row]))[0];
}

/**
 * A new model name is also a URL path segment (/api/serve/<name>/invocations) and a file name (downloads): beyond
 * MLflow's '/' and ':', names that resolve to another path once decoded ('..', '%2e%2e', 'x%2Fy') are refused.
 */
export function validateNewModelName(name: string, field = "name"): void {
  validateModelName(name, field);
  const invalid = (why: "dots" | "percent" | "control" | "surrogate", text: string) =>
    invalidParameter(`Invalid model name '${name.slice(0, 200)}' in '${field}': ${text}.`, sentence("error.registry.name_invalid", { name: name.slice(0, 200), field, why }));
  if (name.trim() === "." || name.trim() === "..") throw invalid("dots", "'.' and '..' name folders, not models");
  if (/%[0-9a-fA-F]{2}/.test(name)) throw invalid("percent", "names cannot contain percent-escapes such as '%2F', which URLs would decode");
  if (/[\\\u0000-\u001f\u007f]/.test(name)) throw invalid("control", "names cannot contain backslashes or control characters");
  if (/\p{Surrogate}/u.test(name)) throw invalid("surrogate", "it is not valid Unicode text (a lone surrogate)");
}

export async function createRegisteredModel(ctx: ServiceContext, input: CreateRegisteredModelInput): Promise<RegisteredModel> {
  authorize(ctx.actor, "models.write");
  validateNewModelName(input.name);
  for (const tag of input.tags ?? []) validateRegistryTag(tag.key, tag.value);
  return ctx.db.transaction(async (tx) => {
    const now = Date.now();
    const [row] = await tx
      .insert(registeredModels)
      .values({ name: input.name, description: input.description ?? "", userId: ctx.actor.username, creationTimestamp: now, lastUpdatedTimestamp: now })
      .onConflictDoNothing({ target: registeredModels.name })
      .returning();
    if (!row) throw new DomainError("RESOURCE_ALREADY_EXISTS", `Registered Model (name=${input.name}) already exists.`);
    const tags = [...new Map((input.tags ?? []).map((t) => [t.key, t])).values()];
    if (tags.length) await tx.insert(registeredModelTags).values(tags.map((t) => ({ modelId: row.modelId, ...t })));
    await recordAudit(tx, ctx.actor, {
      action: "registered_model.create",
      targetType: "registered_model",
      targetId: row.name,
      after: { name: row.name, description: row.description },
    });
    return toRegisteredModel(tx, row);
  });
}

export async function getRegisteredModel(ctx: ServiceContext, name: string): Promise<RegisteredModel> {
  authorize(ctx.actor, "studio.read");
  return toRegisteredModel(ctx.db, await findRegisteredModel(ctx.db, name));
}

/** The model page's view: the wire shape plus every version, newest first. */
export async function getRegisteredModelDetail(ctx: ServiceContext, name: string): Promise<RegisteredModelDetail> {
  authorize(ctx.actor, "studio.read");
  const row = await findRegisteredModel(ctx.db, name);
  const [model, versions] = await Promise.all([toRegisteredModel(ctx.db, row), listVersionsOfModel(ctx.db, row)]);
  return { ...model, versions };
}

export async function updateRegisteredModel(ctx: ServiceContext, input: { name: string; description?: string }): Promise<RegisteredModel> {
  authorize(ctx.actor, "models.write");
  return ctx.db.transaction(async (tx) => {
    const row = await findRegisteredModel(tx, input.name, { lock: true });
    if (input.description === undefined) return toRegisteredModel(tx, row);
    const [updated] = await tx
      .update(registeredModels)
      .set({ description: input.description, lastUpdatedTimestamp: Date.now() })
      .where(eq(registeredModels.modelId, row.modelId))
      .returning();
    await recordAudit(tx, ctx.actor, {
      action: "registered_model.update",
      targetType: "registered_model",
      targetId: row.name,
      before: { description: row.description },
      after: { description: input.description },
    });
    return toRegisteredModel(tx, updated);
  });
}

/** Versions, tags and aliases hang off the model's id, so they all follow the new name. */
export async function renameRegisteredModel(ctx: ServiceContext, name: string, newName: string): Promise<RegisteredModel> {
  authorize(ctx.actor, "models.write");
  validateNewModelName(newName, "new_name");
  const renamed = await ctx.db.transaction(async (tx) => {
    const row = await findRegisteredModel(tx, name, { lock: true });
    if (newName === name) return toRegisteredModel(tx, row);
    const [clash] = await tx.select({ id: registeredModels.modelId }).from(registeredModels).where(eq(registeredModels.name, newName));
    if (clash) throw new DomainError("RESOURCE_ALREADY_EXISTS", `Registered Model (name=${newName}) already exists.`);
    const [updated] = await tx
      .update(registeredModels)
      .set({ name: newName, lastUpdatedTimestamp: Date.now() })
      .where(eq(registeredModels.modelId, row.modelId))
      .returning()
      .catch((error: unknown) => {
        // A rename to the same new name committed since the check above: the unique index refuses it.
        if (isUniqueViolation(error)) throw new DomainError("RESOURCE_ALREADY_EXISTS", `Registered Model (name=${newName}) already exists.`);
        throw error;
      });
    await recordAudit(tx, ctx.actor, {
      action: "registered_model.rename",
      targetType: "registered_model",
      targetId: newName,
      before: { name },
      after: { name: newName },
    });
    return toRegisteredModel(tx, updated);
  });
  invalidateServingModel(name);
  invalidateServingModel(newName);
  return renamed;
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

export async function deleteRegisteredModel(ctx: ServiceContext, name: string): Promise<void> {
  authorize(ctx.actor, "models.write");
  await ctx.db.transaction(async (tx) => {
    const row = await findRegisteredModel(tx, name, { lock: true });
    const [{ count }] = await tx.select({ count: sql<number>`count(*)::int` }).from(modelVersions).where(eq(modelVersions.modelId, row.modelId));
    // Versions, tags and aliases cascade with the model row.
    await tx.delete(registeredModels).where(eq(registeredModels.modelId, row.modelId));
    await recordAudit(tx, ctx.actor, {
      action: "registered_model.delete",
      targetType: "registered_model",
      targetId: name,
      before: { name, description: row.description, versions: count },
    });
  });
  invalidateServingModel(name);
}

/** MLflow's get-latest-versions: the highest version in each stage, optionally only the stages asked for. */
export async function getLatestVersions(ctx: ServiceContext, name: string, stages?: string[]): Promise<ModelVersion[]> {
  authorize(ctx.actor, "studio.read");
  const wanted = new Set((stages ?? []).map(canonicalStage));
  const model = await getRegisteredModel(ctx, name);
  return model.latest_versions.filter((v) => !wanted.size || wanted.has(canonicalStage(v.current_stage)));
}

export async function setRegisteredModelTag(ctx: ServiceContext, input: { name: string; key: string; value: string }): Promise<void> {
  authorize(ctx.actor, "models.write");
  validateRegistryTag(input.key, input.value);
  await ctx.db.transaction(async (tx) => {
    const row = await findRegisteredModel(tx, input.name);
    await tx
      .insert(registeredModelTags)
      .values({ modelId: row.modelId, key: input.key, value: input.value })
      .onConflictDoUpdate({ target: [registeredModelTags.modelId, registeredModelTags.key], set: { value: input.value } });
    await recordAudit(tx, ctx.actor, { action: "registered_model.tag.set", targetType: "registered_model", targetId: row.name, after: { [input.key]: input.value } });
  });
}

/** As MLflow: deleting a tag the model does not have is a no-op, but the model must exist. */
export async function deleteRegisteredModelTag(ctx: ServiceContext, input: { name: string; key: string }): Promise<void> {
  authorize(ctx.actor, "models.write");
  validateRegistryTag(input.key);
  await ctx.db.transaction(async (tx) => {
    const row = await findRegisteredModel(tx, input.name);
    const deleted = await tx
      .delete(registeredModelTags)
      .where(and(eq(registeredModelTags.modelId, row.modelId), eq(registeredModelTags.key, input.key)))
      .returning();
    if (!deleted.length) return;
    await recordAudit(tx, ctx.actor, { action: "registered_model.tag.delete", targetType: "registered_model", targetId: row.name, before: { [input.key]: deleted[0].value } });
  });
}

/**
 * MLflow's alias rules (word characters and dashes, at most 255, neither `latest` nor `v<digits>`), in ASCII only:
 * a look-alike such as a full-width `ｐｒｏｄｕｃｔｉｏｎ` would otherwise be a second, ungated "production".
 */
export function validateAliasName(alias: string): void {
  if (!alias) throw invalidParameter("Registered model alias name cannot be empty.", sentence("error.registry.alias_empty"));
  if (!/^[A-Za-z0-9_-]+$/.test(alias)) {
    const lookalike = /[^\x00-\x7f]/.test(alias);
    throw invalidParameter(
      `Invalid alias name: '${alias}'. Names may only contain ASCII letters and digits, underscores (_) and dashes (-)` +
        (lookalike ? "; look-alike characters from other scripts or full-width forms are refused." : "."),
      sentence("error.registry.alias_characters", { alias, lookalike: lookalike ? "yes" : "no" }),
    );
  }
  if (alias.length > 255) {
    throw invalidParameter(`Registered model alias name '${alias.slice(0, 40)}…' is longer than 255 characters.`, sentence("error.registry.alias_too_long", { alias: alias.slice(0, 40) }));
  }
  if (alias.toLowerCase() === "latest") throw invalidParameter("'latest' alias name (case insensitive) is reserved.", sentence("error.registry.alias_latest"));
  if (/^[vV]\d+$/.test(alias)) throw invalidParameter(`Version alias name '${alias}' is reserved.`, sentence("error.registry.alias_version", { alias }));
}

/**
 * Points an alias at a version, moving it if it pointed elsewhere. This is the one place aliases are
 * set: `production` passes the review gate (an approved review of the version's bytes, or an admin's audited
 * override reason), and every move is recorded in alias_events with the version's id and digest.
 */
export async function setModelAlias(
  ctx: ServiceContext,
  input: SetModelAliasInput & { overrideReason?: string; rollbackFrom?: string },
): Promise<void> {
  authorize(ctx.actor, "models.write");
  validateAliasName(input.alias);
  const production = isProductionAlias(input.alias);
  if (production) {
    // Bytes are verified (and a version registered before digests existed is pinned) before they can take production.
    const { row } = await findModelVersion(ctx.db, input.name, input.version);
    if (row.onnxPath || row.modelDigest) await loadVersionModelBytes(ctx, row.versionId);
  }
  await ctx.db.transaction(async (tx) => {
    // Locked so the version cannot be deleted between the check and the insert.
    const { model, row } = await findModelVersion(tx, input.name, input.version, { lock: true });
    const rollback =
      production &&
      input.rollbackFrom !== undefined &&
      (await aliasHeldVersionBefore(tx, { modelId: model.modelId, alias: input.alias, versionId: row.versionId, digest: row.modelDigest }));
    let pass: GatePass | null = null;
    if (production && !rollback) {
      pass = await enforceProductionGate(tx, ctx.actor, { modelName: model.name, version: row.version, modelVersionId: row.versionId, what: `the '${input.alias}' alias`, alias: input.alias }, input.overrideReason);
    }
    const [previous] = await tx
      .select({ version: modelVersions.version, versionId: modelVersions.versionId })
      .from(registeredModelAliases)
      .innerJoin(modelVersions, eq(modelVersions.versionId, registeredModelAliases.versionId))
      .where(and(eq(registeredModelAliases.modelId, model.modelId), eq(registeredModelAliases.alias, input.alias)));
    await tx
      .insert(registeredModelAliases)
      .values({ modelId: model.modelId, alias: input.alias, versionId: row.versionId })
      .onConflictDoUpdate({ target: [registeredModelAliases.modelId, registeredModelAliases.alias], set: { versionId: row.versionId } });
    const kind = rollback ? "rollback" : pass?.override ? "override" : "set";
    await tx.insert(aliasEvents).values({
      modelId: model.modelId,
      alias: input.alias,
      kind,
      versionId: row.versionId,
      version: row.version,
      modelDigest: row.modelDigest,
      previousVersionId: previous?.versionId ?? null,
      previousVersion: previous?.version ?? null,
      reviewId: pass?.reviewId ?? null,
      reason: pass?.override ?? null,
      actorUsername: ctx.actor.username,
      at: Date.now(),
    });
    await recordAudit(tx, ctx.actor, {
      action: "registered_model.alias.set",
      targetType: "registered_model",
      targetId: model.name,
      before: previous ? { alias: input.alias, version: String(previous.version) } : null,
      after: { alias: input.alias, version: String(row.version) },
      meta: {
        model_id: model.modelId,
        version_id: row.versionId,
        model_digest: row.modelDigest,
        review_id: pass?.reviewId ?? null,
        ...(rollback ? { rollback: true, from: input.rollbackFrom } : {}),
      },
    });
  });
  // After the commit: serving loads the new version, then reads the alias afresh (no restart, no failed request).
  await warmServingVersion(input.name, input.version);
  invalidateServingModel(input.name);
}

/**
 * As MLflow: removing an alias the model does not have is a no-op, but the model must exist. Removing `production`
 * takes the model's default endpoint offline: only an admin may, with a reason, and it is audited.
 */
export async function deleteModelAlias(ctx: ServiceContext, input: { name: string; alias: string; reason?: string }): Promise<void> {
  authorize(ctx.actor, "models.write");
  validateAliasName(input.alias);
  const reason = input.reason?.trim() ?? "";
  if (isProductionAlias(input.alias)) {
    authorize(ctx.actor, "deployments.promote");
    if (ctx.actor.role !== "admin") {
      throw new DomainError(
        "PERMISSION_DENIED",
        `Permission denied: removing the '${input.alias}' alias takes '${input.name}' out of production (its default endpoint then answers 404), which only an admin may do, with a reason. Promote or roll back another version instead.`,
      );
    }
    if (!reason) {
      throw invalidParameter(
        `Removing the '${input.alias}' alias takes '${input.name}' out of production: give a reason (it is recorded in the audit log).`,
        sentence("error.registry.alias_removal_reason", { alias: input.alias, model: input.name }),
      );
    }
  }
  await ctx.db.transaction(async (tx) => {
    const model = await findRegisteredModel(tx, input.name);
    const deleted = await tx
      .delete(registeredModelAliases)
      .where(and(eq(registeredModelAliases.modelId, model.modelId), eq(registeredModelAliases.alias, input.alias)))
      .returning();
    if (!deleted.length) return;
    const [was] = await tx.select({ version: modelVersions.version }).from(modelVersions).where(eq(modelVersions.versionId, deleted[0].versionId));
    await tx.insert(aliasEvents).values({
      modelId: model.modelId,
      alias: input.alias,
      kind: "delete",
      versionId: null,
      version: null,
      previousVersionId: deleted[0].versionId,
      previousVersion: was?.version ?? null,
      reason: reason || null,
      actorUsername: ctx.actor.username,
      at: Date.now(),
    });
    await recordAudit(tx, ctx.actor, {
      action: "registered_model.alias.delete",
      targetType: "registered_model",
      targetId: model.name,
      before: { alias: input.alias, version_id: deleted[0].versionId, version: was ? String(was.version) : null },
      meta: { model_id: model.modelId, ...(reason ? { reason } : {}) },
    });
  });
  invalidateServingModel(input.name);
}

const modelFilterGrammar: FilterGrammar = {
  attributes: { name: { ops: ["=", "!=", "LIKE", "ILIKE"] } },
  tagOps: ["=", "!=", "LIKE", "ILIKE"],
  example: "name LIKE '%churn%' AND tags.team = 'risk'",
};

function modelClauseSql(clause: FilterClause): SQL {
  if (clause.isTag) {
    return sql`exists (select 1 from ${registeredModelTags} t where t.model_id = ${registeredModels.modelId} and t.key = ${clause.key} and ${compareSql(sql`t.value`, clause)})`;
  }
  return compareSql(sql`${registeredModels.name}`, clause);
}

const modelOrderColumns = {
  name: registeredModels.name,
  creation_timestamp: registeredModels.creationTimestamp,
  last_updated_timestamp: registeredModels.lastUpdatedTimestamp,
} as const;

export async function searchRegisteredModels(
  ctx: ServiceContext,
  input: SearchRegisteredModelsInput,
): Promise<{ registered_models: RegisteredModel[]; next_page_token?: string }> {
  authorize(ctx.actor, "studio.read");
  const limit = input.max_results ?? DEFAULT_MODEL_SEARCH_RESULTS;
  checkMaxResults(limit, MAX_MODEL_SEARCH_RESULTS);
  const offset = decodePageToken(input.page_token);
  const conditions = parseRegistryFilter(input.filter, modelFilterGrammar, "registered model").map(modelClauseSql);
  const orderBy = (input.order_by ?? []).map((clause) => {
    const { column, descending } = parseOrderBy(clause, Object.keys(modelOrderColumns), "registered model");
    const target = modelOrderColumns[column as keyof typeof modelOrderColumns];
    return descending ? desc(target) : asc(target);
  });
  const rows = await ctx.db
    .select()
    .from(registeredModels)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(...orderBy, asc(registeredModels.name))
    .limit(limit + 1)
    .offset(offset);
  const page = rows.slice(0, limit);
  return {
    registered_models: await toRegisteredModels(ctx.db, page),
    ...(rows.length > limit ? { next_page_token: encodePageToken(offset + limit) } : {}),
  };
}

/** The models list page: names containing the search text (any case), newest change first. */
export async function listRegisteredModels(ctx: ServiceContext, input: { search?: string }): Promise<RegisteredModel[]> {
  authorize(ctx.actor, "studio.read");
  const text = input.search?.trim();
  const rows = await ctx.db
    .select()
    .from(registeredModels)
    .where(text ? sql`${registeredModels.name} ilike ${`%${text.replace(/[\\%_]/g, "\\$&")}%`}` : undefined)
    .orderBy(desc(registeredModels.lastUpdatedTimestamp), asc(registeredModels.name))
    .limit(500);
  return toRegisteredModels(ctx.db, rows);
}
