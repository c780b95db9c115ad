/**
 * The check run: created `in_progress` as soon as an event arrives, and always completed.
 * Completion goes first in publishing (a required check must never wait forever); annotations
 * beyond the first 50 follow in further PATCHes, which GitHub appends.
 */
import { REEVALUATE_ACTION } from '../commands/types.js';
import { subjectOf } from '../render/common.js';
import { CHECK_NAME } from '../types.js';
import type {
  CheckAnnotation,
  CheckConclusion,
  GitHubClient,
  Publication,
  PullRequestTarget,
} from '../types.js';
import {
  ANNOTATIONS_PER_REQUEST,
  MAX_OUTPUT,
  MAX_TITLE,
  chunks,
  sanitizeAnnotation,
  truncateChars,
} from './limits.js';
import { describeError } from '../client.js';
import { withRetry } from './retry.js';
import type { RetryOptions } from './retry.js';

export interface CheckOptions {
  readonly now?: () => Date;
}

/**
 * The buttons of a completed check run: `Re-evaluate` (`check_run.requested_action`), so a
 * reviewer can run the check again after changing the configuration or something outside the
 * pull request, without pushing. GitHub keeps a run's actions until they are replaced.
 */
export function completedActions(withoutActions?: boolean): {
  actions?: (typeof REEVALUATE_ACTION)[];
} {
  return withoutActions ? {} : { actions: [{ ...REEVALUATE_ACTION }] };
}

/** Creates the check run on the head commit, `in_progress`; returns its id. */
export async function startCheckRun(
  client: GitHubClient,
  target: PullRequestTarget,
  options: CheckOptions = {},
): Promise<number> {
  const now = options.now?.() ?? new Date();
  const response = await client.request('POST /repos/{owner}/{repo}/check-runs', {
    owner: target.owner,
    repo: target.repo,
    name: CHECK_NAME,
    head_sha: target.headSha,
    status: 'in_progress',
    started_at: now.toISOString(),
    output: {
      title: 'Evaluating…',
      summary: `Evaluating ${subjectOf(target)} at ${target.headSha.slice(0, 7)}.`,
    },
  });
  // The OpenAPI types allow a bigint; check run ids fit comfortably in a number.
  return Number(response.data.id);
}

/**
 * Creates a check run already completed, with a title and summary: the answer to a Re-run that
 * cannot be honoured (the commit no longer heads a pull request), where there is nothing to
 * evaluate and an "Evaluating…" state would only flash by. Returns its id.
 */
export async function createCompletedCheckRun(
  client: GitHubClient,
  target: PullRequestTarget,
  title: string,
  summary: string,
  conclusion: CheckConclusion,
  options: CheckOptions = {},
): Promise<number> {
  const now = (options.now?.() ?? new Date()).toISOString();
  const response = await client.request('POST /repos/{owner}/{repo}/check-runs', {
    owner: target.owner,
    repo: target.repo,
    name: CHECK_NAME,
    head_sha: target.headSha,
    status: 'completed',
    conclusion,
    started_at: now,
    completed_at: now,
    output: {
      title: truncateChars(title, MAX_TITLE),
      summary: truncateChars(summary, MAX_OUTPUT),
    },
    ...completedActions(false),
  });
  return Number(response.data.id);
}

/**
 * Completes the check run with a title and summary only: the orchestrator's last resort when
 * the evaluation itself failed, and publishing's fallback when the full output is refused.
 */
export async function completeWithError(
  client: GitHubClient,
  target: PullRequestTarget,
  checkRunId: number,
  title: string,
  summary: string,
  conclusion: CheckConclusion,
  options: CheckOptions & { readonly withoutActions?: boolean } = {},
): Promise<void> {
  await client.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
    owner: target.owner,
    repo: target.repo,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion,
    completed_at: (options.now?.() ?? new Date()).toISOString(),
    output: {
      title: truncateChars(title, MAX_TITLE),
      summary: truncateChars(summary, MAX_OUTPUT),
    },
    ...completedActions(options.withoutActions),
  });
}

export interface CompletionResult {
  readonly completed: boolean;
  readonly annotationsSent: number;
  readonly warnings: string[];
}

/**
 * Completes the check run with the publication's conclusion and output and its first 50
 * annotations, then appends the rest 50 at a time. When the full completion is refused, a
 * plain completion (no text, no annotations) keeps the check from waiting forever; when an
 * annotation batch is refused, the remaining batches are skipped (the check is already
 * complete, and its summary carries the findings).
 */
export async function completeCheckRun(
  client: GitHubClient,
  target: PullRequestTarget,
  checkRunId: number,
  check: Publication['check'],
  retry: RetryOptions,
  options: CheckOptions = {},
): Promise<CompletionResult> {
  const warnings: string[] = [];
  const title = truncateChars(check.title, MAX_TITLE);
  const summary = truncateChars(check.summary, MAX_OUTPUT);
  const text = check.text === undefined ? undefined : truncateChars(check.text, MAX_OUTPUT);
  const valid = check.annotations
    .map(sanitizeAnnotation)
    .filter((annotation): annotation is CheckAnnotation => annotation !== undefined);
  if (valid.length < check.annotations.length) {
    warnings.push(
      `${check.annotations.length - valid.length} annotation(s) without a valid location were dropped`,
    );
  }
  const batches = chunks(valid, ANNOTATIONS_PER_REQUEST);
  // title and summary are required on every update; text is repeated so no update clears it.
  const output = (annotations: CheckAnnotation[] | undefined) => ({
    title,
    summary,
    ...(text === undefined ? {} : { text }),
    ...(annotations === undefined ? {} : { annotations }),
  });
  const route = 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}' as const;
  const ids = { owner: target.owner, repo: target.repo, check_run_id: checkRunId };

  try {
    await withRetry(
      () =>
        client.request(route, {
          ...ids,
          status: 'completed',
          conclusion: check.conclusion,
          completed_at: (options.now?.() ?? new Date()).toISOString(),
          output: output(batches[0]),
          ...completedActions(check.withoutActions),
        }),
      retry,
    );
  } catch (error) {
    warnings.push(
      `completing the check run failed (${describeError(error)}); completed without details`,
    );
    try {
      await withRetry(
        () =>
          completeWithError(client, target, checkRunId, title, summary, check.conclusion, {
            ...options,
            ...(check.withoutActions ? { withoutActions: true } : {}),
          }),
        retry,
      );
      return { completed: true, annotationsSent: 0, warnings };
    } catch (fallbackError) {
      warnings.push(`completing the check run failed again (${describeError(fallbackError)})`);
      return { completed: false, annotationsSent: 0, warnings };
    }
  }

  let annotationsSent = batches[0]?.length ?? 0;
  for (const batch of batches.slice(1)) {
    try {
      await withRetry(() => client.request(route, { ...ids, output: output(batch) }), retry);
      annotationsSent += batch.length;
    } catch (error) {
      warnings.push(
        `adding annotations failed (${describeError(error)}); ${valid.length - annotationsSent} not sent`,
      );
      break;
    }
  }
  return { completed: true, annotationsSent, warnings };
}
