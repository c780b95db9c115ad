/**
 * The target of a pull request of the fake GitHub, read as the app reads it: from the
 * `pull_request` webhook payload, through `targetOfPullRequest`.
 */
import { targetOfPullRequest } from '../../src/github/target.js';
import type { PullRequestLike } from '../../src/github/target.js';
import type { PullRequestTarget } from '../../src/github/types.js';
import type { FakeGitHub } from '../fake-github/index.js';

export function pullRequestTarget(
  fake: FakeGitHub,
  owner: string,
  repo: string,
  number: number,
): PullRequestTarget {
  const payload = fake.pullRequestPayload(owner, repo, number, 'opened') as {
    pull_request: PullRequestLike;
    repository: { default_branch: string };
  };
  return targetOfPullRequest(payload.pull_request, {
    owner,
    repo,
    defaultBranch: payload.repository.default_branch,
  });
}
