// @ts-check
// The inference log's writer thread (node:worker_threads), started by inference-log.ts. Serving hands it compact
// batches (numbers in a transferred Float64Array, request ids beside them); here they become the rows of
// `inference_log` and are written in batches (COPY … FROM STDIN) on this thread's own PostgreSQL connection, so neither
// serialising nor the database round trips run on the event loop that answers requests. For a database only the main
// thread can reach (the in-process PGlite), the rows are serialised as JSON and go back to the main thread, which
// inserts them. Every answer about a batch carries back its count and its canary/shadow count (`routed`), which the main
// thread bounds on their own.
// Plain JavaScript on purpose: `next start` runs it as is (no TypeScript loader in a worker of the production server).
import { existsSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parentPort } from "node:worker_threads";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { LOG_WRITER_THREAD_NAME, lowerThisThreadPriority, nameThisThread } from "../thread-priority.mjs";
import { schedstatReader, stallTraceEnabled, traceEvent, traceNow } from "../serving/stall-trace.mjs";
import { backendDecision, enterIdle, hostOf, isLocalHost, logBackendPolicy, shadowLogBackendPolicy } from "./inference-log-backend.mjs";

if (!parentPort) throw new Error("inference-log-worker.mjs runs as a worker thread of inference-log.ts");
const port = parentPort;
// Writing the log can wait (entries queue, bounded); answering requests on the serving thread cannot.
nameThisThread(LOG_WRITER_THREAD_NAME);
port.postMessage({ type: "priority", ...lowerThisThreadPriority() });

/**
 * Entries per statement. PostgreSQL: rows per COPY, which costs the backend less per row than the jsonb_to_recordset
 * INSERT it replaced (no document of all the rows to parse first; bench/inference-log-insert-cpu.ts, 256 rows of 30
 * features per statement: 30 against 38 µs of backend CPU per row) and, unlike that INSERT, no more per row as the
 * statement grows: a batch (256 entries at most, POST_AT_ENTRIES in inference-log.ts) is one COPY. The main thread's PGlite:
 * one JSON parameter per INSERT (jsonb_to_recordset of 500 rows cost 70-95 µs per row, of 100 rows 30-45).
 */
const INSERT_CHUNK = { postgres: 500, main: 100 };
const PRUNE_EVERY_MS = 10 * 60_000;
/** Slots before an entry's inputs in the numbers array (see encodeCompact in inference-log.ts). */
const HEADER = 8;
const PROTOCOLS = ["mlflow", "v2"];
/** The header's protocol slot holds protocol code + 2 × route code; production rows leave the route to the column default. */
const ROUTE_FIELDS = ["", ',"route":"canary"', ',"route":"shadow"'];
/** The shadow's route code in the header's protocol slot (ROUTE_FIELDS' index). */
const SHADOW_ROUTE_CODE = 2;

/**
 * layout id → its feature keys, already JSON-quoted with the colon ('"x0":'): `json` as they stand in a JSON row,
 * `copy` escaped for COPY's text format.
 * @type {Map<number, { json: string[], copy: string[] }>}
 */
const layouts = new Map();
/**
 * A PostgreSQL database written on this thread's own connections: `pool` for production's and the canary's rows,
 * `shadowPool` for the shadow's (when they are written apart: see shadowLogBackendPolicy).
 * @typedef {{ kind: "postgres", config: Record<string, unknown>, embeddedCluster: string | null, pool: pg.Pool | null,
 *   shadowPool: pg.Pool | null }} PostgresTarget
 * @typedef {"log" | "shadow"} Connection
 */
/** @type {Map<number, PostgresTarget | { kind: "main" }>} */
const targets = new Map();
/** @type {Map<string, number>} "<target>:<model>" → when its expired entries were last deleted */
const lastPrune = new Map();
/** Test hook: while set, writing waits (a log that falls behind, without touching the database). */
/** @type {Promise<void> | null} */
let held = null;
/** @type {(() => void) | null} */
let release = null;
/** Messages are handled strictly in order: a flush answers only after every batch sent before it is written. */
let chain = Promise.resolve();
/**
 * The shadow's rows, written apart on their own connection (its backend in SCHED_IDLE where allowed), one batch after
 * the other, after production's rows of the same batch: production's rows never wait for them (only a flush does).
 */
