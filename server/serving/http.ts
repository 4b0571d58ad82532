// HTTP of model serving, transport-neutral: the Next.js route handlers and the standalone node:http process both
// adapt their requests to ServingRequest and write back the ServingResponse. Every answer carries x-request-id; every
// model answer says which version, bytes and approved review answered (x-model-version, x-model-digest, x-review-id).
import { randomUUID } from "node:crypto";
import type * as ort from "onnxruntime-node";
import { getDatabase, type Database } from "@/db/client";
import { actorKnownNow, resolveActor, type RequestLike, type ResolveOptions } from "../auth/authenticate";
import { grantFromToken, isServeOnly } from "../auth/tokens";
import { authorize } from "../auth/permissions";
import { DomainError, toDomainError } from "../errors";
import { getArtifactStore } from "../service-context";
import { applyDecisionThreshold } from "./decision-threshold";
import { ModelServer, isDefaultRoute, parseModelReference, type ModelReference, type ModelServerDeps, type Resolved, type ServedModel } from "./model-server";
import { enqueueShadowCopy, type ProductionParse, type ShadowParse } from "./shadow-queue";
import { runModel } from "./batched-run";
import { logRoutedAnswer, logServingError, rowsOf } from "./route-log";
import { countRouteAnswer } from "./route-counts";
import { routesToCanary, trafficNow, trafficOf } from "./traffic-routing";
import { mlflowPredictions, oipMetadata, oipOutputs, parseMlflowCsv, parseMlflowJson, parseOipInfer, type ScoringRequest } from "./protocols";
import { badRequest } from "./tensors";
import { saidServingRefusal } from "./refusal-language";
import { sentence } from "@/lib/i18n/server-sentence";
import { locales } from "@/lib/i18n/locales";
import { logServedRequest } from "../monitoring/serving-log";
import { recordFeedback } from "../monitoring/feedback";
import type { Actor } from "../auth/actor";
import { MAX_REQUEST_BYTES, readBodyText } from "../http/request-body";
import { observeServingRequest } from "../operations/metrics";
import { observeAnsweredRequest } from "../operations/request-log";

export interface ServingRequest extends RequestLike {
  /** The URL path, still percent-encoded (segments are decoded one by one). */
  pathname: string;
  text(): Promise<string>;
}

export interface ServingResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Which model and version answered (the serving metrics' labels), when one did. */
  served?: Served;
}

interface Served {
  model: string;
  version: string;
}

/** Largest request body the serving endpoints read (STUDIO_MAX_REQUEST_BYTES, default 20 MB; a 100-row request is ~60 KB). */
export const MAX_SERVING_BODY_BYTES = MAX_REQUEST_BYTES;

const globalForServing = globalThis as unknown as { studioModelServer?: ModelServer };

/** The process-wide model server on the studio's database and artifact store. */
export function getModelServer(): ModelServer {
  globalForServing.studioModelServer ??= new ModelServer(depsOfStudioDatabase);
  return globalForServing.studioModelServer;
}

/** One deps promise per opening of the studio's database (a reopened database gets a new one): the same every request. */
let studioDeps: { opening: ReturnType<typeof getDatabase>; deps: Promise<ModelServerDeps> } | null = null;

function depsOfStudioDatabase(): Promise<ModelServerDeps> {
  const opening = getDatabase();
  if (studioDeps?.opening !== opening) studioDeps = { opening, deps: opening.then((handle) => ({ db: handle.db, artifacts: getArtifactStore() })) };
  return studioDeps.deps;
}

function requestIdOf(request: ServingRequest): string {
  const given = request.headers.get("x-request-id");
  return given && /^[\w.:@/+=-]{1,200}$/.test(given) ? given : randomUUID();
}

type Protocol = "mlflow" | "oip";

/** A refusal's body, its message said in the caller's language (saidServingRefusal). */
function errorBody(protocol: Protocol, error: DomainError, message: string): string {
  // MLflow's scoring server answers input problems as BAD_REQUEST; the OIP spec only has {"error"}.
  return protocol === "oip" ? JSON.stringify({ error: message }) : JSON.stringify({ error_code: error.code, message });
}

const PLAIN_HEADERS: Readonly<Record<string, string>> = { "content-type": "application/json", "cache-control": "no-store" };

/** A refusal's headers: Content-Language says which language its message is in. */
const REFUSAL_HEADERS: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.fromEntries(
  locales.map((locale) => [locale, { ...PLAIN_HEADERS, "content-language": locale }]),
) satisfies Record<string, Record<string, string>>;

