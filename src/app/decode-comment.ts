/**
 * Which `issue_comment` webhooks carry `/s3-guard` commands for the app to answer. Pure, and
 * decided from the payload alone: a comment that is ignored costs no API call (most comments on
 * a busy repository are not commands, and bots talk to each other a lot).
 */
import { parseCommands } from '../github/commands/parse.js';
import type { CommandComment } from '../github/commands/answer.js';

/** The few fields read from an `issue_comment` webhook payload (GitHub sends many more). */
export interface IssueCommentPayload {
  readonly action: string;
  readonly issue: {
    readonly number: number;
    /** Present (an object) only when the issue is a pull request. */
    readonly pull_request?: unknown;
  };
  readonly comment: {
    readonly id: number;
    readonly body?: string | null;
    readonly user: { readonly login: string; readonly type?: string } | null;
    /** Set when a GitHub App wrote the comment (this app's replies, other apps). */
    readonly performed_via_github_app?: unknown;
  };
  readonly sender?: { readonly login?: string; readonly type?: string } | null;
  readonly repository: {
    readonly name: string;
    readonly owner: { readonly login: string } | null;
    readonly default_branch: string;
  };
}

export type CommentDecision =
  | { readonly answer: true; readonly comment: CommandComment }
  | { readonly answer: false; readonly reason: string };

/**
 * The commands of a newly created pull request comment written by a person, or why the comment
 * is ignored. Edits and deletions are ignored on purpose: re-running a command because its
 * comment was edited would let a typo fix trigger a second evaluation, and the record of an
 * `ignore` is re-read from the comments at each evaluation anyway.
 */
export function decodeIssueComment(payload: IssueCommentPayload): CommentDecision {
  if (payload.action !== 'created') {
    return { answer: false, reason: `action ${payload.action} is not answered` };
  }
  const pullRequest = payload.issue.pull_request;
  if (pullRequest === undefined || pullRequest === null) {
    return { answer: false, reason: 'comment on an issue, not a pull request' };
  }
  const comment = payload.comment;
  const user = comment.user;
  if (user === null || user.type !== 'User') {
    return { answer: false, reason: `comment by a ${user?.type ?? 'deleted user'}` };
  }
  if (payload.sender?.type === 'Bot') return { answer: false, reason: 'sent by a bot' };
  const via = comment.performed_via_github_app;
  if (via !== undefined && via !== null) {
    return { answer: false, reason: 'written through a GitHub App' };
  }
  const owner = payload.repository.owner?.login;
  if (owner === undefined) return { answer: false, reason: 'repository has no owner' };
  const commands = parseCommands(comment.body ?? '');
  if (commands.length === 0) return { answer: false, reason: 'no commands' };
  return {
    answer: true,
    comment: {
      owner,
      repo: payload.repository.name,
      defaultBranch: payload.repository.default_branch,
      number: payload.issue.number,
      commentId: comment.id,
      login: user.login,
      commands,
    },
  };
}
