/**
 * A pull request object (a webhook's `pull_request`, or `GET /pulls/{n}`; GitHub sends the
 * same shape) as the target of an evaluation. One function, so the app and the CLI's `pr`
 * command agree on forks and names.
 */
import type { PullRequestTarget } from './types.js';

interface RepoLike {
  readonly name: string;
  readonly owner: { readonly login: string } | null;
}

/** The fields read (GitHub sends many more). */
export interface PullRequestLike {
  readonly number: number;
  readonly head: { readonly sha: string; readonly repo: RepoLike | null };
  readonly base: { readonly sha: string; readonly ref: string };
  readonly user: { readonly login: string } | null;
}

export function targetOfPullRequest(
  pr: PullRequestLike,
  repository: { readonly owner: string; readonly repo: string; readonly defaultBranch: string },
): PullRequestTarget {
  const { owner, repo } = repository;
  const head = pr.head.repo;
  const headOwner = head?.owner?.login;
  // A head repository that differs from the base one is a fork. (When the fork was deleted,
  // `head.repo` is null; the head commit is still readable from the base repository, which is
  // where contents are always read from.)
  const fork =
    head !== null &&
    headOwner !== undefined &&
    (headOwner.toLowerCase() !== owner.toLowerCase() ||
      head.name.toLowerCase() !== repo.toLowerCase())
      ? { owner: headOwner, repo: head.name }
      : undefined;
  return {
    owner,
    repo,
    number: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    baseRef: pr.base.ref,
    defaultBranch: repository.defaultBranch,
    // A deleted account shows as null; GitHub names it "ghost".
    author: pr.user?.login ?? 'ghost',
    ...(fork === undefined ? {} : { fork }),
  };
}
