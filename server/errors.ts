// The one error type of the domain, carrying MLflow's error codes; transports map it once each.
import { ZodError } from "zod";
import { redactErrorForLog } from "./auth/log-redaction";

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
  REQUEST_LIMIT_EXCEEDED: 429,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorCodeHttpStatus;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Machine-readable facts beside the message (e.g. the columns awaiting a decision), sent in the error body. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "DomainError";
  }

  get httpStatus(): number {
    return errorCodeHttpStatus[this.code];
  }
}

export function notFound(what: string): DomainError {
  return new DomainError("RESOURCE_DOES_NOT_EXIST", what);
}

export function invalidParameter(message: string): DomainError {
  return new DomainError("INVALID_PARAMETER_VALUE", message);
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
 * Turns anything thrown into a DomainError. Unknown errors become INTERNAL_ERROR with a generic
 * message (the details go to the server log, never to the client).
 */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof ZodError) return invalidParameter(`Invalid request: ${describeZodError(error)}`);
  console.error("[studio] unexpected error", redactErrorForLog(error));
  return new DomainError("INTERNAL_ERROR", "The server hit an unexpected error; it has been logged. Try again, and report it if it persists.");
}
