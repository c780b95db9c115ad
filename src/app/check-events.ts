/**
 * Re-run, Re-run all, the Re-evaluate button and merge queues. Each becomes a request to the
 * evaluation service (a new check run; GitHub shows a commit's newest run of a name), after:
 *
 * - the run or suite is ours (name and app id; `decode-checks.ts`), else nothing at all;
 * - the commit is resolved: a merge queue's branch → the merge group again (its base is the
 *   merge base of the queue's base branch and the head); otherwise the open pull request whose
 *   head it is (the payload's list, or a lookup for forks, `github/pulls-for-commit.ts`);
 * - the sender may `recheck` (pull request author or write access, from the API). A refusal is
 *   only logged: a button click has no conversation to answer in.
 *
 * A click that cannot be honoured because the commit is not (or no longer) the head of an open
 * pull request still gets a new check run, completed `neutral` with the reason, so it is never
 * silently dropped. `merge_group.checks_requested` needs no permission: GitHub sends it when the
 * queue asks for the required checks.
 */
import type { Context } from 'probot';
import { permissionChecker } from '../github/commands/permissions.js';
import { mergeBase } from '../github/merge-base.js';
import { createCompletedCheckRun } from '../github/publish/index.js';
import { findPullRequestForCommit, pullRequestsAtHead } from '../github/pulls-for-commit.js';
import type { PullForCommit } from '../github/pulls-for-commit.js';
import { targetOfMergeGroup, targetOfPullRequest } from '../github/target.js';
import type { GitHubClient, PullRequestTarget } from '../github/types.js';
import {
  CHECK_EVENTS,
  MERGE_GROUP_EVENTS,
  decodeCheckRunEvent,
  decodeCheckSuiteEvent,
  decodeMergeGroupEvent,
} from './decode-checks.js';
import type {
  CheckRunPayload,
  CheckSuitePayload,
  DecodedCheckEvent,
  MergeGroupPayload,
  RerunRequest,
} from './decode-checks.js';
import type { HandlerContext, RegisterHandlers } from './handler-context.js';

export const registerCheckEventHandlers: RegisterHandlers = (probot, handlers) => {
  probot.on([...CHECK_EVENTS], async (context) => {
    const appId = (await handlers.identity()).id;
    const decoded =
      context.name === 'check_run'
        ? decodeCheckRunEvent(context.payload as unknown as CheckRunPayload, appId)
        : decodeCheckSuiteEvent(context.payload as unknown as CheckSuitePayload, appId);
    if (decoded.kind !== 'rerun') return ignored(handlers, context, decoded);
    await rerun(handlers, handlers.clientOf(context), decoded.request, context.id);
  });

  probot.on([...MERGE_GROUP_EVENTS], async (context) => {
    const decoded = decodeMergeGroupEvent(context.payload as unknown as MergeGroupPayload);
    if (decoded.kind !== 'merge-group') return ignored(handlers, context, decoded);
    await handlers.evaluations.request({
      client: handlers.clientOf(context),
      target: decoded.target,
      reason: 'merge_group.checks_requested',
      delivery: context.id,
    });
  });
};

function ignored(handlers: HandlerContext, context: Context, decoded: DecodedCheckEvent): void {
  const reason = decoded.kind === 'ignore' ? decoded.reason : decoded.kind;
  const action = (context.payload as { action?: string }).action;
  handlers.log.debug(
    { delivery: context.id, event: `${context.name}.${action}`, reason },
    'ignored',
  );
}

async function rerun(
  handlers: HandlerContext,
  client: GitHubClient,
  request: RerunRequest,
  delivery: string,
): Promise<void> {
  const { repository, headSha } = request;
  const repo = { owner: repository.owner, repo: repository.repo };
  const fields = { delivery, event: request.event, headSha, sender: request.sender };

  if (request.mergeQueue !== undefined) {
    // No pull request author to fall back on: write access it is.
    if (!(await mayRecheck(handlers, client, request, '', fields))) return;
    const queue = request.mergeQueue;
    // Where the queue's branch left its base branch (by name: the queue's base is a branch).
    // GitHub builds a group on the base branch's tip of that moment, possibly after other
    // groups ahead of it in the queue.
    const baseSha = await mergeBase(client, repo, queue.baseRef, headSha);
    if (baseSha === undefined) {
      throw new Error(
        `the merge queue's base branch ${queue.baseRef} has no common history with ${headSha}`,
      );
    }
    const target = targetOfMergeGroup(
      { head_sha: headSha, base_sha: baseSha, head_ref: queue.headRef, base_ref: queue.baseRef },
      repository,
    );
    await handlers.evaluations.request({ client, target, reason: request.event, delivery });
    return;
  }

  const found: PullForCommit =
    request.pullRequests.length > 0
      ? await pullRequestsAtHead(client, repo, request.pullRequests, headSha)
      : await findPullRequestForCommit(client, repo, headSha);
  const author =
    found.kind === 'head'
      ? (found.pull.user?.login ?? 'ghost')
      : found.kind === 'moved'
        ? found.author
        : '';
  if (!(await mayRecheck(handlers, client, request, author, fields))) return;

  if (found.kind === 'head') {
    const target = targetOfPullRequest(found.pull, repository);
    await handlers.evaluations.request({ client, target, reason: request.event, delivery });
    return;
  }
  const short = headSha.slice(0, 7);
  const explained =
    found.kind === 'moved'
      ? {
          number: found.number,
          title: `Commit ${short} is no longer the head of #${found.number}`,
          summary: `Commit ${short} is no longer the head of #${found.number}; its newest commit (${found.headSha.slice(0, 7)}) has the result. Re-run the check there.`,
        }
      : {
          number: 0,
          title: 'Not the head of an open pull request',
          summary: `Commit ${short} is not the head of an open pull request of this repository, so there is nothing to evaluate again. The check runs on pull request heads and merge groups.`,
        };
  handlers.log.info(
    { ...fields, pullRequest: explained.number },
    `${request.event}: ${explained.title}`,
  );
  const target: PullRequestTarget = {
    ...repo,
    number: explained.number,
    headSha,
    baseSha: headSha,
    baseRef: repository.defaultBranch,
    defaultBranch: repository.defaultBranch,
    author,
  };
  await createCompletedCheckRun(client, target, explained.title, explained.summary, 'neutral');
}

async function mayRecheck(
  handlers: HandlerContext,
  client: GitHubClient,
  request: RerunRequest,
  author: string,
  fields: object,
): Promise<boolean> {
  const checker = permissionChecker(client, {
    repo: { owner: request.repository.owner, repo: request.repository.repo },
    author,
    ignoreAllow: [],
  });
  const permission = await checker.check(request.sender, 'recheck');
  if (permission.allowed) return true;
  handlers.log.info({ ...fields, reason: permission.reason }, `${request.event}: refused`);
  return false;
}