/**
 * An answer: `headers` are those of every answer (PLAIN_HEADERS) or a model's (modelHeaders), plus the request id
 * (one copy per answer: the shared objects are never handed out); `served` names the model that answered.
 */
function json(status: number, requestId: string, body: string, headers: Readonly<Record<string, string>> = PLAIN_HEADERS, served?: Served): ServingResponse {
  return { status, headers: { ...headers, "x-request-id": requestId }, body, served };
}

/** Which model and version a failed request reached, by the error it failed with (the metrics label requests with them). */
const servedBy = new WeakMap<object, Served>();

/**
 * The headers saying who answered, built once per model and resolution (an alias answer lasts a second or more), and
 * on the production endpoint once per route and shadow as well (`routed`): a request copies one of them, once.
 */
interface ModelHeaders {
  model: ServedModel;
  threshold: number | null;
  served: Served;
  headers: Record<string, string>;
  routed: Map<string, Record<string, string>>;
}
const headersByResolution = new WeakMap<Resolved, ModelHeaders>();

function modelHeaders(model: ServedModel, resolved: Resolved, threshold: number | null): ModelHeaders {
  const cached = headersByResolution.get(resolved);
  if (cached && cached.model === model && cached.threshold === threshold) return cached;
  const headers: Record<string, string> = {
    ...PLAIN_HEADERS,
    "x-model-version": model.version,
    "x-model-digest": model.digest,
    "x-review-id": resolved.reviewId === null ? "none" : String(resolved.reviewId),
    ...(threshold !== null ? { "x-decision-threshold": String(threshold) } : {}),
  };
  const entry: ModelHeaders = { model, threshold, served: { model: model.name, version: model.version }, headers, routed: new Map() };
  headersByResolution.set(resolved, entry);
  return entry;
}

/** A production endpoint's headers: the model's, the route that answered, and the shadow that got a copy. */
function routedHeaders(entry: ModelHeaders, route: "production" | "canary", shadow: string | null): Readonly<Record<string, string>> {
  const key = shadow === null ? route : `${route}\u0000${shadow}`;
  let headers = entry.routed.get(key);
  if (!headers) {
    headers = { ...entry.headers, "x-model-route": route, ...(shadow !== null ? { "x-shadow": shadow } : {}) };
    entry.routed.set(key, headers);
  }
  return headers;
}

/** A model's answer, the headers saying who answered it, and its name and version for the metrics. */
interface Answered {
  body: string;
  headers: Readonly<Record<string, string>>;
  served: Served;
}

const SERVING: ResolveOptions = { serving: true };

async function authenticate(request: ServingRequest, server: ModelServer): Promise<Actor> {
  return authenticateOn(request, (await server.database()).db);
}

async function authenticateOn(request: ServingRequest, db: Database): Promise<Actor> {
  // A token remembered under the current credentials epoch is known at once (most requests): the same checks, no turns.
  const actor = actorKnownNow(request, db, SERVING) ?? (await resolveActor(request, db, SERVING));
  if (!actor) {
    throw new DomainError(
      "UNAUTHENTICATED",
      "Authentication required: send 'Authorization: Bearer <token>' with an API token (scope 'serve' or 'all') from the studio's Tokens page.",
      undefined,
      sentence("error.auth.required_serving"),
    );
  }
  // Serving reads models: every role may, a serve-scoped token acts for its owner (resolveActor let it through).
  authorize(actor, "studio.read");
  return actor;
}

function decodeSegments(segments: readonly string[]): string[] {
  return segments.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw badRequest(`'${s}' is not a valid URL path segment.`, sentence("error.serving.bad_segment", { segment: s }));
    }
  });
}

/** What a production request brings for routing: who calls (sticky canary), and how a shadow would score a copy. */
interface Routing {
  requestId: string;
  callerKey: string | null;
  protocol: "mlflow" | "v2";
  shadow: ShadowParse;
  /** Production's parse of the request, set by the scorer when production answers: the shadow reuses it if it can. */
  parsed?: ProductionParse;
  /** Test hook (STUDIO_SERVING_TEST_FAULTS=1 only): the version named by x-test-fail-version fails, as a broken version would. */
  failVersion: string | null;
}

/**
 * Scores with the version a reference resolves to. `threshold` is the approved review's decision threshold when it
 * applies (a binary classifier whose approved review chose one): the answer's labels follow it and the
 * x-decision-threshold header names it. On a production endpoint (`routing` given) a canary answers its share of
 * callers (x-model-route says which), a shadow gets a copy after production answered (x-shadow names it), and a
 * failed answer is recorded for the guards' error rates.
 */
