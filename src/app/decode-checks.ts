/**
 * Which check webhooks ask for a re-evaluation, and what they point at: the Re-run button
 * (`check_run.rerequested`), Re-run all (`check_suite.rerequested`), the Re-evaluate action
 * (`check_run.requested_action`) and merge queues (`merge_group.checks_requested`). Pure, so the
 * decisions are tested on GitHub's example payloads without a server; the lookups that follow
 * (which pull request, who clicked) are in `check-events.ts`.
 */
import { targetOfMergeGroup } from '../github/target.js';
import { REEVALUATE_ACTION } from '../github/commands/types.js';
import { CHECK_NAME } from '../github/types.js';
import type { PullRequestTarget } from '../github/types.js';

/** The repository fields read from any of these payloads. */
export interface PayloadRepository {
  readonly id: number;
  readonly name: string;
  readonly owner: { readonly login: string } | null;
  readonly default_branch: string;
}

/** A pull request as check payloads list it (no author, no state: only refs). */
interface PayloadPullRef {
  readonly number: number;
  readonly base: { readonly repo: { readonly id: number } | null };
}

interface PayloadSuite {
  readonly head_branch: string | null;
  readonly head_sha: string;
  readonly app?: { readonly id: number } | null;
  readonly pull_requests?: readonly PayloadPullRef[] | null;
}

interface PayloadSender {
  readonly login: string;
}

/** The few fields read from a `check_run` webhook payload. */
export interface CheckRunPayload {
  readonly action: string;
  readonly check_run: {
    readonly name: string;
    readonly head_sha: string;
    readonly app?: { readonly id: number } | null;
    readonly check_suite: PayloadSuite;
    readonly pull_requests?: readonly PayloadPullRef[] | null;
  };
  readonly requested_action?: { readonly identifier: string } | null;
  readonly repository: PayloadRepository;
  readonly sender: PayloadSender | null;
}

/** The few fields read from a `check_suite` webhook payload. */
export interface CheckSuitePayload {
  readonly action: string;
  readonly check_suite: PayloadSuite;
  readonly repository: PayloadRepository;
  readonly sender: PayloadSender | null;
}

/** The few fields read from a `merge_group` webhook payload. */
export interface MergeGroupPayload {
  readonly action: string;
  readonly merge_group: {
    readonly head_sha: string;
    readonly head_ref: string;
    readonly base_sha: string;
    readonly base_ref: string;
  };
  readonly repository: PayloadRepository;
}

export interface RepositoryOfEvent {
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
}

/** A merge queue's temporary branch, as named by GitHub. */
export interface MergeQueueBranch {
  /** `refs/heads/gh-readonly-queue/main/pr-42-<sha>`: the merge group's `head_ref`. */
  readonly headRef: string;
  /** The branch the queue merges into (`main`). */
  readonly baseRef: string;
  readonly number: number;
}

/** A re-run someone asked for: still to be resolved to a pull request or a merge group. */
export interface RerunRequest {
  /** `check_run.rerequested`, `check_run.requested_action` or `check_suite.rerequested`. */
  readonly event: string;
  readonly repository: RepositoryOfEvent;
  /** The commit whose check was re-requested. */
  readonly headSha: string;
  /** Who clicked (permission is checked from the API before anything is created). */
  readonly sender: string;
  /**
   * The pull requests the payload lists whose base is this repository, in order, without
   * duplicates. Empty for forks: GitHub leaves `pull_requests` empty when the head is elsewhere.
   */
  readonly pullRequests: readonly number[];
  /** Set when the commit is a merge queue's head: the group is evaluated again, not a PR. */
  readonly mergeQueue?: MergeQueueBranch;
}

export type DecodedCheckEvent =
  | { readonly kind: 'rerun'; readonly request: RerunRequest }
  | { readonly kind: 'merge-group'; readonly target: PullRequestTarget }
  | { readonly kind: 'ignore'; readonly reason: string };

export const CHECK_EVENTS = [
  'check_run.rerequested',
  'check_run.requested_action',
  'check_suite.rerequested',
] as const;

export const MERGE_GROUP_EVENTS = [
  'merge_group.checks_requested',
  'merge_group.destroyed',
] as const;

// GitHub's name for a merge group's branch: `gh-readonly-queue/<base>/pr-<n>-<head sha>`.
const QUEUE_BRANCH = /^gh-readonly-queue\/(.+)\/pr-(\d+)-[0-9a-f]{40}$/;

