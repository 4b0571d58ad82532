// Whether an error means "the database cannot be reached right now" (refused, reset, shutting down, restarting,
// connect timeout) rather than "the database said no". Outage handling keys on it: serving keeps its last good
// answers, the inference log keeps its backlog, and the web tier answers 503 instead of 500.

/** SQLSTATEs of a server that is going away or not taking connections (class 08 connection exceptions, 57P0x). */
const UNAVAILABLE_STATES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006", "53300"]);
/** Socket errors node-postgres passes through when it cannot reach the server. */
const UNAVAILABLE_SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
/** node-postgres's own wording for a connection lost or never made (it sets no code on these). */
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /connection error and is not queryable/i,
  /timeout exceeded when trying to connect/i,
  /cannot use a pool after calling end/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/** True when `error` (or one of its causes: drizzle wraps the driver's error) says the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (UNAVAILABLE_STATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code))) return true;
    if (typeof message === "string" && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    // AggregateError (a host with several addresses, all refused).
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** A short reason for logs and /readyz: the socket code or SQLSTATE, never a connection string. */
export function unavailabilityReason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && UNAVAILABLE_SOCKET_CODES.has(code)) return code === "ECONNREFUSED" ? "connection refused" : code;
    if (typeof code === "string" && UNAVAILABLE_STATES.has(code)) return code.startsWith("57P") ? "the database server is shutting down or restarting" : `connection failure (SQLSTATE ${code})`;
    if (typeof message === "string" && /timeout/i.test(message)) return "connection timed out";
    if (typeof message === "string" && /connection terminated|not queryable/i.test(message)) return "connection lost";
    current = (current as { cause?: unknown }).cause;
  }
  return "no answer";
}

const holder = globalThis as unknown as { studioDatabaseUnavailableAt?: number };

/**
 * Records that a request met an unreachable database. The web server (scripts/server.mjs, outside Next.js's bundles,
 * hence globalThis) then checks the database before rendering a page and answers 503 until it answers again.
 */
export function noteDatabaseUnavailable(): void {
  holder.studioDatabaseUnavailableAt = Date.now();
}
