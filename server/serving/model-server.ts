// Which model version a serving request means, which approved review answers for it, and its loaded onnxruntime-node
// session: aliases resolved from the database at most once a second per model and again as soon as another process
// announces a change (NOTIFY studio_serving, serving-changes.ts), kept while the database is unreachable; sessions
// cached per version id (LRU, bounded), loaded from the write-once model store by digest and verified, and released
// only once the requests using them have finished, so an alias swap never fails a request.
import { binaryOutputsOf, type BinaryOutputs } from "./decision-threshold";
import { reviewValueSettings } from "../review/review-value";
import { and, eq, or } from "drizzle-orm";
import * as ort from "onnxruntime-node";
import { aliasEvents, modelVersions } from "@/db/schema";
import type { Database } from "@/db/client";
import type { Actor } from "../auth/actor";
import { can } from "../auth/permissions";
import type { ArtifactStore } from "../artifacts/store";
import { DomainError, notFound } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import { findModelVersion, findVersionByAlias, type ModelVersionRow } from "../registry/model-versions";
import type { OnnxIntrospection } from "../registry/onnx-introspection";
import { loadVersionModelBytes } from "../registry/model-store";
import { hasErrorCode } from "../registry/model-store-path";
import { findApprovedReview } from "../review/gate";
import { planModelInputs } from "@/lib/model-inputs";
import { addServingListener, type ServingListener } from "./hooks";
import { followServingChanges } from "./serving-changes";
import { isDatabaseUnavailable } from "@/db/availability";
import { FEEDABLE_ELEMENT_TYPES, badRequest, type ServedField, type ServedValue } from "./tensors";

/** The alias a bare `<model>` means. */
export const DEFAULT_SERVING_ALIAS = "production";
/** How long an alias → version answer is trusted without asking the database: the safety net should a change notification be lost. */
export const ALIAS_CACHE_MS = Number(process.env.STUDIO_SERVING_ALIAS_CACHE_MS) || 1_000;
const DEFAULT_MAX_SESSIONS = 8;

/**
 * One intra-op thread per session: serving gets its parallelism from concurrent requests, and onnxruntime's
 * spinning thread pool would otherwise compete with the HTTP event loop for the same cores (STUDIO_SERVING_ORT_THREADS).
 */
