/**
 * Work a webhook handler starts but does not wait for (answering a slash command: reactions,
 * permission checks, replies). GitHub gives a delivery 10 seconds; with writes queued per
 * installation, a burst of commands would run past that. Tracked so `idle()` can wait for it
 * (tests, the demo) and failures are logged instead of becoming unhandled rejections.
 */
export class BackgroundTasks {
  readonly #pending = new Set<Promise<void>>();
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  run(task: () => Promise<void>): void {
    const tracked: Promise<void> = (async () => task())()
      .catch((error: unknown) => {
        try {
          this.#onError(error);
        } catch {
          // A failing logger must not become an unhandled rejection.
        }
      })
      .finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  /** Tasks started and not finished. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Resolves when every task started so far (and those they started) has finished. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
