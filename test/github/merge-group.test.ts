/**
 * Merge queues: a merge group as an evaluation target (the pure mapping from the webhook's
 * `merge_group`), how its check is worded, and the whole run against the fake GitHub — files
 * from the comparison of base and head, the check concluded on the group's head, nothing
 * written to any conversation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderPublication } from '../../src/github/render/index.js';
import { runPullRequest } from '../../src/github/run.js';
import type { MergeGroupLike } from '../../src/github/target.js';
import { targetOfMergeGroup } from '../../src/github/target.js';
import type { Evaluation, GitHubClient, PullRequestTarget } from '../../src/github/types.js';
import type { FakeGitHub } from '../fake-github/index.js';
import { fakeRepository } from '../fake-github/probot.js';
import { reportsBehindEndpoint } from './templates.js';
import { NONE, evaluated, finding, options, target as pullTarget } from './render/factories.js';

const HEAD_SHA = 'abcdef1234567890abcdef1234567890abcdef12';
const BASE_SHA = '1111111111111111111111111111111111111111';
const REPOSITORY = { owner: 'acme', repo: 'infra', defaultBranch: 'main' };

describe('targetOfMergeGroup', () => {
  const group = (head_ref: string, base_ref = 'refs/heads/main') => ({
    head_sha: HEAD_SHA,
    base_sha: BASE_SHA,
    head_ref,
    base_ref,
  });

  it('maps the merge group to a target with its head, base and branch', () => {
    expect(
      targetOfMergeGroup(group(`refs/heads/gh-readonly-queue/main/pr-42-${BASE_SHA}`), REPOSITORY),
    ).toEqual({
      owner: 'acme',
      repo: 'infra',
      number: 42,
      headSha: HEAD_SHA,
      baseSha: BASE_SHA,
      baseRef: 'main',
      defaultBranch: 'main',
      author: '',
      mergeGroup: { headRef: `gh-readonly-queue/main/pr-42-${BASE_SHA}` },
    });
  });

  it.each([
    // [head_ref, base_ref, number, baseRef, headRef]
    [
      'refs/heads/gh-readonly-queue/main/pr-7-0a1b2c3d',
      'refs/heads/main',
      7,
      'main',
      'gh-readonly-queue/main/pr-7-0a1b2c3d',
    ],
    // A base branch with slashes (and one that looks like a group branch itself).
    [
      'refs/heads/gh-readonly-queue/release/pr-3-x/pr-1234-deadbeef',
      'refs/heads/release/pr-3-x',
      1234,
      'release/pr-3-x',
      'gh-readonly-queue/release/pr-3-x/pr-1234-deadbeef',
    ],
    // Refs without `refs/heads/` are taken as they are.
    [
      'gh-readonly-queue/main/pr-9-cafebabe',
      'main',
      9,
      'main',
      'gh-readonly-queue/main/pr-9-cafebabe',
    ],
    // Other shapes name no pull request: 0.
    [
      'refs/heads/gh-readonly-queue/main/pr-0-cafebabe',
      'refs/heads/main',
      0,
      'main',
      'gh-readonly-queue/main/pr-0-cafebabe',
    ],
    [
      'refs/heads/gh-readonly-queue/main/pr-12',
      'refs/heads/main',
      0,
      'main',
      'gh-readonly-queue/main/pr-12',
    ],
    [
      'refs/heads/gh-readonly-queue/main/pr-12-not-hex',
      'refs/heads/main',
      0,
      'main',
      'gh-readonly-queue/main/pr-12-not-hex',
    ],
    [
      'refs/heads/gh-readonly-queue/main/pr-99999999999-cafebabe',
      'refs/heads/main',
      0,
      'main',
      'gh-readonly-queue/main/pr-99999999999-cafebabe',
    ],
    [
      'refs/heads/gh-readonly-queue/main/pr-x-cafebabe',
      'refs/heads/main',
      0,
      'main',
      'gh-readonly-queue/main/pr-x-cafebabe',
    ],
    [
      'refs/heads/my-queue/pr-5-cafebabe/other',
      'refs/heads/main',
      0,
      'main',
      'my-queue/pr-5-cafebabe/other',
    ],
    ['refs/heads/', 'refs/heads/main', 0, 'main', ''],
  ])('%s on %s → #%i, base %s, branch %s', (headRef, baseRef, number, base, branch) => {
    const target = targetOfMergeGroup(group(headRef, baseRef), REPOSITORY);
    expect({
      number: target.number,
      baseRef: target.baseRef,
      mergeGroup: target.mergeGroup,
    }).toEqual({
      number,
      baseRef: base,
      mergeGroup: { headRef: branch },
    });
  });
});

describe('merge-group wording', () => {
  const headRef = `gh-readonly-queue/main/pr-7-${BASE_SHA}`;
  const groupTarget: PullRequestTarget = { ...pullTarget, author: '', mergeGroup: { headRef } };
  const inGroup = <E extends Evaluation>(evaluation: E): E => ({
    ...evaluation,
    target: groupTarget,
  });
  const subjectLine =
    `Evaluated merge group \`${headRef}\` at \`abcdef1\` against \`main\` at \`1111111\`: ` +
    'only the check run is published (a merge group has no conversation).';

  it('opens the summary with the group and its base, and plans no inline comments', () => {
    const evaluation = inGroup(evaluated({ findings: [finding()] }));
    const publication = renderPublication(evaluation, NONE, options);
    expect(publication.check.conclusion).toBe('failure');
    expect(publication.check.summary.split('\n\n').slice(0, 2)).toEqual([
      subjectLine,
      '**1 finding blocks merging** (a new finding at or above error blocks).',
    ]);
    expect(publication.review).toBeUndefined();
    expect(publication.commentsOverBudget).toBe(0);
    // The pull request's own summary is unchanged: no such line.
    const pull = renderPublication(evaluated({ findings: [finding()] }), NONE, options);
    expect(pull.check.summary.split('\n\n')[0]).toBe(
      '**1 finding blocks merging** (a new finding at or above error blocks).',
    );
  });

  it("says a comparison's 300-file limit, not a pull request's 3,000", () => {
    const evaluation = inGroup({
      ...evaluated({}, { truncatedFileList: true }),
      changedFiles: 300,
    });
    const { summary } = renderPublication(evaluation, NONE, options).check;
    expect(summary).toContain(
      '- This merge group changes at least 300 files; GitHub compares only the first 300, so files after those were not checked.',
    );
    expect(summary).not.toContain('3,000');
  });

  it('names the group when it could not be evaluated, and in a config error', () => {
    const error = renderPublication(
      { kind: 'error', target: groupTarget, message: 'HTTP 502: Bad Gateway', onError: 'failure' },
      NONE,
      options,
    );
    expect(error.check.summary.split('\n\n')[0]).toBe(
      `The check could not evaluate merge group \`${headRef}\`:`,
    );
    const configError = renderPublication(
      {
        kind: 'config-error',
        target: groupTarget,
        file: 'acme/infra:.github/s3-endpoint-guard.yml',
        errors: [
          {
            file: 'acme/infra:.github/s3-endpoint-guard.yml',
            line: 1,
            key: 'failOn',
            message: 'must be one of error, warning, notice, never',
          },
        ],
      },
      NONE,
      options,
    );
    expect(configError.check.summary.split('\n\n')[0]).toBe(
      `The configuration \`acme/infra:.github/s3-endpoint-guard.yml\` is invalid (1 problem), so merge group \`${headRef}\` was not evaluated.`,
    );
  });

  it('opens a no-infrastructure summary with the group too', () => {
    const { summary } = renderPublication(
      {
        kind: 'no-infrastructure',
        target: groupTarget,
        config: evaluated().config,
        changedFiles: 2,
        skipped: [],
      },
      NONE,
      options,
    ).check;
    expect(summary.split('\n\n')[0]).toBe(subjectLine);
  });
});

// ─────────────────────────────── the whole run on the fake GitHub ───────────────────────────────

const OWNER = 'acme';
const REPO = 'infra';
const BOT = 's3-endpoint-guard[bot]';
const DOCS = 'https://example.test/s3-endpoint-guard/blob/main/';

const TEMPLATE = reportsBehindEndpoint;

describe('runPullRequest on a merge group', () => {
  let fake: FakeGitHub;
  let restore: () => void;
  let client: GitHubClient;

  beforeEach(async () => {
    ({ fake, restore, client } = await fakeRepository(OWNER, REPO));
  });
  afterEach(() => restore());

  /** A pull request changing the files given, queued: its merge group as the webhook names it. */
  function queued(files: Record<string, string>): {
    number: number;
    head: string;
    target: PullRequestTarget;
  } {
    const base = fake.commit(OWNER, REPO, {
      branch: 'main',
      files: { 'cfn/network.yaml': TEMPLATE(false), 'README.md': 'hello\n' },
    });
    const head = fake.commit(OWNER, REPO, { parent: base, branch: 'change', files });
    const number = fake.openPullRequest(OWNER, REPO, {
      base: 'main',
      headSha: head,
      headRef: 'change',
    });
    const payload = fake.mergeGroupPayload(
      OWNER,
      REPO,
      fake.createMergeGroup(OWNER, REPO, { base: 'main', pullNumber: number }),
    ) as { merge_group: MergeGroupLike };
    const target = targetOfMergeGroup(payload.merge_group, {
      owner: OWNER,
      repo: REPO,
      defaultBranch: 'main',
    });
    return { number, head, target };
  }

  /** Requests after the token, as `METHOD path?query`. */
  const requests = (): string[] =>
    fake.calls
      .filter((call) => !call.path.endsWith('/access_tokens'))
      .map((call) => {
        const query = new URLSearchParams(call.query).toString();
        return `${call.method} ${call.path}${query ? `?${query}` : ''}`;
      });

  const REEVALUATE = {
    label: 'Re-evaluate',
    identifier: 're-evaluate',
    description: 'Run the S3 endpoint guard again',
  };

  it('fails the check on the group head for a new blocking finding, and writes no comment', async () => {
    const { number, head, target } = queued({ 'cfn/network.yaml': TEMPLATE(true) });
    expect(target.number).toBe(number);
    const branch = `gh-readonly-queue/main/pr-${number}-${head}`;
    expect(target.mergeGroup).toEqual({ headRef: branch });
    fake.calls.length = 0;

    const run = await runPullRequest(client, target, { botLogin: BOT, docsBaseUri: DOCS });

    expect(run.evaluation.kind).toBe('evaluated');
    const checks = fake.checkRuns(OWNER, REPO);
    expect(
      checks.map((c) => ({
        head: c.head_sha,
        status: c.status,
        conclusion: c.conclusion,
        title: c.output.title,
        actions: c.actions,
      })),
    ).toEqual([
      {
        head: target.headSha,
        status: 'completed',
        conclusion: 'failure',
        title: '1 new error, 1 new warning',
        actions: [REEVALUATE],
      },
    ]);
    expect(checks[0]?.output.summary?.split('\n\n')[0]).toBe(
      `Evaluated merge group \`${branch}\` at \`${target.headSha.slice(0, 7)}\` against \`main\` ` +
        `at \`${target.baseSha.slice(0, 7)}\`: only the check run is published (a merge group has no conversation).`,
    );
    expect(
      checks[0]?.annotations.map((a) => [a.path, a.start_line, a.end_line, a.annotation_level]),
    ).toEqual([
      ['cfn/network.yaml', 33, 42, 'warning'],
      ['cfn/network.yaml', 42, 42, 'failure'],
    ]);
    // Nothing on the pull request's conversation: no review, no summary comment.
    expect(fake.reviewThreads(OWNER, REPO, number)).toEqual([]);
    expect(fake.issueComments(OWNER, REPO, number)).toEqual([]);
    expect(run.publication.review).toBeUndefined();
    expect(run.publication.summaryComment).toBeUndefined();
    // One comparison (files and merge base at once), no pull request reads; the pull request's
    // comments are listed once, for its `/s3-guard ignore` commands (none here).
    expect(requests()).toEqual([
      'POST /repos/acme/infra/check-runs',
      'GET /repos/acme/infra/contents/.github%2Fs3-endpoint-guard.yml?ref=main',
      'GET /repos/acme/infra/contents/.github%2Fs3-endpoint-guard.yaml?ref=main',
      'GET /repos/acme/.github/contents/.github%2Fs3-endpoint-guard.yml',
      'GET /repos/acme/.github/contents/.github%2Fs3-endpoint-guard.yaml',
      `GET /repos/acme/infra/compare/${target.baseSha}...${target.headSha}?per_page=1`,
      `GET /repos/acme/infra/git/trees/${target.headSha}?recursive=1`,
      `GET /repos/acme/infra/git/trees/${target.baseSha}?recursive=1`,
      'POST /graphql',
      `GET /repos/acme/infra/issues/${number}/comments?per_page=100&page=1`,
      'PATCH /repos/acme/infra/check-runs/1000',
    ]);
    expect(fake.violations).toEqual([]);
  });

  it('succeeds on a clean group', async () => {
    const { number, target } = queued({ 'cfn/network.yaml': `${TEMPLATE(false)}# reviewed\n` });
    const run = await runPullRequest(client, target, { botLogin: BOT, docsBaseUri: DOCS });
    expect(run.evaluation.kind).toBe('evaluated');
    expect(
      fake.checkRuns(OWNER, REPO).map((c) => [c.head_sha, c.conclusion, c.output.title, c.actions]),
    ).toEqual([[target.headSha, 'success', 'No problems found', [REEVALUATE]]]);
    expect(fake.issueComments(OWNER, REPO, number)).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it('compares with the group base: a finding main gained since the pull request branched is not blamed on it', async () => {
    const base = fake.commit(OWNER, REPO, {
      branch: 'main',
      files: { 'cfn/network.yaml': TEMPLATE(false), 'README.md': 'hello\n' },
    });
    const head = fake.commit(OWNER, REPO, {
      parent: base,
      branch: 'change',
      files: { 'README.md': 'hello, queue\n' },
    });
    const number = fake.openPullRequest(OWNER, REPO, {
      base: 'main',
      headSha: head,
      headRef: 'change',
    });
    // main moves on: someone else's change adds a blocking finding in another template.
    fake.commit(OWNER, REPO, {
      parent: base,
      branch: 'main',
      files: { 'cfn/other.yaml': TEMPLATE(true) },
    });
    const group = fake.createMergeGroup(OWNER, REPO, { base: 'main', pullNumber: number });
    const payload = fake.mergeGroupPayload(OWNER, REPO, group) as { merge_group: MergeGroupLike };
    const target = targetOfMergeGroup(payload.merge_group, {
      owner: OWNER,
      repo: REPO,
      defaultBranch: 'main',
    });
    const run = await runPullRequest(client, target, { botLogin: BOT, docsBaseUri: DOCS });
    // The group changes only the README against its base (main's tip).
    expect(run.evaluation.kind).toBe('no-infrastructure');
    expect(
      fake.checkRuns(OWNER, REPO).map((c) => [c.head_sha, c.conclusion, c.output.title]),
    ).toEqual([[group.headSha, 'success', 'No infrastructure changes']]);
    expect(fake.violations).toEqual([]);
  });
});