async function withModel(
  server: ModelServer,
  ref: ModelReference,
  actor: Actor,
  score: (model: ServedModel, threshold: number | null, route: "production" | "canary") => Promise<string>,
  routing: (Routing & { db: Database }) | null = null,
): Promise<Answered> {
  const db = routing && isDefaultRoute(ref) ? routing.db : null;
  // The answers known already are taken without waiting a turn (most requests); the same answers as the awaits give.
  const trafficKnown = db ? trafficNow(db, ref.name) : null;
  const traffic = trafficKnown !== undefined ? trafficKnown : await trafficOf(db!, ref.name);
  let resolved = server.resolvedNow(ref) ?? (await server.resolve(ref));
  let answering = ref;
  let route: "production" | "canary" = "production";
  if (routesToCanary(traffic, routing?.callerKey ?? null)) {
    const canaryRef: ModelReference = { name: ref.name, alias: null, version: traffic!.canary!.version };
    const canary = await server.resolve(canaryRef).catch(() => null);
    // A canary answers only while its approval holds: a withdrawn review sends its callers back to production.
    if (canary && canary.reviewId !== null) {
      resolved = canary;
      answering = canaryRef;
      route = "canary";
    }
  }
  if (route === "production") server.authorizeAnswer(ref, resolved, actor);
  let model: ServedModel | null = null;
  try {
    model = server.acquireNow(resolved) ?? (await server.acquire(answering, resolved));
    if (routing?.failVersion === model.version) {
      throw new DomainError("INTERNAL_ERROR", `Version ${model.version} was told to fail this request (x-test-fail-version; STUDIO_SERVING_TEST_FAULTS is on).`);
    }
    const threshold = model.binary && resolved.decisionThreshold !== null ? resolved.decisionThreshold : null;
    const body = await score(model, threshold, route);
    const shadow = traffic?.shadow && route === "production" && routing && db ? traffic.shadow.version : null;
    const copied =
      shadow !== null &&
      enqueueShadowCopy({ server, db: db!, modelName: ref.name, version: shadow, requestId: routing!.requestId, protocol: routing!.protocol, parse: routing!.shadow, production: routing!.parsed });
    const named = modelHeaders(model, resolved, threshold);
    return { body, headers: db ? routedHeaders(named, route, copied ? shadow : null) : named.headers, served: named.served };
  } catch (error) {
    // A version that failed its request (bad input, a broken model) still names itself in the serving metrics.
    if (model && typeof error === "object" && error !== null) servedBy.set(error, { model: model.name, version: model.version });
    if (traffic && db && routing) {
      const domain = toDomainError(error);
      logServingError(db, { modelId: traffic.modelId, versionId: resolved.versionId, route, requestId: routing.requestId, status: domain.httpStatus, message: domain.message });
    }
    throw error;
  } finally {
    if (model) server.release(model);
  }
}

/** Logs an answer: production's through the sampled inference log, a canary's through the route log (always). */
function logAnswer(
  db: Database,
  route: "production" | "canary",
  model: ServedModel,
  entry: { requestId: string; startedAt: number; feeds: ort.InferenceSession.FeedsType; results: ort.InferenceSession.OnnxValueMapType; protocol: "mlflow" | "v2" },
): void {
  if (route === "production") {
    // Counted before the log samples: the comparison's volumes and error rates are exact at any sample rate.
    countRouteAnswer(db, { modelId: model.modelId, versionId: model.versionId, route, rows: rowsOf(model, entry.feeds as Record<string, ort.Tensor>) });
    logServedRequest(db, model, entry as Parameters<typeof logServedRequest>[2]);
  } else logRoutedAnswer(db, model, { route, requestId: entry.requestId, latencyMs: performance.now() - entry.startedAt, feeds: entry.feeds as Record<string, ort.Tensor>, results: entry.results, protocol: entry.protocol });
}

/** The version a test asks to fail (journeys break a canary with it); ignored unless STUDIO_SERVING_TEST_FAULTS=1. */
function failVersionOf(request: ServingRequest): string | null {
  // The header first: reading process.env costs more than a header look-up, on every request.
  const version = request.headers.get("x-test-fail-version");
  return version !== null && process.env.STUDIO_SERVING_TEST_FAULTS === "1" ? version : null;
}

