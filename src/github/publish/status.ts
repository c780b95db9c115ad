/**
 * A commit status instead of a check run, for tokens that cannot create check runs (only GitHub
 * Apps can; a personal token running `s3-endpoint-guard pr --post` cannot). Same context name as
 * the check, so branch protection can require it; no annotations (statuses have none), the
 * review and summary comment carry the detail.
 */
import type { GitHubClient, Publication, PullRequestTarget } from '../types.js';
import { CHECK_NAME } from '../types.js';
import type { RetryOptions } from './retry.js';
import { withRetry } from './retry.js';

/** GitHub's limit for a status description. */
export const MAX_STATUS_DESCRIPTION = 140;

export type CommitState = 'pending' | 'success' | 'failure' | 'error';

/**
 * The status for a check conclusion. `neutral` ("could not evaluate" with `onError: neutral`)
 * must not block, so it is `success` with a description that says what happened.
 */
export function commitStateOf(conclusion: Publication['check']['conclusion']): CommitState {
  return conclusion === 'failure' ? 'failure' : 'success';
}

export function statusDescription(title: string): string {
  const oneLine = title.replace(/\s+/g, ' ').trim();
  return oneLine.length <= MAX_STATUS_DESCRIPTION
    ? oneLine
    : `${oneLine.slice(0, MAX_STATUS_DESCRIPTION - 1)}…`;
}

export async function postCommitStatus(
  client: GitHubClient,
  target: PullRequestTarget,
  state: CommitState,
  title: string,
  retry: RetryOptions,
): Promise<void> {
  await withRetry(
    () =>
      client.request('POST /repos/{owner}/{repo}/statuses/{sha}', {
        owner: target.owner,
        repo: target.repo,
        sha: target.headSha,
        state,
        context: CHECK_NAME,
        description: statusDescription(title),
      }),
    retry,
  );
}
