// The one error type of the domain, carrying MLflow's error codes; transports map it once each.
import type { ZodError } from "zod";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";
import { redactErrorForLog } from "./auth/log-redaction";
import { isDatabaseUnavailable, noteDatabaseUnavailable, unavailabilityReason } from "@/db/availability";

export const errorCodeHttpStatus = {
  INVALID_PARAMETER_VALUE: 400,
  MALFORMED_REQUEST: 400,
  BAD_REQUEST: 400,
  INVALID_STATE: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_CONFLICT: 409,
  /** Well-formed input the studio will not store as it is (undecided personal data, a file past a stated limit). */
  UNPROCESSABLE_CONTENT: 422,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  // MLflow has no code for an oversized body; ours says so with HTTP's own status, which clients do not retry.
  REQUEST_TOO_LARGE: 413,
  REQUEST_LIMIT_EXCEEDED: 429,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorCodeHttpStatus;

/**
 * Next.js bundles each route on its own, so one request can meet DomainErrors made by several copies of this
 * class, and `instanceof` answers false across copies. A registry-wide symbol marks every copy's instances.
 */
const DOMAIN_ERROR_BRAND = Symbol.for("modelops-studio.DomainError");

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(errorCodeHttpStatus, value);
}

/** True for a DomainError made by any copy of this module (see DOMAIN_ERROR_BRAND). */
export function isDomainError(value: unknown): value is DomainError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { [DOMAIN_ERROR_BRAND]?: unknown; code?: unknown; message?: unknown };
  return candidate[DOMAIN_ERROR_BRAND] === true && isErrorCode(candidate.code) && typeof candidate.message === "string";
}

export class DomainError extends Error {
  readonly [DOMAIN_ERROR_BRAND] = true;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Machine-readable facts beside the message (e.g. the columns awaiting a decision), sent in the error body. */
    readonly details?: Record<string, unknown>,
    /**
     * The message as a catalogue code and its values (messages/<locale>/sentences.json `error.*`), so studio pages say
     * it in the reader's language; `message` stays the English text REST clients and logs get, unchanged.
     */
    readonly sentence?: ServerSentence,
  ) {
    super(message);
    this.name = "DomainError";
  }

  /** `error instanceof DomainError` holds for every copy's instances, so older call sites stay right. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isDomainError(value);
  }

  get httpStatus(): number {
    return errorCodeHttpStatus[this.code];
  }
}

/** True for a ZodError from any copy of zod (recognised by its shape, for the same reason as DomainError). */
export function isZodError(value: unknown): value is ZodError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { name?: unknown; issues?: unknown };
  return candidate.name === "ZodError" && Array.isArray(candidate.issues);
}

export function notFound(what: string, said?: ServerSentence): DomainError {
  return new DomainError("RESOURCE_DOES_NOT_EXIST", what, undefined, said);
}

export function invalidParameter(message: string, said?: ServerSentence): DomainError {
  return new DomainError("INVALID_PARAMETER_VALUE", message, undefined, said);
}

/** A refusal said both ways: `message` in English for REST and logs, `said` for the pages (see DomainError.sentence). */
export function saidError(code: ErrorCode, message: string, said: ServerSentence): DomainError {
  return new DomainError(code, message, undefined, said);
}

/** Zod issues as one sentence naming each field, so a client knows exactly what to fix. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length ? `'${issue.path.join(".")}'` : "request body";
      return `${where}: ${issue.message}`;
    })
    .join("; ");
}

/**
 * Zod issues as a sentence for the pages (the same issues describeZodError lists): each names its field and its kind
 * of problem, so another language can say it generically; English keeps zod's own words, as describeZodError does.
 */
export function zodErrorSentence(error: ZodError): ServerSentence {
  return sentence("error.input.invalid", {
    issues: error.issues.map((issue) => {
      const path = issue.path.join(".");
      return sentence("error.input.issue", { field: path ? `'${path}'` : "request body", path: path || "none", ...issueValues(issue) });
    }),
  });
}

/**
 * What another language needs to say a zod issue without zod's English: its kind, what was checked (a text's length,
 * a number, a list's size), whether the limit itself is allowed, the expected format, and the limits. English keeps
 * zod's `message`.
 */
function issueValues(issue: ZodError["issues"][number]): Record<string, string | number> {
  const values: Record<string, string | number> = { kind: issue.code, message: issue.message, origin: "other", inclusive: "yes", format: "other" };
  if ("origin" in issue && typeof issue.origin === "string") values.origin = issue.origin;
  if ("inclusive" in issue && issue.inclusive === false) values.inclusive = "no";
  if ("format" in issue && typeof issue.format === "string") values.format = issue.format;
  if ("minimum" in issue && (typeof issue.minimum === "number" || typeof issue.minimum === "bigint")) values.minimum = Number(issue.minimum);
  if ("maximum" in issue && (typeof issue.maximum === "number" || typeof issue.maximum === "bigint")) values.maximum = Number(issue.maximum);
  return values;
}

