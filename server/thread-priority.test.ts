// thread-priority.mjs in a worker thread, as the shadow's scoring thread and the log's writer call it: the thread's own
// niceness and scheduling policy as the kernel reports them, the settings that turn each off, the fallback to niceness
// alone when chrt is missing, and a bad setting that leaves the thread at the process's priority with a reason to log
// (never a thread that fails to start).
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { currentThreadId, SCHED_IDLE, SCHED_OTHER, threadNiceness, threadPolicy } from "./testing/thread-niceness";

const moduleUrl = pathToFileURL(path.join(import.meta.dirname, "thread-priority.mjs")).href;

type Answer = { tid: number; nice: number; policy: "idle" | "normal"; reason?: string; kernelNice: number; kernelPolicy: number } | { tid: null; nice: null; policy: null; reason: string };

/**
 * Runs lowerThisThreadPriority() in a fresh worker whose environment has `settings` (undefined: unset) for
 * STUDIO_BACKGROUND_THREAD_NICE / _POLICY (and PATH); the test reads the thread's /proc entry while it waits.
 */
function inWorker(settings: { nice?: string; policy?: string; path?: string } = {}): Promise<Answer> {
  const env = { ...process.env };
  delete env.STUDIO_BACKGROUND_THREAD_NICE;
  delete env.STUDIO_BACKGROUND_THREAD_POLICY;
  if (settings.nice !== undefined) env.STUDIO_BACKGROUND_THREAD_NICE = settings.nice;
  if (settings.policy !== undefined) env.STUDIO_BACKGROUND_THREAD_POLICY = settings.policy;
  if (settings.path !== undefined) env.PATH = settings.path;
  const code = `
    const { parentPort } = require("node:worker_threads");
    import(${JSON.stringify(moduleUrl)}).then(({ lowerThisThreadPriority }) => {
      const result = lowerThisThreadPriority();
      parentPort.postMessage(result);
      // Stay alive until the test read this thread's /proc entry.
      parentPort.once("message", () => parentPort.close());
    });`;
  const worker = new Worker(code, { eval: true, env });
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (result: Answer) => {
      const answer = result.tid === null ? result : { ...result, kernelNice: threadNiceness(result.tid), kernelPolicy: threadPolicy(result.tid) };
      worker.postMessage("done");
      worker.once("exit", () => resolve(answer));
    });
  });
}

describe.skipIf(process.platform !== "linux")("an off-path thread's priority (Linux only: per-thread niceness and policy, read from /proc)", () => {
  it("puts the calling thread alone in SCHED_IDLE at niceness 19 by default", async () => {
    const answer = await inWorker();
    expect(answer).toEqual({ tid: expect.any(Number), nice: 19, policy: "idle", kernelNice: 19, kernelPolicy: SCHED_IDLE });
    expect(answer.tid).not.toBe(currentThreadId());
    expect(threadNiceness(currentThreadId())).toBe(os.getPriority());
    expect(threadPolicy(currentThreadId())).toBe(SCHED_OTHER);
  });

  it("takes the niceness STUDIO_BACKGROUND_THREAD_NICE names, and leaves the niceness alone at 0", async () => {
    expect(await inWorker({ nice: "7" })).toMatchObject({ nice: 7, kernelNice: 7, policy: "idle", kernelPolicy: SCHED_IDLE });
    expect(await inWorker({ nice: "0" })).toMatchObject({ nice: os.getPriority(), kernelNice: os.getPriority(), policy: "idle", kernelPolicy: SCHED_IDLE });
  });

  it("keeps the niceness alone with STUDIO_BACKGROUND_THREAD_POLICY=normal, and the process's priority with both off", async () => {
    const answer = await inWorker({ policy: "normal" });
    expect(answer).toEqual({ tid: expect.any(Number), nice: 19, policy: "normal", kernelNice: 19, kernelPolicy: SCHED_OTHER });
    expect(await inWorker({ nice: "0", policy: "normal" })).toEqual({ tid: null, nice: null, policy: null, reason: "STUDIO_BACKGROUND_THREAD_NICE=0 and STUDIO_BACKGROUND_THREAD_POLICY=normal" });
  });

  it("falls back to niceness 19 alone, saying why, when chrt cannot be run", async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "no-chrt-"));
    const answer = await inWorker({ path: empty });
    expect(answer).toMatchObject({ nice: 19, kernelNice: 19, policy: "normal", kernelPolicy: SCHED_OTHER });
    expect(answer.reason).toMatch(/^SCHED_IDLE not set \(chrt --idle -p 0 \d+: .*ENOENT.*\); niceness 19 alone$/);
  });

  it("keeps the process's priority and says why for a setting it does not know", async () => {
    for (const setting of ["20", "-5", "low", "1.5"]) {
      expect(await inWorker({ nice: setting })).toEqual({ tid: null, nice: null, policy: null, reason: `STUDIO_BACKGROUND_THREAD_NICE must be an integer from 0 to 19, got '${setting}'` });
    }
    for (const setting of ["batch", "IDLE", "fifo"]) {
      expect(await inWorker({ policy: setting })).toEqual({ tid: null, nice: null, policy: null, reason: `STUDIO_BACKGROUND_THREAD_POLICY must be 'idle' or 'normal', got '${setting}'` });
    }
  });
});
