/**
 * Merge queues: a merge group as an evaluation target (the pure mapping from the webhook's
 * `merge_group`), how its check is worded, and the whole run against the fake GitHub — files
 * from the comparison of base and head, the check concluded on the group's head, nothing
 * written to any conversation.
 */
import { describe, expect, it } from 'vitest';
import { renderPublication } from '../../src/github/render/index.js';
import { targetOfMergeGroup } from '../../src/github/target.js';
import type { Evaluation, PullRequestTarget } from '../../src/github/types.js';
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
