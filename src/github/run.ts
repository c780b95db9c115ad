/**
 * One pull request head from start to finish: the check run is started (or was, by the app's
 * webhook handler), the head is evaluated, what was said before is looked up, everything to say
 * is rendered, and it is published. The check run is always completed: whatever fails, the
 * last step is a conclusion, so a required check never waits forever.
 */
import type { Config } from '../config/schema.js';
import { DEFAULT_CONFIG } from '../config/schema.js';
import type { CommandIgnore } from '../findings/suppression/apply.js';
import type { Rule } from '../rules/define-rule.js';
import { rules as allRules } from '../rules/index.js';
import { permissionChecker } from './commands/permissions.js';
import { commandIgnoresOf } from './commands/record.js';
import type { ListedIssueComment } from './commands/types.js';
import { describeError, statusOf } from './client.js';
import { evaluatePullRequest } from './evaluate.js';
import type { PublishReport } from './publish/index.js';
import {
  completeWithError,
  listIssueComments,
  loadExistingState,
  publish,
  startCheckRun,
} from './publish/index.js';
import { escapeText } from './render/markdown.js';
import type { ExtraRenderOptions } from './render/index.js';
import { checkOnly } from './render/check-only.js';
import { renderPublication } from './render/index.js';
import type {
  Evaluation,
  ExistingState,
  GitHubClient,
  Publication,
  PullRequestTarget,
  RenderOptions,
} from './types.js';

export interface RunPullRequestOptions {
  /** The login this app (or the token's user) comments as: its earlier comments are recognised by it. */
  readonly botLogin: string;
  /** Base URL rule docs are linked from (`…/blob/main/`). */
  readonly docsBaseUri: string;
  /** Where file links point: `https://github.com`, or a GitHub Enterprise Server's URL. */
  readonly serverUrl?: string;
  /** The check run the webhook handler already created; started here when absent. */
  readonly checkRunId?: number;
  /** Evaluate and render only: nothing is written to GitHub (the CLI's `pr` without `--post`). */
  readonly dryRun?: boolean;
  /**
   * When the token may not create check runs (a personal token: 403), report the result as a
   * commit status named like the check instead of failing.
   */
  readonly statusFallback?: boolean;
  /** Resolves true when a newer head exists: then comments are not written (the check is). */
  readonly isStale?: () => Promise<boolean>;
  /**
   * The accepted findings, explicitly. Absent (the app, the `pr` command): they are read from
   * the pull request's `/s3-guard ignore` comments, with their authors' permissions checked.
   */
  readonly commands?: readonly CommandIgnore[];
  readonly registry?: readonly Rule[];
  readonly signal?: AbortSignal;
  readonly log?: (message: string) => void;
}

export interface RunPullRequestResult {
  readonly evaluation: Evaluation;
  readonly publication: Publication;
  /** Absent for a dry run. */
  readonly report?: PublishReport;
  readonly checkRunId?: number;
}

