/**
 * Which `issue_comment` webhooks the app answers, on GitHub's own example payloads
 * (@octokit/webhooks-examples). GitHub's examples are comments on a plain issue by a user; the
 * pull request cases set `issue.pull_request` and a command body on a copy of them.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeIssueComment } from '../../src/app/decode-comment.js';
import type { IssueCommentPayload } from '../../src/app/decode-comment.js';

const require = createRequire(import.meta.url);
const examples = (
  require('@octokit/webhooks-examples/api.github.com/index.json') as {
    name: string;
    examples: IssueCommentPayload[];
  }[]
).find((event) => event.name === 'issue_comment')!.examples;

function example(action: string): IssueCommentPayload {
  const found = examples.find((e) => e.action === action);
  if (found === undefined) throw new Error(`no example for ${action}`);
  return structuredClone(found);
}

/** GitHub's example for `action`, moved onto a pull request with `body`. */
function onPullRequest(action: string, body: string): IssueCommentPayload {
  const payload = example(action);
  return {
    ...payload,
    issue: {
      ...payload.issue,
      pull_request: { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1' },
    },
    comment: { ...payload.comment, body },
  };
}

describe('decodeIssueComment (GitHub example payloads)', () => {
  it('answers a new pull request comment with commands', () => {
    const payload = onPullRequest(
      'created',
      'Thanks!\n/s3-guard recheck\n/s3-guard explain endpoint-policy-full-access',
    );
    expect(decodeIssueComment(payload)).toEqual({
      answer: true,
      comment: {
        owner: 'Codertocat',
        repo: 'Hello-World',
        defaultBranch: 'master',
        number: 1,
        commentId: 492700400,
        login: 'Codertocat',
        commands: [{ kind: 'recheck' }, { kind: 'explain', rule: 'endpoint-policy-full-access' }],
      },
    });
  });

  it('ignores GitHub example comments as they are (a plain issue, no command)', () => {
    for (const payload of examples) {
      expect(decodeIssueComment(structuredClone(payload)), payload.action).toEqual({
        answer: false,
        reason:
          payload.action === 'created'
            ? 'comment on an issue, not a pull request'
            : `action ${payload.action} is not answered`,
      });
    }
  });

  it('ignores a command on an issue that is not a pull request', () => {
    const payload = { ...example('created') };
    payload.comment = { ...payload.comment, body: '/s3-guard recheck' };
    expect(decodeIssueComment(payload)).toEqual({
      answer: false,
      reason: 'comment on an issue, not a pull request',
    });
  });

  it('ignores edited and deleted comments, even with commands', () => {
    expect(decodeIssueComment(onPullRequest('edited', '/s3-guard recheck'))).toEqual({
      answer: false,
      reason: 'action edited is not answered',
    });
    expect(decodeIssueComment(onPullRequest('deleted', '/s3-guard recheck'))).toEqual({
      answer: false,
      reason: 'action deleted is not answered',
    });
  });

  it('ignores comments by bots, apps and deleted users', () => {
    const base = onPullRequest('created', '/s3-guard recheck');
    const bot = { ...base, comment: { ...base.comment, user: { login: 'x[bot]', type: 'Bot' } } };
    expect(decodeIssueComment(bot)).toEqual({ answer: false, reason: 'comment by a Bot' });
    const sender = { ...base, sender: { login: 'x[bot]', type: 'Bot' } };
    expect(decodeIssueComment(sender)).toEqual({ answer: false, reason: 'sent by a bot' });
    const viaApp = {
      ...base,
      comment: { ...base.comment, performed_via_github_app: { id: 1, slug: 'other' } },
    };
    expect(decodeIssueComment(viaApp)).toEqual({
      answer: false,
      reason: 'written through a GitHub App',
    });
    const ghost = { ...base, comment: { ...base.comment, user: null } };
    expect(decodeIssueComment(ghost)).toEqual({
      answer: false,
      reason: 'comment by a deleted user',
    });
  });

  it('ignores pull request comments without a command line', () => {
    expect(decodeIssueComment(onPullRequest('created', 'please run /s3-guard recheck'))).toEqual({
      answer: false,
      reason: 'no commands',
    });
    expect(
      decodeIssueComment(onPullRequest('created', '```\n/s3-guard recheck\n```\n> /s3-guard help')),
    ).toEqual({ answer: false, reason: 'no commands' });
    const empty = onPullRequest('created', '');
    expect(decodeIssueComment({ ...empty, comment: { ...empty.comment, body: null } })).toEqual({
      answer: false,
      reason: 'no commands',
    });
  });
});
