/**
 * The record of `/s3-guard ignore` commands through the whole pipeline, against the fake
 * GitHub: the pull request's comments are read again (once) on every evaluation, each author's
 * permission is asked again, and what is accepted shows in the check run and the summary
 * comment with who accepted it and why.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../fake-github/index.js';
import { fakeRepository } from '../fake-github/probot.js';
import { runPullRequest } from '../../src/github/run.js';
import type { RunPullRequestResult } from '../../src/github/run.js';
import { isSummaryBody } from '../../src/github/markers.js';
import type { GitHubClient, PullRequestTarget } from '../../src/github/types.js';
import { reportsBehindEndpoint } from './templates.js';
import { pullRequestTarget } from './pull-target.js';

const OWNER = 'acme';
const REPO = 'infra';
const BOT = 's3-endpoint-guard[bot]';
const DOCS = 'https://example.test/s3-endpoint-guard/blob/main/';
const RULE = 'sourceip-deny-blocks-endpoint';
const RESOURCE = 'ReportsPolicy';
const REASON = 'office traffic never uses the endpoint';

const TEMPLATE = reportsBehindEndpoint;

let fake: FakeGitHub;
let restore: () => void;
let client: GitHubClient;

beforeEach(async () => {
  ({ fake, restore, client } = await fakeRepository(OWNER, REPO));
  fake.setPermission(OWNER, REPO, 'writer', 'write');
  fake.setPermission(OWNER, REPO, 'reader', 'read');
});

afterEach(() => restore());

/** `user` writes `body` in the conversation of pull request `number`; returns the comment's id. */
function comment(number: number, user: string, body: string): number {
  return fake.addIssueComment(OWNER, REPO, number, user, body);
}

function openPullRequest(baseFiles: Record<string, string> = {}): PullRequestTarget {
  const base = fake.commit(OWNER, REPO, {
    branch: 'main',
    files: { 'cfn/network.yaml': TEMPLATE(false), ...baseFiles },
  });
  const head = fake.commit(OWNER, REPO, {
    parent: base,
    branch: 'change',
    files: { 'cfn/network.yaml': TEMPLATE(true) },
  });
  const number = fake.openPullRequest(OWNER, REPO, {
    base: 'main',
    headSha: head,
    headRef: 'change',
  });
  return pullRequestTarget(fake, OWNER, REPO, number);
}

/** One evaluation; also how many times it listed the conversation. */
async function evaluate(
  target: PullRequestTarget,
): Promise<{ run: RunPullRequestResult; commentLists: number; logged: string[] }> {
  const before = fake.calls.length;
  const logged: string[] = [];
  const run = await runPullRequest(client, target, {
    botLogin: BOT,
    docsBaseUri: DOCS,
    log: (line) => logged.push(line),
  });
  const commentLists = fake.calls
    .slice(before)
    .filter(
      (call) =>
        call.method === 'GET' &&
        call.path === `/repos/${OWNER}/${REPO}/issues/${target.number}/comments`,
    ).length;
  return { run, commentLists, logged };
}

function summaryOf(target: PullRequestTarget): string {
  const summaries = fake
    .issueComments(OWNER, REPO, target.number)
    .filter((comment) => comment.user === BOT && isSummaryBody(comment.body));
  expect(summaries).toHaveLength(1);
  return summaries[0]?.body ?? '';
}

function lastCheck() {
  const check = fake.checkRuns(OWNER, REPO).at(-1);
  return {
    conclusion: check?.conclusion,
    title: check?.output?.title,
    summary: check?.output?.summary ?? '',
    text: check?.output?.text ?? '',
  };
}

const ACCEPTED_LINE = `(PR command, by writer): ${REASON}`;

