// The stall trace's event-loop gaps (stall-trace.mjs): a loop held by JavaScript shows as a gap spent on a CPU or
// waiting for one, a loop held by a thread that sleeps (a lock, I/O) as a blocked gap. Bounds are one-sided (at least / at most a share), so a slow machine cannot fail them.
import { describe, expect, it } from "vitest";
import { monitorLoopGaps, type LoopGap } from "./stall-trace.mjs";

const linux = process.platform === "linux";
if (!linux) console.log("[tests] the stall trace splits gaps with /proc/thread-self/schedstat: Linux only, skipped here.");

async function gapsWhile(hold: () => void): Promise<LoopGap[]> {
  const gaps: LoopGap[] = [];
  const stop = monitorLoopGaps(40, (gap) => gaps.push(gap), 5);
  await new Promise((resolve) => setTimeout(resolve, 30));
  hold();
  await new Promise((resolve) => setTimeout(resolve, 30));
  stop();
  return gaps;
}

describe.skipIf(!linux)("event-loop gaps of the stall trace", () => {
  it("reports a loop held by JavaScript as time on a CPU or waiting for one, not blocked", async () => {
    const gaps = await gapsWhile(() => {
      const until = performance.now() + 120;
      while (performance.now() < until);
    });
    const held = gaps.find((g) => g.gapMs >= 120);
    expect(held).toBeDefined();
    expect(held!.cpuMs! + held!.runqueueMs!).toBeGreaterThan(held!.gapMs * 0.8);
    expect(held!.blockedMs!).toBeLessThan(held!.gapMs * 0.2);
  });

  it("reports a loop whose thread sleeps as blocked", async () => {
    const gaps = await gapsWhile(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120));
    const held = gaps.find((g) => g.gapMs >= 120);
    expect(held).toBeDefined();
    expect(held!.cpuMs!).toBeLessThan(held!.gapMs * 0.5);
    expect(held!.blockedMs! + held!.runqueueMs!).toBeGreaterThan(held!.gapMs * 0.5);
  });
});
