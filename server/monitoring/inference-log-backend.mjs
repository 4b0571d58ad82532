// @ts-check
// The inference log writer's PostgreSQL backend at the lowest CPU priority (SCHED_IDLE), where that is allowed. The
// writer thread already runs in SCHED_IDLE (thread-priority.mjs), but its inserts run in a PostgreSQL server process,
// which keeps normal priority: with a shadow (two log rows per request) that backend took ~186 µs of CPU per request
// against the serving thread's ~400 (bench/README.md, "Lead's quiet run"), competing for the same two cores at the
// same weight. On the embedded PostgreSQL the studio started in its own data folder, that backend is ours to lower:
// `chrt --idle -p 0 <pid>` (util-linux; Linux only; needs the right to change the postgres user's process, i.e. root
// or the same user). Never for a database on another machine: the pid PostgreSQL reports means nothing here.
// STUDIO_LOG_BACKEND_POLICY:
//   auto            only when the backend is verifiably a process of the embedded cluster in this studio's data folder
//                   (its working directory is <data folder>/postgres, as every backend's is its cluster's);
//   idle            also a PostgreSQL server on this machine reached through DATABASE_URL (loopback host or socket;
//                   the pid must be a local `postgres` process): an operator's choice for a server they run alongside;
//   normal          never (the default). A quiet same-run A/B (bench/README.md, serving-canary, 2026-12-07 04:32) did
//                   not separate it from `idle` (median pair +26.8 ms idle vs +144.0 ms normal, pooled p99 +264.5 vs
//                   +182.2 ms), so a change to a database process's scheduling stays an operator's choice.
// What it costs: the log's rows are written only when a core has nothing else to run, so on a saturated machine the
// log's queue fills and sheds entries (counted, as for any writer that falls behind) instead of taking CPU from
// serving. Locks the backend holds while waiting for a core are the log's own (the inference_log table's pages);
// serving never waits on them (it reads nothing from that table per request).
// Plain JavaScript: the writer thread (inference-log-worker.mjs) imports it as is.
import { execFileSync } from "node:child_process";
import { readFileSync, readlinkSync, realpathSync } from "node:fs";

/** SCHED_IDLE's number in field 41 of /proc/<pid>/stat (linux/sched.h). */
const SCHED_IDLE = 5;

/**
 * The policy asked for (STUDIO_LOG_BACKEND_POLICY); anything else is an operator's mistake, reported as such.
 * @returns {"auto" | "idle" | "normal"}
 */
export function logBackendPolicy() {
  const raw = (process.env.STUDIO_LOG_BACKEND_POLICY ?? "").trim();
  if (raw === "") return "normal";
  if (raw === "auto" || raw === "idle" || raw === "normal") return raw;
  throw new Error(`STUDIO_LOG_BACKEND_POLICY must be 'auto', 'idle' or 'normal', got '${raw}'`);
}

/**
 * Where the shadow's log rows go and at what priority (STUDIO_SHADOW_LOG_BACKEND_POLICY). `same`: with production's rows,
 * on the log's one connection, at its policy (the default). `auto`, `idle` or `normal`: on a connection of their own,
 * whose backend follows that policy as above, so that the shadow's inserts alone yield the CPU (`idle` on a local
 * server: a shadow's rows double the log's inserts, bench/README.md "serving-canary") while production's rows keep
 * theirs; production's rows never wait behind the shadow's there, and the shadow's are acknowledged (or shed, against
 * the routed entries' own bound) on their own.
 * @returns {"same" | "auto" | "idle" | "normal"}
 */
export function shadowLogBackendPolicy() {
  const raw = (process.env.STUDIO_SHADOW_LOG_BACKEND_POLICY ?? "").trim();
  if (raw === "") return "same";
  if (raw === "same" || raw === "auto" || raw === "idle" || raw === "normal") return raw;
  throw new Error(`STUDIO_SHADOW_LOG_BACKEND_POLICY must be 'same', 'auto', 'idle' or 'normal', got '${raw}'`);
}

/**
 * Whether a connection's host is this machine: a loopback address, `localhost`, or a Unix socket directory.
 * @param {string | undefined} host
 */
