// Waits for the browser to draw the page once, so long work started after it does not hold what the page shows first.

/** The frame and timer functions of the browser (a parameter so a test can drive them). */
export interface FrameClock {
  requestAnimationFrame(callback: () => void): number;
  cancelAnimationFrame(handle: number): void;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Without a frame for this long (a hidden tab draws none), the wait ends anyway. */
export const NO_FRAME_FALLBACK_MS = 100;

/**
 * Resolves once the browser has painted (the next animation frame runs just before a paint; a task queued from it runs
 * after that paint), or after NO_FRAME_FALLBACK_MS without a frame. cancel() stops it from ever resolving.
 */
export function afterFirstPaint(clock: FrameClock = globalThis): { painted: Promise<void>; cancel: () => void } {
  let frame = 0;
  let fallback: unknown;
  let afterFrame: unknown;
  const painted = new Promise<void>((resolve) => {
    frame = clock.requestAnimationFrame(() => {
      afterFrame = clock.setTimeout(resolve, 0);
    });
    fallback = clock.setTimeout(resolve, NO_FRAME_FALLBACK_MS);
  });
  return {
    painted,
    cancel: () => {
      clock.cancelAnimationFrame(frame);
      clock.clearTimeout(fallback);
      clock.clearTimeout(afterFrame);
    },
  };
}
