/**
 * Long scans run inside the GitHub App's server, next to webhook handling: no single stretch of
 * synchronous work may hold the event loop for long. Work loops call `maybeYield` often; it
 * yields only once a time slice is used up, so small inputs pay nothing.
 */
export const TIME_SLICE_MS = 20;

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A clock for one stretch of work: `await slice.maybeYield()` between units of work. */
export function timeSlicer(sliceMs = TIME_SLICE_MS): { maybeYield(): Promise<void> } {
  let started = performance.now();
  return {
    async maybeYield() {
      if (performance.now() - started < sliceMs) return;
      await yieldToEventLoop();
      started = performance.now();
    },
  };
}