function callerKeyOf(request: ServingRequest): string | null {
  const key = request.headers.get("x-caller-key")?.trim();
  return key ? key.slice(0, 500) : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw badRequest(`The body is not valid JSON: ${reason}.`, sentence("error.serving.not_json", { reason }));
  }
}

async function readBody(request: ServingRequest): Promise<string> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_SERVING_BODY_BYTES) {
    throw new DomainError(
      "REQUEST_TOO_LARGE",
      `The body is ${length} bytes; serving reads at most ${MAX_SERVING_BODY_BYTES}. Split the batch.`,
      undefined,
      sentence("error.serving.body_too_large", { length: String(length), limit: String(MAX_SERVING_BODY_BYTES) }),
    );
  }
  const text = await request.text();
  if (text.length > MAX_SERVING_BODY_BYTES) {
    throw new DomainError("REQUEST_TOO_LARGE", `The body is over ${MAX_SERVING_BODY_BYTES} bytes; split the batch.`, undefined, sentence("error.serving.body_over_limit", { limit: String(MAX_SERVING_BODY_BYTES) }));
  }
  return text;
}

async function invocations(request: ServingRequest, server: ModelServer, db: Database, actor: Actor, path: ServingPath, requestId: string, startedAt: number): Promise<Answered> {
  const ref = (path.ref ??= parseModelReference(decodeSegments(path.segments.slice(2, -1)).join("/")));
  const contentType = (request.headers.get("content-type") ?? "application/json").toLowerCase();
  const isCsv = contentType.startsWith("text/csv");
  if (!isCsv && !contentType.startsWith("application/json")) {
    throw badRequest(`Content-Type '${contentType}' is not supported: send application/json (MLflow's scoring protocol) or text/csv.`, sentence("error.serving.content_type", { type: contentType }));
  }
  const text = await readBody(request);
  const body = isCsv ? null : parseJson(text);
  const shadow: ShadowParse = (model) => (isCsv ? parseMlflowCsv(model, text) : parseMlflowJson(model, body)).feeds as Record<string, ort.Tensor>;
  const routing: Routing & { db: Database } = { db, requestId, callerKey: callerKeyOf(request), protocol: "mlflow", shadow, failVersion: failVersionOf(request) };
  return withModel(
    server,
    ref,
    actor,
    async (model, threshold, route) => {
      const scoring: ScoringRequest = isCsv ? parseMlflowCsv(model, text) : parseMlflowJson(model, body);
      const outputNames = model.outputs.map((o) => o.name);
      if (route === "production") routing.parsed = { model, feeds: scoring.feeds as Record<string, ort.Tensor> };
      const raw = await runModel(model, scoring.feeds, outputNames);
      const results = threshold !== null && model.binary ? applyDecisionThreshold(raw, model.binary, threshold) : raw;
      logAnswer(db, route, model, { requestId, startedAt, feeds: scoring.feeds, results, protocol: "mlflow" });
      return JSON.stringify({ predictions: mlflowPredictions(results, outputNames, scoring.style) });
    },
    routing,
  );
}

/** `/v2/models/<m>[/versions/<v>][/<action>]`: the model reference and the action ("" = metadata). */
function oipTarget(segments: string[]): { ref: ModelReference; action: string } {
  const decoded = decodeSegments(segments);
  const versionsAt = decoded.length >= 3 ? decoded.indexOf("versions", 1) : -1;
  if (versionsAt > 0 && decoded.length >= versionsAt + 2) {
    const action = decoded.slice(versionsAt + 2).join("/");
    return { ref: parseModelReference(decoded.slice(0, versionsAt).join("/"), decoded[versionsAt + 1]!), action };
  }
  const last = decoded[decoded.length - 1];
  if (decoded.length > 1 && (last === "infer" || last === "ready")) return { ref: parseModelReference(decoded.slice(0, -1).join("/")), action: last };
  return { ref: parseModelReference(decoded.join("/")), action: "" };
}

