/**
 * Which `pull_request` webhooks start an evaluation, and the target they describe. Pure, so the
 * decision is tested on GitHub's example payloads without a server.
 */
import { targetOfPullRequest } from '../github/target.js';
import type { PullRequestTarget } from '../github/types.js';

/** The actions that change what the check must say about the pull request's head. */
export const PULL_REQUEST_ACTIONS = [
  'opened',
  'synchronize',
  'reopened',
  'ready_for_review',
  'edited',
] as const;

export const PULL_REQUEST_EVENTS = PULL_REQUEST_ACTIONS.map(
  (action) => `pull_request.${action}` as const,
);

/** The few fields read from a `pull_request` webhook payload (GitHub sends many more). */
export interface PullRequestPayload {
  readonly action: string;
  readonly changes?: { readonly base?: unknown } | null;
  readonly pull_request: {
    readonly number: number;
    readonly state: string;
    readonly head: { readonly sha: string; readonly repo: PayloadRepo | null };
    readonly base: { readonly sha: string; readonly ref: string; readonly repo: PayloadRepo };
    readonly user: { readonly login: string } | null;
  };
  readonly repository: PayloadRepo & { readonly default_branch: string };
}

interface PayloadRepo {
  readonly name: string;
  readonly owner: { readonly login: string } | null;
}

export type Decoded =
  | { readonly evaluate: true; readonly target: PullRequestTarget }
  | { readonly evaluate: false; readonly reason: string };

/**
 * The target of a `pull_request` event, or why it is ignored. Draft pull requests are evaluated
 * too: authors want the feedback before asking for review. `edited` counts only when the base
 * branch changed (title and body edits change nothing the check looks at).
 */
export function decodePullRequestEvent(payload: PullRequestPayload): Decoded {
  const action = payload.action;
  if (!(PULL_REQUEST_ACTIONS as readonly string[]).includes(action)) {
    return { evaluate: false, reason: `action ${action} is not evaluated` };
  }
  if (action === 'edited' && (payload.changes?.base ?? undefined) === undefined) {
    return { evaluate: false, reason: 'edited without a base branch change' };
  }
  const pr = payload.pull_request;
  if (pr.state !== 'open') return { evaluate: false, reason: `pull request is ${pr.state}` };
  const owner = payload.repository.owner?.login;
  if (owner === undefined) return { evaluate: false, reason: 'repository has no owner' };
  return {
    evaluate: true,
    target: targetOfPullRequest(pr, {
      owner,
      repo: payload.repository.name,
      defaultBranch: payload.repository.default_branch,
    }),
  };
}

/**
 * The scheduler's key for a pull request (`owner/repo#12`) or a merge group
 * (`owner/repo@gh-readonly-queue/main/pr-12-…`): names are case-insensitive on GitHub.
 */
export function pullRequestKey(
  target: Pick<PullRequestTarget, 'owner' | 'repo' | 'number' | 'mergeGroup'>,
): string {
  const which =
    target.mergeGroup === undefined ? `#${target.number}` : `@${target.mergeGroup.headRef}`;
  return `${target.owner}/${target.repo}${which}`.toLowerCase();
}