let shadowChain = Promise.resolve();
/** Test hook: ends a "hold-shadow". */
/** @type {(() => void) | null} */
let releaseShadow = null;

/** @param {number} value */
function jsonNumber(value) {
  // NaN stands for null (non-finite values are logged as null, as JSON has no NaN); String() of a finite number is
  // exactly JSON.stringify's spelling.
  return value === value ? String(value) : "null";
}

/**
 * A logged request sent as an object (text features or labels, or missing inputs): the fields of
 * InferenceLogEntry (inference-log.ts) that become a row.
 * @typedef {{ modelId: number, versionId: number, requestId: string, at: number, latencyMs: number,
 *   inputs: Record<string, (number | string | null)[]>, predictions: (number | string)[], protocol: "mlflow" | "v2",
 *   route?: "production" | "canary" | "shadow" }} LoggedEntry
 */
/** @typedef {{ chunks: string[], modelIds: number[], count: number }} Rows */
/**
 * "json": each chunk a JSON array of row objects, for jsonb_to_recordset (the main thread's PGlite). "copy": each
 * chunk the text of a COPY FROM STDIN (text format, COPY_COLUMNS), for PostgreSQL.
 * @typedef {"json" | "copy"} RowFormat
 */

/** The columns of a COPY line, in order. */
const COPY_COLUMNS = "model_id, version_id, request_id, at, latency_ms, row_count, inputs, predictions, protocol, route";
const ROUTES = ["production", "canary", "shadow"];

/** @type {Record<string, string>} */
const COPY_ESCAPES = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/**
 * Text as COPY's text format reads it back unchanged: its backslash, tab, newline and carriage return escaped (the only
 * characters that format gives a meaning). JSON text has no raw control characters, so only its backslashes change.
 * @param {string} text
 */
function copyText(text) {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : text;
}

/**
 * A number column as COPY reads it: what the JSON row gives the column (a finite number's JSON spelling; NaN and the
 * infinities are JSON's null, here COPY's \N).
 * @param {number} value
 */
function copyNumber(value) {
  return Number.isFinite(value) ? String(value) : "\\N";
}

/**
 * One COPY line: the row the JSON form gives, column for column (COPY_COLUMNS); the route written out, as the JSON
 * form's coalesce(route, 'production') does.
 * @param {number} modelId @param {number} versionId @param {string} requestId @param {number} at @param {number} latencyMs
 * @param {number} rowCount @param {string} inputs JSON, escaped for COPY @param {string} predictions JSON, escaped for COPY
 * @param {string} protocol @param {string} route
 */
function copyLine(modelId, versionId, requestId, at, latencyMs, rowCount, inputs, predictions, protocol, route) {
  return `${copyNumber(modelId)}\t${copyNumber(versionId)}\t${copyText(requestId)}\t${copyNumber(at)}\t${copyNumber(latencyMs)}\t${rowCount}\t${inputs}\t${predictions}\t${copyText(protocol)}\t${copyText(route)}\n`;
}

/**
 * The rows of one batch: as JSON, exactly as inference-log.ts wrote them before this thread existed, or as COPY lines
 * of the same values; with `splitShadow`, the shadow's rows apart (`shadow`), to be written on the shadow's own
 * connection.
 * @param {{ numbers: Float64Array, used: number, requestIds: string[], objects: LoggedEntry[] }} batch
 * @param {number} chunkSize
 * @param {boolean} splitShadow
 * @param {RowFormat} format
 * @returns {{ rows: Rows, shadow: Rows }}
 */
