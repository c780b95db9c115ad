/**
 * What a pull request is compared with. GitHub's "Files changed" (and the `patch` of each file)
 * is the diff from the merge base — where the branch left the base branch — to the head, not
 * from the base branch's current tip. Comparing with the tip would credit the pull request with
 * whatever the base branch did since: a finding fixed on main after the branch point would show
 * as "new" here and block a pull request that never touched it.
 */
import { statusOf } from './client.js';
import type { GitHubClient, PullRequestTarget, RepoRef } from './types.js';

const SHA = /^[0-9a-f]{40}$/;

/**
 * The merge base of the target's base and head (one compare request), or the base SHA itself
 * when GitHub cannot compare them (unrelated histories, a base that was force-pushed away).
 * A merge group needs no request: GitHub builds its head on top of `base_sha`, so the base is
 * already the merge base (and its file list comes from the same comparison).
 */
export async function mergeBaseOf(
  client: GitHubClient,
  target: PullRequestTarget,
  signal?: AbortSignal,
): Promise<string> {
  if (target.mergeGroup) return target.baseSha;
  const found = await mergeBase(client, target, target.baseSha, target.headSha, signal);
  return found ?? target.baseSha;
}

/**
 * The merge base of two revisions (SHAs or branch names), from one compare request; undefined
 * when GitHub cannot compare them (404: unknown revision or unrelated histories, 422).
 */
export async function mergeBase(
  client: GitHubClient,
  repo: RepoRef,
  base: string,
  head: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
      owner: repo.owner,
      repo: repo.repo,
      basehead: `${base}...${head}`,
      // Only `merge_base_commit` is read: keep the commit list short.
      per_page: 1,
      ...(signal ? { request: { signal } } : {}),
    });
    const sha: unknown = data.merge_base_commit.sha;
    return typeof sha === 'string' && SHA.test(sha) ? sha : undefined;
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 422) return undefined;
    throw error;
  }
}