describe('slash-command ignores in the pipeline', () => {
  it('ignore accepts the finding (check and summary say by whom and why); unignore reverses it', async () => {
    const target = openPullRequest();
    const first = await evaluate(target);
    expect(first.commentLists).toBe(1);
    expect(lastCheck().conclusion).toBe('failure');

    comment(target.number, 'writer', `Agreed.\n/s3-guard ignore ${RULE} ${RESOURCE} -- ${REASON}`);
    const second = await evaluate(target);
    expect(second.commentLists).toBe(1);
    expect(second.run.evaluation.kind).toBe('evaluated');
    const check = lastCheck();
    expect(check.conclusion).toBe('success');
    expect(check.summary).toContain(ACCEPTED_LINE);
    expect(summaryOf(target)).toContain(
      '**Accepted**\n\n- A Deny on NotIpAddress aws:SourceIp blocks every request through an S3 VPC ' +
        `endpoint: \`${RESOURCE}\` ${ACCEPTED_LINE}`,
    );
    expect(summaryOf(target)).toContain('Nothing blocks merging.');
    expect(check.summary).toContain(
      `: \`${RESOURCE}\` at [\`cfn/network.yaml:42\`](https://github.com/${OWNER}/${REPO}/blob/` +
        `${target.headSha}/cfn/network.yaml#L42) ${ACCEPTED_LINE}`,
    );
    // The resource was right: no "matched no finding" note.
    expect(check.text).not.toContain('matched no finding');

    comment(target.number, 'writer', `/s3-guard unignore ${RULE} ${RESOURCE}`);
    const third = await evaluate(target);
    expect(third.commentLists).toBe(1);
    expect(lastCheck().conclusion).toBe('failure');
    expect(lastCheck().summary).not.toContain(ACCEPTED_LINE);
    expect(summaryOf(target)).not.toContain(ACCEPTED_LINE);
    expect(fake.violations).toEqual([]);
  });

  it("a read-only user's ignore changes nothing", async () => {
    const target = openPullRequest();
    const id = comment(
      target.number,
      'reader',
      `/s3-guard ignore ${RULE} ${RESOURCE} -- ${REASON}`,
    );
    const { run, commentLists, logged } = await evaluate(target);
    expect(commentLists).toBe(1);
    expect(run.publication.check.conclusion).toBe('failure');
    expect(lastCheck().summary).not.toContain('PR command');
    expect(logged.filter((line) => line.includes('may not accept'))).toEqual([
      `comment ${id}: reader may not accept findings: ` +
        'Only users with write access may ignore findings on this repository.',
    ]);
    expect(fake.violations).toEqual([]);
  });

  it('an edited ignore comment changes nothing', async () => {
    const target = openPullRequest();
    const id = comment(target.number, 'writer', 'Looks risky.');
    fake.editIssueComment(OWNER, REPO, id, `/s3-guard ignore ${RULE} ${RESOURCE} -- ${REASON}`);
    const { run } = await evaluate(target);
    expect(run.publication.check.conclusion).toBe('failure');
    expect(lastCheck().summary).not.toContain('PR command');
    expect(fake.violations).toEqual([]);
  });

  it('an ignore whose resource matches nothing is named in the check text', async () => {
    const target = openPullRequest();
    comment(target.number, 'writer', `/s3-guard ignore ${RULE} ReportPolicy -- ${REASON}`);
    const { run } = await evaluate(target);
    expect(run.publication.check.conclusion).toBe('failure');
    expect(lastCheck().text).toContain(
      `### Ignores that matched nothing\n\n- \`/s3-guard ignore ${RULE} ReportPolicy\` by writer matched no finding`,
    );
    expect(fake.violations).toEqual([]);
  });

  it('fails as "could not evaluate" when a permission cannot be checked (5xx), applying nothing', async () => {
    const target = openPullRequest();
    comment(target.number, 'writer', `/s3-guard ignore ${RULE} ${RESOURCE} -- ${REASON}`);
    fake.failNext({ method: 'GET', path: /\/collaborators\/writer\/permission$/ }, 502, 5);
    const { run } = await evaluate(target);
    expect(run.evaluation.kind).toBe('error');
    expect(lastCheck().title).toBe('Could not evaluate');
    expect(lastCheck().conclusion).toBe('failure');
  });

  it('escapes the reason in the check and the summary comment (no mentions, no links)', async () => {
    const target = openPullRequest();
    comment(
      target.number,
      'writer',
      `/s3-guard ignore ${RULE} ${RESOURCE} -- ask @octocat, see https://evil.example/x **now**`,
    );
    await evaluate(target);
    const escaped =
      '(PR command, by writer): ask @\u200boctocat, see https:\u200b//evil.example/x \\*\\*now\\*\\*';
    expect(lastCheck().summary).toContain(escaped);
    expect(summaryOf(target)).toContain(escaped);
    expect(summaryOf(target)).not.toContain('@octocat');
    expect(fake.violations).toEqual([]);
  });

  it('only the users in commands.ignore.allow may ignore when the config lists any', async () => {
    const target = openPullRequest({
      '.github/s3-endpoint-guard.yml': 'commands:\n  ignore:\n    allow: [alice]\n',
    });
    // A writer is not enough; alice, listed, needs no write access.
    comment(target.number, 'writer', `/s3-guard ignore ${RULE} ${RESOURCE} -- writer says`);
    const refused = await evaluate(target);
    expect(refused.run.publication.check.conclusion).toBe('failure');
    comment(target.number, 'alice', `/s3-guard ignore ${RULE} ${RESOURCE} -- ${REASON}`);
    const accepted = await evaluate(target);
    expect(accepted.run.publication.check.conclusion).toBe('success');
    expect(lastCheck().summary).toContain(`(PR command, by alice): ${REASON}`);
    expect(lastCheck().summary).not.toContain('writer says');
    expect(fake.violations).toEqual([]);
  });

  it("a merge group reads the queued pull request's ignores", async () => {
    const pull = openPullRequest();
    comment(pull.number, 'writer', `/s3-guard ignore ${RULE} ${RESOURCE} -- ${REASON}`);
    const group: PullRequestTarget = {
      ...pull,
      author: '',
      mergeGroup: {
        headRef: `refs/heads/gh-readonly-queue/main/pr-${pull.number}-${pull.headSha}`,
      },
    };
    const { run } = await evaluate(group);
    expect(run.publication.check.conclusion).toBe('success');
    expect(run.publication.check.summary).toContain(ACCEPTED_LINE);
    expect(fake.violations).toEqual([]);
  });

  it('a merge group without a pull request (number 0) reads no comments and asks no permission', async () => {
    const pull = openPullRequest();
    comment(pull.number, 'writer', `/s3-guard ignore ${RULE} ${RESOURCE} -- ${REASON}`);
    const before = fake.calls.length;
    await runPullRequest(
      client,
      {
        ...pull,
        number: 0,
        author: '',
        mergeGroup: { headRef: 'refs/heads/gh-readonly-queue/main/other' },
      },
      { botLogin: BOT, docsBaseUri: DOCS, dryRun: true },
    );
    const asked = fake.calls
      .slice(before)
      .filter((call) => call.path.includes('/issues/') || call.path.includes('/collaborators/'));
    expect(asked).toEqual([]);
  });
});
