// @ts-check
// A diagnostic trace of what happens around a serving process's stalls (issue 20: production's p99 grows by 100+ ms
// when a shadow runs, while the CPU the shadow adds is ~100 µs per request). Off unless STUDIO_STALL_TRACE names a
// file; then every thread that calls traceEvent appends JSON lines to it (one line per event, `t` in epoch
// milliseconds with sub-millisecond precision, comparable across threads and processes) and the serving thread also
// records:
// - its event loop's gaps: an interval timer (every STUDIO_STALL_TRACE_TICK_MS, default 5: a 1 ms timer cost this VM's
//   idle thread ~45 µs per tick, i.e. as much per millisecond as a shadow adds per request; at 5 ms ~5 µs/ms) whose
//   callbacks came more than STUDIO_STALL_TRACE_MS (default 20) apart,
//   split by the thread's own /proc schedstat into time on a CPU (JavaScript, GC), waiting on the run queue (the
//   thread was runnable but the cores were busy with other work) and neither (blocked: a lock, a page fault, I/O);
// - its garbage collections (PerformanceObserver 'gc': kind, duration).
// bench/serving-canary.ts reads the file and attributes each of production's slow answers to what overlapped it.
// Plain JavaScript: the worker threads (shadow-worker.mjs, inference-log-worker.mjs) import it as is.
import { appendFileSync, closeSync, openSync, readSync } from "node:fs";
import { PerformanceObserver, constants as perfConstants } from "node:perf_hooks";
import { threadId } from "node:worker_threads";

const file = process.env.STUDIO_STALL_TRACE ?? "";
/** Whether the trace is on in this process. */
export const stallTraceEnabled = file !== "";
/** @type {string[]} */
let pending = [];
/** @type {ReturnType<typeof setInterval> | null} */
let flusher = null;

/** Epoch milliseconds, sub-millisecond: the same clock in every thread and process of the machine. */
export function traceNow() {
  return performance.timeOrigin + performance.now();
}

function flush() {
  if (!pending.length) return;
  const lines = pending.join("");
  pending = [];
  try {
    appendFileSync(file, lines);
  } catch {
    // a diagnostic: losing some of it must not touch serving
  }
}

/**
 * Records one event of this thread (`src` says which part of the process; fields as given). Buffered, written at most
 * every 250 ms and when the process exits. Does nothing when the trace is off.
 * @param {string} src
 * @param {Record<string, unknown>} fields
 */
export function traceEvent(src, fields) {
  if (!stallTraceEnabled) return;
  pending.push(JSON.stringify({ src, pid: process.pid, thread: threadId, ...fields }) + "\n");
  if (!flusher) {
    flusher = setInterval(flush, 250);
    flusher.unref();
    process.once("exit", flush);
  }
}

/** Nanoseconds the calling thread spent on a CPU and waiting on a run queue (Linux /proc/thread-self/schedstat), or null. */
export function schedstatReader() {
  let fd;
  try {
    fd = openSync("/proc/thread-self/schedstat", "r");
  } catch {
    return null;
  }
  const buffer = Buffer.alloc(96);
  const handle = fd;
  return {
    read() {
      // procfs regenerates the file at offset 0: one pread per reading, no reopen.
      const n = readSync(handle, buffer, 0, buffer.length, 0);
      const [cpu, wait] = buffer.toString("latin1", 0, n).split(" ");
      return { cpuNs: Number(cpu), waitNs: Number(wait) };
    },
    close() {
      closeSync(handle);
    },
  };
}

const GC_KINDS = {
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};

/**
 * @typedef {{ t: number, gapMs: number, cpuMs: number | null, runqueueMs: number | null, blockedMs: number | null }} LoopGap
 */

/**
 * Calls `onGap` whenever two callbacks of an interval timer (every `tickMs`) on the calling thread are more than
 * `thresholdMs` apart, with how the gap divides into time on a CPU, on the run queue and blocked (schedstat). Returns a
 * stop function.
 * @param {number} thresholdMs
 * @param {(gap: LoopGap) => void} onGap
 * @param {number} [tickMs]
 */
export function monitorLoopGaps(thresholdMs, onGap, tickMs = Number(process.env.STUDIO_STALL_TRACE_TICK_MS) || 5) {
  const schedstat = schedstatReader();
  let last = performance.now();
  let lastSched = schedstat?.read() ?? null;
  const timer = setInterval(() => {
    const now = performance.now();
    const sched = schedstat?.read() ?? null;
    const gapMs = now - last;
    if (gapMs > thresholdMs) {
      const cpuMs = sched && lastSched ? (sched.cpuNs - lastSched.cpuNs) / 1e6 : null;
      const runqueueMs = sched && lastSched ? (sched.waitNs - lastSched.waitNs) / 1e6 : null;
      onGap({
        t: performance.timeOrigin + last,
        gapMs,
        cpuMs,
        runqueueMs,
        blockedMs: cpuMs === null || runqueueMs === null ? null : Math.max(0, gapMs - cpuMs - runqueueMs),
      });
    }
    last = now;
    lastSched = sched;
  }, tickMs);
  return () => {
    clearInterval(timer);
    schedstat?.close();
  };
}

/**
 * Starts the serving thread's part of the trace (event-loop gaps and GC); call once, on the thread that answers
 * requests. Returns a stop function. Does nothing when the trace is off.
 */
export function startEventLoopTrace() {
  if (!stallTraceEnabled) return () => undefined;
  const thresholdMs = Number(process.env.STUDIO_STALL_TRACE_MS) || 20;
  const stopGaps = monitorLoopGaps(thresholdMs, (gap) => traceEvent("loop", { ...gap }));
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = /** @type {{ kind?: number } | undefined} */ (/** @type {any} */ (entry).detail);
      traceEvent("gc", { t: performance.timeOrigin + entry.startTime, ms: entry.duration, kind: GC_KINDS[detail?.kind ?? -1] ?? String(detail?.kind) });
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  traceEvent("start", { t: traceNow(), thresholdMs, tickMs: Number(process.env.STUDIO_STALL_TRACE_TICK_MS) || 5 });
  return () => {
    stopGaps();
    observer.disconnect();
    flush();
  };
}
