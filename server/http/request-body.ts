// Reading request bodies safely: a byte-counted reader cut at a limit (413), JSON checked for depth and text a
// database can store, and a Node stream that drains instead of cancelling when its consumer gives up early.
import { Readable } from "node:stream";
import { DomainError, invalidParameter } from "../errors";

const MiB = 1024 * 1024;

function limitFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

/** Largest body the serving endpoints and feedback read (STUDIO_MAX_REQUEST_BYTES; a 100-row request is ~60 KB). */
export const MAX_REQUEST_BYTES = limitFromEnv("STUDIO_MAX_REQUEST_BYTES", 20 * MiB);

/** Largest MLflow API body (log-batch takes at most 1,000 metrics, far below this). */
export const MAX_MLFLOW_JSON_BYTES = 5 * MiB;

/** Deeper JSON than this is refused before parsing: no wire format of ours nests past a dozen levels. */
export const MAX_JSON_DEPTH = 64;

function describeBytes(bytes: number): string {
  return bytes >= MiB ? `${Math.round((bytes / MiB) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

function tooLarge(limitBytes: number, hint: string): DomainError {
  return new DomainError("REQUEST_TOO_LARGE", `The request body is larger than ${describeBytes(limitBytes)}; ${hint}`);
}

/**
 * Reads and discards the rest of a body in the background. Cancelling instead makes Next.js throw an uncaught
 * "ReadableStream is already closed" as more bytes arrive, which can take the server down.
 */
function drainInBackground(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  void (async () => {
    try {
      while (!(await reader.read()).done) {
        // discard: the answer is already decided
      }
    } catch {
      // the client went away; nothing left to drain
    }
  })();
}

export interface BodyLimit {
  /** Largest body accepted, in bytes. */
  limitBytes: number;
  /** What to do instead, said after the limit (e.g. "split the batch"). */
  hint?: string;
}

/**
 * The body's bytes, counted as they stream in and refused with 413 REQUEST_TOO_LARGE as soon as they pass the
 * limit, so an oversized (or chunked, length-less) body never sits in memory whole.
 */
export async function readBodyBytes(request: Request, { limitBytes, hint = "send a smaller request." }: BodyLimit): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes, hint);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      drainInBackground(reader);
      throw tooLarge(limitBytes, hint);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Bytes already read (by a server in front of the fetch API, server/http/direct-mlflow-reads.ts) as UTF-8 text, under
 * the same limit and with the same 413 as readBodyBytes.
 */
export function bodyBytesAsText(bytes: Buffer, { limitBytes, hint = "send a smaller request." }: BodyLimit): string {
  if (bytes.length > limitBytes) throw tooLarge(limitBytes, hint);
  return bytes.toString("utf8");
}

/** The body as UTF-8 text, read as readBodyBytes does. Invalid UTF-8 becomes U+FFFD, as Request.text() does. */
export async function readBodyText(request: Request, limit: BodyLimit): Promise<string> {
  return (await readBodyBytes(request, limit)).toString("utf8");
}

/**
 * How deeply a JSON text nests, counted without parsing (brackets inside strings do not count). Parsing a
 * 20,000-deep text works, but whatever walks the result recursively then overflows the stack.
 */
export function jsonNestingDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAt) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

export interface JsonTextRules {
  /** Refuse NUL characters in keys and strings (PostgreSQL text and jsonb cannot hold them). */
  refuseNul?: boolean;
  maxDepth?: number;
}

/** The first key or string that PostgreSQL could not store faithfully, with where it sits ("tags.0.value"). */
export function findUnstorableText(value: unknown, { refuseNul = true }: { refuseNul?: boolean } = {}): { path: string; problem: string } | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: "" }];
  const problemOf = (s: string): string | null => {
    if (/\p{Surrogate}/u.test(s)) return "is not valid Unicode text: it holds a lone UTF-16 surrogate (such as \\ud800)";
    if (refuseNul && s.includes("\u0000")) return "must not contain NUL (\\u0000) characters";
    return null;
  };
  while (stack.length) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === "string") {
      const problem = problemOf(current);
      if (problem) return { path, problem };
    } else if (Array.isArray(current)) {
      current.forEach((item, i) => stack.push({ value: item, path: path ? `${path}.${i}` : String(i) }));
    } else if (typeof current === "object" && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        const at = path ? `${path}.${key}` : key;
        const problem = problemOf(key);
        if (problem) return { path: at, problem: `(a key) ${problem}` };
        stack.push({ value: item, path: at });
      }
    }
  }
  return null;
}

/** Throws INVALID_PARAMETER_VALUE naming the field when a value holds text that cannot be stored. */
export function assertStorableText(value: unknown, rules: { refuseNul?: boolean } = {}): void {
  const found = findUnstorableText(value, rules);
  if (found) throw invalidParameter(`Invalid request: '${found.path || "request body"}' ${found.problem}.`);
}

/**
 * Whether a JSON text could parse into a key or string holding a lone surrogate (or a NUL, when refused).
 * A parsed string is made of the text's own characters and of its escapes: when the text is well-formed
 * UTF-16 and no escape spells a surrogate (\uD800–\uDFFF) or NUL (\u0000), no parsed string holds one.
 * The test is conservative (an escaped backslash before "u", or an escaped emoji pair, also matches), so
 * a match only means the parsed value is walked. On a 1,000-metric log-batch it takes about 2 µs where
 * walking its 5,000 keys and strings took 2–4 ms.
 */
const SURROGATE_OR_NUL_ESCAPE = /\\u(?:[dD][89a-fA-F]|0000)/;
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const isWellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === "function"
    ? (text) => (text as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (text) => !/\p{Surrogate}/u.test(text);

export function jsonTextMayHoldUnstorable(text: string, { refuseNul = true }: { refuseNul?: boolean } = {}): boolean {
  if (!isWellFormed(text)) return true;
  if (refuseNul && text.includes("\u0000")) return true;
  if (!text.includes("\\u")) return false;
  return (refuseNul ? SURROGATE_OR_NUL_ESCAPE : SURROGATE_ESCAPE).test(text);
}

/** JSON.parse with the studio's limits: MALFORMED_REQUEST for bad JSON, INVALID_PARAMETER_VALUE for depth and text. */
export function parseJsonText(text: string, { refuseNul = true, maxDepth = MAX_JSON_DEPTH }: JsonTextRules = {}): unknown {
  const depth = jsonNestingDepth(text, maxDepth);
  if (depth > maxDepth) {
    throw invalidParameter(`The JSON body nests deeper than ${maxDepth} levels; no request of this API needs that. Flatten it.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? ` (${error.message.slice(0, 120)})` : "";
    throw new DomainError("MALFORMED_REQUEST", `Malformed request body: it is not valid JSON${detail}.`);
  }
  if (jsonTextMayHoldUnstorable(text, { refuseNul })) assertStorableText(parsed, { refuseNul });
  return parsed;
}

