/**
 * What every webhook handler of the app gets: the shared evaluation service, background work
 * tracking, the app's bot login, and a way to turn a delivery's Octokit into the GitHub layer's
 * client with its writes queued per installation. Handlers live in their own modules
 * (`pull-requests.ts`, `commands.ts`, `check-events.ts`) and register themselves on Probot.
 */
import type { Context, Probot } from 'probot';
import type { GitHubClient } from '../github/types.js';
import type { BackgroundTasks } from './background.js';
import type { AppLog, Evaluations } from './evaluations.js';

export interface HandlerContext {
  readonly log: AppLog;
  readonly evaluations: Evaluations;
  readonly background: BackgroundTasks;
  /**
   * The app as GitHub knows it, asked once from `GET /app`: `login` is `<slug>[bot]` (how its
   * comments are recognised); `id` tells our check runs and suites from other apps' (absent
   * when a test or deployment gave only the login).
   */
  readonly identity: () => Promise<AppIdentity>;
  /** Base URL of the rule docs, for links in replies. */
  readonly docsBaseUri: string;
  /** The delivery's client, its writes queued with every other write of the installation. */
  clientOf(context: Context): GitHubClient;
}

export interface AppIdentity {
  readonly login: string;
  readonly id?: number;
}

export type RegisterHandlers = (probot: Probot, handlers: HandlerContext) => void;
