// @ts-check
// Scheduling priority of the serving process's off-path threads: the shadow's scoring thread
// (serving/shadow-worker.mjs) and the inference log's writer (monitoring/inference-log-worker.mjs). Their work can wait
// a few milliseconds; production's requests, on the main thread, cannot. On a machine with fewer free cores than busy
// threads they otherwise take turns at equal weight, and a shadow's copy scored between two production requests shows
// in production's p99. On Linux niceness is per thread (a thread is a task with its own id), so a worker can lower its
// own priority without touching the event loop that answers requests; threads it creates afterwards (onnxruntime's
// pool, if any) inherit it. Plain JavaScript: worker threads of `next start` have no TypeScript loader.
import { readlinkSync, writeFileSync } from "node:fs";
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

/**
 * @typedef {{ tid: number, nice: number } | { tid: null, nice: null, reason: string }} ThreadPriority
 */

/**
 * Lowers the calling thread's priority to backgroundNiceness() (never raises it: an already lower priority stays).
 * Where that is not possible (not Linux, /proc not mounted, not permitted, a bad setting) the thread keeps the
 * process's priority and the reason is returned for the caller to log once: a shadow or a log at normal priority
 * still works, as before this existed.
 * @returns {ThreadPriority}
 */
export function lowerThisThreadPriority() {
  let niceness;
  try {
    niceness = backgroundNiceness();
  } catch (error) {
    return { tid: null, nice: null, reason: error instanceof Error ? error.message : String(error) };
  }
  if (niceness === 0) return { tid: null, nice: null, reason: "STUDIO_BACKGROUND_THREAD_NICE=0" };
  if (process.platform !== "linux") return { tid: null, nice: null, reason: `per-thread priority needs Linux (this is ${process.platform})` };
  try {
    // "<pid>/task/<tid>": this thread's own id, which setpriority(2) on Linux applies to this thread alone.
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid) || tid <= 0) return { tid: null, nice: null, reason: "could not read this thread's id from /proc/thread-self" };
    const current = os.getPriority(tid);
    if (current < niceness) os.setPriority(tid, niceness);
    return { tid, nice: os.getPriority(tid) };
  } catch (error) {
    return { tid: null, nice: null, reason: error instanceof Error ? error.message : String(error) };
  }
}