/** A JSON body read under a byte limit and parsed with parseJsonText's checks; an empty body is undefined. */
export async function readJsonBody(request: Request, limit: BodyLimit, rules: JsonTextRules = {}): Promise<unknown> {
  const text = await readBodyText(request, limit);
  return text.trim() ? parseJsonText(text, rules) : undefined;
}

/**
 * A body as a Node stream for uploads that stream to disk (their own size limits apply as they write).
 * Readable.fromWeb cancels the web stream when the Node side is destroyed (a bad row, a size limit);
 * Next.js then throws an uncaught "ReadableStream is already closed" as more bytes arrive, which can
 * take the server down. This wrapper reads and discards the rest instead, so the request ends cleanly.
 */
export function requestBodyStream(body: ReadableStream<Uint8Array> | null): Readable {
  if (!body) throw invalidParameter("The request has no body: send the file's bytes as the request body.");
  const reader = body.getReader();
  let ended = false;
  return new Readable({
    read() {
      reader.read().then(
        ({ done, value }) => {
          if (done) {
            ended = true;
            this.push(null);
          } else {
            this.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
          }
        },
        (error: unknown) => {
          ended = true;
          this.destroy(error instanceof Error ? error : new Error(String(error)));
        },
      );
    },
    destroy(error, callback) {
      if (!ended) {
        ended = true;
        drainInBackground(reader);
      }
      callback(error);
    },
  });
}

/** One URL path segment decoded, or INVALID_PARAMETER_VALUE naming it when its percent-escapes are malformed. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidParameter(`The URL path segment '${segment.slice(0, 100)}' holds a malformed percent-escape; encode '%' as '%25'.`);
  }
}
