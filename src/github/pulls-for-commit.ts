/**
 * The open pull request whose head is a given commit: what a re-run of a check run (which knows
 * only its commit) is about. GitHub's check payloads list the pull requests of the commit only
 * when the head branch is in the same repository; for forks the list is empty, and the pull
 * request has to be looked up.
 */
import { PAGE_SIZE, statusOf } from './client.js';
import type { PullRequestLike } from './target.js';
import type { GitHubClient, RepoRef } from './types.js';

/** The fields read from a pull request object (`GET pulls/{n}`, a list's item). */
export interface OpenPullRequest extends PullRequestLike {
  readonly state: string;
  readonly base: PullRequestLike['base'] & {
    readonly repo: { readonly name: string; readonly owner: { readonly login: string } | null };
  };
}

export type PullForCommit =
  /** An open pull request of this repository whose head is the commit. */
  | { readonly kind: 'head'; readonly pull: OpenPullRequest }
  /** The commit belonged to this open pull request, but its head has moved on since. */
  | {
      readonly kind: 'moved';
      readonly number: number;
      readonly headSha: string;
      readonly author: string;
    }
  | { readonly kind: 'none' };

/** Pages of open pull requests searched when GitHub's commit → pulls index has no answer. */
export const MAX_OPEN_PULL_PAGES = 3;

/**
 * The pull requests a check payload listed, read again (the payload may be minutes old): the
 * first one still open with the commit as its head, else the first open one that moved on.
 */
export async function pullRequestsAtHead(
  client: GitHubClient,
  repo: RepoRef,
  numbers: readonly number[],
  sha: string,
): Promise<PullForCommit> {
  let moved: PullForCommit = { kind: 'none' };
  for (const number of numbers) {
    let pull: OpenPullRequest;
    try {
      const response = await client.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner: repo.owner,
        repo: repo.repo,
        pull_number: number,
      });
      pull = response.data as OpenPullRequest;
    } catch (error) {
      // Deleted or transferred since the payload was sent: nothing to evaluate there.
      if (statusOf(error) === 404) continue;
      throw error;
    }
    const found = classify(pull, repo, sha);
    if (found.kind === 'head') return found;
    if (found.kind === 'moved' && moved.kind === 'none') moved = found;
  }
  return moved;
}

/**
 * The open pull request of `repo` whose head is `sha`: GitHub's commit → pull requests index
 * first (one request; it covers forks), then, because that index can lag behind a push by a
 * few seconds, the most recently updated open pull requests (≤ 3 pages of 100).
 */
export async function findPullRequestForCommit(
  client: GitHubClient,
  repo: RepoRef,
  sha: string,
): Promise<PullForCommit> {
  let moved: PullForCommit = { kind: 'none' };
  let associated: readonly OpenPullRequest[] = [];
  try {
    const response = await client.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
      owner: repo.owner,
      repo: repo.repo,
      commit_sha: sha,
      per_page: PAGE_SIZE,
    });
    associated = response.data as readonly OpenPullRequest[];
  } catch (error) {
    // 422: GitHub does not know the commit in this repository (yet); the list below may.
    const status = statusOf(error);
    if (status !== 404 && status !== 422) throw error;
  }
  for (const pull of associated) {
    const found = classify(pull, repo, sha);
    if (found.kind === 'head') return found;
    if (found.kind === 'moved' && moved.kind === 'none') moved = found;
  }

  for (let page = 1; page <= MAX_OPEN_PULL_PAGES; page++) {
    const response = await client.request('GET /repos/{owner}/{repo}/pulls', {
      owner: repo.owner,
      repo: repo.repo,
      state: 'open',
      sort: 'updated',
      direction: 'desc',
      per_page: PAGE_SIZE,
      page,
    });
    const pulls = response.data as readonly OpenPullRequest[];
    const head = pulls.find((pull) => classify(pull, repo, sha).kind === 'head');
    if (head !== undefined) return { kind: 'head', pull: head };
    if (pulls.length < PAGE_SIZE) break;
  }
  return moved;
}

/** A listed pull request's relation to the commit; only open ones of this repository count. */
function classify(pull: OpenPullRequest, repo: RepoRef, sha: string): PullForCommit {
  if (pull.state !== 'open') return { kind: 'none' };
  const base = pull.base.repo;
  if (
    base.owner?.login.toLowerCase() !== repo.owner.toLowerCase() ||
    base.name.toLowerCase() !== repo.repo.toLowerCase()
  ) {
    return { kind: 'none' };
  }
  if (pull.head.sha === sha) return { kind: 'head', pull };
  return {
    kind: 'moved',
    number: pull.number,
    headSha: pull.head.sha,
    author: pull.user?.login ?? 'ghost',
  };
}