function serialise(batch, chunkSize, splitShadow, format) {
  const { numbers, used, requestIds, objects } = batch;
  const copy = format === "copy";
  /** @type {string[]} */
  const rows = [];
  const modelIds = new Set();
  /** @type {string[]} */
  const shadowRows = [];
  const shadowModelIds = new Set();
  let entry = 0;
  for (let at = 0; at < used; entry++) {
    const layout = layouts.get(numbers[at]);
    if (!layout) throw new Error(`inference log: unknown layout ${numbers[at]}`);
    const keys = copy ? layout.copy : layout.json;
    const modelId = numbers[at + 1];
    const sampled = numbers[at + 6];
    const predictionCount = numbers[at + 7];
    let inputs = "{";
    let cell = at + HEADER;
    for (let k = 0; k < keys.length; k++) {
      inputs += (k ? "," : "") + keys[k] + "[";
      for (let r = 0; r < sampled; r++) inputs += (r ? "," : "") + jsonNumber(numbers[cell++]);
      inputs += "]";
    }
    inputs += "}";
    let predictions = "[";
    for (let p = 0; p < predictionCount; p++) predictions += (p ? "," : "") + jsonNumber(numbers[cell++]);
    predictions += "]";
    const route = Math.floor(numbers[at + 5] / 2);
    const shadow = splitShadow && route === SHADOW_ROUTE_CODE;
    (shadow ? shadowRows : rows).push(
      copy
        ? copyLine(modelId, numbers[at + 2], requestIds[entry], numbers[at + 3], numbers[at + 4], predictionCount, inputs, predictions, PROTOCOLS[numbers[at + 5] % 2], ROUTES[route])
        : `{"model_id":${modelId},"version_id":${numbers[at + 2]},"request_id":${JSON.stringify(requestIds[entry])},"at":${numbers[at + 3]},` +
        `"latency_ms":${jsonNumber(numbers[at + 4])},"row_count":${predictionCount},"inputs":${inputs},"predictions":${predictions},"protocol":"${PROTOCOLS[numbers[at + 5] % 2]}"${ROUTE_FIELDS[route]}}`,
    );
    (shadow ? shadowModelIds : modelIds).add(modelId);
    at = cell;
  }
  for (const e of objects) {
    const shadow = splitShadow && e.route === "shadow";
    (shadow ? shadowRows : rows).push(
      copy
        ? copyLine(e.modelId, e.versionId, e.requestId, e.at, e.latencyMs, e.predictions.length, copyText(JSON.stringify(e.inputs)), copyText(JSON.stringify(e.predictions)), e.protocol, e.route ?? "production")
        : JSON.stringify({
        model_id: e.modelId,
        version_id: e.versionId,
        request_id: e.requestId,
        at: e.at,
        latency_ms: e.latencyMs,
        row_count: e.predictions.length,
        inputs: e.inputs,
        predictions: e.predictions,
        protocol: e.protocol,
        route: e.route ?? "production",
      }),
    );
    (shadow ? shadowModelIds : modelIds).add(e.modelId);
  }
  return { rows: chunked(rows, modelIds, chunkSize, format), shadow: chunked(shadowRows, shadowModelIds, chunkSize, format) };
}

/** @param {string[]} rows @param {Set<number>} modelIds @param {number} chunkSize @param {RowFormat} format @returns {Rows} */
function chunked(rows, modelIds, chunkSize, format) {
  /** @type {string[]} */
  const chunks = [];
  for (let start = 0; start < rows.length; start += chunkSize) {
    const part = rows.slice(start, start + chunkSize);
    chunks.push(format === "copy" ? part.join("") : `[${part.join(",")}]`);
  }
  return { chunks, modelIds: [...modelIds], count: rows.length };
}

const COPY = `copy inference_log (${COPY_COLUMNS}) from stdin`;

/**
 * One COPY … FROM STDIN of `text` (COPY lines) on a connection of the pool, through pg-copy-streams: it resolves once
 * the server has acknowledged the COPY, and rejects on a refused row or a lost connection. A connection that failed is
 * given back with the error, so the pool drops it rather than reuse a connection left in an unknown state.
 * @param {pg.Pool} pool @param {string} text COPY lines
 */
async function copyRows(pool, text) {
  const client = await pool.connect();
  /** @type {Error | undefined} */
  let failure;
  try {
    await pipeline(Readable.from([Buffer.from(text)]), client.query(copyFrom(COPY)));
  } catch (error) {
    failure = /** @type {Error} */ (error);
    throw error;
  } finally {
    client.release(failure);
  }
}

// The model's retention as it is now in the database (the settings page writes it there).
const PRUNE = `delete from inference_log where model_id = $1
  and at < $2::bigint - coalesce((select retention_days from model_monitoring where model_id = $1), 30)::bigint * 86400000`;

