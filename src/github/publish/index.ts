/**
 * Sends a Publication to GitHub, in an order chosen so that what matters most lands first and
 * a later failure never undoes an earlier step:
 *
 *   1. complete the check run (+ annotations in batches of 50): a required check never waits
 *   2. stop if a newer push exists: its own run speaks for the pull request now
 *   3. the review with the new inline comments
 *   4. reply to and resolve the threads of fixed findings
 *   5. create or edit the summary comment
 *
 * Writes are sequential (GitHub's secondary limits ask to serialize content-creating
 * requests); each is retried at most once, on a rate limit or a 5xx.
 */
import type { ExistingState, GitHubClient, Publication, PullRequestTarget } from '../types.js';
import { completeCheckRun } from './check.js';
import { DEFAULT_MAX_RESOLVES, publishSummary, resolveThreads } from './conversation.js';
import type { SummaryOutcome } from './conversation.js';
import { postReview } from './review.js';
import { commitStateOf, postCommitStatus } from './status.js';
import { describeError } from '../client.js';
import { realSleep } from './retry.js';
import type { RetryOptions, Sleep } from './retry.js';

export { completeWithError, createCompletedCheckRun, startCheckRun } from './check.js';
export { postCommitStatus } from './status.js';
export { listIssueComments, loadExistingState } from './state.js';
export type { SummaryOutcome } from './conversation.js';
export type { Sleep } from './retry.js';

export interface PublishReport {
  /** Annotations GitHub accepted on the check run. */
  readonly annotationsSent: number;
  /** Inline review comments posted. */
  readonly commentsPosted: number;
  readonly threadsResolved: number;
  readonly summaryComment: SummaryOutcome;
  /** A newer push exists: the check run was completed, nothing else was published. */
  readonly skippedAsStale: boolean;
  readonly warnings: string[];
}

export interface PublishOptions {
  /** Resolves true when the pull request's head moved on since this evaluation began. */
  readonly isStale?: () => Promise<boolean>;
  /**
   * The app's login: when set, a review answered with a 5xx is only repeated after a look at
   * the pull request's threads shows it did not land (no duplicate comments).
   */
  readonly botLogin?: string;
  /** Known earlier state: lets an identical summary edit be skipped ('unchanged'). */
  readonly existing?: ExistingState;
  /** Waiting before a retry; injectable so tests never sleep. */
  readonly sleep?: Sleep;
  /** Longest wait honoured for `retry-after` / `x-ratelimit-reset` (default 60 s). */
  readonly maxWaitMs?: number;
  /** Threads resolved per evaluation (default 30). */
  readonly maxResolves?: number;
  readonly now?: () => Date;
}

/**
 * Publishes one evaluation. Throws only when the check run could not be completed at all
 * (the caller's last-resort path then tries once more); everything else that fails becomes a
 * warning in the report.
 */
export async function publish(
  client: GitHubClient,
  target: PullRequestTarget,
  /** Undefined: the token cannot create check runs; a commit status reports the result. */
  checkRunId: number | undefined,
  publication: Publication,
  options: PublishOptions = {},
): Promise<PublishReport> {
  const { now, maxWaitMs } = options;
  const retry: RetryOptions = {
    sleep: options.sleep ?? realSleep,
    ...(maxWaitMs === undefined ? {} : { maxWaitMs }),
    ...(now === undefined ? {} : { now: () => now().getTime() }),
  };
  const checkOptions = now === undefined ? {} : { now };
  const completion =
    checkRunId === undefined
      ? await completeAsStatus(client, target, publication, retry)
      : await completeCheckRun(client, target, checkRunId, publication.check, retry, checkOptions);
  const warnings = [...completion.warnings];
  if (!completion.completed) {
    const what = checkRunId === undefined ? 'the commit status' : `check run ${checkRunId}`;
    throw new Error(`${what} could not be completed: ${warnings.join('; ')}`);
  }
  const report = {
    annotationsSent: completion.annotationsSent,
    commentsPosted: 0,
    threadsResolved: 0,
    summaryComment: 'none' as SummaryOutcome,
    skippedAsStale: false,
    warnings,
  };

  if (options.isStale) {
    try {
      if (await options.isStale()) return { ...report, skippedAsStale: true };
    } catch (error) {
      // Not knowing is not a reason to stay silent: comments are tied to this head commit.
      warnings.push(`could not tell whether a newer push exists (${describeError(error)})`);
    }
  }

  if (publication.review) {
    const review = await postReview(
      client,
      target,
      publication.headSha,
      publication.review,
      retry,
      options.botLogin,
    );
    report.commentsPosted = review.commentsPosted;
    warnings.push(...review.warnings);
  }

  if (publication.resolve.length > 0) {
    const resolved = await resolveThreads(
      client,
      target,
      publication.resolve,
      retry,
      options.maxResolves ?? DEFAULT_MAX_RESOLVES,
    );
    report.threadsResolved = resolved.threadsResolved;
    warnings.push(...resolved.warnings);
  }

  const summary = await publishSummary(
    client,
    target,
    publication.summaryComment,
    options.existing?.summaryComment,
    retry,
  );
  report.summaryComment = summary.summaryComment;
  warnings.push(...summary.warnings);
  return report;
}

/** The result as a commit status: no annotations, the rest of the publication as usual. */
async function completeAsStatus(
  client: GitHubClient,
  target: PullRequestTarget,
  publication: Publication,
  retry: RetryOptions,
): Promise<{ completed: boolean; annotationsSent: number; warnings: string[] }> {
  try {
    const state = commitStateOf(publication.check.conclusion);
    await postCommitStatus(client, target, state, publication.check.title, retry);
    return { completed: true, annotationsSent: 0, warnings: [] };
  } catch (error) {
    return {
      completed: false,
      annotationsSent: 0,
      warnings: [`commit status not posted (${describeError(error)})`],
    };
  }
}
