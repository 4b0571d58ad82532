// Errors as they may be written to the server log: without the values a failed query ran with. No imports, so any module may use it.

/** Fields of a database error that carry the values a query ran with, or a row's key values. */
const VALUE_FIELDS = new Set(["params", "parameters", "detail", "where", "internalQuery", "queryOptions"]);

/**
 * Drizzle's "params: …" line, the driver's `params`, and PostgreSQL's `detail` ("Key (token_hash)=(…) already
 * exists") are dropped, and a quoted value ending a message ('invalid input syntax for type integer: "…"') is
 * masked, through the whole `cause` chain. The SQL text, SQLSTATE, table, column, constraint and stack frames stay:
 * they say what failed without saying with which password hash, token or personal value.
 */
export function redactErrorForLog(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 5) return error;
  const message = error.message.replace(/\nparams: [\s\S]*$/, "").replace(/: "[^"]*"$/, ': "[redacted]"');
  const safe = new Error(message) as Error & Record<string, unknown>;
  safe.name = error.name;
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  safe.stack = [`${error.name}: ${message}`, ...frames].join("\n");
  for (const [key, value] of Object.entries(error)) {
    if (VALUE_FIELDS.has(key) || key === "cause" || key === "message" || key === "stack") continue;
    if (value === undefined || typeof value === "function") continue;
    if (value instanceof Error) safe[key] = redactErrorForLog(value, depth + 1);
    else safe[key] = typeof value === "object" && value !== null ? "[object]" : value;
  }
  if (error.cause !== undefined) safe.cause = redactErrorForLog(error.cause, depth + 1);
  return safe;
}