async function openInference(request: ServingRequest, server: ModelServer, path: ServingPath, requestId: string, startedAt: number): Promise<ServingResponse> {
  const segments = path.segments.slice(1);
  if (segments[0] === "health" && segments.length === 2 && (segments[1] === "live" || segments[1] === "ready")) {
    if (request.method !== "GET") throw wrongMethod(`/v2/health/${segments[1]}`);
    return json(200, requestId, JSON.stringify(segments[1] === "live" ? { live: true } : { ready: true }));
  }
  if (segments.length === 0) {
    await authenticate(request, server);
    return json(200, requestId, JSON.stringify({ name: "modelops-studio", version: "2", extensions: [] }));
  }
  if (segments[0] !== "models" || segments.length < 2) throw noEndpoint(request.pathname, "oip");
  const { db } = await server.database();
  const actor = await authenticateOn(request, db);
  const { ref, action } = (path.target ??= oipTarget(segments.slice(1)));
  if (action === "infer") {
    if (request.method !== "POST") throw new DomainError("ENDPOINT_NOT_FOUND", "Use POST for …/infer.", undefined, sentence("error.serving.use_post_infer"));
    const body = parseJson(await readBody(request));
    const shadow: ShadowParse = (model) => parseOipInfer(model, body).feeds as Record<string, ort.Tensor>;
    const routing: Routing & { db: Database } = { db, requestId, callerKey: callerKeyOf(request), protocol: "v2", shadow, failVersion: failVersionOf(request) };
    const answer = await withModel(server, ref, actor, async (model, threshold, route) => {
      const infer = parseOipInfer(model, body);
      // The label follows the threshold: the probabilities are computed even when only the label was asked for.
      const binary = threshold !== null && model.binary && infer.outputs.includes(model.binary.labelOutput) ? model.binary : null;
      const outputs = binary && !infer.outputs.includes(binary.probabilitiesOutput) ? [...infer.outputs, binary.probabilitiesOutput] : infer.outputs;
      if (route === "production") routing.parsed = { model, feeds: infer.feeds as Record<string, ort.Tensor> };
      const raw = await runModel(model, infer.feeds, outputs);
      const results = binary ? applyDecisionThreshold(raw, binary, threshold!) : raw;
      logAnswer(db, route, model, { requestId, startedAt, feeds: infer.feeds, results, protocol: "v2" });
      return JSON.stringify({
        model_name: model.name,
        model_version: model.version,
        ...(infer.id !== undefined ? { id: infer.id } : {}),
        // OIP v2's response parameters: which decision threshold made the labels.
        ...(binary ? { parameters: { decision_threshold: threshold } } : {}),
        outputs: oipOutputs(results, infer.outputs, model),
      });
    }, routing);
    return json(200, requestId, answer.body, answer.headers, answer.served);
  }
  if (request.method !== "GET") throw wrongMethod(request.pathname);
  if (action === "ready") {
    const answer = await withModel(server, ref, actor, async (model) => JSON.stringify({ name: model.name, ready: true }));
    return json(200, requestId, answer.body, answer.headers, answer.served);
  }
  if (action !== "") throw noEndpoint(request.pathname, "oip");
  const metadata = await withModel(server, ref, actor, async (model) => JSON.stringify(oipMetadata(model)));
  return json(200, requestId, metadata.body, metadata.headers, metadata.served);
}

function noEndpoint(pathname: string, protocol: Protocol): DomainError {
  return protocol === "oip"
    ? new DomainError("ENDPOINT_NOT_FOUND", `No serving endpoint at ${pathname}.`, undefined, sentence("error.serving.no_endpoint_v2", { path: pathname }))
    : new DomainError("ENDPOINT_NOT_FOUND", `No serving endpoint at ${pathname}; call POST /api/serve/<model>/invocations.`, undefined, sentence("error.serving.no_endpoint", { path: pathname }));
}

function wrongMethod(path: string): DomainError {
  return new DomainError("ENDPOINT_NOT_FOUND", `Use GET for ${path}.`, undefined, sentence("error.serving.use_get", { path }));
}

function splitPath(pathname: string): string[] {
  return pathname.split("/").filter((s) => s.length > 0);
}

/**
 * A request path as serving reads it: its segments and metrics label, and once parsed without error, the model
 * reference it names (`ref` for /invocations, `target` for /v2). Never changed once parsed, so shared between the
 * requests to one path through a bounded cache (callers call a handful of paths, over and over).
 */
interface ServingPath {
  readonly segments: readonly string[];
  readonly label: string;
  ref?: ModelReference;
  target?: { ref: ModelReference; action: string };
}

const pathCache = new Map<string, ServingPath>();
const PATH_CACHE_MAX = 1000;
const CACHED_PATH_MAX_LENGTH = 300;

function servingPath(pathname: string): ServingPath {
  const cached = pathCache.get(pathname);
  if (cached) return cached;
  const segments = splitPath(pathname);
  const path: ServingPath = { segments, label: servingRouteLabel(segments) };
  if (pathname.length <= CACHED_PATH_MAX_LENGTH) {
    if (pathCache.size >= PATH_CACHE_MAX) pathCache.clear();
    pathCache.set(pathname, path);
  }
  return path;
}