/** The merge queue branch a check suite's `head_branch` names, if it is one. */
export function mergeQueueBranch(
  headBranch: string | null | undefined,
): MergeQueueBranch | undefined {
  if (headBranch === null || headBranch === undefined) return undefined;
  const branch = headBranch.startsWith('refs/heads/')
    ? headBranch.slice('refs/heads/'.length)
    : headBranch;
  const match = QUEUE_BRANCH.exec(branch);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { headRef: `refs/heads/${branch}`, baseRef: match[1], number: Number(match[2]) };
}

/**
 * `check_run.rerequested` and `check_run.requested_action` (the Re-evaluate button only) on the
 * app's own check run. `appId` is the app's id when known: GitHub sends these actions only to
 * the app that created the run, so the name check alone would do; the id check keeps another
 * app's identically named check from ever starting work here.
 */
export function decodeCheckRunEvent(
  payload: CheckRunPayload,
  appId: number | undefined,
): DecodedCheckEvent {
  const run = payload.check_run;
  const event = `check_run.${payload.action}`;
  if (payload.action !== 'rerequested' && payload.action !== 'requested_action') {
    return { kind: 'ignore', reason: `action ${payload.action} is not a re-run` };
  }
  if (
    payload.action === 'requested_action' &&
    payload.requested_action?.identifier !== REEVALUATE_ACTION.identifier
  ) {
    return {
      kind: 'ignore',
      reason: `requested action ${JSON.stringify(payload.requested_action?.identifier ?? null)} is not ours`,
    };
  }
  if (run.name !== CHECK_NAME) {
    return { kind: 'ignore', reason: `check run ${JSON.stringify(run.name)} is not ours` };
  }
  const notOurs = otherApp(run.app, appId);
  if (notOurs !== undefined) return { kind: 'ignore', reason: notOurs };
  const pulls = [...(run.pull_requests ?? []), ...(run.check_suite.pull_requests ?? [])];
  return rerun(event, payload, run.head_sha, run.check_suite.head_branch, pulls);
}

/** `check_suite.rerequested` (Re-run all) on the app's own suite. */
export function decodeCheckSuiteEvent(
  payload: CheckSuitePayload,
  appId: number | undefined,
): DecodedCheckEvent {
  if (payload.action !== 'rerequested') {
    return { kind: 'ignore', reason: `action ${payload.action} is not a re-run` };
  }
  const suite = payload.check_suite;
  const notOurs = otherApp(suite.app, appId);
  if (notOurs !== undefined) return { kind: 'ignore', reason: notOurs };
  return rerun(
    'check_suite.rerequested',
    payload,
    suite.head_sha,
    suite.head_branch,
    suite.pull_requests ?? [],
  );
}

/**
 * `merge_group.checks_requested`: the group's head is evaluated against its base. `destroyed`
 * (merged, or the group was dropped) needs nothing: its check run belongs to a commit that is
 * gone from the queue.
 */
export function decodeMergeGroupEvent(payload: MergeGroupPayload): DecodedCheckEvent {
  if (payload.action !== 'checks_requested') {
    return { kind: 'ignore', reason: `merge_group.${payload.action} needs no check` };
  }
  const repository = repositoryOf(payload.repository);
  if (repository === undefined) return { kind: 'ignore', reason: 'repository has no owner' };
  return { kind: 'merge-group', target: targetOfMergeGroup(payload.merge_group, repository) };
}

function otherApp(
  app: { readonly id: number } | null | undefined,
  appId: number | undefined,
): string | undefined {
  if (appId === undefined || app?.id === appId) return undefined;
  return `created by app ${app?.id ?? 'unknown'}, not this one (${appId})`;
}

function rerun(
  event: string,
  payload: { readonly repository: PayloadRepository; readonly sender: PayloadSender | null },
  headSha: string,
  headBranch: string | null,
  pulls: readonly PayloadPullRef[],
): DecodedCheckEvent {
  const repository = repositoryOf(payload.repository);
  if (repository === undefined) return { kind: 'ignore', reason: 'repository has no owner' };
  const sender = payload.sender?.login;
  if (sender === undefined) return { kind: 'ignore', reason: 'no sender' };
  // A pull request of another repository can list this commit too (a fork's own PR): only
  // this repository's pull requests are evaluated here.
  const numbers = pulls
    .filter((pull) => pull.base.repo?.id === payload.repository.id)
    .map((pull) => pull.number);
  const mergeQueue = mergeQueueBranch(headBranch);
  return {
    kind: 'rerun',
    request: {
      event,
      repository,
      headSha,
      sender,
      pullRequests: [...new Set(numbers)],
      ...(mergeQueue === undefined ? {} : { mergeQueue }),
    },
  };
}

function repositoryOf(repository: PayloadRepository): RepositoryOfEvent | undefined {
  const owner = repository.owner?.login;
  if (owner === undefined) return undefined;
  return { owner, repo: repository.name, defaultBranch: repository.default_branch };
}