/**
 * Whether a failed write means the database cannot be reached (restarting, down): kept and retried, not lost. The same
 * list as db/availability.ts (this file is plain JavaScript and cannot import it).
 * @param {unknown} error
 */
function isUnavailable(error) {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const { code, message } = /** @type {{ code?: unknown, message?: unknown, cause?: unknown }} */ (current);
    if (typeof code === "string" && (/^(08...|57P0[123]|53300)$/.test(code) || /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/.test(code))) return true;
    if (typeof message === "string" && /connection terminated|not queryable|timeout exceeded when trying to connect|database system is (starting up|shutting down|in recovery)/i.test(message)) return true;
    current = /** @type {{ cause?: unknown }} */ (current).cause;
  }
  return false;
}

/** Retries after an outage start at this delay and double up to the maximum. */
const RETRY_FIRST_MS = 200;
const RETRY_MAX_MS = 2_000;
/** True while a write waits for the database to come back (flushes then answer at once: see "flush"). */
let waitingForDatabase = false;

/**
 * Runs one insert until it is written: while the database is unreachable the batch waits here (and the ones after it
 * in `chain`), the main thread's queue fills up to its bound and sheds (counted) beyond it, and once the database is
 * back the backlog is written in order. Other errors fail the batch as before.
 * @param {() => Promise<unknown>} write
 */