/**
 * Zod's field errors (`error.flatten().fieldErrors`: each issue under the first segment of its path, in order) as
 * sentences one for one, so a form says each beside its field in the reader's language. English says zod's message
 * (the schema's own words, exactly the field error); another language says the kind of problem and its limit, or the
 * refinement's own sentence when it names one.
 */
export function zodFieldSentences(error: ZodError): Record<string, ServerSentence[]> {
  const fields: Record<string, ServerSentence[]> = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (field === undefined) continue;
    // A refinement may name its own catalogue sentence (`.refine(check, { message, params: { sentence: "error.…" } })`).
    const own = issue.code === "custom" ? (issue.params as { sentence?: unknown } | undefined)?.sentence : undefined;
    if (typeof own === "string") {
      (fields[String(field)] ??= []).push(sentence(own, {}, issue.message));
      continue;
    }
    (fields[String(field)] ??= []).push(sentence("error.input.field", issueValues(issue)));
  }
  return fields;
}

/** The SQLSTATE of a database error, looked for along the cause chain (drizzle wraps the driver's error). */
export function sqlStateOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Errors that only a client's input can cause, met where validation did not reach: they answer 4xx, and are
 * still logged because each one names a check that belongs closer to the input.
 */
function inputFault(error: unknown): DomainError | null {
  const state = sqlStateOf(error);
  if (state === "23505") {
    return new DomainError("RESOURCE_ALREADY_EXISTS", "Another request created the same resource at the same moment; it exists now. Read it, or retry under another name.");
  }
  // invalid text representation, untranslatable character, invalid byte sequence, value too long for an index
  if (state === "22P02" || state === "22P05" || state === "22021" || state === "54000") {
    return invalidParameter("A value in the request cannot be stored (invalid characters, or too long to index); check the text fields and try again.");
  }
  // numeric value out of range, string too long for its column
  if (state === "22003" || state === "22001") {
    return invalidParameter("A number or text in the request is out of the range the studio stores; check the numeric fields and lengths.");
  }
  if (error instanceof URIError) return invalidParameter("The request holds a malformed percent-escape (e.g. '%zz'); encode '%' as '%25'.");
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return invalidParameter("The request is nested too deeply to process; flatten its JSON.");
  }
  return null;
}

let lastUnavailableLog = 0;

/** What a request that needed the database is told while it cannot be reached. */
export const DATABASE_UNAVAILABLE_MESSAGE =
  "The studio's database is unreachable at the moment (restarting or down); nothing was changed. Try again in a few seconds.";

/**
 * Turns anything thrown into a DomainError. Unknown errors become INTERNAL_ERROR with a generic
 * message (the details go to the server log, never to the client).
 */
export function toDomainError(error: unknown): DomainError {
  if (isDomainError(error)) {
    // Another copy's instance works as it is; a plain branded object is rebuilt so its getters exist.
    return typeof (error as { httpStatus?: unknown }).httpStatus === "number" ? error : new DomainError(error.code, error.message, undefined, error.sentence);
  }
  if (isZodError(error)) return invalidParameter(`Invalid request: ${describeZodError(error)}`, sentence("error.server.invalid_request", { issues: [zodErrorSentence(error)] }));
  if (isDatabaseUnavailable(error)) {
    noteDatabaseUnavailable();
    // Not the request's fault nor a bug: a 503 the client may retry (the pool reconnects by itself once it is back).
    // Once per 10 s: during an outage every request would log the same line.
    if (Date.now() - lastUnavailableLog > 10_000) {
      lastUnavailableLog = Date.now();
      console.warn(`[studio] the database is unreachable (${unavailabilityReason(error)}): requests that need it answer 503 until it is back`);
    }
    return new DomainError("TEMPORARILY_UNAVAILABLE", DATABASE_UNAVAILABLE_MESSAGE, undefined, sentence("error.server.database_unreachable"));
  }
  const fault = inputFault(error);
  if (fault) {
    console.warn(`[studio] input reached the server unvalidated (${fault.code})`, redactErrorForLog(error));
    return fault;
  }
  console.error("[studio] unexpected error", redactErrorForLog(error));
  return new DomainError(
    "INTERNAL_ERROR",
    "The server hit an unexpected error; it has been logged. Try again, and report it if it persists.",
    undefined,
    sentence("error.server.unexpected"),
  );
}
