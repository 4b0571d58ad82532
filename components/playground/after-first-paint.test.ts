// afterFirstPaint: after the next frame and a task, or after the fallback without frames; never once cancelled.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { afterFirstPaint, NO_FRAME_FALLBACK_MS, type FrameClock } from "./after-first-paint";

/** Fake timers for setTimeout; frames run only when the test says the browser drew one. */
function fakeFrames() {
  const frames = new Map<number, () => void>();
  let next = 1;
  const clock: FrameClock = {
    requestAnimationFrame: (callback) => {
      frames.set(next, callback);
      return next++;
    },
    cancelAnimationFrame: (handle) => void frames.delete(handle),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  const drawFrame = () => {
    const due = [...frames.values()];
    frames.clear();
    for (const callback of due) callback();
  };
  return { clock, drawFrame };
}

function settledFlag(promise: Promise<void>): { done: boolean } {
  const flag = { done: false };
  void promise.then(() => (flag.done = true));
  return flag;
}

describe("afterFirstPaint", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("waits for a frame, then for the task after it (the paint), not for the fallback", async () => {
    const { clock, drawFrame } = fakeFrames();
    const wait = settledFlag(afterFirstPaint(clock).painted);
    await vi.advanceTimersByTimeAsync(10);
    expect(wait.done).toBe(false);
    drawFrame();
    await Promise.resolve();
    expect(wait.done).toBe(false); // the frame runs before the paint
    await vi.advanceTimersByTimeAsync(0);
    expect(wait.done).toBe(true);
  });

  it("ends after the fallback when no frame comes (a hidden tab)", async () => {
    const { clock } = fakeFrames();
    const wait = settledFlag(afterFirstPaint(clock).painted);
    await vi.advanceTimersByTimeAsync(NO_FRAME_FALLBACK_MS - 1);
    expect(wait.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.done).toBe(true);
  });

  it("never ends once cancelled, whether a frame comes or not", async () => {
    const { clock, drawFrame } = fakeFrames();
    const paint = afterFirstPaint(clock);
    const wait = settledFlag(paint.painted);
    paint.cancel();
    drawFrame();
    await vi.advanceTimersByTimeAsync(NO_FRAME_FALLBACK_MS * 10);
    expect(wait.done).toBe(false);
  });
});