export function servingSessionOptions(): ort.InferenceSession.SessionOptions {
  const threads = Number(process.env.STUDIO_SERVING_ORT_THREADS) || 1;
  return { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all" };
}

/** `<model>`, `<model>@<alias>` or `<model>/<version>` as written in a URL segment, or an explicit version. */
export interface ModelReference {
  name: string;
  alias: string | null;
  version: string | null;
}

/** Whether a reference means the model's production endpoint (bare `<model>` or `<model>@production`). */
export function isDefaultRoute(ref: ModelReference): boolean {
  return ref.version === null && ref.alias === DEFAULT_SERVING_ALIAS;
}

/** Parses a (URL-decoded) model path segment: `name`, `name@alias` or `name/version`. */
export function parseModelReference(segment: string, explicitVersion: string | null = null): ModelReference {
  let name = segment;
  let alias: string | null = null;
  let version = explicitVersion;
  const at = name.lastIndexOf("@");
  const slash = name.lastIndexOf("/");
  if (version === null && slash > 0) {
    version = name.slice(slash + 1);
    name = name.slice(0, slash);
  } else if (at > 0) {
    alias = name.slice(at + 1);
    name = name.slice(0, at);
  }
  if (!name) throw badRequest("The model name is empty: call /<model>, /<model>@<alias> or /<model>/<version>.", sentence("error.serving.empty_model_name"));
  if (version !== null && !/^\d+$/.test(version)) throw badRequest(`'${version}' is not a model version number.`, sentence("error.serving.bad_version", { version }));
  if (version === null && alias === null) alias = DEFAULT_SERVING_ALIAS;
  return { name, alias, version };
}

/**
 * What serving knows of a version without scoring it: how request columns map to its inputs, its outputs, what it
 * logs. Enough to parse a request for it and log its answers; a shadow scored on its own thread needs no more here.
 */
export interface ModelDescription {
  name: string;
  /** The registered model's id (the inference log's key). */
  modelId: number;
  version: string;
  versionId: number;
  inputs: ServedValue[];
  outputs: ServedValue[];
  /** The request columns ("fields"), in plan order; for a feature matrix, its columns in order. */
  fields: ServedField[];
  fieldIndex: Map<string, number>;
  /** False when a feature matrix's columns have no names (x0…): DataFrame columns are then taken by position. */
  namedColumns: boolean;
  /** SHA-256 of the bytes the session was built from (verified at load). */
  digest: string;
  /** The model imputes missing values (an Imputer node, or metadata handles_missing_values=true): null inputs are allowed. */
  handlesMissing: boolean;
  /** A binary classifier's label and probabilities outputs (where an approved decision threshold applies), else null. */
  binary: BinaryOutputs | null;
  /** Evicted or closed: whoever keeps a copy of it (the shadow's scoring thread) lets its own session go too. */
  retired: boolean;
}

/** A version ready to score: its description and its session. */
export interface ServedModel extends ModelDescription {
  session: ort.InferenceSession;
  inFlight: number;
}

/** What a reference resolves to: the version, and what vouches for it (its approved review, or an admin's override). */
export interface Resolved {
  versionId: number;
  version: string;
  /** The approved review of the version's current bytes, or null. */
  reviewId: number | null;
  /** The version took `production` through an admin's audited override with its current bytes. */
  productionOverride: boolean;
  /** The decision threshold its approved review chose (binary classifiers: label = p(positive) ≥ it), or null. */
  decisionThreshold: number | null;
}

export interface ModelServerDeps {
  db: Database;
  artifacts: ArtifactStore;
}

function servedValues(values: OnnxIntrospection["inputs"]): ServedValue[] {
  return values.map((v) => ({ name: v.name, elementType: v.elementType, shape: v.shape === null ? null : v.shape.map((d) => (typeof d === "number" ? d : null)) }));
}

/** Column names of a single [N, k] input: the MLmodel signature's column names when it has exactly k. */
function featureNamesOf(introspection: OnnxIntrospection): string[] | null {
  const specs = introspection.mlmodelSignature?.inputs ?? [];
  const names = specs.map((s) => s.name).filter((n): n is string => typeof n === "string" && n.length > 0);
  const isColumns = specs.length > 0 && specs.every((s) => s.type !== "tensor");
  return isColumns && names.length === specs.length ? names : null;
}

/** Whether a model says it handles missing inputs: an ONNX-ML Imputer in its graph, or metadata handles_missing_values=true. */
export function declaresMissingValues(introspection: OnnxIntrospection): boolean {
  if (introspection.operators.some((op) => op.opType === "Imputer" && op.domain === "ai.onnx.ml")) return true;
  return /^(true|1|yes)$/i.test(introspection.metadata?.handles_missing_values?.trim() ?? "");
}

/** An alias answer: `value` while valid, `settled` once it returned (kept to answer through a database outage). */
interface ResolvedEntry {
  ref: ModelReference;
  value: Promise<Resolved>;
  until: number;
  /** The lookup replacing an expired answer, which requests keep getting until it returns. */
  refreshing: Promise<Resolved> | null;
  settled: Resolved | null;
  /** What `value` resolved to, once it has: a request may then take it without waiting (resolvedNow). */
  current?: Resolved;
}

export class ModelServer implements ServingListener {
  /**
   * Alias answers by reference. `refreshing`: the lookup that replaces an expired answer, which requests keep getting
   * until it returns (so no request waits for the once-a-second lookup unless the answer is older than two periods).
   */
  private readonly resolved = new Map<string, ResolvedEntry>();
  private readonly sessions = new Map<number, Promise<ServedModel>>();
  /** What each of `sessions`' promises resolved to, once it has (acquireNow). */
  private readonly loaded = new WeakMap<Promise<ServedModel>, ServedModel>();
  /** Versions described without a session (shadows scored on their own thread), least recently used first. */
  private readonly descriptions = new Map<number, Promise<ModelDescription>>();
  private readonly maxSessions: number;
  private readonly stopListening: () => void;
  /** Per reference key: the newest refresh announced by another process (an older one finishing late is ignored). */
  private readonly announced = new Map<string, object>();

  constructor(
    private readonly deps: () => Promise<ModelServerDeps>,
    options: { maxSessions?: number } = {},
  ) {
    this.maxSessions = options.maxSessions ?? (Number(process.env.STUDIO_SERVING_MAX_SESSIONS) || DEFAULT_MAX_SESSIONS);
    this.stopListening = addServingListener(this);
  }

  /** The deps promise whose database this process follows already: handed out as it is (every request asks). */
  private followedDeps: Promise<ModelServerDeps> | null = null;

  /** The database and artifact store; this process follows serving changes announced on that database from then on. */
  database(): Promise<ModelServerDeps> {
    const deps = this.deps();
    if (deps === this.followedDeps) return deps;
    return deps.then((d) => {
      followServingChanges(d.db);
      this.followedDeps = deps;
      return d;
    });
  }

  /**
   * The version a reference means now: as of at most ALIAS_CACHE_MS ago plus one lookup, or since the last invalidate
   * (this process's promotions) or change notification (another process's). An answer past its period is still given
   * while the lookup replacing it runs, and past any age while the database cannot be reached (nothing can change
   * there meanwhile, and the loaded model keeps answering).
   */
  resolve(ref: ModelReference): Promise<Resolved> {
    return this.answerFor(ref).value;
  }

  /**
   * What resolve(ref) would give, when its promise has settled already (the usual case: an answer lasts a second),
   * so a request need not wait a turn for it; undefined otherwise (then resolve, whose lookup this call started).
   */
  resolvedNow(ref: ModelReference): Resolved | undefined {
    return this.answerFor(ref).current;
  }

  private answerFor(ref: ModelReference): ResolvedEntry {
    const key = `${ref.name}\u0000${ref.version ?? `@${ref.alias}`}`;
    const now = Date.now();
    const hit = this.resolved.get(key);
    if (hit && hit.until > now) return hit;
    if (hit && hit.until + ALIAS_CACHE_MS > now) {
      if (!hit.refreshing) this.refreshExpired(key, hit);
      return hit;
    }
    const entry: ResolvedEntry = { ref, value: this.lookupOrLastGood(ref, hit?.settled ?? null), until: now + ALIAS_CACHE_MS, refreshing: null, settled: hit?.settled ?? null };
    this.resolved.set(key, entry);
    entry.value.then(
      (resolved) => {
        entry.settled = resolved;
        entry.current = resolved;
      },
      // Failures are not remembered: the next request asks again (the model may just have been registered).
      () => {
        if (this.resolved.get(key) === entry) this.resolved.delete(key);
      },
    );
    return entry;
  }

  /** A fresh lookup; the last good answer instead when the database is unreachable (a database outage). */
  private lookupOrLastGood(ref: ModelReference, lastGood: Resolved | null): Promise<Resolved> {
    const lookup = this.lookup(ref);
    if (!lastGood) return lookup;
    return lookup.catch((error: unknown) => {
      if (isDatabaseUnavailable(error)) return lastGood;
      throw error;
    });
  }

  private refreshExpired(key: string, hit: ResolvedEntry): void {
    const refreshing = this.lookupOrLastGood(hit.ref, hit.settled);
    hit.refreshing = refreshing;
    refreshing.then(
      (resolved) => {
        if (this.resolved.get(key) === hit) this.resolved.set(key, { ref: hit.ref, value: refreshing, until: Date.now() + ALIAS_CACHE_MS, refreshing: null, settled: resolved, current: resolved });
      },
      // The alias was removed or the model deleted meanwhile: the next request looks up afresh and gets the error.
      () => {
        if (this.resolved.get(key) === hit) this.resolved.delete(key);
      },
    );
  }

  /**
   * Another process changed `name` (null: some model): each of its cached answers is looked up again and, when it
   * names another version, that version's session is loaded before the answer is swapped in. Requests keep the old
   * answer (and model) meanwhile, so a promotion on another replica fails no request here.
   */
  refresh(name: string | null): void {
    for (const [key, entry] of this.resolved) {
      if (name !== null && entry.ref.name !== name) continue;
      const token = {};
      this.announced.set(key, token);
      const next = this.lookupOrLastGood(entry.ref, entry.settled);
      void next
        .then(async (resolved) => {
          // Loaded before it answers; a version that cannot load gets its error on the next request, as it would anyway.
          if (!this.sessions.has(resolved.versionId)) await this.session(entry.ref.name, resolved).catch(() => undefined);
          return resolved;
        })
        .then(
          (resolved) => {
            if (this.announced.get(key) !== token) return;
            this.announced.delete(key);
            if (this.resolved.get(key) === undefined) return;
            this.resolved.set(key, { ref: entry.ref, value: Promise.resolve(resolved), until: Date.now() + ALIAS_CACHE_MS, refreshing: null, settled: resolved, current: resolved });
          },
          () => {
            if (this.announced.get(key) !== token) return;
            this.announced.delete(key);
            // The alias or version is gone (or no longer servable): the next request looks up and gets the error.
            this.resolved.delete(key);
          },
        );
    }
  }

  private async lookup(ref: ModelReference): Promise<Resolved> {
    const { db } = await this.database();
    let row: ModelVersionRow;
    try {
      row = ref.version !== null ? (await findModelVersion(db, ref.name, ref.version)).row : await findVersionByAlias(db, ref.name, ref.alias!);
    } catch (error) {
      if (hasErrorCode(error, "RESOURCE_DOES_NOT_EXIST")) {
        if (/alias/.test((error as Error).message)) {
          const production = ref.alias === DEFAULT_SERVING_ALIAS;
          throw notFound(
            `Model '${ref.name}' has no alias '${ref.alias}'${production ? ": promote a version to production, or call <model>@<alias> or an explicit version" : ""}.`,
            sentence(production ? "error.serving.no_production" : "error.serving.no_alias", { model: ref.name, alias: ref.alias! }),
          );
        }
        throw ref.version !== null
          ? notFound(`Model '${ref.name}' has no version ${ref.version}.`, sentence("error.serving.no_version", { model: ref.name, version: ref.version }))
          : notFound(`There is no registered model named '${ref.name}'.`, sentence("error.serving.no_model", { model: ref.name }));
      }
      if (hasErrorCode(error, "INVALID_PARAMETER_VALUE")) throw badRequest((error as Error).message, (error as DomainError).sentence);
      throw error;
    }
    if (!row.onnxPath && !row.modelDigest) {
      throw new DomainError(
        "INVALID_STATE",
        `Version ${row.version} of '${ref.name}' has no ONNX file in the studio; only ONNX versions can be served.`,
        undefined,
        sentence("error.serving.no_onnx_file", { version: String(row.version), model: ref.name }),
      );
    }
    const approved = await findApprovedReview(db, row.versionId);
    let productionOverride = false;
    if (!approved && isDefaultRoute(ref)) {
      const [override] = await db
        .select({ eventId: aliasEvents.eventId })
        .from(aliasEvents)
        .where(
          and(
            eq(aliasEvents.modelId, row.modelId),
            eq(aliasEvents.alias, DEFAULT_SERVING_ALIAS),
            eq(aliasEvents.versionId, row.versionId),
            // An admin's override of these very bytes, or the production pointer that was in place when alias
            // history started (grandfathered by version id: an upgrade must not take running services offline).
            or(and(eq(aliasEvents.kind, "override"), eq(aliasEvents.modelDigest, row.modelDigest ?? "")), eq(aliasEvents.kind, "upgrade")),
          ),
        )
        .limit(1);
      productionOverride = Boolean(override);
    }
    const decisionThreshold = approved ? ((await reviewValueSettings(db, approved.reviewId))?.threshold ?? null) : null;
    return { versionId: row.versionId, version: String(row.version), reviewId: approved?.reviewId ?? null, productionOverride, decisionThreshold };
  }

  /**
   * Refuses what the caller may not be answered by: a version without an approved review of its bytes is served only
   * by explicit version or alias, to users and tokens allowed to test models (editors, admins); through the model's
   * production endpoint only when an admin put it there with an audited override.
   */
  authorizeAnswer(ref: ModelReference, resolved: Resolved, actor: Actor): void {
    if (resolved.reviewId !== null) return;
    if (isDefaultRoute(ref)) {
      if (resolved.productionOverride) return;
      throw new DomainError(
        "PERMISSION_DENIED",
        `Version ${resolved.version} of '${ref.name}' holds production but has no approved review of its current bytes, so its production endpoint does not serve it. ` +
          "Get a review approved, roll back, or (admin) re-promote it with an override reason; users who test models may call it by explicit version.",
        undefined,
        sentence("error.serving.production_unreviewed", { version: resolved.version, model: ref.name }),
      );
    }
    if (!can(actor, "models.write")) {
      throw new DomainError(
        "PERMISSION_DENIED",
        `Version ${resolved.version} of '${ref.name}' has no approved review: only users allowed to test models (editors, admins) may call it by version or alias. Use the production endpoint, or ask for a review.`,
        undefined,
        sentence("error.serving.unreviewed", { version: resolved.version, model: ref.name }),
      );
    }
  }

  /** The served model for a reference, counted as in use until `release` is called. */
  async acquire(ref: ModelReference, resolvedAlready?: Resolved): Promise<ServedModel> {
    const resolved = resolvedAlready ?? (await this.resolve(ref));
    for (;;) {
      const model = await this.session(ref.name, resolved);
      if (!model.retired) {
        model.inFlight++;
        return model;
      }
    }
  }

  /**
   * acquire without waiting a turn: the served model when its session is loaded already (counted as in use until
   * `release`), else undefined (then acquire). Marks it most recently used, as acquire does.
   */
  acquireNow(resolved: Resolved): ServedModel | undefined {
    const pending = this.sessions.get(resolved.versionId);
    const model = pending && this.loaded.get(pending);
    if (!model || model.retired) return undefined;
    this.sessions.delete(resolved.versionId);
    this.sessions.set(resolved.versionId, pending);
    model.inFlight++;
    return model;
  }

  /**
   * A version's description, for parsing requests for it and logging its answers where another thread scores it (the
   * shadow's): a version this process serves already is described by its loaded model; any other is read and verified
   * like one but gets no session here, so a shadow costs one session (on its scoring thread), not two.
   */
  async describe(ref: ModelReference): Promise<ModelDescription> {
    const resolved = await this.resolve(ref);
    const loaded = this.sessions.get(resolved.versionId);
    if (loaded) return loaded;
    let pending = this.descriptions.get(resolved.versionId);
    if (pending) {
      this.descriptions.delete(resolved.versionId);
      this.descriptions.set(resolved.versionId, pending);
      return pending;
    }
    pending = this.describeVersion(ref.name, resolved).then((d) => d.description);
    this.descriptions.set(resolved.versionId, pending);
    pending.catch(() => {
      if (this.descriptions.get(resolved.versionId) === pending) this.descriptions.delete(resolved.versionId);
    });
    while (this.descriptions.size > this.maxSessions) {
      const [oldestId, oldest] = this.descriptions.entries().next().value!;
      this.descriptions.delete(oldestId);
      void oldest.then((d) => (d.retired = true)).catch(() => undefined);
    }
    return pending;
  }

  /** Whether this process holds a session of the version (tests: a shadow scored elsewhere loads none here). */
  holdsSession(versionId: number): boolean {
    return this.sessions.has(versionId);
  }

  release(model: ServedModel): void {
    model.inFlight--;
    if (model.retired && model.inFlight === 0) void model.session.release().catch(() => undefined);
  }

  private session(name: string, resolved: Resolved): Promise<ServedModel> {
    let pending = this.sessions.get(resolved.versionId);
    if (pending) {
      // Most recently used last: Map keeps insertion order, so the first key is the least recently used.
      this.sessions.delete(resolved.versionId);
      this.sessions.set(resolved.versionId, pending);
      return pending;
    }
    pending = this.load(name, resolved);
    this.sessions.set(resolved.versionId, pending);
    const loading = pending;
    loading.then(
      (model) => this.loaded.set(loading, model),
      () => {
        if (this.sessions.get(resolved.versionId) === loading) this.sessions.delete(resolved.versionId);
      },
    );
    void this.evict();
    return pending;
  }

  private async evict(): Promise<void> {
    while (this.sessions.size > this.maxSessions) {
      const [oldestId, oldest] = this.sessions.entries().next().value!;
      this.sessions.delete(oldestId);
      const model = await oldest.catch(() => null);
      if (!model) continue;
      model.retired = true;
      if (model.inFlight === 0) await model.session.release().catch(() => undefined);
    }
  }

  private async load(name: string, resolved: Resolved): Promise<ServedModel> {
    const { description, bytes } = await this.describeVersion(name, resolved);
    const session = await ort.InferenceSession.create(bytes, servingSessionOptions());
    return { ...description, session, inFlight: 0 };
  }

  /** A version's description and its verified bytes (a session is built from them by whoever scores it). */
  private async describeVersion(name: string, resolved: Resolved): Promise<{ description: ModelDescription; bytes: Uint8Array }> {
    const { db, artifacts } = await this.deps();
    // By id: a rename between the resolution and the load cannot swap in another model's version.
    const [row] = await db.select().from(modelVersions).where(eq(modelVersions.versionId, resolved.versionId));
    if (!row) throw notFound(`Version ${resolved.version} of '${name}' was deleted.`, sentence("error.serving.version_deleted", { version: resolved.version, model: name }));
    const introspection = row.introspection as OnnxIntrospection | null;
    if (!introspection) {
      throw new DomainError(
        "INVALID_STATE",
        `Version ${resolved.version} of '${name}' has not been introspected; register its ONNX file again.`,
        undefined,
        sentence("error.serving.not_introspected", { version: resolved.version, model: name }),
      );
    }
    const inputs = servedValues(introspection.inputs);
    const outputs = servedValues(introspection.outputs);
    const plan = planModelInputs(introspection.inputs, { featureNames: featureNamesOf(introspection) });
    const unservable = introspection.inputs.filter((i) => i.kind !== "tensor" || !FEEDABLE_ELEMENT_TYPES.has(i.elementType));
    if (unservable.length) {
      const inputs = unservable.map((i) => `${i.name} (${i.typeDescription})`).join(", ");
      throw new DomainError(
        "INVALID_STATE",
        `Version ${resolved.version} of '${name}' takes inputs serving cannot build: ${inputs}.`,
        undefined,
        sentence("error.serving.unservable_inputs", { version: resolved.version, model: name, inputs }),
      );
    }
    const nonTensor = introspection.outputs.filter((o) => o.kind !== "tensor");
    if (nonTensor.length) {
      const outputs = nonTensor.map((o) => o.name).join(", ");
      throw new DomainError(
        "INVALID_STATE",
        `Version ${resolved.version} of '${name}' has outputs that are not tensors (${outputs}), e.g. a ZipMap; derive a version without ZipMap on its model page and serve that.`,
        undefined,
        sentence("error.serving.non_tensor_outputs", { version: resolved.version, model: name, outputs }),
      );
    }
    // By id, from the model store, verified against the registered digest: altered bytes are refused (503), flagged, audited.
    const { bytes, digest } = await loadVersionModelBytes({ db, artifacts }, resolved.versionId);
    const inputIndex = new Map(inputs.map((input, i) => [input.name, i]));
    const fields: ServedField[] = plan.fields.map((f) => ({ key: f.key, input: inputIndex.get(f.inputName)!, column: f.column ?? 0 }));
    const description: ModelDescription = {
      name,
      modelId: row.modelId,
      version: resolved.version,
      versionId: resolved.versionId,
      inputs,
      outputs,
      fields,
      fieldIndex: new Map(fields.map((f, i) => [f.key, i])),
      namedColumns: plan.layout === "columns" || featureNamesOf(introspection) !== null,
      digest,
      handlesMissing: declaresMissingValues(introspection),
      binary: binaryOutputsOf(introspection, bytes),
      retired: false,
    };
    return { description, bytes };
  }

  /** Forgets what the aliases of `name` point at: the next request reads them from the database. */
  invalidate(name: string): void {
    for (const key of this.resolved.keys()) if (key.startsWith(`${name}\u0000`)) this.resolved.delete(key);
  }

  /** Loads the session of `name` version `version` ahead of traffic (promotion). */
  async warm(name: string, version: string): Promise<void> {
    await this.database();
    const resolved = await this.resolve({ name, alias: null, version });
    await this.session(name, resolved);
  }

  /** Releases every idle session and stops answering invalidations (tests, shutdown). */
  async close(): Promise<void> {
    this.stopListening();
    const described = await Promise.all([...this.descriptions.values()].map((p) => p.catch(() => null)));
    this.descriptions.clear();
    for (const description of described) if (description) description.retired = true;
    const models = await Promise.all([...this.sessions.values()].map((p) => p.catch(() => null)));
    this.sessions.clear();
    this.resolved.clear();
    for (const model of models) {
      if (!model) continue;
      model.retired = true;
      if (model.inFlight === 0) await model.session.release().catch(() => undefined);
    }
  }
}

export { invalidateServingModel, warmServingVersion } from "./hooks";