/** Answers one serving request: `/api/serve/<model>/invocations` or `/v2/…`. Never throws. */
export async function handleServing(request: ServingRequest, server: ModelServer = getModelServer()): Promise<ServingResponse> {
  const startedAt = performance.now();
  const requestId = requestIdOf(request);
  const path = servingPath(request.pathname);
  const protocol: Protocol = path.segments[0] === "v2" ? "oip" : "mlflow";
  let answer: ServingResponse;
  let failure: DomainError | undefined;
  let served: Served | undefined;
  try {
    answer = await answerServing(request, server, path, protocol, requestId, startedAt);
    served = answer.served;
  } catch (error) {
    failure = toDomainError(error);
    const said = await saidServingRefusal(request, failure);
    answer = json(failure.httpStatus, requestId, errorBody(protocol, failure, said.message), REFUSAL_HEADERS[said.language]);
    if (typeof error === "object" && error !== null) served = servedBy.get(error);
  }
  observeServingRequest(served?.model ?? "", served?.version ?? "", answer.status, (performance.now() - startedAt) / 1000);
  observeAnsweredRequest({
    surface: "serving",
    route: path.label,
    method: request.method,
    status: answer.status,
    requestId,
    startedAt,
    error: failure && { code: failure.code, message: failure.message },
  });
  return answer;
}

/** The metrics' route label of a serving path: its template, with the model's name left out (it has its own metrics). */
function servingRouteLabel(segments: readonly string[]): string {
  const last = segments[segments.length - 1];
  if (segments[0] === "api") return segments[1] === "serve" && segments.length >= 4 && (last === "invocations" || last === "feedback") ? `/api/serve/:model/${last}` : "unmatched";
  if (segments.length === 1) return "/v2";
  if (segments[1] === "health" && segments.length === 3 && (last === "live" || last === "ready")) return `/v2/health/${last}`;
  if (segments[1] !== "models" || segments.length < 3) return "unmatched";
  const versioned = segments.length >= 5 && segments[3] === "versions" ? "/versions/:version" : "";
  return `/v2/models/:model${versioned}${last === "infer" || last === "ready" ? `/${last}` : ""}`;
}

async function answerServing(request: ServingRequest, server: ModelServer, path: ServingPath, protocol: Protocol, requestId: string, startedAt: number): Promise<ServingResponse> {
  if (protocol === "oip") return await openInference(request, server, path, requestId, startedAt);
  const segments = path.segments;
  if (segments[0] !== "api" || segments[1] !== "serve" || segments.length < 4) {
    throw noEndpoint(request.pathname, "mlflow");
  }
  const action = segments[segments.length - 1];
  if (action === "feedback" && request.method === "POST") {
    // Ground truth for served rows: editors, admins and serve-scoped tokens (not viewers); the poster is recorded.
    const actor = await authenticate(request, server);
    const { db, artifacts } = await server.database();
    const name = decodeSegments(segments.slice(2, -1)).join("/");
    const bearer = /^bearer\s+(\S+)$/i.exec(request.headers.get("authorization")?.trim() ?? "")?.[1];
    const credential = { serveScopedToken: bearer ? isServeOnly((await grantFromToken(db, bearer))?.scopes ?? ["all"]) : false };
    const result = await recordFeedback({ db, artifacts, actor }, { name, body: parseJson(await readBody(request)), credential });
    return json(200, requestId, JSON.stringify({ accepted: result.accepted, superseded: result.superseded.map((s) => ({ request_id: s.requestId, row: s.row, previous_label: s.previousLabel, previous_by: s.previousBy, label: s.label })) }));
  }
  if (action !== "invocations") throw noEndpoint(request.pathname, "mlflow");
  if (request.method !== "POST") throw new DomainError("ENDPOINT_NOT_FOUND", "Use POST for /api/serve/<model>/invocations.", undefined, sentence("error.serving.use_post_invocations"));
  const { db } = await server.database();
  const actor = await authenticateOn(request, db);
  const answer = await invocations(request, server, db, actor, path, requestId, startedAt);
  return json(200, requestId, answer.body, answer.headers, answer.served);
}

/** The Next.js route handler of both protocols. */
export async function serveFetchRequest(request: Request): Promise<Response> {
  const answer = await handleServing({
    method: request.method,
    headers: request.headers,
    pathname: new URL(request.url).pathname,
    text: () => readBodyText(request, { limitBytes: MAX_SERVING_BODY_BYTES, hint: "split the batch." }),
  });
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
