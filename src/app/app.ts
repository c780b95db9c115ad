/**
 * The GitHub App's event handling, kept thin: decode the webhook, create the check run at once
 * (GitHub wants an answer within 10 seconds, and a required check should show "in progress"
 * immediately), then evaluate in the background through the per-pull-request scheduler.
 * Everything that talks to GitHub lives in `src/github/`; it comes in as dependencies so tests
 * can replace the slow parts.
 */
import type { ApplicationFunction, Probot } from 'probot';
import type { Evaluation, GitHubClient, Publication, PullRequestTarget } from '../github/types.js';
import { internalErrorPublication, supersededPublication } from '../github/render/check-only.js';
import { WriteQueues, queueWrites } from '../github/write-queue.js';
import { decodePullRequestEvent, PULL_REQUEST_EVENTS, pullRequestKey } from './decode.js';
import type { PullRequestPayload } from './decode.js';
import { PullRequestScheduler } from './scheduler.js';

/** `runPullRequest` from `src/github/run.ts`. */
export type RunPullRequest = (
  client: GitHubClient,
  target: PullRequestTarget,
  options: {
    botLogin: string;
    docsBaseUri: string;
    checkRunId?: number;
    dryRun?: boolean;
    isStale?: () => Promise<boolean>;
    signal?: AbortSignal;
    log?: (message: string) => void;
  },
) => Promise<{ evaluation: Evaluation; publication: Publication; report?: unknown }>;

/** `startCheckRun` from `src/github/publish/`. */
export type StartCheckRun = (client: GitHubClient, target: PullRequestTarget) => Promise<number>;

/** `publish` from `src/github/publish/`: used here only to complete a check run early. */
export type Publish = (
  client: GitHubClient,
  target: PullRequestTarget,
  checkRunId: number,
  publication: Publication,
) => Promise<unknown>;

export interface AppDependencies {
  readonly runPullRequest: RunPullRequest;
  readonly startCheckRun: StartCheckRun;
  readonly publish: Publish;
  /** Base URL of the rule docs, for links in comments. */
  readonly docsBaseUri: string;
  /** The GitHub instance's web address, for file links (GitHub Enterprise Server). */
  readonly serverUrl?: string;
  /** Evaluations running at once (default 2: the machines are small, GitHub's limits smaller). */
  readonly concurrency?: number;
  /** Skips `GET /app` (tests, or a deployment that knows its slug). */
  readonly botLogin?: string;
}

export interface GuardApp {
  /** For Probot: `probot run`, `new Server().load(app)` or `probot.load(app)`. */
  readonly app: ApplicationFunction;
  /** Resolves when every background evaluation started so far has finished. */
  idle(): Promise<void>;
}

export const DEFAULT_CONCURRENCY = 2;

export function createApp(dependencies: AppDependencies): GuardApp {
  let scheduler: PullRequestScheduler | undefined;
  const waitForIdle = async (): Promise<void> => scheduler?.idle();

  const app: ApplicationFunction = (probot: Probot) => {
    const log = probot.log.child({ name: 's3-endpoint-guard' });
    const queue = new PullRequestScheduler({
      concurrency: dependencies.concurrency ?? DEFAULT_CONCURRENCY,
      onError: (error, job) =>
        log.error({ err: error, pullRequest: job.key, headSha: job.headSha }, 'evaluation failed'),
    });
    scheduler = queue;
    const writes = new WriteQueues();
    const botLogin = botLoginOnce(probot, dependencies.botLogin);
    // Asked at startup so a wrong APP_ID or key shows in the logs at once, not at the first PR.
    botLogin().then(
      (login) => log.info({ botLogin: login }, 'app identity'),
      (error: unknown) =>
        log.warn({ err: error }, 'GET /app failed; retried at the first evaluation'),
    );

    probot.on(PULL_REQUEST_EVENTS, async (context) => {
      const decoded = decodePullRequestEvent(context.payload as PullRequestPayload);
      if (!decoded.evaluate) {
        log.debug({ delivery: context.id, reason: decoded.reason }, 'pull_request event ignored');
        return;
      }
      const target = decoded.target;
      const key = pullRequestKey(target);
      // One installation's writes go out one at a time across all its evaluations (GitHub's
      // secondary limits count concurrent content creation).
      const installation = (context.payload as { installation?: { id?: number } }).installation;
      queueWrites(context.octokit, writes, String(installation?.id ?? `${target.owner}`));
      const client: GitHubClient = context.octokit;
      // Awaited: the check run must exist before GitHub hears back, or a failure to create it
      // (missing permission, outage) would go unnoticed as a successful delivery.
      const checkRunId = await dependencies.startCheckRun(client, target);
      log.info(
        {
          delivery: context.id,
          pullRequest: key,
          headSha: target.headSha,
          fork: target.fork !== undefined,
          checkRunId,
        },
        `pull_request.${context.payload.action}: evaluation queued`,
      );
      queue.schedule({
        key,
        headSha: target.headSha,
        run: async (isStale, signal) => {
          const started = Date.now();
          let outcome: Awaited<ReturnType<RunPullRequest>>;
          try {
            outcome = await dependencies.runPullRequest(client, target, {
              botLogin: await botLogin(),
              docsBaseUri: dependencies.docsBaseUri,
              ...(dependencies.serverUrl === undefined
                ? {}
                : { serverUrl: dependencies.serverUrl }),
              checkRunId,
              isStale: async () => isStale(),
              signal,
              log: (message) => log.info({ pullRequest: key, headSha: target.headSha }, message),
            });
          } catch (error) {
            if (signal.aborted) {
              // Stopped because a newer head arrived: this head's check says so.
              const newer = queue.newestHead(key);
              log.info({ pullRequest: key, headSha: target.headSha, newerSha: newer }, 'cancelled');
              await dependencies.publish(
                client,
                target,
                checkRunId,
                supersededPublication(target, newer),
              );
              return;
            }
            // runPullRequest completes the check run itself on failure; this is the net under
            // that net, because a check left in progress blocks a required check forever.
            log.error({ err: error, pullRequest: key }, 'evaluation failed');
            await dependencies.publish(
              client,
              target,
              checkRunId,
              internalErrorPublication(target),
            );
            return;
          }
          // A run that went stale past the point of cancelling still completed its own check run
          // (on its older commit, where its result is true); publish() stopped before
          // commenting. Nothing more to do.
          log.info(
            {
              pullRequest: key,
              headSha: target.headSha,
              kind: outcome.evaluation.kind,
              conclusion: outcome.publication.check.conclusion,
              ms: Date.now() - started,
            },
            'evaluation finished',
          );
        },
        supersede: async (newerSha) => {
          log.info({ pullRequest: key, headSha: target.headSha, newerSha }, 'superseded');
          await dependencies.publish(
            client,
            target,
            checkRunId,
            supersededPublication(target, newerSha),
          );
        },
      });
    });
  };

  return { app, idle: waitForIdle };
}

/**
 * The app's bot login (`<slug>[bot]`), by which the app recognises its own comments. Asked
 * once (`GET /app`, app-authenticated); a failure is not cached, so the next use retries.
 */
function botLoginOnce(probot: Probot, known: string | undefined): () => Promise<string> {
  let pending: Promise<string> | undefined =
    known === undefined ? undefined : Promise.resolve(known);
  return () => {
    pending ??= (async () => {
      const octokit = await probot.auth();
      const { data } = await octokit.request('GET /app');
      const slug = data?.slug;
      if (typeof slug !== 'string' || slug === '') throw new Error('GET /app returned no slug');
      return `${slug}[bot]`;
    })().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
