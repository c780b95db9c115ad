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

/** The fields of a webhook's `merge_group` read here. */
export interface MergeGroupLike {
  readonly head_sha: string;
  readonly base_sha: string;
  /** `refs/heads/gh-readonly-queue/main/pr-42-<sha>`. */
  readonly head_ref: string;
  /** `refs/heads/main`. */
  readonly base_ref: string;
}

const HEADS = 'refs/heads/';

/**
 * A merge queue's merge group (`merge_group.checks_requested`) as the target of an evaluation:
 * its head (the base branch's tip with the queued pull requests merged on top) against its
 * base. There is no pull request to read or write: `number` is only for logs and wording (the
 * newest pull request the group's branch names, 0 if it names none), and there is no author.
 */
export function targetOfMergeGroup(
  mergeGroup: MergeGroupLike,
  repository: { readonly owner: string; readonly repo: string; readonly defaultBranch: string },
): PullRequestTarget {
  const headRef = withoutHeads(mergeGroup.head_ref);
  return {
    owner: repository.owner,
    repo: repository.repo,
    number: pullNumberOf(headRef),
    headSha: mergeGroup.head_sha,
    baseSha: mergeGroup.base_sha,
    baseRef: withoutHeads(mergeGroup.base_ref),
    defaultBranch: repository.defaultBranch,
    author: '',
    mergeGroup: { headRef },
  };
}

function withoutHeads(ref: string): string {
  return ref.startsWith(HEADS) ? ref.slice(HEADS.length) : ref;
}

/**
 * The pull request number in GitHub's merge-group branch name,
 * `gh-readonly-queue/<base>/pr-<n>-<sha>`: the last path segment (a base branch may itself
 * contain `/` and even `pr-1-`). 0 when the name has another shape.
 */
function pullNumberOf(headRef: string): number {
  const last = headRef.slice(headRef.lastIndexOf('/') + 1);
  const match = /^pr-([1-9][0-9]{0,9})-[0-9a-f]{7,64}$/.exec(last);
  const number = match?.[1] === undefined ? 0 : Number(match[1]);
  return Number.isSafeInteger(number) ? number : 0;
}
