// MLflow's wire conventions in one place: reading JSON or query requests, and writing JSON and error bodies.
import type { ZodType } from "zod";
import { DomainError, toDomainError } from "../errors";

export const MAX_JSON_BODY_BYTES = 5 * 1024 * 1024;

/** JSON with MLflow's encoding of non-finite doubles ("NaN", "Infinity", "-Infinity"). */
export function toMlflowJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
}

/** A response body the service has already encoded as MLflow JSON (see getMetricHistoryWire). */
export class PreEncodedJson {
  constructor(readonly text: string) {}
}

export function jsonResponse(value: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(value instanceof PreEncodedJson ? value.text : toMlflowJson(value), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export function errorResponse(error: unknown): Response {
  const domain = toDomainError(error);
  return jsonResponse({ error_code: domain.code, message: domain.message, ...domain.details }, domain.httpStatus);
}

/** Reads a request body as text, refusing bodies over the limit without buffering them whole. */
export async function readBodyText(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = () =>
    new DomainError(
      "INVALID_PARAMETER_VALUE",
      `Request body is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; send smaller requests (log-batch takes at most 1000 metrics).`,
    );
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
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

const ARRAY_QUERY_KEYS = new Set(["run_ids", "experiment_ids", "order_by", "model_ids"]);

/** The request's input: the JSON body for writes, the query string for reads (both for POST search). */
export async function readMlflowInput(request: Request): Promise<Record<string, unknown>> {
  const url = new URL(request.url);
  const query = queryToObject(url, ARRAY_QUERY_KEYS);
  if (request.method === "GET" || request.method === "HEAD") return query;
  const text = await readBodyText(request);
  if (!text.trim()) return query;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DomainError("MALFORMED_REQUEST", "Malformed request body: it is not valid JSON.");
  }
  // Old MLflow clients post their JSON encoded twice, as a JSON string; MLflow decodes it again.
  if (typeof parsed === "string") {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      throw new DomainError("MALFORMED_REQUEST", "Malformed request body: it is a JSON string that does not hold a JSON object.");
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
