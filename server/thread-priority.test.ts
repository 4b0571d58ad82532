// thread-priority.mjs in a worker thread, as the shadow's scoring thread and the log's writer call it: the thread's own
// niceness as the kernel reports it, the setting that turns it off, and a bad setting that leaves the thread at the
// process's priority with a reason to log (never a thread that fails to start).
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { currentThreadId, threadNiceness } from "./testing/thread-niceness";

const moduleUrl = pathToFileURL(path.join(import.meta.dirname, "thread-priority.mjs")).href;

type Answer = { tid: number; nice: number; kernelNice: number } | { tid: null; nice: null; reason: string };

/** Runs lowerThisThreadPriority() in a fresh worker with `setting` as STUDIO_BACKGROUND_THREAD_NICE; the worker also reads /proc itself. */
function inWorker(setting: string | undefined): Promise<Answer> {
  const env = { ...process.env };
  if (setting === undefined) delete env.STUDIO_BACKGROUND_THREAD_NICE;
  else env.STUDIO_BACKGROUND_THREAD_NICE = setting;
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
      const answer = result.tid === null ? result : { ...result, kernelNice: threadNiceness(result.tid) };
      worker.postMessage("done");
      worker.once("exit", () => resolve(answer));
    });
  });
}

describe.skipIf(process.platform !== "linux")("an off-path thread's priority (Linux only: per-thread niceness, read from /proc)", () => {
  it("lowers the calling thread alone to niceness 19 by default", async () => {
    const answer = await inWorker(undefined);
    expect(answer).toMatchObject({ nice: 19, kernelNice: 19 });
    expect(answer.tid).not.toBe(currentThreadId());
    expect(threadNiceness(currentThreadId())).toBe(os.getPriority());
  });

  it("takes the niceness STUDIO_BACKGROUND_THREAD_NICE names, and leaves the thread alone at 0", async () => {
    expect(await inWorker("7")).toMatchObject({ nice: 7, kernelNice: 7 });
    expect(await inWorker("0")).toEqual({ tid: null, nice: null, reason: "STUDIO_BACKGROUND_THREAD_NICE=0" });
  });

  it("keeps the process's priority and says why for a setting outside 0-19", async () => {
    for (const setting of ["20", "-5", "low", "1.5"]) {
      expect(await inWorker(setting)).toEqual({ tid: null, nice: null, reason: `STUDIO_BACKGROUND_THREAD_NICE must be an integer from 0 to 19, got '${setting}'` });
    }
  });
});
