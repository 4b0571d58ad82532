// MLflow's wire conventions in one place: reading JSON or query requests, and writing JSON and error bodies.
import type { ZodType } from "zod";
import { DomainError, isDomainError, toDomainError } from "../errors";
import { assertStorableText, bodyBytesAsText, MAX_MLFLOW_JSON_BYTES, parseJsonText, readBodyText as readBodyTextWithin } from "./request-body";

export const MAX_JSON_BODY_BYTES = MAX_MLFLOW_JSON_BYTES;

/** JSON with MLflow's encoding of non-finite doubles ("NaN", "Infinity", "-Infinity"). */
export function toMlflowJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
}

/** A response body the service has already encoded as MLflow JSON (see getMetricHistoryWire). */
const PRE_ENCODED_BRAND = Symbol.for("modelops-studio.PreEncodedJson");

/**
 * `body`: the JSON text, or its UTF-8 bytes when the service keeps the answer (a history page of 25,000 points is
 * 2 MB: kept as bytes, every answer of it is written to the socket as is instead of being encoded again).
 */
export class PreEncodedJson {
  readonly [PRE_ENCODED_BRAND] = true;
  constructor(readonly body: string | Buffer) {}

  // Recognised across route bundles' copies of this module, as DomainError is.
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [PRE_ENCODED_BRAND]?: unknown })[PRE_ENCODED_BRAND] === true;
  }
}

/** An answer's body as sent: pre-encoded text or bytes as they are, anything else as MLflow JSON. */
export function mlflowJsonBody(value: unknown): string | Buffer {
  return value instanceof PreEncodedJson ? value.body : toMlflowJson(value);
}

/** A Response accepts a Buffer (a Uint8Array); only its type, which may view a SharedArrayBuffer, says otherwise. */
export function asBodyInit(body: string | Buffer): BodyInit {
  return typeof body === "string" ? body : (body as Uint8Array<ArrayBuffer>);
}

export function jsonResponse(value: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(asBodyInit(mlflowJsonBody(value)), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export function errorResponse(error: unknown): Response {
  const domain = toDomainError(error);
  return jsonResponse({ error_code: domain.code, message: domain.message, ...domain.details }, domain.httpStatus);
}

const BODY_LIMIT_HINT = "send smaller requests (log-batch takes at most 1000 metrics).";

/** Reads a request body as text under a byte limit (413 REQUEST_TOO_LARGE beyond it), never buffering more. */
export async function readBodyText(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<string> {
  return readBodyTextWithin(request, { limitBytes: maxBytes, hint: BODY_LIMIT_HINT });
}

/** GET parameters as MLflow sends them: repeated keys (run_ids=a&run_ids=b) become arrays. */
export function queryToObject(url: URL, arrayKeys: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    out[key] = arrayKeys.has(key) || values.length > 1 ? values : values[0];
  }
  return out;
}

/**
 * What the MLflow handler reads of a request: a fetch Request (Next.js's route, tests), or the direct endpoints' stand-in
 * (server/http/direct-mlflow-reads.ts), which has read the body's bytes already and passes them beside it: building a
 * fetch Request per call (its AbortSignal, body stream and header guards) showed in a runs/search profile.
 */
export interface MlflowRequest {
  method: string;
  url: string;
  headers: Headers;
}

const ARRAY_QUERY_KEYS = new Set(["run_ids", "experiment_ids", "order_by", "model_ids"]);

/**
 * The request's input: the JSON body for writes, the query string for reads (both for POST search). `body`: the body's
 * bytes when the caller has read them already (the request then carries none), checked against the same limit.
 */
export async function readMlflowInput(request: MlflowRequest, body?: Buffer): Promise<Record<string, unknown>> {
  const url = new URL(request.url);
  const query = queryToObject(url, ARRAY_QUERY_KEYS);
  // Query values reach the database too: %00 decodes to a NUL it cannot store.
  assertStorableText(query);
  if (request.method === "GET" || request.method === "HEAD") return query;
  const text = body
    ? bodyBytesAsText(body, { limitBytes: MAX_JSON_BODY_BYTES, hint: BODY_LIMIT_HINT })
    : request instanceof Request
      ? await readBodyText(request)
      : "";
  if (!text.trim()) return query;
  let parsed = parseJsonText(text);
  // Old MLflow clients post their JSON encoded twice, as a JSON string; MLflow decodes it again.
  if (typeof parsed === "string") {
    try {
      parsed = parseJsonText(parsed);
    } catch (error) {
      if (isDomainError(error) && error.code === "MALFORMED_REQUEST") {
        throw new DomainError("MALFORMED_REQUEST", "Malformed request body: it is a JSON string that does not hold a JSON object.");
      }
      throw error;
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new DomainError("MALFORMED_REQUEST", "Malformed request body: expected a JSON object.");
  }
  return { ...query, ...(parsed as Record<string, unknown>) };
}

export function parseInput<T>(schema: ZodType<T>, input: unknown): T {
  return schema.parse(input);
}
