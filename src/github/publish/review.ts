/**
 * The one review per evaluation that carries the new inline comments. GitHub rejects a whole
 * review with 422 when one comment's line is outside the diff, and bots posting many comments
 * have hit 502s and abuse blocks, so the fallback is small and the number of writes bounded.
 */
import { statusOf } from '../client.js';
import type {
  GitHubClient,
  PlannedReviewComment,
  Publication,
  PullRequestTarget,
} from '../types.js';
import { limitCommentBody, truncateChars, MAX_COMMENT_BODY } from './limits.js';
import { describeError } from '../client.js';
import { withRetry } from './retry.js';
import { loadReviewThreads } from './state.js';
import type { RetryOptions } from './retry.js';

/** Comments posted one by one after a 422 only when this few remain. */
export const MAX_SINGLE_COMMENT_REVIEWS = 5;
/** Review writes per evaluation, retries included: 1 + 5 singles + 2 retries. */
export const MAX_REVIEW_WRITES = 8;

export interface ReviewResult {
  readonly commentsPosted: number;
  readonly warnings: string[];
}

/** The REST shape of a planned comment; a range only when it spans more than one line. */
export function restComment(comment: PlannedReviewComment) {
  const range =
    comment.startLine !== undefined && comment.startLine < comment.line
      ? { start_line: comment.startLine, start_side: comment.startSide ?? comment.side }
      : {};
  return {
    path: comment.path,
    line: comment.line,
    side: comment.side,
    ...range,
    body: limitCommentBody(comment.body),
  };
}

class WriteBudgetSpent extends Error {
  constructor() {
    super(`more than ${MAX_REVIEW_WRITES} review requests would be needed`);
  }
}

/**
 * After a 5xx on the review: did it land anyway? True when every planned comment's
 * fingerprint is now on one of this app's threads (a review is created whole or not at all).
 * Unknown counts as not landed: a duplicate is less bad than a lost review.
 */
async function reviewLanded(
  client: GitHubClient,
  target: PullRequestTarget,
  botLogin: string,
  comments: readonly PlannedReviewComment[],
): Promise<boolean> {
  try {
    const threads = await loadReviewThreads(client, target, botLogin);
    const present = new Set(threads.map((thread) => thread.fingerprint));
    return comments.length > 0 && comments.every((comment) => present.has(comment.fingerprint));
  } catch {
    return false;
  }
}

export async function postReview(
  client: GitHubClient,
  target: PullRequestTarget,
  headSha: string,
  review: NonNullable<Publication['review']>,
  retry: RetryOptions,
  botLogin?: string,
): Promise<ReviewResult> {
  const warnings: string[] = [];
  let writes = 0;
  let landedDespiteError = false;
  const send = (body: string | undefined, comments: readonly PlannedReviewComment[]) =>
    withRetry(
      () => {
        // Counted per attempt, so retries spend the budget too.
        if (++writes > MAX_REVIEW_WRITES) throw new WriteBudgetSpent();
        return client.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
          owner: target.owner,
          repo: target.repo,
          pull_number: target.number,
          commit_id: headSha,
          event: 'COMMENT',
          ...(body === undefined ? {} : { body: truncateChars(body, MAX_COMMENT_BODY) }),
          comments: comments.map(restComment),
        });
      },
      retry,
      botLogin === undefined
        ? undefined
        : {
            landed: () => reviewLanded(client, target, botLogin, comments),
            onLanded: () => {
              landedDespiteError = true;
              return undefined;
            },
          },
    );

  try {
    await send(review.body, review.comments);
    if (landedDespiteError) {
      warnings.push('GitHub answered the review with a server error but created it: not repeated');
    }
    return { commentsPosted: review.comments.length, warnings };
  } catch (error) {
    if (statusOf(error) !== 422 || review.comments.length === 0) {
      warnings.push(`posting the review failed (${describeError(error)})`);
      return { commentsPosted: 0, warnings };
    }
    if (review.comments.length > MAX_SINGLE_COMMENT_REVIEWS) {
      warnings.push(
        `GitHub refused the review (${describeError(error)}); its ${review.comments.length} inline comments were not posted (the findings are in the check run's annotations)`,
      );
      return { commentsPosted: 0, warnings };
    }
  }

  // 422: some line is not in the diff. Post each comment on its own; the review's body rides
  // with the first that GitHub accepts, so it appears once.
  let pendingBody: string | undefined = review.body;
  let commentsPosted = 0;
  for (const comment of review.comments) {
    try {
      await send(pendingBody, [comment]);
      pendingBody = undefined;
      commentsPosted++;
    } catch (error) {
      warnings.push(
        `inline comment on ${comment.path}:${comment.line} not posted (${describeError(error)})`,
      );
      if (error instanceof WriteBudgetSpent) break;
    }
  }
  return { commentsPosted, warnings };
}
