// @ts-check
// Scheduling priority of the serving process's off-path threads: the shadow's scoring thread
// (serving/shadow-worker.mjs) and the inference log's writer (monitoring/inference-log-worker.mjs). Their work can wait
// a few milliseconds; production's requests, on the main thread, cannot. On a machine with fewer free cores than busy
// threads they otherwise take turns at equal weight, and a shadow's copy scored between two production requests shows
// in production's p99. On Linux niceness is per thread (a thread is a task with its own id), so a worker can lower its
// own priority without touching the event loop that answers requests; threads it creates afterwards (onnxruntime's
// pool, if any) inherit it. Stronger still, and the default: SCHED_IDLE (backgroundPolicy). Plain JavaScript: worker
// threads of `next start` have no TypeScript loader.
import { execFileSync } from "node:child_process";
import { readFileSync, readlinkSync, writeFileSync } from "node:fs";
import os from "node:os";

/** The off-path threads' names (see nameThisThread), which bench/serving-cpu.ts looks for. */
export const SHADOW_THREAD_NAME = "studio-shadow";
export const LOG_WRITER_THREAD_NAME = "studio-logwrite";

/**
 * Names the calling thread (its Linux "comm", at most 15 bytes) so that `top -H`, `ps -L` and bench/serving-cpu.ts
 * tell it from the process's other threads, which are all "node". Cosmetic: where it cannot (not Linux, no /proc),
 * nothing happens.
 * @param {string} name
 */
export function nameThisThread(name) {
  if (process.platform !== "linux") return;
  try {
    writeFileSync("/proc/thread-self/comm", name.slice(0, 15));
  } catch {
    // the name only helps people and benches read the thread's CPU; the thread works without it
  }
}

/** Niceness of the off-path threads by default: the lowest priority, which still runs whenever a core is idle. */
export const DEFAULT_BACKGROUND_NICE = 19;

/**
 * The niceness asked for: STUDIO_BACKGROUND_THREAD_NICE (0–19; 0 leaves the threads at the process's priority),
 * else DEFAULT_BACKGROUND_NICE. A value outside 0–19 is an operator's mistake, reported as such rather than clamped.
 * @returns {number}
 */
export function backgroundNiceness() {
  const raw = process.env.STUDIO_BACKGROUND_THREAD_NICE;
  if (raw === undefined || raw.trim() === "") return DEFAULT_BACKGROUND_NICE;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 19) {
    throw new Error(`STUDIO_BACKGROUND_THREAD_NICE must be an integer from 0 to 19, got '${raw}'`);
  }
  return value;
}

/** Scheduling policy of the off-path threads by default: SCHED_IDLE (see backgroundPolicy). */
export const DEFAULT_BACKGROUND_POLICY = "idle";
/** SCHED_IDLE's number in field 41 ("policy") of /proc/<pid>/task/<tid>/stat (linux/sched.h). */
export const SCHED_IDLE = 5;

/**
 * The scheduling policy asked for: STUDIO_BACKGROUND_THREAD_POLICY, `idle` (the default) or `normal`. `idle` puts the
 * thread in SCHED_IDLE, which Linux lets any thread do to itself without privileges: its weight is 3 against a nice-0
 * thread's 1024 (niceness 19: 15), a normal thread waking up preempts it at once rather than after its slice, and the
 * scheduler counts a core running only such threads as free when it places a waking normal thread. `normal` keeps the
 * niceness alone. Anything else is an operator's mistake, reported as such.
 * @returns {"idle" | "normal"}
 */
export function backgroundPolicy() {
  const raw = process.env.STUDIO_BACKGROUND_THREAD_POLICY;
  if (raw === undefined || raw.trim() === "") return DEFAULT_BACKGROUND_POLICY;
  const value = raw.trim();
  if (value !== "idle" && value !== "normal") throw new Error(`STUDIO_BACKGROUND_THREAD_POLICY must be 'idle' or 'normal', got '${raw}'`);
  return value;
}

/**
 * The scheduling policy number of thread `tid` of this process: field 41 of its stat (after the ")" of its name,
 * which may itself hold spaces and parentheses).
 * @param {number} tid
 */
function policyOf(tid) {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[41 - 3]);
}

/**
 * Puts thread `tid` (the caller's own) in SCHED_IDLE with util-linux's chrt (Node has no sched_setscheduler), and
 * reads the policy back from /proc. Returns why not, or null when it is in SCHED_IDLE.
 * @param {number} tid
 * @returns {string | null}
 */
function enterIdlePolicy(tid) {
  try {
    execFileSync("chrt", ["--idle", "-p", "0", String(tid)], { stdio: ["ignore", "ignore", "pipe"], timeout: 5_000 });
  } catch (error) {
    const stderr = /** @type {{ stderr?: Buffer }} */ (error).stderr?.toString().trim();
    return `SCHED_IDLE not set (chrt --idle -p 0 ${tid}: ${stderr || (error instanceof Error ? error.message : String(error))})`;
  }
  const policy = policyOf(tid);
  return policy === SCHED_IDLE ? null : `SCHED_IDLE not set (chrt succeeded but the thread's policy reads ${policy})`;
}

/**
 * Where the thread stands: its id, niceness and policy, and `reason` when something asked for could not be done (for
 * the caller to log once); all null when the thread keeps the process's priority.
 * @typedef {{ tid: number, nice: number, policy: "idle" | "normal", reason?: string }
 *   | { tid: null, nice: null, policy: null, reason: string }} ThreadPriority
 */

/**
 * Lowers the calling thread's priority: niceness backgroundNiceness() (never raised: an already lower priority stays),
 * then, with backgroundPolicy() `idle`, SCHED_IDLE. Niceness is kept under SCHED_IDLE and is the fallback when chrt is
 * missing or refused: the thread then runs at that niceness and the reason says so. Where nothing is possible (not
 * Linux, /proc not mounted, a bad setting) the thread keeps the process's priority and the reason is returned: a
 * shadow or a log at normal priority still works, as before this existed.
 * @returns {ThreadPriority}
 */
export function lowerThisThreadPriority() {
  let niceness;
  let policy;
  try {
    niceness = backgroundNiceness();
    policy = backgroundPolicy();
  } catch (error) {
    return { tid: null, nice: null, policy: null, reason: error instanceof Error ? error.message : String(error) };
  }
  if (niceness === 0 && policy === "normal") return { tid: null, nice: null, policy: null, reason: "STUDIO_BACKGROUND_THREAD_NICE=0 and STUDIO_BACKGROUND_THREAD_POLICY=normal" };
  if (process.platform !== "linux") return { tid: null, nice: null, policy: null, reason: `per-thread priority needs Linux (this is ${process.platform})` };
  let tid;
  try {
    // "<pid>/task/<tid>": this thread's own id, which setpriority(2) and sched_setscheduler(2) apply to this thread alone.
    tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid) || tid <= 0) return { tid: null, nice: null, policy: null, reason: "could not read this thread's id from /proc/thread-self" };
    if (os.getPriority(tid) < niceness) os.setPriority(tid, niceness);
  } catch (error) {
    return { tid: null, nice: null, policy: null, reason: error instanceof Error ? error.message : String(error) };
  }
  const nice = os.getPriority(tid);
  if (policy === "normal") return { tid, nice, policy };
  const refused = enterIdlePolicy(tid);
  return refused === null ? { tid, nice, policy: "idle" } : { tid, nice, policy: "normal", reason: `${refused}; niceness ${nice} alone` };
}