export function isLocalHost(host) {
  if (!host) return true; // node-postgres's default: a Unix socket (or localhost)
  if (host.startsWith("/")) return true;
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/**
 * The host a node-postgres config connects to (its `host`, else the connection string's).
 * @param {Record<string, unknown>} config
 * @returns {string | undefined}
 */
export function hostOf(config) {
  if (typeof config.host === "string" && config.host) return config.host;
  if (typeof config.connectionString === "string") {
    // libpq's `?host=/socket/dir` form, which WHATWG URLs cannot parse when the authority is empty.
    const param = /[?&]host=([^&]+)/.exec(config.connectionString);
    if (param) return decodeURIComponent(param[1] ?? "");
    try {
      const url = new URL(config.connectionString);
      return url.searchParams.get("host") ?? (decodeURIComponent(url.hostname) || undefined);
    } catch {
      return "(unparsable connection string)";
    }
  }
  return undefined;
}

/**
 * What the backend `pid` is on this machine: its command name and working directory (null when it cannot be read).
 * @param {number} pid
 */
function localProcess(pid) {
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    let cwd = null;
    try {
      cwd = realpathSync(readlinkSync(`/proc/${pid}/cwd`));
    } catch {
      // not ours to read (another user without privileges): the embedded check fails, `idle` may still apply
    }
    return { comm, cwd };
  } catch {
    return null;
  }
}

/**
 * Whether (and why not) to put backend `pid` in SCHED_IDLE. `reason` is for a log line when the lever was asked for
 * and is not allowed; it is null when nothing needs saying (policy `normal`, or `auto` on a database that is not the
 * embedded one).
 * @param {{ policy: "auto" | "idle" | "normal", host: string | undefined, pid: number, embeddedCluster: string | null,
 *   platform?: string, processOf?: (pid: number) => { comm: string, cwd: string | null } | null }} input
 * @returns {{ lower: boolean, reason: string | null }}
 */
export function backendDecision(input) {
  const { policy, host, pid } = input;
  if (policy === "normal") return { lower: false, reason: null };
  if ((input.platform ?? process.platform) !== "linux") return { lower: false, reason: policy === "idle" ? `a backend's priority can be set on Linux only (this is ${input.platform ?? process.platform})` : null };
  if (!isLocalHost(host)) return { lower: false, reason: policy === "idle" ? `the database is not on this machine (host ${host}): its backend's pid means nothing here` : null };
  const found = (input.processOf ?? localProcess)(pid);
  if (!found || found.comm !== "postgres") {
    return { lower: false, reason: policy === "idle" ? `backend pid ${pid} is not a PostgreSQL process on this machine (another container or PID namespace?)` : null };
  }
  if (policy === "auto") {
    let cluster = null;
    try {
      cluster = input.embeddedCluster ? realpathSync(input.embeddedCluster) : null;
    } catch {
      cluster = null;
    }
    if (!cluster || found.cwd !== cluster) return { lower: false, reason: null };
  }
  return { lower: true, reason: null };
}

/**
 * Puts backend `pid` in SCHED_IDLE with chrt and reads the policy back. Returns null when it is, else why not.
 * @param {number} pid
 * @returns {string | null}
 */
export function enterIdle(pid) {
  try {
    execFileSync("chrt", ["--idle", "-p", "0", String(pid)], { stdio: ["ignore", "ignore", "pipe"], timeout: 5_000 });
  } catch (error) {
    const stderr = /** @type {{ stderr?: Buffer }} */ (error).stderr?.toString().trim();
    return `chrt --idle -p 0 ${pid} failed: ${stderr || (error instanceof Error ? error.message : String(error))}`;
  }
  const policy = backendSchedPolicy(pid);
  return policy === SCHED_IDLE ? null : `chrt succeeded but backend ${pid}'s policy reads ${policy}`;
}

/**
 * The scheduling policy of process `pid` (field 41 of its stat), or null when it cannot be read.
 * @param {number} pid
 * @returns {number | null}
 */
export function backendSchedPolicy(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[41 - 3]);
  } catch {
    return null;
  }
}