async function untilWritten(write) {
  for (let delay = RETRY_FIRST_MS; ; delay = Math.min(delay * 2, RETRY_MAX_MS)) {
    try {
      await write();
      if (waitingForDatabase) port.postMessage({ type: "error", message: "the database is back: writing the inference log's backlog" });
      waitingForDatabase = false;
      return;
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      if (!waitingForDatabase) port.postMessage({ type: "error", message: "the database is unreachable: the inference log keeps its entries (bounded) and retries" });
      waitingForDatabase = true;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Connections whose backend was looked at (inference-log-backend.mjs): once each. */
const lookedAt = new WeakSet();

/**
 * The pool's connection's backend to SCHED_IDLE where inference-log-backend.mjs allows it, once per connection (the
 * pool holds one; it is replaced after an idle second); the main thread hears where it stands, and why not (to log
 * once). Only when the policy may lower something: with `normal` no connection is checked out for it. The shadow's
 * connection follows STUDIO_SHADOW_LOG_BACKEND_POLICY, production's STUDIO_LOG_BACKEND_POLICY.
 * @param {pg.Pool} pool
 * @param {PostgresTarget} target
 * @param {Connection} connection
 */
async function lowerBackend(pool, target, connection) {
  /** @type {"auto" | "idle" | "normal"} */
  let policy;
  try {
    const asked = connection === "shadow" ? shadowLogBackendPolicy() : logBackendPolicy();
    policy = asked === "same" ? logBackendPolicy() : asked;
  } catch (error) {
    policy = "normal";
    if (!lookedAt.has(pool)) port.postMessage({ type: "backend", connection, pid: null, policy: "normal", reason: error instanceof Error ? error.message : String(error) });
    lookedAt.add(pool);
  }
  // Nothing to look at (no connection checked out for it): a server on another machine, or, by default, a database
  // that cannot be the embedded cluster of this data folder.
  if (policy === "normal" || (policy === "auto" && (!isLocalHost(hostOf(target.config)) || !target.embeddedCluster || !existsSync(target.embeddedCluster)))) return;
  const client = await pool.connect();
  try {
    if (lookedAt.has(client)) return;
    lookedAt.add(client);
    let pid;
    try {
      pid = Number((await client.query("select pg_backend_pid() as pid")).rows[0]?.pid);
    } catch (error) {
      if (isUnavailable(error)) throw error; // retried with the batch's inserts
      port.postMessage({ type: "backend", connection, pid: null, policy: "normal", reason: `could not read the backend's pid: ${error instanceof Error ? error.message : String(error)}` });
      return; // the log is written at normal priority, as before
    }
    const decision = backendDecision({ policy, host: hostOf(target.config), pid, embeddedCluster: target.embeddedCluster });
    const refused = decision.lower ? enterIdle(pid) : decision.reason;
    const lowered = decision.lower && refused === null ? "idle" : "normal";
    port.postMessage({ type: "backend", connection, pid, policy: lowered, reason: refused });
    traceEvent("logwrite-backend", { t: traceNow(), backendPid: pid, policy: lowered, connection });
  } finally {
    client.release();
  }
}

/** @param {PostgresTarget} target @param {Connection} connection */
function poolOf(target, connection) {
  if (connection === "shadow") {
    // The shadow's rows on a connection of their own, so that its backend alone can yield the CPU.
    if (!target.shadowPool) {
      const pool = new pg.Pool({ ...target.config, max: 1, idleTimeoutMillis: 1_000, connectionTimeoutMillis: 5_000, application_name: "studio inference log (shadow)", options: "-c synchronous_commit=off" });
      pool.on("error", () => undefined);
      target.shadowPool = pool;
    }
    return target.shadowPool;
  }
  if (!target.pool) {
    // One connection is enough for batched inserts; it closes when idle so a test's throwaway database can be dropped.
    // synchronous_commit off: a commit returns before its WAL reaches the disk (the log's rows are durable once
    // PostgreSQL writes them, within a fraction of a second, and never half-written); only a crash of the database
    // server itself could lose the last moments of log, which no request waits for anyway.
    const pool = new pg.Pool({ ...target.config, max: 1, idleTimeoutMillis: 1_000, connectionTimeoutMillis: 5_000, application_name: "studio inference log", options: "-c synchronous_commit=off" });
    pool.on("error", () => undefined); // an idle connection killed by the server: the next query reconnects
    target.pool = pool;
  }
  return target.pool;
}

/**
 * @param {number} targetId
 * @param {PostgresTarget} target
 * @param {Rows} rows
 * @param {Connection} connection
 */
async function writePostgres(targetId, target, rows, connection) {
  const pool = poolOf(target, connection);
  await untilWritten(() => lowerBackend(pool, target, connection));
  if (stallTraceEnabled) await tracedInserts(pool, rows, connection);
  else for (const chunk of rows.chunks) await untilWritten(() => copyRows(pool, chunk));
  const now = Date.now();
  for (const modelId of rows.modelIds) {
    const key = `${targetId}:${modelId}`; // one prune per model, whichever connection wrote its rows
    if (now - (lastPrune.get(key) ?? 0) < PRUNE_EVERY_MS) continue;
    lastPrune.set(key, now);
    await pool.query(PRUNE, [modelId, now]).catch((error) => {
      // Pruning is redone ten minutes later; a database that went away again must not fail the written batch.
      if (!isUnavailable(error)) throw error;
      lastPrune.delete(key);
    });
  }
}

/** This thread's schedstat, for the stall trace (STUDIO_STALL_TRACE): how long an insert waited for a CPU here. */
const schedstat = stallTraceEnabled ? schedstatReader() : null;

/**
 * The inserts of one batch with a stall-trace line each (start, wall time, rows, this thread's CPU and run-queue wait
 * meanwhile). Each connection's backend pid and policy are traced by lowerBackend.
 * @param {pg.Pool} pool
 * @param {{ chunks: string[], count: number }} rows
 * @param {Connection} connection
 */
async function tracedInserts(pool, rows, connection) {
  for (let i = 0; i < rows.chunks.length; i++) {
    const chunk = rows.chunks[i];
    const t = traceNow();
    const before = schedstat?.read() ?? null;
    await untilWritten(() => copyRows(pool, chunk));
    const after = schedstat?.read() ?? null;
    traceEvent("insert", {
      t,
      ms: traceNow() - t,
      rows: Math.min(INSERT_CHUNK.postgres, rows.count - i * INSERT_CHUNK.postgres),
      cpuMs: before && after ? (after.cpuNs - before.cpuNs) / 1e6 : null,
      runqueueMs: before && after ? (after.waitNs - before.waitNs) / 1e6 : null,
      connection,
    });
  }
}

/** Whether the shadow's rows are written apart, on their own connection (STUDIO_SHADOW_LOG_BACKEND_POLICY not `same`). */
function shadowApart() {
  try {
    return shadowLogBackendPolicy() !== "same";
  } catch {
    return true; // a bad setting: written apart at normal priority, and lowerBackend says why once
  }
}

/**
 * Queues the shadow's rows of a batch on their own chain and connection; the main thread hears of them on their own
 * ("written" or "failed", every one of them a routed entry).
 * @param {number} targetId @param {PostgresTarget} target @param {Rows} rows
 */
function writeShadow(targetId, target, rows) {
  shadowChain = shadowChain.then(async () => {
    try {
      await writePostgres(targetId, target, rows, "shadow");
      port.postMessage({ type: "written", target: targetId, count: rows.count, routed: rows.count, modelIds: rows.modelIds });
    } catch (error) {
      port.postMessage({ type: "failed", target: targetId, count: rows.count, routed: rows.count, message: error instanceof Error ? error.message : String(error) });
    }
  });
}

/** @param {any} message */
async function handle(message) {
  switch (message.type) {
    case "target":
      targets.set(message.id, message.kind === "postgres" ? { kind: "postgres", config: message.config, embeddedCluster: message.embeddedCluster ?? null, pool: null, shadowPool: null } : { kind: "main" });
      return;
    case "layout":
      layouts.set(message.id, {
        json: message.keys.map((/** @type {string} */ key) => `${JSON.stringify(key)}:`),
        copy: message.keys.map((/** @type {string} */ key) => copyText(`${JSON.stringify(key)}:`)),
      });
      return;
    case "batch": {
      if (held) await held;
      const target = targets.get(message.target);
      // What the main thread still counts as in this thread for the batch: less what the shadow's chain took over.
      let count = message.count;
      let routed = message.routed ?? 0;
      try {
        if (!target) throw new Error(`unknown target ${message.target}`);
        const { rows, shadow } = serialise(message, INSERT_CHUNK[target.kind], target.kind === "postgres" && shadowApart(), target.kind === "postgres" ? "copy" : "json");
        if (target.kind === "main") {
          // The main thread owns this database: it inserts the rows and acknowledges them itself.
          port.postMessage({ type: "rows", target: message.target, chunks: rows.chunks, modelIds: rows.modelIds, count: rows.count, routed });
          return;
        }
        if (shadow.count) {
          writeShadow(message.target, target, shadow);
          count -= shadow.count;
          routed -= shadow.count;
        }
        if (rows.count) await writePostgres(message.target, target, rows, "log");
        if (count) port.postMessage({ type: "written", target: message.target, count, routed, modelIds: rows.modelIds });
      } catch (error) {
        port.postMessage({ type: "failed", target: message.target, count, routed, message: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    case "flush":
      // Called once everything sent before the flush is written, the shadow's rows included (see the listener).
      port.postMessage({ type: "flushed", id: message.id });
      if (message.signal) {
        // The main thread is exiting and waits on this word (Atomics.wait): everything before the flush is written.
        Atomics.store(message.signal, 0, 1);
        Atomics.notify(message.signal, 0);
      }
      return;
    case "hold":
      held ??= new Promise((resolve) => (release = resolve));
      return;
    case "release":
      release?.();
      held = null;
      release = null;
      return;
    case "close":
      await shadowChain;
      for (const target of targets.values()) {
        if (target.kind !== "postgres") continue;
        for (const pool of [target.pool, target.shadowPool]) if (pool) await pool.end().catch(() => undefined);
      }
      targets.clear();
      port.postMessage({ type: "closed" });
      port.close();
      return;
  }
}

port.on("message", (message) => {
  // A "release" must overtake the batches waiting on the hold, so it is not queued behind them.
  if (message.type === "release") void handle(message);
  else if (message.type === "hold-shadow") {
    // Test hook: the shadow's chain waits (as behind a backend that gets no core) until "release-shadow".
    shadowChain = shadowChain.then(() => new Promise((resolve) => (releaseShadow = () => resolve(undefined))));
  } else if (message.type === "release-shadow") {
    releaseShadow?.();
    releaseShadow = null;
  }
  else if (message.type === "flush") {
    // Answered once the batches before it are written, their shadow rows too, without holding the batches after it
    // behind the shadow's chain (whose backend may be waiting for an idle core): production's rows never wait for it.
    chain = chain.then(() => {
      const shadowUpTo = shadowChain;
      void shadowUpTo.then(() => handle(message)).catch((error) => port.postMessage({ type: "error", message: String(error) }));
    });
  } else chain = chain.then(() => handle(message)).catch((error) => port.postMessage({ type: "error", message: String(error) }));
});