export async function runPullRequest(
  client: GitHubClient,
  target: PullRequestTarget,
  options: RunPullRequestOptions,
): Promise<RunPullRequestResult> {
  const log = options.log ?? (() => undefined);
  let checkRunId = options.checkRunId;
  // Only GitHub Apps may create check runs; a personal token gets 403. With `statusFallback`
  // (the `pr --post` command) the result is then reported as a commit status.
  let asStatus = false;
  if (checkRunId === undefined && !options.dryRun) {
    try {
      checkRunId = await startCheckRun(client, target);
    } catch (error) {
      if (!options.statusFallback || statusOf(error) !== 403) throw error;
      log('this token cannot create check runs (only GitHub Apps can): reporting a commit status');
      asStatus = true;
    }
  }

  // The conversation is listed once per evaluation, when first needed (the command record
  // before planning, then the summary comment lookup), and only if needed at all.
  let listed: Promise<readonly ListedIssueComment[]> | undefined;
  const comments = () => (listed ??= listIssueComments(client, target));

  let evaluation: Evaluation;
  try {
    evaluation = await evaluatePullRequest(client, target, {
      ...(options.registry ? { registry: options.registry } : {}),
      ...(options.commands
        ? { commands: options.commands }
        : { loadCommands: commandLoader(client, target, comments, options) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    evaluation = {
      kind: 'error',
      target,
      message: describeError(error),
      onError: DEFAULT_CONFIG.onError,
    };
  }
  log(
    `${target.owner}/${target.repo}#${target.number} @ ${target.headSha.slice(0, 7)}: ${evaluation.kind}`,
  );

  // Earlier threads and the summary comment. If they cannot be read, nothing but the check run
  // is published: posting blind would duplicate what is already there.
  let existing: ExistingState = { threads: [] };
  // An invalid configuration is worth a summary comment (the author may not open the check);
  // a failed run is not: a transient error must not replace the last real summary.
  let commentsAllowed = evaluation.kind !== 'error';
  if (commentsAllowed) {
    try {
      existing = await loadExistingState(client, target, options.botLogin, await comments());
    } catch (error) {
      log(
        `could not read earlier comments, publishing the check run only: ${describeError(error)}`,
      );
      commentsAllowed = false;
    }
  }

  const rendered = renderPublication(evaluation, existing, renderOptionsOf(evaluation, options));
  const publication: Publication = commentsAllowed ? rendered : checkOnly(rendered);
  if (options.dryRun || (checkRunId === undefined && !asStatus)) {
    return { evaluation, publication, ...(checkRunId === undefined ? {} : { checkRunId }) };
  }

  let report: PublishReport;
  try {
    report = await publish(client, target, checkRunId, publication, {
      botLogin: options.botLogin,
      existing,
      ...(options.isStale ? { isStale: options.isStale } : {}),
    });
  } catch (error) {
    // `publish` completes the check run before anything else; reaching here means even that
    // failed. One last, minimal attempt so the check does not stay in progress.
    log(`publishing failed: ${describeError(error)}`);
    if (checkRunId !== undefined) {
      const summary = `The result could not be published: ${escapeText(describeError(error))}`;
      await completeWithError(
        client,
        target,
        checkRunId,
        'Could not evaluate',
        summary,
        'failure',
      ).catch((last: unknown) => log(`could not complete the check run: ${describeError(last)}`));
    }
    throw error;
  }
  for (const warning of report.warnings) log(`warning: ${warning}`);
  return { evaluation, publication, report, checkRunId };
}

/**
 * Reads the `/s3-guard ignore` record from the pull request's comments, checking each author's
 * permission under the configuration being applied. A merge group reads the commands of the
 * pull request it was queued from, so a finding accepted there does not stall the queue; a
 * group with no pull request (number 0) has none.
 */
function commandLoader(
  client: GitHubClient,
  target: PullRequestTarget,
  comments: () => Promise<readonly ListedIssueComment[]>,
  options: RunPullRequestOptions,
): (config: Config) => Promise<readonly CommandIgnore[]> {
  return async (config) => {
    if (target.number <= 0) return [];
    const checker = permissionChecker(client, {
      repo: { owner: target.owner, repo: target.repo },
      author: target.author,
      ignoreAllow: config.commands.ignore.allow,
    });
    const knownRuleIds = (options.registry ?? allRules).map((rule) => rule.id);
    const { ignores, refused } = await commandIgnoresOf(await comments(), {
      checker,
      knownRuleIds,
    });
    for (const entry of refused) {
      options.log?.(
        `comment ${entry.commentId}: ${entry.login} may not accept findings: ${entry.reason}`,
      );
    }
    return ignores;
  };
}

function renderOptionsOf(
  evaluation: Evaluation,
  options: RunPullRequestOptions,
): RenderOptions & ExtraRenderOptions {
  const config =
    evaluation.kind === 'evaluated' || evaluation.kind === 'no-infrastructure'
      ? evaluation.config
      : DEFAULT_CONFIG;
  return {
    docsBaseUri: options.docsBaseUri,
    maxComments: config.comments.max,
    summaryMode: config.comments.summary,
    ...(options.serverUrl === undefined ? {} : { serverUrl: options.serverUrl }),
  };
}
