/**
 * The GitHub App's event handling, kept thin: each kind of webhook has its own module that
 * decodes the payload and asks for an evaluation (`evaluations.ts`: the check run is created at
 * once, the evaluation runs in the background through the per-pull-request scheduler). Everything
 * that talks to GitHub about pull requests lives in `src/github/`; it comes in as dependencies so
 * tests can replace the slow parts.
 *
 * - `pull-requests.ts`: pushes, reopen, ready for review, base change;
 * - `commands.ts`: `/s3-guard …` comments;
 * - `check-events.ts`: Re-run, Re-run all, the Re-evaluate button, merge queues.
 */
import type { ApplicationFunction, Context, Probot } from 'probot';
import type { GitHubClient } from '../github/types.js';
import { WriteQueues, queueWrites } from '../github/write-queue.js';
import { BackgroundTasks } from './background.js';
import { registerCheckEventHandlers } from './check-events.js';
import { registerCommandHandlers } from './commands.js';
import { Evaluations } from './evaluations.js';
import type { Publish, RunPullRequest, StartCheckRun } from './evaluations.js';
import type { AppIdentity, HandlerContext } from './handler-context.js';
import { registerPullRequestHandlers } from './pull-requests.js';

export type { Publish, RunPullRequest, StartCheckRun } from './evaluations.js';

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
  /** With `botLogin`: the app's id, to recognise its own check runs without `GET /app`. */
  readonly appId?: number;
}

export interface GuardApp {
  /** For Probot: `probot run`, `new Server().load(app)` or `probot.load(app)`. */
  readonly app: ApplicationFunction;
  /** Resolves when every background evaluation and command started so far has finished. */
  idle(): Promise<void>;
}

export const DEFAULT_CONCURRENCY = 2;

export function createApp(dependencies: AppDependencies): GuardApp {
  let loaded: { evaluations: Evaluations; background: BackgroundTasks } | undefined;
  const waitForIdle = async (): Promise<void> => {
    if (loaded === undefined) return;
    // Commands schedule evaluations and evaluations finish commands' work: wait until both rest.
    do {
      await loaded.background.idle();
      await loaded.evaluations.idle();
    } while (loaded.background.pending > 0);
  };

  const app: ApplicationFunction = (probot: Probot) => {
    const log = probot.log.child({ name: 's3-endpoint-guard' });
    const identity = identityOnce(probot, dependencies);
    const botLogin = async () => (await identity()).login;
    // Asked at startup so a wrong APP_ID or key shows in the logs at once, not at the first PR.
    identity().then(
      (found) => log.info({ botLogin: found.login, appId: found.id }, 'app identity'),
      (error: unknown) =>
        log.warn({ err: error }, 'GET /app failed; retried at the first evaluation'),
    );
    const evaluations = new Evaluations({
      runPullRequest: dependencies.runPullRequest,
      startCheckRun: dependencies.startCheckRun,
      publish: dependencies.publish,
      docsBaseUri: dependencies.docsBaseUri,
      ...(dependencies.serverUrl === undefined ? {} : { serverUrl: dependencies.serverUrl }),
      concurrency: dependencies.concurrency ?? DEFAULT_CONCURRENCY,
      botLogin,
      log,
    });
    const background = new BackgroundTasks((error) =>
      log.error({ err: error }, 'background work failed'),
    );
    loaded = { evaluations, background };
    const writes = new WriteQueues();
    const queued = new WeakSet<object>();
    const handlers: HandlerContext = {
      log,
      evaluations,
      background,
      identity,
      docsBaseUri: dependencies.docsBaseUri,
      clientOf(context: Context): GitHubClient {
        // One installation's writes go out one at a time across all its evaluations and
        // commands (GitHub's secondary limits count concurrent content creation).
        if (!queued.has(context.octokit)) {
          queued.add(context.octokit);
          const installation = (context.payload as { installation?: { id?: number } }).installation;
          const owner = (context.payload as { repository?: { owner?: { login?: string } } })
            .repository?.owner?.login;
          queueWrites(context.octokit, writes, String(installation?.id ?? owner ?? 'app'));
        }
        return context.octokit;
      },
    };
    registerPullRequestHandlers(probot, handlers);
    registerCommandHandlers(probot, handlers);
    registerCheckEventHandlers(probot, handlers);
  };

  return { app, idle: waitForIdle };
}

/**
 * The app's bot login (`<slug>[bot]`) and id. Asked once (`GET /app`, app-authenticated); a
 * failure is not cached, so the next use retries.
 */
function identityOnce(
  probot: Probot,
  dependencies: Pick<AppDependencies, 'botLogin' | 'appId'>,
): () => Promise<AppIdentity> {
  let pending: Promise<AppIdentity> | undefined =
    dependencies.botLogin === undefined
      ? undefined
      : Promise.resolve({
          login: dependencies.botLogin,
          ...(dependencies.appId === undefined ? {} : { id: dependencies.appId }),
        });
  return () => {
    pending ??= (async () => {
      const octokit = await probot.auth();
      const { data } = await octokit.request('GET /app');
      const slug = data?.slug;
      if (typeof slug !== 'string' || slug === '') throw new Error('GET /app returned no slug');
      const id = typeof data?.id === 'number' ? { id: data.id } : {};
      return { login: `${slug}[bot]`, ...id };
    })().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
