/**
 * Asking for an evaluation, whatever asked: a push (`pull_request`), a `/s3-guard recheck` or
 * `ignore`, the check's Re-run and Re-evaluate buttons, a merge queue. One path, so every trigger
 * gets the same guarantees: the check run exists (in progress) before the request returns, the
 * evaluation runs in the background through the per-pull-request scheduler, and a check run is
 * always completed (result, "superseded" or "could not evaluate").
 *
 * Requests for a head that already has an evaluation waiting to start join it instead of
 * queueing another: fifty `recheck`s in a minute cost at most the running evaluation plus one
 * more (which reads every comment posted until it starts), and create no extra check runs.
 */
import type { RunPullRequestOptions, RunPullRequestResult } from '../github/run.js';
import type { GitHubClient, Publication, PullRequestTarget } from '../github/types.js';
import { internalErrorPublication, supersededPublication } from '../github/render/check-only.js';
import { pullRequestKey } from './decode.js';
import { PullRequestScheduler } from './scheduler.js';

/** `runPullRequest` from `src/github/run.ts`, as far as the app uses it. */
export type RunPullRequest = (
  client: GitHubClient,
  target: PullRequestTarget,
  options: Pick<
    RunPullRequestOptions,
    'botLogin' | 'docsBaseUri' | 'serverUrl' | 'checkRunId' | 'isStale' | 'signal' | 'log'
  >,
) => Promise<Pick<RunPullRequestResult, 'evaluation' | 'publication'>>;

/** `startCheckRun` from `src/github/publish/`. */
export type StartCheckRun = (client: GitHubClient, target: PullRequestTarget) => Promise<number>;

/** `publish` from `src/github/publish/`: used here only to complete a check run early. */
export type Publish = (
  client: GitHubClient,
  target: PullRequestTarget,
  checkRunId: number,
  publication: Publication,
) => Promise<unknown>;

/** The logger subset used (Probot's pino child logger satisfies it). */
export interface AppLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

export interface EvaluationsOptions {
  readonly runPullRequest: RunPullRequest;
  readonly startCheckRun: StartCheckRun;
  readonly publish: Publish;
  readonly docsBaseUri: string;
  readonly serverUrl?: string;
  readonly concurrency: number;
  readonly botLogin: () => Promise<string>;
  readonly log: AppLog;
}

export interface EvaluationRequest {
  /** The installation's client (writes already queued per installation). */
  readonly client: GitHubClient;
  readonly target: PullRequestTarget;
  /** For logs: `pull_request.synchronize`, `/s3-guard recheck`, `check_run.rerequested`… */
  readonly reason: string;
  readonly delivery?: string;
}

export type EvaluationTicket =
  | { readonly joined: false; readonly checkRunId: number }
  /** An evaluation of the same head was already waiting to start: this request rides along. */
  | { readonly joined: true };

export class Evaluations {
  readonly #options: EvaluationsOptions;
  readonly #scheduler: PullRequestScheduler;
  /** Check runs being created, by pull request key and head. */
  readonly #starting = new Map<string, Promise<number>>();

  constructor(options: EvaluationsOptions) {
    this.#options = options;
    this.#scheduler = new PullRequestScheduler({
      concurrency: options.concurrency,
      onError: (error, job) =>
        options.log.error(
          { err: error, pullRequest: job.key, headSha: job.headSha },
          'evaluation failed',
        ),
    });
  }

  /**
   * Creates the check run (awaited: a failure to create it must fail the webhook delivery, not
   * vanish) and schedules the evaluation, unless one for the same head is already waiting.
   */
  async request(request: EvaluationRequest): Promise<EvaluationTicket> {
    const { client, target } = request;
    const key = pullRequestKey(target);
    const log = this.#options.log;
    const joining = { delivery: request.delivery, pullRequest: key, headSha: target.headSha };
    if (this.#scheduler.waitingHead(key) === target.headSha) {
      log.info(joining, `${request.reason}: joins the evaluation already waiting for this head`);
      return { joined: true };
    }
    // Requests that arrive together all find nothing waiting yet: the first one's check run is
    // still being created. They join it once it is scheduled (or fail with it).
    const startKey = `${key} ${target.headSha}`;
    const starting = this.#starting.get(startKey);
    if (starting !== undefined) {
      await starting;
      log.info(joining, `${request.reason}: joins the evaluation being queued for this head`);
      return { joined: true };
    }
    const created = this.#options.startCheckRun(client, target);
    this.#starting.set(startKey, created);
    let checkRunId: number;
    try {
      checkRunId = await created;
    } finally {
      // Removed before scheduling, in the same synchronous step: from here on the scheduler's
      // waiting (or running) job is what later requests see.
      this.#starting.delete(startKey);
    }
    log.info(
      {
        delivery: request.delivery,
        pullRequest: key,
        headSha: target.headSha,
        fork: target.fork !== undefined,
        checkRunId,
      },
      `${request.reason}: evaluation queued`,
    );
    this.#scheduler.schedule({
      key,
      headSha: target.headSha,
      run: async (isStale, signal) => this.#run(client, target, checkRunId, isStale, signal),
      supersede: async (newerSha) => {
        log.info({ pullRequest: key, headSha: target.headSha, newerSha }, 'superseded');
        await this.#options.publish(
          client,
          target,
          checkRunId,
          supersededPublication(target, newerSha),
        );
      },
    });
    return { joined: false, checkRunId };
  }

  /** Resolves when every evaluation scheduled so far has finished. */
  async idle(): Promise<void> {
    await this.#scheduler.idle();
  }

  async #run(
    client: GitHubClient,
    target: PullRequestTarget,
    checkRunId: number,
    isStale: () => boolean,
    signal: AbortSignal,
  ): Promise<void> {
    const options = this.#options;
    const key = pullRequestKey(target);
    const started = Date.now();
    let outcome: Awaited<ReturnType<RunPullRequest>>;
    try {
      outcome = await options.runPullRequest(client, target, {
        botLogin: await options.botLogin(),
        docsBaseUri: options.docsBaseUri,
        ...(options.serverUrl === undefined ? {} : { serverUrl: options.serverUrl }),
        checkRunId,
        isStale: async () => isStale(),
        signal,
        log: (message) => options.log.info({ pullRequest: key, headSha: target.headSha }, message),
      });
    } catch (error) {
      if (signal.aborted) {
        // Stopped because a newer head arrived: this head's check says so.
        const newer = this.#scheduler.newestHead(key);
        options.log.info(
          { pullRequest: key, headSha: target.headSha, newerSha: newer },
          'cancelled',
        );
        await options.publish(client, target, checkRunId, supersededPublication(target, newer));
        return;
      }
      // runPullRequest completes the check run itself on failure; this is the net under that
      // net, because a check left in progress blocks a required check forever.
      options.log.error({ err: error, pullRequest: key }, 'evaluation failed');
      await options.publish(client, target, checkRunId, internalErrorPublication(target));
      return;
    }
    // A run that went stale past the point of cancelling still completed its own check run (on
    // its older commit, where its result is true); publish() stopped before commenting.
    options.log.info(
      {
        pullRequest: key,
        headSha: target.headSha,
        kind: outcome.evaluation.kind,
        conclusion: outcome.publication.check.conclusion,
        ms: Date.now() - started,
      },
      'evaluation finished',
    );
  }
}
