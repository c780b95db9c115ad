/**
 * When evaluations run. Webhook handlers must answer GitHub within 10 seconds, so evaluations
 * run in the background, and three rules keep them from tripping over each other:
 *
 * - one evaluation at a time per pull request: two runs publishing to the same PR at once
 *   would race on comments and threads;
 * - only the newest head waits: when pushes arrive faster than evaluations finish, the queued
 *   older heads are dropped and their check runs completed as superseded (a check left
 *   `in_progress` would block a required check forever); the running one is told through its
 *   abort signal (work on a head nobody will look at again is wasted) and, if it is already
 *   past the point of stopping, learns through `isStale` not to comment over a newer result;
 * - a global limit on running evaluations, so a burst of pushes across repositories cannot
 *   exhaust memory or GitHub's secondary rate limits.
 *
 * It knows nothing of GitHub: jobs are callbacks, so it is tested with plain promises.
 */

export interface ScheduledJob {
  /** Identifies the pull request (`owner/repo#number`, lowercased). */
  readonly key: string;
  /** The head this job evaluates. */
  readonly headSha: string;
  /**
   * The evaluation. `isStale()`: has a newer head of this pull request arrived since?
   * `signal` is aborted when one does.
   */
  run(isStale: () => boolean, signal: AbortSignal): Promise<void>;
  /** Called instead of `run` when a newer head replaced this job before it started. */
  supersede(newerSha: string): Promise<void>;
}

export interface SchedulerOptions {
  /** Evaluations running at once across all pull requests. */
  readonly concurrency: number;
  /** A job's `run` or `supersede` threw: the scheduler carries on with the others. */
  readonly onError: (error: unknown, job: ScheduledJob) => void;
}

interface PullRequestState {
  /** The newest head any event announced. */
  newest: string;
  running?: ScheduledJob;
  /** Aborts the running job. */
  abort?: AbortController;
  /** At most one: the newest job not started yet. */
  waiting?: ScheduledJob;
}

export class PullRequestScheduler {
  readonly #options: SchedulerOptions;
  readonly #states = new Map<string, PullRequestState>();
  /** Pull requests whose waiting job may start as soon as a slot is free, in arrival order. */
  readonly #ready: string[] = [];
  readonly #pending = new Set<Promise<void>>();
  #active = 0;

  constructor(options: SchedulerOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer (got ${options.concurrency})`);
    }
    this.#options = options;
  }

  /** Queues `job`; a job of the same pull request still waiting is superseded by it. */
  schedule(job: ScheduledJob): void {
    let state = this.#states.get(job.key);
    if (state === undefined) {
      state = { newest: job.headSha };
      this.#states.set(job.key, state);
    }
    state.newest = job.headSha;
    // The same head announced again (a base-branch change) lets the running job finish.
    if (state.running !== undefined && state.running.headSha !== job.headSha) {
      state.abort?.abort(new Error(`superseded by ${job.headSha}`));
    }
    const dropped = state.waiting;
    state.waiting = job;
    if (dropped !== undefined) {
      // Its pull request is already in the ready queue (or running): no second entry.
      this.#track((async () => dropped.supersede(job.headSha))(), dropped);
    } else if (state.running === undefined) {
      this.#ready.push(job.key);
    }
    this.#pump();
  }

  /** Has an event announced a head newer than `headSha` for this pull request? */
  isStale(key: string, headSha: string): boolean {
    const newest = this.#states.get(key)?.newest;
    return newest !== undefined && newest !== headSha;
  }

  /** The newest head announced for this pull request while it has jobs. */
  newestHead(key: string): string | undefined {
    return this.#states.get(key)?.newest;
  }

  /** The head of the job waiting to start for this pull request, if any. */
  waitingHead(key: string): string | undefined {
    return this.#states.get(key)?.waiting?.headSha;
  }

  /** Evaluations running now. */
  get active(): number {
    return this.#active;
  }

  /** Resolves when every job scheduled so far (and those they let start) has finished. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  #pump(): void {
    while (this.#active < this.#options.concurrency) {
      const key = this.#ready.shift();
      if (key === undefined) return;
      const state = this.#states.get(key);
      const job = state?.waiting;
      if (state === undefined || job === undefined) continue;
      state.waiting = undefined;
      state.running = job;
      const abort = new AbortController();
      state.abort = abort;
      this.#active++;
      const run = (async () => job.run(() => this.isStale(key, job.headSha), abort.signal))();
      this.#track(run, job, () => {
        this.#active--;
        state.running = undefined;
        state.abort = undefined;
        if (state.waiting !== undefined) this.#ready.push(key);
        else this.#states.delete(key);
        this.#pump();
      });
    }
  }

  #track(work: Promise<void>, job: ScheduledJob, after?: () => void): void {
    const tracked = work
      .catch((error: unknown) => {
        try {
          this.#options.onError(error, job);
        } catch {
          // A failing error handler must not stop the queue.
        }
      })
      .finally(() => {
        this.#pending.delete(tracked);
        after?.();
      });
    this.#pending.add(tracked);
  }
}
